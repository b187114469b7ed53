"""pypdfium2's raw C API, for the fast reading of a page (`pdfpage.pdfium_page`): each character's text, origin,
advance box, direction and size, the page's text objects (to tell whether every character reached the text
page) and its straight path segments, all in user space as pdfminer sees it (the page's ``/Rotate`` applied).
"""

from __future__ import annotations

import ctypes
import functools
import math
from typing import Any

from .geometry import _INVISIBLE, _direction, _RawGlyph

Matrix = tuple[float, float, float, float, float, float]


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
