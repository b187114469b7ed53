"""Lenders' statements and repayment plans as CSV, TXT, XLSX or XLS (FORMATS.md §8): any subset and order of the
schedule columns through the vocabulary (`reconcile.vocab`), Chinese or English, a header over one to three
rows with merged cells, totals rows, terms as ``名称：值`` text or as a key in one cell and its value in the
next (on the plan's sheet or another), a second table of repayments received or charges; or a credit-card bill
(transactions with 本期应还金额 / 最低还款额 around them)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..dates import date_order
from ..errors import BadFile
from ..extractor import Extractor, Sniff
from ..inputs import InputFile
from ..model import Extraction, Role, SourceRef
from ..read.table import Row, Sheet, decode_text, read_sheets, split_lines
from ..read.textpage import is_fixed_width, text_page
from ..vocab import header_field, norm
from .assemble import assemble, merge
from .cards import CARD_FIELDS, card_parts, is_card_bill, statement_month
from .cells import TableLine
from .periods import dash_periods, parse_period
from .rows import Mapping, Parts, classify_lines, map_columns
from .termlines import is_term_cells
from .terms import TermsReader

#: Rows scanned for a header.
SCAN = 200
_NOTE = re.compile(
    r"^(注[:：\s]|注意|说明[:：]|温馨提示|备注[:：]|特别提示|特别说明|声明|重要提示|Note[s]?\b|Remarks?\b)",
    re.I,
)


@dataclass(frozen=True)
class Header:
    index: int  # position of the first header row in Sheet.rows
    span: int  # rows the header takes (1-3)
    headers: list[tuple[str, ...]]  # each column's header lines, top first
    mapping: Mapping
    score: int


def stacked(rows: Sequence[Sequence[str]]) -> list[tuple[str, ...]]:
    """A header over several rows, each column's texts top to bottom. A merged cell keeps its text only in its
    first column: an upper row's text carries over the following empty cells while a lower row names them."""
    width = max(len(r) for r in rows)
    grid = [[(r[i].strip() if i < len(r) else "") for i in range(width)] for r in rows]
    for level in range(len(grid) - 1):
        carry = ""
        for i in range(width):
            below = any(grid[k][i] for k in range(level + 1, len(grid)))
            if grid[level][i]:
                carry = grid[level][i]
            elif carry and below:
                grid[level][i] = carry
            else:
                carry = ""
    return [tuple(grid[k][i] for k in range(len(grid)) if grid[k][i]) for i in range(width)]


def find_header(rows: Sequence[Sequence[str]], scan: int = SCAN) -> Header | None:
    """The best repayment-plan header in the first ``scan`` rows (one to three rows stacked); on a tie, the one
    starting lower (a title or a terms row just above a header is not part of it)."""
    best: Header | None = None
    limit = min(scan, len(rows))
    for i in range(limit):
        if not any(c.strip() for c in rows[i]) or _data_row(rows[i]):
            continue
        for span in (1, 2, 3):
            block = rows[i : i + span]
            if len(block) < span or (
                span > 1 and (_data_row(block[-1]) or not any(c.strip() for c in block[-1]))
            ):
                break
            headers = stacked(block)
            mapping = map_columns(headers)
            score = mapping.score()
            if score and (best is None or score > best.score or (score == best.score and i > best.index)):
                best = Header(i, span, headers, mapping, score)
    return best


def _data_row(cells: Sequence[str]) -> bool:
    return (
        sum(
            1
            for c in cells
            if re.fullmatch(r"[-+]?[¥￥]?[\d,]+(\.\d+)?|\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?.*", c.strip())
        )
        >= 2
    )


def records_header(rows: Sequence[Sequence[str]], start: int) -> tuple[int, list[str]] | None:
    """A table of repayments received or charges below the plan: a header with a date and an amount, no period."""
    for i in range(start, min(len(rows), start + SCAN)):
        cells = [c.strip() for c in rows[i]]
        fields = [header_field([c]) if c else None for c in cells]
        heads = "".join(norm(c) for c in cells)
        if "period" in fields or _data_row(cells):
            continue
        amount = (
            any(f in ("paid", "total", "fees", "penalty") for f in fields)
            or "金额" in heads
            or "amount" in heads
        )
        when = any(f in ("due_date", "paid_date") for f in fields) or "日期" in heads or "date" in heads
        if amount and when and sum(1 for c in cells if c) >= 2:
            return i, cells
    return None


