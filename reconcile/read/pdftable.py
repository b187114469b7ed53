"""Tables from text PDFs, by word positions: the header line is found by its text, columns are the header
words' x positions, a row starts at a word in the anchor column (a date, a period number) and takes every word
nearest to it vertically, so cells wrapped over two or three lines stay in their row.

Works for ruled and borderless tables alike (rules are ignored); ``dedupe_chars`` removes fake-bold doubled
glyphs and NFKC undoes Kangxi radicals and full-width forms.
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from ..inputs import InputFile
from .pdfopen import MAX_PAGES, PARALLEL_FROM_PAGES, engine, jobs_for, open_pdf

__all__ = [
    "MAX_PAGES",
    "PARALLEL_FROM_PAGES",
    "PROGRESS",
    "HeaderLocator",
    "PdfTable",
    "TableRow",
    "Word",
    "engine",
    "find_header",
    "fold_radicals",
    "group_lines",
    "jobs_for",
    "join_wrapped",
    "line_text",
    "names_locator",
    "open_pdf",
    "page_lines",
    "page_words",
    "pdfium_words",
    "read_table",
    "split_cells",
]


@dataclass(frozen=True, slots=True)
class Word:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2


@dataclass(frozen=True)
class TableRow:
    """One table row from a PDF: its page, its 1-based position among the table rows of that page, the text of
    each column, and the row's words in reading order."""

    page: int
    index: int
    cells: list[str]
    raw: str


def fold_radicals(text: str) -> str:
    """Kangxi radicals and CJK compatibility ideographs (⾏ ⼾ ⽇ ⾦, as some bank PDFs emit) become the ordinary
    characters; everything else, full-width punctuation included, stays exactly as printed."""
    if not any("\u2e80" <= ch <= "\u2fdf" or "\uf900" <= ch <= "\ufaff" for ch in text):
        return text
    return "".join(
        unicodedata.normalize("NFKC", ch) if "\u2e80" <= ch <= "\u2fdf" or "\uf900" <= ch <= "\ufaff" else ch
        for ch in text
    )


def page_words(page: Any) -> list[Word]:
    words = page.dedupe_chars().extract_words(x_tolerance=1.5, y_tolerance=2, keep_blank_chars=False)
    return [
        Word(
            fold_radicals(w["text"]),
            float(w["x0"]),
            float(w["x1"]),
            float(w["top"]),
            float(w["bottom"]),
        )
        for w in words
        if w["text"].strip()
    ]


def group_lines(words: Sequence[Word], tolerance: float = 2.0) -> list[list[Word]]:
    """Words on the same visual line (tops within ``tolerance``), each line left to right, top to bottom."""
    lines: list[list[Word]] = []
    for w in sorted(words, key=lambda w: (round(w.top, 1), w.x0)):
        if lines and abs(lines[-1][0].top - w.top) <= tolerance:
            lines[-1].append(w)
        else:
            lines.append([w])
    return [sorted(line, key=lambda w: w.x0) for line in lines]


def line_text(line: Sequence[Word], gap: float = 12.0) -> str:
    """The words of a line; a horizontal gap wider than ``gap`` points becomes four spaces (a column break)."""
    if not line:
        return ""
    out = line[0].text
    for prev, w in pairwise(line):
        out += ("    " if w.x0 - prev.x1 > gap else " ") + w.text
    return out


def _cjk(ch: str) -> bool:
    return "\u3000" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef"


def join_wrapped(left: str, right: str) -> str:
    """Join a cell's text with its continuation: no space between two CJK characters, one otherwise."""
    if not left:
        return right
    if _cjk(left[-1]) and _cjk(right[0]):
        return left + right
    return f"{left} {right}"


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def find_header(lines: Sequence[Sequence[Word]], names: Sequence[str]) -> tuple[int, list[float]] | None:
    """The index of the line naming every header in ``names`` and the x position where each column starts."""
    wanted = [_squash(n) for n in names]
    for i, line in enumerate(lines):
        joined = _squash("".join(w.text for w in line))
        if not all(n in joined for n in wanted):
            continue
        starts: list[float] = []
        for name in wanted:
            x = _x_of(line, name)
            if x is None:
                break
            starts.append(x)
        else:
            return i, starts
    return None


