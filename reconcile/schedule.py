"""Loan schedules, daily accrual, penalties and payment allocation, in Decimal (RULES.md §2-3).

Money is rounded half up to the fen at each line, as lenders print it; the residue of rounding goes into the
last period, so a schedule's principal always sums to the loan exactly.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal, localcontext

from .errors import ConfigError
from .model import Rate, RepaymentMethod
from .money import normalise
from .rates import Apr, apr, daily, monthly

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
ROUNDINGS = {"half-up": ROUND_HALF_UP, "up": ROUND_CEILING, "down": ROUND_FLOOR}


def fen(value: Decimal, rounding: str = "half-up") -> Decimal:
    return value.quantize(CENT, rounding=ROUNDINGS[rounding])


# ------------------------------------------------------------------------------------------- dates


def add_months(start: date, months: int, day: int | None = None) -> date:
    """``start`` plus ``months`` calendar months on ``day`` (default: start's day), clamped to the month's end
    (a loan taken on 31 January falls due on 28/29 February)."""
    y, m = divmod(start.month - 1 + months, 12)
    year, month = start.year + y, m + 1
    last = calendar.monthrange(year, month)[1]
    return date(year, month, min(day or start.day, last))


def due_dates(start: date, periods: int, due_day: int | None = None) -> list[date]:
    """Monthly due dates after ``start``. With ``due_day``, the first due date is the first ``due_day`` at least
    one month after the start... as lenders print it: start 2024-01-10, due day 10 -> 2024-02-10, 2024-03-10."""
    if periods < 1:
        raise ConfigError("the number of periods must be at least 1")
    return [add_months(start, k, due_day) for k in range(1, periods + 1)]


def days_between(start: date, end: date, *, both_ends: bool = False) -> int:
    """Days of interest from ``start`` to ``end``: 算头不算尾 (start counted, end not), or both ends."""
    return (end - start).days + (1 if both_ends else 0)


# ------------------------------------------------------------------------------------------- schedules


@dataclass(frozen=True)
class Convention:
    """How a lender computes a schedule's interest."""

    day_count: str = "monthly"  # "monthly" (periodic rate) or "actual" (daily rate x days)
    basis: int = 360  # days in a year when converting between daily and annual rates
    both_ends: bool = False  # actual days counting both the start and the end day
    rounding: str = "half-up"  # "half-up", "up" (ceiling: overcharges), "down"

    def describe(self) -> str:
        if self.day_count == "monthly":
            days = "monthly rate = annual / 12"
        else:
            days = "actual days" + (" counting both ends" if self.both_ends else " (算头不算尾)")
        return f"{days}; {self.basis}-day year; rounding {self.rounding} to the fen"


@dataclass(frozen=True)
class ScheduleRow:
    period: int
    due_date: date
    opening: Decimal
    principal: Decimal
    interest: Decimal
    fee: Decimal
    payment: Decimal  # principal + interest + fee
    closing: Decimal
    days: int


@dataclass(frozen=True)
class Schedule:
    principal: Decimal
    rate: Rate
    method: RepaymentMethod
    start: date
    convention: Convention
    rows: tuple[ScheduleRow, ...]
    upfront_fee: Decimal = ZERO

    @property
    def total_interest(self) -> Decimal:
        return sum((r.interest for r in self.rows), ZERO)

    @property
    def total_fees(self) -> Decimal:
        return sum((r.fee for r in self.rows), self.upfront_fee)

    @property
    def total_payment(self) -> Decimal:
        return sum((r.payment for r in self.rows), ZERO)

    def apr(self) -> Apr:
        """APR on the net amount received (principal less any fee deducted up front) and every payment."""
        return apr(self.principal - self.upfront_fee, [r.payment for r in self.rows])


@dataclass(frozen=True)
class Fees:
    upfront: Decimal = ZERO  # deducted from the amount paid out
    per_period: Decimal = ZERO  # charged every period (花呗 installment fee)
    total_rate: Decimal = ZERO  # total fee as a fraction of principal, spread evenly (花呗 12 periods: 0.088)
    extra: dict[int, Decimal] = field(default_factory=dict)  # period -> one-off fee


def build_schedule(
    principal: Decimal,
    rate: Rate,
    periods: int,
    method: RepaymentMethod,
    start: date,
    *,
    due_day: int | None = None,
    convention: Convention = Convention(),
    fees: Fees = Fees(),
) -> Schedule:
    """The schedule a contract implies. Rates: a daily rate is converted with ``convention.basis``."""
    if principal <= 0:
        raise ConfigError("the principal must be positive")
    principal = normalise(principal)
    if method is RepaymentMethod.FLEXIBLE:
        raise ConfigError("随借随还 loans have no fixed schedule; use accrue() on the balance timeline")
    dates = (
        due_dates(start, periods, due_day)
        if method is not RepaymentMethod.BULLET
        else [add_months(start, periods, due_day)]
    )
    n = len(dates)
    r = convention.rounding
    with localcontext() as ctx:
        ctx.prec = 40
        i = monthly(rate, convention.basis)
        d = daily(rate, convention.basis)
        per_fee = fees.per_period + (fen(principal * fees.total_rate / n) if fees.total_rate else ZERO)
        level = ZERO
        if method is RepaymentMethod.EQUAL_INSTALLMENT:
            growth = (1 + i) ** n
            level = fen(principal * i * growth / (growth - 1), r) if i else fen(principal / n, r)
        even = (
            fen(principal / n, "down")
            if method in (RepaymentMethod.EQUAL_PRINCIPAL, RepaymentMethod.FLAT)
            else ZERO
        )
        rows: list[ScheduleRow] = []
        balance = principal
        previous = start
        for k, due in enumerate(dates, start=1):
            days = days_between(previous, due, both_ends=convention.both_ends)
            if method is RepaymentMethod.FLAT:
                interest = fen(principal * i, r)
            elif convention.day_count == "actual":
                interest = fen(balance * d * days, r)
            elif method is RepaymentMethod.BULLET:
                interest = fen(balance * i * periods, r)
            else:
                interest = fen(balance * i, r)
            last = k == n
            if last or method in (RepaymentMethod.INTEREST_ONLY, RepaymentMethod.BULLET):
                part = balance if last else ZERO
            elif method is RepaymentMethod.EQUAL_INSTALLMENT:
                part = min(level - interest, balance)
            else:
                part = even
            fee = per_fee + fees.extra.get(k, ZERO)
            rows.append(
                ScheduleRow(k, due, balance, part, interest, fee, part + interest + fee, balance - part, days)
            )
            balance -= part
            previous = due
    return Schedule(principal, rate, method, start, convention, tuple(rows), fees.upfront)


# ------------------------------------------------------------------------------------------- daily accrual


@dataclass(frozen=True)
class Accrual:
    start: date
    end: date
    balance: Decimal
    days: int
    interest: Decimal


def accrue(
    principal: Decimal,
    rate: Rate,
    start: date,
    end: date,
    repayments: Sequence[tuple[date, Decimal]] = (),
    *,
    basis: int = 360,
    both_ends: bool = False,
) -> list[Accrual]:
    """Interest on a 随借随还 balance (借呗 / 微粒贷 style): segments between repayments, each ``balance x daily x
    days`` rounded to the fen. A repayment of principal stops accrual on the repaid part from its date."""
    d = daily(rate, basis)
    events = sorted((day, amount) for day, amount in repayments if start <= day <= end)
    out: list[Accrual] = []
    balance, cursor = principal, start
    for day, amount in [*events, (end, ZERO)]:
        if day > cursor and balance > 0:
            days = days_between(cursor, day)
            out.append(Accrual(cursor, day, balance, days, fen(balance * d * days)))
        balance = max(balance - amount, ZERO)
        cursor = max(cursor, day)
    if both_ends and out:
        last = out[-1]
        out[-1] = Accrual(
            last.start, last.end, last.balance, last.days + 1, fen(last.balance * d * (last.days + 1))
        )
    return out


# ------------------------------------------------------------------------------------------- penalties


def penalty(
    overdue: Decimal,
    rate: Rate,
    due: date,
    paid: date,
    *,
    multiplier: Decimal = Decimal("1.5"),
    grace_days: int = 0,
    basis: int = 360,
) -> tuple[Decimal, int]:
    """罚息 on overdue principal: ``overdue x daily rate x multiplier x days`` from the day after the due date
    (plus grace days) to the payment date. Returns (penalty, days). Within the grace period nothing is due.

    Compound interest on overdue *interest* is the same computation on the interest amount; charge it only
    when the contract says so (RULES.md §1.5)."""
    days = (paid - due).days
    if days <= grace_days:
        return ZERO, 0
    with localcontext() as ctx:
        ctx.prec = 40
        return fen(overdue * daily(rate, basis) * multiplier * days), days


# ------------------------------------------------------------------------------------------- allocation


@dataclass(frozen=True)
class Debt:
    """What one installment still owes, by component."""

    period: int
    due: date
    costs: Decimal = ZERO  # fees and enforcement costs
    interest: Decimal = ZERO  # interest and penalty interest
    principal: Decimal = ZERO


@dataclass(frozen=True)
class Allocation:
    period: int
    costs: Decimal
    interest: Decimal
    principal: Decimal

    @property
    def total(self) -> Decimal:
        return self.costs + self.interest + self.principal


def allocate(amount: Decimal, debts: Sequence[Debt]) -> tuple[list[Allocation], Decimal]:
    """Apply a payment oldest due first across installments (Civil Code Art. 560) and, within each, to costs,
    then interest, then principal (Art. 561). Returns the allocations and what is left over."""
    left = amount
    out: list[Allocation] = []
    for debt in sorted(debts, key=lambda d: (d.due, d.period)):
        parts = []
        for owed in (debt.costs, debt.interest, debt.principal):
            take = min(owed, left)
            parts.append(take)
            left -= take
        if any(parts):
            out.append(Allocation(debt.period, *parts))
        if not left:
            break
    return out, left


# ------------------------------------------------------------------------------------------- fitting


@dataclass(frozen=True)
class PrintedRow:
    """A row of a lender's schedule as printed: what fitting compares against."""

    period: int
    due_date: date | None
    principal: Decimal
    interest: Decimal


@dataclass(frozen=True)
class Fit:
    """The convention that best reproduces a printed schedule, with the residual (printed - recomputed) of each
    row's interest. Rows off by more than nothing are listed in ``mismatches``."""

    convention: Convention
    expected: tuple[Decimal, ...]
    residuals: tuple[Decimal, ...]
    mismatches: tuple[int, ...]  # periods whose interest the convention does not reproduce
    candidates: int
    ties: tuple[Convention, ...] = ()  # other conventions that fit exactly as well (indistinguishable here)

    @property
    def exact(self) -> bool:
        return not self.mismatches


CANDIDATES: tuple[Convention, ...] = tuple(
    Convention(day_count, basis, both_ends, rounding)
    for rounding in ("half-up", "up", "down")
    for day_count in ("monthly", "actual")
    for basis in (360, 365)
    for both_ends in ((False, True) if day_count == "actual" else (False,))
)


def fit_convention(
    printed: Sequence[PrintedRow],
    principal: Decimal,
    rate: Rate,
    start: date,
    method: RepaymentMethod = RepaymentMethod.EQUAL_INSTALLMENT,
    candidates: Sequence[Convention] = CANDIDATES,
) -> Fit:
    """Which convention (day count, 360/365, both ends or not, rounding) reproduces the printed interest.

    Each row is recomputed from the balance the lender itself printed before it (the loan less the principal
    of earlier rows), so one wrong row stands out instead of making every later row look wrong. The best
    convention has the fewest mismatching rows, then the smallest total absolute residual.
    """
    rows = sorted(printed, key=lambda r: r.period)
    if not rows:
        raise ConfigError("no schedule rows to fit")
    scored: list[tuple[tuple[int, Decimal], Fit]] = []
    for conv in candidates:
        expected = _recompute(rows, principal, rate, start, method, conv)
        residuals = tuple(r.interest - e for r, e in zip(rows, expected, strict=True))
        mismatches = tuple(r.period for r, res in zip(rows, residuals, strict=True) if res)
        score = (len(mismatches), sum((abs(x) for x in residuals), ZERO))
        scored.append((score, Fit(conv, expected, residuals, mismatches, len(candidates))))
    best_score = min(score for score, _ in scored)
    winners = [fit for score, fit in scored if score == best_score]
    ties = tuple(f.convention for f in winners[1:])
    return replace(winners[0], ties=ties)


def _recompute(
    rows: Sequence[PrintedRow],
    principal: Decimal,
    rate: Rate,
    start: date,
    method: RepaymentMethod,
    conv: Convention,
) -> tuple[Decimal, ...]:
    with localcontext() as ctx:
        ctx.prec = 40
        i = monthly(rate, conv.basis)
        d = daily(rate, conv.basis)
        out = []
        balance, previous = principal, start
        for row in rows:
            due = row.due_date or add_months(previous, 1)
            if method is RepaymentMethod.FLAT:
                value = principal * i
            elif conv.day_count == "actual":
                value = balance * d * days_between(previous, due, both_ends=conv.both_ends)
            else:
                value = balance * i
            out.append(fen(value, conv.rounding))
            balance -= row.principal
            previous = due
    return tuple(out)
