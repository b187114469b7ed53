"""The records `reconcile` works with: frozen dataclasses, exact money, and a source on everything.

Change a record with `dataclasses.replace`; no step mutates what another produced. `reconcile.jsonable.to_json`
turns any of them into plain JSON types: `Decimal` as a string (``"1083.33"``), dates and times as ISO 8601,
enums as their value.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import TYPE_CHECKING, Any

from .records import positional_factory as positional_factory  # constructing records fast: see records

if TYPE_CHECKING:
    from .case import LoanCase

_FROZEN: dict[str, Any] = {"frozen": True, "slots": True, "kw_only": True}


class Role(str, Enum):
    """What a file is evidence of: what the lender claims, or what the borrower paid."""

    STATEMENT = "statement"
    PAYMENTS = "payments"


class Direction(str, Enum):
    OUT = "out"  # 支出: money left the borrower
    IN = "in"  # 收入
    NEUTRAL = "neutral"  # 不计收支 / 中性交易 / WeChat "/" (transfers, repayments from a card, fund moves)


class PaymentKind(str, Enum):
    PAYMENT = "payment"  # ordinary spending
    REPAYMENT = "repayment"  # money paid towards a credit product or loan
    REFUND = "refund"  # money coming back for an earlier payment
    DISBURSEMENT = "disbursement"  # a loan paid out to the borrower
    TRANSFER = "transfer"  # own-account moves, top-ups, withdrawals, fund purchases and redemptions
    INCOME = "income"
    OTHER = "other"


class Product(str, Enum):
    """Credit products a payment can concern. 花呗 repayments are not 借呗 repayments."""

    HUABEI = "huabei"  # 花呗 (Alipay)
    JIEBEI = "jiebei"  # 借呗 (Alipay / 重庆蚂蚁消费金融)
    WEILIDAI = "weilidai"  # 微粒贷 (WeBank)
    BAITIAO = "baitiao"  # 京东白条
    YUEFU = "yuefu"  # 月付 (美团月付, 抖音月付)
    BANK_LOAN = "bank-loan"
    CREDIT_CARD = "credit-card"  # a card repayment
    OTHER = "other-credit"


@dataclass(**_FROZEN)
class SourceRef:
    """Where a record came from: the file, its sha256, the page (PDF) or sheet, the 1-based row or line, and
    the raw text of that row as it stands in the file."""

    path: str
    sha256: str
    row: int | None = None
    page: int | None = None
    sheet: str | None = None
    text: str = ""
    #: For a screenshot: the region (x, y, width, height in pixels) the text was read from, and the OCR's
    #: confidence in it (the lowest of its characters').
    box: tuple[int, int, int, int] | None = None
    confidence: Decimal | None = None

    def where(self) -> str:
        """``page 3, row 12`` / ``sheet Sheet1, row 18`` / ``line 25`` / ``region 40,230 940x60``."""
        if self.box is not None:
            x, y, w, h = self.box
            return f"region {x},{y} {w}x{h}"
        parts = []
        if self.page is not None:
            parts.append(f"page {self.page}")
        if self.sheet is not None:
            parts.append(f"sheet {self.sheet}")
        if self.row is not None:
            parts.append(f"row {self.row}" if parts else f"line {self.row}")
        return ", ".join(parts)


#: A payment's stable identity: (file sha256, sheet, page, row); see `Payment.key`.
PaymentKey = tuple[str, str, int, int]


@dataclass(**_FROZEN)
class Payment:
    """Money the borrower moved (or that moved towards them), as one row of a payment export says."""

    timestamp: datetime  # CST; midnight when the export gives only a date (see time_known)
    amount: Decimal  # positive; the direction says which way it went
    direction: Direction
    kind: PaymentKind
    status: str  # as printed: 交易成功, 还款成功, 还款失败, 已全额退款, ...
    settled: bool  # whether money really moved (还款失败 / 交易关闭 did not)
    source: SourceRef
    time_known: bool = True
    counterparty: str = ""
    counterparty_account: str = ""
    description: str = ""
    category: str = ""
    method: str = ""  # channel / funding source: 余额宝, 招商银行储蓄卡(8705), 零钱, ...
    transaction_id: str = ""
    merchant_order_id: str = ""
    product: Product | None = None  # the credit product a repayment (or a credit-funded payment) concerns
    billing_period: str | None = None  # as named in the row, e.g. 2024年05月账单 -> "2024-05"
    refund_of: str | None = None  # transaction id (else merchant order id) of the payment this refunds
    refunded: Decimal | None = None  # amount the export says was refunded on this payment
    currency: str = "CNY"
    balance: Decimal | None = None  # running balance after this row (bank statements)
    account: str = ""  # the borrower's own account or card this row belongs to
    note: str = ""

    @property
    def key(self) -> PaymentKey:
        """Which row this is, stably: the file's sha256, the sheet and page, and the row. Matching and
        allocations refer to payments by it, never by object identity."""
        s = self.source
        return (s.sha256, s.sheet or "", s.page or 0, s.row or 0)

    @property
    def signed_amount(self) -> Decimal:
        """Negative for money out, positive for money in, as a bank would sign it."""
        if self.direction is Direction.OUT:
            return -self.amount
        return self.amount


class RateUnit(str, Enum):
    DAILY = "daily"
    MONTHLY = "monthly"
    ANNUAL = "annual"


@dataclass(**_FROZEN)
class Rate:
    """An interest rate as the document states it. ``value`` is a fraction: 0.04%/day is ``0.0004``."""

    value: Decimal
    unit: RateUnit
    compound: bool = False  # 年化利率（复利）
    basis: int | None = None  # days in a year (360 or 365) when stated or implied
    text: str = ""


class RepaymentMethod(str, Enum):
    EQUAL_INSTALLMENT = "equal-installment"  # 等额本息
    EQUAL_PRINCIPAL = "equal-principal"  # 等额本金
    INTEREST_ONLY = "interest-only"  # 先息后本 / 按月付息到期还本
    BULLET = "bullet"  # 一次性还本付息
    FLAT = "flat"  # 等本等息
    FLEXIBLE = "flexible"  # 随借随还


@dataclass(**_FROZEN)
class PenaltyRule:
    """罚息: a multiplier on the contract rate (上浮50% -> 1.5) or an explicit rate."""

    multiplier: Decimal | None = None
    rate: Rate | None = None
    text: str = ""


@dataclass(**_FROZEN)
class Fee:
    name: str
    amount: Decimal | None = None
    rate: Rate | None = None
    text: str = ""


@dataclass(**_FROZEN)
class LoanTerms:
    lender: str = ""
    product: Product | None = None
    loan_id: str = ""
    borrower: str = ""
    principal: Decimal | None = None
    start_date: date | None = None
    periods: int | None = None
    method: RepaymentMethod | None = None
    rate: Rate | None = None
    rates: tuple[Rate, ...] = ()  # every rate the document prints (daily and annual may both appear)
    penalty: PenaltyRule | None = None
    due_day: int | None = None
    fees: tuple[Fee, ...] = ()
    sources: tuple[SourceRef, ...] = ()


@dataclass(**_FROZEN)
class Installment:
    """One row of a repayment plan or statement. Amounts the document leaves out are ``None``."""

    period: int
    source: SourceRef
    of_periods: int | None = None  # from "3/12"
    due_date: date | None = None
    principal: Decimal | None = None
    interest: Decimal | None = None
    penalty: Decimal | None = None
    fees: Decimal | None = None
    total: Decimal | None = None
    paid: Decimal | None = None
    paid_date: date | None = None
    outstanding: Decimal | None = None
    status: str = ""


@dataclass(**_FROZEN)
class Charge:
    """A one-off line outside the schedule: a fee or a penalty the lender charged."""

    kind: str  # "fee" | "penalty"
    description: str
    amount: Decimal
    source: SourceRef
    date: date | None = None


@dataclass(**_FROZEN)
class CreditedRepayment:
    """A repayment the lender says it received."""

    amount: Decimal
    source: SourceRef
    date: date | None = None
    description: str = ""
    period: int | None = None


@dataclass(**_FROZEN)
class DeclaredTotal:
    """A total the document prints about itself (当前逾期金额, 剩余未还, 共66笔记录, ...)."""

    name: str
    value: Decimal
    source: SourceRef
    label: str = ""


@dataclass(**_FROZEN)
class SelfCheck:
    """The result of checking a document against itself (rows against the totals it prints)."""

    code: (
        str  # e.g. "row-arithmetic", "declared-total", "record-count", "running-balance", "rate-consistency"
    )
    ok: bool
    message: str
    expected: Decimal | None = None
    actual: Decimal | None = None
    evidence: tuple[SourceRef, ...] = ()
    message_zh: str = ""


@dataclass(**_FROZEN)
class Unread:
    """A row of a statement that could not be identified with confidence (not an installment, a charge, a
    repayment or a total), kept with its evidence. It never becomes a record or a finding."""

    reason: str
    source: SourceRef
    reason_zh: str = ""


@dataclass(**_FROZEN)
class Statement:
    """What a lender claims about one loan."""

    terms: LoanTerms
    installments: tuple[Installment, ...] = ()
    charges: tuple[Charge, ...] = ()
    repayments: tuple[CreditedRepayment, ...] = ()
    declared_totals: tuple[DeclaredTotal, ...] = ()
    as_of: date | None = None
    settled_on: date | None = None
    checks: tuple[SelfCheck, ...] = ()
    sources: tuple[SourceRef, ...] = ()
    unread: tuple[Unread, ...] = ()
    quality: Quality | None = None


class Severity(str, Enum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    INFO = "info"


@dataclass(**_FROZEN)
class Finding:
    code: str  # stable kebab-case: already-paid, double-counted, misreported, not-credited, ...
    severity: Severity
    amount: Decimal  # the amount in dispute
    message_zh: str
    message_en: str
    evidence: tuple[SourceRef, ...]
    kind: str | None = None
    loan: str | None = None
    installment: int | None = None
    expected: Decimal | None = None
    actual: Decimal | None = None
    basis: str = ""  # in English
    id: str = ""
    unverified: bool = False  # made from a statement that was not read reliably, at the user's request
    basis_zh: str = ""  # the basis in Chinese
    unit: str = "money"  # what expected and actual are: money, or (rate-above-cap) annual rates
    advice_zh: str = ""  # what the borrower should check first (shown to them, never put in a letter)
    advice_en: str = ""


@dataclass(**_FROZEN)
class Notice:
    """Something the user should know about an input that is not an error: a mismatch with the file's own
    summary, an Excel re-save, a row that could not be used."""

    code: str
    message: str
    where: str = ""
    message_zh: str = ""
    path: str = ""  # the input it is about, when it travels beyond its extraction


@dataclass(**_FROZEN)
class Quality:
    """How far a statement's reading can be trusted. ``high``: everything was read and checks out; ``medium``:
    rows or values that could not be read, so nothing is claimed about money they might hold; ``low``: the
    table itself was not read reliably (no installments, rows missing, columns that do not add up), so no
    finding is made from it unless the user asks for unverified findings."""

    level: str  # high | medium | low
    reasons: tuple[Notice, ...] = ()

    @property
    def reliable(self) -> bool:
        return self.level != "low"


@dataclass(**_FROZEN)
class Withheld:
    """Findings not reported for a loan because a statement behind them was not read reliably."""

    loan: str
    path: str
    level: str
    reasons: tuple[Notice, ...]
    codes: tuple[str, ...] = ()  # the codes of the findings withheld (empty when there were none)
    unverified: bool = False  # the findings were reported anyway, marked unverified, at the user's request


@dataclass(**_FROZEN)
class Coverage:
    """The days the payment files speak for, against the installments a loan's statements say fell due."""

    loan: str
    start: date | None
    end: date | None
    due_from: date | None
    due_to: date | None
    missing: tuple[
        str, ...
    ] = ()  # months (YYYY-MM) in which installments fell due that no payment file covers
    files: tuple[str, ...] = ()


