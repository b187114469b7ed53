"""``already-paid``: an amount the lender shows as unpaid, overdue or outstanding that a settled payment covers.
A penalty charged on an installment that was in fact paid on time belongs to it. After a settlement certificate,
every later claim on the loan is already paid."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import timedelta
from typing import TYPE_CHECKING

from ..model import Finding, Severity
from ..texts import BASES, Text
from .base import ZERO, Rule, make, yuan

if TYPE_CHECKING:
    from ..case import LoanCase

CODE = "already-paid"
BASIS = BASES["performed"]


def check(case: LoanCase, so_far: Sequence[Finding]) -> Iterable[Finding]:
    result = case.result
    duplicates = {f.evidence[-1] for f in so_far if f.code == "double-counted" and f.evidence}
    grace = case.config.grace
    issued = max((st.as_of for _, st in case.statements if st.as_of), default=None)
    tol = case.config.tolerance
    for claim in case.claims:
        inst = claim.installment
        if inst.source in duplicates:
            continue
        unpaid = case.claimed_unpaid(inst)
        if not unpaid or unpaid <= tol:
            continue
        if case.as_of and inst.due_date and inst.due_date > case.as_of and case.settled is None:
            continue  # not yet due: not a claim; a payment towards it the lender does not show is not-credited
        if case.settled is not None:
            settled_on, cert = case.settled
            yield make(
                case,
                CODE,
                Severity.HIGH,
                unpaid,
                f"第{inst.period}期：贷款已于{settled_on}结清（见结清证明），对账单仍显示未还 {yuan(unpaid)} 元。",
                f"Installment {inst.period}: the loan was settled on {settled_on} (settlement certificate), "
                f"but the statement still shows {yuan(unpaid)} unpaid.",
                [inst.source, cert],
                installment=inst.period,
                expected=ZERO,
                actual=unpaid,
                basis=BASES["settled"],
            )
            continue
        m = result.matches.get(claim.index) if result else None
        if m is None or m.paid <= 0:
            continue
        # a payment made after the statement was issued cannot make the statement wrong
        allocations = [a for a in m.allocations if issued is None or a.payment.timestamp.date() <= issued]
        paid = sum((a.amount for a in allocations), ZERO)
        if paid <= 0:
            continue
        credited = inst.paid or ZERO
        paid_on = max(a.payment.timestamp.date() for a in allocations)
        on_time = bool(inst.due_date and paid_on and paid_on <= inst.due_date + timedelta(days=grace))
        # fully paid on time: nothing, penalty included, is owed; otherwise what was paid and not credited
        amount = unpaid if on_time and paid + tol >= claim.base else min(unpaid, max(paid - credited, ZERO))
        if amount <= tol:
            continue
        penalty_note_zh = penalty_note_en = ""
        if on_time and inst.penalty:
            penalty_note_zh = f"该期按时还款，所计罚息 {yuan(inst.penalty)} 元不应收取。"
            penalty_note_en = f" It was paid on time, so the penalty of {yuan(inst.penalty)} is not owed."
        refs = [inst.source, *(a.payment.source for a in allocations)]
        when = "、".join(sorted({a.payment.timestamp.date().isoformat() for a in allocations}))
        yield make(
            case,
            CODE,
            Severity.HIGH,
            amount,
            f"第{inst.period}期（应还日 {inst.due_date}）对账单显示未还 {yuan(unpaid)} 元，"
            f"但您已于 {when} 付款 {yuan(paid)} 元。{penalty_note_zh}",
            f"Installment {inst.period} (due {inst.due_date}) is shown unpaid ({yuan(unpaid)}), but "
            f"{yuan(paid)} was paid on {when}.{penalty_note_en}",
            refs,
            installment=inst.period,
            expected=max(unpaid - amount, ZERO),
            actual=unpaid,
            basis=BASIS,
        )


RULE = Rule(
    code=CODE,
    name=Text("已还款仍被计为欠款", "already paid, still claimed"),
    severity=Severity.HIGH,
    request="确认该期款项本人已经按时还清，撤销相应的欠款、逾期记录和罚息",
    check=check,
    after=("double-counted",),
)
