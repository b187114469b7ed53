"""A statement's table rows, whatever the file type: which column holds what (from the vocabulary, `vocab`),
and what each row is: an installment, a totals row, a one-off charge, a credited repayment, or unread.

Every row is identified by its own words before it becomes a record: a row is an installment when its period
cell is a period label, a charge when its words name a charge (手续费, 违约金 ...) and the charge's amount is in
the column that holds it, a credited repayment when it says so and has a date or sits in a repayment table.
Anything else that carries amounts is kept as `Unread`, with its evidence: it never becomes a record.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from ..dates import FIRST_YEAR, LAST_YEAR, date_order, parse_date
from ..errors import ParseError
from ..model import (
    Charge,
    CreditedRepayment,
    DeclaredTotal,
    Installment,
    Notice,
    SourceRef,
    Unread,
)
from ..money import decimal_from_cell, parse_amount
from ..vocab import AMOUNT_FIELDS, FIELD_ZH, PART_FIELDS, header_field

_CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_PERIOD = re.compile(
    r"^(?:第|no\.?|#|period|installment|instalment|inst\.?|term)?\s*(\d{1,4})\s*(?:期|th|st|nd|rd)?"
    r"(?:\s*(?:/|of|／)\s*(\d{1,4})\s*(?:期)?)?$",
    re.I,
)
_PERIOD_CN = re.compile(r"^第?([零〇一二两三四五六七八九十百]{1,6})期$")
_PERIOD_DASH = re.compile(r"^(\d{1,3})\s*[-－~]\s*(\d{1,3})$")
TOTAL_LABEL = re.compile(r"^(合\s*计|总\s*计|小\s*计|共\s*计|累\s*计|total|sum|subtotal|grand total)", re.I)
_BLANK = frozenset({"", "-", "--", "---", "—", "——", "－", "/", "无", "n/a", "na", "null", "none", "·"})
_CHARGE_WORDS = re.compile(
    r"手续费|管理费|服务费|担保费|会员费|咨询费|保险费|违约金|罚息|滞纳金|罚金|逾期费|费用|"
    r"\bfee\b|\bfees\b|penalty|late charge|charge",
    re.I,
)
_PENALTY_WORDS = re.compile(r"罚息|违约金|滞纳金|罚金|逾期费|penalty|late", re.I)
_REPAY_WORDS = re.compile(
    r"还款|已还|入账|提前还款|提前结清|结清|代扣|扣款成功|repayment|payment received|prepayment|paid", re.I
)
_DATE_TOKEN = re.compile(r"\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}日?|\d{8}")


def clean_cell(text: str) -> str:
    """NFKC, no zero-width characters or byte-order marks, no surrounding spaces."""
    s = unicodedata.normalize("NFKC", text)
    s = re.sub(r"[\u200b-\u200d\u2060\ufeff\u00ad]", "", s)
    return s.strip()


def parse_period(text: str) -> tuple[int, int | None] | None:
    """``3``, ``03``, ``3/12``, ``第3期``, ``第 3 期``, ``第三期``, ``3 of 12``, ``Installment 3`` -> (3, 12 or None).

    ``5-12`` is read as period 5 of 12 only by `PeriodReader` when every row of the column is written so."""
    s = clean_cell(text)
    m = _PERIOD.match(s)
    if m:
        n = int(m.group(1))
        of = int(m.group(2)) if m.group(2) else None
        if 1 <= n <= 9999 and (of is None or n <= of):
            return n, of
        return None
    m = _PERIOD_CN.match(s)
    number = _cn_number(m.group(1)) if m else None
    return (number, None) if number else None


def _cn_number(text: str) -> int | None:
    """一 .. 九百九十九 (the numerals a period label uses)."""
    total = 0
    current = 0
    for ch in text:
        if ch in _CN_DIGITS:
            current = _CN_DIGITS[ch]
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        elif ch == "百":
            total += (current or 1) * 100
            current = 0
        else:
            return None
    total += current
    return total or None


def dash_periods(texts: Sequence[str]) -> bool:
    """Whether a period column writes every label as ``n-N`` with one N (``5-12``: period 5 of 12)."""
    found = [_PERIOD_DASH.match(clean_cell(t)) for t in texts if clean_cell(t)]
    if len(found) < 2 or not all(found):
        return False
    totals = {int(m.group(2)) for m in found if m}
    return len(totals) == 1 and all(m and 1 <= int(m.group(1)) <= int(m.group(2)) for m in found)


# ------------------------------------------------------------------------------------------- columns


@dataclass(frozen=True)
class Mapping:
    """Which column index holds which field, and the headers of the columns no field claimed."""

    fields: dict[str, int]
    extra: dict[int, str]

    def score(self) -> int:
        """How much this looks like a repayment plan: 0 for not at all."""
        f = self.fields
        if "period" not in f and "due_date" not in f:
            return 0
        money = sum(1 for k in f if k in AMOUNT_FIELDS or k in PART_FIELDS)
        if money + ("due_date" in f) < 2 or money == 0:
            return 0
        return 4 * len(f) - len(self.extra) + (3 if "period" in f else 0)


_DUE_MARK = re.compile(r"应|到期|计划|约定|最后|截止|due|scheduled|plan", re.I)


def map_columns(headers: Sequence[Sequence[str]]) -> Mapping:
    """Fields for the columns whose headers are given (each as its lines, top first). The first column naming
    a field takes it; a later one naming it again is extra. ``Payment Date`` is the due date when nothing else
    is; a bare amount column (金额, Amount) is the total due when nothing else is."""
    fields: dict[str, int] = {}
    extra: dict[int, str] = {}
    for i, parts in enumerate(headers):
        text = "".join(parts).strip()
        if not text:
            continue
        name = header_field(list(parts))
        if (
            name == "due_date"
            and "due_date" in fields
            and "paid_date" not in fields
            and not _DUE_MARK.search(text)
        ):
            name = "paid_date"  # a second, plain 还款日期 beside 应还日期 is when it was paid
        if name is None or name in ("balance",) or name in fields:
            extra[i] = text
            continue
        fields[name] = i
    if "due_date" not in fields and "paid_date" in fields:
        header = "".join(headers[fields["paid_date"]]).lower()
        if "payment" in header or "还款日" in header:
            fields["due_date"] = fields.pop("paid_date")
    if "total" not in fields:
        for i, text in list(extra.items()):
            if re.fullmatch(
                r"(金额|amount|amount\(rmb\)|amount\(cny\)|金额\(元\))", re.sub(r"\s", "", text.lower())
            ):
                fields["total"] = i
                del extra[i]
                break
    return Mapping(fields, extra)


# ------------------------------------------------------------------------------------------- rows


@dataclass(frozen=True)
class TableLine:
    """One table row: the text of each mapped field, typed spreadsheet values, the unmapped columns'
    text by header, and where it came from."""

    cells: dict[str, str]
    values: dict[str, object]
    source: SourceRef
    extra: dict[str, str] = field(default_factory=dict)


@dataclass
class Parts:
    installments: list[Installment] = field(default_factory=list)
    charges: list[Charge] = field(default_factory=list)
    repayments: list[CreditedRepayment] = field(default_factory=list)
    declared: list[DeclaredTotal] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    unread: list[Unread] = field(default_factory=list)


class CellReader:
    """Reads amounts and dates from cells, leniently where the value is plain (``868.68 已还清`` is 868.68,
    with a notice), and notes every cell it could not read."""

    def __init__(self, notices: list[Notice], orders: dict[str, str | None] | None = None) -> None:
        self.notices = notices
        self.orders = orders or {}
        self.problems: list[tuple[str, str]] = []  # (English, Chinese)

    def amount(self, name: str, line: TableLine) -> Decimal | None:
        text = clean_cell(line.cells.get(name, ""))
        raw = line.values.get(name)
        if raw is not None and not isinstance(raw, (str, date)):
            try:
                return decimal_from_cell(raw)
            except ParseError:
                pass
        if text.lower() in _BLANK:
            return None
        return self.amount_text(name, text, line.source)

    def amount_text(self, name: str, text: str, source: SourceRef) -> Decimal | None:
        try:
            return parse_amount(text)
        except ParseError:
            pass
        m = re.match(r"^\s*([-+]?[¥￥$]?\s*[\d,]*\d(?:\.\d+)?)\s*(?:元|rmb|cny)?\s*(.*?)\s*$", text, re.I)
        if m and m.group(2) and not re.search(r"\d", m.group(2)):
            try:
                value = parse_amount(m.group(1))
            except ParseError:
                value = None
            if value is not None:
                self.notices.append(
                    Notice(
                        code="amount-with-words",
                        message=f"{name}: {text!r} read as {value} (the cell also says {m.group(2)!r})",
                        where=source.where(),
                        message_zh=(
                            f"{FIELD_ZH.get(name, name)}：{text!r} 按 {value} 读取（单元格另有文字 {m.group(2)!r}）"
                        ),
                    )
                )
                return value
        self.problems.append(
            (f"{name}: {text!r} is not an amount", f"{FIELD_ZH.get(name, name)}：{text!r} 不是金额")
        )
        return None

    def date(self, name: str, line: TableLine) -> date | None:
        raw = line.values.get(name)
        if isinstance(raw, (datetime, date)):
            value = raw.date() if isinstance(raw, datetime) else raw
            if FIRST_YEAR <= value.year <= LAST_YEAR:
                return value
            self.problems.append(
                (
                    f"{name}: {value} is not a plausible date",
                    f"{FIELD_ZH.get(name, name)}：{value} 不是合理的日期",
                )
            )
            return None
        text = clean_cell(line.cells.get(name, ""))
        if text.lower() in _BLANK:
            return None
        try:
            return parse_date(text, order=self.orders.get(name))
        except ParseError:
            pass
        if isinstance(raw, (int, float)) or re.fullmatch(r"\d{5}(\.\d+)?", text):
            from ..dates import from_excel_serial

            try:
                return from_excel_serial(raw if raw is not None else text).date()
            except ParseError:
                pass
        m = _DATE_TOKEN.search(text)
        if m:
            try:
                return parse_date(m.group(0))
            except ParseError:
                pass
        self.problems.append(
            (f"{name}: {text!r} is not a date", f"{FIELD_ZH.get(name, name)}：{text!r} 不是日期")
        )
        return None


def _words(line: TableLine, *, status: bool = True) -> str:
    """The row's own words: every cell that is neither an amount nor a date (the status only if asked)."""
    texts = []
    for k, v in [*line.cells.items(), *line.extra.items()]:
        v = clean_cell(v)
        if not v or (k == "status" and not status) or _looks_numeric(v) or _DATE_TOKEN.fullmatch(v):
            continue
        texts.append(v)
    return " ".join(texts)