@dataclass(**_FROZEN)
class Extraction:
    """Everything read from one input file."""

    path: str
    sha256: str
    extractor: str
    role: Role
    payments: Sequence[Payment] = ()  # a tuple, or a LazyRecords for a large export read by columns
    statement: Statement | None = None
    metadata: Mapping[str, str] = field(default_factory=dict)
    checks: tuple[SelfCheck, ...] = ()
    notices: tuple[Notice, ...] = ()

    @property
    def record_count(self) -> int:
        if self.statement is not None:
            s = self.statement
            return len(s.installments) + len(s.charges) + len(s.repayments)
        return len(self.payments)

    def payments_records(self, money: str = "decimal") -> list[dict[str, Any]]:
        """The payments as plain dicts (`reconcile.tables.PAYMENT_COLUMNS`), money exact (Decimal, or
        exact strings with ``money="str"``)."""
        from .tables import payment_records

        return list(payment_records(self, money))

    def payments_frame(self, money: str = "decimal") -> Any:
        """The payments as a pandas DataFrame (needs pandas): money exact, rows as nullable integers."""
        from .tables import PAYMENT_COLUMNS, frame, payment_records

        return frame(payment_records(self, money), PAYMENT_COLUMNS)


@dataclass(**_FROZEN)
class Result:
    """The outcome of a reconciliation: the inputs read and the findings made."""

    inputs: tuple[Extraction, ...]
    findings: tuple[Finding, ...] = ()
    as_of: date | None = None
    withheld: tuple[Withheld, ...] = ()
    coverage: tuple[Coverage, ...] = ()
    settings: Mapping[str, Any] = field(default_factory=dict)  # the settings the reconciliation ran with
    cases: tuple[LoanCase, ...] = field(default=(), compare=False, repr=False, metadata={"json": False})

    @property
    def disputed(self) -> Decimal:
        return sum((f.amount for f in self.findings), Decimal("0.00"))

    def findings_records(self, money: str = "decimal") -> list[dict[str, Any]]:
        """The findings as plain dicts (`reconcile.tables.FINDING_COLUMNS`), money exact."""
        from .tables import finding_records

        return finding_records(self, money)

    def findings_frame(self, money: str = "decimal") -> Any:
        """The findings as a pandas DataFrame (needs pandas): money exact, installment a nullable integer."""
        from .tables import FINDING_COLUMNS, finding_records, frame

        return frame(finding_records(self, money), FINDING_COLUMNS)

    @property
    def reliable(self) -> bool:
        """Whether anything in this result can be relied on: some loan whose statements were read reliably (or
        the user asked for unverified findings)."""
        unreliable = {w.loan for w in self.withheld if w.level == "low" and not w.unverified}
        return not unreliable or any(c.key not in unreliable for c in self.cases)
