"""The records of a sheet `wallet_columnar` has read and validated: `SheetRecords`, the columns each record is
made of and how a block of them becomes `Payment` objects (what `LazyRecords` asks for), the sheet's
`Extraction`, and the `RecordIndex` look-ups (`select`, `span`) that spare the engine building every record."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import replace
from datetime import date
from itertools import repeat
from typing import TYPE_CHECKING

from ..inputs import InputFile
from ..model import Direction, Extraction, Payment, PaymentKind, Product, SourceRef, positional_factory
from ..read.columnar import Categorical, Rows, bools, cst_datetimes
from ..read.table import Header, Row
from ..records import LazyRecords
from ..vocab import key_values
from .common import (
    Tallies,
    check_declared,
    declared_summary,
    intern,
    refunded_in_status,
    unknown_status_notices,
)

if TYPE_CHECKING:
    import numpy as np
    import pyarrow as pa

    from .wallet import WalletExtractor

#: Codes of the kinds and products in the ``kinds`` and ``products`` columns (product -1: none).
KINDS = tuple(PaymentKind)
PRODUCTS = tuple(Product)


class SheetRecords:
    """A validated sheet's columns, one entry per record (the table's non-empty rows), and the records built from
    them on demand. `wallet_columnar._Sheet` reads and checks the sheet and sets every attribute below."""

    extractor: WalletExtractor
    inp: InputFile
    name: str  # the sheet's name
    header: Header | None
    head_rows: list[Row]  # the non-empty rows above the header
    first: int  # 1-based row number of the header: the table's data start on the next row
    n: int  # number of records
    rows: np.ndarray  # each record's row in the table after the header (0-based)
    lengths: np.ndarray  # each record's number of cells, trailing empty ones trimmed
    cells: dict[str, pa.Array]  # field -> its column, "" for empty cells
    all_cells: list[pa.Array]  # every column, null for empty cells
    seconds: np.ndarray  # CST wall-clock seconds since 1970-01-01 00:00
    amounts: pa.Array
    direction: Categorical
    directions: list[Direction]  # by ``direction`` code
    status: Categorical
    statuses: list[str]  # by ``status`` code
    settled: list[bool]  # by ``status`` code
    kinds: np.ndarray  # index into KINDS
    products: np.ndarray  # index into PRODUCTS, -1 for none
    period_of: np.ndarray  # index into ``periods``
    periods: list[str | None]
    refund_of: dict[int, str]  # record of a refund -> the id of what it refunds
    tallies: Tallies
    unknown: dict[str, int]  # unknown status -> rows
    numeric: bool  # amounts are numeric cells (no ¥)

    def extraction(self) -> Extraction:
        return self._finish(self.tallies, self.unknown, self.numeric)

    def _finish(self, tallies: Tallies, unknown: dict[str, int], numeric: bool) -> Extraction:
        ex, inp, name = self.extractor, self.inp, self.name
        assert self.header is not None
        header = self.header.row
        outside = [(r.number, " ".join(c for c in r.cells if c)) for r in self.head_rows]
        metadata: dict[str, str] = {"header_row": str(header.number)}
        metadata.update(ex.sheet_layout(name, numeric))
        for _, line in outside:
            for key, value in key_values(line):
                if key in ex.meta_keys:
                    metadata.setdefault(ex.meta_keys[key], value)
        count, totals = declared_summary(outside, inp.path, inp.sha256)
        ref = SourceRef(path=inp.path, sha256=inp.sha256, sheet=name, row=header.number, text=header.raw)
        totals = {d: (k, a, replace(r, sheet=name)) for d, (k, a, r) in totals.items()}
        checks, summary_notices = check_declared(self.n, tallies, count, totals, ref)
        summary_notices = [replace(x, where=f"sheet {name}") if not x.where else x for x in summary_notices]
        notices = unknown_status_notices(unknown)
        return Extraction(
            path=inp.path,
            sha256=inp.sha256,
            extractor=ex.name,
            role=ex.role,
            payments=LazyRecords(self.n, self.build, pick=self.pick, lookup=self),
            metadata=metadata,
            checks=tuple(checks),
            notices=tuple(summary_notices + notices),
        )

    def build(self, start: int, stop: int) -> list[Payment]:
        """Records ``start`` to ``stop - 1`` (of the table's non-empty rows)."""
        return self._make(Rows(start, stop))

    def pick(self, rows: list[int]) -> list[Payment]:
        """The records of ``rows`` (ascending), scattered through the sheet."""
        return self._make(Rows(rows=rows))

    def select(self, kinds: Collection[PaymentKind], words: Sequence[str]) -> list[int] | None:
        """`RecordIndex.select`: rows of ``kinds`` and rows with a cell holding one of ``words``."""
        import numpy as np
        import pyarrow.compute as pc

        if any("|" in w or w != w.strip() or any(ch.isspace() for ch in w) for w in words):
            return None  # a word that may span cells in the text the engine looks at
        mask = np.isin(self.kinds, [KINDS.index(k) for k in kinds])
        for word in words:
            for column in self.all_cells:
                mask |= bools(pc.fill_null(pc.match_substring(column, word), False))
        rows: list[int] = np.flatnonzero(mask).tolist()
        return rows

    def span(self) -> tuple[date, date] | None:
        """`RecordIndex.span`."""
        if not self.n:
            return None
        first, last = cst_datetimes([int(self.seconds.min()), int(self.seconds.max())])
        return first.date(), last.date()

    def _make(self, rows: Rows) -> list[Payment]:
        count = len(rows)

        def texts(field: str) -> list[str]:
            cells = self.cells.get(field)
            if cells is None:
                return [""] * count
            return [t.strip() for t in rows.arrow(cells).to_pylist()]

        def clean(field: str) -> list[str]:
            return ["" if t == "/" else t for t in texts(field)]

        row_cells = [
            ["" if t is None else t.strip() for t in rows.arrow(c).to_pylist()] for c in self.all_cells
        ]
        lengths = rows.numpy(self.lengths).tolist()
        raws = [" | ".join(row[:k]) for row, k in zip(zip(*row_cells, strict=True), lengths, strict=True)]
        numbers = (rows.numpy(self.rows) + self.first + 1).tolist()
        times = cst_datetimes(rows.numpy(self.seconds).tolist())
        amounts = rows.arrow(self.amounts).to_pylist()
        kinds = rows.numpy(self.kinds).tolist()
        statuses = [self.statuses[c] for c in rows.numpy(self.status.codes).tolist()]
        refund = KINDS.index(PaymentKind.REFUND)
        refunded = [
            (a if st == "已全额退款" and a else refunded_in_status(st)) if k != refund else None
            for a, st, k in zip(amounts, statuses, kinds, strict=True)
        ]
        product_values = (*PRODUCTS, None)
        path, sha, name = self.inp.path, self.inp.sha256, self.name
        refund_of = self.refund_of
        methods = [intern(m) for m in clean("method")]
        categories = [intern(c) for c in texts("category")]
        return list(
            map(
                _make_payment,
                times,
                amounts,
                [self.directions[c] for c in rows.numpy(self.direction.codes).tolist()],
                [KINDS[k] for k in kinds],
                statuses,
                [self.settled[c] for c in rows.numpy(self.status.codes).tolist()],
                [
                    _make_ref(path, sha, num, None, name, raw, None, None)
                    for num, raw in zip(numbers, raws, strict=True)
                ],
                repeat(True),
                clean("counterparty"),
                clean("counterparty_account"),
                clean("description"),
                categories,
                methods,
                clean("transaction_id"),
                clean("merchant_order_id"),
                [product_values[p] for p in rows.numpy(self.products).tolist()],
                [self.periods[p] for p in rows.numpy(self.period_of).tolist()],
                [refund_of.get(i) for i in rows] if refund_of else repeat(None),
                refunded,
                repeat("CNY"),
                repeat(None),
                repeat(""),
                clean("note"),
            )
        )


_make_payment = positional_factory(Payment)
_make_ref = positional_factory(SourceRef)
