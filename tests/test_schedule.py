"""Loan maths: every worked example in RULES.md reproduces to the fen, plus invariants."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reconcile.errors import ConfigError, ParseError
from reconcile.model import RateUnit, RepaymentMethod
from reconcile.rates import (
    ConvergenceError,
    annual,
    applicable_cap,
    apr,
    implied_basis,
    irr,
    lpr_at,
    parse_rate,
    percent,
    xirr,
)
from reconcile.schedule import (
    Convention,
    Debt,
    Fees,
    PrintedRow,
    accrue,
    add_months,
    allocate,
    build_schedule,
    fit_convention,
    penalty,
)

D = Decimal
EI, EP, IO, BULLET, FLAT = (
    RepaymentMethod.EQUAL_INSTALLMENT,
    RepaymentMethod.EQUAL_PRINCIPAL,
    RepaymentMethod.INTEREST_ONLY,
    RepaymentMethod.BULLET,
    RepaymentMethod.FLAT,
)


def test_equal_installment_worked_example() -> None:
    s = build_schedule(D("10000"), parse_rate("10.8%/year"), 12, EI, date(2024, 1, 15))
    assert (
        s.rows[0].payment == D("882.88")
        and s.rows[0].interest == D("90.00")
        and s.rows[0].principal == D("792.88")
    )
    assert s.rows[1].interest == D("82.86")
    assert all(r.payment == D("882.88") for r in s.rows[:-1])
    assert (s.rows[-1].payment, s.rows[-1].interest) == (D("882.93"), D("7.88"))
    assert s.total_interest == D("594.61")
    a = s.apr()
    assert percent(a.simple) == "10.80%" and percent(a.compound) == "11.35%"


def test_equal_installment_xirr_on_actual_dates() -> None:
    s = build_schedule(D("10000"), parse_rate("10.8%/year"), 12, EI, date(2024, 1, 15))
    flows = [(date(2024, 1, 15), D("-10000"))] + [(r.due_date, r.payment) for r in s.rows]
    assert percent(xirr(flows)) == "11.34%"


def test_equal_principal_worked_example() -> None:
    s = build_schedule(D("10000"), parse_rate("10.8%/year"), 12, EP, date(2024, 1, 15))
    assert [r.payment for r in s.rows[:2]] == [D("923.33"), D("915.83")]
    assert s.rows[-1].payment == D("840.87")
    assert s.total_interest == D("585.00")


def test_flat_rate_true_apr() -> None:
    s = build_schedule(D("10000"), parse_rate("0.5%/month"), 12, FLAT, date(2024, 1, 15))
    assert s.rows[0].payment == D("883.33")
    assert percent(s.apr().simple) == "10.90%"


def test_pboc_apr_example() -> None:
    a = apr(D("99000"), [D("8833.33")] * 12)
    assert percent(a.periodic) == "1.07%" and f"{a.periodic * 100:.4f}" == "1.0670"
    assert (percent(a.simple), percent(a.compound)) == ("12.80%", "13.58%")
    b = apr(D("100000"), [D("8833.33")] * 12)
    assert (percent(b.simple), percent(b.compound)) == ("10.90%", "11.46%")


def test_huabei_installment_apr() -> None:
    s = build_schedule(
        D("1200"), parse_rate("0%/month"), 12, EP, date(2024, 3, 1), fees=Fees(total_rate=D("0.088"))
    )
    assert all(r.payment == D("108.80") for r in s.rows)
    assert (percent(s.apr().simple), percent(s.apr().compound)) == ("15.86%", "17.07%")


def test_daily_interest_examples() -> None:
    (seg,) = accrue(D("10000"), parse_rate("0.03%/day"), date(2024, 1, 1), date(2024, 2, 1))
    assert (seg.days, seg.interest) == (31, D("93.00"))
    s = build_schedule(
        D("2500"), parse_rate("0.05%/day"), 5, EP, date(2024, 5, 1), convention=Convention("actual")
    )
    assert [r.days for r in s.rows] == [31, 30, 31, 31, 30]
    assert [r.interest for r in s.rows] == [D("38.75"), D("30.00"), D("23.25"), D("15.50"), D("7.50")]


def test_early_repayment_stops_accrual_on_the_repaid_part() -> None:
    segs = accrue(
        D("10000"),
        parse_rate("0.05%/day"),
        date(2024, 1, 1),
        date(2024, 1, 31),
        [(date(2024, 1, 11), D("4000")), (date(2024, 1, 21), D("6000"))],
    )
    assert [(s.balance, s.days, s.interest) for s in segs] == [
        (D("10000"), 10, D("50.00")),
        (D("6000"), 10, D("30.00")),
    ]


def test_penalty_examples() -> None:
    assert penalty(D("1000"), parse_rate("0.03%/day"), date(2024, 1, 10), date(2024, 1, 20)) == (
        D("4.50"),
        10,
    )
    assert penalty(D("93.00"), parse_rate("0.03%/day"), date(2024, 1, 10), date(2024, 1, 20))[0] == D("0.42")
    assert penalty(
        D("1000"), parse_rate("0.03%/day"), date(2024, 1, 10), date(2024, 1, 12), grace_days=3
    ) == (D("0.00"), 0)


def test_allocation_example_and_order() -> None:
    (alloc,), left = allocate(D("1000"), [Debt(1, date(2024, 1, 1), D("50"), D("200"), D("5000"))])
    assert (alloc.costs, alloc.interest, alloc.principal, left) == (D("50"), D("200"), D("750"), D("0"))
    allocations, left = allocate(
        D("1500"),
        [
            Debt(2, date(2024, 2, 1), D("0"), D("80"), D("1000")),
            Debt(1, date(2024, 1, 1), D("0"), D("90"), D("1000")),
        ],
    )
    assert [a.period for a in allocations] == [1, 2]  # oldest due first
    assert allocations[0].total == D("1090") and allocations[1].interest == D("80")


def test_lpr_lookup_and_caps() -> None:
    assert lpr_at(date(2024, 10, 20)).one_year == D("0.0335")
    assert lpr_at(date(2024, 10, 21)).one_year == D("0.0310")
    assert applicable_cap(date(2021, 1, 10), "private").rate == D("0.154")
    assert applicable_cap(date(2024, 1, 1), "consumer-finance").rate == D("0.24")
    assert applicable_cap(date(2024, 1, 1), choice="36").rate == D("0.36")
    with pytest.raises(ConfigError):
        lpr_at(date(2019, 1, 1))


def test_rate_parsing_and_basis() -> None:
    assert parse_rate("0.04%/day").value == D("0.0004") and parse_rate("日利率0.05%").unit is RateUnit.DAILY
    assert parse_rate("年化利率（复利）11.35%").compound
    assert parse_rate("万分之五/日").value == D("0.0005")
    assert annual(parse_rate("0.03%/day"), 360) == D("0.108") and annual(parse_rate("0.03%/day"), 365) == D(
        "0.1095"
    )
    assert implied_basis(D("0.0005"), D("0.1825")) == 365 and implied_basis(D("0.0005"), D("0.20")) is None
    with pytest.raises(ParseError):
        parse_rate("12")


def test_irr_never_guesses() -> None:
    with pytest.raises(ConvergenceError):
        irr([D("100"), D("100")])
    with pytest.raises(ConvergenceError):
        xirr([(date(2024, 1, 1), D("-100"))])


def test_month_ends() -> None:
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2023, 1, 31), 1) == date(2023, 2, 28)
    assert add_months(date(2024, 1, 10), 1, 31) == date(2024, 2, 29)


def test_fitting_finds_the_convention_and_the_wrong_row() -> None:
    rate = parse_rate("0.05%/day")
    s = build_schedule(
        D("12000"), rate, 12, EP, date(2024, 1, 10), convention=Convention("actual", 365, True)
    )
    rows = [PrintedRow(r.period, r.due_date, r.principal, r.interest) for r in s.rows]
    fit = fit_convention(rows, D("12000"), rate, date(2024, 1, 10), EP)
    assert fit.exact and fit.convention.day_count == "actual" and fit.convention.both_ends
    rows[6] = PrintedRow(7, rows[6].due_date, rows[6].principal, rows[6].interest + D("2.00"))
    fit = fit_convention(rows, D("12000"), rate, date(2024, 1, 10), EP)
    assert fit.mismatches == (7,) and fit.residuals[6] == D("2.00")
    annual_rate = parse_rate("10.8%/year")
    ceiling = build_schedule(
        D("10000"), annual_rate, 12, EI, date(2024, 1, 15), convention=Convention(rounding="up")
    )
    fit = fit_convention(
        [PrintedRow(r.period, r.due_date, r.principal, r.interest) for r in ceiling.rows],
        D("10000"),
        annual_rate,
        date(2024, 1, 15),
        EI,
    )
    assert fit.exact and fit.convention.rounding == "up"


methods = st.sampled_from([EI, EP, IO, BULLET, FLAT])


@settings(max_examples=60, deadline=None)
@given(
    principal=st.decimals(min_value=D("100"), max_value=D("1000000"), places=2),
    annual_pct=st.decimals(min_value=D("1"), max_value=D("36"), places=2),
    periods=st.integers(min_value=1, max_value=36),
    method=methods,
    actual=st.booleans(),
)
def test_schedule_invariants(
    principal: Decimal, annual_pct: Decimal, periods: int, method: RepaymentMethod, actual: bool
) -> None:
    rate = parse_rate(f"{annual_pct}%/year")
    s = build_schedule(
        principal,
        rate,
        periods,
        method,
        date(2024, 1, 31),
        convention=Convention("actual" if actual else "monthly"),
    )
    assert sum(r.principal for r in s.rows) == principal
    assert all(r.opening >= 0 and r.closing >= 0 and r.principal >= 0 and r.interest >= 0 for r in s.rows)
    assert s.rows[-1].closing == 0
    assert all(r.payment == r.principal + r.interest + r.fee for r in s.rows)


@settings(max_examples=40, deadline=None)
@given(
    principal=st.decimals(min_value=D("1000"), max_value=D("500000"), places=2),
    annual_pct=st.decimals(min_value=D("2"), max_value=D("36"), places=1),
    periods=st.integers(min_value=3, max_value=36),
    method=st.sampled_from([EI, EP, IO]),
)
def test_irr_of_a_schedule_returns_its_rate(
    principal: Decimal, annual_pct: Decimal, periods: int, method: RepaymentMethod
) -> None:
    s = build_schedule(principal, parse_rate(f"{annual_pct}%/year"), periods, method, date(2024, 1, 15))
    # rounding each line to the fen moves the IRR by a hair; 0.05 percentage points covers it
    assert abs(s.apr().simple - annual_pct / 100) < D("0.0005")


@given(
    amount=st.decimals(min_value=D("0"), max_value=D("100000"), places=2),
    debts=st.lists(
        st.tuples(
            st.integers(1, 24),
            st.decimals(0, 1000, places=2),
            st.decimals(0, 1000, places=2),
            st.decimals(0, 10000, places=2),
        ),
        max_size=8,
    ),
)
def test_allocation_conserves_money(
    amount: Decimal, debts: list[tuple[int, Decimal, Decimal, Decimal]]
) -> None:
    items = [Debt(p, add_months(date(2024, 1, 1), p), c, i, pr) for p, c, i, pr in debts]
    allocations, left = allocate(amount, items)
    assert sum(a.total for a in allocations) + left == amount
    assert left == 0 or left == amount - sum(d.costs + d.interest + d.principal for d in items)


@settings(max_examples=50, deadline=None)
@given(
    st.lists(st.decimals(min_value=D("1"), max_value=D("5000"), places=2), min_size=2, max_size=24),
    st.decimals(min_value=D("0.5"), max_value=D("0.99"), places=2),
)
def test_irr_and_xirr_agree_with_pyxirr(payments: list[Decimal], share: Decimal) -> None:
    """Cross-check against an independent implementation (pyxirr, in Rust, on floats)."""
    import pyxirr

    outlay = (sum(payments) * share).quantize(D("0.01"))
    flows = [-outlay, *payments]
    ours = irr(flows)
    theirs = pyxirr.irr([float(f) for f in flows])
    assert theirs is not None and abs(float(ours) - theirs) <= 1e-7 * max(1.0, abs(theirs))
    dated = [(add_months(date(2024, 1, 5), k), f) for k, f in enumerate(flows)]
    ours_x = xirr(dated)
    theirs_x = pyxirr.xirr([d for d, _ in dated], [float(f) for _, f in dated])
    assert theirs_x is not None and abs(float(ours_x) - theirs_x) <= 1e-6 * max(1.0, abs(theirs_x))
