"""What an Alipay 交易明细 export is made of, shared by its row-by-row reader (`alipay`) and its columnar reader
(`alipay_columnar`): the columns by their header names, the 收/支 values, how a row is classified, and where the
table ends."""

from __future__ import annotations

from ..model import Direction, PaymentKind
from ..read.table import Column

COLUMNS = (
    Column("time", ("交易时间", "交易创建时间")),
    Column("paid_time", ("付款时间",), required=False),
    Column("category", ("交易分类", "类型"), required=False),
    Column("counterparty", ("交易对方",)),
    Column("counterparty_account", ("对方账号",), required=False),
    Column("description", ("商品说明", "商品名称")),
    Column("direction", ("收/支",)),
    Column("amount", ("金额", "金额（元）", "金额(元)")),
    Column("method", ("收/付款方式",), required=False),
    Column("status", ("交易状态",)),
    Column("transaction_id", ("交易订单号", "交易号")),
    Column("merchant_order_id", ("商家订单号",), required=False),
    Column("note", ("备注",), required=False),
    Column("refunded", ("成功退款（元）", "成功退款(元)"), required=False),
    Column("fund_status", ("资金状态",), required=False),
)


CREDIT_CATEGORY = "信用借还"


def classify(
    category: str, description: str, counterparty: str, direction: Direction, status: str, transaction_id: str
) -> PaymentKind:
    """What an Alipay row is, from its category, description and status."""
    if category == "退款" or description.startswith("退款") or status == "退款成功":
        return PaymentKind.REFUND
    if "放款" in description or status == "放款成功":
        return PaymentKind.DISBURSEMENT
    if (
        category == CREDIT_CATEGORY
        or category == "信用卡还款"
        or "还款" in description
        or "还贷" in description
    ):
        return PaymentKind.REPAYMENT
    if direction is Direction.IN:
        return PaymentKind.INCOME
    if direction is Direction.NEUTRAL:
        return PaymentKind.TRANSFER
    return PaymentKind.PAYMENT


DIRECTIONS = {
    "支出": Direction.OUT, "收入": Direction.IN, "不计收支": Direction.NEUTRAL, "其他": Direction.NEUTRAL,
    "": Direction.NEUTRAL, "已支出": Direction.OUT, "已收入": Direction.IN,
}  # fmt: skip


def looks_like_date(text: str) -> bool:
    return len(text) >= 8 and text[:4].isdigit()
