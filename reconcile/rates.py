"""Rates in Decimal: parsing as documents write them, conversions, IRR / XIRR / APR, and the legal caps.

APR follows PBoC Announcement 〔2021〕No. 3 (RULES.md §1.3): cash flows are the net amount actually received
(fees deducted up front reduce it) and every payment including fees; the periodic IRR is annualised simply
(x12, "单利") or compounded ((1+r)^12 - 1, "复利"). Caps follow RULES.md §1.1: findings say "exceeds X, review",
never "illegal".
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, localcontext
from functools import lru_cache
from importlib import resources

from .errors import ConfigError, ParseError, ReconcileError
from .model import Rate, RateUnit

ONE = Decimal(1)
_PRECISION = 40


class ConvergenceError(ReconcileError):
    """An IRR that does not exist or could not be bracketed: said, never returned as a guess."""

    default_hint = "check the cash flows: there must be money out and money in"


# ------------------------------------------------------------------------------------------- parsing

_UNIT_WORDS = {
    RateUnit.DAILY: ("/day", "/d", "per day", "daily", "日利率", "日息", "日", "天", "/日", "每日", "每天"),
    RateUnit.MONTHLY: ("/month", "/m", "per month", "monthly", "月利率", "月息", "月", "/月", "每月"),
    RateUnit.ANNUAL: (
        "/year",
        "/yr",
        "/y",
        "per year",
        "annual",
        "p.a.",
        "年化利率",
        "年利率",
        "年化",
        "年",
        "/年",
    ),
}
_NUMBER = re.compile(r"(\d+(?:\.\d+)?)\s*(%|‰|‱)?")


def parse_rate(text: str, *, default_unit: RateUnit | None = None) -> Rate:
    """``0.04%/day``, ``10.8%/year``, ``0.9%/month``, ``日利率0.05%``, ``年化利率（单利）10.8%``,
    ``年化利率(复利)11.35%``,
    ``万分之五/日`` (0.05%), ``0.0004/day``. The unit must be stated unless ``default_unit`` is given."""
    original = text
    s = unicodedata.normalize("NFKC", text).strip().lower()
    compound = "复利" in s or "compound" in s
    s = s.replace("(单利)", "").replace("(复利)", "").replace("单利", "").replace("复利", "")
    wan = re.search(r"(万|千)分之([一二三四五六七八九十\d.]+)", s)
    if wan:
        digits = "一二三四五六七八九"
        token = wan.group(2)
        number = Decimal(digits.index(token) + 1) if token in digits else Decimal(token)
        value = number / Decimal(10000 if wan.group(1) == "万" else 1000)
        s = s.replace(wan.group(0), "")
    else:
        m = _NUMBER.search(s)
        if not m:
            raise ParseError(f"not a rate: {original!r}")
        number = Decimal(m.group(1))
        scale = {"%": Decimal(100), "‰": Decimal(1000), "‱": Decimal(10000), None: ONE}[m.group(2)]
        value = number / scale
        s = s[: m.start()] + s[m.end() :]
    unit = None
    for candidate, words in _UNIT_WORDS.items():
        if any(w in s for w in words):
            unit = candidate
            break
    unit = unit or default_unit
    if unit is None:
        raise ParseError(f"rate {original!r} does not say per day, month or year (e.g. 0.04%/day)")
    if value < 0 or value >= 1:
        raise ParseError(f"rate out of range: {original!r}")
    return Rate(value=value, unit=unit, compound=compound, text=original.strip())


def annual(rate: Rate, basis: int | None = None) -> Decimal:
    """The nominal annual rate: daily x basis (360 unless stated), monthly x 12."""
    if rate.unit is RateUnit.ANNUAL:
        return rate.value
    if rate.unit is RateUnit.MONTHLY:
        return rate.value * 12
    return rate.value * (basis or rate.basis or 360)


def monthly(rate: Rate, basis: int | None = None) -> Decimal:
    """The periodic monthly rate: annual / 12 (a daily rate via its annual equivalent: daily x basis / 12)."""
    if rate.unit is RateUnit.MONTHLY:
        return rate.value
    with localcontext() as ctx:
        ctx.prec = _PRECISION
        return annual(rate, basis) / 12


def daily(rate: Rate, basis: int | None = None) -> Decimal:
    """The daily rate: as stated, or annual / basis (360 unless stated)."""
    if rate.unit is RateUnit.DAILY:
        return rate.value
    with localcontext() as ctx:
        ctx.prec = _PRECISION
        return annual(rate, basis) / (basis or rate.basis or 360)


def implied_basis(
    daily_rate: Decimal, annual_rate: Decimal, tolerance: Decimal = Decimal("0.0005")
) -> int | None:
    """360 or 365 when the printed annual rate is daily x 360 or x 365 (within ``tolerance``, e.g. rounding of
    the printed figure); None when it is neither (a disclosure inconsistency)."""
    for basis in (360, 365):
        if abs(daily_rate * basis - annual_rate) <= tolerance:
            return basis
    return None


def percent(value: Decimal, places: int = 2) -> str:
    """``0.1080`` -> ``"10.80%"``."""
    return f"{(value * 100).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)}%"


# ------------------------------------------------------------------------------------------- IRR / APR


def _npv(rate: Decimal, flows: Sequence[Decimal]) -> Decimal:
    total = Decimal(0)
    factor = ONE
    base = ONE + rate
    for flow in flows:
        total += flow / factor
        factor *= base
    return total


def irr(
    flows: Sequence[Decimal], *, tolerance: Decimal = Decimal("1e-12"), max_iterations: int = 400
) -> Decimal:
    """The periodic internal rate of return of equally spaced cash flows, by bisection in Decimal.

    The flows must change sign; the rate is searched in (-99.99%, 10^8 %) per period. Raises
    `ConvergenceError` rather than return a guess.
    """
    if not any(f < 0 for f in flows) or not any(f > 0 for f in flows):
        raise ConvergenceError("an IRR needs money both paid out and received")
    with localcontext() as ctx:
        ctx.prec = _PRECISION
        lo, hi = Decimal("-0.9999"), Decimal("1e6")
        f_lo, f_hi = _npv(lo, flows), _npv(hi, flows)
        if f_lo == 0:
            return lo
        if (f_lo > 0) == (f_hi > 0):
            raise ConvergenceError("the cash flows have no IRR in a sensible range")
        for _ in range(max_iterations):
            mid = (lo + hi) / 2
            f_mid = _npv(mid, flows)
            if f_mid == 0 or hi - lo < tolerance:
                return +mid
            if (f_mid > 0) == (f_lo > 0):
                lo, f_lo = mid, f_mid
            else:
                hi = mid
    raise ConvergenceError(f"the IRR did not converge in {max_iterations} steps")


def xirr(flows: Sequence[tuple[date, Decimal]], *, tolerance: Decimal = Decimal("1e-12")) -> Decimal:
    """The effective annual rate R with sum CF_i / (1+R)^((d_i - d_0)/365) = 0, by bisection in Decimal."""
    if not flows:
        raise ConvergenceError("no cash flows")
    if not any(f < 0 for _, f in flows) or not any(f > 0 for _, f in flows):
        raise ConvergenceError("an IRR needs money both paid out and received")
    d0 = min(d for d, _ in flows)
    with localcontext() as ctx:
        ctx.prec = _PRECISION
        years = [(Decimal((d - d0).days) / 365, f) for d, f in flows]

        def npv(rate: Decimal) -> Decimal:
            base = (ONE + rate).ln()
            return sum((f / (t * base).exp() for t, f in years), Decimal(0))

        lo, hi = Decimal("-0.9999"), Decimal("1e9")
        f_lo, f_hi = npv(lo), npv(hi)
        if (f_lo > 0) == (f_hi > 0):
            raise ConvergenceError("the cash flows have no XIRR in a sensible range")
        for _ in range(400):
            mid = (lo + hi) / 2
            f_mid = npv(mid)
            if f_mid == 0 or hi - lo < tolerance:
                return +mid
            if (f_mid > 0) == (f_lo > 0):
                lo, f_lo = mid, f_mid
            else:
                hi = mid
    raise ConvergenceError("the XIRR did not converge")


@dataclass(frozen=True)
class Apr:
    """An APR computed from cash flows: the periodic IRR and its simple and compound annualisations."""

    periodic: Decimal
    periods_per_year: int
    simple: Decimal  # 单利: periodic x periods_per_year
    compound: Decimal  # 复利: (1 + periodic)^periods_per_year - 1

    def describe(self) -> str:
        return f"{percent(self.simple)} (单利/simple), {percent(self.compound)} (复利/compound)"


def apr(net_received: Decimal, payments: Sequence[Decimal], periods_per_year: int = 12) -> Apr:
    """APR of a loan paying out ``net_received`` now (after any fee deducted up front) against ``payments`` at
    the end of each period (principal + interest + every fee)."""
    r = irr([-net_received, *payments])
    with localcontext() as ctx:
        ctx.prec = _PRECISION
        return Apr(r, periods_per_year, r * periods_per_year, (ONE + r) ** periods_per_year - ONE)


# ------------------------------------------------------------------------------------------- LPR and caps


@dataclass(frozen=True)
class Lpr:
    published: date
    one_year: Decimal  # as a fraction: 3.35% -> 0.0335
    five_year: Decimal
    cap_4x: Decimal


@lru_cache(maxsize=1)
def lpr_table() -> tuple[Lpr, ...]:
    """The packaged one-year LPR history (reconcile/data/lpr_1y.csv; source in data/README.md)."""
    text = resources.files("reconcile").joinpath("data/lpr_1y.csv").read_text(encoding="utf-8")
    rows = []
    for row in csv.DictReader(text.splitlines()):
        rows.append(
            Lpr(
                date.fromisoformat(row["published"]),
                Decimal(row["lpr_1y"]) / 100,
                Decimal(row["lpr_5y"]) / 100,
                Decimal(row["cap_4x_1y"]) / 100,
            )
        )
    return tuple(sorted(rows, key=lambda r: r.published))


def lpr_at(day: date) -> Lpr:
    """The one-year LPR in force on ``day``: the latest published on or before it (RULES.md §1.6 lookup rule)."""
    table = lpr_table()
    if day < table[0].published:
        raise ConfigError(
            f"no LPR before {table[0].published} (the LPR regime began then); {day} is earlier",
            hint="for contracts before 2019-08-20 use --cap 24 or --cap 36",
        )
    current = table[0]
    for entry in table:
        if entry.published <= day:
            current = entry
        else:
            break
    return current


NEW_REGIME = date(2020, 8, 20)
LICENSED = ("bank", "consumer-finance", "micro-lender", "card")


@dataclass(frozen=True)
class Cap:
    rate: Decimal
    name: str  # "4x-lpr", "24", "36"
    basis: str  # what the cap relies on, for the finding's citation
    basis_zh: str = ""  # the same in Chinese


def applicable_cap(contract_date: date, lender_type: str = "consumer-finance", choice: str = "auto") -> Cap:
    """The annual cost cap a finding compares against (RULES.md §1.1-1.2, check C02/C03).

    ``choice``: ``4x-lpr``, ``24``, ``36`` or ``auto``. ``auto`` picks 4x the one-year LPR at the contract date
    for private lenders on contracts from 2020-08-20 (24% before), and the 24% review line for licensed
    lenders (banks, consumer finance companies such as 重庆蚂蚁消费金融, WeBank, micro-lenders).
    """
    if choice == "4x-lpr" or (choice == "auto" and lender_type == "private" and contract_date >= NEW_REGIME):
        entry = lpr_at(contract_date)
        return Cap(
            entry.cap_4x,
            "4x-lpr",
            f"4 x one-year LPR {percent(entry.one_year)} published {entry.published} "
            "(SPC private-lending provisions Art. 25)",
            f"{entry.published} 发布的一年期贷款市场报价利率（LPR）{percent(entry.one_year)} 的四倍"
            "（《最高人民法院关于审理民间借贷案件适用法律若干问题的规定》第二十五条）",
        )
    if choice == "36":
        return Cap(
            Decimal("0.36"),
            "36",
            "36%: above any protected level (2015 SPC provisions; 现金贷 notice 2017)",
            "年利率36%：超过任何受法律保护的水平（2015年民间借贷司法解释；2017年《关于规范整顿“现金贷”业务的通知》）",
        )
    if choice in ("24", "auto"):
        return Cap(
            Decimal("0.24"),
            "24",
            "24% combined cost: court practice and regulatory guidance for licensed "
            "lenders (法发〔2017〕22号; consumer-finance window guidance)",
            "综合融资成本年化24%：司法实践及对持牌机构的监管要求（法发〔2017〕22号；消费金融窗口指导）",
        )
    raise ConfigError(f"unknown cap {choice!r}; use auto, 4x-lpr, 24 or 36")
