"""Tables on PDF pages, from the page's structure: where the columns are, what each column's header says, and
which words make up each row.

Columns come from the page, never from where header words start:
- a **ruled** table's columns are the spaces between its vertical rules (the rules that cross its rows);
- a **borderless** table's columns are the x ranges its data rows fill, separated by the gaps every data row
  shares (numbers are usually right-aligned and wider than their header, headers centred), plus any header
  whose column is empty in every row.
Headers may take one to three lines: a label over several columns (``应还`` over ``本金 | 利息``) prefixes each
of them; a cell vertically centred across the header lines (``期数``) is one column, never a label. A row
starts at an *anchor* line (the caller decides: a period number, a date) and takes the lines around it up to
the next anchor, or the band between two horizontal rules when the rows are ruled.

Nothing here knows what a statement is: the caller passes how to recognise a header and an anchor.

This module finds the header and reads the table over its pages; the columns are built in `layoutgrid`, the
rows in `layoutrows`, and what they share (data tokens, `Column`, `Grid`, `Row`) is in `layoutbase`.
"""

from __future__ import annotations

import itertools
import statistics
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from .geometry import Page, Rule, Word, line_text
from .layoutbase import (
    Column,
    Grid,
    Row,
    _em,
    _key_value,
    data_tokens,
    is_data_token,
    is_page_mark,
    join_wrapped,
)
from .layoutgrid import build_grid
from .layoutrows import Anchor, rows_on_page

__all__ = [
    "Accept",
    "Anchor",
    "Column",
    "Grid",
    "Located",
    "Page",
    "Row",
    "Rule",
    "Table",
    "Word",
    "build_grid",
    "data_tokens",
    "is_data_token",
    "is_page_mark",
    "join_wrapped",
    "line_text",
    "lines_text",
    "locate_header",
    "read_table",
    "rows_on_page",
]


# ------------------------------------------------------------------------------------------- tables


@dataclass(frozen=True)
class Located:
    """A header found on a page: its grid and how well the caller liked it."""

    grid: Grid
    score: int


Accept = Callable[[list[Column]], int]


def locate_header(
    page: Page,
    accept: Accept,
    hint: Callable[[str], bool],
    *,
    start: int = 0,
    max_lines: int = 6,
    until: int | None = None,
) -> Located | None:
    """The first header block at or after line ``start``: one to ``max_lines`` lines close together, none of
    them a data line, whose columns the caller accepts (``accept`` gives a score, 0 for no). Of the blocks
    starting on one line, the best scored wins (the shortest on a tie)."""
    lines = page.lines
    for i in range(start, min(len(lines), until if until is not None else len(lines))):
        if data_tokens(lines[i]) >= 2 or not any(hint(w.text) for w in lines[i]) or _key_value(lines[i]):
            continue
        best: Located | None = None
        hints = 0
        for j in range(i, min(i + max_lines, len(lines))):
            line = lines[j]
            if j > i:
                prev = lines[j - 1]
                gap = min(w.top for w in line) - max(w.bottom for w in prev)
                if gap > 1.2 * _em(line) or data_tokens(line) >= 2 or _key_value(line):
                    break
            hints += sum(1 for w in line if hint(w.text))
            if hints < 2:
                continue
            body = _data_block(lines, j + 1, hint)
            grid = build_grid(lines, i, j, body, page.rules)
            if grid is None:
                continue
            score = accept(grid.columns)
            if score > 0 and (best is None or score > best.score):
                best = Located(grid, score)
        if best is not None:
            return best
    return None


@dataclass
class Table:
    """A table read over one or more pages."""

    rows: list[Row]
    columns: list[Column]  # the first page's
    header_page: int
    header_text: str
    before: list[tuple[int, int, str]]  # (page, line number, text) above the first header
    after: list[tuple[int, int, str]]  # lines after the table ended
    grids: dict[int, Grid] = field(default_factory=dict)  # page -> the grid its rows were read with
    end: tuple[int, int] = (0, 0)  # (page, line index) where the table stopped: the next table starts there
    spans: dict[int, list[tuple[int, int]]] = field(default_factory=dict)  # page -> [first, stop) line ranges


