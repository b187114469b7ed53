"""The records of an Alipay table `alipay_columnar` has read and validated: `ColumnRecords`, the columns each
record is made of and how a block of them becomes `Payment` objects (what `LazyRecords` asks for), with the
`RecordIndex` look-ups (`select`, `span`) that spare the engine building every record. Each record's provenance
(line number and raw line) comes from the byte offsets of its line."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date
from decimal import Decimal
from itertools import repeat
from typing import TYPE_CHECKING

from ..model import Direction, Payment, PaymentKind, Product, SourceRef, positional_factory
from ..read.columnar import Categorical, Rows, cst_datetimes
from .alipay_columnar_csv import Region

if TYPE_CHECKING:
    import numpy as np
    import pyarrow as pa

#: Codes of the kinds and products in the ``kinds`` and ``products`` columns (product -1: none).
KINDS = tuple(PaymentKind)
PRODUCTS = tuple(Product)


class ColumnRecords:
    """A validated table's columns, one entry per data line, and the records built from them on demand.
    `alipay_columnar._Columns` reads and checks the table and sets every attribute below."""

    n: int  # number of records (data lines)
    encoding: str  # of the file; cells are raw bytes in it
    region: Region  # the data lines
    column: dict[str, pa.ChunkedArray]  # field -> its cells as raw bytes
    starts: np.ndarray  # offset (from ``region.start``) of each line, then of the end plus a line ending
    eol: int  # length of the line ending: 1 (LF) or 2 (CRLF)
    times: pa.Array  # seconds since 1970-01-01 00:00, CST wall clock
    amounts: pa.Array
    category: Categorical
    direction: Categorical
    status: Categorical
    method: Categorical
    directions: list[Direction]  # by ``direction`` code
    settled: list[bool]  # by ``status`` code
    kinds: np.ndarray  # index into KINDS
    products: np.ndarray  # index into PRODUCTS, -1 for none
    period_codes: np.ndarray  # index into ``periods``
    periods: list[str | None]
    refund_of: dict[int, str]  # record of a refund -> the id of what it refunds
    refunded: dict[int, Decimal]  # record -> its 成功退款（元） (generation A), where it has one

    def build(self, start: int, stop: int) -> list[Payment]:
        """Records ``start`` to ``stop - 1``."""
        return self._make(Rows(start, stop))

    def pick(self, rows: list[int]) -> list[Payment]:
        """The records of ``rows`` (ascending), scattered through the file."""
        return self._make(Rows(rows=rows))

    def select(self, kinds: Collection[PaymentKind], words: Sequence[str]) -> list[int] | None:
        """`RecordIndex.select`: rows of ``kinds`` and rows whose line holds one of ``words`` (as bytes in the
        file's encoding, so a hit may start inside a character: more rows, never fewer)."""
        import numpy as np

        if any(any(ch in w for ch in ',"\r\n') or w != w.strip() or " " in w for w in words):
            return None  # a word that may span cells in the text the engine looks at
        mask = np.isin(self.kinds, [KINDS.index(k) for k in kinds])
        r = self.region
        data, lo, hi, starts = r.data, r.start, r.stop, self.starts
        for word in words:
            try:
                needle = word.encode(self.encoding)
            except UnicodeEncodeError:
                continue  # a character the file cannot hold
            at = data.find(needle, lo, hi)
            while at >= 0:
                row = int(np.searchsorted(starts, at - lo, side="right")) - 1
                mask[row] = True
                at = data.find(needle, lo + int(starts[row + 1]), hi) if row + 1 < self.n else -1
        rows: list[int] = np.flatnonzero(mask).tolist()
        return rows

    def span(self) -> tuple[date, date] | None:
        """`RecordIndex.span`."""
        import pyarrow.compute as pc

        if not self.n:
            return None
        low, high = pc.min_max(self.times).values()
        first, last = cst_datetimes([low.as_py(), high.as_py()])
        return first.date(), last.date()

    def _make(self, rows: Rows) -> list[Payment]:
        enc = self.encoding
        count = len(rows)

        def texts(name: str) -> list[str]:
            cells = self.column.get(name)
            if cells is None:
                return [""] * count
            # one decode per block: no cell holds a newline
            return [t.strip() for t in b"\n".join(rows.arrow(cells).to_pylist()).decode(enc).split("\n")]

        seconds = rows.arrow(self.times).to_pylist()
        amounts = rows.arrow(self.amounts).to_pylist()
        counterparty, account = texts("counterparty"), texts("counterparty_account")
        description, tx = texts("description"), texts("transaction_id")
        merchant, note = texts("merchant_order_id"), texts("note")
        categories = [self.category.values[c] for c in rows.numpy(self.category.codes).tolist()]
        methods = [self.method.values[c] for c in rows.numpy(self.method.codes).tolist()]
        statuses = rows.numpy(self.status.codes).tolist()
        directions = rows.numpy(self.direction.codes).tolist()
        kinds = rows.numpy(self.kinds).tolist()
        products = rows.numpy(self.products).tolist()
        periods = rows.numpy(self.period_codes).tolist()
        r = self.region
        path, sha = r.path, r.sha256
        numbers = [r.first + 1 + row for row in rows]
        eol = "\r\n" if self.eol == 2 else "\n"
        if rows.contiguous:
            block = r.data[
                r.start + int(self.starts[rows.start]) : r.start + int(self.starts[rows.stop]) - self.eol
            ].decode(enc)
            raws = block.split(eol)
        else:
            at = self.starts
            raws = [
                r.data[r.start + int(at[row]) : r.start + int(at[row + 1]) - self.eol].decode(enc)
                for row in rows
            ]
        if len(raws) != count:  # pragma: no cover - the offsets were checked against the data when read
            raise RuntimeError(f"alipay: {count} rows do not tile their lines")
        status_values, settled, dirs = self.status.values, self.settled, self.directions
        product_values = (*PRODUCTS, None)  # code -1 -> None
        refund_of, refunded = self.refund_of, self.refunded
        return list(
            map(
                _make_payment,
                cst_datetimes(seconds),
                amounts,
                [dirs[c] for c in directions],
                [KINDS[k] for k in kinds],
                [status_values[c] for c in statuses],
                [settled[c] for c in statuses],
                [
                    _make_ref(path, sha, number, None, None, raw, None, None)
                    for number, raw in zip(numbers, raws, strict=True)
                ],
                repeat(True),
                counterparty,
                account,
                description,
                categories,
                methods,
                tx,
                merchant,
                [product_values[p] for p in products],
                [self.periods[p] for p in periods],
                [refund_of.get(row) for row in rows] if refund_of else repeat(None),
                [refunded.get(row) for row in rows] if refunded else repeat(None),
                repeat("CNY"),
                repeat(None),
                repeat(""),
                note,
            )
        )


_make_payment = positional_factory(Payment)
_make_ref = positional_factory(SourceRef)