def _x_of(line: Sequence[Word], name: str) -> float | None:
    """Where ``name`` starts on the line, also when it is split over words or shares a word with others."""
    for j in range(len(line)):
        text = ""
        for k in range(j, min(j + 6, len(line))):
            text += _squash(line[k].text)
            if text.startswith(name):
                return line[j].x0
            if name.startswith(text):
                continue
            if name in text and k == j:
                w = line[j]
                offset = text.index(name) / max(len(text), 1)
                return w.x0 + offset * (w.x1 - w.x0)
            break
    return None


HeaderLocator = Callable[[Sequence[Sequence[Word]]], "tuple[int, list[float], list[str]] | None"]


def names_locator(names: Sequence[str]) -> HeaderLocator:
    """A header locator for a fixed list of column names (any spacing, NFKC)."""

    def locate(lines: Sequence[Sequence[Word]]) -> tuple[int, list[float], list[str]] | None:
        found = find_header(lines, names)
        return None if found is None else (found[0], found[1], list(names))

    return locate


@dataclass(frozen=True)
class PdfTable:
    rows: list[TableRow]
    columns: list[str]  # the header names, one per column
    preamble: list[str]  # text lines above the first header
    after: list[str]  # text lines after the table ends (notes, terms printed below it)
    first_page: int  # 0 when no header was found
    first_text: str = ""  # the text of page 1, line by line
    header_text: str = ""  # the header line as printed


def pdfium_words(page: Any) -> list[Word]:
    """Words from pypdfium2's character boxes, grouped as pdfplumber's ``extract_words`` groups them (a gap over
    1.5 points or a space ends a word), with fake-bold doubled glyphs dropped."""
    height = page.get_height()
    textpage = page.get_textpage()
    try:
        count = textpage.count_chars()
        text = textpage.get_text_range(0, count) if count else ""
        if len(text) != count:
            text = "".join(textpage.get_text_range(i, 1) or " " for i in range(count))
        words: list[Word] = []
        current: list[tuple[str, float, float, float, float]] = []

        def flush() -> None:
            if current:
                words.append(
                    Word(
                        fold_radicals("".join(c[0] for c in current)),
                        current[0][1],
                        current[-1][2],
                        min(c[3] for c in current),
                        max(c[4] for c in current),
                    )
                )
                current.clear()

        previous: tuple[str, float, float, float, float] | None = None
        for i in range(count):
            ch = text[i]
            if ch.isspace() or ch == "\x00":
                flush()
                continue
            left, bottom, right, top = textpage.get_charbox(i, loose=True)
            char = (ch, left, right, height - top, height - bottom)
            if (
                previous is not None
                and ch == previous[0]
                and abs(left - previous[1]) < 1
                and abs(char[3] - previous[3]) < 1
            ):
                continue  # fake bold: the same glyph printed twice at (almost) the same place
            if current and (
                left - current[-1][2] > 1.5 or abs(char[3] - current[-1][3]) > 2 or left < current[-1][1]
            ):
                flush()
            current.append(char)
            previous = char
        flush()
        return words
    finally:
        textpage.close()


#: Called as progress(path, pages done, pages in all) while long PDFs are read; the CLI sets it when stderr is
#: a terminal. None (the default for library use) reports nothing.
PROGRESS: Callable[[str, int, int], None] | None = None


def page_lines(inp: InputFile, *, jobs: int | None = None) -> Iterator[list[list[Word]]]:
    """The text lines of every page, in order; long PDFs are read by several processes."""
    progress = PROGRESS
    if progress is not None:
        for done, lines in enumerate(_page_lines(inp, jobs=jobs), start=1):
            progress(inp.path, done, 0)
            yield lines
        progress(inp.path, -1, 0)
        return
    yield from _page_lines(inp, jobs=jobs)


def _page_lines(inp: InputFile, *, jobs: int | None = None) -> Iterator[list[list[Word]]]:
    with open_pdf(inp) as pdf:  # checks the password and that the file is readable at all
        total = len(pdf.pages)
        password = getattr(pdf, "_reconcile_password", "")
        n = jobs or jobs_for(total)
        use_pdfium = engine() == "pdfium"
        if use_pdfium and n <= 1:
            yield from _pdfium_pages(inp.data, password, 0, total)
            return
        if n <= 1:
            for page in pdf.pages:
                yield group_lines(page_words(page))
                if hasattr(page, "close"):
                    page.close()
            return
    from concurrent.futures import ProcessPoolExecutor

    size = -(-total // n)
    ranges = [(i, min(i + size, total)) for i in range(0, total, size)]
    with ProcessPoolExecutor(max_workers=n) as pool:
        reader = _pdfium_page_list if use_pdfium else _read_pages
        futures = [pool.submit(reader, inp.data, password, a, b) for a, b in ranges]
        for future in futures:
            yield from future.result()


def _pdfium_pages(data: bytes, password: str, start: int, stop: int) -> Iterator[list[list[Word]]]:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(data, password=password or None)
    try:
        for i in range(start, stop):
            page = doc[i]
            try:
                yield group_lines(pdfium_words(page))
            finally:
                page.close()
    finally:
        doc.close()


def _pdfium_page_list(data: bytes, password: str, start: int, stop: int) -> list[list[list[Word]]]:
    return list(_pdfium_pages(data, password, start, stop))


def _read_pages(data: bytes, password: str, start: int, stop: int) -> list[list[list[Word]]]:
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data), password=password) as pdf:
        return [group_lines(page_words(pdf.pages[i])) for i in range(start, stop)]


