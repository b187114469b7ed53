"""A table's rows on one page (`rows_on_page`): each anchor line (the caller decides what is one: a period
number, a date) with the lines that wrap around it, or the band between two horizontal rules when the rows are
ruled.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Callable, Sequence

from .geometry import Page, Rule, Word
from .layoutbase import Grid, Row, _em, is_page_mark

#: Whether a line or row, split into the grid's cells, starts a row (the caller decides: a period number, a date).
Anchor = Callable[["Grid", list[str]], bool]


def rows_on_page(
    page: Page,
    grid: Grid,
    lines: Sequence[Sequence[Word]],
    is_anchor: Anchor,
    *,
    start_index: int = 1,
    indexes: Sequence[int] | None = None,
) -> list[Row]:
    """The rows made by ``lines`` (the table's body on this page; ``indexes`` their places on the page): each
    anchor line with the lines that wrap around it, within the band between two horizontal rules when the
    rows are ruled. Lines near no anchor make rows of their own (``anchored`` False): the caller decides."""
    places = list(indexes) if indexes is not None else list(range(len(lines)))
    kept = [(k, ln) for k, ln in zip(places, lines, strict=True) if ln and not is_page_mark(ln)]
    body = [ln for _, ln in kept]
    where = [k for k, _ in kept]
    if not body:
        return []
    anchors = [i for i, ln in enumerate(body) if is_anchor(grid, grid.split(ln))]
    bands = _bands(page.rules, body, anchors) if page.rules else None
    band = bands or [0] * len(body)
    pitches = [body[b][0].base - body[a][0].base for a, b in itertools.pairwise(anchors)]
    em = _em([w for ln in body for w in ln])
    pitch = min(pitches, default=0.0)
    reach = float("inf") if bands else (max(0.6 * pitch, 1.3 * em) if pitch else 1.6 * em)
    members: dict[int, list[int]] = {a: [a] for a in anchors}
    loose: dict[tuple[int, int], list[int]] = {}
    for i, ln in enumerate(body):
        if i in members:
            continue
        candidates = [a for a in anchors if band[a] == band[i]]
        nearest = min(candidates, key=lambda a: (abs(body[a][0].base - ln[0].base), a), default=None)
        if nearest is not None and abs(body[nearest][0].base - ln[0].base) <= reach:
            members[nearest].append(i)
        else:
            loose.setdefault((band[i], i if not bands else -1), []).append(i)
    groups = sorted([sorted(m) for m in members.values()] + list(loose.values()), key=lambda g: g[0])
    rows: list[Row] = []
    for index, group in enumerate(groups, start=start_index):
        words = [w for i in group for w in body[i]]
        ordered = [w for i in group for w in body[i]]
        rows.append(
            Row(
                page.number,
                index,
                tuple(grid.split(words)),
                " ".join(w.text for w in ordered),
                min(w.top for w in words),
                any(i in members for i in group),
                tuple(where[i] for i in group),
                grid,
            )
        )
    return rows


def _bands(rules: Sequence[Rule], body: Sequence[Sequence[Word]], anchors: Sequence[int]) -> list[int] | None:
    """Band number (between consecutive horizontal rules across the table) of each body line, when horizontal
    rules separate the anchor lines from each other; None otherwise."""
    if len(anchors) < 2:
        return None
    xs = [w.x0 for ln in body for w in ln] + [w.x1 for ln in body for w in ln]
    left, right = min(xs), max(xs)
    width = right - left
    ys = sorted(
        {
            r.at
            for r in rules
            if not r.vertical and r.start <= left + 0.3 * width and r.end >= right - 0.3 * width
        }
    )
    if len(ys) < 2:
        return None

    def band(ln: Sequence[Word]) -> int:
        return bisect.bisect_left(ys, ln[0].middle)

    pairs = list(itertools.pairwise(anchors))
    separated = sum(1 for a, b in pairs if band(body[a]) != band(body[b]))
    if separated < 0.8 * len(pairs):
        return None
    return [band(ln) for ln in body]
