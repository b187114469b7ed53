"""Bank statements as tables (CSV, XLS, XLSX): one shared pipeline driven by header synonyms.

A bank layout is a `BankTable` subclass that only *declares* what identifies it (header names, title text) and
how its amounts are signed; this module does the reading: header found by content, dates (including credit
card ``MM/DD`` with the year from the statement title), signed / split / 借贷-marked amounts, balances checked
row by row, footers (``人民币合计``, ``合计金额``, ``以上数据仅供参考…``) recognised and skipped, and loan or card
repayments (``贷款还款``, ``自动还款``, ``正常还款``, ``约定还款``, ``还款``) recognised as such.

The pipeline is here; what it relies on lives beside it: the shared columns, footers and row words in
`bank_layout`, the readers of amount, currency and time cells in `bank_cells`, and the running-balance check in
`bank_balances`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time
from decimal import Decimal
from typing import ClassVar

from ..dates import CST
from ..errors import BadFile, ParseError
from ..extractor import Extractor, Sniff
from ..inputs import InputFile
from ..model import Direction, Extraction, Notice, Payment, Role, SourceRef
from ..read.table import (
    Column,
    Header,
    Row,
    Sheet,
    describe_missing,
    find_header,
    norm_header,
    parse_cell_datetime,
    read_sheets,
)
from ..vocab import key_values
from .bank_balances import (
    check_balances as check_balances,
)  # explicitly re-exported: importable from here as before
from .bank_cells import currency as _currency
from .bank_cells import money as _money
from .bank_cells import optional_money as _optional_money
from .bank_cells import statement_month as _statement_month
from .bank_cells import time_of as _time_of
from .bank_layout import COLUMNS as COLUMNS  # explicitly re-exported: importable from here as before
from .bank_layout import FOOTER as _FOOTER
from .bank_layout import classify as _classify
from .bank_layout import date_like as _date_like
from .bank_layout import has_amounts as _has_amounts
from .common import intern

_MMDD = re.compile(r"(\d{1,2})[/-](\d{1,2})")


_Cell = Callable[[str], str]
_Value = Callable[[str], object]


@dataclass(frozen=True)
class Layout:
    """How one table's amounts are read."""

    header: Header
    card_statement: bool  # credit card: positive = spending
    statement_month: tuple[int, int] | None  # (year, month) for MM/DD dates


