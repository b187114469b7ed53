"""The columnar path for large wallet workbooks (WeChat Pay XLSX): the records `WalletExtractor` gives, read a
column at a time.

python-calamine hands every cell to Python as an object; for a 100,000-row bill that alone takes longer than
everything else. This path reads the sheet with fastexcel (the same calamine engine, straight into Arrow, every
column as text), validates the time, amount, direction and status columns column-wise, classifies rows per
distinct combination of the texts `classify` reads, and returns the records as a `LazyRecords`.

Text is all it sees, so it takes only what text cannot misrepresent and returns None (the extractor then reads
the workbook with calamine, row by row, exactly as before) for anything else: more than one sheet, a sheet not
starting at A1, TRUE/FALSE or error cells, a date cell at midnight (calamine gives a date, text gives
``00:00:00``), a time that is neither ``YYYY-MM-DD HH:MM:SS`` nor an Excel serial with a fraction, an amount
that is not ``[¥]digits[.dd]``, an unknown 收/支, note lines or ragged rows inside the table. The tests read
every workbook fixture both ways and require identical output.

One judgement is made from text: an amount without ``¥`` counts as a numeric cell for the layout name (v2 has
numeric amounts, v1 writes ``¥`` text); numeric or not, it is the same amount.

This module reads and checks the sheets; `wallet_xlsx` answers what only the workbook's XML can tell, and
`wallet_columnar_records` builds the records from the checked columns.
"""

from __future__ import annotations

import zipfile
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from ..dates import from_excel_serial
from ..inputs import InputFile
from ..model import Direction, Extraction, Notice, PaymentKind
from ..read.columnar import (
    Categorical,
    Irregular,
    arrow,
    bools,
    direction_tallies,
    has_byte,
    ints,
    link_refunds,
    no_nulls,
    strings,
)
from ..read.columnar import filled as cells_filled
from ..read.table import HEADER_SCAN_ROWS, Row, find_header
from .common import billing_period_of, direction_of, intern, is_settled
from .wallet_columnar_records import KINDS as _KINDS
from .wallet_columnar_records import PRODUCTS as _PRODUCTS
from .wallet_columnar_records import SheetRecords
from .wallet_xlsx import all_text_cells as _all_text_cells
from .wallet_xlsx import column_letters as _column_letters
from .wallet_xlsx import may_hold_dates as _may_hold_dates
from .wallet_xlsx import sheet_parts as _sheet_parts
from .wallet_xlsx import starts_at_a1 as _starts_at_a1

if TYPE_CHECKING:
    import numpy as np
    import pyarrow as pa

    from .wallet import WalletExtractor

_TEXT_TIME = r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$"
_SERIAL_TIME = r"^\d{5}\.\d+$"
_AMOUNT = r"^[¥￥]?\d{1,10}(\.\d{1,2})?$"  # larger amounts take the row reader
#: A date cell at midnight reads as this text, while calamine gives a date (rendered without the time): such
#: cells must be text cells in the sheet's XML.
_MIDNIGHT = r"^\d{4}-\d{2}-\d{2} 00:00:00$"
_PRINTABLE = r"^[^\x00-\x08\x0a-\x1f\x7f]*$"
_EPOCH = datetime(1970, 1, 1)
_HEAD_ROWS = 2 * HEADER_SCAN_ROWS


def read(extractor: WalletExtractor, inp: InputFile) -> Extraction | None:
    """The extraction, or None when the workbook needs the row-by-row path.

    As the row reader does, sheets without a header are passed over and a sheet repeating an earlier one is
    reported and not read again; a workbook with two different bills takes the row path."""
    import pyarrow as pa

    from ..read.columnar import workbook_text

    sheets = workbook_text(inp)
    if not sheets:
        return None
    try:
        parts = _sheet_parts(inp.data)
    except (KeyError, zipfile.BadZipFile, OSError, RuntimeError):
        return None
    try:
        read: list[_Sheet] = []
        notices: list[Notice] = []
        for name, table in sheets:
            part = parts.get(name)
            if part is None:
                return None
            sheet = _Sheet(extractor, inp, name, part, table)
            if sheet.header is None:
                continue
            sheet.validate()
            if read and not read[0].same_rows(sheet):
                return None  # a second, different bill
            if read:
                notices.append(
                    Notice(
                        code="duplicate-sheet",
                        where=f"sheet {name}",
                        message="this sheet repeats the rows of an earlier sheet; it was not read again",
                        message_zh="该工作表与前一工作表的行完全相同，未重复读取",
                    )
                )
            else:
                read.append(sheet)
        if not read:
            return None
        extraction = read[0].extraction()
    except (pa.ArrowException, Irregular, ValueError, ArithmeticError):
        return None
    return replace(extraction, notices=extraction.notices + tuple(notices)) if notices else extraction


