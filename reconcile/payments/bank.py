"""Bank statements as tables (CSV, XLS, XLSX): one shared pipeline driven by header synonyms.

A bank layout is a `BankTable` subclass that only *declares* what identifies it (header names, title text) and
how its amounts are signed; this module does the reading: header found by content, dates (including credit
card ``MM/DD`` with the year from the statement title), signed / split / 借贷-marked amounts, balances checked
row by row, footers (``人民币合计``, ``合计金额``, ``以上数据仅供参考…``) recognised and skipped, and loan or card
repayments (``贷款还款``, ``自动还款``, ``正常还款``, ``约定还款``, ``还款``) recognised as such.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time
from decimal import Decimal
from itertools import pairwise
from typing import ClassVar

from ..dates import CST, parse_time
from ..errors import BadFile, ParseError
from ..extractor import Extractor, Sniff
from ..inputs import InputFile
from ..model import Direction, Extraction, Notice, Payment, PaymentKind, Product, Role, SelfCheck, SourceRef
from ..money import decimal_from_cell, parse_amount
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
from ..vocab import key_values, product_of
from .common import intern

#: Every column a bank table may have, with the names banks give it (preferred names first).
COLUMNS: tuple[Column, ...] = (
    Column(
        "date", ("交易日期", "交易日", "记账日期", "记账日", "日期", "交易时间", "Date", "Transaction Date")
    ),
    Column("posting_date", ("记账日期", "记账日", "入账日期", "银行记账日", "Posting Date"), required=False),
    Column("time", ("交易时间", "记账时间", "时间"), required=False),
    Column(
        "amount",
        (
            "入账币种/金额",
            "人民币金额",
            "记账金额",
            "入账金额",
            "交易金额",
            "金额",
            "发生额",
            "收入/支出金额",
            "交易币种/金额",
            "结算金额",
            "Amount",
            "Transaction Amount",
        ),
        required=False,
    ),
    Column(
        "income",
        (
            "记账金额(收入)",
            "交易金额(收入)",
            "存入金额",
            "收入金额",
            "存入",
            "收入",
            "贷方金额",
            "贷方发生额",
        ),
        required=False,
    ),
    Column(
        "expense",
        ("记账金额(支出)", "交易金额(支出)", "取出金额", "支出金额", "支出", "借方金额", "借方发生额"),
        required=False,
    ),
    Column("marker", ("借贷", "借贷标志", "借贷方向", "收/支", "收支"), required=False),
    Column("balance", ("联机余额", "余额", "账户余额", "本次余额", "交易后余额", "Balance"), required=False),
    Column(
        "summary",
        (
            "交易摘要",
            "摘要",
            "交易类型",
            "交易描述",
            "交易说明",
            "交易名称",
            "Transaction Type",
            "Description",
        ),
        required=False,
    ),
    Column(
        "counterparty",
        ("对方户名", "对手信息", "交易对手名称", "对方姓名", "对方账户名", "对方名称", "Counter Party"),
        required=False,
    ),
    Column(
        "counterparty_account",
        ("对方账户", "对方账号", "交易对手账号", "对方卡号/账号", "对方帐号"),
        required=False,
    ),
    Column(
        "note",
        ("客户摘要", "附言", "交易附言", "交易详情", "交易地点", "交易场所", "备注", "用途"),
        required=False,
    ),
    Column(
        "currency",
        ("记账币种", "入账货币", "货币", "币种", "交易币种", "币别", "交易货币", "Currency"),
        required=False,
    ),
    Column("card", ("卡号末四位", "卡号后四位", "卡末四位"), required=False),
)
_FOOTER = re.compile(r"合计|总计|以上数据|仅供参考|END|^-{5,}|^—{2,}")
_REPAY = re.compile(r"还款|还贷|贷款归还|归还贷款|repay", re.I)
_LOAN_REPAY = re.compile(r"正常还款|约定还款|贷款还款|贷款归还|归还贷款|提前还款|逾期还款")
_CARD_WORDS = re.compile(r"信用卡|卡中心|银行卡中心|掌上生活|转账还款")
_TITLE_MONTH = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月")
_MMDD = re.compile(r"(\d{1,2})[/-](\d{1,2})")
_CURRENCY = re.compile(r"^([A-Z]{3})\s*(.*)$")
_CURRENCY_NAMES = {
    "人民币": "CNY",
    "RMB": "CNY",
    "CNY": "CNY",
    "美元": "USD",
    "港币": "HKD",
    "日元": "JPY",
    "欧元": "EUR",
}


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


def _time_of(text: str, value: object) -> time:
    """A time cell: ``09:12:30``, ``091230``, or a full date-time some banks put in their 交易时间 column."""
    if isinstance(value, datetime):
        return value.time()
    try:
        return parse_time(text)
    except ParseError:
        stamp, has_time = parse_cell_datetime(text)
        if not has_time:
            raise
        return stamp.time()


def _has_amounts(header: Header) -> bool:
    cols = header.columns
    return "amount" in cols or "income" in cols or "expense" in cols


def _date_like(text: str) -> bool:
    return bool(re.match(r"\d{4}[-/.年]?\d{1,2}|\d{1,2}/\d{1,2}$|\d{8}", text))


def _statement_month(text: str) -> tuple[int, int] | None:
    m = _TITLE_MONTH.search(text)
    if m and 1 <= int(m.group(2)) <= 12:
        return int(m.group(1)), int(m.group(2))
    return None


def _currency(text: str) -> str:
    if not text or text in ("-", "--"):
        return "CNY"
    return _CURRENCY_NAMES.get(text.strip(), text.strip().upper() if text.isascii() else text.strip())


def _money(raw: object) -> Decimal:
    """An amount cell: numbers as stored; text possibly with a currency code (``CNY 12.00``, ``JPY 1000.00``)."""
    if not isinstance(raw, str):
        return decimal_from_cell(raw)
    m = _CURRENCY.match(raw.strip())
    return parse_amount(m.group(2) if m else raw)


def _optional_money(raw: object, text: str) -> Decimal | None:
    if text in ("", "-", "--", "/"):
        return None
    return _money(raw)


def _classify(
    summary: str, text: str, direction: Direction, card: bool
) -> tuple[PaymentKind, Product | None]:
    if _REPAY.search(text):
        named = product_of(text)
        if named is not None and named is not Product.BANK_LOAN:
            return PaymentKind.REPAYMENT, named
        if card or _CARD_WORDS.search(text):
            return PaymentKind.REPAYMENT, Product.CREDIT_CARD
        if _LOAN_REPAY.search(text) or "贷款" in text:
            return PaymentKind.REPAYMENT, Product.BANK_LOAN
        return PaymentKind.REPAYMENT, Product.CREDIT_CARD if "自动还款" in text else Product.BANK_LOAN
    if card and ("退款" in summary or "退货" in summary):
        return PaymentKind.REFUND, None
    if "放款" in text or "贷款发放" in text:
        return PaymentKind.DISBURSEMENT, Product.BANK_LOAN
    if direction is Direction.IN:
        return PaymentKind.INCOME, None
    return PaymentKind.PAYMENT, None


def _with_account(p: Payment, account: str) -> Payment:
    from dataclasses import replace

    return replace(p, account=account)


def check_balances(payments: list[Payment]) -> tuple[list[SelfCheck], list[Notice]]:
    """Previous balance + this movement = this balance, in file order (oldest first or newest first, whichever
    the file uses). Each break is a failed check naming both rows."""
    rows = [p for p in payments if p.balance is not None]
    if len(rows) < 2:
        return [], []
    forward = sum(
        1 for a, b in pairwise(rows) if a.balance is not None and b.balance == a.balance + b.signed_amount
    )
    backward = sum(
        1 for a, b in pairwise(rows) if b.balance is not None and a.balance == b.balance + a.signed_amount
    )
    newest_first = backward > forward
    checks: list[SelfCheck] = []
    breaks = 0
    for a, b in pairwise(rows):
        earlier, later = (b, a) if newest_first else (a, b)
        assert earlier.balance is not None and later.balance is not None
        expected = earlier.balance + later.signed_amount
        if expected != later.balance:
            breaks += 1
            checks.append(
                SelfCheck(
                    code="running-balance",
                    ok=False,
                    expected=expected,
                    actual=later.balance,
                    message=(
                        f"balance {later.balance} at {later.source.where()} does not follow from {earlier.balance} "
                        f"at {earlier.source.where()} and a movement of {later.signed_amount}"
                    ),
                    message_zh=(
                        f"{later.source.where()} 的余额 {later.balance} 与 {earlier.source.where()} 的余额 "
                        f"{earlier.balance} 加发生额 {later.signed_amount} 不符"
                    ),
                    evidence=(earlier.source, later.source),
                )
            )
    order = "newest first" if newest_first else "oldest first"
    checks.insert(
        0,
        SelfCheck(
            code="running-balance",
            ok=breaks == 0,
            expected=Decimal(len(rows) - 1),
            actual=Decimal(len(rows) - 1 - breaks),
            message=f"{len(rows) - 1 - breaks} of {len(rows) - 1} balances follow ({order})",
            message_zh=f"{len(rows) - 1} 个余额中有 {len(rows) - 1 - breaks} 个前后衔接",
        ),
    )
    notices = []
    if breaks:
        notices.append(
            Notice(
                code="running-balance",
                message=(
                    f"{breaks} of {len(rows) - 1} running balances do not follow from the previous balance and the "
                    "movement: "
                    "rows may be missing from the statement, or it was edited"
                ),
                message_zh=(
                    f"{len(rows) - 1} 个余额中有 {breaks} 个与上一余额加发生额不符：流水可能缺行，或被改动过"
                ),
            )
        )
    return checks, notices