class StatementTable(Extractor):
    name = "statement-table"
    role = Role.STATEMENT
    file_types = ("csv", "txt", "xlsx", "xls")
    description = (
        "lender statements / repayment plans (还款计划, 借款明细, card bills) as CSV or Excel, any §8 layout"
    )

    @classmethod
    def identify(cls, sniff: Sniff) -> bool:
        if not cls.accepts_kind(sniff):
            return False
        rows = sniff.head_cells
        if find_header(rows) is not None:
            return True
        if sniff.kind == "text":
            lines = sniff.head_text.splitlines()
            if is_fixed_width(lines) and find_header([re.split(r"\s{2,}", ln.strip()) for ln in lines]):
                return True
        return is_card_bill(sniff.head_text) and _card_header(rows) is not None

    def extract(self, inp: InputFile) -> Extraction:
        if inp.kind == "text":
            text, _ = decode_text(inp)
            lines = split_lines(text)
            if is_fixed_width(lines):
                from .pdf import statement_from_pages

                return statement_from_pages(inp, [text_page(lines)], self.name)
        sheets = read_sheets(inp)
        found = [(s, h) for s in sheets if (h := find_header([r.cells for r in s.rows])) is not None]
        if found:
            sheet, header = max(found, key=lambda f: f[1].score)
            return self._plan(inp, sheets, sheet, header)
        for sheet in sheets:
            card = _card_header([r.cells for r in sheet.rows])
            if card is not None and is_card_bill("\n".join(r.raw for r in sheet.rows)):
                return self._card(inp, sheet, card)
        raise BadFile(
            _describe_missing([r.cells for s in sheets for r in s.rows]),
            path=inp.path,
            hint="is this a repayment plan or statement? force a format with --format if it is",
        )

    def _plan(self, inp: InputFile, sheets: list[Sheet], sheet: Sheet, header: Header) -> Extraction:
        terms = TermsReader(inp.path, inp.sha256)
        fields = header.mapping.fields
        body: list[TableLine] = []
        after: list[Row] = []
        ended = False
        end = len(sheet.rows)
        records = records_header([r.cells for r in sheet.rows], header.index + header.span)
        for pos, row in enumerate(sheet.rows):
            ref = _ref(inp, sheet, row)
            if pos < header.index:
                self._terms(terms, sheet, row, ref)
                continue
            if pos < header.index + header.span:
                continue
            if records is not None and pos >= records[0]:
                end = min(end, pos)
                break
            if ended or _is_note(row) or _repeated_header(row, header):
                if not _repeated_header(row, header):
                    ended = True
                    after.append(row)
                continue
            line = _line(row, fields, header, ref)
            if _is_term_row(row) and parse_period(line.cells.get("period", "")) is None:
                after.append(row)
                continue
            body.append(line)
        for row in after:
            self._terms(terms, sheet, row, _ref(inp, sheet, row))
        for other in sheets:
            if other is not sheet:
                for row in other.rows:
                    self._terms(terms, other, row, _ref(inp, other, row))
        terms.date_order = date_order([ln.cells.get(f, "") for ln in body for f in ("due_date", "paid_date")])
        dash = dash_periods([ln.cells.get("period", "") for ln in body])
        parts = [classify_lines(body, dash=dash)]
        if records is not None:
            parts.append(self._records(inp, sheet, records, terms))
        for other in sheets:
            if other is sheet:
                continue
            found = records_header([r.cells for r in other.rows], 0)
            if found is not None:
                parts.append(self._records(inp, other, found, terms))
        first = sheet.rows[header.index]
        ref = SourceRef(path=inp.path, sha256=inp.sha256, sheet=sheet.name, row=first.number, text=first.raw)
        metadata = {"layout": "repayment plan", "header_row": str(first.number)}
        if sheet.name is not None:
            metadata["sheet"] = sheet.name
        if sheet.encoding:
            metadata["encoding"] = sheet.encoding
        return assemble(inp, self.name, terms, merge(*parts), card=False, header=ref, metadata=metadata)

    def _terms(self, terms: TermsReader, sheet: Sheet, row: Row, ref: SourceRef) -> None:
        if sheet.name is None and (len([c for c in row.cells if c]) <= 1 or re.search(r"[:：]", row.raw)):
            terms.feed(row.raw.replace("\t", " "), ref)
        else:
            terms.feed_cells(row.cells, ref)

    def _records(
        self, inp: InputFile, sheet: Sheet, found: tuple[int, list[str]], terms: TermsReader
    ) -> Parts:
        index, heads = found
        title = " ".join(" ".join(r.cells) for r in sheet.rows[max(0, index - 2) : index])
        section = (
            "charges" if re.search(r"费用|收费|charges|fees", title + " ".join(heads), re.I) else "repayments"
        )
        lines = []
        for row in sheet.rows[index + 1 :]:
            if _is_note(row) or not any(row.cells):
                break
            cells: dict[str, str] = {}
            values: dict[str, object] = {}
            extra: dict[str, str] = {}
            for i, head in enumerate(heads):
                text = row.cells[i] if i < len(row.cells) else ""
                name = header_field([head]) if head else None
                key = norm(head)
                target = None
                if name in ("due_date", "paid_date") or (name is None and ("日期" in key or "date" in key)):
                    target = "paid_date"
                elif name in ("paid", "total", "fees", "penalty") or (
                    name is None and ("金额" in key or "amount" in key)
                ):
                    target = "paid" if section == "repayments" else "total"
                elif name in ("description", "status"):
                    target = "description"
                if target and target not in cells:
                    cells[target] = text
                    if row.values is not None and i < len(row.values):
                        values[target] = row.values[i]
                elif text:
                    extra[head or f"column {i + 1}"] = text
            lines.append(TableLine(cells, values, _ref(inp, sheet, row), extra))
        return classify_lines(lines, section=section)

    def _card(self, inp: InputFile, sheet: Sheet, found: tuple[int, dict[str, int]]) -> Extraction:
        index, cols = found
        terms = TermsReader(inp.path, inp.sha256)
        body: list[TableLine] = []
        for pos, row in enumerate(sheet.rows):
            ref = _ref(inp, sheet, row)
            if pos < index or _is_note(row) or _is_term_row(row):
                self._terms(terms, sheet, row, ref)
                continue
            if pos == index:
                continue
            cells = {f: (row.cells[i] if i < len(row.cells) else "") for f, i in cols.items()}
            values = {
                f: row.values[i] for f, i in cols.items() if row.values is not None and i < len(row.values)
            }
            body.append(TableLine(cells, values, ref))
        month = statement_month(" ".join(terms.titles) + " " + " ".join(r.raw for r in sheet.rows[:index]))
        first = sheet.rows[index]
        ref = SourceRef(path=inp.path, sha256=inp.sha256, sheet=sheet.name, row=first.number, text=first.raw)
        metadata = {"layout": "card bill", "header_row": str(first.number)}
        if sheet.name is not None:
            metadata["sheet"] = sheet.name
        if sheet.encoding:
            metadata["encoding"] = sheet.encoding
        parts = card_parts(body, month)
        return assemble(inp, self.name, terms, parts, card=True, header=ref, metadata=metadata)