def read_table(
    pages: Iterable[Page],
    accept: Accept,
    hint: Callable[[str], bool],
    is_anchor: Anchor,
    *,
    stop: Callable[[str], bool] = lambda text: False,
    ends: Callable[[str], bool] = lambda text: False,
    others: Sequence[Accept] = (),
    start: tuple[int, int] = (0, 0),
) -> Table | None:
    """The first table the caller accepts, with its rows on every page it continues on.

    A page with its own header line starts a new grid (a repeated header); a page without one continues with
    the previous page's columns. The table ends at a line for which ``stop`` is true, at a line for which
    ``ends`` is true once rows have been read (a ``名称：值`` terms line below the table), at a second header
    (this table's, or one that an ``others`` function accepts), and lines after the last row that are not near
    it (a title, a note) are not rows. ``start`` (page, line index) skips what comes before it.
    """
    table: Table | None = None
    grid: Grid | None = None
    done = False
    for page in pages:
        lines = page.lines
        if page.number < start[0]:
            continue
        if done:
            if table is not None:
                table.after += _lines_after(page, 0)
            continue
        from_line = start[1] if page.number == start[0] else 0
        found = locate_header(page, accept, hint, start=from_line)
        if table is not None and grid is not None:
            ended = _continued_rows(
                table, page, grid, found, from_line, [accept, *others], hint, is_anchor, stop, ends
            )
            if ended:
                done = True
                continue
        if found is None:
            continue
        grid = found.grid
        if table is None:
            table = _new_table(page, grid, from_line)
        first, last = grid.header_lines
        body, stopped_at, finished = _body(
            lines, last + 1, [accept, *others], hint, page, is_anchor, grid, stop, ends
        )
        _add_rows(table, page, grid, body, is_anchor, first, stopped_at)
        if finished:
            done = True
            table.after += _lines_after(page, stopped_at)
    return table


def _continued_rows(
    table: Table,
    page: Page,
    grid: Grid,
    found: Located | None,
    from_line: int,
    accepts: Sequence[Accept],
    hint: Callable[[str], bool],
    is_anchor: Anchor,
    stop: Callable[[str], bool],
    ends: Callable[[str], bool],
) -> bool:
    """Rows continuing from the previous page, which come before any header on this one, added to ``table``;
    whether the table ended on this page (then ``table.end`` and ``table.after`` say where)."""
    lines = page.lines
    top = _first_data_line(lines[from_line:], grid, is_anchor)
    header_at = found.grid.header_lines[0] if found is not None else len(lines)
    if top is not None and top + from_line < header_at:
        k0 = top + from_line
        body, stopped_at, finished = _body(
            lines[:header_at], k0, accepts, hint, page, is_anchor, grid, stop, ends
        )
        _add_rows(table, page, grid, body, is_anchor, k0, stopped_at)
        if finished or (found is not None and not _same_header(found.grid, grid)):
            table.end = (page.number, stopped_at if finished else header_at)
            table.after += _lines_after(page, table.end[1])
            return True
    if found is not None and not _same_header(found.grid, grid):
        table.end = (page.number, header_at)
        table.after += _lines_after(page, header_at)
        return True
    return False


def _new_table(page: Page, grid: Grid, from_line: int) -> Table:
    """The table started by the first header found (``grid``'s), with the lines above it from ``from_line``."""
    lines = page.lines
    first, last = grid.header_lines
    return Table(
        [],
        grid.columns,
        page.number,
        " ".join(line_text(ln) for ln in lines[first : last + 1]),
        [(page.number, k + 1, line_text(ln)) for k, ln in enumerate(lines) if from_line <= k < first],
        [],
    )


def _lines_after(page: Page, at: int) -> list[tuple[int, int, str]]:
    """(page, line number, text) of the page's lines from line index ``at`` on."""
    return [(page.number, k + 1, line_text(ln)) for k, ln in enumerate(page.lines) if k >= at]


def _data_block(
    lines: Sequence[Sequence[Word]], start: int, hint: Callable[[str], bool]
) -> list[Sequence[Word]]:
    """The lines under a header that its columns are inferred from: up to 60, stopping at a title or header
    line (words, no data) or after a gap wider than three rows."""
    out: list[Sequence[Word]] = []
    steps: list[float] = []
    for ln in lines[start : start + 60]:
        if not ln or is_page_mark(ln):
            continue
        if out:
            step = ln[0].base - out[-1][0].base
            if steps and step > 3 * statistics.median(steps) and data_tokens(ln) < 2:
                break
            steps.append(step)
        if data_tokens(ln) == 0 and any(hint(w.text) for w in ln) and out:
            break
        out.append(ln)
    return out


