"""What the columnar wallet reader (`wallet_columnar`) reads straight from an XLSX archive's XML, which the
text of its cells cannot tell: which ZIP member holds each sheet, whether the sheet starts at A1, whether any cell
style formats numbers as dates, and whether given cells are text cells."""

from __future__ import annotations

import io
import re
import zipfile
from typing import Any


def column_letters(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


_TEXT_TYPES = (b"s", b"inlineStr", b"str")


#: Built-in number formats calamine reads as dates or times.
_DATE_FORMAT_IDS = frozenset([*range(14, 23), *range(27, 37), *range(45, 48), *range(50, 59), *range(71, 82)])
_CELL_XFS = re.compile(rb"<(?:\w+:)?cellXfs\b.*?</(?:\w+:)?cellXfs>", re.S)
_XF_FORMAT = re.compile(rb'\bnumFmtId="(\d+)"')
_NUM_FMT = re.compile(rb"<(?:\w+:)?numFmt\b[^>]*>")
_FORMAT_CODE = re.compile(rb'\bformatCode="([^"]*)"')
_LITERALS = re.compile(rb'&quot;.*?&quot;|"[^"]*"|\\.')


def may_hold_dates(workbook: bytes) -> bool:
    """Whether any cell style of the workbook formats numbers as dates or times (then a cell reading
    ``00:00:00`` may be a date cell). Without such a style every such cell is text. Unsure answers True."""
    try:
        with zipfile.ZipFile(io.BytesIO(workbook)) as archive:
            name = {n.lower(): n for n in archive.namelist()}.get("xl/styles.xml")
            if name is None:
                return False  # no styles: calamine reads every number as a number
            styles = archive.read(name)
    except (zipfile.BadZipFile, OSError, RuntimeError):
        return True
    custom: dict[int, bytes] = {}
    for tag in _NUM_FMT.findall(styles):
        fmt_id, code = _XF_FORMAT.search(tag), _FORMAT_CODE.search(tag)
        if fmt_id is None or code is None:
            return True
        custom[int(fmt_id.group(1))] = code.group(1)
    section = _CELL_XFS.search(styles)
    if section is None:
        return bool(custom) or b"cellXfs" in styles
    for fmt in _XF_FORMAT.findall(section.group(0)):
        number = int(fmt)
        if number in _DATE_FORMAT_IDS:
            return True
        custom_code = custom.get(number)
        if custom_code is not None and re.search(rb"[dmyhsDMYHS]", _LITERALS.sub(b"", custom_code)):
            return True
    return False


_SHEET = re.compile(rb"<(?:\w+:)?sheet\b[^>]*>")
_NAME = re.compile(rb'\sname="([^"]*)"')
_RID = re.compile(rb'\s(?:\w+:)?id="([^"]*)"')
_REL = re.compile(rb"<(?:\w+:)?Relationship\b[^>]*>")
_TARGET = re.compile(rb'\sTarget="([^"]*)"')
_REL_ID = re.compile(rb'\sId="([^"]*)"')


def sheet_parts(workbook: bytes) -> dict[str, str]:
    """Sheet name -> the ZIP member holding its XML, from the workbook and its relationships."""
    import html
    import posixpath

    with zipfile.ZipFile(io.BytesIO(workbook)) as archive:
        names = {n.lower(): n for n in archive.namelist()}
        book = archive.read(names["xl/workbook.xml"])
        rels = archive.read(names["xl/_rels/workbook.xml.rels"])
    targets = {}
    for tag in _REL.findall(rels):
        rel_id, target = _REL_ID.search(tag), _TARGET.search(tag)
        if rel_id and target:
            path = target.group(1).decode()
            path = (
                path.lstrip("/") if path.startswith("/") else posixpath.normpath(posixpath.join("xl", path))
            )
            targets[rel_id.group(1)] = names.get(path.lower(), path)
    parts = {}
    for tag in _SHEET.findall(book):
        name, rel_id = _NAME.search(tag), _RID.search(tag)
        if name and rel_id and rel_id.group(1) in targets:
            parts[html.unescape(name.group(1).decode())] = targets[rel_id.group(1)]
    return parts


def starts_at_a1(workbook: bytes, part: str) -> bool:
    """Whether the worksheet's first cell is A1 (then its used range starts there)."""
    try:
        with zipfile.ZipFile(io.BytesIO(workbook)) as archive, archive.open(part) as stream:
            head = b""
            while len(head) < 1 << 22:
                chunk = stream.read(1 << 16)
                head += chunk
                cell = _FIRST_CELL.search(head)
                if cell is not None and head.find(b">", cell.start()) >= 0:
                    tag = head[cell.start() : head.find(b">", cell.start())]
                    ref = _CELL_REF.search(tag)
                    return ref is not None and ref.group(1) == b"A1"
                if not chunk:
                    return False
    except (zipfile.BadZipFile, OSError, RuntimeError, EOFError):
        return False
    return False


_FIRST_CELL = re.compile(rb"<(?:\w+:)?c[\s/>]")
_CELL_REF = re.compile(rb'\sr="([^"]*)"')


def all_text_cells(workbook: bytes, part: str, refs: list[str]) -> bool:
    """Whether every cell named (``A19``, in sheet order) is a text cell (shared, inline or formula string) in
    the worksheet's XML, read as a stream up to the last of them. Anything unexpected answers False."""
    try:
        with zipfile.ZipFile(io.BytesIO(workbook)) as archive, archive.open(part) as stream:
            return _stream_text_cells(stream, refs)
    except (zipfile.BadZipFile, OSError, RuntimeError, EOFError):
        return False


def _stream_text_cells(stream: Any, refs: list[str]) -> bool:
    buf, pos = b"", 0
    for ref in refs:
        needle = b' r="' + ref.encode() + b'"'
        while True:
            hit = buf.find(needle, pos)
            end = buf.find(b">", hit) if hit >= 0 else -1
            if end >= 0:
                break
            chunk = stream.read(1 << 20)
            if not chunk:
                return False
            keep = max(0, min(pos, len(buf) - 4096))  # a tag cut by the chunk boundary is kept whole
            buf, pos = buf[keep:] + chunk, pos - keep
        tag = buf[buf.rfind(b"<", 0, hit) : end]
        name = tag[1:].split(None, 1)[0] if len(tag) > 1 else b""
        kind = _CELL_TYPE.search(tag)
        if name.rsplit(b":", 1)[-1] != b"c" or kind is None or kind.group(1) not in _TEXT_TYPES:
            return False
        pos = end
    return True


_CELL_TYPE = re.compile(rb'\st="([^"]*)"')
