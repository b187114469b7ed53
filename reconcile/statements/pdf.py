"""Lenders' statements, repayment plans and card bills as text PDFs (FORMATS.md §8).

The table's structure comes from the page (`reconcile.read.layout`): ruled or borderless, a header over one to
three lines, centred headers over right-aligned numbers, pages with or without a repeated header. Column
headers are read through the vocabulary (`reconcile.vocab`); the ``名称：值`` text above and below the table (and
key/value grids without colons) gives the terms. A second table below the schedule (还款记录, 费用明细) is read
as credited repayments or one-off charges.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from ..dates import date_order
from ..errors import BadFile
from ..extractor import Extractor, Sniff
from ..inputs import InputFile
from ..model import Extraction, Role, SourceRef
from ..read.layout import Column, Grid, Row, Table, data_tokens, is_page_mark, read_table
from ..read.pdfpage import Page, line_text, read_pages
from ..vocab import header_field, looks_like_header_word, norm
from .assemble import assemble, merge
from .blocks import card_lines, find_cards
from .cards import CARD_FIELDS, card_parts, is_card_bill, statement_month
from .rows import Mapping, Parts, TableLine, classify_lines, dash_periods, map_columns, parse_period
from .terms import TermsReader, is_term_line

_NOTE = re.compile(
    r"^(注[:：\s]|注意|说明[:：]|温馨提示|备注[:：]|特别提示|特别说明|声明|重要提示|Note[s]?\b|Remarks?\b)",
    re.I,
)
_DATE = re.compile(r"\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}|\d{8}|^\d{1,2}[/-]\d{1,2}$")
_PLAN_WORDS = re.compile(
    r"期数|期次|期号|还款计划|还款明细|分期|第\s*\d+\s*期|period|install?ment|repayment schedule", re.I
)
_MONEY_WORDS = (
    "本金",
    "利息",
    "应还",
    "罚息",
    "手续费",
    "费用",
    "月供",
    "principal",
    "interest",
    "total",
    "amount due",
)


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


def _card_hint(text: str) -> bool:
    return bool(re.search(r"交易|记账|入账|摘要|金额|date|amount|description", text, re.I))


def _card_accept(columns: list[Column]) -> int:
    found = {_card_field(c.header) for c in columns} - {None}
    return len(found) if {"date", "description", "amount"} <= found else 0


def _mapping(grid: Grid, card: bool) -> dict[int, str]:
    if card:
        return {i: f for i, c in enumerate(grid.columns) if (f := _card_field(c.header))}
    m = _schedule_mapping(_headers(grid.columns))
    return {i: f for f, i in m.fields.items()}


def _anchor(card: bool):  # type: ignore[no-untyped-def]
    """A row starts at a line with a period label, a date, or an amount in a money column: a line that carries
    data is never glued to its neighbour as wrapped text."""

    def anchor(grid: Grid, cells: list[str]) -> bool:
        fields = _mapping(grid, card)
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


class StatementPdf(Extractor):
    name = "statement-pdf"
    role = Role.STATEMENT
    file_types = ("pdf",)
    description = (
        "lender statements / repayment plans / card bills as text PDFs (ruled or borderless, any §8 layout)"
    )

    @classmethod
    def identify(cls, sniff: Sniff) -> bool:
        if sniff.kind != "pdf" or "结清证明" in sniff.head_text[:200]:
            return False
        text = re.sub(r"\s+", "", sniff.head_text)
        plan_words = bool(_PLAN_WORDS.search(text)) or _schedule_rows(sniff.head_text) >= 3
        amounts = sum(1 for w in _MONEY_WORDS if w in text or w in text.lower())
        if plan_words and amounts >= 2:
            return True
        return is_card_bill(sniff.head_text) and any(w in text for w in ("交易日", "记账日", "Transaction"))

    def extract(self, inp: InputFile) -> Extraction:
        return self.extract_all(inp)[0]

    def extract_all(self, inp: InputFile) -> list[Extraction]:
        """One statement per loan: a PDF holding the statements of two loans (each page naming its own loan id)
        gives two, never one loan made of both."""
        pages = list(read_pages(inp))
        if not any(p.words for p in pages[:3]):
            from ..read.pdf import explain_unreadable_pdf

            explain_unreadable_pdf(inp)
        groups = split_by_loan(inp, pages)
        if len(groups) == 1:
            return [statement_from_pages(inp, pages, self.name)]
        out = []
        for n, (loan, group) in enumerate(groups, start=1):
            ex = statement_from_pages(inp, group, self.name)
            metadata = {
                **ex.metadata,
                "part": f"{n} of {len(groups)}",
                "loan_id": loan,
                "pages": _pages(group),
            }
            out.append(replace(ex, metadata=metadata))
        return out


def split_by_loan(inp: InputFile, pages: Sequence[Page]) -> list[tuple[str, list[Page]]]:
    """The pages of each loan, when pages name different loans: a page whose loan ids (借据号, 合同号 ...) share
    none with the pages before it starts another loan's statement; a page naming none belongs with the one
    before it."""
    from .terms import loan_ids

    groups: list[tuple[set[str], list[Page]]] = []
    for page in pages:
        ids = loan_ids(line_text(line) for line in page.lines[:60])
        if groups and (not ids or ids & groups[-1][0] or not groups[-1][0]):
            groups[-1][0].update(ids)
            groups[-1][1].append(page)
        else:
            groups.append((set(ids), [page]))
    if len(groups) < 2:
        return [("", list(pages))]
    return [(sorted(ids)[0] if ids else "", group) for ids, group in groups]


def _pages(group: Sequence[Page]) -> str:
    return ",".join(str(p.number) for p in group)


def statement_from_pages(inp: InputFile, pages: Sequence[Page], extractor: str) -> Extraction:
    """A statement from pages of positioned words (a PDF's, or a fixed-width printout's)."""
    first_text = pages[0].text if pages else ""
    text_mode = bool(pages) and pages[0].engine == "text"
    card = is_card_bill(first_text) and not re.search(r"期数|期次|期号|Period", first_text)
    accept = _card_accept if card else schedule_accept
    hint = _card_hint if card else looks_like_header_word
    found = _tables(pages, accept, hint, _anchor(card), [] if card else [records_accept])
    tables = [t for t in found if card or not _records_title(t)]
    records = [t for t in found if t not in tables]
    if not tables:
        return _cards(inp, pages, extractor)
    if not card:
        records += _tables(
            pages,
            records_accept,
            looks_like_header_word,
            _records_anchor,
            [schedule_accept],
            found[-1].end,
        )
    terms = TermsReader(inp.path, inp.sha256)
    used = _used_lines([*tables, *records])
    loose: dict[str, list[TableLine]] = {}
    section = "schedule"
    for page in pages:
        for k, line in enumerate(page.lines):
            if k in used.get(page.number, ()) or is_page_mark(line):
                continue
            text = line_text(line)
            ref = SourceRef(
                path=inp.path,
                sha256=inp.sha256,
                page=None if text_mode else page.number,
                row=k + 1,
                text=text,
            )
            if is_term_line(text) or not _LOOSE_AMOUNT.search(text):
                terms.feed(text, ref)
                if _SECTION_CHARGES.search(text) and not is_term_line(text):
                    section = "charges"
                elif _SECTION_REPAYMENTS.search(text) and not is_term_line(text):
                    section = "repayments"
                continue
            # a line with an amount that no table took: a charge or repayment listed on its own, or unread
            loose.setdefault(section, []).append(TableLine({}, {}, ref, {"text": text}))
    lines = [ln for t in tables for ln in _lines(inp, t, card, terms, text_mode)]
    terms.date_order = date_order([ln.cells.get(f, "") for ln in lines for f in ("due_date", "paid_date")])
    if card:
        parts = card_parts(lines, statement_month(" ".join(terms.titles) + " " + first_text))
    else:
        dash = dash_periods([ln.cells.get("period", "") for ln in lines])
        parts = merge(
            classify_lines(lines, dash=dash),
            *(_records(inp, t, text_mode) for t in records),
            *(classify_lines(rows, section=name) for name, rows in loose.items()),
        )
    first = tables[0]
    header = SourceRef(
        path=inp.path, sha256=inp.sha256, page=first.header_page, row=None, text=first.header_text
    )
    metadata = {
        "layout": "card bill" if card else "repayment plan",
        "pages_with_rows": ",".join(sorted({str(r.page) for t in tables for r in t.rows}, key=int)),
        "table": "ruled" if any(g.ruled for t in tables for g in t.grids.values()) else "borderless",
    }
    if len(tables) > 1:
        metadata["tables"] = str(len(tables))
    return assemble(inp, extractor, terms, parts, card=card, header=header, metadata=metadata)


def _cards(inp: InputFile, pages: Sequence[Page], extractor: str) -> Extraction:
    """A plan with one card per installment (a phone app's layout) instead of a table."""
    cards, before = find_cards(pages)
    if len(cards) < 2:
        raise BadFile(_describe_missing(pages), path=inp.path, where="page 1")
    terms = TermsReader(inp.path, inp.sha256)
    for page_no, line_no, text in before:
        terms.feed(text, SourceRef(path=inp.path, sha256=inp.sha256, page=page_no, row=line_no, text=text))
    parts = classify_lines(card_lines(cards, inp.path, inp.sha256))
    first = cards[0]
    header = SourceRef(path=inp.path, sha256=inp.sha256, page=first.page, row=first.first_line, text="")
    metadata = {
        "layout": "repayment plan",
        "table": "cards",
        "pages_with_rows": ",".join(sorted({str(c.page) for c in cards}, key=int)),
    }
    return assemble(inp, extractor, terms, parts, card=False, header=header, metadata=metadata)


def _lines(inp: InputFile, table: Table, card: bool, terms: TermsReader, text_mode: bool) -> list[TableLine]:
    out: list[TableLine] = []
    for row in table.rows:
        grid = row.grid or table.grids[row.page]
        fields = _mapping(grid, card)
        cells = {name: row.cells[i] for i, name in fields.items() if i < len(row.cells)}
        extra = {
            grid.columns[i].header or f"column {i + 1}": text
            for i, text in enumerate(row.cells)
            if i not in fields and text
        }
        ref = _row_ref(inp, row, text_mode)
        if not row.anchored and is_term_line(row.text):
            terms.feed(row.text, ref)
            continue
        out.append(TableLine(cells, {}, ref, extra))
    return out


def _records(inp: InputFile, found: Table, text_mode: bool) -> Parts:
    """A table of repayments received or of charges, below or after the schedule."""
    title = " ".join(t for _, _, t in found.before[-3:])
    section = (
        "charges" if re.search(r"费用|收费|charges|fees", title + found.header_text, re.I) else "repayments"
    )
    lines = []
    for row in found.rows:
        grid = row.grid or found.grids[row.page]
        cells: dict[str, str] = {}
        extra: dict[str, str] = {}
        for i, col in enumerate(grid.columns):
            text = row.cells[i] if i < len(row.cells) else ""
            name = header_field(list(col.parts))
            head = norm(col.header)
            if name in ("due_date", "paid_date") or (name is None and ("日期" in head or "date" in head)):
                cells.setdefault("paid_date", text)
            elif name in ("paid", "total", "fees", "penalty") or (
                name is None and ("金额" in head or "amount" in head)
            ):
                cells.setdefault("paid" if section == "repayments" else "total", text)
            elif name in ("description", "status"):
                cells.setdefault("description", text)
            elif text:
                extra[col.header or f"column {i + 1}"] = text
        ref = _row_ref(inp, row, text_mode)
        lines.append(TableLine(cells, {}, ref, extra))
    return classify_lines(lines, section=section)


_LOOSE_AMOUNT = re.compile(r"(?<![\d.])\d{1,3}(?:,\d{3})*\.\d{2}(?![\d.])|(?<![\d.,])\d+\.\d{2}(?![\d.])")
_SECTION_CHARGES = re.compile(r"^\S{0,6}(费用|收费)(明细|清单|列表)?\s*$|^(other )?(fees|charges)\s*$", re.I)
_SECTION_REPAYMENTS = re.compile(
    r"^\S{0,6}(还款|扣款|入账)(记录|流水|历史)\s*$|^(repayment|payment) (history|records?)\s*$", re.I
)


def _row_ref(inp: InputFile, row: Row, text: bool) -> SourceRef:
    """A PDF row by page and its place in the table; a fixed-width text row by its line in the file."""
    if text:
        return SourceRef(
            path=inp.path, sha256=inp.sha256, row=(row.lines[0] + 1) if row.lines else None, text=row.text
        )
    return SourceRef(path=inp.path, sha256=inp.sha256, page=row.page, row=row.index, text=row.text)


def _tables(
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


def _records_title(table: Table) -> bool:
    """A table titled as a list of repayments received or charges (还款记录, 费用明细) whose columns do not
    split principal and interest: not a schedule."""
    title = " ".join(t for _, _, t in table.before[-2:])
    fields = _schedule_mapping(_headers(table.columns)).fields
    return bool(_RECORDS_TITLE.search(title)) and "principal" not in fields and "interest" not in fields


def _used_lines(tables: Sequence[Table]) -> dict[int, set[int]]:
    """The line indexes, per page, that tables took (headers and rows)."""
    used: dict[int, set[int]] = {}
    for t in tables:
        for page, spans in t.spans.items():
            for a, b in spans:
                used.setdefault(page, set()).update(range(a, b))
        for row in t.rows:
            used.setdefault(row.page, set()).update(row.lines)
    return used


_ROW_DATE = re.compile(
    r"\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}|\b20\d{6}\b|\b\d{1,2}\s+[A-Z][a-z]{2}\s+\d{4}"
)
_ROW_AMOUNT = re.compile(r"(?<![\d.])\d{1,3}(?:,\d{3})*\.\d{2}(?![\d.])|(?<![\d.,])\d+\.\d{2}(?![\d.])")


def _schedule_rows(text: str) -> int:
    """Lines that look like a schedule row: a date and at least two amounts."""
    return sum(
        1 for line in text.splitlines() if _ROW_DATE.search(line) and len(_ROW_AMOUNT.findall(line)) >= 2
    )


def _records_anchor(grid: Grid, cells: list[str]) -> bool:
    return any(_DATE.search(c) for c in cells if c) and any(data_tokens_text(c) for c in cells if c)


def _describe_missing(pages: Sequence[Page]) -> str:
    """For the error when no table header is found: the line that comes closest, what it has and lacks."""
    best: tuple[int, str, list[str]] = (0, "", [])
    for page in pages[:3]:
        for line in page.lines:
            if data_tokens(line) >= 2:
                continue
            found = sorted({f for w in line if (f := header_field([w.text]))})
            if len(found) > best[0]:
                best = (len(found), " ".join(w.text for w in line), found)
    if not best[2]:
        return (
            "no repayment-plan header found (no line names a period or due date with amount columns such as "
            "应还本金, 应还利息, 本期应还)"
        )
    missing = [f for f in ("period", "due_date", "principal", "interest", "total") if f not in best[2]]
    return f"no usable repayment-plan header: {best[1][:60]!r} has {', '.join(best[2])} but lacks {', '.join(missing)}"
