"""支付宝 (Alipay) transaction exports, every generation (FORMATS.md §1).

- A: PC web 交易记录明细查询 (16 columns, summary footer, up to ~2022);
- B: app 电子客户回单 with the table first and the summary after (2021-06 to 2023-02);
- C: current 电子客户回单, preamble first (2023-02 on; one tip line fewer since 2026).

All are GBK/GB18030 CSV with trailing commas, TABs after ids and padded cells. The header row is found by
its content. Only settled rows count as paid; 还款失败 / 交易关闭 rows are kept, marked not settled.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Sequence
from dataclasses import fields
from datetime import datetime
from decimal import Decimal

from ..dates import CST
from ..errors import BadFile, ParseError
from ..extractor import Extractor, Sniff
from ..inputs import InputFile
from ..model import (
    Extraction,
    Notice,
    Payment,
    PaymentKind,
    Product,
    Role,
    SourceRef,
    positional_factory,
)
from ..money import normalise, parse_amount
from ..read.table import (
    Row,
    decode_text,
    describe_missing,
    find_header,
    parse_cell_datetime,
    read_csv_rows,
    split_lines,
)
from ..vocab import key_values, product_of
from .alipay_layout import COLUMNS, CREDIT_CATEGORY, DIRECTIONS, classify, looks_like_date
from .common import (
    Tallies,
    billing_period_of,
    check_declared,
    declared_summary,
    drop_rounded,
    is_settled,
    link_refunds,
    resaved_notices,
    tally,
    unknown_status_notices,
)

_BANNER = re.compile(r"支付宝.{0,20}(电子客户回单|交易记录明细查询)")
_AMOUNT = re.compile(r"\d{1,10}(?:\.\d{1,2})?")  # fast path; longer numbers go through the checks
_META_KEYS = {
    "姓名": "name", "用户": "name", "支付宝账户": "account", "账号": "account", "起始时间": "period_start",
    "起始日期": "period_start", "终止时间": "period_end", "终止日期": "period_end", "导出时间": "exported_at",
    "导出交易类型": "export_type",
}  # fmt: skip


class AlipayCsv(Extractor):
    name = "alipay"
    role = Role.PAYMENTS
    file_types = ("csv", "txt")
    description = "支付宝 交易明细 CSV (电子客户回单, all generations, GBK), also inside the password ZIP"

    @classmethod
    def identify(cls, sniff: Sniff) -> bool:
        if not cls.accepts_kind(sniff):
            return False
        head = sniff.head_text
        return bool(_BANNER.search(head)) and "交易状态" in head and ("收/支" in head)

    def extract(self, inp: InputFile) -> Extraction:
        from ..read import columnar
        from . import alipay_columnar

        table = alipay_columnar.read(inp, HEAD_LINES) if columnar.wanted(inp) else None
        if table is not None:
            return self._finish(
                inp,
                table.encoding,
                table.first,
                table.header_raw,
                table.columns,
                table.outside,
                table.table_end,
                table.n_lines,
                table.payments,
                table.tallies,
                table.notices,
            )
        return self.extract_by_lines(inp)

    def extract_by_lines(self, inp: InputFile) -> Extraction:
        """The line-by-line reader: any file, every irregularity reported with its line."""
        text, encoding = decode_text(inp)
        lines = split_lines(text)
        del text
        head = read_csv_rows_safe(inp, lines[:HEAD_LINES])
        header = find_header(head, COLUMNS)
        if header is None:
            raise BadFile(
                f"no Alipay header row ({describe_missing(head, COLUMNS)})",
                path=inp.path,
                hint="is this the 交易明细 CSV from 开具交易流水证明?",
            )
        first = header.row.number  # 1-based line of the header; data starts on the next line
        payments, table_end, notices = _Rows(inp, header.columns).read(lines, first)
        outside = [(i + 1, lines[i]) for i in range(first - 1)] + [
            (i + 1, lines[i]) for i in range(table_end, len(lines))
        ]
        _, tallies = tally(payments)
        linked = tuple(link_refunds(payments))
        return self._finish(
            inp,
            encoding,
            first,
            header.row.raw,
            header.columns,
            outside,
            table_end,
            len(lines),
            linked,
            tallies,
            notices,
        )

    def _finish(
        self,
        inp: InputFile,
        encoding: str,
        first: int,
        header_raw: str,
        columns: dict[str, int],
        outside: list[tuple[int, str]],
        table_end: int,
        n_lines: int,
        payments: Sequence[Payment],
        tallies: Tallies,
        notices: list[Notice],
    ) -> Extraction:
        _no_second_export(inp, header_raw, columns, outside, table_end)
        metadata: dict[str, str] = {"encoding": encoding, "header_line": str(first)}
        for _, line in outside:
            for key, value in key_values(line):
                if key in _META_KEYS and _META_KEYS[key] not in metadata:
                    metadata[_META_KEYS[key]] = value
        banner = next((m.group(0) for _, ln in outside if (m := _BANNER.search(ln))), "")
        metadata["layout"] = _layout(columns, first, table_end, n_lines, banner)
        count, totals = declared_summary(outside, inp.path, inp.sha256)
        ref = SourceRef(path=inp.path, sha256=inp.sha256, row=first, text=header_raw)
        checks, summary_notices = check_declared(len(payments), tallies, count, totals, ref)
        return Extraction(
            path=inp.path,
            sha256=inp.sha256,
            extractor=self.name,
            role=self.role,
            payments=payments,
            metadata=metadata,
            checks=tuple(checks),
            notices=tuple(summary_notices + notices),
        )


HEAD_LINES = 400


def _no_second_export(
    inp: InputFile, header_raw: str, columns: dict[str, int], outside: list[tuple[int, str]], table_end: int
) -> None:
    """Every line after the table must be the export's own footer. A second header or more data rows there
    mean two exports were joined in one file (a user concatenated two downloads): reading only the first would
    silently lose the second's payments, so the file is refused."""
    header = header_raw.replace(" ", "").replace("\t", "")
    width = max(columns.values()) + 1
    for number, line in outside:
        if number <= table_end:
            continue
        compact = line.replace(" ", "").replace("\t", "")
        data_row = looks_like_date(compact) and compact.count(",") >= width - 1
        if (compact and compact == header) or data_row:
            raise BadFile(
                "a second export starts after the first one ends: two downloads were joined into one file",
                path=inp.path,
                where=f"line {number}",
                hint="give each export as a file of its own",
            )


