"""A statement's table row as read (`TableLine`: each field's text, typed values, where it came from) and
reading its cells: cleaning (`clean_cell`) and amounts and dates read leniently, with every cell that could not be
read noted (`CellReader`)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from ..dates import FIRST_YEAR, LAST_YEAR, parse_date
from ..errors import ParseError
from ..model import Notice, SourceRef
from ..money import decimal_from_cell, parse_amount
from ..vocab import FIELD_ZH

#: What an empty cell holds.
BLANK = frozenset({"", "-", "--", "---", "—", "——", "－", "/", "无", "n/a", "na", "null", "none", "·"})
#: A date inside a cell's text.
DATE_TOKEN = re.compile(r"\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}日?|\d{8}")


def clean_cell(text: str) -> str:
    """NFKC, no zero-width characters or byte-order marks, no surrounding spaces."""
    s = unicodedata.normalize("NFKC", text)
    s = re.sub(r"[\u200b-\u200d\u2060\ufeff\u00ad]", "", s)
    return s.strip()


@dataclass(frozen=True)
class TableLine:
    """One table row: the text of each mapped field, typed spreadsheet values, the unmapped columns'
    text by header, and where it came from."""

    cells: dict[str, str]
    values: dict[str, object]
    source: SourceRef
    extra: dict[str, str] = field(default_factory=dict)


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
        if text.lower() in BLANK:
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
        if text.lower() in BLANK:
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
        m = DATE_TOKEN.search(text)
        if m:
            try:
                return parse_date(m.group(0))
            except ParseError:
                pass
        self.problems.append(
            (f"{name}: {text!r} is not a date", f"{FIELD_ZH.get(name, name)}：{text!r} 不是日期")
        )
        return None
