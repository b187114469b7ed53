"""Lenders' statements and repayment plans, from the vocabulary lenders use (FORMATS.md §8), not one layout.

The pieces every statement extractor shares: reading the terms from ``名称：值`` text around the table, mapping
any subset and order of the §8 columns (Chinese or English, a header split over two rows), turning table rows
into installments, one-off charges, credited repayments and declared totals, and the self-checks a statement
must pass against itself (row arithmetic, declared totals, rate consistency).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal

from ..dates import parse_date
from ..errors import BadFile, ParseError
from ..extractors.table import Column, norm_header
from ..inputs import InputFile
from ..model import (
    Charge,
    CreditedRepayment,
    DeclaredTotal,
    Extraction,
    Installment,
    Notice,
    RateUnit,
    Role,
    SelfCheck,
    SourceRef,
    Statement,
)
from ..money import decimal_from_cell, parse_amount
from ..rates import implied_basis, percent
from .terms import TermsReader

COLUMNS: tuple[Column, ...] = (
    Column(
        "period",
        ("期数", "期次", "期号", "当前期数", "还款期数", "期", "Period", "Installment", "Inst.", "No."),
    ),
    Column(
        "due_date",
        ("还款日", "还款日期", "应还日期", "到期日", "最后还款日", "应还款日", "Due date", "Due"),
        required=False,
    ),
    Column("principal", ("应还本金", "本期本金", "本金", "Principal"), required=False),
    Column("interest", ("应还利息", "本期利息", "利息", "Interest"), required=False),
    Column(
        "penalty",
        ("罚息", "逾期罚息", "逾期利息", "复利", "违约金", "滞纳金", "Penalty", "Late interest", "Late fee"),
        required=False,
    ),
    Column(
        "fees",
        ("费用", "手续费", "服务费", "管理费", "分期手续费", "担保费", "会员费", "Fee", "Fees"),
        required=False,
    ),
    Column(
        "total",
        (
            "本期应还",
            "应还总额",
            "应还金额",
            "本期合计",
            "应还合计",
            "应还款额",
            "合计",
            "应还",
            "Total due",
            "Total",
            "Amount due",
        ),
        required=False,
    ),
    Column(
        "paid", ("已还金额", "实还金额", "已还款金额", "已还", "实还", "Paid", "Amount paid"), required=False
    ),
    Column("paid_date", ("实际还款日", "还款时间", "实还日期", "Paid date", "Paid on"), required=False),
    Column(
        "outstanding",
        ("未还金额", "剩余应还", "待还金额", "未还", "Outstanding", "Balance due"),
        required=False,
    ),
    Column("status", ("状态", "还款状态", "Status"), required=False),
    Column("description", ("摘要", "说明", "项目", "备注", "Description", "Item"), required=False),
)
AMOUNT_FIELDS = ("principal", "interest", "penalty", "fees", "total", "paid", "outstanding")
_PERIOD = re.compile(r"^(?:第\s*)?(\d{1,4})\s*(?:期)?(?:\s*/\s*(\d{1,4}))?(?:\s*期)?$")
_TOTAL_LABEL = re.compile(r"^(合计|总计|小计|共计|Total|Sum)", re.I)
_CHARGE_WORDS = re.compile(r"费|罚息|违约金|滞纳金|fee|penalty", re.I)
_REPAY_WORDS = re.compile(r"还款|已还|入账|repayment|payment received", re.I)

PAID_STATUSES = ("已还清", "已结清", "已还", "结清", "paid", "settled")
OVERDUE_STATUSES = ("逾期", "已逾期", "overdue")


def parse_period(text: str) -> tuple[int, int | None] | None:
    """``3``, ``03``, ``3/12``, ``第3期``, ``第3/12期`` -> (3, 12 or None)."""
    m = _PERIOD.match(unicodedata.normalize("NFKC", text).strip())
    if not m:
        return None
    return int(m.group(1)), int(m.group(2)) if m.group(2) else None


# ------------------------------------------------------------------------------------------- rows


@dataclass(frozen=True)
class TableLine:
    """One table row, its cells keyed by field, and where it came from."""

    cells: dict[str, str]
    values: dict[str, object]
    source: SourceRef


def _money(field_name: str, line: TableLine) -> Decimal | None:
    text = line.cells.get(field_name, "").strip()
    if text in ("", "-", "--", "—", "/"):
        return None
    raw = line.values.get(field_name)
    try:
        return decimal_from_cell(raw) if raw is not None and not isinstance(raw, str) else parse_amount(text)
    except ParseError as exc:
        raise BadFile(f"{field_name}: {exc}", path=line.source.path, where=line.source.where()) from exc


def _date(field_name: str, line: TableLine) -> date | None:
    text = line.cells.get(field_name, "").strip()
    raw = line.values.get(field_name)
    if isinstance(raw, date):
        return raw.date() if isinstance(raw, datetime) else raw
    if not text or text in ("-", "--", "/"):
        return None
    try:
        return parse_date(text)
    except ParseError:
        if isinstance(raw, (int, float)) or re.fullmatch(r"\d{5}(\.\d+)?", text):
            from ..dates import from_excel_serial

            return from_excel_serial(raw if raw is not None else text).date()
        raise BadFile(
            f"{field_name}: not a date: {text!r}", path=line.source.path, where=line.source.where()
        ) from None


@dataclass
class Parts:
    installments: list[Installment] = field(default_factory=list)
    charges: list[Charge] = field(default_factory=list)
    repayments: list[CreditedRepayment] = field(default_factory=list)
    declared: list[DeclaredTotal] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)


def classify_lines(lines: Sequence[TableLine]) -> Parts:
    """Installments (a period label), totals rows (captured as declared totals), one-off charges and credited
    repayments. Identical rows are kept: a duplicated row is evidence."""
    parts = Parts()
    for line in lines:
        period_text = line.cells.get("period", "").strip()
        label = " ".join(v for k, v in line.cells.items() if k in ("period", "description", "status") and v)
        parsed = parse_period(period_text) if period_text else None
        if parsed is not None:
            period, of = parsed
            parts.installments.append(
                Installment(
                    period=period,
                    of_periods=of,
                    due_date=_date("due_date", line),
                    principal=_money("principal", line),
                    interest=_money("interest", line),
                    penalty=_money("penalty", line),
                    fees=_money("fees", line),
                    total=_money("total", line),
                    paid=_money("paid", line),
                    paid_date=_date("paid_date", line),
                    outstanding=_money("outstanding", line),
                    status=line.cells.get("status", "").strip(),
                    source=line.source,
                )
            )
            continue
        amounts: dict[str, Decimal] = {}
        words: list[str] = []
        for f in AMOUNT_FIELDS:
            if not line.cells.get(f):
                continue
            try:
                value = _money(f, line)
            except BadFile:  # a charge row's description written across an amount column
                words.append(line.cells[f])
                continue
            if value is not None:
                amounts[f] = value
        if _TOTAL_LABEL.match(period_text or label):
            for name, value in amounts.items():
                parts.declared.append(
                    DeclaredTotal(
                        name=f"column:{name}",
                        label=f"{period_text or label} {name}",
                        value=value,
                        source=line.source,
                    )
                )
            continue
        if not amounts:
            continue  # a repeated header, a note or a blank line
        text = " ".join(v for v in line.cells.values() if v)
        when = _lenient_date("due_date", line) or _lenient_date("paid_date", line)
        amount = next(iter(amounts.values()))
        if _REPAY_WORDS.search(text) and not _CHARGE_WORDS.search(text):
            parts.repayments.append(
                CreditedRepayment(
                    amount=abs(amount), date=when, description=_describe(line), source=line.source
                )
            )
        elif _CHARGE_WORDS.search(text) or amounts:
            kind = "penalty" if re.search(r"罚息|违约金|滞纳金|penalty", text, re.I) else "fee"
            parts.charges.append(
                Charge(kind=kind, description=_describe(line), amount=amount, date=when, source=line.source)
            )
    return parts


def _describe(line: TableLine) -> str:
    texts = [
        v
        for k, v in line.cells.items()
        if v
        and (k in ("period", "description", "status") or not _looks_numeric(v))
        and k not in ("due_date", "paid_date")
    ]
    return " ".join(texts) or line.source.text


def _looks_numeric(text: str) -> bool:
    try:
        parse_amount(text)
        return True
    except ParseError:
        return False


def _lenient_date(field_name: str, line: TableLine) -> date | None:
    try:
        return _date(field_name, line)
    except BadFile:
        return None


# ------------------------------------------------------------------------------------------- self-checks


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


# ------------------------------------------------------------------------------------------- headers

CARD_COLUMNS: tuple[Column, ...] = (
    Column("date", ("交易日", "交易日期", "Transaction date", "Trans date")),
    Column("posting_date", ("记账日", "记账日期", "入账日期", "Posting date"), required=False),
    Column("description", ("交易摘要", "交易说明", "交易描述", "摘要", "Description")),
    Column("amount", ("人民币金额", "金额", "交易金额", "入账金额", "Amount", "Amount (RMB)")),
)
CARD_MARKERS = ("本期应还", "最低还款额", "到期还款日", "账单日", "Minimum payment", "Payment due")


def merge_header_rows(top: Sequence[str], bottom: Sequence[str]) -> list[str]:
    """A header split over two rows (``应还`` over ``本金 | 利息``), with merged cells (the top text only in the
    first cell of its span): forward-fill the top row over the span, then append the bottom text."""
    width = max(len(top), len(bottom))
    out = []
    carry = ""
    for i in range(width):
        t = top[i].strip() if i < len(top) else ""
        b = bottom[i].strip() if i < len(bottom) else ""
        if t:
            carry = t
        elif not b:
            carry = ""
        head = t or (carry if b else "")
        out.append(head + b if b and head and head != b else (b or head))
    return out


def match_columns(cells: Sequence[str], columns: Sequence[Column]) -> dict[str, int]:
    positions: dict[str, int] = {}
    for i, cell in enumerate(cells):
        positions.setdefault(norm_header(cell), i)
    found: dict[str, int] = {}
    taken: set[int] = set()
    for column in columns:
        for name in column.synonyms:
            at = positions.get(norm_header(name))
            if at is not None and at not in taken:
                found[column.field] = at
                taken.add(at)
                break
    return found


def schedule_header_ok(found: dict[str, int]) -> bool:
    """A repayment-plan header: a period column and at least two amount or date columns."""
    return "period" in found and sum(1 for f in found if f in (*AMOUNT_FIELDS, "due_date")) >= 2


def locate_header(
    rows: Sequence[Sequence[str]], *, card: bool, scan: int = 200
) -> tuple[int, int, dict[str, int], list[str]] | None:
    """(index of the first header row, rows it spans (1 or 2), field -> column, header texts)."""
    columns = CARD_COLUMNS if card else COLUMNS
    for i in range(min(scan, len(rows))):
        best: tuple[int, int, dict[str, int], list[str]] | None = None
        single = match_columns(rows[i], columns)
        candidates = [(1, single, list(rows[i]))]
        if i + 1 < len(rows) and sum(1 for c in rows[i] if c.strip()) >= 2:
            merged = merge_header_rows(rows[i], rows[i + 1])
            candidates.append((2, match_columns(merged, columns), merged))
        for span, found, texts in candidates:
            ok = all(c.field in found for c in columns if c.required) if card else schedule_header_ok(found)
            if ok and (best is None or len(found) > len(best[2])):
                best = (i, span, found, texts)
        if best is not None:
            return best
    return None


def describe_statement_header(rows: Sequence[Sequence[str]], scan: int = 200) -> str:
    """For the error when no header is found: the most promising row, what it has and what it lacks."""
    best: tuple[int, int, dict[str, int]] = (-1, 0, {})
    for i, row in enumerate(rows[:scan]):
        found = match_columns(row, COLUMNS)
        if len(found) > len(best[2]):
            best = (i, i + 1, found)
    if not best[2]:
        return (
            "no repayment-plan header row found (no row names 期数/Period with amount columns such as "
            "应还本金, 应还利息, 本期应还)"
        )
    have = ", ".join(sorted(best[2]))
    missing = [f for f in ("period", "due_date", "principal", "interest", "total") if f not in best[2]]
    return f"no usable repayment-plan header: row {best[1]} has {have} but lacks {', '.join(missing)}"


# ------------------------------------------------------------------------------------------- card bills

_CARD_INTEREST = re.compile(r"利息|interest", re.I)
_CARD_FEE = re.compile(r"费|违约金|滞纳金|fee", re.I)
_CARD_REPAY = re.compile(r"还款|repayment|payment", re.I)


def is_card_bill(text: str) -> bool:
    return sum(1 for m in CARD_MARKERS if m in text) >= 2


def statement_month(text: str) -> tuple[int, int] | None:
    """(year, month) of a card bill, from its title (``2025年02月``) or its 账单日."""
    m = re.search(r"(\d{4})\s*年\s*(\d{1,2})\s*月", text) or re.search(
        r"账单日[:：]\s*(\d{4})[-/](\d{1,2})", text
    )
    return (int(m.group(1)), int(m.group(2))) if m and 1 <= int(m.group(2)) <= 12 else None


def card_date(line: TableLine, month: tuple[int, int] | None) -> date | None:
    for name in ("date", "posting_date"):
        text = line.cells.get(name, "").strip()
        m = re.fullmatch(r"(\d{1,2})[/-](\d{1,2})", text)
        if m and month is not None:
            mm, dd = int(m.group(1)), int(m.group(2))
            year = month[0] if mm <= month[1] else month[0] - 1  # a January bill lists December spending
            try:
                return date(year, mm, dd)
            except ValueError:
                raise BadFile(
                    f"not a valid date: {text!r}", path=line.source.path, where=line.source.where()
                ) from None
        if text:
            return _date(name, line)
    return None


def card_parts(lines: list[TableLine], month: tuple[int, int] | None = None) -> Parts:
    parts = Parts()
    for line in lines:
        amount = _money("amount", line)
        if amount is None:
            continue
        description = line.cells.get("description", "")
        when = card_date(line, month)
        if (_CARD_REPAY.search(description) and amount < 0) or (
            _CARD_REPAY.search(description) and "还款" in description
        ):
            parts.repayments.append(
                CreditedRepayment(amount=abs(amount), date=when, description=description, source=line.source)
            )
        elif _CARD_INTEREST.search(description):
            parts.charges.append(
                Charge(kind="interest", description=description, amount=amount, date=when, source=line.source)
            )
        elif _CARD_FEE.search(description):
            kind = "penalty" if re.search(r"违约金|滞纳金", description) else "fee"
            parts.charges.append(
                Charge(kind=kind, description=description, amount=amount, date=when, source=line.source)
            )
        else:
            parts.charges.append(
                Charge(
                    kind="purchase" if amount > 0 else "refund",
                    description=description,
                    amount=amount,
                    date=when,
                    source=line.source,
                )
            )
    return parts


def card_checks(st: Statement) -> tuple[SelfCheck, ...]:
    """Previous balance + new charges - repayments = the amount due this period."""
    declared = {d.name: d for d in st.declared_totals}
    previous = next((d for d in st.declared_totals if d.label.startswith("上期")), None)
    due = declared.get("current_due")
    if due is None:
        return ()
    start = previous.value if previous is not None else Decimal("0.00")
    computed = (
        start
        + sum((c.amount for c in st.charges), Decimal("0.00"))
        - sum((r.amount for r in st.repayments), Decimal("0.00"))
    )
    ok = computed == due.value
    what = (
        f"previous balance {start} + charges - repayments = {computed}"
        if previous
        else (f"charges - repayments = {computed}")
    )
    return (
        SelfCheck(
            code="declared-total",
            ok=ok,
            expected=due.value,
            actual=computed,
            message=f"{due.label} is {due.value}; {what}",
            evidence=(due.source,),
        ),
    )


def assemble(
    inp: InputFile,
    extractor: str,
    terms: TermsReader,
    body: Sequence[TableLine],
    *,
    card: bool,
    month: tuple[int, int] | None,
    header: SourceRef,
    metadata: dict[str, str],
) -> Extraction:
    """One statement from its table lines and terms, checked against itself; failed checks become notices."""
    notices: list[Notice] = []
    parts = card_parts(list(body), month) if card else classify_lines(body)
    loan_terms, as_of, settled_on, declared = terms.terms(notices)
    statement = Statement(
        terms=loan_terms,
        installments=tuple(parts.installments),
        charges=tuple(parts.charges),
        repayments=tuple(parts.repayments),
        declared_totals=tuple(declared + parts.declared),
        as_of=as_of,
        settled_on=settled_on,
        sources=(header,),
    )
    checks = self_checks(statement) + (card_checks(statement) if card else ())
    statement = replace(statement, checks=checks)
    for check in checks:
        if not check.ok:
            notices.append(
                Notice(
                    code=check.code,
                    message=check.message,
                    where=check.evidence[0].where() if check.evidence else "",
                )
            )
    return Extraction(
        path=inp.path,
        sha256=inp.sha256,
        extractor=extractor,
        role=Role.STATEMENT,
        statement=statement,
        metadata=metadata,
        checks=checks,
        notices=tuple(notices + parts.notices),
    )
