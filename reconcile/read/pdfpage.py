"""What is on a PDF page, as geometry: the characters with their positions and the ruling lines, read by either
PDF engine and put in the page's reading orientation.

Only this module talks to the engines. pypdfium2 is fast; pdfplumber (pdfminer) is the reference. Each gives
its characters (text, origin, advance, size, direction) and straight path segments; everything after that is
shared: characters become words by geometry (baseline, then x), never by the order a library streams them,
so both engines give the same words when they see the same characters, whatever their versions.

A page whose characters pypdfium2 cannot vouch for (a text object none of its characters came from, a glyph
without a Unicode mapping) is read by the reference instead. Pages rotated with ``/Rotate`` or drawn sideways
are turned so that their text runs left to right; fake-bold doubled glyphs are dropped; Kangxi radicals and
compatibility ideographs are folded to the ordinary characters.
"""

from __future__ import annotations

import ctypes
import functools
import io
import itertools
import math
import os
import re
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from ..errors import BadFile, NeedsPassword, WrongPassword
from ..inputs import InputFile

#: Pages read at most; a statement longer than this is split by the user.
MAX_PAGES = 5000
#: Pages from which a PDF is read with several processes (the engines' work is CPU-bound).
PARALLEL_FROM_PAGES = 24

Matrix = tuple[float, float, float, float, float, float]


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


# ------------------------------------------------------------------------------------------- geometry


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


# ------------------------------------------------------------------------------------------- engines


def engine() -> str:
    """``pdfium`` (pypdfium2: fast) or ``pdfplumber`` (the reference); ``RECONCILE_PDF_ENGINE`` chooses."""
    chosen = os.environ.get("RECONCILE_PDF_ENGINE", "pdfium").strip().lower()
    return chosen if chosen in ("pdfium", "pdfplumber") else "pdfium"


def _rotation_ctm(rotate: int, box: tuple[float, float, float, float]) -> Matrix:
    """The transformation pdfminer applies for the page's ``/Rotate`` and media box origin."""
    x0, y0, x1, y1 = box
    rotate %= 360
    if rotate == 90:
        return (0, -1, 1, 0, -y0, x1)
    if rotate == 180:
        return (-1, 0, 0, -1, x1, y1)
    if rotate == 270:
        return (0, 1, -1, 0, y1, -x0)
    return (1, 0, 0, 1, -x0, -y0)


def _apply(m: Matrix, x: float, y: float) -> tuple[float, float]:
    return m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]


def _compose(inner: Matrix, outer: Matrix) -> Matrix:
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def _mapped(text: str) -> bool:
    return bool(text) and text != "\ufffd" and not text.startswith("(cid:")


def plumber_page(page: Any, number: int) -> Page:
    """The reference reading of one page (a pdfplumber page)."""
    raw: list[_RawGlyph] = []
    unmapped = 0
    for ch in page.chars:
        text = ch["text"]
        if not text or text in _INVISIBLE:
            continue
        if text.isspace():
            text = " "
        if not _mapped(text):
            unmapped += 1
            text = "\ufffd"
        a, b, _c, _d, e, f = ch["matrix"]
        size = float(ch.get("size") or 0) or 10.0
        raw.append(_RawGlyph(text, e, f, _direction(a, b), size, (ch["x0"], ch["y0"], ch["x1"], ch["y1"])))
    glyphs, quarter = _glyphs(raw)
    segments: list[tuple[float, float, float, float]] = []
    for edge in page.edges:
        if edge.get("orientation") == "v":
            segments.append((edge["x0"], edge["y0"], edge["x0"], edge["y1"]))
        else:
            segments.append((edge["x0"], edge["y0"], edge["x1"], edge["y0"]))
    return Page(number, tuple(build_words(glyphs)), _merge_rules(segments, quarter), "pdfplumber", unmapped)