def read_table(
    pages: Iterable[Sequence[Sequence[Word]]],
    header: Sequence[str] | HeaderLocator,
    *,
    is_anchor: Callable[[list[str]], bool],
    stop: Callable[[str], bool] = lambda text: False,
    ends: Callable[[str], bool] = lambda text: False,
) -> PdfTable:
    """Rows of the table under the header, on every page (``pages``: each page's lines, e.g. `page_lines`).

    ``header`` is a list of column names or a function that finds the header line (and may merge a two-line
    header). A row starts at a line for which ``is_anchor(cells)`` is true; other lines (wrapped text) join the
    nearest row. The table ends at a line for which ``stop`` is true; lines from there on are returned in
    ``after``; ``ends`` does the same, but only after a row on the same page (so a ``借据号：…`` line heading
    every page does not end the table). A page without its own header line continues with the previous page's
    columns.
    """
    locate = names_locator(header) if not callable(header) else header
    rows: list[TableRow] = []
    preamble: list[str] = []
    after: list[str] = []
    columns: list[str] = []
    starts: list[float] | None = None
    first_page = 0
    first_text = header_text = ""
    for page_no, lines in enumerate(pages, start=1):
        if page_no == 1:
            first_text = "\n".join(line_text(ln) for ln in lines)
        found = locate(lines)
        if found is not None:
            head, starts, names = found
            if not first_page:
                first_page, columns = page_no, names
                preamble = [line_text(ln) for ln in lines[:head]]
                header_text = line_text(lines[head])
            body = lines[head + 1 :]
        elif starts is not None:
            body = lines
        else:
            continue
        page_rows, stopped = _page_rows(body, starts, page_no, is_anchor, stop, ends)
        rows.extend(page_rows)
        if stopped is not None:
            after = [line_text(ln) for ln in body[stopped:]]
            break
    return PdfTable(rows, columns, preamble, after, first_page, first_text, header_text)


def split_cells(line: Sequence[Word], bounds: Sequence[float]) -> list[str]:
    cells = [""] * len(bounds)
    for w in line:
        col = max((i for i, b in enumerate(bounds) if w.x0 >= b), default=0)
        cells[col] = join_wrapped(cells[col], w.text)
    return cells


def _page_rows(
    lines: Sequence[Sequence[Word]],
    starts: Sequence[float],
    page_no: int,
    is_anchor: Callable[[list[str]], bool],
    stop: Callable[[str], bool],
    ends: Callable[[str], bool] = lambda text: False,
) -> tuple[list[TableRow], int | None]:
    bounds = [s - 3.0 for s in starts]
    anchors: list[float] = []
    members: list[list[Word]] = []
    loose: list[Word] = []
    stopped: int | None = None
    for i, line in enumerate(lines):
        text = line_text(line)
        if stop(text) or (anchors and ends(text)):
            stopped = i
            break
        if is_anchor(split_cells(line, bounds)):
            anchors.append(line[0].middle)
            members.append(list(line))
        else:
            loose.extend(line)
    if not anchors:
        return [], stopped
    gap = min((b - a for a, b in pairwise(anchors)), default=30.0)
    for w in loose:
        nearest = min(range(len(anchors)), key=lambda i: abs(anchors[i] - w.middle))
        if abs(anchors[nearest] - w.middle) <= max(gap * 0.6, 8.0):
            members[nearest].append(w)
    out = []
    for index, words in enumerate(members, start=1):
        ordered = sorted(words, key=lambda w: (round(w.top), w.x0))
        out.append(TableRow(page_no, index, split_cells(ordered, bounds), " ".join(w.text for w in ordered)))
    return out, stopped
