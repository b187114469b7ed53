"""A loan under reconciliation: its statements, the payments that concern it and why others do not, how they
matched its installments, and what the payment files cover. The engine builds one per loan; the rules and the
reports read it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from .config import Config
from .match import Claim, MatchResult
from .model import (
    Coverage,
    Extraction,
    Installment,
    LoanTerms,
    Payment,
    PaymentKey,
    Product,
    SourceRef,
    Statement,
)
from .texts import Text
from .vocab import PAID_STATUSES, UNPAID_STATUSES

ZERO = Decimal("0.00")


@dataclass
class LoanCase:
    """One loan: its statements, the payments that concern it, and how they matched."""

    key: str
    statements: list[tuple[Extraction, Statement]]
    terms: LoanTerms
    product: Product | None
    claims: list[Claim] = field(default_factory=list)
    payments: list[Payment] = field(default_factory=list)
    excluded: list[tuple[Payment, Text]] = field(default_factory=list)  # and why, in both languages
    result: MatchResult | None = None
    as_of: date | None = None
    settled: tuple[date, SourceRef] | None = None
    config: Config = field(default_factory=Config)
    used_elsewhere: set[PaymentKey] = field(default_factory=set)  # payments another loan's installments used
    coverage: Coverage | None = None  # the days the payment files speak for, against the installments due
    loans_of_product: int = 1  # how many loans of this product the inputs hold

    def claimed_unpaid(self, inst: Installment) -> Decimal | None:
        """What the lender says is still owed on an installment; None when the statement does not say."""
        if inst.outstanding is not None:
            return inst.outstanding
        total = (
            inst.total
            if inst.total is not None
            else sum(
                (p for p in (inst.principal, inst.interest, inst.penalty, inst.fees) if p is not None), ZERO
            )
        )
        if inst.paid is not None:
            return max(total - inst.paid, ZERO)
        status = inst.status.lower()
        if any(w in status for w in PAID_STATUSES) and not any(w in status for w in ("部分",)):
            return ZERO
        if any(w in status for w in UNPAID_STATUSES):
            return total
        if self.as_of and inst.due_date and inst.due_date <= self.as_of and status:
            return total
        return None

    def coverage_end(self) -> date | None:
        """The last day the lender's records speak for: the statement date when it gives one, else the latest
        repayment it lists or due date it reports on (not the due dates of a schedule's future rows)."""
        if self.as_of:
            return self.as_of
        dates: list[date] = []
        for _, st in self.statements:
            dates += [r.date for r in st.repayments if r.date]
            dates += [i.due_date for i in st.installments if i.due_date and (i.status or i.paid is not None)]
        return max(dates, default=None)
