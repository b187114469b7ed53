"""Shared pieces of the columnar readers (`alipay_columnar`, `wallet_columnar`): when to use them, Arrow <->
NumPy without pandas, repeated texts as codes, and refund linking by columns.

A columnar reader is an optimisation for large regular exports, never a second set of rules: it raises
`Irregular` (and its extractor reads the file row by row) whenever anything differs from the regular case.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from ..dates import CST
from ..inputs import InputFile
from ..model import Direction
from . import prefetch
from .prefetch import MIN_BYTES as MIN_BYTES  # re-exported: the readers' size thresholds
from .prefetch import MIN_WORKBOOK_BYTES as MIN_WORKBOOK_BYTES
from .prefetch import wanted as wanted

if TYPE_CHECKING:
    import numpy as np
    import pyarrow as pa

    from ..payments.common import Tallies


class Irregular(Exception):
    """The table needs the row-by-row path."""


def has_byte(values: pa.Array | pa.ChunkedArray, byte: int) -> bool:
    """Whether the data buffers of a string or binary column hold ``byte`` anywhere: a cheap pre-check (a few
    milliseconds for a million cells) before a compute kernel looks for a rare character. It may answer yes for
    bytes outside a sliced array's range, never no for a cell that holds it."""
    import numpy as np

    chunks = values.chunks if hasattr(values, "chunks") else [values]
    for chunk in chunks:
        buffers = chunk.buffers()
        data = buffers[2] if len(buffers) > 2 else None
        if data is not None and data.size and bool((np.frombuffer(data, dtype=np.uint8) == byte).any()):
            return True
    return False


def is_ascii(chunk: pa.Array) -> bool:
    import numpy as np

    buffers = chunk.buffers()
    if len(chunk) == 0 or buffers[2] is None:
        return True
    offsets = np.frombuffer(buffers[1], dtype=np.int32, count=len(chunk) + 1, offset=chunk.offset * 4)
    first, last = int(offsets[0]), int(offsets[-1])
    if last == first:
        return True
    return bool(np.frombuffer(buffers[2], dtype=np.uint8, count=last - first, offset=first).max() < 0x80)


