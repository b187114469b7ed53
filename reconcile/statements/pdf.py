"""Lenders' statements, repayment plans and card bills as text PDFs (FORMATS.md §8).

Ruled or borderless tables alike: words are placed in columns by the header's positions (rules are ignored),
the header is found by the §8 vocabulary on one line or two (``应还`` over ``本金 利息``), the table may continue
over pages with or without a repeated header, and the ``名称：值`` text above and below it gives the terms.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence

from ..errors import BadFile
from ..extractors.base import Extractor, Sniff
from ..extractors.pdftable import Word, line_text, page_lines, read_table
from ..inputs import InputFile
from ..model import Extraction, Role, SourceRef
from .rows import (
    CARD_COLUMNS,
    COLUMNS,
    TableLine,
    assemble,
    is_card_bill,
    match_columns,
    parse_period,
    schedule_header_ok,
    statement_month,
)
from .terms import TermsReader

_GAP = 6.0  # points between words that still belong to one header cell
_NOTE = re.compile(r"^(注|说明|温馨提示|备注|特别提示|声明|Note)")
_TERM = re.compile(r"^[^\d\s:：]{2,12}\s*[:：]")
_AMOUNT = re.compile(r"^[-+(]?[¥￥]?\d{1,3}(,\d{3})*(\.\d+)?\)?$|^[-+]?\d+\.\d{2}$")
_DATE = re.compile(r"^\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?$|^\d{1,2}/\d{1,2}$")


def _chunks(line: Sequence[Word]) -> list[tuple[str, float, float]]:
    """Header cells on one line: words closer than ``_GAP`` joined (with a space between Latin words)."""
    out: list[list[Word]] = []
    for w in line:
        if out and w.x0 - out[-1][-1].x1 <= _GAP:
            out[-1].append(w)
        else:
            out.append([w])
    chunks = []
    for group in out:
        text = ""
        for w in group:
            text += (" " if text and text[-1].isascii() and w.text[0].isascii() else "") + w.text
        chunks.append((text, group[0].x0, group[-1].x1))
    return chunks


def _two_line(top: Sequence[Word], bottom: Sequence[Word]) -> list[tuple[str, float, float]]:
    """Merge a header over two lines: a top cell spanning several bottom cells prefixes each of them."""
    upper, lower = _chunks(top), _chunks(bottom)
    out = []
    for text, x0, x1 in upper:
        children = [
            (t, a, b) for t, a, b in lower if a >= x0 - 12 and b <= x1 + 40 and (a + b) / 2 <= x1 + 20
        ]
        if len(children) >= 1 and (x1 - x0) < sum(b - a for _, a, b in children) + 60:
            out += [(text + t, a, b) for t, a, b in children]
        else:
            out.append((text, x0, x1))
    taken = {(t, a) for t, a, _ in lower}
    used = {(t[len(u[0]) :], a) for t, a, _ in out for u in upper if t.startswith(u[0])}
    out += [(t, a, b) for t, a, b in lower if (t, a) in taken - used and all(abs(a - o[1]) > 8 for o in out)]
    return sorted(out, key=lambda c: c[1])


def make_locator(card: bool):  # type: ignore[no-untyped-def]
    columns = CARD_COLUMNS if card else COLUMNS

    def ok(found: dict[str, int]) -> bool:
        return all(c.field in found for c in columns if c.required) if card else schedule_header_ok(found)

    def locate(lines: Sequence[Sequence[Word]]) -> tuple[int, list[float], list[str]] | None:
        for i, line in enumerate(lines):
            candidates = [(i, _chunks(line))]
            if i + 1 < len(lines):
                candidates.append((i + 1, _two_line(line, lines[i + 1])))
            best = None
            for end, chunks in candidates:
                found = match_columns([c[0] for c in chunks], columns)
                if ok(found) and (best is None or len(found) > len(best[1])):
                    best = (end, found, chunks)
            if best is not None:
                end, found, chunks = best
                names = [""] * len(chunks)
                for fieldname, index in found.items():
                    names[index] = fieldname
                return end, [c[1] for c in chunks], names
        return None

    return locate


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
        text = re.sub(r"[ \t]+", "", sniff.head_text)
        rows = [re.split(r"\s+", ln.strip()) for ln in sniff.head_text.splitlines()]
        plan_words = any(w in text for w in ("期数", "期次", "期号", "Period", "Installment"))
        amounts = sum(
            1
            for w in ("本金", "利息", "应还", "罚息", "手续费", "Principal", "Interest", "Total")
            if w in text
        )
        if plan_words and amounts >= 2:
            return True
        return is_card_bill(sniff.head_text) and any(
            all(any(x in "".join(r) for x in c.synonyms) for c in CARD_COLUMNS if c.required) for r in rows
        )

    def extract(self, inp: InputFile) -> Extraction:
        lines = page_lines(inp)
        first = next(lines, [])
        first_text = "\n".join(line_text(ln) for ln in first)
        card = is_card_bill(first_text) and not re.search(r"期数|期次|期号|Period", first_text)
        table = read_table(
            itertools.chain([first], lines),
            make_locator(card),
            is_anchor=_anchor(card),
            stop=_stop,
            ends=lambda text: bool(_TERM.match(text.strip())),
        )
        if not table.first_page:
            from ..extractors.pdf import explain_unreadable_pdf
            from .rows import describe_statement_header

            if not first_text.strip():
                explain_unreadable_pdf(inp)
            raise BadFile(
                describe_statement_header([ln.split() for ln in first_text.splitlines()]),
                path=inp.path,
                where="page 1",
            )
        terms = TermsReader(inp.path, inp.sha256)
        for i, line in enumerate(table.preamble, start=1):
            terms.feed(
                line, SourceRef(path=inp.path, sha256=inp.sha256, page=table.first_page, row=i, text=line)
            )
        last_page = table.rows[-1].page if table.rows else table.first_page
        for text in table.after:
            terms.feed(text, SourceRef(path=inp.path, sha256=inp.sha256, page=last_page, row=None, text=text))
        body: list[TableLine] = []
        for row in table.rows:
            cells = {name: row.cells[i] for i, name in enumerate(table.columns) if name}
            ref = SourceRef(path=inp.path, sha256=inp.sha256, page=row.page, row=row.index, text=row.raw)
            if parse_period(cells.get("period", "")) is None and _TERM.match(row.raw):
                terms.feed(row.raw, ref)
                continue
            body.append(TableLine(cells, {}, ref))
        header = SourceRef(
            path=inp.path,
            sha256=inp.sha256,
            page=table.first_page,
            row=None,
            text=table.header_text,
        )
        metadata = {
            "layout": "card bill" if card else "repayment plan",
            "pages_with_rows": ",".join(sorted({str(r.page) for r in table.rows}, key=int)),
        }
        return assemble(
            inp,
            self.name,
            terms,
            body,
            card=card,
            month=statement_month(first_text),
            header=header,
            metadata=metadata,
        )


def _stop(text: str) -> bool:
    return bool(_NOTE.match(text.strip()))


def _anchor(card: bool):  # type: ignore[no-untyped-def]
    def anchor(cells: list[str]) -> bool:
        tokens = [t for c in cells for t in c.split()]
        has_amount = any(_AMOUNT.match(t) for t in tokens)
        has_date = any(_DATE.match(t) for t in tokens)
        if card:
            return has_date and has_amount
        return (has_amount or has_date) and not _TERM.match(" ".join(c for c in cells if c))

    return anchor
