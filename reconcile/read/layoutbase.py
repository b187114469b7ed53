"""The layout reader's shared pieces (`layout`, `layoutgrid`, `layoutrows`): which words carry data and which
lines are page furniture, a table's `Column`s and the `Grid` they make on a page, the `Row`s read with it, and
how a wrapped cell's text is joined.
"""

from __future__ import annotations

import bisect
import re
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from .geometry import Word

#: Tokens that carry data: amounts, dates, period numbers (``1,079.71`` ``2024-02-10`` ``3/12`` ``第3期``).
_DATA_TOKEN = re.compile(
    r"^[-+(（]?(?:第)?[¥￥$]?\d[\d,.:/\-]*(?:年\d{1,2}月\d{1,2}日?|[)）]|元|期|%)?[)）]?$|^\d{1,2}月\d{1,2}日$"
)
_PAGE_MARK = re.compile(
    r"^(?:第\s*\d+\s*页(?:\s*[/,，]?\s*共\s*\d+\s*页)?|共\s*\d+\s*页\s*第\s*\d+\s*页|\d+\s*/\s*\d+|"
    r"-\s*\d+\s*-|page\s*\d+(?:\s*(?:of|/)\s*\d+)?)$",
    re.I,
)


_KV = re.compile(r"[^\d\s:：]{2,12}\s*[:：]\s*[^\s:：)）]")


def _key_value(line: Sequence[Word]) -> bool:
    """``借款金额：12,000.00`` -- a terms line, never part of a table header."""
    return bool(_KV.search(" ".join(w.text for w in line)))


def is_data_token(text: str) -> bool:
    return bool(_DATA_TOKEN.match(text))


def data_tokens(line: Sequence[Word]) -> int:
    return sum(1 for w in line if is_data_token(w.text))


def is_page_mark(line: Sequence[Word]) -> bool:
    """``第 1 页 / 共 3 页``, ``1/3``, ``Page 2 of 5``: page furniture, never a row."""
    return bool(_PAGE_MARK.match(" ".join(w.text for w in line).strip()))


@dataclass(frozen=True)
class Column:
    left: float  # boundary with the previous column (-inf for the first)
    right: float  # boundary with the next column (inf for the last)
    parts: tuple[str, ...]  # header texts, top to bottom (a label over several columns first)

    @property
    def header(self) -> str:
        return "".join(self.parts)


@dataclass(frozen=True)
class Row:
    """One table row: its page, its 1-based position among the table's rows on that page, the text of each
    column, and its words in reading order (line by line, left to right) as the evidence text."""

    page: int
    index: int
    cells: tuple[str, ...]
    text: str
    top: float
    anchored: bool = True
    lines: tuple[int, ...] = ()  # indexes of its lines on the page
    grid: Grid | None = field(default=None, compare=False, repr=False)  # the columns it was read with


@dataclass
class Grid:
    """The columns of a table on one page and where its header lies."""

    columns: list[Column]
    header_lines: tuple[int, int]  # first and last line index of the header block (inclusive)
    ruled: bool = False
    note: str = ""
    _rights: list[float] | None = field(default=None, repr=False, compare=False)

    @property
    def headers(self) -> list[str]:
        return [c.header for c in self.columns]

    def split(self, words: Iterable[Word]) -> list[str]:
        """The text of each column for some words (a line or a row's lines), wrapped text joined."""
        cells = [""] * len(self.columns)
        for w in sorted(words, key=lambda w: (round(w.base), w.x0)):
            i = self.column_of(w)
            cells[i] = join_wrapped(cells[i], w.text)
        return cells

    def column_of(self, w: Word) -> int:
        rights = self._rights
        if rights is None:
            rights = self._rights = [c.right for c in self.columns[:-1]]
        return bisect.bisect_right(rights, (w.x0 + w.x1) / 2)


def _cjk(ch: str) -> bool:
    return "\u3000" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef"


def join_wrapped(left: str, right: str) -> str:
    """Join a cell's text with its continuation: no space between two CJK characters, one otherwise."""
    if not left:
        return right
    if not right:
        return left
    if _cjk(left[-1]) and _cjk(right[0]):
        return left + right
    return f"{left} {right}"


def _em(words: Sequence[Word]) -> float:
    sizes = [w.size for w in words]
    return statistics.median(sizes) if sizes else 10.0
