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
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from ..errors import BadFile, NeedsPassword, WrongPassword
from ..inputs import InputFile

#: Pages read at most; a statement longer than this is split by the user.
MAX_PAGES = 5000


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


@contextmanager
def open_pdf(inp: InputFile) -> Iterator[Any]:
    """Open a PDF with the first of the given passwords that works."""
    import pdfplumber

    passwords = list(inp.passwords) or [""]
    pdf = None
    for password in passwords:
        try:
            pdf = pdfplumber.open(io.BytesIO(inp.data), password=password)
            _ = pdf.pages  # forces the document (and its encryption) to be read
            break
        except Exception as exc:
            if _is_password_error(exc):
                pdf = None
                continue
            inner = exc.args[0] if exc.args and isinstance(exc.args[0], BaseException) else exc
            raise BadFile(
                f"cannot read the PDF ({type(inner).__name__})",
                path=inp.path,
                hint="the file may be damaged or truncated; download it again",
            ) from exc
    if pdf is None:
        if inp.passwords:
            raise WrongPassword(f"wrong password for the PDF ({len(inp.passwords)} tried)", path=inp.path)
        raise NeedsPassword(
            "the PDF is password-protected",
            path=inp.path,
            hint="give the password with --password (it is in the message that sent the PDF)",
        )
    if len(pdf.pages) > MAX_PAGES:
        pdf.close()
        raise BadFile(f"the PDF has {len(pdf.pages)} pages; at most {MAX_PAGES} are read", path=inp.path)
    try:
        yield pdf
    finally:
        pdf.close()


def fold_radicals(text: str) -> str:
    """Kangxi radicals and CJK compatibility ideographs (⾏ ⼾ ⽇ ⾦, as some bank PDFs emit) become the ordinary
    characters; everything else, full-width punctuation included, stays exactly as printed."""
    if not any("\u2e80" <= ch <= "\u2fdf" or "\uf900" <= ch <= "\ufaff" for ch in text):
        return text
    return "".join(
        unicodedata.normalize("NFKC", ch) if "\u2e80" <= ch <= "\u2fdf" or "\uf900" <= ch <= "\ufaff" else ch
        for ch in text
    )


def _is_password_error(exc: BaseException) -> bool:
    """pdfplumber wraps pdfminer's PDFPasswordIncorrect in its own exception."""
    from pdfminer.pdfdocument import PDFPasswordIncorrect

    seen: BaseException | None = exc
    for _ in range(4):
        if seen is None:
            return False
        if isinstance(seen, PDFPasswordIncorrect) or any(
            isinstance(a, PDFPasswordIncorrect) for a in seen.args
        ):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


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


def read_table(
    pdf: Any,
    header_names: Sequence[str],
    *,
    is_anchor: Callable[[str], bool],
    stop: Callable[[str], bool] = lambda text: False,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[list[TableRow], list[str], int]:
    """Rows of the table whose header line names ``header_names`` (in that order of columns), on every page.

    Returns (rows, text lines above the first header, index of the page holding the first header). A page
    without its own header line continues with the previous page's columns.
    """
    rows: list[TableRow] = []
    preamble: list[str] = []
    starts: list[float] | None = None
    first_page = 0
    total = len(pdf.pages)
    for page_no, page in enumerate(pdf.pages, start=1):
        if progress:
            progress(page_no, total)
        lines = group_lines(page_words(page))
        found = find_header(lines, header_names)
        if found is not None:
            head, starts = found
            if not first_page:
                first_page = page_no
                preamble = [line_text(ln) for ln in lines[:head]]
            body = lines[head + 1 :]
        elif starts is not None:
            body = lines
        else:
            continue
        rows.extend(_page_rows(body, starts, page_no, is_anchor, stop))
        page.flush_cache() if hasattr(page, "flush_cache") else None
    return rows, preamble, first_page


def _page_rows(
    lines: Sequence[Sequence[Word]],
    starts: Sequence[float],
    page_no: int,
    is_anchor: Callable[[str], bool],
    stop: Callable[[str], bool],
) -> list[TableRow]:
    bounds = [s - 3.0 for s in starts]
    first_col_end = bounds[1] if len(bounds) > 1 else float("inf")
    anchors: list[float] = []
    members: list[list[Word]] = []
    loose: list[Word] = []
    for line in lines:
        text = line_text(line)
        if stop(text):
            break
        lead = [w for w in line if w.x0 < first_col_end]
        if lead and is_anchor(" ".join(w.text for w in lead)):
            anchors.append(line[0].middle)
            members.append(list(line))
        else:
            loose.extend(line)
    if not anchors:
        return []
    gap = min((b - a for a, b in pairwise(anchors)), default=30.0)
    for w in loose:
        nearest = min(range(len(anchors)), key=lambda i: abs(anchors[i] - w.middle))
        if abs(anchors[nearest] - w.middle) <= max(gap * 0.6, 8.0):
            members[nearest].append(w)
    out = []
    for index, words in enumerate(members, start=1):
        cells = [""] * len(starts)
        ordered = sorted(words, key=lambda w: (round(w.top), w.x0))
        for w in ordered:
            col = max((i for i, b in enumerate(bounds) if w.x0 >= b), default=0)
            cells[col] = join_wrapped(cells[col], w.text)
        out.append(TableRow(page_no, index, cells, " ".join(w.text for w in ordered)))
    return out
