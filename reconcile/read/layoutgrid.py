"""A table's columns on one page, from the page's structure (`build_grid`): the spaces between vertical rules
when the table is ruled, else the x ranges its data rows fill (split at the gaps every data row shares), plus
any header whose column no row fills. Header words become chunks; a chunk over several columns (``应还`` over
``本金 | 利息``) is a label that prefixes each of them.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from .geometry import Rule, Word
from .layoutbase import Column, Grid, _em, data_tokens


@dataclass
class _Chunk:
    """Header words on one line that belong together (``Due Date``)."""

    words: list[Word]
    text: str = ""
    span: list[int] = field(default_factory=list)  # column indexes it labels

    def __post_init__(self) -> None:
        self.text = ""
        for w in self.words:
            self.text = _join_header(self.text, w.text)

    @property
    def x0(self) -> float:
        return self.words[0].x0

    @property
    def x1(self) -> float:
        return max(w.x1 for w in self.words)

    @property
    def top(self) -> float:
        return min(w.top for w in self.words)

    @property
    def bottom(self) -> float:
        return max(w.bottom for w in self.words)

    @property
    def centre(self) -> float:
        return (self.x0 + self.x1) / 2


def _join_header(left: str, right: str) -> str:
    if left and left[-1].isascii() and right[:1].isascii() and left[-1].isalnum() | (left[-1] in ".)"):
        return f"{left} {right}"
    return left + right


def _vertical_rules(
    rules: Sequence[Rule], top: float, bottom: float, lines: Sequence[Sequence[Word]]
) -> list[float]:
    """x positions of vertical rules that cross most of the data lines between ``top`` and ``bottom``."""
    bases = [ln[0].middle for ln in lines if ln]
    if not bases:
        return []
    xs: dict[float, int] = {}
    for r in rules:
        if not r.vertical or r.end < top or r.start > bottom:
            continue
        crossed = sum(1 for b in bases if r.start - 1 <= b <= r.end + 1)
        key = round(r.at)
        xs[key] = max(xs.get(key, 0), crossed)
    return sorted(x for x, n in xs.items() if n >= max(1, 0.6 * len(bases)))


def _clusters(intervals: Iterable[tuple[float, float]]) -> list[tuple[float, float]]:
    """Overlapping x intervals merged: the ranges the data fills."""
    out: list[list[float]] = []
    for a, b in sorted(intervals):
        if out and a <= out[-1][1]:
            out[-1][1] = max(out[-1][1], b)
        else:
            out.append([a, b])
    return [(a, b) for a, b in out]


def _chunks(header: Sequence[Sequence[Word]], em: float, cuts: Sequence[float]) -> list[_Chunk]:
    """Header words on each line, joined when closer than half an em and not separated by a cut (a rule or
    a gap every data row shares)."""
    out: list[_Chunk] = []
    for line in header:
        current: list[Word] = []
        for w in line:
            if current:
                prev = current[-1]
                cut = any(prev.x1 - 0.5 <= c <= w.x0 + 0.5 for c in cuts)
                if w.x0 - prev.x1 > 0.5 * em or cut:
                    out.append(_Chunk(current))
                    current = []
            current.append(w)
        if current:
            out.append(_Chunk(current))
    return out


def _below(lower: _Chunk, upper: _Chunk) -> bool:
    return lower.top >= upper.bottom - 0.1 * (upper.bottom - upper.top)


def build_grid(
    lines: Sequence[Sequence[Word]],
    first: int,
    last: int,
    body: Sequence[Sequence[Word]],
    rules: Sequence[Rule] = (),
) -> Grid | None:
    """The columns of a table whose header is ``lines[first..last]`` and whose first data lines are ``body``."""
    header = [list(ln) for ln in lines[first : last + 1]]
    header_words = [w for ln in header for w in ln]
    if not header_words:
        return None
    em = _em(header_words)
    data = [ln for ln in body if data_tokens(ln) >= 2]
    top = min(w.top for w in header_words)
    bottom = max((w.bottom for ln in data for w in ln), default=max(w.bottom for w in header_words))
    ruled = _vertical_rules(rules, top, bottom, data)
    left = min([w.x0 for w in header_words] + [w.x0 for ln in data for w in ln])
    right = max([w.x1 for w in header_words] + [w.x1 for ln in data for w in ln])
    inner = [x for x in ruled if left + 1 < x < right - 1]
    if inner:
        return _ruled_grid(header, data, inner, rules, em, (first, last))
    return _gap_grid(header, data, em, (first, last))


def _ruled_grid(
    header: list[list[Word]],
    data: Sequence[Sequence[Word]],
    xs: list[float],
    rules: Sequence[Rule],
    em: float,
    span: tuple[int, int],
) -> Grid | None:
    bounds = [-float("inf"), *xs, float("inf")]
    chunks = _chunks(header, em, xs)
    verticals = [r for r in rules if r.vertical]

    def crossed(x: float, y: float) -> bool:
        return any(abs(r.at - x) <= 1.5 and r.start - 0.5 <= y <= r.end + 0.5 for r in verticals)

    n = len(bounds) - 1
    for ch in chunks:
        home = _index(bounds, ch.centre)
        y = (ch.top + ch.bottom) / 2
        lo = home
        while lo > 0 and not crossed(bounds[lo], y) and _unlabelled_below(chunks, ch, lo - 1, bounds):
            lo -= 1
        hi = home
        while hi < n - 1 and not crossed(bounds[hi + 1], y) and _unlabelled_below(chunks, ch, hi + 1, bounds):
            hi += 1
        ch.span = list(range(lo, hi + 1))
    columns = _assemble(chunks, bounds)
    used = [i for i, c in enumerate(columns) if c.parts or _has_data(data, bounds, i)]
    if not used:
        return None
    return Grid(_keep(columns, used), span, ruled=True)


def _unlabelled_below(chunks: Sequence[_Chunk], label: _Chunk, column: int, bounds: Sequence[float]) -> bool:
    """Whether ``column`` has header text, all of it below ``label`` (so the label may extend over it)."""
    own = [c for c in chunks if c is not label and bounds[column] <= c.centre < bounds[column + 1]]
    return bool(own) and all(_below(c, label) for c in own)


def _index(bounds: Sequence[float], x: float) -> int:
    for i in range(len(bounds) - 1):
        if x < bounds[i + 1]:
            return i
    return len(bounds) - 2


def _has_data(data: Sequence[Sequence[Word]], bounds: Sequence[float], i: int) -> bool:
    return any(bounds[i] <= (w.x0 + w.x1) / 2 < bounds[i + 1] for ln in data for w in ln)


def _assemble(chunks: Sequence[_Chunk], bounds: Sequence[float]) -> list[Column]:
    parts: list[list[tuple[float, float, str]]] = [[] for _ in range(len(bounds) - 1)]
    for ch in chunks:
        for i in ch.span:
            parts[i].append((ch.top, ch.x0, ch.text))
    return [
        Column(bounds[i], bounds[i + 1], tuple(t for _, _, t in sorted(p, key=lambda q: (round(q[0]), q[1]))))
        for i, p in enumerate(parts)
    ]


def _keep(columns: list[Column], used: list[int]) -> list[Column]:
    """Drop empty columns (margins between the outer rules and the page): their space joins a neighbour."""
    kept = [columns[i] for i in used]
    out = []
    for j, c in enumerate(kept):
        left = -float("inf") if j == 0 else c.left
        right = float("inf") if j == len(kept) - 1 else kept[j + 1].left
        out.append(Column(left, right, c.parts))
    return out


def _gap_grid(
    header: list[list[Word]], data: Sequence[Sequence[Word]], em: float, span: tuple[int, int]
) -> Grid | None:
    clusters = [list(c) for c in _clusters((w.x0, w.x1) for ln in data for w in ln)]
    cuts = [(a[1] + b[0]) / 2 for a, b in itertools.pairwise(clusters)]
    chunks = _chunks(header, em, cuts)
    # A header over a column that no data row fills: a column of its own.
    extents: list[list[float]] = [list(c) for c in clusters]
    labelled: list[list[_Chunk]] = [[] for _ in extents]
    pending: list[_Chunk] = []
    for ch in sorted(chunks, key=lambda c: -c.top):  # lowest lines first: leaves before labels
        hits = [i for i, (a, b) in enumerate(extents) if ch.x0 < b and a < ch.x1]
        below = [o for o in chunks if o is not ch and _below(o, ch) and _near(o, ch, extents, hits)]
        if below:
            pending.append(ch)
            continue
        if not hits:
            extents.append([ch.x0, ch.x1])
            labelled.append([ch])
            order = sorted(range(len(extents)), key=lambda i: extents[i][0])
            extents = [extents[i] for i in order]
            labelled = [labelled[i] for i in order]
            continue
        best = max(hits, key=lambda i: min(extents[i][1], ch.x1) - max(extents[i][0], ch.x0))
        labelled[best].append(ch)
    # One data range under two leaf headers of the same line: split it between them.
    i = 0
    while i < len(extents):
        leaves = sorted(labelled[i], key=lambda c: c.x0)
        same_line = [(a, b) for a, b in itertools.pairwise(leaves) if abs(a.top - b.top) < 0.5 * em]
        if same_line:
            a, b = same_line[0]
            cut = (a.x1 + b.x0) / 2
            lo, hi = extents[i]
            extents[i : i + 1] = [[lo, min(hi, cut)], [max(lo, cut), hi]]
            labelled[i : i + 1] = [
                [c for c in labelled[i] if c.centre < cut],
                [c for c in labelled[i] if c.centre >= cut],
            ]
            continue
        i += 1
    for k, chs in enumerate(labelled):
        for ch in chs:
            extents[k][0] = min(extents[k][0], ch.x0)
            extents[k][1] = max(extents[k][1], ch.x1)
    # Data ranges without a header of their own within an em of a neighbour are part of it (``第 1 期``).
    k = 0
    while k < len(extents):
        if not labelled[k] and len(extents) > 1:
            gaps = []
            if k > 0:
                gaps.append((extents[k][0] - extents[k - 1][1], k - 1))
            if k + 1 < len(extents):
                gaps.append((extents[k + 1][0] - extents[k][1], k + 1))
            gap, other = min(gaps)
            if gap < 1.0 * em:
                lo = min(extents[k][0], extents[other][0])
                hi = max(extents[k][1], extents[other][1])
                extents[other] = [lo, hi]
                del extents[k], labelled[k]
                k = 0
                continue
        k += 1
    bounds = [-float("inf")]
    for e0, e1 in itertools.pairwise(extents):
        bounds.append((e0[1] + e1[0]) / 2)
    bounds.append(float("inf"))
    for k, chs in enumerate(labelled):
        for ch in chs:
            ch.span = [k]
    _label_spans(pending, chunks, extents)
    columns = _assemble(chunks, bounds)
    return Grid(columns, span) if columns else None


def _near(lower: _Chunk, upper: _Chunk, extents: Sequence[Sequence[float]], hits: Sequence[int]) -> bool:
    """Whether ``lower`` sits under ``upper``: overlapping it, or in a data range it overlaps or borders."""
    if lower.x0 < upper.x1 and upper.x0 < lower.x1:
        return True
    if hits:
        lo = min(extents[i][0] for i in hits)
        hi = max(extents[i][1] for i in hits)
        return lo <= lower.centre <= hi
    left = [e for e in extents if e[1] <= upper.x0]
    right = [e for e in extents if e[0] >= upper.x1]
    lo = left[-1][0] if left else upper.x0
    hi = right[0][1] if right else upper.x1
    return lo <= lower.centre <= hi


def _label_spans(
    labels: Sequence[_Chunk], chunks: Sequence[_Chunk], extents: Sequence[Sequence[float]]
) -> None:
    """Each label covers the columns around it whose header text is all below it, up to the midpoint with the
    next label on its line."""
    owners: list[list[_Chunk]] = [[] for _ in extents]
    for k, _e in enumerate(extents):
        for c in chunks:
            if c.span == [k]:
                owners[k].append(c)
    centres = [(e[0] + e[1]) / 2 for e in extents]
    for label in sorted(labels, key=lambda c: c.top):
        peers = sorted(
            (o for o in labels if abs(o.top - label.top) < 0.5 * (label.bottom - label.top)),
            key=lambda c: c.centre,
        )
        at = peers.index(label)
        lo_limit = (peers[at - 1].x1 + label.x0) / 2 if at > 0 else -float("inf")
        hi_limit = (label.x1 + peers[at + 1].x0) / 2 if at + 1 < len(peers) else float("inf")
        span = [
            k
            for k in range(len(extents))
            if lo_limit <= centres[k] <= hi_limit and owners[k] and all(_below(c, label) for c in owners[k])
        ]
        # keep the contiguous run nearest the label
        if span:
            home = min(span, key=lambda k: abs(centres[k] - label.centre))
            run = [home]
            while run[0] - 1 in span:
                run.insert(0, run[0] - 1)
            while run[-1] + 1 in span:
                run.append(run[-1] + 1)
            span = run
        label.span = span
        for k in span:
            owners[k].append(label)
