"""``misreported``: the lender's figures are wrong, with ``kind``: ``credited-amount`` (less credited than was
paid), ``row-arithmetic`` and ``declared-total`` (the statement contradicts itself), ``interest`` (not what the
contract's rate gives), ``penalty`` (more than the contract's penalty rule gives), ``fee`` (a fee the terms do
not mention), ``outstanding-balance`` (the balance claimed exceeds what the rows and payments leave),
``status`` (marked overdue though paid in time) and ``rate-disclosure`` (daily and annual rates disagree)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from ..model import Finding, RateUnit, Severity, SourceRef
from ..rates import daily, percent
from ..schedule import PrintedRow, fit_convention, penalty
from ..texts import BASES, Text
from .base import ZERO, Rule, make, yuan

if TYPE_CHECKING:
    from ..case import LoanCase

CODE = "misreported"


def check(case: LoanCase, so_far: Sequence[Finding]) -> Iterable[Finding]:
    covered = {
        f.installment for f in so_far if f.code in ("already-paid", "double-counted") and f.installment
    }
    found: list[Finding] = []
    found += list(_self_checks(case))
    found += list(_credited(case, covered))
    found += list(_interest(case, covered))
    found += list(_penalty(case, covered))
    repeated = {f.evidence[-1] for f in so_far if f.code == "double-counted" and f.evidence}
    found += list(_status(case, repeated))
    found += list(_fees(case))
    found += list(_outstanding(case, [*so_far, *found]))
    return found


def _self_checks(case: LoanCase) -> Iterable[Finding]:
    for _, st in case.statements:
        for c in st.checks:
            if c.ok:
                continue
            if c.code == "rate-consistency":
                yield make(
                    case,
                    CODE,
                    Severity.MEDIUM,
                    ZERO,
                    f"利率披露不一致：{c.message}。日利率与年化利率之比应为360或365。",
                    f"Rate disclosure is inconsistent: {c.message}.",
                    c.evidence,
                    kind="rate-disclosure",
                    expected=c.expected,
                    actual=c.actual,
                    basis=BASES["rate-disclosure"],
                )
            elif c.code in ("row-arithmetic", "declared-total"):
                over = (
                    (c.actual or ZERO) - (c.expected or ZERO)
                    if c.code == "row-arithmetic"
                    else ((c.expected or ZERO) - (c.actual or ZERO))
                )
                amount = max(over, ZERO)
                installment = _period_of(c.message)
                yield make(
                    case,
                    CODE,
                    Severity.MEDIUM,
                    amount,
                    f"对账单自身计算不符：{c.message}" + (f"，多计 {yuan(amount)} 元。" if amount else "。"),
                    f"The statement contradicts itself: {c.message}."
                    + (f" {yuan(amount)} too much is claimed." if amount else ""),
                    c.evidence,
                    kind=c.code,
                    installment=installment,
                    expected=c.expected,
                    actual=c.actual,
                    basis=BASES["own-rows"],
                )


def _period_of(message: str) -> int | None:
    if message.startswith("period "):
        head = message.split(":", 1)[0].split(" ")[1]
        return int(head) if head.isdigit() else None
    return None


def _credited(case: LoanCase, covered: set[int]) -> Iterable[Finding]:
    tol = case.config.tolerance
    for claim in case.claims:
        inst = claim.installment
        m = case.result.matches.get(claim.index) if case.result else None
        if m is None or inst.paid is None or inst.period in covered:
            continue
        short = m.paid - inst.paid
        if short > tol and inst.paid > 0:
            yield make(
                case,
                CODE,
                Severity.HIGH,
                short,
                f"第{inst.period}期：您已付 {yuan(m.paid)} 元，"
                f"对账单只记入 {yuan(inst.paid)} 元，少记 {yuan(short)} 元。",
                f"Installment {inst.period}: {yuan(m.paid)} was paid but only {yuan(inst.paid)} is credited "
                f"({yuan(short)} missing).",
                [inst.source, *(a.payment.source for a in m.allocations)],
                kind="credited-amount",
                installment=inst.period,
                expected=m.paid,
                actual=inst.paid,
                basis=BASES["performed-record"],
            )
    for _, st in case.statements:
        for rep in st.repayments:
            if rep.date is None:
                continue
            same_day = [
                p
                for p in case.payments
                if abs((p.timestamp.date() - rep.date).days) <= case.config.window
                and p.amount - rep.amount > tol
                and p.amount - rep.amount < p.amount
            ]
            if len(same_day) == 1:
                p = same_day[0]
                short = p.amount - rep.amount
                yield make(
                    case,
                    CODE,
                    Severity.HIGH,
                    short,
                    f"{rep.date} 您付款 {yuan(p.amount)} 元，"
                    f"对账单只记入还款 {yuan(rep.amount)} 元，少记 {yuan(short)} 元。",
                    f"On {rep.date} {yuan(p.amount)} was paid but the statement credits only "
                    f"{yuan(rep.amount)} ({yuan(short)} missing).",
                    [rep.source, p.source],
                    kind="credited-amount",
                    expected=p.amount,
                    actual=rep.amount,
                    basis=BASES["performed-record"],
                )


def _interest(case: LoanCase, covered: set[int]) -> Iterable[Finding]:
    t = case.terms
    rows = []
    seen: set[int] = set()
    for c in case.claims:  # a period listed twice (double-counted) is recomputed once
        inst = c.installment
        if inst.principal is not None and inst.interest is not None and inst.period not in seen:
            rows.append(inst)
            seen.add(inst.period)
    if not (t.principal and t.rate and t.start_date and rows) or len(rows) < 3:
        return
    from ..model import RepaymentMethod

    method = t.method or RepaymentMethod.EQUAL_INSTALLMENT
    printed = [PrintedRow(i.period, i.due_date, i.principal or ZERO, i.interest or ZERO) for i in rows]
    try:
        fit = fit_convention(printed, t.principal, t.rate, t.start_date, method)
    except Exception:
        return
    if len(fit.mismatches) > max(1, len(rows) // 3):
        return  # no convention explains most rows: the terms are not what we think; say nothing
    by_period = {i.period: i for i in rows}
    for period, residual, expected in zip(
        (r.period for r in printed), fit.residuals, fit.expected, strict=True
    ):
        if residual <= case.config.tolerance or period in covered:
            continue
        inst = by_period[period]
        yield make(
            case,
            CODE,
            Severity.MEDIUM,
            residual,
            f"第{period}期利息为 {yuan(inst.interest)} 元，按合同利率（{fit.convention.describe()}）应为 "
            f"{yuan(expected)} 元，多计 {yuan(residual)} 元。",
            f"Installment {period}: interest {yuan(inst.interest)}; the contract rate gives {yuan(expected)} "
            f"({fit.convention.describe()}), {yuan(residual)} too much.",
            [inst.source, *t.sources[:1]],
            kind="interest",
            installment=period,
            expected=expected,
            actual=inst.interest,
            basis=Text(
                f"合同利率 {t.rate.text}；" + BASES["interest"].zh.split("；", 1)[1],
                f"contract rate {t.rate.text}; Civil Code Art. 680",
            ),
        )


def _penalty(case: LoanCase, covered: set[int]) -> Iterable[Finding]:
    t = case.terms
    rule = t.penalty
    daily_rate = next((r for r in t.rates if r.unit is RateUnit.DAILY), None) or t.rate
    if rule is None or daily_rate is None or (rule.multiplier is None and rule.rate is None):
        return
    for claim in case.claims:
        inst = claim.installment
        if not inst.penalty or inst.period in covered or inst.due_date is None:
            continue
        m = case.result.matches.get(claim.index) if case.result else None
        paid_on = m.last_paid if m and m.paid else None
        end = paid_on or case.as_of or inst.paid_date
        if end is None:
            continue
        base = inst.principal if inst.principal is not None else claim.base
        if rule.rate is not None:
            expected, days = penalty(
                base, rule.rate, inst.due_date, end, multiplier=Decimal(1), grace_days=case.config.grace
            )
        else:
            expected, days = penalty(
                base,
                daily_rate,
                inst.due_date,
                end,
                multiplier=rule.multiplier or Decimal("1.5"),
                grace_days=case.config.grace,
            )
        over = inst.penalty - expected
        if over <= case.config.tolerance:
            continue
        rate_text = percent(daily(rule.rate) if rule.rate else daily(daily_rate) * (rule.multiplier or 1), 4)
        yield make(
            case,
            CODE,
            Severity.HIGH,
            over,
            f"第{inst.period}期罚息 {yuan(inst.penalty)} 元；按合同“{rule.text}”，以本金 {yuan(base)} 元、"
            f"日罚息率 {rate_text}、逾期 {days} 天计算应为 {yuan(expected)} 元，多计 {yuan(over)} 元。",
            f"Installment {inst.period}: penalty {yuan(inst.penalty)}; the contract's rule ('{rule.text}') on "
            f"principal {yuan(base)} at {rate_text}/day for {days} days gives {yuan(expected)}, {yuan(over)} "
            "too much.",
            [inst.source, *t.sources[:1], *((a.payment.source for a in m.allocations) if m else ())],
            kind="penalty",
            installment=inst.period,
            expected=expected,
            actual=inst.penalty,
            basis=BASES["penalty"],
        )


def _status(case: LoanCase, repeated: set[SourceRef]) -> Iterable[Finding]:
    for claim in case.claims:
        inst = claim.installment
        if not any(w in inst.status.lower() for w in ("逾期", "overdue")) or inst.due_date is None:
            continue
        if inst.source in repeated:
            continue  # a row listed twice is disputed as such, not for its status
        m = case.result.matches.get(claim.index) if case.result else None
        if m is None or m.last_paid is None or m.paid + case.config.tolerance < claim.base:
            continue
        if m.last_paid <= inst.due_date + timedelta(days=case.config.grace):
            yield make(
                case,
                CODE,
                Severity.MEDIUM,
                ZERO,
                f"第{inst.period}期标为“{inst.status}”，但已于 {m.last_paid} 按时还清（应还日 {inst.due_date}"
                f"{'，宽限期' + str(case.config.grace) + '天' if case.config.grace else ''}）。",
                f"Installment {inst.period} is marked '{inst.status}' but was paid in full on {m.last_paid}, "
                f"on time (due {inst.due_date}).",
                [inst.source, *(a.payment.source for a in m.allocations)],
                kind="status",
                installment=inst.period,
                basis=BASES["status"],
            )


def _fees(case: LoanCase) -> Iterable[Finding]:
    named = " ".join(f.name + f.text for f in case.terms.fees)
    for _, st in case.statements:
        for charge in st.charges:
            if charge.kind != "fee" or charge.amount <= 0:
                continue
            if named and any(word in named for word in (charge.description[:2], charge.description)):
                continue
            yield make(
                case,
                CODE,
                Severity.MEDIUM,
                charge.amount,
                f"费用“{charge.description}”{yuan(charge.amount)} 元在借款条款中未见约定。",
                f"The fee '{charge.description}' ({yuan(charge.amount)}) appears nowhere in the loan terms.",
                [charge.source, *case.terms.sources[:1]],
                kind="fee",
                expected=ZERO,
                actual=charge.amount,
                basis=BASES["fee"],
                advice=Text(
                    "请核实该费用的依据（合同、借款页面的费用说明）。", "Check what the fee rests on."
                ),
            )


def _outstanding(case: LoanCase, so_far: Sequence[Finding]) -> Iterable[Finding]:
    declared = [(st, d) for _, st in case.statements for d in st.declared_totals if d.name == "remaining"]
    if not declared or not case.claims or case.result is None:
        return
    st, total = declared[-1]
    coverage = getattr(case, "coverage", None)
    if coverage is not None and (coverage.missing or not coverage.files):
        return  # payments outside the files given could explain the difference: nothing can be said
    issued = st.as_of or case.as_of
    owed = ZERO
    for claim in case.claims:
        m = case.result.matches.get(claim.index)
        # the statement speaks for the day it was issued: a payment after it cannot make its balance wrong
        paid = (
            sum(
                (a.amount for a in m.allocations if issued is None or a.payment.timestamp.date() <= issued),
                ZERO,
            )
            if m
            else ZERO
        )
        owed += max(claim.amount - paid, ZERO)
    owed += sum((c.amount for c in st.charges if c.kind in ("fee", "penalty")), ZERO)
    owed -= (
        sum((r.amount for r in st.repayments), ZERO)
        if not any(c.installment.paid for c in case.claims)
        else ZERO
    )
    already = sum((f.amount for f in so_far if f.amount > 0), ZERO)
    excess = total.value - max(owed, ZERO) - already
    if excess > case.config.tolerance:
        yield make(
            case,
            CODE,
            Severity.MEDIUM,
            excess,
            f"对账单称剩余未还 {yuan(total.value)} 元；按各期应还与您的付款计算为 {yuan(max(owed, ZERO))} 元，"
            f"除已列问题外仍多出 {yuan(excess)} 元。",
            f"The statement claims {yuan(total.value)} outstanding; the rows and your payments leave "
            f"{yuan(max(owed, ZERO))}, {yuan(excess)} more than the other findings explain.",
            [total.source],
            kind="outstanding-balance",
            expected=max(owed, ZERO),
            actual=total.value,
            basis=BASES["balance"],
        )


RULE = Rule(
    code=CODE,
    name=Text("账单记载有误", "misreported"),
    severity=Severity.MEDIUM,
    request="更正账单中记载错误的金额或状态，并退还多收的部分",
    check=check,
    after=("already-paid", "double-counted"),
)
