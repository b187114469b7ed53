"""``deferral-breach``: the borrower has an arrangement (缓催, 停催, 分期 / restructuring, grace period) and the
lender still charges penalties or reports overdue status for installments that fall due within it."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from ..model import Finding, Severity
from ..texts import BASES, Text
from .base import ZERO, Rule, make, yuan

if TYPE_CHECKING:
    from ..case import LoanCase

CODE = "deferral-breach"
BASIS = BASES["deferral"]


def check(case: LoanCase, so_far: Sequence[Finding]) -> Iterable[Finding]:
    disputed = {f.installment for f in so_far if f.amount > 0 and f.installment is not None}
    for deferral in case.config.deferrals:
        for claim in case.claims:
            inst = claim.installment
            if inst.due_date is None or not deferral.start <= inst.due_date <= deferral.end:
                continue
            span = f"{deferral.start}–{deferral.end}"
            if inst.penalty and inst.period not in disputed:
                yield make(
                    case,
                    CODE,
                    Severity.HIGH,
                    inst.penalty,
                    f"第{inst.period}期应还日 {inst.due_date} 在约定的{_zh(deferral.kind)}期（{span}）内，"
                    f"仍被计罚息 {yuan(inst.penalty)} 元。",
                    f"Installment {inst.period} falls due on {inst.due_date}, within the agreed {deferral.kind} "
                    f"({span}), yet a penalty of {yuan(inst.penalty)} is charged.",
                    [inst.source],
                    kind="penalty",
                    installment=inst.period,
                    expected=ZERO,
                    actual=inst.penalty,
                    basis=BASIS,
                )
            elif any(w in inst.status.lower() for w in ("逾期", "overdue")):
                yield make(
                    case,
                    CODE,
                    Severity.MEDIUM,
                    ZERO,
                    f"第{inst.period}期在约定的{_zh(deferral.kind)}期（{span}）内，却被标为“{inst.status}”。",
                    f"Installment {inst.period} is marked '{inst.status}' within the agreed {deferral.kind} ({span}).",
                    [inst.source],
                    kind="status",
                    installment=inst.period,
                    basis=BASIS,
                )
        for _, st in case.statements:
            for charge in st.charges:
                if charge.kind == "penalty" and charge.date and deferral.start <= charge.date <= deferral.end:
                    yield make(
                        case,
                        CODE,
                        Severity.HIGH,
                        charge.amount,
                        f"{charge.date} 在约定的{_zh(deferral.kind)}期内"
                        f"收取“{charge.description}”{yuan(charge.amount)} 元。",
                        f"'{charge.description}' of {yuan(charge.amount)} charged on {charge.date}, within the "
                        f"agreed {deferral.kind}.",
                        [charge.source],
                        kind="penalty",
                        expected=ZERO,
                        actual=charge.amount,
                        basis=BASIS,
                    )


def _zh(kind: str) -> str:
    return {
        "deferral": "缓催/延期",
        "stop-collection": "停催",
        "restructuring": "分期/重组",
        "grace": "宽限",
    }.get(kind, kind)


RULE = Rule(
    code=CODE,
    name=Text("未按延期约定执行", "arrangement not honoured"),
    severity=Severity.HIGH,
    request="按双方约定的延期/停催安排执行，撤销期间产生的罚息和逾期记录",
    check=check,
    after=("already-paid", "double-counted", "misreported", "ambiguous", "not-credited"),
)
