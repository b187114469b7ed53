"""A statement checked against itself: row arithmetic, the totals it declares against its rows, and whether the
daily and annual rates it prints agree on a 360- or 365-day year."""

from __future__ import annotations

from decimal import Decimal

from ..model import RateUnit, SelfCheck, Statement
from ..rates import implied_basis, percent
from ..vocab import AMOUNT_FIELDS, OVERDUE_STATUSES, PAID_STATUSES


def self_checks(st: Statement) -> tuple[SelfCheck, ...]:
    """The statement against itself: row arithmetic, declared totals against row sums, rate consistency."""
    checks: list[SelfCheck] = []
    zero = Decimal("0.00")
    for inst in st.installments:
        parts = [inst.principal, inst.interest, inst.penalty, inst.fees]
        if inst.total is not None and any(p is not None for p in parts):
            computed = sum((p for p in parts if p is not None), zero)
            ok = computed == inst.total
            checks.append(
                SelfCheck(
                    code="row-arithmetic",
                    ok=ok,
                    expected=computed,
                    actual=inst.total,
                    message=(
                        f"period {inst.period}: principal + interest + penalty + fees = {computed}"
                        f"{'' if ok else ', but the row says ' + str(inst.total)}"
                    ),
                    evidence=(inst.source,),
                )
            )
        if inst.total is not None and inst.paid is not None and inst.outstanding is not None:
            computed = inst.paid + inst.outstanding
            ok = computed == inst.total
            checks.append(
                SelfCheck(
                    code="row-arithmetic",
                    ok=ok,
                    expected=inst.total,
                    actual=computed,
                    message=(
                        f"period {inst.period}: paid + outstanding = {computed}"
                        f"{'' if ok else ', but the total due is ' + str(inst.total)}"
                    ),
                    evidence=(inst.source,),
                )
            )
    sums = {f: sum((getattr(i, f) or zero for i in st.installments), zero) for f in AMOUNT_FIELDS}
    unpaid = [i for i in st.installments if not any(s in i.status.lower() for s in PAID_STATUSES)]
    for total in st.declared_totals:
        expected: Decimal | None = None
        basis = ""
        if total.name.startswith("column:"):
            column = total.name.split(":", 1)[1]
            expected, basis = sums.get(column), f"the sum of the {column} column"
            if column in ("principal", "interest", "penalty", "fees", "total"):
                charges = sum(
                    (
                        c.amount
                        for c in st.charges
                        if column in ("total", "fees", "penalty")
                        and (column == "total" or (c.kind == "fee") == (column == "fees"))
                    ),
                    zero,
                )
                if expected is not None and charges and expected + charges == total.value:
                    expected, basis = expected + charges, f"the sum of the {column} column and the charges"
        elif total.name == "remaining":
            expected = sum(
                (
                    (i.outstanding if i.outstanding is not None else (i.total or zero) - (i.paid or zero))
                    for i in unpaid
                ),
                zero,
            )
            basis = "the unpaid amounts of the rows"
            charges = sum((c.amount for c in st.charges if c.kind in ("fee", "penalty", "interest")), zero)
            if charges:
                expected += charges
                basis += " and the charges"
        elif total.name == "remaining_principal":
            expected, basis = sum((i.principal or zero for i in unpaid), zero), "the principal of unpaid rows"
        elif total.name == "overdue":
            overdue = [i for i in st.installments if any(s in i.status.lower() for s in OVERDUE_STATUSES)]
            expected = sum(
                (
                    (i.outstanding if i.outstanding is not None else (i.total or zero) - (i.paid or zero))
                    for i in overdue
                ),
                zero,
            ) + sum((c.amount for c in st.charges), zero)
            basis = "the unpaid amounts of rows marked overdue, plus charges"
        elif total.name == "paid":
            expected = (
                sums["paid"]
                if any(i.paid is not None for i in st.installments)
                else sum((r.amount for r in st.repayments), zero)
            )
            basis = "the paid amounts of the rows"
        elif total.name == "total":
            expected, basis = (
                sums["total"] + sum((c.amount for c in st.charges), zero),
                "the rows' totals and charges",
            )
        if expected is None or (not st.installments and not total.name.startswith("column:")):
            continue
        ok = expected == total.value
        checks.append(
            SelfCheck(
                code="declared-total",
                ok=ok,
                expected=total.value,
                actual=expected,
                message=(f"{total.label or total.name} is {total.value}; {basis} give {expected}"),
                evidence=(total.source,),
            )
        )
    daily_rates = [r for r in st.terms.rates if r.unit is RateUnit.DAILY]
    annual_rates = [r for r in st.terms.rates if r.unit is RateUnit.ANNUAL and not r.compound]
    for d in daily_rates:
        for a in annual_rates:
            basis_found = implied_basis(d.value, a.value)
            ok = basis_found is not None
            checks.append(
                SelfCheck(
                    code="rate-consistency",
                    ok=ok,
                    expected=a.value,
                    actual=d.value,
                    message=(
                        f"{a.text} and {d.text}: "
                        + (
                            f"consistent on a {basis_found}-day year"
                            if ok
                            else f"the ratio {a.value / d.value:.1f} is neither 360 nor 365 "
                            f"({percent(d.value * 360)} or {percent(d.value * 365)} expected)"
                        )
                    ),
                    evidence=st.terms.sources[:1],
                )
            )
    return tuple(checks)
