"""What a bank table is made of and what its rows say, shared by every bank layout (`bank.BankTable` and the
layouts declared in `banks`): every column a bank table may have with the names banks give it, the lines that
end a table or annotate it rather than record a transaction, and how a row's words classify it (repayments of
which credit product, refunds, disbursements)."""

from __future__ import annotations

import re

from ..model import Direction, PaymentKind, Product
from ..read.table import Column, Header
from ..vocab import product_of

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
#: A first cell that marks a total, an end marker or a note: the row is not a transaction.
FOOTER = re.compile(r"合计|总计|以上数据|仅供参考|END|^-{5,}|^—{2,}")
_REPAY = re.compile(r"还款|还贷|贷款归还|归还贷款|repay", re.I)
_LOAN_REPAY = re.compile(r"正常还款|约定还款|贷款还款|贷款归还|归还贷款|提前还款|逾期还款")
_CARD_WORDS = re.compile(r"信用卡|卡中心|银行卡中心|掌上生活|转账还款")


def has_amounts(header: Header) -> bool:
    """Whether the header names an amount: one signed column, or income and expense columns."""
    cols = header.columns
    return "amount" in cols or "income" in cols or "expense" in cols


def date_like(text: str) -> bool:
    """Whether a cell starts like a date (a row holding nothing else is still read; other lone text is a note)."""
    return bool(re.match(r"\d{4}[-/.年]?\d{1,2}|\d{1,2}/\d{1,2}$|\d{8}", text))


def classify(summary: str, text: str, direction: Direction, card: bool) -> tuple[PaymentKind, Product | None]:
    """A row's kind and credit product, from its 摘要 (``summary``) and from its 摘要, note and counterparty
    together (``text``); ``card`` on a credit card statement."""
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
