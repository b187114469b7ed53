"""The shared pipeline for wallet-style exports (WeChat Pay, JD, Meituan): a preamble of ``key：value`` lines and
a declared summary, then one table with a 收/支 column. Subclasses only declare their columns, markers and how
to classify a row; this class does the reading, the provenance and the check against the file's own summary.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from decimal import Decimal
from typing import ClassVar

from ..errors import BadFile, ParseError
from ..extractor import Extractor, Sniff
from ..inputs import InputFile
from ..model import Direction, Extraction, Notice, Payment, PaymentKind, Product, SelfCheck, SourceRef
from ..money import decimal_from_cell, parse_amount_with_refund
from ..read.table import Column, Row, Sheet, describe_missing, find_header, parse_cell_datetime, read_sheets
from ..vocab import key_values
from .common import (
    NO_SECONDS,
    billing_period_of,
    check_summary,
    declared_summary,
    direction_of,
    drop_rounded,
    intern,
    is_settled,
    link_refunds,
    refunded_in_status,
    resaved_notices,
    unknown_status_notices,
)

Classified = tuple[PaymentKind, Product | None]


class _Resaved:
    """Traces of a spreadsheet having re-saved the bill: text times without seconds, rows with rounded ids."""

    def __init__(self) -> None:
        self.no_seconds = 0
        self.rounded: list[tuple[str, str]] = []  # (row, id shown)


class WalletExtractor(Extractor):
    """Base for wallet exports. Subclasses set the class attributes below and implement `classify`."""

    abstract = True

    columns: ClassVar[tuple[Column, ...]]
    markers: ClassVar[tuple[str, ...]]  # every one must appear in the head of the file
    meta_keys: ClassVar[dict[str, str]] = {}
    label: ClassVar[str]  # for messages: "WeChat Pay"
    #: fields whose cells may hold unquoted commas (WeChat's 交易对方): extra fields are merged back into them
    comma_fields: ClassVar[tuple[str, ...]] = ()
    #: the fields `classify` reads, when a large workbook may be read by columns (`wallet_columnar`); None keeps
    #: the row-by-row reader for every file
    columnar_fields: ClassVar[tuple[str, ...] | None] = None
    #: fields of `columnar_fields` whose text matters to `classify` only when it contains one of these words, or
    #: when the row is a credit row (a repayment or disbursement, or one `classify` names a product for)
    columnar_words: ClassVar[dict[str, tuple[str, ...]]] = {}

    @classmethod
    def identify(cls, sniff: Sniff) -> bool:
        if not cls.accepts_kind(sniff):
            return False
        head = sniff.head_text
        return all(marker in head for marker in cls.markers)

    @classmethod
    def classify(cls, row: dict[str, str], direction: Direction) -> Classified:
        raise NotImplementedError

    def extract(self, inp: InputFile) -> Extraction:
        if inp.kind == "xlsx" and self.columnar_fields is not None and self._columnar_ok():
            from ..read import columnar
            from . import wallet_columnar

            if columnar.wanted(inp):
                fast = wallet_columnar.read(self, inp)
                if fast is not None:
                    return fast
        return self.extract_by_rows(inp)

    @classmethod
    def _columnar_ok(cls) -> bool:
        """The columnar reader tallies plain amounts: only for classes that count their summary that way."""
        return cls.summary_amount.__func__ is WalletExtractor.summary_amount.__func__  # type: ignore[attr-defined]

    def extract_by_rows(self, inp: InputFile) -> Extraction:
        """The row-by-row reader: every file, every irregularity reported with its row."""
        sheets = read_sheets(inp)
        payments: list[Payment] = []
        checks: list[SelfCheck] = []
        notices: list[Notice] = []
        metadata: dict[str, str] = {}
        seen: list[list[tuple[str, str, Decimal]]] = []
        found = False
        for sheet in sheets:
            header = find_header(sheet.rows, self.columns)
            if header is None:
                continue
            found = True
            rows, sheet_checks, sheet_notices, meta = self._sheet(inp, sheet, header.index, header.columns)
            key = [(p.timestamp.isoformat(), p.transaction_id, p.amount) for p in rows]
            if key in seen:
                notices.append(
                    Notice(
                        code="duplicate-sheet",
                        where=f"sheet {sheet.name}",
                        message="this sheet repeats the rows of an earlier sheet; it was not read again",
                        message_zh="该工作表与前一工作表的行完全相同，未重复读取",
                    )
                )
                continue
            seen.append(key)
            payments.extend(rows)
            checks.extend(sheet_checks)
            notices.extend(sheet_notices)
            for k, v in meta.items():
                metadata.setdefault(k, v)
        if not found:
            missing = describe_missing(sheets[0].rows if sheets else [], self.columns)
            raise BadFile(f"no {self.label} header row ({missing})", path=inp.path)
        if sheets[0].encoding:
            metadata["encoding"] = sheets[0].encoding
        return Extraction(
            path=inp.path,
            sha256=inp.sha256,
            extractor=self.name,
            role=self.role,
            payments=tuple(link_refunds(payments)),
            metadata=metadata,
            checks=tuple(checks),
            notices=tuple(notices),
        )

    def _sheet(
        self, inp: InputFile, sheet: Sheet, start: int, cols: dict[str, int]
    ) -> tuple[list[Payment], list[SelfCheck], list[Notice], dict[str, str]]:
        where_prefix = f"sheet {sheet.name}, row " if sheet.name is not None else "line "
        payments: list[Payment] = []
        notices: list[Notice] = []
        unknown: dict[str, int] = {}
        traces = _Resaved()
        needed = max(cols.values()) + 1
        header_width = len(sheet.rows[start].cells)
        for row in sheet.rows[start + 1 :]:
            cells = row.cells
            if not any(cells):
                continue
            if sum(1 for c in cells if c) == 1 and not cells[0][:4].isdigit():
                continue  # a note line after the table
            values = row.values
            if len(cells) > header_width and self.comma_fields and any(cells[header_width:]):
                cells = self._merge_extra_commas(cells, header_width, cols)
                values = None
            where = f"{where_prefix}{row.number}"
            if len(cells) < needed:
                raise BadFile(
                    f"row has {len(cells)} fields, the header has {header_width}",
                    path=inp.path,
                    where=where,
                    hint="the file may be truncated or damaged; re-export it",
                )
            try:
                payments.append(self._payment(inp, sheet, row, cells, values, cols, unknown, traces, where))
            except ParseError as exc:
                raise BadFile(
                    str(exc), path=inp.path, where=where, hint="the row is damaged; re-export the file"
                ) from exc
        notices += resaved_notices(self.label, len(payments), traces.no_seconds, traces.rounded)
        notices += unknown_status_notices(unknown)
        outside = [(r.number, " ".join(c for c in r.cells if c)) for r in sheet.rows[:start]]
        outside += [
            (r.number, " ".join(c for c in r.cells if c))
            for r in sheet.rows[start + 1 :]
            if sum(1 for c in r.cells if c) == 1
        ]
        metadata: dict[str, str] = {"header_row": str(sheet.rows[start].number)}
        metadata.update(self.layout(sheet, start, cols))
        for _, line in outside:
            for key, value in key_values(line):
                if key in self.meta_keys:
                    metadata.setdefault(self.meta_keys[key], value)
        count, totals = declared_summary(outside, inp.path, inp.sha256)
        ref = SourceRef(
            path=inp.path,
            sha256=inp.sha256,
            sheet=sheet.name,
            row=sheet.rows[start].number,
            text=sheet.rows[start].raw,
        )
        totals = {d: (n, a, replace(r, sheet=sheet.name)) for d, (n, a, r) in totals.items()}
        checks, summary_notices = check_summary(payments, count, totals, ref, amount_of=self.summary_amount)
        summary_notices = [
            replace(n, where=f"sheet {sheet.name}") if sheet.name and not n.where else n
            for n in summary_notices
        ]
        return payments, checks, summary_notices + notices, metadata

    @classmethod
    def summary_amount(cls, payment: Payment) -> Decimal:
        """The amount a row contributes to the file's own declared totals."""
        return payment.amount

    def layout(self, sheet: Sheet, start: int, cols: dict[str, int]) -> dict[str, str]:
        """Metadata describing which layout the file has."""
        if sheet.name is None:
            return {}
        amount = cols.get("amount")
        numeric = amount is not None and any(
            isinstance(r.values[amount], (int, float))
            for r in sheet.rows[start + 1 : start + 50]
            if r.values is not None and len(r.values) > amount
        )
        return self.sheet_layout(sheet.name, numeric)

    def sheet_layout(self, name: str, numeric_amounts: bool) -> dict[str, str]:
        """The layout metadata of a worksheet, given whether its first amounts are numeric cells."""
        return {"sheet": name}

    def _payment(
        self,
        inp: InputFile,
        sheet: Sheet,
        row: Row,
        cells: list[str],
        values: Sequence[object] | None,
        cols: dict[str, int],
        unknown: dict[str, int],
        traces: _Resaved,
        where: str,
    ) -> Payment:
        fields = {name: cells[i] for name, i in cols.items()}

        def value(field: str) -> object:
            i = cols[field]
            return values[i] if values is not None and i < len(values) else cells[i]

        timestamp, has_time = parse_cell_datetime(fields["time"], value("time") if values else None)
        if isinstance(value("time"), str) and NO_SECONDS.search(fields["time"]):
            traces.no_seconds += 1
        raw_amount = value("amount")
        if isinstance(raw_amount, str):
            amount, refunded = parse_amount_with_refund(raw_amount)
        else:
            amount, refunded = decimal_from_cell(raw_amount), None
        direction = direction_of(fields["direction"])
        if direction is None:
            raise ParseError(f"unknown 收/支 value {fields['direction']!r}")
        status = intern(fields["status"])
        settled = is_settled(status)
        if settled is None:
            unknown[status] = unknown.get(status, 0) + 1
            settled = False
        kind, product = self.classify(fields, direction)
        if kind is not PaymentKind.REFUND:
            if status == "已全额退款":
                refunded = abs(amount)
            refunded = refunded or refunded_in_status(status)
        description = fields.get("description", "")

        def clean(field: str) -> str:
            text = fields.get(field, "")
            return "" if text == "/" else text

        ids, shown = drop_rounded(clean("transaction_id"), clean("merchant_order_id"))
        if shown is not None:
            traces.rounded.append((where, shown))

        return Payment(
            timestamp=timestamp,
            time_known=has_time,
            amount=abs(amount),
            direction=direction,
            kind=kind,
            status=status,
            settled=settled,
            counterparty=clean("counterparty"),
            counterparty_account=clean("counterparty_account"),
            description=clean("description"),
            category=intern(fields.get("category", "")),
            method=intern(clean("method")),
            transaction_id=ids[0],
            merchant_order_id=ids[1],
            product=product,
            billing_period=billing_period_of(description) if product else None,
            refunded=refunded,
            note=clean("note"),
            source=SourceRef(
                path=inp.path, sha256=inp.sha256, sheet=sheet.name, row=row.number, text=row.raw
            ),
        )

    def _merge_extra_commas(self, cells: list[str], width: int, cols: dict[str, int]) -> list[str]:
        """Merge the fields an unquoted comma split off back into the column where the result puts a valid
        direction and amount in their places."""
        extra = len(cells) - width
        for field in self.comma_fields:
            at = cols.get(field)
            if at is None:
                continue
            merged = [*cells[:at], ",".join(cells[at : at + extra + 1]), *cells[at + extra + 1 :]]
            if direction_of(merged[cols["direction"]]) is not None:
                try:
                    parse_amount_with_refund(merged[cols["amount"]])
                    return merged
                except ParseError:
                    continue
        return cells
