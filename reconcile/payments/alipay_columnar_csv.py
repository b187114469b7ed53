"""The data lines of an Alipay table as bytes (`Region`) and how `alipay_columnar` turns them into an Arrow table
it can trust: the CSV read itself (`read_region`), every cell checked to decode (`check_decodes`), and each row's
line found by its byte offsets (`line_offsets`), lines holding a quote compared with what the csv module, which the
line-by-line reader uses, makes of them."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..read.columnar import Irregular, ints, is_ascii

if TYPE_CHECKING:
    import numpy as np
    import pyarrow as pa


@dataclass(frozen=True)
class Region:
    """The table's data lines: ``data[start:stop]`` (no trailing line break), their encoding, the header's
    1-based line and the file's path and sha256 for provenance."""

    data: bytes
    start: int
    stop: int
    encoding: str
    first: int
    path: str
    sha256: str


def read_region(region: Region, cols: dict[str, int]) -> tuple[pa.Table, int, bool]:
    """The region's lines as a table of raw bytes, one column per cell (``c0``, ``c1``, ...), with its width and
    whether the region holds a quote; `Irregular` when the lines are narrower than the header's columns."""
    import pyarrow as pa
    import pyarrow.csv as pv

    data, lo, hi, encoding = region.data, region.start, region.stop, region.encoding
    # Quoted cells (a description holding a comma) are rare in real exports but do occur: Arrow reads them
    # too, and every line holding a quote is compared with what the csv module makes of it (`line_offsets`).
    quoted = data.find(b'"', lo, hi) >= 0
    nl = data.find(b"\n", lo, hi)
    first_line = data[lo : hi if nl < 0 else nl]
    if b'"' in first_line:
        width = len(next(csv.reader([first_line.decode(encoding).rstrip("\r")])))
    else:
        width = first_line.count(b",") + 1
    if width < max(cols.values()) + 1:
        raise Irregular
    names = [f"c{i}" for i in range(width)]
    table = pv.read_csv(
        pa.py_buffer(memoryview(data)[lo:hi]),
        read_options=pv.ReadOptions(column_names=names, block_size=1 << 24),
        parse_options=pv.ParseOptions(
            quote_char='"' if quoted else False,
            double_quote=True,
            newlines_in_values=False,
            ignore_empty_lines=False,
        ),
        convert_options=pv.ConvertOptions(column_types=dict.fromkeys(names, pa.binary())),
    )
    return table, width, quoted


def line_offsets(table: pa.Table, region: Region, width: int, quoted: bool) -> tuple[np.ndarray, int]:
    """Where each row's line starts (from ``region.start``; then the end, as if a last line ending followed) and
    the length of the line ending (1 or 2). `Irregular` unless there is one line per row, every line ending
    alike, and every line holding a quote splits into the cells the csv module gives it."""
    import numpy as np
    import pyarrow.compute as pc

    data, lo, hi, encoding = region.data, region.start, region.stop, region.encoding
    n = table.num_rows
    eol = 2 if data.find(b"\r\n", lo, hi) >= 0 else 1
    if quoted:
        starts = _line_starts(data, lo, hi, n, eol)
        _same_as_csv_module(table, data, lo, starts, eol, encoding)
    else:
        # A row's line is its cells joined by commas, then the line ending: rows must tile the data exactly.
        lengths = np.full(n, width - 1, dtype=np.int64)
        for i in range(width):
            lengths += ints(pc.binary_length(table.column(f"c{i}")))
        starts = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(lengths + eol, out=starts[1:])
        if int(starts[n]) - eol != hi - lo:
            raise Irregular
    return starts, eol


def _line_starts(data: bytes, lo: int, hi: int, n: int, eol: int) -> np.ndarray:
    """Offsets (from ``lo``) of the ``n`` lines of ``data[lo:hi]`` and of the end (as if a last line ending
    followed); `Irregular` unless there are exactly ``n`` lines, all ending alike."""
    import numpy as np

    buf = np.frombuffer(data, dtype=np.uint8, count=hi - lo, offset=lo)
    newlines = np.flatnonzero(buf == 0x0A)
    if len(newlines) != n - 1:
        raise Irregular  # a line break inside a quoted cell, or blank lines
    if len(newlines):
        cr = newlines > 0
        ends_cr = np.zeros(len(newlines), dtype=bool)
        ends_cr[cr] = buf[newlines[cr] - 1] == 0x0D
        if not (ends_cr.all() if eol == 2 else not ends_cr.any()):
            raise Irregular
    starts = np.empty(n + 1, dtype=np.int64)
    starts[0] = 0
    starts[1:n] = newlines + 1
    starts[n] = hi - lo + eol
    return starts


def _same_as_csv_module(
    table: pa.Table, data: bytes, lo: int, starts: np.ndarray, eol: int, encoding: str
) -> None:
    """`Irregular` unless Arrow split every line holding a quote into the cells the csv module (which the
    line-by-line reader uses) gives it."""
    import numpy as np

    buf = np.frombuffer(data, dtype=np.uint8, count=int(starts[-1]) - eol, offset=lo)
    quotes = np.flatnonzero(buf == 0x22)
    rows = np.unique(np.searchsorted(starts, quotes, side="right") - 1).tolist()
    if len(rows) > 10_000:
        raise Irregular  # quoting everywhere: not the regular export this path is for
    for row in rows:
        line = data[lo + int(starts[row]) : lo + int(starts[row + 1]) - eol].decode(encoding)
        reader = csv.reader(iter([line]))
        try:
            cells = next(reader)
        except (csv.Error, StopIteration) as exc:
            raise Irregular from exc
        arrow_cells = [table.column(i)[row].as_py() for i in range(table.num_columns)]
        if [c.encode(encoding) for c in cells] != arrow_cells:
            raise Irregular


def check_decodes(cells: pa.ChunkedArray, encoding: str, categorical: bool) -> None:
    """Raise `Irregular` unless every cell decodes. ASCII needs no decoding; a categorical column is decoded
    value by value in `Categorical`; other cells are decoded joined by newlines, which no UTF-8 or GB18030
    character contains, so a cell cut inside a character still fails."""
    import pyarrow as pa

    for chunk in cells.chunks:
        if is_ascii(chunk) or categorical:
            continue
        if encoding == "utf-8":
            chunk.cast(pa.string())  # Arrow's UTF-8 check raises ArrowInvalid
        else:
            b"\n".join(chunk.to_pylist()).decode(encoding)
