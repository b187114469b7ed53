"""A statement checked against itself: row arithmetic, the totals it declares against its rows, and whether the
daily and annual rates it prints agree on a 360- or 365-day year.

A declared total such as 剩余应还 or 当前逾期金额 can be meant in more than one way (with or without the one-off
charges, counting a partly paid row's unpaid part or its whole amount); it agrees with the rows when any of
those readings gives it, so a statement is never said to contradict itself over a way of counting.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from ..model import Installment, RateUnit, SelfCheck, Statement
from ..rates import implied_basis, percent
from ..vocab import AMOUNT_FIELDS, FIELD_ZH, OVERDUE_STATUSES, PAID_STATUSES

ZERO = Decimal("0.00")


def _unpaid_part(i: Installment) -> Decimal:
    if i.outstanding is not None:
        return i.outstanding
    return (i.total or ZERO) - (i.paid or ZERO)


def self_checks(st: Statement) -> tuple[SelfCheck, ...]:
    """The statement against itself: row arithmetic, declared totals against row sums, rate consistency."""
    checks: list[SelfCheck] = []
    for inst in st.installments:
        parts = [inst.principal, inst.interest, inst.penalty, inst.fees]
        if inst.total is not None and any(p is not None for p in parts):
            computed = sum((p for p in parts if p is not None), ZERO)
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
                    message_zh=(
                        f"第{inst.period}期：本金 + 利息 + 罚息 + 费用 = {computed}"
                        f"{'' if ok else '，但该行合计为 ' + str(inst.total)}"
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
                    message_zh=(
                        f"第{inst.period}期：已还 + 未还 = {computed}"
                        f"{'' if ok else '，但应还合计为 ' + str(inst.total)}"
                    ),
                    evidence=(inst.source,),
                )
            )
    checks += _declared(st)
    checks += _rates(st)
    return tuple(checks)


def _declared(st: Statement) -> list[SelfCheck]:
    """Each declared total against the readings of the rows that could give it (`_readings`)."""
    checks: list[SelfCheck] = []
    sums = {f: sum((getattr(i, f) or ZERO for i in st.installments), ZERO) for f in AMOUNT_FIELDS}
    charges = sum((c.amount for c in st.charges if c.kind in ("fee", "penalty", "interest")), ZERO)
    unpaid = [i for i in st.installments if not _settled(i)]
    overdue = [i for i in st.installments if any(s in i.status.lower() for s in OVERDUE_STATUSES)]
    for total in st.declared_totals:
        readings = _readings(st, total.name, sums, charges, unpaid, overdue)
        if not readings or (not st.installments and not total.name.startswith("column:")):
            continue
        match = next((r for r in readings if r[0] == total.value), None)
        value, basis, basis_zh = match or readings[0]
        label = total.label or total.name
        checks.append(
            SelfCheck(
                code="declared-total",
                ok=match is not None,
                expected=total.value,
                actual=value,
                message=f"{label} is {total.value}; {basis} give {value}",
                message_zh=f"{label}为 {total.value}；{basis_zh}为 {value}",
                evidence=(total.source,),
            )
        )
    return checks


def _readings(
    st: Statement,
    name: str,
    sums: dict[str, Decimal],
    charges: Decimal,
    unpaid: Sequence[Installment],
    overdue: Sequence[Installment],
) -> list[tuple[Decimal, str, str]]:
    """The values a declared total of this name may mean, each with its basis (in English and Chinese): none
    for a name the rows cannot give."""
    readings: list[tuple[Decimal, str, str]] = []  # value, basis (en), basis (zh)
    if name.startswith("column:"):
        readings += _column_readings(st, name.split(":", 1)[1], sums)
    elif name == "remaining":
        base = sum((_unpaid_part(i) for i in unpaid), ZERO)
        whole = sum((i.total or ZERO for i in unpaid), ZERO)
        readings += [
            (base, "the unpaid amounts of the rows", "各期未还金额之和"),
            (
                base + charges,
                "the unpaid amounts of the rows and the charges",
                "各期未还金额与另列费用之和",
            ),
            (whole, "the totals of the rows not paid", "未结清各期应还合计之和"),
            (
                whole + charges,
                "the totals of the rows not paid and the charges",
                "未结清各期应还与另列费用之和",
            ),
        ]
    elif name == "remaining_principal":
        principal = sum((i.principal or ZERO for i in unpaid), ZERO)
        readings.append((principal, "the principal of unpaid rows", "未结清各期本金之和"))
    elif name == "overdue":
        readings += _overdue_readings(st, charges, overdue)
    elif name == "paid":
        if any(i.paid is not None for i in st.installments):
            readings.append((sums["paid"], "the paid amounts of the rows", "各期已还金额之和"))
        if st.repayments:
            readings.append(
                (sum((r.amount for r in st.repayments), ZERO), "the repayments listed", "所列还款之和")
            )
    elif name == "total":
        readings += [
            (sums["total"], "the rows' totals", "各期应还合计之和"),
            (sums["total"] + charges, "the rows' totals and charges", "各期应还合计与另列费用之和"),
        ]
    return readings


def _column_readings(st: Statement, column: str, sums: dict[str, Decimal]) -> list[tuple[Decimal, str, str]]:
    """A totals row's amount under a column: the column's sum, or with the charges of its kind added; none for
    a column the rows have no sum of."""
    readings: list[tuple[Decimal, str, str]] = []
    if column not in sums:
        return readings
    name_zh = FIELD_ZH.get(column, column)
    readings.append((sums[column], f"the sum of the {column} column", f"{name_zh}列之和"))
    kind_charges = sum(
        (
            c.amount
            for c in st.charges
            if column == "total"
            or (column == "fees" and c.kind == "fee")
            or (column == "penalty" and c.kind == "penalty")
        ),
        ZERO,
    )
    if kind_charges:
        readings.append(
            (
                sums[column] + kind_charges,
                f"the sum of the {column} column and the charges",
                f"{name_zh}列之和加另列费用",
            )
        )
    return readings


def _overdue_readings(
    st: Statement, charges: Decimal, overdue: Sequence[Installment]
) -> list[tuple[Decimal, str, str]]:
    """An overdue amount: the unpaid parts of the rows marked overdue, alone or with the charges or penalties."""
    base = sum((_unpaid_part(i) for i in overdue), ZERO)
    readings = [
        (base, "the unpaid amounts of rows marked overdue", "逾期各期未还金额之和"),
        (
            base + charges,
            "the unpaid amounts of rows marked overdue, plus charges",
            "逾期各期未还金额与另列费用之和",
        ),
    ]
    penalties = sum((c.amount for c in st.charges if c.kind == "penalty"), ZERO)
    if penalties and penalties != charges:
        readings.append(
            (
                base + penalties,
                "the unpaid amounts of rows marked overdue, plus penalties",
                "逾期各期未还金额与罚金之和",
            )
        )
    return readings


def _paid(status: str) -> bool:
    s = status.lower()
    return any(p in s for p in PAID_STATUSES) and "部分" not in s and "partial" not in s


def _settled(i: Installment) -> bool:
    """Paid off, as the row says it: by its status, or by its amounts when it has no status."""
    if i.status:
        return _paid(i.status)
    if i.outstanding is not None:
        return i.outstanding == ZERO and (i.total or i.paid or ZERO) > ZERO
    return i.paid is not None and i.total is not None and i.total > ZERO and i.paid >= i.total


def _rates(st: Statement) -> Sequence[SelfCheck]:
    checks: list[SelfCheck] = []
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
                    message_zh=(
                        f"{a.text} 与 {d.text}："
                        + (
                            f"按一年 {basis_found} 天计算相符"
                            if ok
                            else f"两者之比 {a.value / d.value:.1f} 既不是 360 也不是 365"
                            f"（应为 {percent(d.value * 360)} 或 {percent(d.value * 365)}）"
                        )
                    ),
                    evidence=st.terms.sources[:1],
                )
            )
    return checks
