"""``not-credited``: a settled payment to this lender that appears nowhere in its records."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from ..model import Finding, Severity
from ..texts import BASES, Text
from ..vocab import CONSUMER_PRODUCTS
from .base import Rule, make, yuan

if TYPE_CHECKING:
    from ..case import LoanCase

CODE = "not-credited"


def check(case: LoanCase, so_far: Sequence[Finding]) -> Iterable[Finding]:
    if case.result is None or not (case.claims or any(st.repayments for _, st in case.statements)):
        return
    end = case.coverage_end()
    credited = [r for _, st in case.statements for r in st.repayments]
    cited = {ref for f in so_far for ref in f.evidence}
    candidates = [(p, case.result.remaining(p)) for p in case.result.unused]
    for claim in case.claims:  # payments towards installments not yet due that the lender does not show
        inst = claim.installment
        m = case.result.matches.get(claim.index)
        if m is None or not case.as_of or not inst.due_date or inst.due_date <= case.as_of:
            continue
        unpaid = case.claimed_unpaid(inst)
        if unpaid is not None and unpaid > case.config.tolerance:
            candidates += [(a.payment, a.amount) for a in m.allocations]

    shared_kind = (
        case.product in CONSUMER_PRODUCTS
    )  # matched by product only: could belong to another such loan
    tol = case.config.tolerance
    claimed = [c.installment.total for c in case.claims if c.installment.total is not None]
    recurring: dict[Decimal, int] = {}
    for p, _ in candidates:
        recurring[p.amount] = recurring.get(p.amount, 0) + 1
    start = case.terms.start_date
    for p, left in candidates:
        if left <= tol or p.source in cited or p.key in case.used_elsewhere:
            continue
        day = p.timestamp.date()
        if end is not None and day > end:
            continue  # after the statement: the lender could not have shown it yet
        if start is not None and day < start:
            continue  # before the loan was made: not a repayment of it
        if (
            shared_kind
            and recurring[p.amount] >= 2
            and not any(abs(p.amount - amount) <= tol for amount in claimed)
        ):
            # repeated repayments of an amount this loan never asks for, matched only by product: the
            # installments of another loan of the same product, not money this lender failed to credit
            continue
        if any(
            abs((r.date - day).days) <= case.config.window
            and abs(r.amount - p.amount) <= case.config.tolerance
            for r in credited
            if r.date
        ):
            continue
        caveat = (
            Text(
                "如您在该产品下还有其他借款，请先确认这笔还款不属于其他借款。",
                "If you have other loans of this product, first check it does not belong to one of them.",
            )
            if shared_kind
            else None
        )
        yield make(
            case,
            CODE,
            Severity.MEDIUM if shared_kind else Severity.HIGH,
            left,
            f"您于 {p.timestamp:%Y-%m-%d %H:%M} 向该贷款还款 {yuan(p.amount)} 元（{p.description or p.counterparty}），"
            "对账单中找不到这笔还款的记录。",
            f"A repayment of {yuan(p.amount)} on {p.timestamp:%Y-%m-%d %H:%M} "
            f"({p.description or p.counterparty}) appears nowhere in the lender's records.",
            [p.source, *(st.sources[0] for _, st in case.statements if st.sources)],
            expected=left,
            actual=left - left,
            basis=BASES["performed-record"],
            advice=caveat,
        )


RULE = Rule(
    code=CODE,
    name=Text("还款未入账", "repayment not credited"),
    severity=Severity.HIGH,
    request="查明并入账本人已付的该笔还款",
    check=check,
    after=("already-paid", "double-counted", "misreported", "ambiguous"),
)
