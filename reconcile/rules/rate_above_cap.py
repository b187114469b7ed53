"""``rate-above-cap``: the recomputed APR (with fees) exceeds the selected cap. Says "exceeds X, review", never
"illegal": which cap binds depends on the lender type, the contract date and the court (RULES.md §1.1)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from ..errors import ReconcileError
from ..model import Finding, Rate, RateUnit, RepaymentMethod, Severity
from ..rates import applicable_cap, percent
from ..schedule import Fees, build_schedule
from ..texts import Text
from .base import Rule, make, yuan

if TYPE_CHECKING:
    from ..case import LoanCase

CODE = "rate-above-cap"


def check(case: LoanCase, so_far: Sequence[Finding]) -> Iterable[Finding]:
    t = case.terms
    if not (t.principal and t.rate and t.start_date):
        return
    periods = t.periods or len(case.claims)
    if not periods:
        return
    method = t.method or RepaymentMethod.EQUAL_INSTALLMENT
    if method is RepaymentMethod.FLEXIBLE:
        return
    upfront = sum(
        (f.amount or Decimal(0) for f in t.fees if f.amount and "费率" not in f.name), Decimal("0.00")
    )
    try:
        plan = build_schedule(
            t.principal, t.rate, periods, method, t.start_date, due_day=t.due_day, fees=Fees(upfront=upfront)
        )
        apr = plan.apr()
        cap = applicable_cap(t.start_date, case.config.lender_type, case.config.cap)
    except (ReconcileError, ArithmeticError):
        return
    if apr.simple <= cap.rate:
        return
    at_cap = build_schedule(
        t.principal,
        Rate(value=cap.rate, unit=RateUnit.ANNUAL),
        periods,
        method,
        t.start_date,
        due_day=t.due_day,
    )
    excess = plan.total_interest + plan.total_fees - at_cap.total_interest
    yield make(
        case,
        CODE,
        Severity.MEDIUM,
        max(excess, Decimal(0)),
        f"按合同条款重算的年化利率（含费用）为 {percent(apr.simple)}（单利）/ {percent(apr.compound)}（复利），"
        f"超过 {percent(cap.rate)}（{cap.basis_zh}），超出部分约 {yuan(excess)} 元，建议核查。",
        f"The APR recomputed from the terms (fees included) is {percent(apr.simple)} simple / "
        f"{percent(apr.compound)} compound, above {percent(cap.rate)} ({cap.basis}); about {yuan(excess)} "
        "above the cap. Review.",
        list(t.sources[:3]),
        expected=cap.rate,
        actual=apr.simple,
        basis=Text(cap.basis_zh, cap.basis),
        unit="rate",
    )


RULE = Rule(
    code=CODE,
    name=Text("综合利率超过上限", "rate above the cap"),
    severity=Severity.MEDIUM,
    request="说明综合融资成本的构成，对超过上限的部分予以调整",
    check=check,
    after=(),
)