def ints(values: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """An integer Arrow array without nulls as a NumPy array (without `to_numpy`, which imports pandas)."""
    import numpy as np

    chunks = values.chunks if hasattr(values, "chunks") else [values]
    parts = []
    for chunk in chunks:
        if chunk.null_count:
            raise Irregular
        if len(chunk) == 0:
            continue
        dtype = np.dtype(f"i{chunk.type.bit_width // 8}")
        parts.append(
            np.frombuffer(
                chunk.buffers()[1], dtype=dtype, count=len(chunk), offset=chunk.offset * dtype.itemsize
            )
        )
    if not parts:
        return np.zeros(0, dtype=np.int64)
    return parts[0] if len(parts) == 1 else np.concatenate(parts)


def arrow(values: np.ndarray) -> pa.Array:
    """A NumPy int64 or bool array as an Arrow array (without `pa.array`, which imports pandas to look for
    pandas types)."""
    import numpy as np
    import pyarrow as pa

    if values.dtype == np.bool_:
        bits = np.packbits(values, bitorder="little")
        return pa.Array.from_buffers(pa.bool_(), len(values), [None, pa.py_buffer(bits)])
    ints = np.ascontiguousarray(values, dtype=np.int64)
    return pa.Array.from_buffers(pa.int64(), len(ints), [None, pa.py_buffer(ints)])


def bools(values: pa.Array | pa.ChunkedArray) -> np.ndarray:
    import pyarrow as pa
    import pyarrow.compute as pc

    return ints(pc.cast(values, pa.int8())).astype(bool)


class Categorical:
    """A column of repeated texts as codes into its distinct values, each decoded (from ``encoding`` for a
    binary column, none for a string column; a null is "") and stripped once."""

    def __init__(self, cells: pa.Array | pa.ChunkedArray | None, encoding: str | None, n: int) -> None:
        import numpy as np
        import pyarrow.compute as pc

        if cells is None:
            self.values, self.codes = [""], np.zeros(n, dtype=np.int32)
            return
        encoded = pc.dictionary_encode(cells.combine_chunks() if hasattr(cells, "combine_chunks") else cells)
        values = encoded.dictionary.to_pylist()
        self.values = [v.decode(encoding).strip() if encoding else v.strip() for v in values]
        indices = encoded.indices
        if indices.null_count:  # nulls (empty spreadsheet cells) get a code of their own
            self.values.append("")
            self.codes = np.full(len(indices), len(values), dtype=np.int64)
            self.codes[bools(pc.is_valid(indices))] = ints(indices.drop_null())
        else:
            self.codes = ints(indices)

    def slice(self, start: int, stop: int) -> list[str]:
        values = self.values
        return [values[c] for c in self.codes[start:stop].tolist()]


class Rows:
    """The rows a record builder makes: a block (``start`` to ``stop - 1``, cut by slicing) or scattered rows
    (ascending, gathered by taking)."""

    def __init__(self, start: int = 0, stop: int = 0, rows: list[int] | None = None) -> None:
        import numpy as np

        self.contiguous = rows is None
        self.start, self.stop = start, stop
        self.rows = np.asarray(rows if rows is not None else [], dtype=np.int64)
        self._list = list(range(start, stop)) if rows is None else list(rows)

    def __len__(self) -> int:
        return len(self._list)

    def __iter__(self) -> Iterator[int]:
        return iter(self._list)

    def arrow(self, values: pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
        if self.contiguous:
            return values.slice(self.start, self.stop - self.start)
        return values.take(arrow(self.rows))

    def numpy(self, values: np.ndarray) -> np.ndarray:
        return values[self.start : self.stop] if self.contiguous else values[self.rows]


def link_refunds(
    tx: pa.Array | None, merchant: pa.Array | None, refunds: np.ndarray, n: int
) -> dict[int, str]:
    """`common.link_refunds` by columns: {row of a refund: transaction id of the payment it refunds, or its
    merchant order id if it has none}. ``tx`` and ``merchant`` are the cleaned id columns, "" where a row has
    none; ``refunds`` the rows of refunds."""
    import numpy as np
    import pyarrow.compute as pc

    if tx is None:
        return {}
    tx = no_nulls(tx.combine_chunks() if hasattr(tx, "combine_chunks") else tx)
    if merchant is not None:
        merchant = no_nulls(merchant.combine_chunks() if hasattr(merchant, "combine_chunks") else merchant)
    refund = np.zeros(n, dtype=bool)
    refund[refunds] = True
    originals = np.flatnonzero(~refund & bools(pc.match_substring_regex(tx, ".")))
    by_tx = tx.take(arrow(originals))
    m_rows = (
        np.flatnonzero(~refund & bools(pc.match_substring_regex(merchant, ".")))
        if merchant is not None
        else np.zeros(0, dtype=np.int64)
    )
    by_merchant = merchant.take(arrow(m_rows)) if merchant is not None else strings([])
    out: dict[int, str] = {}
    if not len(refunds):
        return out
    # One hash of each id column for all refunds at once: a lookup per refund would hash the whole column each
    # time (quadratic in the file).
    at = arrow(refunds)
    own = no_nulls(tx.take(at))
    prefix = pc.replace_substring_regex(own, pattern="(?s)_.*", replacement="", max_replacements=1)
    hit = pc.coalesce(pc.index_in(own, value_set=by_tx), pc.index_in(prefix, value_set=by_tx))
    found = bools(pc.is_valid(hit))
    if found.any():
        originals_tx = by_tx.take(hit.drop_null()).to_pylist()
        out.update(zip(np.asarray(refunds)[found].tolist(), originals_tx, strict=True))
    if merchant is None or found.all():
        return out
    rest = np.asarray(refunds)[~found]
    mids = no_nulls(merchant.take(arrow(rest)))
    m_hit = pc.index_in(mids, value_set=by_merchant)
    m_found = bools(pc.is_valid(m_hit))
    if m_found.any():
        at_rows = m_rows[ints(m_hit.drop_null())]
        original_tx = tx.take(arrow(at_rows)).to_pylist()
        for row, mid, original in zip(
            rest[m_found].tolist(), mids.filter(arrow(m_found)).to_pylist(), original_tx, strict=True
        ):
            out[row] = original or mid
    return out


def workbook_text(inp: InputFile) -> list[tuple[str, pa.Table]] | None:
    """Every worksheet of a large XLSX as a table of text cells (null for an empty cell), read once by fastexcel
    and kept on the input for identification and the columnar readers; None when it cannot be read that way.

    fastexcel reads with the same calamine engine as `table.workbook_values` but straight into Arrow, several
    times faster for a big sheet. Its tables start at the sheet's first used cell, not at A1.
    """
    cached = inp.cache.get("fastexcel", False)
    if cached is not False:
        return cached  # type: ignore[no-any-return]
    sheets = prefetch.workbook_tables(inp)
    inp.cache["fastexcel"] = sheets
    return sheets


def strings(values: list[str]) -> pa.Array:
    """An Arrow string array of ``values``, built from buffers: `pa.array` and Python scalars in compute calls
    import pandas when it is installed, which costs more than a small read."""
    import pyarrow as pa

    return _from_bytes([v.encode() for v in values], pa.string())


def binaries(values: list[bytes]) -> pa.Array:
    """`strings` for bytes."""
    import pyarrow as pa

    return _from_bytes(values, pa.binary())


def _from_bytes(encoded: list[bytes], kind: pa.DataType) -> pa.Array:
    import numpy as np
    import pyarrow as pa

    offsets = np.zeros(len(encoded) + 1, dtype=np.int32)
    np.cumsum([len(b) for b in encoded], out=offsets[1:])
    return pa.Array.from_buffers(
        kind, len(encoded), [None, pa.py_buffer(offsets), pa.py_buffer(b"".join(encoded))]
    )


def no_nulls(values: pa.Array) -> pa.Array:
    """A string array with "" for each null (an empty spreadsheet cell). When every null slot is already empty,
    as Arrow writers leave them, this is the same buffers without the validity bitmap (no copy)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    if values.null_count == 0:
        return values
    n = len(values)
    if pa.types.is_string(values.type):
        validity, offsets_buf, data = values.buffers()
        offsets = np.frombuffer(offsets_buf, dtype=np.int32, count=n + 1, offset=values.offset * 4)
        valid = np.unpackbits(
            np.frombuffer(validity, dtype=np.uint8), count=values.offset + n, bitorder="little"
        )[values.offset :].astype(bool)
        if not np.diff(offsets)[~valid].any():
            return pa.Array.from_buffers(pa.string(), n, [None, offsets_buf, data], offset=values.offset)
    blank = pa.Array.from_buffers(
        pa.string(), n, [None, pa.py_buffer(np.zeros(n + 1, dtype=np.int32)), pa.py_buffer(b"")]
    )
    return pc.coalesce(values, blank)


def filled(values: pa.Array) -> np.ndarray:
    """Which cells hold something other than whitespace (as `utf8_trim_whitespace` counts it), as booleans."""
    import numpy as np
    import pyarrow.compute as pc

    n = len(values)
    if n == 0:
        return np.zeros(0, dtype=bool)
    text = no_nulls(values)
    if len(text.buffers()) < 3 or text.buffers()[2] is None:
        return np.zeros(n, dtype=bool)
    offsets = np.frombuffer(text.buffers()[1], dtype=np.int32, count=n + 1, offset=text.offset * 4)
    filled: np.ndarray = (np.diff(offsets) > 0) & ~bools(pc.utf8_is_space(text))
    return filled


def direction_tallies(directions: list[Direction], codes: np.ndarray, amounts: pa.ChunkedArray) -> Tallies:
    """Per direction, the number of rows and their exact total (``directions`` maps each code in ``codes``)."""
    import numpy as np
    import pyarrow.compute as pc

    tallies: Tallies = {}
    for d in set(directions):
        mask = arrow(np.isin(codes, [j for j, dd in enumerate(directions) if dd is d]))
        total = pc.sum(amounts.filter(mask)).as_py()
        tallies[d] = (int(mask.true_count), Decimal("0.00") if total is None else total)
    return tallies


_CST_OFFSET = 8 * 3600


def cst_datetimes(seconds: list[int]) -> list[datetime]:
    """CST wall-clock seconds since 1970-01-01 00:00 as aware datetimes (fromtimestamp wants UTC seconds)."""
    from_utc = datetime.fromtimestamp
    return [from_utc(s - _CST_OFFSET, CST) for s in seconds]