def _add_rows(
    table: Table,
    page: Page,
    grid: Grid,
    body: Sequence[tuple[int, Sequence[Word]]],
    is_anchor: Anchor,
    first_line: int,
    stopped_at: int,
) -> None:
    table.grids[page.number] = grid
    start_index = 1 + sum(1 for r in table.rows if r.page == page.number)
    table.rows += rows_on_page(
        page, grid, [ln for _, ln in body], is_anchor, start_index=start_index, indexes=[k for k, _ in body]
    )
    table.spans.setdefault(page.number, []).append((first_line, stopped_at))
    table.end = (page.number, stopped_at)


def _same_header(a: Grid, b: Grid) -> bool:
    """Whether a header found on a later page repeats the table's own (rather than starting another table)."""
    x = [h for h in a.headers if h]
    y = [h for h in b.headers if h]
    if x == y:
        return True
    common = sum(1 for h in x if h in y)
    return common >= 0.7 * max(len(x), len(y))


def _first_data_line(lines: Sequence[Sequence[Word]], grid: Grid, is_anchor: Anchor) -> int | None:
    for k, ln in enumerate(lines):
        if is_anchor(grid, grid.split(ln)):
            # wrapped text just above the first anchor belongs to it
            while k > 0 and lines[k - 1] and lines[k][0].base - lines[k - 1][0].base < 1.3 * _em(lines[k]):
                if data_tokens(lines[k - 1]) or is_page_mark(lines[k - 1]):
                    break
                k -= 1
            return k
    return None


def _body(
    lines: Sequence[Sequence[Word]],
    start: int,
    accepts: Sequence[Accept],
    hint: Callable[[str], bool],
    page: Page,
    is_anchor: Anchor,
    grid: Grid,
    stop: Callable[[str], bool],
    ends: Callable[[str], bool],
) -> tuple[list[tuple[int, Sequence[Word]]], int, bool]:
    """The table's lines on a page from ``start`` (with their indexes); where it stopped; whether the table
    ended on this page.
    Lines after the last anchor that are not within a wrapped row's reach of it are left out (and end the
    table when something other than page furniture follows)."""
    body: list[tuple[int, Sequence[Word], bool]] = []
    anchors = 0
    finished = False
    stopped_at = len(lines)
    for k in range(start, len(lines)):
        ln = lines[k]
        if not ln or is_page_mark(ln):
            continue
        text = line_text(ln).strip()
        anchor = is_anchor(grid, grid.split(ln))
        if not anchor and stop(text):
            stopped_at, finished = k, True
            break
        if not anchor and anchors and ends(text):
            # a terms line after the rows: the table ends here, unless it is page furniture (a footer with no
            # row after it on this page), after which the table may go on over the page
            stopped_at = k
            finished = any(is_anchor(grid, grid.split(ln)) for ln in lines[k + 1 :] if ln)
            break
        if (
            not anchor
            and anchors
            and data_tokens(ln) < 2
            and any(hint(w.text) for w in ln)
            and any(_header_at(page, k, a, hint) for a in accepts)
        ):
            stopped_at, finished = k, True
            break
        body.append((k, ln, anchor))
        anchors += anchor
    # trailing lines far from the last anchor are not rows
    last = max((i for i, (_, _, a) in enumerate(body) if a), default=-1)
    if last >= 0:
        anchor_lines = [ln for _, ln, a in body if a]
        bases = [ln[0].base for ln in anchor_lines]
        pitch = min((b - a for a, b in itertools.pairwise(bases) if b > a), default=0.0)
        em = _em([w for ln in anchor_lines for w in ln])
        keep = last
        prev = body[last][1]
        for i in range(last + 1, len(body)):
            ln = body[i][1]
            step = ln[0].base - prev[0].base
            if step <= max(1.45 * em, 0.75 * pitch) and data_tokens(ln) == 0 and i - last <= 3:
                keep, prev = i, ln
                continue
            break
        if keep + 1 < len(body):
            stopped_at, finished = (
                body[keep + 1][0],
                finished or any(is_anchor(grid, grid.split(ln)) for ln in lines[body[keep + 1][0] :] if ln),
            )
            body = body[: keep + 1]
    return [(k, ln) for k, ln, _ in body], stopped_at, finished


def _header_at(page: Page, k: int, accept: Accept, hint: Callable[[str], bool]) -> bool:
    """Whether a header block this ``accept`` likes starts at line ``k`` (or just below a title on it)."""
    found = locate_header(page, accept, hint, start=k, max_lines=6, until=k + 2)
    return found is not None


# ------------------------------------------------------------------------------------------- text


def lines_text(lines: Iterable[Sequence[Word]]) -> list[str]:
    return [line_text(ln) for ln in lines]
