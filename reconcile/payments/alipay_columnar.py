"""The columnar path for large Alipay exports: the same records as `alipay._Rows`, read a column at a time.

A genuine export is a regular table (no quotes, one record per line, every time with seconds, every amount
with two decimals), and a year of a busy account is a million lines. This path reads the data lines with
pyarrow's CSV reader as raw bytes (GBK is never transcoded: ``,``, ``"`` and newlines cannot occur inside a
GBK or GB18030 character), validates every time, amount, direction and status column-wise, classifies rows by
their distinct values, and hands the records out as a `LazyRecords` that builds `Payment` objects on first
access. Each record's provenance (line number and raw line) comes from the byte offsets of its line.

This module finds the table and reads and checks its columns; `alipay_columnar_csv` reads the data lines with
Arrow and checks them against the line-by-line reader's view, and `alipay_columnar_records` builds the records.

It is an optimisation, never a second set of rules: whenever anything about the file is irregular (quotes,
blank or short lines inside the table, a time without seconds, an amount that is not ``digits.dd``, an unknown
收/支 value, a byte sequence that is not valid text, ...), `read` returns None and the extractor takes the
line-by-line path, which reports the problem with its line number exactly as before. The test suite runs both
paths over every Alipay fixture and sample and requires identical output.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ..inputs import InputFile
from ..model import Direction, Notice, Payment, PaymentKind, Product
from ..read.columnar import (
    Categorical,
    Irregular,
    arrow,
    binaries,
    bools,
    direction_tallies,
    has_byte,
    ints,
    link_refunds,
)
from ..read.table import find_header, read_csv_rows, split_lines
from ..records import LazyRecords
from ..vocab import product_of
from .alipay_columnar_csv import Region as _Region
from .alipay_columnar_csv import check_decodes as _validate
from .alipay_columnar_csv import line_offsets as _line_offsets
from .alipay_columnar_csv import read_region as _read_region
from .alipay_columnar_records import KINDS as _KINDS
from .alipay_columnar_records import PRODUCTS as _PRODUCTS
from .alipay_columnar_records import ColumnRecords
from .alipay_layout import COLUMNS, CREDIT_CATEGORY, DIRECTIONS, classify, looks_like_date
from .common import Tallies, billing_period_of, is_settled, unknown_status_notices

if TYPE_CHECKING:
    import pyarrow as pa


_KIND_WORDS = ("退款", "放款", "还款", "还贷")  # the description words `alipay.classify` looks for
_TIME = r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$"
_AMOUNT = r"^\d{1,10}\.\d{2}$"  # larger amounts take the row reader, which refuses them
_PRINTABLE_ASCII = r"^[\x20-\x7e\t]*$"


@dataclass
class Table:
    """What the columnar path read: everything `AlipayCsv` needs to finish the extraction."""

    encoding: str
    first: int  # 1-based line of the header
    header_raw: str
    columns: dict[str, int]
    outside: list[tuple[int, str]]  # (line number, text) of the lines before the header and after the table
    table_end: int  # 0-based index of the first line after the table
    n_lines: int
    payments: LazyRecords[Payment]
    tallies: Tallies
    notices: list[Notice] = field(default_factory=list)


def read(inp: InputFile, head_lines: int) -> Table | None:
    """The whole table read column-wise, or None when the file needs the line-by-line path."""
    try:
        import numpy  # noqa: F401
        import pyarrow  # noqa: F401
    except ImportError:  # pragma: no cover - both are dependencies; a broken install still gets its records
        return None
    data = inp.data
    if b"\r" in data and data.count(b"\r") != data.count(b"\r\n"):
        return None  # lines ending in a bare CR
    bom = 3 if data.startswith(b"\xef\xbb\xbf") else 0
    head_end = _nth_line_end(data, bom, head_lines)
    encoding = _encoding(data, bom, head_end)
    if encoding is None:
        return None

    lines = split_lines(data[bom:head_end].decode(encoding))
    header = find_header(list(read_csv_rows(lines)), COLUMNS)
    if header is None or "\n" in header.row.raw:
        return None
    first = header.row.number
    start = _nth_line_end(data, bom, first)  # the byte after the header line
    if start >= len(data):
        return None
    # The table ends at a line of dashes (generations A and B print their summary after one) or at the end.
    # A line that ends it otherwise (short, not a date) makes a ragged table, which the CSV reader refuses.
    dashes = data.find(b"\n---", start - 1)
    footer = dashes >= 0
    cut = dashes + 1 if footer else len(data)
    end = cut
    while end > start and data[end - 1] in b"\r\n":
        end -= 1
    if end == start:
        return None  # no rows
    try:
        tail = split_lines(data[cut:].decode(encoding)) if footer else []
    except UnicodeDecodeError:
        return None
    if tail and not _ends_table(tail[0]):
        return None  # the line-by-line reader would not stop there
    columns = _Columns.read(_Region(data, start, end, encoding, first, inp.path, inp.sha256), header.columns)
    if columns is None:
        return None
    # Lines from the first data line up to the footer (or the end): the rows, then any blank lines.
    region_lines = columns.n - 1 + data.count(b"\n", end, cut) + (0 if footer or data.endswith(b"\n") else 1)
    table_end = first + region_lines + (0 if footer else len(tail))
    outside = [(i + 1, lines[i]) for i in range(first - 1)] + [
        (table_end + 1 + j, t) for j, t in enumerate(tail)
    ]
    return Table(
        encoding=encoding if not bom else "utf-8-sig",
        first=first,
        header_raw=header.row.raw,
        columns=header.columns,
        outside=outside,
        table_end=table_end,
        n_lines=first + region_lines + len(tail),
        payments=LazyRecords(columns.n, columns.build, pick=columns.pick, lookup=columns),
        tallies=columns.tallies,
        notices=columns.notices(),
    )


def _encoding(data: bytes, bom: int, head_end: int) -> str | None:
    """The encoding `table.decode_text` would choose, judged from the head (UTF-8 after a BOM or when the head
    is UTF-8, else GB18030). The rest of the file is checked cell by cell in `_Columns`: when any of it does not
    decode, the line-by-line path (which decodes the whole file first) takes over."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None
    head = data[bom:head_end]
    for encoding in ("utf-8",) if bom else ("utf-8", "gb18030"):
        try:
            head.decode(encoding)
        except UnicodeDecodeError:
            continue
        if encoding == "utf-8" and not bom and head.isascii():
            return None  # nothing in the head tells UTF-8 from GBK
        return encoding
    return None