def _card_header(rows: Sequence[Sequence[str]]) -> tuple[int, dict[str, int]] | None:
    for i, row in enumerate(rows[:SCAN]):
        found: dict[str, int] = {}
        for j, cell in enumerate(row):
            key = norm(cell)
            for name, words in CARD_FIELDS.items():
                if key in words and name not in found:
                    found[name] = j
        if {"date", "description", "amount"} <= set(found):
            return i, found
    return None


def _ref(inp: InputFile, sheet: Sheet, row: Row) -> SourceRef:
    return SourceRef(path=inp.path, sha256=inp.sha256, sheet=sheet.name, row=row.number, text=row.raw)


def _line(row: Row, fields: dict[str, int], header: Header, ref: SourceRef) -> TableLine:
    cells = {f: (row.cells[i] if i < len(row.cells) else "") for f, i in fields.items()}
    values = {f: row.values[i] for f, i in fields.items() if row.values is not None and i < len(row.values)}
    extra = {
        (header.mapping.extra.get(i) or f"column {i + 1}"): text
        for i, text in enumerate(row.cells)
        if i not in fields.values() and text
    }
    return TableLine(cells, values, ref, extra)


def _repeated_header(row: Row, header: Header) -> bool:
    mapped = [header_field([c]) for c in row.cells if c.strip()]
    return bool(mapped) and sum(1 for m in mapped if m) >= max(2, len(mapped) // 2 + 1)


def _is_term_row(row: Row) -> bool:
    """A terms row inside or after the table (剩余应还：1,632.00, or 剩余应还 | 1,632.00), not a table row."""
    return is_term_cells(row.cells)


def _is_note(row: Row) -> bool:
    first = next((c for c in row.cells if c), "")
    return bool(_NOTE.match(first.strip())) and sum(1 for c in row.cells if c) <= 2


def _describe_missing(rows: Sequence[Sequence[str]]) -> str:
    best: tuple[int, int, list[str]] = (0, 0, [])
    for i, row in enumerate(rows[:SCAN]):
        found = sorted({f for c in row if c and (f := header_field([c]))})
        if len(found) > best[0]:
            best = (len(found), i + 1, found)
    if not best[2]:
        return (
            "no repayment-plan header row found (no row names 期数/Period with amount columns such as "
            "应还本金, 应还利息, 本期应还)"
        )
    missing = [f for f in ("period", "due_date", "principal", "interest", "total") if f not in best[2]]
    return f"no usable repayment-plan header: row {best[1]} has {', '.join(best[2])} but lacks {', '.join(missing)}"
