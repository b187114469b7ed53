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
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Collection, Sequence
from dataclasses import replace
from datetime import date, datetime
from itertools import repeat
from typing import TYPE_CHECKING, Any

from ..dates import from_excel_serial
from ..inputs import InputFile
from ..model import (
    Direction,
    Extraction,
    Notice,
    Payment,
    PaymentKind,
    Product,
    SourceRef,
    positional_factory,
)
from ..read.columnar import (
    Categorical,
    Irregular,
    Rows,
    arrow,
    bools,
    cst_datetimes,
    direction_tallies,
    has_byte,
    ints,
    link_refunds,
    no_nulls,
    strings,
)
from ..read.columnar import filled as cells_filled
from ..read.table import HEADER_SCAN_ROWS, Row, find_header
from ..records import LazyRecords
from ..vocab import key_values
from .common import (
    Tallies,
    billing_period_of,
    check_declared,
    declared_summary,
    direction_of,
    intern,
    is_settled,
    refunded_in_status,
    unknown_status_notices,
)

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
_KINDS = tuple(PaymentKind)
_PRODUCTS = tuple(Product)
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


class _Sheet:
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
        header_width = len(self.header.row.cells)
        if (last[rows] < needed).any() or (last[rows] > header_width).any():
            raise Irregular
        n = len(rows)
        if int(rows[-1]) - int(rows[0]) + 1 == n:  # no empty row inside the table: slices, not copies
            picked = [c.slice(int(rows[0]), n) for c in data]
        else:
            take = arrow(rows)
            picked = [c.take(take) for c in data]
        cells = {f: no_nulls(picked[i]) for f, i in cols.items()}
        self.n, self.rows, self.lengths = n, rows, last[rows]
        self.cells = cells
        self.all_cells = picked  # with nulls for empty cells

        def trimmed(field: str) -> pa.Array:
            return pc.utf8_trim(cells[field], " \t\n\r")

        def require(mask: Any) -> None:
            if not pc.all(mask).as_py():
                raise Irregular

        # Times: text with seconds, or an Excel serial with a fraction (a whole serial may be a date cell).
        when = trimmed("time")
        text_time = bools(pc.match_substring_regex(when, _TEXT_TIME))
        serial_time = bools(pc.match_substring_regex(when, _SERIAL_TIME))
        if not (text_time | serial_time).all():
            raise Irregular
        seconds = np.zeros(n, dtype=np.int64)
        if text_time.any():
            texts = when.filter(arrow(text_time))
            seconds[text_time] = ints(pc.cast(pc.cast(texts, pa.timestamp("s")), pa.int64()))
        for row in np.flatnonzero(
            serial_time
        ).tolist():  # CST wall-clock seconds, exactly as from_excel_serial
            stamp = from_excel_serial(when[row].as_py())
            seconds[row] = int((stamp.replace(tzinfo=None) - _EPOCH).total_seconds())
        self.seconds = seconds  # CST wall-clock seconds since 1970-01-01 00:00
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

    def extraction(self) -> Extraction:
        return self._finish(self.tallies, self.unknown, self.numeric)

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
        mask = np.isin(self.kinds, [_KINDS.index(k) for k in kinds])
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
        refund = _KINDS.index(PaymentKind.REFUND)
        refunded = [
            (a if st == "已全额退款" and a else refunded_in_status(st)) if k != refund else None
            for a, st, k in zip(amounts, statuses, kinds, strict=True)
        ]
        product_values = (*_PRODUCTS, None)
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
                [_KINDS[k] for k in kinds],
                statuses,
                [self.settled[c] for c in rows.numpy(self.status.codes).tolist()],
                [_make_ref(path, sha, num, None, name, raw) for num, raw in zip(numbers, raws, strict=True)],
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


def _column_letters(index: int) -> str:
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


def _may_hold_dates(workbook: bytes) -> bool:
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


def _sheet_parts(workbook: bytes) -> dict[str, str]:
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


def _starts_at_a1(workbook: bytes, part: str) -> bool:
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


def _all_text_cells(workbook: bytes, part: str, refs: list[str]) -> bool:
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
_make_payment = positional_factory(Payment)
_make_ref = positional_factory(SourceRef)
