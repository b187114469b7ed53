"""What is on a PDF page, as geometry: the characters with their positions and the ruling lines, read by either
PDF engine and put in the page's reading orientation.

Only this module and `pdfiumraw` talk to the engines (`pdfopen` opens the document). pypdfium2 is fast;
pdfplumber (pdfminer) is the reference. Each gives its characters (text, origin, advance, size, direction) and
straight path segments; everything after that is shared (`geometry`): characters become words by geometry
(baseline, then x), never by the order a library streams them, so both engines give the same words when they
see the same characters, whatever their versions.

A page whose characters pypdfium2 cannot vouch for (a text object none of its characters came from, a glyph
without a Unicode mapping) is read by the reference instead. Pages rotated with ``/Rotate`` or drawn sideways
are turned so that their text runs left to right; fake-bold doubled glyphs are dropped; Kangxi radicals and
compatibility ideographs are folded to the ordinary characters.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from ..inputs import InputFile
from .geometry import (
    _INVISIBLE,
    Glyph,
    Page,
    Rule,
    Word,
    _direction,
    _glyphs,
    _merge_rules,
    _RawGlyph,
    build_words,
    fold_radicals,
    group_lines,
    line_text,
)
from .pdfiumraw import Matrix, _pdfium_glyphs, _rotation_ctm, _same_box, _walk_objects
from .pdfopen import MAX_PAGES, PARALLEL_FROM_PAGES, engine, jobs_for, open_pdf

__all__ = [
    "MAX_PAGES",
    "PARALLEL_FROM_PAGES",
    "PROGRESS",
    "Glyph",
    "Matrix",
    "Page",
    "Rule",
    "Word",
    "build_words",
    "engine",
    "fold_radicals",
    "group_lines",
    "jobs_for",
    "line_text",
    "open_pdf",
    "pdfium_page",
    "plumber_page",
    "read_pages",
]


# ------------------------------------------------------------------------------------------- engines


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


# ------------------------------------------------------------------------------------------- documents


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