class BankTable(Extractor):
    """Base of bank layouts. A subclass declares its header names and conventions; nothing else."""

    abstract = True
    role = Role.PAYMENTS
    file_types: ClassVar[tuple[str, ...]] = ("csv", "txt", "xls", "xlsx")
    #: header names (any spelling NFKC/space-insensitive) that must all appear in one row
    header_names: ClassVar[tuple[str, ...]]
    #: text that must appear somewhere in the head of the file (title, labels)
    markers: ClassVar[tuple[str, ...]] = ()
    #: text that must not appear (to tell two layouts of one bank apart)
    excluded: ClassVar[tuple[str, ...]] = ()
    #: a credit card statement: positive amounts are spending, negative ones repayments and refunds
    card_statement: ClassVar[bool] = False
    #: for credit cards whose amounts are all positive: the words in 摘要 that mean money coming in
    inflow_words: ClassVar[tuple[str, ...]] = ()
    bank: ClassVar[str] = ""
    #: per-layout column names that replace the shared synonyms for a field (e.g. which column is 摘要)
    column_names: ClassVar[dict[str, tuple[str, ...]]] = {}

    @classmethod
    def columns(cls) -> tuple[Column, ...]:
        if not cls.column_names:
            return COLUMNS
        return tuple(
            Column(c.field, cls.column_names[c.field], c.required) if c.field in cls.column_names else c
            for c in COLUMNS
        )

    @classmethod
    def identify(cls, sniff: Sniff) -> bool:
        if not cls.accepts_kind(sniff):
            return False
        head = sniff.head_text
        if any(m not in head for m in cls.markers) or any(x in head for x in cls.excluded):
            return False
        wanted = {norm_header(h) for h in cls.header_names}
        return any(wanted <= cells for cells in sniff.head_header_sets)

    def extract(self, inp: InputFile) -> Extraction:
        sheets = read_sheets(inp)
        columns = self.columns()
        for sheet in sheets:
            header = find_header(sheet.rows, columns)
            if header is not None and _has_amounts(header):
                return self._extract_sheet(inp, sheet, header)
        missing = describe_missing(sheets[0].rows if sheets else [], columns)
        raise BadFile(f"no bank statement header row ({missing})", path=inp.path)

    def _extract_sheet(self, inp: InputFile, sheet: Sheet, header: Header) -> Extraction:
        preamble = [" ".join(c for c in r.cells if c) for r in sheet.rows[: header.index]]
        metadata: dict[str, str] = {"bank": self.bank} if self.bank else {}
        if sheet.name is not None:
            metadata["sheet"] = sheet.name
        title = next((ln for ln in preamble if ln and "：" not in ln and ":" not in ln), "")
        if title:
            metadata["title"] = title
        for line in preamble:
            for key, value in key_values(line):
                key = norm_header(key)
                if key in (
                    "卡号",
                    "账号",
                    "户名",
                    "账户类型",
                    "日期范围",
                    "开户机构",
                    "币种",
                    "起止日期",
                    "子账户类别",
                ):
                    metadata.setdefault(key, value)
        for i, cell in enumerate(sheet.rows[0].cells if sheet.rows else []):
            # SPDB puts its labels and values side by side in one row: 账号 | 6200… | 账户类型 | 借记卡 | …
            if norm_header(cell) in ("账号", "账户类型", "日期范围") and i + 1 < len(sheet.rows[0].cells):
                metadata.setdefault(norm_header(cell), sheet.rows[0].cells[i + 1])
        month = _statement_month(" ".join(preamble) + " " + sheet.rows[header.index].raw)
        card = self.card_statement or "信用卡" in title
        layout = Layout(header, card, month)
        payments, notices = self._rows(inp, sheet, layout)
        account = metadata.get("卡号") or metadata.get("账号") or ""
        if account:
            payments = [p if p.account else _with_account(p, account) for p in payments]
        checks, balance_notices = check_balances(payments)
        return Extraction(
            path=inp.path,
            sha256=inp.sha256,
            extractor=self.name,
            role=self.role,
            payments=tuple(payments),
            metadata=metadata,
            checks=tuple(checks),
            notices=tuple(notices + balance_notices),
        )

    def _rows(self, inp: InputFile, sheet: Sheet, layout: Layout) -> tuple[list[Payment], list[Notice]]:
        payments: list[Payment] = []
        notices: list[Notice] = []
        bad_balances = 0
        where_prefix = f"sheet {sheet.name}, row " if sheet.name is not None else "line "
        for row in sheet.rows[layout.header.index + 1 :]:
            cells = row.cells
            if not any(cells):
                continue
            first = next((c for c in cells if c), "")
            if _FOOTER.search(first) or (sum(1 for c in cells if c) == 1 and not _date_like(first)):
                continue  # totals, end markers and page notes are not transactions
            where = (
                f"page {row.page}, row {row.number}"
                if row.page is not None
                else f"{where_prefix}{row.number}"
            )
            try:
                payment, balance_ok = self._payment(inp, sheet, row, layout)
            except ParseError as exc:
                raise BadFile(
                    str(exc),
                    path=inp.path,
                    where=where,
                    hint="the row is damaged, or this is not the layout it looks like",
                ) from exc
            if payment is None:
                notices.append(
                    Notice(
                        code="row-skipped",
                        where=where,
                        message="row has no amount; it was not used",
                        message_zh="该行没有金额，未使用",
                    )
                )
                continue
            if not payment.amount:
                notices.append(
                    Notice(
                        code="row-skipped",
                        where=where,
                        message="row moves 0.00 (a posting with no money); it was not used",
                        message_zh="该行金额为 0.00（无资金变动），未使用",
                    )
                )
                continue
            bad_balances += not balance_ok
            payments.append(payment)
        if bad_balances:
            notices.append(
                Notice(
                    code="balance-unreadable",
                    message=(
                        f"{bad_balances} rows have a balance that is not a number (masked?); "
                        "balances there are not checked"
                    ),
                    message_zh=f"{bad_balances} 行的余额不是数字（可能被遮盖），这些行的余额未核对",
                )
            )
        return payments, notices

    def _payment(self, inp: InputFile, sheet: Sheet, row: Row, layout: Layout) -> tuple[Payment | None, bool]:
        cols = layout.header.columns
        cells = row.cells
        values = row.values

        def cell(field: str) -> str:
            i = cols.get(field)
            return cells[i] if i is not None and i < len(cells) else ""

        def value(field: str) -> object:
            i = cols.get(field)
            if i is None:
                return None
            if values is not None and i < len(values):
                return values[i]
            return cells[i] if i < len(cells) else ""

        timestamp, has_time = self._timestamp(cell, value, layout)
        summary, note = cell("summary"), cell("note")
        currency = _currency(cell("currency"))
        amount, direction = self._amount(cell, value, layout, summary)
        if amount is None or direction is None:
            return None, True
        balance: Decimal | None = None
        balance_ok = True
        if "balance" in cols and cell("balance") not in ("", "-", "--"):
            try:
                balance = _money(value("balance"))
            except ParseError:
                balance_ok = False
        text_for_kind = " ".join((summary, note, cell("counterparty")))
        kind, product = _classify(summary, text_for_kind, direction, layout.card_statement)
        counterparty = cell("counterparty")
        account_text = cell("counterparty_account")
        if not account_text and counterparty:
            m = re.search(r"\s*(\d{8,})$", counterparty)  # CMB 对手信息: "name 6214…"
            if m:
                counterparty, account_text = counterparty[: m.start()].strip(), m.group(1)
        card = cell("card")
        return Payment(
            timestamp=timestamp,
            time_known=has_time,
            amount=amount,
            direction=direction,
            kind=kind,
            status="入账",
            settled=True,
            counterparty=counterparty.strip("-"),
            counterparty_account=account_text.strip("-"),
            description=summary,
            category=intern(summary),
            method="",
            product=product,
            currency=currency,
            balance=balance,
            account=card,
            note=note,
            source=SourceRef(
                path=inp.path,
                sha256=inp.sha256,
                sheet=sheet.name,
                page=row.page,
                row=row.number,
                text=row.raw,
            ),
        ), balance_ok

    def _timestamp(self, cell: _Cell, value: _Value, layout: Layout) -> tuple[datetime, bool]:
        text = cell("date") or cell("posting_date")
        raw = value("date") if cell("date") else value("posting_date")
        if not text:
            raise ParseError("row has no date")
        m = _MMDD.fullmatch(text)
        if m:
            if layout.statement_month is None:
                raise ParseError(f"date {text!r} has no year and the statement title gives none")
            year, month = layout.statement_month
            mm, dd = int(m.group(1)), int(m.group(2))
            y = year if mm <= month else year - 1  # a January statement lists December transactions
            try:
                return datetime(y, mm, dd, tzinfo=CST), False
            except ValueError as exc:
                raise ParseError(f"not a valid date: {text!r}") from exc
        timestamp, has_time = parse_cell_datetime(text, raw if not isinstance(raw, str) else None)
        time_text = cell("time")
        if time_text and not has_time and "time" in layout.header.columns:
            tvalue = value("time")
            t = tvalue if isinstance(tvalue, time) else _time_of(time_text, tvalue)
            timestamp, has_time = datetime.combine(timestamp.date(), t, CST), True
        return timestamp, has_time

    def _amount(
        self, cell: _Cell, value: _Value, layout: Layout, summary: str
    ) -> tuple[Decimal | None, Direction | None]:
        cols = layout.header.columns
        if "income" in cols or "expense" in cols:
            income = _optional_money(value("income"), cell("income"))
            expense = _optional_money(value("expense"), cell("expense"))
            if income and not expense:
                return abs(income), Direction.IN if income > 0 else Direction.OUT
            if expense and not income:
                return abs(expense), Direction.OUT if expense > 0 else Direction.IN
            if income and expense:
                raise ParseError("row has both an income and an expense amount")
            if income == 0 or expense == 0:
                return Decimal("0.00"), Direction.NEUTRAL
            return None, None
        text = cell("amount")
        if not text or text in ("-", "--"):
            return None, None
        signed = _money(value("amount"))
        marker = cell("marker")
        if marker:
            if marker.startswith(("借", "支", "D")):
                return abs(signed), Direction.OUT
            if marker.startswith(("贷", "收", "C")):
                return abs(signed), Direction.IN
            raise ParseError(f"unknown 借贷 marker {marker!r}")
        if self.inflow_words:
            inflow = any(summary.startswith(w) for w in self.inflow_words)
            return abs(signed), Direction.IN if inflow else Direction.OUT
        if layout.card_statement:
            return abs(signed), Direction.OUT if signed > 0 else Direction.IN
        return abs(signed), Direction.IN if signed > 0 else Direction.OUT


def _with_account(p: Payment, account: str) -> Payment:
    from dataclasses import replace

    return replace(p, account=account)
