"""The page as geometry, whichever engine read it: characters (`Glyph`) become words (`Word`) by their
positions, words make lines, straight path segments become ruling lines (`Rule`); a `Page` holds them.

Characters are put in the reading orientation of the page's dominant text direction first (a page rotated
with ``/Rotate`` or drawn sideways reads left to right); words are made by geometry (baseline, then x), never
by the order an engine streams the characters, so both engines give the same words when they see the same
characters. Fake-bold doubled glyphs are dropped; Kangxi radicals and compatibility ideographs are folded to
the ordinary characters.
"""

from __future__ import annotations

import itertools
import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property


@dataclass(frozen=True, slots=True)
class Glyph:
    """One character in reading orientation: origin ``x0``, advance end ``x1``, baseline ``base`` (points from
    the top), em size."""

    text: str
    x0: float
    x1: float
    base: float
    size: float


@dataclass(frozen=True, slots=True)
class Word:
    """Characters on one baseline with no gap wider than a fifth of an em between them."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float = 10.0

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2

    @property
    def base(self) -> float:
        return self.bottom - 0.15 * self.size


@dataclass(frozen=True, slots=True)
class Rule:
    """A ruling line: ``vertical`` at x = ``at`` from ``start`` to ``end`` (tops), or horizontal at y = ``at``."""

    vertical: bool
    at: float
    start: float
    end: float


@dataclass(frozen=True)
class Page:
    number: int  # 1-based
    words: tuple[Word, ...]
    rules: tuple[Rule, ...] = ()
    engine: str = ""
    unmapped: int = 0  # glyphs without a text mapping (shown as U+FFFD)
    lines: list[list[Word]] = field(default_factory=list, compare=False)

    def __post_init__(self) -> None:
        if not self.lines and self.words:
            self.lines.extend(group_lines(self.words))

    @cached_property
    def text(self) -> str:
        return "\n".join(line_text(ln) for ln in self.lines)


# ------------------------------------------------------------------------------------------- characters to words


_RADICALS = re.compile("[\u2e80-\u2fdf\uf900-\ufaff]")


def fold_radicals(text: str) -> str:
    """Kangxi radicals and CJK compatibility ideographs (⾏ ⼾ ⽇ ⾦, as some bank PDFs emit) become the ordinary
    characters; everything else, full-width punctuation included, stays exactly as printed."""
    if not _RADICALS.search(text):
        return text
    return "".join(
        unicodedata.normalize("NFKC", ch) if "\u2e80" <= ch <= "\u2fdf" or "\uf900" <= ch <= "\ufaff" else ch
        for ch in text
    )


#: Characters that take no place on the page (zero-width spaces and joiners, soft hyphens): dropped.
_INVISIBLE = frozenset("\u200b\u200c\u200d\u2060\ufeff\u00ad")


def _direction(a: float, b: float) -> int:
    """The baseline direction of a glyph matrix, in quarter turns (0: left to right); -1 for a slanted baseline
    (a diagonal watermark), which is never part of a table."""
    angle = math.degrees(math.atan2(b, a)) % 360
    quarter = int(((angle + 45) % 360) // 90)
    off = abs(angle - quarter * 90)
    return quarter if min(off, 360 - off) <= 10 else -1


def _turn(quarter: int, x: float, y: float) -> tuple[float, float]:
    """User space (y up) to reading space (x along the text, y down) for text running ``quarter`` turns."""
    if quarter == 1:
        x, y = y, -x
    elif quarter == 2:
        x, y = -x, -y
    elif quarter == 3:
        x, y = -y, x
    return x, -y


@dataclass(slots=True)
class _RawGlyph:
    text: str
    ox: float  # origin, user space as pdfminer sees it (page rotation applied)
    oy: float
    quarter: int
    size: float
    box: tuple[float, float, float, float]  # x0, y0, x1, y1 in the same space


_Flat = tuple[str, float, float, float, float]  # text, x0, x1, base, size (a glyph in reading space)


def _glyphs(raw: Sequence[_RawGlyph]) -> tuple[list[_Flat], int]:
    """Put glyphs in the reading orientation of the page's dominant text direction; drop the others (text
    printed sideways in a margin, a diagonal watermark)."""
    counts = [0, 0, 0, 0]
    for g in raw:
        if g.quarter >= 0:
            counts[g.quarter] += 1
    quarter = max(range(4), key=lambda q: (counts[q], -q))
    out: list[_Flat] = []
    if quarter == 0:
        for g in raw:
            if g.quarter == 0:
                x1 = g.box[2]
                out.append((g.text, g.ox, x1 if x1 > g.ox else g.ox, -g.oy, g.size))
        return out, 0
    for g in raw:
        if g.quarter != quarter:
            continue
        x0, base = _turn(quarter, g.ox, g.oy)
        bx0, by0, bx1, by1 = g.box
        x1 = max(_turn(quarter, x, y)[0] for x, y in ((bx0, by0), (bx1, by1), (bx0, by1), (bx1, by0)))
        out.append((g.text, x0, x1 if x1 > x0 else x0, base, g.size))
    return out, quarter


def build_words(glyphs: Sequence[Glyph | _Flat]) -> list[Word]:
    """Glyphs on one baseline (within a quarter em), left to right, split at a space the document prints and
    where the gap exceeds a fifth of an em. Fake bold (the same glyph printed again within an eighth of an em)
    is dropped."""
    flat: list[_Flat] = [g if isinstance(g, tuple) else (g.text, g.x0, g.x1, g.base, g.size) for g in glyphs]
    flat.sort(key=lambda g: g[3])
    words: list[Word] = []
    start = 0
    n = len(flat)
    while start < n:
        anchor = flat[start][3]
        end = start + 1
        while end < n and flat[end][3] - anchor <= 0.25 * flat[end][4]:
            end += 1
        line = sorted(flat[start:end], key=lambda g: (g[1], g[2]))
        start = end
        current: list[_Flat] = []
        recent: list[_Flat] = []  # the last glyphs kept, for fake-bold doubles
        for g in line:
            text, x0, _, base, size = g
            if text == " ":  # a space the document itself prints always ends a word
                if current:
                    words.append(_word(current))
                current = []
                continue
            near = 0.125 * size
            if any(r[0] == text and abs(r[1] - x0) <= near and abs(r[3] - base) <= near for r in recent):
                continue
            recent = [*recent[-2:], g]
            if current:
                prev = current[-1]
                if x0 - prev[2] > 0.2 * min(prev[4], size) or max(size, prev[4]) > 1.6 * min(size, prev[4]):
                    words.append(_word(current))
                    current = []
            current.append(g)
        if current:
            words.append(_word(current))
    return words


def _word(glyphs: Sequence[_Flat]) -> Word:
    size = max(g[4] for g in glyphs)
    base = glyphs[0][3]
    text = fold_radicals("".join(g[0] for g in glyphs))
    return Word(
        text,
        glyphs[0][1],
        max(g[2] for g in glyphs),
        round(base - 0.85 * size, 2),
        round(base + 0.15 * size, 2),
        size,
    )


def group_lines(words: Sequence[Word]) -> list[list[Word]]:
    """Words sharing a baseline (within a quarter em), each line left to right, lines top to bottom."""
    ordered = sorted(words, key=lambda w: (w.base, w.x0))
    lines: list[list[Word]] = []
    anchor = 0.0
    for w in ordered:
        if lines and w.base - anchor <= 0.25 * w.size:
            lines[-1].append(w)
        else:
            lines.append([w])
            anchor = w.base
    return [sorted(line, key=lambda w: (w.x0, w.x1)) for line in lines]


def line_text(line: Sequence[Word], gap: float = 12.0) -> str:
    """The words of a line; a horizontal gap wider than ``gap`` points becomes four spaces (a column break)."""
    if not line:
        return ""
    out = line[0].text
    for prev, w in itertools.pairwise(line):
        out += ("    " if w.x0 - prev.x1 > gap else " ") + w.text
    return out


def _merge_rules(segments: Sequence[tuple[float, float, float, float]], quarter: int) -> tuple[Rule, ...]:
    """Axis-aligned segments (user space) as rules in reading space: collinear pieces within a point of each
    other are one rule; positions are rounded to a tenth of a point so both engines agree."""
    vertical: dict[float, list[tuple[float, float]]] = {}
    horizontal: dict[float, list[tuple[float, float]]] = {}
    for x0, y0, x1, y1 in segments:
        (a0, b0), (a1, b1) = _turn(quarter, x0, y0), _turn(quarter, x1, y1)
        if abs(a0 - a1) < 0.6 and abs(b1 - b0) >= 2:
            vertical.setdefault(round((a0 + a1) / 2), []).append((min(b0, b1), max(b0, b1)))
        elif abs(b0 - b1) < 0.6 and abs(a1 - a0) >= 2:
            horizontal.setdefault(round((b0 + b1) / 2), []).append((min(a0, a1), max(a0, a1)))
    rules: list[Rule] = []
    for is_vertical, table in ((True, vertical), (False, horizontal)):
        for at in _cluster_keys(table):
            spans = sorted(s for key in at for s in table[key])
            start, end = spans[0]
            for a, b in spans[1:]:
                if a <= end + 1.0:
                    end = max(end, b)
                else:
                    rules.append(Rule(is_vertical, float(at[0]), round(start, 1), round(end, 1)))
                    start, end = a, b
            rules.append(Rule(is_vertical, float(at[0]), round(start, 1), round(end, 1)))
    return tuple(sorted(rules, key=lambda r: (r.vertical, r.at, r.start)))


def _cluster_keys(table: dict[float, list[tuple[float, float]]]) -> list[list[float]]:
    """Integer positions one point apart are one rule (a line drawn as a thin filled rectangle has two edges)."""
    clusters: list[list[float]] = []
    for key in sorted(table):
        if clusters and key - clusters[-1][-1] <= 1:
            clusters[-1].append(key)
        else:
            clusters.append([key])
    return clusters
