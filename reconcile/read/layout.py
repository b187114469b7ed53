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
"""

from __future__ import annotations

import bisect
import itertools
import re
import statistics
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from .pdfpage import Page, Rule, Word, line_text

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


# ------------------------------------------------------------------------------------------- columns


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


def _em(words: Sequence[Word]) -> float:
    sizes = [w.size for w in words]
    return statistics.median(sizes) if sizes else 10.0


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


# ------------------------------------------------------------------------------------------- rows

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
                table.after += [(page.number, k + 1, line_text(ln)) for k, ln in enumerate(lines)]
            continue
        from_line = start[1] if page.number == start[0] else 0
        found = locate_header(page, accept, hint, start=from_line)
        if table is not None and grid is not None:
            # rows continuing from the previous page come before any header on this one
            top = _first_data_line(lines[from_line:], grid, is_anchor)
            header_at = found.grid.header_lines[0] if found is not None else len(lines)
            if top is not None and top + from_line < header_at:
                k0 = top + from_line
                body, stopped_at, finished = _body(
                    lines[:header_at], k0, [accept, *others], hint, page, is_anchor, grid, stop, ends
                )
                _add_rows(table, page, grid, body, is_anchor, k0, stopped_at)
                if finished or (found is not None and not _same_header(found.grid, grid)):
                    table.end = (page.number, stopped_at if finished else header_at)
                    done = True
                    table.after += [
                        (page.number, k + 1, line_text(ln)) for k, ln in enumerate(lines) if k >= table.end[1]
                    ]
                    continue
            if found is not None and not _same_header(found.grid, grid):
                table.end = (page.number, header_at)
                done = True
                table.after += [
                    (page.number, k + 1, line_text(ln)) for k, ln in enumerate(lines) if k >= header_at
                ]
                continue
        if found is not None:
            grid = found.grid
            first, last = grid.header_lines
            if table is None:
                table = Table(
                    [],
                    grid.columns,
                    page.number,
                    " ".join(line_text(ln) for ln in lines[first : last + 1]),
                    [
                        (page.number, k + 1, line_text(ln))
                        for k, ln in enumerate(lines)
                        if from_line <= k < first
                    ],
                    [],
                )
            body_start = last + 1
        else:
            continue
        table.grids[page.number] = grid
        body, stopped_at, finished = _body(
            lines, body_start, [accept, *others], hint, page, is_anchor, grid, stop, ends
        )
        start_index = 1 + sum(1 for r in table.rows if r.page == page.number)
        table.rows += rows_on_page(
            page,
            grid,
            [ln for _, ln in body],
            is_anchor,
            start_index=start_index,
            indexes=[k for k, _ in body],
        )
        first_line = grid.header_lines[0] if found is not None else body_start
        table.spans.setdefault(page.number, []).append((first_line, stopped_at))
        table.end = (page.number, stopped_at)
        if finished:
            done = True
            table.after += [
                (page.number, k + 1, line_text(ln)) for k, ln in enumerate(lines) if k >= stopped_at
            ]
    return table


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