def _all_text(line: TableLine) -> str:
    return " ".join(v for v in [*line.cells.values(), *line.extra.values()] if v)


def classify_lines(lines: Sequence[TableLine], *, section: str = "schedule", dash: bool = False) -> Parts:
    """Installments, totals rows (declared totals), one-off charges, credited repayments, and unread rows.
    Identical rows are kept: a duplicated row is evidence. ``section`` is ``repayments`` or ``charges`` for a
    table that lists only those; ``dash`` reads ``5-12`` period labels as 5 of 12."""
    parts = Parts()
    orders = {f: date_order([ln.cells.get(f, "") for ln in lines]) for f in ("due_date", "paid_date")}
    for line in lines:
        _classify(line, parts, section, dash, orders)
    return parts


def _classify(line: TableLine, parts: Parts, section: str, dash: bool, orders: dict[str, str | None]) -> None:
    reader = CellReader(parts.notices, orders)
    period_text = clean_cell(line.cells.get("period", ""))
    label = period_text or clean_cell(line.cells.get("description", "")) or _first_text(line)
    parsed = parse_period(period_text) if period_text and section == "schedule" else None
    if parsed is None and dash and period_text:
        m = _PERIOD_DASH.match(period_text)
        parsed = (int(m.group(1)), int(m.group(2))) if m else None
    if parsed is not None:
        period, of = parsed
        values = {f: reader.amount(f, line) for f in (*AMOUNT_FIELDS, *PART_FIELDS) if f in line.cells}
        paid = values.get("paid")
        if paid is None and any(values.get(f) is not None for f in PART_FIELDS[:4]):
            paid = sum(
                (values[f] or Decimal(0) for f in PART_FIELDS[:4] if values.get(f) is not None), Decimal(0)
            )
        outstanding = values.get("outstanding")
        if outstanding is None and any(values.get(f) is not None for f in PART_FIELDS[4:]):
            outstanding = sum(
                (values[f] or Decimal(0) for f in PART_FIELDS[4:] if values.get(f) is not None), Decimal(0)
            )
        inst = Installment(
            period=period,
            of_periods=of,
            due_date=reader.date("due_date", line) if "due_date" in line.cells else None,
            principal=values.get("principal"),
            interest=values.get("interest"),
            penalty=values.get("penalty"),
            fees=values.get("fees"),
            total=values.get("total"),
            paid=paid,
            paid_date=reader.date("paid_date", line) if "paid_date" in line.cells else None,
            outstanding=outstanding,
            status=clean_cell(line.cells.get("status", "")),
            source=line.source,
        )
        parts.installments.append(inst)
        for en, zh in reader.problems:
            parts.notices.append(
                Notice(
                    code="cell-unreadable",
                    message=f"period {period}: {en}",
                    where=line.source.where(),
                    message_zh=f"第{period}期：{zh}",
                )
            )
        return
    amounts: dict[str, Decimal] = {}
    for f in (*AMOUNT_FIELDS, *PART_FIELDS):
        text = clean_cell(line.cells.get(f, ""))
        if not text or text.lower() in _BLANK:
            continue
        quiet = CellReader([])
        value = quiet.amount(f, line)
        if value is not None:
            amounts[f] = value
    if TOTAL_LABEL.match(label):
        for name, value in amounts.items():
            parts.declared.append(
                DeclaredTotal(name=f"column:{name}", label=f"{label} {name}", value=value, source=line.source)
            )
        return
    words = _words(line)
    if not amounts:
        amounts = _free_amounts(line)
    if not amounts:
        if _looks_like_data(line):
            parts.unread.append(
                Unread(
                    reason="a row with values in no known column",
                    reason_zh="该行的数值不在任何可识别的列中",
                    source=line.source,
                )
            )
        return  # a repeated header, a note, a section title or a blank line
    when = _row_date(line)
    distinct = {v for v in amounts.values() if v}
    schedule_like = sum(1 for f in ("principal", "interest", "penalty", "fees") if amounts.get(f))
    if section == "schedule" and schedule_like >= 2:
        parts.unread.append(
            Unread(
                reason=f"a schedule row whose period {period_text!r} could not be read"
                if period_text
                else "a schedule row without a period",
                reason_zh=f"期数 {period_text!r} 无法识别的还款计划行"
                if period_text
                else "没有期数的还款计划行",
                source=line.source,
            )
        )
        return
    repay_words = _words(line, status=False)
    if section == "repayments" or (_REPAY_WORDS.search(repay_words) and not _CHARGE_WORDS.search(words)):
        amount = next(
            (amounts[f] for f in ("paid", "total") if f in amounts),
            next(iter(distinct)) if len(distinct) == 1 else None,
        )
        if amount is not None and (when is not None or section == "repayments"):
            parts.repayments.append(
                CreditedRepayment(
                    amount=abs(amount), date=when, description=_describe(line), source=line.source
                )
            )
            return
        parts.unread.append(
            Unread(
                reason="a repayment row without "
                + ("a date" if amount is not None else "a single amount that is the repayment"),
                reason_zh="还款行缺少" + ("日期" if amount is not None else "能确定为还款额的唯一金额"),
                source=line.source,
            )
        )
        return
    charge = _CHARGE_WORDS.search(words) if section != "repayments" else None
    if charge or section == "charges":
        kind = "penalty" if _PENALTY_WORDS.search(words) else "fee"
        column = "penalty" if kind == "penalty" else "fees"
        amount = next(
            (amounts[f] for f in (column, "total") if f in amounts),
            next(iter(distinct)) if len(distinct) == 1 else None,
        )
        if amount is not None:
            parts.charges.append(
                Charge(kind=kind, description=_describe(line), amount=amount, date=when, source=line.source)
            )
            return
        parts.unread.append(
            Unread(
                reason="a charge row whose amount cannot be told from its other amounts",
                reason_zh="费用行有多个金额，无法确定哪一个是费用",
                source=line.source,
            )
        )
        return
    parts.unread.append(
        Unread(
            reason=f"a row with amounts ({', '.join(f'{k} {v}' for k, v in amounts.items())}) but no period, "
            "charge or repayment named",
            reason_zh=f"含金额（{'、'.join(f'{FIELD_ZH.get(k, k)} {v}' for k, v in amounts.items())}）"
            "但没有期数、也没写明是费用或还款的行",
            source=line.source,
        )
    )


