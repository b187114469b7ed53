"""The shared table reader: CSV (any common encoding), XLSX and legacy XLS, as rows of clean text cells.

Extractors declare their columns as synonyms; `find_header` finds the header row by content, never by
position, because real exports move it (Alipay lost a tip line in 2026, WeChat gained one).
"""

from __future__ import annotations

import csv
import functools
import io
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from ..dates import CST, from_excel_serial, parse_datetime, plausible
from ..errors import BadFile, ParseError
from ..inputs import InputFile
from ..money import decimal_from_cell, float_decimal

csv.field_size_limit(1 << 28)

#: Largest number of rows scanned for a header before giving up.
HEADER_SCAN_ROWS = 400


@dataclass(frozen=True, slots=True)
class Row:
    """One row: its 1-based line (CSV) or row number (sheet), its cells as clean text, and its raw text."""

    number: int
    cells: list[str]
    raw: str
    values: tuple[object, ...] | None = None  # typed spreadsheet values, when read from XLSX/XLS
    page: int | None = None  # PDF page, for rows read from a PDF (number is then the row within the page)


@dataclass(frozen=True)
class Sheet:
    """The rows of one CSV file or one worksheet. ``name`` is None for CSV."""

    name: str | None
    rows: list[Row]
    encoding: str | None = None


# ---------------------------------------------------------------------------------------------- decoding


