"""Repayment plans from phone screenshots (PNG, JPEG, WebP): OCR gives a page of positioned words
(`reconcile.read.ocr`), the same table, card and terms readers as for a PDF read it, every value is proven by
arithmetic (`proof`), and every record's evidence is the image region it was read from, with the OCR's
confidence. Several screenshots of one plan are stitched together by `stitch`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from ..errors import BadFile
from ..extractor import Extractor, Sniff
from ..inputs import InputFile
from ..model import Extraction, Installment, LoanTerms, Notice, Quality, Role, SourceRef, Statement, Unread
from ..read.geometry import Word, line_text
from ..read.ocr import OcrPage, read_image
from .assemble import check_notices
from .checks import self_checks
from .pdf import statement_from_pages
from .proof import prove, relabel, row_adds_up
from .quality import assess


class StatementImage(Extractor):
    name = "statement-image"
    role = Role.STATEMENT
    file_types = ("png", "jpg", "jpeg", "webp")
    description = (
        "repayment plans as phone screenshots (还款计划 / 借据详情 / 账单: tables or one card per installment); "
        "needs the OCR extra"
    )

    @classmethod
    def identify(cls, sniff: Sniff) -> bool:
        return sniff.kind == "image"

    def extract(self, inp: InputFile) -> Extraction:
        ocr = read_image(inp.data)
        if not ocr.page.words:
            raise BadFile(
                "no text was found in the screenshot", path=inp.path, hint="take the screenshot again"
            )
        try:
            return read_screens(inp, [(inp.path, inp.sha256, ocr)], self.name)
        except BadFile as exc:
            if "header" not in exc.message:
                raise
            return _continuation(inp, ocr, self.name)


Screen = tuple[str, str, OcrPage]  # path, sha256, page


def read_screens(inp: InputFile, screens: Sequence[Screen], extractor: str) -> Extraction:
    """One statement from one screenshot, or from several of one plan read as consecutive pages (a table's
    columns carry on to a screenshot that does not repeat its header). Each record keeps its own image and
    region; a period two screenshots show is counted once (`dedupe`); every value is proven (`prove`)."""
    pages = [replace(ocr.page, number=k) for k, (_, _, ocr) in enumerate(screens, start=1)]
    ex = statement_from_pages(inp, pages, extractor)
    ex = _located(ex, screens)
    assert ex.statement is not None
    statement, relabelled = relabel(ex.statement, inp.path)
    statement, overlap = dedupe(statement)
    statement, notes = prove(statement, inp.path)
    statement = replace(statement, checks=self_checks(statement))
    statement = replace(statement, quality=assess(statement, ex.notices, inp.path))
    size = screens[0][2].size
    metadata = {**ex.metadata, "image": f"{size[0]}x{size[1]}", "ocr": "RapidOCR (offline)"}
    metadata.pop("pages_with_rows", None)
    if len(screens) > 1:
        metadata["screenshots"] = str(len(screens))
    stale = {c.code for c in ex.statement.checks if not c.ok}  # rechecked after the proof, below
    notices = [n for n in ex.notices if n.code not in stale] + relabelled + overlap + notes
    notices += check_notices(statement)
    return replace(ex, statement=statement, notices=tuple(notices), metadata=metadata)


def _continuation(inp: InputFile, ocr: OcrPage, extractor: str) -> Extraction:
    """A screenshot with plan rows but no header of its own: it is read with the screenshot before it (given
    together); alone it is not a statement anyone can rely on."""
    note = Notice(
        code="no-header",
        message="no column header on this screenshot: it is read together with the screenshot before it",
        message_zh="此截图没有表头：将与之前的截图一起读取",
        path=inp.path,
    )
    quality = Quality(level="low", reasons=(note,))
    statement = Statement(terms=LoanTerms(), quality=quality)
    return Extraction(
        path=inp.path,
        sha256=inp.sha256,
        extractor=extractor,
        role=Role.STATEMENT,
        statement=statement,
        metadata={
            "image": f"{ocr.size[0]}x{ocr.size[1]}",
            "ocr": "RapidOCR (offline)",
            "layout": "continuation",
        },
        notices=(note,),
    )


def _located(ex: Extraction, screens: Sequence[Screen]) -> Extraction:
    """Each reference of page k moved to the k-th screenshot (its path and sha256), and located in it."""

    def move(ref: SourceRef) -> SourceRef:
        if ref.page is None or not 1 <= ref.page <= len(screens):
            return ref
        path, sha, _ = screens[ref.page - 1]
        return replace(ref, path=path, sha256=sha)

    if len(screens) > 1:
        moved: Extraction = _map_refs(ex, move)
        ex = moved
    for path, _, ocr in screens:
        ex = with_regions(ex, ocr, path)
    return ex


def dedupe(st: Statement) -> tuple[Statement, list[Notice]]:
    """Each period once: a period shown again with the same values is the overlap of two screenshots (counted
    once, with a notice); shown again with different values, one of them is misread, so both are set aside."""
    seen: dict[int, Installment] = {}
    conflicted: set[int] = set()
    notices: list[Notice] = []
    unread = list(st.unread)
    for inst in st.installments:
        if inst.period in conflicted:
            continue
        earlier = seen.get(inst.period)
        if earlier is None:
            seen[inst.period] = inst
        elif _agree(earlier, inst):
            if _shown(inst) > _shown(earlier):  # a card cut off at a screenshot's edge shows less
                seen[inst.period] = inst
                earlier, inst = inst, earlier
            notices.append(
                Notice(
                    code="overlap",
                    message=f"period {inst.period} is shown by {inst.source.path} and {earlier.source.path}; "
                    "counted once",
                    where="",
                    message_zh=f"第{inst.period}期 同时出现在 {inst.source.path} 和 {earlier.source.path} 中，只计一次",
                    path=earlier.source.path,
                )
            )
        elif (row_adds_up(earlier) is True) != (row_adds_up(inst) is True):
            # a row cut off at a screenshot's edge reads as something else: the reading that adds up stands
            seen[inst.period] = earlier if row_adds_up(earlier) else inst
        else:
            conflicted.add(inst.period)
            del seen[inst.period]
            for row in (earlier, inst):
                unread.append(
                    Unread(
                        reason=f"OCR: period {inst.period} reads differently in two screenshots",
                        source=row.source,
                        reason_zh=f"第{inst.period}期 在两张截图中识别结果不同",
                    )
                )
    kept = tuple(sorted(seen.values(), key=lambda i: i.period))
    return replace(st, installments=kept, unread=tuple(unread)), notices


_VALUES = ("due_date", "principal", "interest", "penalty", "fees", "total", "paid", "outstanding", "status")


def _agree(a: Installment, b: Installment) -> bool:
    """Whether two readings of a period agree on every value both show."""
    return all(
        getattr(a, name) == getattr(b, name)
        for name in _VALUES
        if getattr(a, name) not in (None, "") and getattr(b, name) not in (None, "")
    )


def _shown(inst: Installment) -> int:
    return sum(1 for name in _VALUES if getattr(inst, name) not in (None, ""))


def with_regions(ex: Extraction, ocr: OcrPage, path: str | None = None) -> Extraction:
    """Every source reference of the extraction located in the image: the region of the lines its text was
    read from, and the OCR's confidence in them."""
    lines = [(_compact(line_text(line)), line) for line in ocr.page.lines]
    cache: dict[str, tuple[tuple[int, int, int, int], Any] | None] = {}

    def locate(ref: SourceRef) -> SourceRef:
        if ref.path != (path or ex.path) or ref.box is not None:
            return ref
        key = _compact(ref.text)
        if key not in cache:
            cache[key] = _region(key, lines, ocr)
        found = cache[key]
        if found is None:
            return ref
        box, confidence = found
        return replace(ref, box=box, confidence=confidence)

    mapped: Extraction = _map_refs(ex, locate)
    return mapped