def _nth_line_end(data: bytes, start: int, n: int) -> int:
    """The offset just after the ``n``-th newline from ``start`` (or the end of the data)."""
    at = start
    for _ in range(n):
        nl = data.find(b"\n", at)
        if nl < 0:
            return len(data)
        at = nl + 1
    return at


def _ends_table(line: str) -> bool:
    """Whether `alipay._Rows.read` ends the table at this (non-blank) line."""

    if '"' in line:
        return False  # quoted: leave it to the csv module of the line-by-line reader
    cells = [c.strip() for c in line.rstrip("\r\n").split(",")]
    if not any(cells):
        return False
    return cells[0].startswith("---") or (len(cells) <= 2 and not looks_like_date(cells[0]))


class _Columns(ColumnRecords):
    """The table's columns, read and validated, every row classified; `ColumnRecords` builds the records from
    what this leaves."""

    tallies: Tallies

    @classmethod
    def read(cls, region: _Region, cols: dict[str, int]) -> _Columns | None:
        import pyarrow as pa

        try:
            return cls(region, cols)
        except (pa.ArrowException, Irregular, UnicodeDecodeError, ValueError, ArithmeticError):
            return None

    def __init__(self, region: _Region, cols: dict[str, int]) -> None:
        import numpy as np
        import pyarrow as pa
        import pyarrow.compute as pc

        encoding = region.encoding
        table, width, quoted = _read_region(region, cols)
        n = self.n = table.num_rows
        self.encoding, self.region = encoding, region
        column = self.column = {name: table.column(f"c{i}") for name, i in cols.items()}
        categorical = ("category", "direction", "status", "method")

        # Every cell must be text in the file's encoding (the line-by-line path decodes the whole file).
        by_index = {i: name for name, i in cols.items()}
        for i in range(width):
            _validate(table.column(f"c{i}"), encoding, by_index.get(i) in categorical)

        # Line offsets, one line per row, every line ending alike.
        self.starts, self.eol = _line_offsets(table, region, width, quoted)

        def text(name: str) -> pa.ChunkedArray:
            return pc.utf8_trim(column[name].cast(pa.string()), " \t")

        def require(mask: Any) -> None:
            if not pc.all(mask).as_py():
                raise Irregular

        # Times: the 付款时间 when there is one, else the 交易时间; every one a valid date-time with seconds.
        when = text("time")
        if "paid_time" in column:
            paid = text("paid_time")
            when = pc.if_else(pc.match_substring_regex(paid, "^$"), when, paid)
        require(pc.match_substring_regex(when, _TIME))
        self.times = pc.cast(pc.cast(when, pa.timestamp("s")), pa.int64())
        # Amounts: digits and two decimals, exact.
        amounts = text("amount")
        require(pc.match_substring_regex(amounts, _AMOUNT))
        self.amounts = pc.cast(amounts, pa.decimal128(38, 2))

        # Repeated texts: each distinct value decoded once.
        self.category, self.direction, self.status, self.method = (
            Categorical(column.get(name), encoding, n) for name in categorical
        )
        directions = [DIRECTIONS.get(v) for v in self.direction.values]
        if any(d is None for d in directions):
            raise Irregular
        self.directions: list[Direction] = [d for d in directions if d is not None]
        settled = [is_settled(v) for v in self.status.values]
        self.settled = [bool(s) for s in settled]
        self.unknown: dict[str, int] = {}
        counts = np.bincount(self.status.codes, minlength=len(self.status.values))
        for value, state, count in zip(self.status.values, settled, counts.tolist(), strict=True):
            if state is None and count:
                self.unknown[value] = self.unknown.get(value, 0) + count

        for name in ("transaction_id", "merchant_order_id"):
            ids = column.get(name)
            if ids is not None and has_byte(ids, 0x2B) and pc.any(pc.match_substring(ids, "E+")).as_py():
                raise Irregular  # an id a spreadsheet rounded (4.20000E+27): the line reader drops it and says so
        self._classify(column)
        # Refunds linked to what they refund (same id, the id before its ``_`` suffix, else the merchant order).
        refunds = np.flatnonzero(self.kinds == _KINDS.index(PaymentKind.REFUND))
        self.refund_of = (
            link_refunds(self._ids("transaction_id"), self._ids("merchant_order_id"), refunds, n)
            if len(refunds)
            else {}
        )
        self.refunded = self._refunded(column.get("refunded"))

        # Totals per direction, as the file's own summary counts them (every row).
        self.tallies = direction_tallies(self.directions, self.direction.codes, self.amounts)

    def _classify(self, column: dict[str, pa.ChunkedArray]) -> None:
        """Each row's kind, credit product and billing period, as `alipay.classify` and `_Rows.read` give them.

        Most rows are decided by their category, status and direction alone, so those are classified once per
        distinct combination. Rows whose description holds one of the words `classify` looks for (found in the
        raw bytes, so none is missed), and every credit row, are classified per distinct (combination,
        description, counterparty) with the decoded texts.
        """
        import numpy as np
        import pyarrow.compute as pc

        n_st, n_dir = len(self.status.values), len(self.directions)
        combo = (
            self.category.codes.astype(np.int64) * n_st + self.status.codes
        ) * n_dir + self.direction.codes
        combos, inverse = np.unique(combo, return_inverse=True)
        inverse = inverse.reshape(-1)
        parts = []  # (category, status, direction) of each combination
        for key in combos.tolist():
            rest, d = divmod(key, n_dir)
            c, s = divmod(rest, n_st)
            parts.append((self.category.values[c], self.status.values[s], self.directions[d]))
        combo_kind = np.array(
            [_KINDS.index(classify(cat, "", "", d, st, "")) for cat, st, d in parts], dtype=np.int8
        )
        self.kinds = combo_kind[inverse]
        self.huabei = np.array(["花呗" in v for v in self.method.values], dtype=bool)
        self.products = np.where(self.huabei[self.method.codes], _PRODUCTS.index(Product.HUABEI), -1).astype(
            np.int8
        )
        self.periods: list[str | None] = [None]
        self.period_codes = np.zeros(self.n, dtype=np.int32)

        words = np.zeros(self.n, dtype=bool)
        for word in _KIND_WORDS:
            words |= bools(pc.match_substring(column["description"], word.encode(self.encoding)))
        credit = [_KINDS.index(PaymentKind.REPAYMENT), _KINDS.index(PaymentKind.DISBURSEMENT)]
        credit_combo = np.array(
            [combo_kind[j] in credit or cat == CREDIT_CATEGORY for j, (cat, _, _) in enumerate(parts)],
            dtype=bool,
        )
        rows = np.flatnonzero(words | credit_combo[inverse])
        if not len(rows):
            return
        take = arrow(rows)
        desc = pc.dictionary_encode(column["description"].take(take).combine_chunks())
        cp = pc.dictionary_encode(column["counterparty"].take(take).combine_chunks())
        desc_values, cp_values = desc.dictionary.to_pylist(), cp.dictionary.to_pylist()
        key1 = inverse[rows].astype(np.int64) * len(desc_values) + ints(desc.indices)
        u1, inv1 = np.unique(key1, return_inverse=True)
        key2 = inv1.reshape(-1).astype(np.int64) * len(cp_values) + ints(cp.indices)
        u2, inv2 = np.unique(key2, return_inverse=True)
        kinds = np.empty(len(u2), dtype=np.int8)
        products = np.empty(len(u2), dtype=np.int8)
        periods = np.empty(len(u2), dtype=np.int32)
        period_index: dict[str | None, int] = {None: 0}
        u1_list = u1.tolist()
        for j, k2 in enumerate(u2.tolist()):
            j1, cp_code = divmod(k2, len(cp_values))
            combo_j, desc_code = divmod(u1_list[j1], len(desc_values))
            category, status, direction = parts[combo_j]
            description = desc_values[desc_code].decode(self.encoding).strip()
            counterparty = cp_values[cp_code].decode(self.encoding).strip()
            kind = classify(category, description, counterparty, direction, status, "")
            product, period = None, None
            if kind in (PaymentKind.REPAYMENT, PaymentKind.DISBURSEMENT) or category == CREDIT_CATEGORY:
                product = product_of(counterparty, description) or Product.OTHER
                period = billing_period_of(description)
            kinds[j] = _KINDS.index(kind)
            products[j] = _PRODUCTS.index(product) if product is not None else -1
            periods[j] = period_index.setdefault(period, len(period_index))
        inv2 = inv2.reshape(-1)
        self.kinds[rows] = kinds[inv2]
        rows_products = products[inv2]
        keep = rows_products >= 0
        self.products[rows] = np.where(keep, rows_products, self.products[rows])
        self.period_codes[rows] = periods[inv2]
        self.periods = list(period_index)

    def _ids(self, name: str) -> pa.Array | None:
        import pyarrow as pa
        import pyarrow.compute as pc

        if name not in self.column:
            return None
        ids = self.column[name].cast(pa.string())
        if not pc.all(pc.match_substring_regex(ids, _PRINTABLE_ASCII)).as_py():
            raise Irregular  # Python's str.strip and Arrow's trim agree on printable ASCII, space and TAB
        return pc.utf8_trim(ids, " \t").combine_chunks()

    def _refunded(self, cells: pa.ChunkedArray | None) -> dict[int, Decimal]:
        """成功退款（元） of generation A, for the rows that have one."""
        import numpy as np
        import pyarrow.compute as pc

        from ..money import parse_amount

        if cells is None:
            return {}
        zero = bools(pc.is_in(cells, value_set=binaries([b"", b"0", b"0.00"])))
        out: dict[int, Decimal] = {}
        for row in np.flatnonzero(~zero).tolist():
            cell = cells[row].as_py().decode(self.encoding).strip()
            if cell not in ("", "0", "0.00"):
                out[row] = parse_amount(cell)
        return out

    def notices(self) -> list[Notice]:
        return unknown_status_notices(self.unknown)