def decode_text(inp: InputFile) -> tuple[str, str]:
    """Decode a text export: BOMs first (UTF-8, UTF-16), then strict UTF-8, then GB18030 (a superset of GBK,
    what Alipay writes), then charset-normalizer's best guess. Returns (text, encoding name)."""
    data = inp.data
    if data.startswith(b"\xef\xbb\xbf"):
        return _decode(inp, data[3:], "utf-8"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _decode(inp, data, "utf-16"), "utf-16"
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError as exc:
            if exc.start >= len(data) - 3 and exc.start > len(data) // 2:
                # a multi-byte character cut off at the very end: the file was truncated. Decode what is
                # there; the extractor reports the incomplete last row.
                try:
                    return data[: exc.start].decode(encoding), encoding
                except UnicodeDecodeError:
                    pass
    from charset_normalizer import from_bytes

    best = from_bytes(data[: 1 << 20]).best()
    if best is not None and best.encoding:
        try:
            return data.decode(best.encoding), best.encoding
        except (UnicodeDecodeError, LookupError):
            pass
    raise BadFile(
        "cannot decode the text (not UTF-8, GBK/GB18030 or UTF-16)",
        path=inp.path,
        hint="the file may be damaged or not a text export",
    )


def _decode(inp: InputFile, data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise BadFile(
            f"invalid {encoding} text at byte {exc.start}",
            path=inp.path,
            hint="the file may be truncated or damaged; re-export it",
        ) from exc


def split_lines(text: str) -> list[str]:
    """Split on CRLF, LF or CR (and nothing else: a stray form feed inside a cell is content)."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def clean(cell: str) -> str:
    """Strip spaces, TABs and full-width spaces around a cell."""
    return cell.strip()


# ---------------------------------------------------------------------------------------------- reading


def read_csv_rows(lines: Sequence[str], *, delimiter: str = ",") -> Iterable[Row]:
    """Parse CSV lines (quoted fields may span lines) into rows with their first physical line number."""
    reader = csv.reader(lines, delimiter=delimiter)
    start = 0
    try:
        for cells in reader:
            end = reader.line_num
            raw = lines[start] if end == start + 1 else "\n".join(lines[start:end])
            yield Row(start + 1, [c.strip() for c in cells], raw)
            start = end
    except csv.Error as exc:
        raise ParseError(f"line {start + 1}: malformed CSV ({exc})") from exc


def sniff_delimiter(lines: Sequence[str]) -> str:
    """Comma unless the text is clearly tab-separated (more tabs than commas on most of the first lines)."""
    sample = [ln for ln in lines[:50] if ln.strip()]
    tabby = sum(1 for ln in sample if ln.count("\t") > ln.count(",") and ln.count("\t") >= 2)
    return "\t" if sample and tabby * 2 > len(sample) else ","


def read_text_sheet(inp: InputFile) -> Sheet:
    text, encoding = decode_text(inp)
    lines = split_lines(text)
    try:
        rows = list(read_csv_rows(lines, delimiter=sniff_delimiter(lines)))
    except ParseError as exc:
        raise BadFile(str(exc), path=inp.path) from exc
    return Sheet(None, rows, encoding)


def cell_text(value: object) -> str:
    """A spreadsheet value as text without going through float arithmetic: 274.66 -> "274.66",
    6688.0 -> "6688", datetimes as ``YYYY-MM-DD HH:MM:SS``."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float, Decimal)):
        amount = decimal_from_cell(value) if not isinstance(value, float) else float_decimal(value)
        if amount == amount.to_integral_value():
            return str(int(amount))
        return f"{amount:f}"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S") if value.time() != time(0) else value.strftime("%Y-%m-%d")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.strftime("%H:%M:%S")
    if isinstance(value, timedelta):
        total = int(value.total_seconds())
        return f"{total // 3600:02d}:{total % 3600 // 60:02d}:{total % 60:02d}"
    return str(value).strip()


def workbook_values(inp: InputFile) -> list[tuple[str, list[list[object]]]]:
    """(sheet name, rows of typed values) for every worksheet, parsed once per input and shared."""
    cached = inp.cache.get("workbook")
    if cached is None:
        from python_calamine import CalamineWorkbook

        wb = CalamineWorkbook.from_filelike(io.BytesIO(inp.data))
        cached = [
            (name, wb.get_sheet_by_name(name).to_python(skip_empty_area=False)) for name in wb.sheet_names
        ]
        inp.cache["workbook"] = cached
    return cached


def read_workbook(inp: InputFile) -> list[Sheet]:
    """Every worksheet of an XLSX or XLS file, rows numbered as Excel numbers them."""
    try:
        sheets = []
        for name, data in workbook_values(inp):
            rows = []
            for i, values in enumerate(data, start=1):
                cells = [cell_text(v) for v in values]
                if not any(cells):
                    continue
                while cells and not cells[-1]:
                    cells.pop()
                rows.append(Row(i, cells, " | ".join(cells), tuple(values)))
            sheets.append(Sheet(name, rows))
    except BadFile:
        raise
    except Exception as exc:  # calamine raises its own error types for corrupt workbooks
        raise BadFile(
            f"cannot read the workbook ({type(exc).__name__}: {exc})",
            path=inp.path,
            hint="the file may be damaged; open and re-save it, or re-export it",
        ) from exc
    return sheets


def read_sheets(inp: InputFile) -> list[Sheet]:
    """The rows of a CSV/TXT (one sheet) or a workbook (every sheet)."""
    if inp.kind in ("xlsx", "xls"):
        return read_workbook(inp)
    if inp.kind == "text":
        return [read_text_sheet(inp)]
    raise BadFile(f"not a table file (looks like {inp.kind})", path=inp.path)


# ---------------------------------------------------------------------------------------------- headers


_UNIT_SUFFIX = re.compile(r"(?:\((?:元|人民币|rmb|cny|¥|yuan)\)|/元|（元）)$")


@functools.lru_cache(maxsize=1 << 16)
def norm_header(text: str) -> str:
    """Header text for comparison: NFKC (full-width brackets, Kangxi radicals), no whitespace, lower case, and
    no unit suffix (``本金（元）`` and ``本金`` name the same column)."""
    return _UNIT_SUFFIX.sub("", re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).lower())


@dataclass(frozen=True)
class Column:
    """A logical column and the header texts that name it."""

    field: str
    synonyms: tuple[str, ...]
    required: bool = True

    def matches(self, header: str) -> bool:
        return header in {norm_header(s) for s in self.synonyms}


@dataclass(frozen=True)
class Header:
    index: int  # position of the header row within Sheet.rows
    row: Row
    columns: dict[str, int]  # field -> cell index


def find_header(
    rows: Sequence[Row], columns: Sequence[Column], *, scan: int = HEADER_SCAN_ROWS
) -> Header | None:
    """The first row (within ``scan``) naming every required column; None if there is none."""
    synonyms = [(c, [norm_header(s) for s in c.synonyms]) for c in columns]
    for index, row in enumerate(rows[:scan]):
        positions: dict[str, int] = {}
        for i, cell in enumerate(row.cells):
            positions.setdefault(norm_header(cell), i)
        found: dict[str, int] = {}
        taken: set[int] = set()
        for column, names in synonyms:  # earlier synonyms win: they name the preferred column
            for name in names:
                at = positions.get(name)
                if at is not None and at not in taken:
                    found[column.field] = at
                    taken.add(at)
                    break
        if all(c.field in found for c in columns if c.required):
            return Header(index, row, found)
    return None


def describe_missing(rows: Sequence[Row], columns: Sequence[Column], *, scan: int = HEADER_SCAN_ROWS) -> str:
    """For an error message: the most promising row, which required columns it has and which it lacks."""
    best: tuple[int, Row | None, list[str], list[str]] = (-1, None, [], [])
    row: Row | None
    for row in rows[:scan]:
        normalised = {norm_header(c) for c in row.cells}
        have = [
            c.synonyms[0] for c in columns if c.required and normalised & {norm_header(s) for s in c.synonyms}
        ]
        lack = [c.synonyms[0] for c in columns if c.required and c.synonyms[0] not in have]
        if len(have) > best[0]:
            best = (len(have), row, have, lack)
    _, row, have, lack = best
    if row is None or not have:
        return "no header row found (none of the expected column names appear)"
    return f"line {row.number} has {', '.join(have)} but lacks {', '.join(lack)}"


def parse_cell_datetime(text: str, value: object = None) -> tuple[datetime, bool]:
    """A date/time cell: typed spreadsheet dates, Excel serial numbers, or text."""
    if isinstance(value, datetime):
        plausible(value)
        return (value if value.tzinfo else value.replace(tzinfo=CST)), value.time() != time(0)
    if isinstance(value, date):
        plausible(value)
        return datetime.combine(value, time(0), CST), False
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return from_excel_serial(value), True
    if re.fullmatch(r"\d{5}(?:\.\d+)?", text):
        return from_excel_serial(text), "." in text
    return parse_datetime(text)