def _compact(text: str) -> str:
    return "".join(text.split())


def _region(
    key: str, lines: Sequence[tuple[str, list[Word]]], ocr: OcrPage
) -> tuple[tuple[int, int, int, int], Any] | None:
    """The region of the run of consecutive lines that covers most of ``key``: the first line begins it, each
    line's text is a part of it."""
    if not key:
        return None
    best: tuple[int, int, int] | None = None  # covered, start, end
    for i in range(len(lines)):
        if not lines[i][0] or not key.startswith(lines[i][0]):
            continue  # the record's text begins with its first line
        covered = 0
        for j in range(i, len(lines)):
            text = lines[j][0]
            if not text or text not in key:
                break
            covered += len(text)
            if best is None or covered > best[0]:
                best = (covered, i, j)
    if best is None or best[0] * 2 < len(key):
        return None
    words = [w for _, line in lines[best[1] : best[2] + 1] for w in line]
    return ocr.region(words)


def _map_refs(obj: Any, fn: Any) -> Any:
    """``obj`` with every `SourceRef` inside it (dataclasses, tuples, lists) replaced by ``fn(ref)``."""
    if isinstance(obj, SourceRef):
        return fn(obj)
    if isinstance(obj, tuple):
        return tuple(_map_refs(v, fn) for v in obj)
    if isinstance(obj, list):
        return [_map_refs(v, fn) for v in obj]
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        changes = {}
        for f in dataclasses.fields(obj):
            value = getattr(obj, f.name)
            mapped = _map_refs(value, fn)
            if mapped is not value:
                changes[f.name] = mapped
        return replace(obj, **changes) if changes else obj
    return obj
