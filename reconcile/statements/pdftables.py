"""Finding a PDF statement's tables on its pages (through `reconcile.read.layout`): which columns make a
repayment schedule, a list of repayments or charges, or a card bill's transactions; where a row starts; where a
table stops; and reading the tables one after another."""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from ..read.layout import Column, Grid, Table, read_table
from ..read.pdfpage import Page
from ..vocab import header_field, norm
from .cards import CARD_FIELDS
from .periods import parse_period
from .rows import Mapping, map_columns
from .termlines import is_term_line

_NOTE = re.compile(
    r"^(注[:：\s]|注意|说明[:：]|温馨提示|备注[:：]|特别提示|特别说明|声明|重要提示|Note[s]?\b|Remarks?\b)",
    re.I,
)
_DATE = re.compile(r"\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}|\d{8}|^\d{1,2}[/-]\d{1,2}$")


def _card_field(header: str) -> str | None:
    key = norm(header)
    for name, words in CARD_FIELDS.items():
        if key in words:
            return name
    return None


@functools.lru_cache(maxsize=256)
def _schedule_mapping(headers: tuple[tuple[str, ...], ...]) -> Mapping:
    return map_columns(headers)


def _headers(columns: Sequence[Column]) -> tuple[tuple[str, ...], ...]:
    return tuple(c.parts for c in columns)


def schedule_accept(columns: list[Column]) -> int:
    return _schedule_mapping(_headers(columns)).score()


def records_accept(columns: list[Column]) -> int:
    """A table of repayments received or of charges: a date and an amount, no period column."""
    fields = [header_field(list(c.parts)) for c in columns]
    if "period" in fields:
        return 0
    heads = "".join(norm(c.header) for c in columns)
    has_amount = (
        any(f in ("paid", "total", "fees", "penalty") for f in fields) or "金额" in heads or "amount" in heads
    )
    has_date = any(f in ("due_date", "paid_date") for f in fields) or "日期" in heads or "date" in heads
    return 1 + len([f for f in fields if f]) if has_amount and has_date else 0


def card_hint(text: str) -> bool:
    """Whether a header word could be a card bill's column (交易日, 摘要, Amount ...)."""
    return bool(re.search(r"交易|记账|入账|摘要|金额|date|amount|description", text, re.I))


def card_accept(columns: list[Column]) -> int:
    """A card bill's transactions: a date, a description and an amount column."""
    found = {_card_field(c.header) for c in columns} - {None}
    return len(found) if {"date", "description", "amount"} <= found else 0


def grid_fields(grid: Grid, card: bool) -> dict[int, str]:
    """The field each column of a grid holds, by column index."""
    if card:
        return {i: f for i, c in enumerate(grid.columns) if (f := _card_field(c.header))}
    m = _schedule_mapping(_headers(grid.columns))
    return {i: f for f, i in m.fields.items()}


def row_anchor(card: bool):  # type: ignore[no-untyped-def]
    """A row starts at a line with a period label, a date, or an amount in a money column: a line that carries
    data is never glued to its neighbour as wrapped text."""

    def anchor(grid: Grid, cells: list[str]) -> bool:
        fields = grid_fields(grid, card)
        if is_term_line("    ".join(c for c in cells if c)) and not any(
            fields.get(i) == "period" and parse_period(c) for i, c in enumerate(cells)
        ):
            return False
        for i, text in enumerate(cells):
            if not text:
                continue
            name = fields.get(i)
            if name == "period" and parse_period(text) is not None:
                return True
            if name in ("due_date", "paid_date", "date", "posting_date") and _DATE.search(text):
                return True
            if name not in (None, "status", "description") and data_tokens_text(text):
                return True
        return sum(1 for c in cells if c and data_tokens_text(c)) >= 2

    return anchor


def data_tokens_text(text: str) -> bool:
    from ..read.layout import is_data_token

    return any(is_data_token(t) for t in text.split())


def _stop(text: str) -> bool:
    return bool(_NOTE.match(text.strip()))


def read_tables(
    pages: Sequence[Page],
    accept: Any,
    hint: Any,
    anchor: Any,
    others: Sequence[Any],
    start: tuple[int, int] = (0, 0),
) -> list[Table]:
    """Every table the ``accept`` function likes, one after another (a plan split into 已还 and 待还 tables);
    row numbers continue across the tables of a page."""
    out: list[Table] = []
    while True:
        found = read_table(
            pages, accept, hint, anchor, stop=_stop, ends=is_term_line, others=others, start=start
        )
        if found is None or not found.rows:
            break
        before = Counter(r.page for t in out for r in t.rows)
        if before:
            found.rows = [replace(r, index=r.index + before[r.page]) for r in found.rows]
        out.append(found)
        if found.end <= start or found.end == (0, 0):
            break
        start = found.end
    return out


_RECORDS_TITLE = re.compile(
    r"还款记录|还款流水|还款历史|还款明细|入账记录|扣款记录|交易记录|交易明细|已还记录|费用明细|收费明细|其他费用|"
    r"repayment (history|record)|payment (history|record)|transaction|fees? (detail|list)|charges",
    re.I,
)


def records_title(table: Table) -> bool:
    """A table titled as a list of repayments received or charges (还款记录, 费用明细) whose columns do not
    split principal and interest: not a schedule."""
    title = " ".join(t for _, _, t in table.before[-2:])
    fields = _schedule_mapping(_headers(table.columns)).fields
    return bool(_RECORDS_TITLE.search(title)) and "principal" not in fields and "interest" not in fields


def used_lines(tables: Sequence[Table]) -> dict[int, set[int]]:
    """The line indexes, per page, that tables took (headers and rows)."""
    used: dict[int, set[int]] = {}
    for t in tables:
        for page, spans in t.spans.items():
            for a, b in spans:
                used.setdefault(page, set()).update(range(a, b))
        for row in t.rows:
            used.setdefault(row.page, set()).update(row.lines)
    return used


def records_anchor(grid: Grid, cells: list[str]) -> bool:
    """A row of repayments or charges starts at a line with a date and an amount."""
    return any(_DATE.search(c) for c in cells if c) and any(data_tokens_text(c) for c in cells if c)