def pdfium_page(doc: Any, index: int) -> Page | None:
    """The fast reading of one page, or None when pypdfium2's characters cannot be vouched for."""
    page = doc[index]
    try:
        box = tuple(page.get_mediabox())
        ctm = _rotation_ctm(page.get_rotation(), box)
        textpage = page.get_textpage()
        try:
            glyphs = _pdfium_glyphs(textpage, ctm)
        finally:
            textpage.close()
        if glyphs is None:
            return None
        raw, seen_objects = glyphs
        segments: list[tuple[float, float, float, float]] = []
        objects = _walk_objects(page.raw, ctm, segments)
        kept = [bounds for address, bounds in objects if address in seen_objects]
        for address, bounds in objects:
            empty = bounds[2] - bounds[0] < 0.1 and bounds[3] - bounds[1] < 0.1  # nothing to show
            if address not in seen_objects and not empty and not any(_same_box(bounds, o) for o in kept):
                return None  # a text object none of whose characters reached the text page (not a fake-bold copy)
        parts, quarter = _glyphs(raw)
        return Page(index + 1, tuple(build_words(parts)), _merge_rules(segments, quarter), "pdfium")
    finally:
        page.close()


@functools.cache
def _object_of() -> Any:
    """``FPDFText_GetTextObject`` returning the object's address as an int (comparable, hashable, cheap)."""
    import pypdfium2.raw as pdfium_c

    fn = pdfium_c.FPDFText_GetTextObject
    prototype = ctypes.CFUNCTYPE(ctypes.c_void_p, fn.argtypes[0], ctypes.c_int)
    return prototype(ctypes.cast(fn, ctypes.c_void_p).value or 0)


def _pdfium_glyphs(textpage: Any, ctm: Matrix) -> tuple[list[_RawGlyph], set[int]] | None:
    import pypdfium2.raw as pdfium_c

    tp = textpage.raw
    count = pdfium_c.FPDFText_CountChars(tp)
    if count <= 0:
        return [], set()
    text = textpage.get_text_range(0, count)
    if len(text) != count:
        text = "".join(textpage.get_text_range(i, 1) or " " for i in range(count))
    ox, oy = ctypes.c_double(), ctypes.c_double()
    matrix = pdfium_c.FS_MATRIX()
    rect = pdfium_c.FS_RECTF()
    seen: set[int] = set()
    per_object: dict[int, tuple[int, float]] = {}  # direction and em size, shared by an object's glyphs
    get_object = _object_of()
    map_error = pdfium_c.FPDFText_HasUnicodeMapError
    get_origin = pdfium_c.FPDFText_GetCharOrigin
    chars: list[tuple[int, str, int, float, float]] = []  # index, text, object, origin
    for i in range(count):
        ch = text[i]
        if (ch.isspace() or ch == "-") and pdfium_c.FPDFText_IsGenerated(tp, i):
            continue
        address = get_object(tp, i) or 0
        seen.add(address)
        if ch in _INVISIBLE or ch == "\x00":
            continue
        if ch.isspace():
            ch = " "
        elif map_error(tp, i) == 1 or ch == "\ufffd" or ord(ch) < 32:
            return None  # the reference may map it; pdfium cannot
        if address not in per_object:
            pdfium_c.FPDFText_GetMatrix(tp, i, matrix)
            size = pdfium_c.FPDFText_GetFontSize(tp, i) * math.hypot(matrix.c, matrix.d)
            a, b = ctm[0] * matrix.a + ctm[2] * matrix.b, ctm[1] * matrix.a + ctm[3] * matrix.b
            per_object[address] = (_direction(a, b), size or 10.0)
        get_origin(tp, i, ox, oy)
        chars.append((i, ch, address, ox.value, oy.value))
    # A glyph's advance ends where the next glyph of the same text object starts on its line (pdfium's loose
    # box would use a substituted font's width for fonts that are not embedded); only the last glyph of such
    # a run needs its box.
    get_box = pdfium_c.FPDFText_GetLooseCharBox
    raw: list[_RawGlyph] = []
    last = len(chars) - 1
    for j, (i, ch, address, x, y) in enumerate(chars):
        quarter, size = per_object[address]
        nxt = chars[j + 1] if j < last else None
        if quarter == 0 and nxt is not None and nxt[2] == address and abs(nxt[4] - y) < 0.01 and nxt[3] > x:
            box = (x, y, nxt[3], y)
        else:
            get_box(tp, i, rect)
            box = (rect.left, rect.bottom, max(rect.right, x), rect.top)
        raw.append(_RawGlyph(ch, x, y, quarter, size, box))
    if ctm != (1, 0, 0, 1, 0, 0):
        for g in raw:
            g.ox, g.oy = _apply(ctm, g.ox, g.oy)
            (px0, py0), (px1, py1) = _apply(ctm, g.box[0], g.box[1]), _apply(ctm, g.box[2], g.box[3])
            g.box = (min(px0, px1), min(py0, py1), max(px0, px1), max(py0, py1))
    return raw, seen