_make_payment = positional_factory(Payment)
_make_ref = positional_factory(SourceRef)
# The hot loop passes fields by position: fail at import, not silently, if the model's field order changes.
if [f.name for f in fields(Payment)][:8] != [
    "timestamp", "amount", "direction", "kind", "status", "settled", "source", "time_known"
] or [f.name for f in fields(SourceRef)] != [
    "path", "sha256", "row", "page", "sheet", "text", "box", "confidence"
]:  # fmt: skip
    raise TypeError("alipay: Payment/SourceRef field order changed; update _Rows.read")


class _Rows:
    """The hot loop: one Alipay data line -> one `Payment`. Lines without quotes (every line of a genuine
    export) are split directly; others go through the csv module."""

    def __init__(self, inp: InputFile, cols: dict[str, int]) -> None:
        self.path, self.sha = inp.path, inp.sha256
        self.cols = cols
        self.width = max(cols.values()) + 1
        self.settled: dict[str, bool | None] = {}
        self.unknown: dict[str, int] = {}
        self.strings: dict[str, str] = {}

    def cells(self, lines: list[str], i: int) -> tuple[list[str], int]:
        """The stripped cells of the record starting at line index ``i`` and the index after it."""
        line = lines[i]
        if '"' not in line:
            return [c.strip() for c in line.split(",")], i + 1
        reader = csv.reader(lines[i:])
        try:
            cells = next(reader)
        except csv.Error as exc:
            raise BadFile(f"malformed CSV ({exc})", path=self.path, where=f"line {i + 1}") from exc
        return [c.strip() for c in cells], i + reader.line_num

    def read(self, lines: list[str], first: int) -> tuple[list[Payment], int, list[Notice]]:
        """The payments of the data lines from index ``first`` (the line after the header), the index of the
        line that ends the table (or the number of lines), and the notices about the rows.

        Why long: this is the per-line hot loop (a busy year is a million lines). Every step of a line runs
        inline on locals bound once before the loop, because a function call per line would add measurably to
        every line; only the rare paths (a short row, a row without an amount, an amount the fast check does not
        take) are functions of their own.
        """
        cols, get = self.cols, self.cols.get
        i_time, i_paid = cols["time"], get("paid_time")
        i_cat, i_cp, i_cpa = get("category"), cols["counterparty"], get("counterparty_account")
        i_desc, i_dir, i_amt = cols["description"], cols["direction"], cols["amount"]
        i_method, i_status, i_tx = get("method"), cols["status"], cols["transaction_id"]
        i_merchant, i_note, i_refunded = get("merchant_order_id"), get("note"), get("refunded")
        path, sha, width = self.path, self.sha, self.width
        shared = self.strings.setdefault
        settled_of = self.settled
        payments: list[Payment] = []
        append = payments.append
        notices: list[Notice] = []
        no_seconds = 0
        rounded: list[tuple[str, str]] = []  # (row, id) where a spreadsheet rounded an id
        fromiso = datetime.fromisoformat
        amount_ok = _AMOUNT.fullmatch
        directions = DIRECTIONS
        end = len(lines)
        i = first
        while i < len(lines):
            number = i + 1
            c, nxt = self.cells(lines, i)
            raw = lines[i] if nxt == i + 1 else "\n".join(lines[i:nxt])
            if not any(c):
                i = nxt
                continue
            if c[0].startswith("---") or (len(c) <= 2 and not looks_like_date(c[0])):
                end = i
                break
            i = nxt
            if len(c) < width:
                raise _short_row(len(c), width, path, number)
            ts_text = (c[i_paid] if i_paid is not None else "") or c[i_time]
            amount_text = c[i_amt]
            try:
                if len(ts_text) == 19 and ts_text[4] == "-":
                    timestamp, has_time = fromiso(ts_text).replace(tzinfo=CST), True
                else:
                    timestamp, has_time = parse_cell_datetime(ts_text)
                    no_seconds += 1
                if amount_ok(amount_text):
                    amount = Decimal(amount_text)
                    if amount.as_tuple().exponent != -2:
                        amount = normalise(amount)
                elif amount_text in ("", "-", "/"):
                    notices.append(_no_amount(number, amount_text))
                    continue
                else:
                    amount = _unsigned_amount(amount_text)
                refunded = None
                if i_refunded is not None and c[i_refunded] not in ("", "0", "0.00"):
                    refunded = parse_amount(c[i_refunded])
            except (ParseError, ValueError) as exc:
                raise BadFile(
                    str(exc), path=path, where=f"line {number}", hint="the row is damaged; re-export the file"
                ) from exc
            direction = directions.get(c[i_dir])
            if direction is None:
                raise BadFile(f"unknown 收/支 value {c[i_dir]!r}", path=path, where=f"line {number}")
            status = shared(c[i_status], c[i_status])
            settled = settled_of.get(status, _UNSET)
            if settled is _UNSET:
                settled = settled_of[status] = is_settled(status)
            if settled is None:
                self.unknown[status] = self.unknown.get(status, 0) + 1
                settled = False
            category = shared(c[i_cat], c[i_cat]) if i_cat is not None else ""
            description = c[i_desc]
            counterparty = shared(c[i_cp], c[i_cp])
            tx = c[i_tx]
            merchant = c[i_merchant] if i_merchant is not None else ""
            if "E+" in tx or "E+" in merchant:
                (tx, merchant), shown = drop_rounded(tx, merchant)
                if shown is not None:
                    rounded.append((f"line {number}", shown))
            kind = classify(category, description, counterparty, direction, status, tx)
            method = shared(c[i_method], c[i_method]) if i_method is not None else ""
            product: Product | None = None
            period = None
            if (
                kind is PaymentKind.REPAYMENT
                or kind is PaymentKind.DISBURSEMENT
                or category == CREDIT_CATEGORY
            ):
                product = product_of(counterparty, description) or Product.OTHER
                period = billing_period_of(description)
            elif "花呗" in method:
                product = Product.HUABEI
            append(_make_payment(
                timestamp, amount, direction, kind, status, settled,
                _make_ref(path, sha, number, None, None, raw, None, None),
                has_time, counterparty, shared(c[i_cpa], c[i_cpa]) if i_cpa is not None else "", description,
                category, method, tx, merchant, product, period, None,
                refunded, "CNY", None, "", c[i_note] if i_note is not None else "",
            ))  # fmt: skip
        notices += resaved_notices("Alipay", len(payments), no_seconds, rounded)
        notices += unknown_status_notices(self.unknown)
        return payments, end, notices