class _Sheet(SheetRecords):
    """One sheet of the workbook: its header found as the row reader finds it, every column read and checked
    (`validate`), every row classified; `SheetRecords` builds the records from what this leaves."""

    def __init__(
        self, extractor: WalletExtractor, inp: InputFile, name: str, part: str, table: pa.Table
    ) -> None:
        import numpy as np
        import pyarrow as pa
        import pyarrow.compute as pc

        self.extractor, self.inp, self.name, self.part = extractor, inp, name, part
        if table.num_rows == 0 or table.num_columns == 0 or not _starts_at_a1(inp.data, part):
            raise Irregular  # fastexcel's table starts at the first used cell; calamine's rows start at A1
        self.width = table.num_columns
        columns = [c.combine_chunks() if c.num_chunks != 1 else c.chunk(0) for c in table.columns]
        if any(not pa.types.is_string(c.type) and not pa.types.is_large_string(c.type) for c in columns):
            raise Irregular
        # Cells text cannot stand for: booleans and errors (calamine renders them differently), and characters
        # Python's str.strip removes but Arrow's whitespace trim does not.
        flags = strings(["true", "false"])
        if any(
            pc.any(pc.is_in(c, value_set=flags)).as_py()
            or pc.any(pc.starts_with(c, "#")).as_py()
            or _odd_space(c)
            for c in columns
        ):
            raise Irregular
        # A date cell at midnight reads as YYYY-MM-DD 00:00:00, while calamine gives a date (rendered without the
        # time): when the workbook has date styles at all, such cells must be text cells in the sheet's XML.
        if _may_hold_dates(inp.data):
            at_midnight: list[tuple[int, int]] = []  # (row, column)
            for j, c in enumerate(columns):
                hits = bools(pc.match_substring_regex(no_nulls(c), _MIDNIGHT))
                at_midnight += [(i, j) for i in np.flatnonzero(hits).tolist()]
            midnight = [f"{_column_letters(j)}{i + 1}" for i, j in sorted(at_midnight)]
            if midnight and not _all_text_cells(inp.data, part, midnight):
                raise Irregular
        self.columns = columns
        head = table.slice(0, _HEAD_ROWS).to_pylist()
        rows = []
        for i, record in enumerate(head):
            cells = [("" if v is None else v.strip()) for v in record.values()]
            if not any(cells):
                continue
            while cells and not cells[-1]:
                cells.pop()
            rows.append(Row(i + 1, cells, " | ".join(cells)))
        self.header = find_header(rows, extractor.columns)
        if self.header is None and table.num_rows > _HEAD_ROWS and len(rows) < HEADER_SCAN_ROWS:
            raise Irregular  # the row reader would look further down for a header
        if self.header is not None:
            self.head_rows = rows[: self.header.index]
            self.first = (
                self.header.row.number
            )  # the data start on the next row (index ``first`` in the table)
            self.cols = self.header.columns

    def validate(self) -> None:
        """Read and check every column (raises `Irregular` for anything the row reader must handle)."""
        import numpy as np
        import pyarrow as pa
        import pyarrow.compute as pc

        assert self.header is not None

        cols, first = self.cols, self.first
        data = [c.slice(first) for c in self.columns]
        rows, lengths, picked = _records(data, cols, len(self.header.row.cells))
        n = len(rows)
        cells = {f: no_nulls(picked[i]) for f, i in cols.items()}
        self.n, self.rows, self.lengths = n, rows, lengths
        self.cells = cells
        self.all_cells = picked  # with nulls for empty cells

        def trimmed(field: str) -> pa.Array:
            return pc.utf8_trim(cells[field], " \t\n\r")

        def require(mask: Any) -> None:
            if not pc.all(mask).as_py():
                raise Irregular

        # Times: text with seconds, or an Excel serial with a fraction (a whole serial may be a date cell).
        self.seconds = _wall_clock_seconds(trimmed("time"), n)
        # Amounts: optional ¥, digits, up to two decimals.
        amounts = trimmed("amount")
        require(pc.match_substring_regex(amounts, _AMOUNT))
        plain = pc.replace_substring_regex(amounts, "^[¥￥]", "")
        self.amounts = pc.cast(plain, pa.decimal128(38, 2))
        numeric = not pc.all(pc.match_substring_regex(amounts.slice(0, 49), "^[¥￥]")).as_py()

        # Repeated texts, each distinct value stripped once.
        self.direction = Categorical(cells["direction"], None, n)
        self.status = Categorical(cells["status"], None, n)
        directions = [direction_of(v) for v in self.direction.values]
        if any(d is None for d in directions):
            raise Irregular
        self.directions: list[Direction] = [d for d in directions if d is not None]
        statuses = [intern(v) for v in self.status.values]
        settled = [is_settled(v) for v in statuses]
        self.statuses, self.settled = statuses, [bool(s) for s in settled]
        unknown: dict[str, int] = {}
        counts = np.bincount(self.status.codes, minlength=len(statuses))
        for value, state, k in zip(statuses, settled, counts.tolist(), strict=True):
            if state is None and k:
                unknown[value] = unknown.get(value, 0) + k
        for field in ("transaction_id", "merchant_order_id"):
            ids = cells.get(field)
            if ids is not None and has_byte(ids, 0x2B) and pc.any(pc.match_substring(ids, "E+")).as_py():
                raise Irregular  # an id a spreadsheet rounded (4.20000E+27): the row reader drops it and says so
        self._classify()
        refunds = np.flatnonzero(self.kinds == _KINDS.index(PaymentKind.REFUND))
        self.refund_of = (
            link_refunds(self._ids("transaction_id"), self._ids("merchant_order_id"), refunds, n)
            if len(refunds)
            else {}
        )

        # The rows' total per direction, as the bill's own summary counts them.
        self.tallies = direction_tallies(self.directions, self.direction.codes, self.amounts)
        self.unknown, self.numeric = unknown, numeric

    def same_rows(self, other: _Sheet) -> bool:
        """Whether ``other`` holds the same rows (time, transaction id, amount), as `WalletExtractor` compares
        sheets to skip a repeated one."""
        import numpy as np
        import pyarrow.compute as pc

        if self.n != other.n or not np.array_equal(self.seconds, other.seconds):
            return False
        mine, theirs = self._ids("transaction_id"), other._ids("transaction_id")
        if (mine is None) != (theirs is None):
            return False
        if mine is not None and theirs is not None and not pc.all(pc.equal(mine, theirs)).as_py():
            return False
        return bool(pc.all(pc.equal(self.amounts, other.amounts)).as_py())

    def _classify(self) -> None:
        """Kind, product and billing period of every row, with one `classify` call per distinct combination.

        Fields named in `columnar_words` matter only when they hold one of those words or the row is a credit
        row (a repayment, a disbursement or one naming a product), so the other rows are classified without
        them first (a handful of combinations); those rows, and the ones whose texts hold a word, are then
        classified again with every field.
        """
        import numpy as np
        import pyarrow.compute as pc

        ex, n = self.extractor, self.n
        fields = [f for f in ex.columnar_fields or () if f in self.cells]
        words = {f: w for f, w in ex.columnar_words.items() if f in fields}
        plain = {f: Categorical(self.cells[f], None, n) for f in fields if f not in words}
        candidates = np.zeros(n, dtype=bool)
        for f, ws in words.items():
            for w in ws:
                candidates |= bools(pc.match_substring(self.cells[f], w))
        self.kinds = np.empty(n, dtype=np.int8)
        self.products = np.empty(n, dtype=np.int8)
        self.period_of = np.zeros(n, dtype=np.int64)
        self.periods: list[str | None] = [None]
        everything = np.arange(n)
        self._classify_rows(everything, [(f, c.values, c.codes) for f, c in plain.items()])
        credit = (
            (self.kinds == _KINDS.index(PaymentKind.REPAYMENT))
            | (self.kinds == _KINDS.index(PaymentKind.DISBURSEMENT))
            | (self.products >= 0)
        )
        again = np.flatnonzero(candidates | credit)
        if words and len(again):
            take = arrow(again)
            parts = [(f, c.values, c.codes[again]) for f, c in plain.items()]
            for f in words:
                sub = Categorical(self.cells[f].take(take), None, len(again))
                parts.append((f, sub.values, sub.codes))
            self._classify_rows(again, parts)

    def _classify_rows(self, rows: np.ndarray, parts: list[tuple[str, list[str], np.ndarray]]) -> None:
        """Classify ``rows`` given (field, distinct values, code of each of those rows) for the fields to use;
        fields not given are empty."""
        import numpy as np

        key = self.direction.codes[rows].astype(np.int64)
        for _, values, codes in parts:
            _, inverse = np.unique(key * len(values) + codes, return_inverse=True)
            key = inverse.reshape(-1).astype(np.int64)
        _, first, inverse = np.unique(key, return_index=True, return_inverse=True)
        kinds = np.empty(len(first), dtype=np.int8)
        products = np.empty(len(first), dtype=np.int8)
        periods = np.empty(len(first), dtype=np.int64)
        blank = dict.fromkeys(self.cells, "")
        for j, at in enumerate(first.tolist()):
            row_fields = {**blank, **{f: values[codes[at]] for f, values, codes in parts}}
            direction = self.directions[self.direction.codes[rows[at]]]
            kind, product = self.extractor.classify(row_fields, direction)
            kinds[j] = _KINDS.index(kind)
            products[j] = _PRODUCTS.index(product) if product is not None else -1
            periods[j] = len(self.periods)
            self.periods.append(billing_period_of(row_fields.get("description", "")) if product else None)
        inverse = inverse.reshape(-1)
        self.kinds[rows] = kinds[inverse]
        self.products[rows] = products[inverse]
        self.period_of[rows] = periods[inverse]

    def _ids(self, field: str) -> pa.Array | None:
        import pyarrow.compute as pc

        if field not in self.cells:
            return None
        ids = self.cells[field]
        if not pc.all(pc.match_substring_regex(ids, _PRINTABLE)).as_py():
            raise Irregular
        cleaned = pc.utf8_trim_whitespace(ids)
        return pc.replace_substring_regex(cleaned, "^/$", "")