def _same_box(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    """Whether two text objects sit at the same place (a fake-bold copy pdfium drops on purpose)."""
    size = max(1.0, 0.15 * (a[3] - a[1]))
    return all(abs(x - y) <= size for x, y in zip(a, b, strict=True))


def _walk_objects(
    container: Any, ctm: Matrix, segments: list[tuple[float, float, float, float]], depth: int = 0
) -> list[tuple[int, tuple[float, float, float, float]]]:
    """Collect straight axis-aligned path segments (user space as pdfminer sees it) and return the address and
    bounds of every text object."""
    import pypdfium2.raw as pdfium_c

    texts: list[tuple[int, tuple[float, float, float, float]]] = []
    left, bottom, right, top = ctypes.c_float(), ctypes.c_float(), ctypes.c_float(), ctypes.c_float()
    if depth == 0:
        count = pdfium_c.FPDFPage_CountObjects(container)
        get = pdfium_c.FPDFPage_GetObject
    else:
        count = pdfium_c.FPDFFormObj_CountObjects(container)
        get = pdfium_c.FPDFFormObj_GetObject
    m = pdfium_c.FS_MATRIX()
    for i in range(count):
        obj = get(container, i)
        kind = pdfium_c.FPDFPageObj_GetType(obj)
        if kind == pdfium_c.FPDF_PAGEOBJ_TEXT:
            pdfium_c.FPDFPageObj_GetBounds(obj, left, bottom, right, top)
            bounds = (left.value, bottom.value, right.value, top.value)
            texts.append((ctypes.cast(obj, ctypes.c_void_p).value or 0, bounds))
        elif kind == pdfium_c.FPDF_PAGEOBJ_FORM and depth < 8:
            pdfium_c.FPDFPageObj_GetMatrix(obj, m)
            inner = _compose((m.a, m.b, m.c, m.d, m.e, m.f), ctm)
            texts += _walk_objects(obj, inner, segments, depth + 1)
        elif kind == pdfium_c.FPDF_PAGEOBJ_PATH:
            _path_segments(obj, ctm, segments)
    return texts


def _path_segments(obj: Any, ctm: Matrix, out: list[tuple[float, float, float, float]]) -> None:
    import pypdfium2.raw as pdfium_c

    fill = ctypes.c_int()
    stroke = ctypes.c_int()
    if pdfium_c.FPDFPath_GetDrawMode(obj, fill, stroke) and not fill.value and not stroke.value:
        return  # a clipping path: nothing is painted
    m = pdfium_c.FS_MATRIX()
    pdfium_c.FPDFPageObj_GetMatrix(obj, m)
    full = _compose((m.a, m.b, m.c, m.d, m.e, m.f), ctm)
    x, y = ctypes.c_float(), ctypes.c_float()
    start: tuple[float, float] | None = None
    current: tuple[float, float] | None = None
    for i in range(pdfium_c.FPDFPath_CountSegments(obj)):
        seg = pdfium_c.FPDFPath_GetPathSegment(obj, i)
        pdfium_c.FPDFPathSegment_GetPoint(seg, x, y)
        point = _apply(full, x.value, y.value)
        kind = pdfium_c.FPDFPathSegment_GetType(seg)
        if kind == pdfium_c.FPDF_SEGMENT_MOVETO:
            start = current = point
        else:
            if kind == pdfium_c.FPDF_SEGMENT_LINETO and current is not None:
                out.append((*current, *point))
            current = point
        if pdfium_c.FPDFPathSegment_GetClose(seg) and start is not None and current is not None:
            if current != start:
                out.append((*current, *start))
            current = start


# ------------------------------------------------------------------------------------------- documents


@contextmanager
def open_pdf(inp: InputFile) -> Iterator[Any]:
    """Open a PDF with pdfplumber, with the first of the given passwords that works."""
    import pdfplumber

    passwords = list(inp.passwords) or [""]
    pdf = None
    for password in passwords:
        try:
            pdf = pdfplumber.open(io.BytesIO(inp.data), password=password)
            _ = pdf.pages  # forces the document (and its encryption) to be read
            setattr(pdf, "_reconcile_password", password)  # noqa: B010 - remembered for worker processes
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


def jobs_for(pages: int) -> int:
    """How many processes read a PDF: ``RECONCILE_JOBS`` if set, else one per core (at most 4) for long PDFs."""
    configured = os.environ.get("RECONCILE_JOBS", "").strip()
    if configured.isdigit() and int(configured) > 0:
        return min(int(configured), max(pages, 1))
    if pages < PARALLEL_FROM_PAGES:
        return 1
    return max(1, min(os.cpu_count() or 1, 4, pages))


#: Called as progress(path, pages done, pages in all) while long PDFs are read; the CLI sets it when stderr is
#: a terminal. None (the default for library use) reports nothing.
PROGRESS: Callable[[str, int, int], None] | None = None


def read_pages(inp: InputFile, *, jobs: int | None = None) -> Iterator[Page]:
    """Every page, in order; long PDFs are read by several processes."""
    progress = PROGRESS
    total = 0
    for done, page in enumerate(_read_pages(inp, jobs=jobs), start=1):
        if progress is not None:
            progress(inp.path, done, total)
        yield page
    if progress is not None:
        progress(inp.path, -1, total)


def _read_pages(inp: InputFile, *, jobs: int | None = None) -> Iterator[Page]:
    with open_pdf(inp) as pdf:  # checks the password and that the file is readable at all
        total = len(pdf.pages)
        password = getattr(pdf, "_reconcile_password", "")
    n = jobs or jobs_for(total)
    use_pdfium = engine() == "pdfium"
    if n <= 1:
        yield from _pages(inp.data, password, 0, total, use_pdfium)
        return
    from concurrent.futures import ProcessPoolExecutor

    size = -(-total // n)
    ranges = [(i, min(i + size, total)) for i in range(0, total, size)]
    with ProcessPoolExecutor(max_workers=n) as pool:
        futures = [pool.submit(_page_list, inp.data, password, a, b, use_pdfium) for a, b in ranges]
        for future in futures:
            yield from future.result()


def _page_list(data: bytes, password: str, start: int, stop: int, use_pdfium: bool) -> list[Page]:
    return list(_pages(data, password, start, stop, use_pdfium))


def _pages(data: bytes, password: str, start: int, stop: int, use_pdfium: bool) -> Iterator[Page]:
    """Pages ``start`` to ``stop`` (0-based); with pypdfium2, any page it cannot vouch for by the reference."""
    if not use_pdfium:
        yield from _plumber_pages(data, password, range(start, stop))
        return
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(data, password=password or None)
    try:
        for i in range(start, stop):
            page = pdfium_page(doc, i)
            if page is None:
                page = next(_plumber_pages(data, password, [i]))
            yield page
    finally:
        doc.close()


def _plumber_pages(data: bytes, password: str, indices: Sequence[int] | range) -> Iterator[Page]:
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data), password=password) as pdf:
        for i in indices:
            page = pdf.pages[i]
            try:
                yield plumber_page(page, i + 1)
            finally:
                if hasattr(page, "close"):
                    page.close()
