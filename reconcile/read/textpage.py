"""A fixed-width text printout (a report padded with spaces to line its columns up) as a page of words, so the
same table-structure reader that reads PDFs reads it: each run of non-space characters is a word at its
display column (a CJK character takes two columns), one line per text line."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from .pdfpage import Page, Word

#: The em of a text page, in display columns: a CJK character is one em wide.
EM = 2.0
#: Distance between two text lines, in the same units.
PITCH = 2.6


def _width(ch: str) -> int:
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def text_page(lines: Sequence[str], number: int = 1) -> Page:
    """The words of ``lines`` placed by display column; tabs expand to the next multiple of eight."""
    words: list[Word] = []
    for i, raw in enumerate(lines):
        line = raw.expandtabs(8).rstrip("\r\n")
        base = (i + 1) * PITCH
        for m in re.finditer(r"\S+", line):
            col_start = sum(_width(c) for c in line[: m.start()])
            col_end = col_start + sum(_width(c) for c in m.group(0))
            words.append(
                Word(m.group(0), float(col_start), float(col_end), base - 0.85 * EM, base + 0.15 * EM, EM)
            )
    return Page(number, tuple(words), (), "text")


def is_fixed_width(lines: Sequence[str]) -> bool:
    """Whether a text file lines its columns up with runs of spaces (not commas or tabs)."""
    sample = [ln for ln in lines[:200] if ln.strip()]
    if not sample:
        return False
    spaced = sum(1 for ln in sample if re.search(r"\S {2,}\S", ln))
    delimited = sum(1 for ln in sample if ln.count("\t") >= 2 or re.search(r",(?!\d{3}(?:\D|$))", ln))
    return spaced >= max(3, len(sample) // 3) and spaced > delimited
