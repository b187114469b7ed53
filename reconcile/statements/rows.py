"""A statement's table rows, whatever the file type: which column holds what (from the vocabulary, `vocab`),
and what each row is: an installment, a totals row, a one-off charge, a credited repayment, or unread.

Every row is identified by its own words before it becomes a record: a row is an installment when its period
cell is a period label, a charge when its words name a charge (手续费, 违约金 ...) and the charge's amount is in
the column that holds it, a credited repayment when it says so and has a date or sits in a repayment table.
Anything else that carries amounts is kept as `Unread`, with its evidence: it never becomes a record.

A row and its cells (`TableLine`, `CellReader`, `clean_cell`) are in `cells`, period labels (`parse_period`,
`dash_periods`) in `periods`; they are importable from here as before.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from ..dates import date_order, parse_date
from ..errors import ParseError
from ..model import (
    Charge,
    CreditedRepayment,
    DeclaredTotal,
    Installment,
    Notice,
    Unread,
)
from ..money import parse_amount
from ..vocab import AMOUNT_FIELDS, FIELD_ZH, PART_FIELDS, header_field
from .cells import BLANK, DATE_TOKEN
from .cells import CellReader as CellReader
from .cells import TableLine as TableLine
from .cells import clean_cell as clean_cell
from .periods import dash_period
from .periods import dash_periods as dash_periods
from .periods import parse_period as parse_period

TOTAL_LABEL = re.compile(r"^(合\s*计|总\s*计|小\s*计|共\s*计|累\s*计|total|sum|subtotal|grand total)", re.I)
_CHARGE_WORDS = re.compile(
    r"手续费|管理费|服务费|担保费|会员费|咨询费|保险费|违约金|罚息|滞纳金|罚金|逾期费|费用|"
    r"\bfee\b|\bfees\b|penalty|late charge|charge",
    re.I,
)
_PENALTY_WORDS = re.compile(r"罚息|违约金|滞纳金|罚金|逾期费|penalty|late", re.I)
_REPAY_WORDS = re.compile(
    r"还款|已还|入账|提前还款|提前结清|结清|代扣|扣款成功|repayment|payment received|prepayment|paid", re.I
)


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


@dataclass
class Parts:
    installments: list[Installment] = field(default_factory=list)
    charges: list[Charge] = field(default_factory=list)
    repayments: list[CreditedRepayment] = field(default_factory=list)
    declared: list[DeclaredTotal] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    unread: list[Unread] = field(default_factory=list)


def _words(line: TableLine, *, status: bool = True) -> str:
    """The row's own words: every cell that is neither an amount nor a date (the status only if asked)."""
    texts = []
    for k, v in [*line.cells.items(), *line.extra.items()]:
        v = clean_cell(v)
        if not v or (k == "status" and not status) or _looks_numeric(v) or DATE_TOKEN.fullmatch(v):
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
    """One row, by what it says it is: an installment (a period label), a totals row, a credited repayment,
    a charge, or unread."""
    period_text = clean_cell(line.cells.get("period", ""))
    label = period_text or clean_cell(line.cells.get("description", "")) or _first_text(line)
    parsed = parse_period(period_text) if period_text and section == "schedule" else None
    if parsed is None and dash and period_text:
        parsed = dash_period(period_text)
    if parsed is not None:
        _installment(line, parts, parsed, CellReader(parts.notices, orders))
        return
    amounts = _amounts(line)
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
        parts.unread.append(_schedule_unread(line, period_text))
        return
    repay_words = _words(line, status=False)
    if section == "repayments" or (_REPAY_WORDS.search(repay_words) and not _CHARGE_WORDS.search(words)):
        _repayment(line, parts, section, amounts, distinct, when)
        return
    charge = _CHARGE_WORDS.search(words) if section != "repayments" else None
    if charge or section == "charges":
        _charge(line, parts, words, amounts, distinct, when)
        return
    parts.unread.append(_unnamed(line, amounts))


def _installment(line: TableLine, parts: Parts, parsed: tuple[int, int | None], reader: CellReader) -> None:
    """A row with a period label: an installment, with a notice for each cell that could not be read."""
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


def _amounts(line: TableLine) -> dict[str, Decimal]:
    """The amounts in the row's amount columns, read quietly (a row without a period is judged by them)."""
    amounts: dict[str, Decimal] = {}
    for f in (*AMOUNT_FIELDS, *PART_FIELDS):
        text = clean_cell(line.cells.get(f, ""))
        if not text or text.lower() in BLANK:
            continue
        quiet = CellReader([])
        value = quiet.amount(f, line)
        if value is not None:
            amounts[f] = value
    return amounts


def _schedule_unread(line: TableLine, period_text: str) -> Unread:
    """A row with a schedule's amounts whose period could not be read."""
    return Unread(
        reason=f"a schedule row whose period {period_text!r} could not be read"
        if period_text
        else "a schedule row without a period",
        reason_zh=f"期数 {period_text!r} 无法识别的还款计划行" if period_text else "没有期数的还款计划行",
        source=line.source,
    )


def _repayment(
    line: TableLine,
    parts: Parts,
    section: str,
    amounts: dict[str, Decimal],
    distinct: set[Decimal],
    when: date | None,
) -> None:
    """A row that says it is a repayment: credited when its amount and date are known, else unread."""
    amount = next(
        (amounts[f] for f in ("paid", "total") if f in amounts),
        next(iter(distinct)) if len(distinct) == 1 else None,
    )
    if amount is not None and (when is not None or section == "repayments"):
        parts.repayments.append(
            CreditedRepayment(amount=abs(amount), date=when, description=_describe(line), source=line.source)
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


def _charge(
    line: TableLine,
    parts: Parts,
    words: str,
    amounts: dict[str, Decimal],
    distinct: set[Decimal],
    when: date | None,
) -> None:
    """A row that names a charge: a fee or penalty when its amount can be told, else unread."""
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


def _unnamed(line: TableLine, amounts: dict[str, Decimal]) -> Unread:
    """A row with amounts that names no period, charge or repayment."""
    return Unread(
        reason=f"a row with amounts ({', '.join(f'{k} {v}' for k, v in amounts.items())}) but no period, "
        "charge or repayment named",
        reason_zh=f"含金额（{'、'.join(f'{FIELD_ZH.get(k, k)} {v}' for k, v in amounts.items())}）"
        "但没有期数、也没写明是费用或还款的行",
        source=line.source,
    )


_FREE_AMOUNT = re.compile(
    r"(?<![\d.,/:-])[-+]?[¥￥]?\d{1,3}(?:,\d{3})*\.\d{2}(?![\d.])|(?<![\d.,/:-])[-+]?[¥￥]?\d+\.\d{2}(?![\d.])"
)


def _free_amounts(line: TableLine) -> dict[str, Decimal]:
    """A row whose cells are not in the table's columns (a charge line under the table): its one amount, when
    its own text has exactly one, under ``total``."""
    text = DATE_TOKEN.sub(" ", line.source.text)
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
    return bool(DATE_TOKEN.search(text) or re.search(r"\d[\d,]*\.\d{2}\b", text))


def _row_date(line: TableLine) -> date | None:
    quiet = CellReader([])
    for name in ("paid_date", "due_date"):
        if name in line.cells:
            found = quiet.date(name, line)
            if found is not None:
                return found
    m = DATE_TOKEN.search(_all_text(line))
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
    return " ".join(t for t in texts if t and not DATE_TOKEN.fullmatch(t)) or line.source.text


def _looks_numeric(text: str) -> bool:
    try:
        parse_amount(text)
        return True
    except ParseError:
        return False
