"""``double-counted``: the same installment or charge listed more than once."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from ..model import Charge, Finding, Installment, Severity
from ..texts import BASES, Text, place
from .base import ZERO, Rule, make, yuan

if TYPE_CHECKING:
    from ..case import LoanCase

CODE = "double-counted"
BASIS = BASES["once"]


def check(case: LoanCase, so_far: Sequence[Finding]) -> Iterable[Finding]:
    for _, st in case.statements:
        for first, inst in _repeats(case, st.installments):
            claimed = case.claimed_unpaid(inst)
            amount = claimed if claimed is not None else (inst.total or ZERO)
            yield make(
                case,
                CODE,
                Severity.HIGH,
                amount,
                f"第{inst.period}期在同一份对账单中重复出现（{place(first.source.where(), 'zh')} 与 "
                f"{place(inst.source.where(), 'zh')}），"
                f"重复计入 {yuan(amount)} 元。",
                f"Installment {inst.period} is listed twice in the same statement ({first.source.where()} "
                f"and {inst.source.where()}); {yuan(amount)} is counted twice.",
                [first.source, inst.source],
                installment=inst.period,
                expected=ZERO,
                actual=amount,
                basis=BASIS,
            )
        charges: dict[tuple[object, ...], Charge] = {}
        for charge in st.charges:
            charge_key = (charge.kind, charge.description, charge.amount, charge.date)
            earlier = charges.get(charge_key)
            if earlier is None:
                charges[charge_key] = charge
                continue
            yield make(
                case,
                CODE,
                Severity.HIGH,
                charge.amount,
                f"费用“{charge.description}”{yuan(charge.amount)} 元在对账单中重复列出。",
                f"The charge '{charge.description}' of {yuan(charge.amount)} is listed twice.",
                [earlier.source, charge.source],
                kind="charge",
                expected=ZERO,
                actual=charge.amount,
                basis=BASIS,
            )


def _repeats(case: LoanCase, installments: Sequence[Installment]) -> list[tuple[Installment, Installment]]:
    """Each installment a statement lists again, with the row it repeats. Rows are the same installment when they
    have the same period and due date (or one of them prints no due date), whatever their amounts or status say:
    a period listed once paid and once overdue is listed twice. The row that claims least stands as the
    installment and the others are the repeats, so the result does not depend on the order of the rows."""
    by_period: dict[int, list[Installment]] = {}
    for inst in installments:
        by_period.setdefault(inst.period, []).append(inst)
    out = []
    for period in sorted(by_period):
        rows = by_period[period]
        if len(rows) < 2:
            continue
        dates = {i.due_date for i in rows if i.due_date is not None}
        if len(dates) > 1:
            continue  # one period number for different due dates: two schedules, not a repeat
        ordered = sorted(
            rows,
            key=lambda i: (
                case.claimed_unpaid(i) or ZERO,
                i.total or ZERO,
                i.source.page or 0,
                i.source.row or 0,
            ),
        )
        out += [(ordered[0], extra) for extra in ordered[1:]]
    return out


RULE = Rule(
    code=CODE,
    name=Text("重复计入", "counted twice"),
    severity=Severity.HIGH,
    request="删除重复计入的金额",
    check=check,
    after=(),
)