_FREE_AMOUNT = re.compile(
    r"(?<![\d.,/:-])[-+]?[¥￥]?\d{1,3}(?:,\d{3})*\.\d{2}(?![\d.])|(?<![\d.,/:-])[-+]?[¥￥]?\d+\.\d{2}(?![\d.])"
)


def _free_amounts(line: TableLine) -> dict[str, Decimal]:
    """A row whose cells are not in the table's columns (a charge line under the table): its one amount, when
    its own text has exactly one, under ``total``."""
    text = _DATE_TOKEN.sub(" ", line.source.text)
    found = _FREE_AMOUNT.findall(text)
    if len(found) != 1:
        return {}
    try:
        return {"total": parse_amount(found[0])}
    except ParseError:
        return {}


def _first_text(line: TableLine) -> str:
    for v in [*line.cells.values(), *line.extra.values()]:
        v = clean_cell(v)
        if v:
            return v
    return ""


def _looks_like_data(line: TableLine) -> bool:
    text = _all_text(line)
    return bool(_DATE_TOKEN.search(text) or re.search(r"\d[\d,]*\.\d{2}\b", text))


def _row_date(line: TableLine) -> date | None:
    quiet = CellReader([])
    for name in ("paid_date", "due_date"):
        if name in line.cells:
            found = quiet.date(name, line)
            if found is not None:
                return found
    m = _DATE_TOKEN.search(_all_text(line))
    if m:
        try:
            return parse_date(m.group(0))
        except ParseError:
            return None
    return None


def _describe(line: TableLine) -> str:
    texts = [
        clean_cell(v)
        for k, v in [*line.cells.items(), *line.extra.items()]
        if v
        and (k in ("period", "description", "status") or not _looks_numeric(v))
        and k not in ("due_date", "paid_date")
    ]
    return " ".join(t for t in texts if t and not _DATE_TOKEN.fullmatch(t)) or line.source.text


def _looks_numeric(text: str) -> bool:
    try:
        parse_amount(text)
        return True
    except ParseError:
        return False