def _records(
    data: list[pa.Array], cols: dict[str, int], header_width: int
) -> tuple[np.ndarray, np.ndarray, list[pa.Array]]:
    """Which rows of the table below the header (``data``, its columns) are records, each one's number of cells
    (empty ones at the end trimmed), and every column cut to those rows (with nulls for empty cells).

    Records are the non-empty rows, each with as many cells as the header needs and no more; anything else (a
    note line inside the table, a ragged row) raises `Irregular`."""
    import numpy as np

    total = len(data[0]) if data else 0
    # Which rows are rows: non-empty ones, each with as many cells as the header needs and no more.
    filled = [cells_filled(c) for c in data]
    count = np.sum(filled, axis=0) if filled else np.zeros(0, dtype=np.int64)
    rows = np.flatnonzero(count > 0)
    if not len(rows):
        raise Irregular
    if (count[rows] == 1).any():
        raise Irregular  # a note line inside the table
    last = np.zeros(total, dtype=np.int64)  # number of cells after trimming empty ones at the end
    for i, f in enumerate(filled):
        last[f] = i + 1
    needed = max(cols.values()) + 1
    if (last[rows] < needed).any() or (last[rows] > header_width).any():
        raise Irregular
    n = len(rows)
    if int(rows[-1]) - int(rows[0]) + 1 == n:  # no empty row inside the table: slices, not copies
        picked = [c.slice(int(rows[0]), n) for c in data]
    else:
        take = arrow(rows)
        picked = [c.take(take) for c in data]
    return rows, last[rows], picked