_UNSET: object = object()


def _short_row(fields: int, width: int, path: str, number: int) -> BadFile:
    """The error for a data line with fewer cells than the header."""
    return BadFile(
        f"row has {fields} fields, the header has {width} (the file may be truncated or damaged)",
        path=path,
        where=f"line {number}",
    )


def _no_amount(number: int, amount_text: str) -> Notice:
    """The notice for a data line without an amount (``""``, ``-`` or ``/``), which is not used."""
    return Notice(
        code="row-skipped",
        where=f"line {number}",
        message=f"row has no amount ({amount_text!r}); it was not used",
        message_zh=f"该行没有金额（{amount_text!r}），未使用",
    )


def _unsigned_amount(amount_text: str) -> Decimal:
    """An amount the fast check does not take (a thousands separator, a sign, more digits than it allows, ...),
    parsed in full; `ParseError` for a negative one."""
    amount = parse_amount(amount_text)
    if amount < 0:  # Alipay writes the direction in 收/支; a sign is damage, not information
        raise ParseError(
            f"negative amount {amount_text!r}: Alipay gives the direction in 收/支, never a sign"
        )
    return amount


def read_csv_rows_safe(inp: InputFile, lines: list[str]) -> list[Row]:
    try:
        return list(read_csv_rows(lines))
    except ParseError as exc:
        raise BadFile(str(exc), path=inp.path) from exc


def _layout(cols: dict[str, int], header_index: int, table_end: int, n_rows: int, banner: str) -> str:
    if "refunded" in cols or "fund_status" in cols:
        return "A (交易记录明细查询)"
    if header_index == 0 or (table_end < n_rows and header_index <= 2):
        return "B (电子客户回单, summary after the table)"
    return f"C (电子客户回单, preamble first; {banner.split('  ')[0] if banner else 'banner missing'})"
