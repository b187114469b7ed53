"""Lenders' statements, repayment plans and card bills as text PDFs (FORMATS.md §8).

The table's structure comes from the page (`reconcile.read.layout`): ruled or borderless, a header over one to
three lines, centred headers over right-aligned numbers, pages with or without a repeated header. Column
headers are read through the vocabulary (`reconcile.vocab`); the ``名称：值`` text above and below the table (and
key/value grids without colons) gives the terms. A second table below the schedule (还款记录, 费用明细) is read
as credited repayments or one-off charges.

Finding the tables on the pages (which columns make which table, where a row starts) is in `pdftables`; its
`schedule_accept`, `records_accept` and `data_tokens_text` are importable from here as before.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from ..dates import date_order
from ..errors import BadFile
from ..extractor import Extractor, Sniff
from ..inputs import InputFile
from ..model import Extraction, Role, SourceRef
from ..read.layout import Row, Table, data_tokens, is_page_mark
from ..read.pdfpage import Page, line_text, read_pages
from ..vocab import header_field, looks_like_header_word, norm
from .assemble import assemble, merge
from .blocks import card_lines, find_cards
from .cards import card_parts, is_card_bill, statement_month
from .cells import TableLine
from .pdftables import (
    card_accept,
    card_hint,
    grid_fields,
    read_tables,
    records_anchor,
    records_title,
    row_anchor,
    used_lines,
)
from .pdftables import data_tokens_text as data_tokens_text
from .pdftables import records_accept as records_accept
from .pdftables import schedule_accept as schedule_accept
from .periods import dash_periods
from .rows import Parts, classify_lines
from .termlines import is_term_line
from .terms import TermsReader

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
    from .termlines import loan_ids

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
    accept = card_accept if card else schedule_accept
    hint = card_hint if card else looks_like_header_word
    found = read_tables(pages, accept, hint, row_anchor(card), [] if card else [records_accept])
    tables = [t for t in found if card or not records_title(t)]
    records = [t for t in found if t not in tables]
    if not tables:
        return _cards(inp, pages, extractor)
    if not card:
        records += read_tables(
            pages,
            records_accept,
            looks_like_header_word,
            records_anchor,
            [schedule_accept],
            found[-1].end,
        )
    terms = TermsReader(inp.path, inp.sha256)
    used = used_lines([*tables, *records])
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
        fields = grid_fields(grid, card)
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


_ROW_DATE = re.compile(
    r"\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}|\b20\d{6}\b|\b\d{1,2}\s+[A-Z][a-z]{2}\s+\d{4}"
)
_ROW_AMOUNT = re.compile(r"(?<![\d.])\d{1,3}(?:,\d{3})*\.\d{2}(?![\d.])|(?<![\d.,])\d+\.\d{2}(?![\d.])")


def _schedule_rows(text: str) -> int:
    """Lines that look like a schedule row: a date and at least two amounts."""
    return sum(
        1 for line in text.splitlines() if _ROW_DATE.search(line) and len(_ROW_AMOUNT.findall(line)) >= 2
    )


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