def _wall_clock_seconds(when: pa.Array, n: int) -> np.ndarray:
    """CST wall-clock seconds since 1970-01-01 00:00 of the ``n`` times ``when`` (trimmed cells): each text
    with seconds, or an Excel serial with a fraction (a whole serial may be a date cell); `Irregular` for any
    other."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    text_time = bools(pc.match_substring_regex(when, _TEXT_TIME))
    serial_time = bools(pc.match_substring_regex(when, _SERIAL_TIME))
    if not (text_time | serial_time).all():
        raise Irregular
    seconds = np.zeros(n, dtype=np.int64)
    if text_time.any():
        texts = when.filter(arrow(text_time))
        seconds[text_time] = ints(pc.cast(pc.cast(texts, pa.timestamp("s")), pa.int64()))
    for row in np.flatnonzero(serial_time).tolist():  # CST wall-clock seconds, exactly as from_excel_serial
        stamp = from_excel_serial(when[row].as_py())
        seconds[row] = int((stamp.replace(tzinfo=None) - _EPOCH).total_seconds())
    return seconds


def _odd_space(cells: pa.Array) -> bool:
    """Whether any cell holds U+001C-U+001F or U+0085 (whitespace to str.strip, not to Arrow's trim)."""
    import numpy as np

    buffers = cells.buffers()
    if len(cells) == 0 or buffers[2] is None:
        return False
    offsets = np.frombuffer(buffers[1], dtype=np.int32, count=len(cells) + 1, offset=cells.offset * 4)
    data = np.frombuffer(
        buffers[2], dtype=np.uint8, count=int(offsets[-1] - offsets[0]), offset=int(offsets[0])
    )
    if ((data >= 0x1C) & (data <= 0x1F)).any():
        return True
    return bool(((data[:-1] == 0xC2) & (data[1:] == 0x85)).any())
