"""京东 (JD) 交易流水 CSV (FORMATS.md §3): UTF-8 with BOM, a 21-line preamble, TABs after the time and ids, and
partial refunds written inside the amount (``131.77(已退款89.84)``). 白条 repayments are credit repayments."""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar

from ..model import Direction, Payment, PaymentKind, Product, Role
from ..read.table import Column
from .wallet import Classified, WalletExtractor


class JdTransactions(WalletExtractor):
    name = "jd"
    role = Role.PAYMENTS
    file_types = ("csv", "txt")
    description = "京东 交易流水 CSV (白条 repayments; partial refunds inside the amount)"
    label = "JD"
    markers = ("京东", "交易订单号", "商户名称", "收/支")
    columns = (
        Column("time", ("交易时间",)),
        Column("counterparty", ("商户名称",)),
        Column("description", ("交易说明",)),
        Column("amount", ("金额",)),
        Column("method", ("收/付款方式",), required=False),
        Column("status", ("交易状态",)),
        Column("direction", ("收/支",)),
        Column("category", ("交易分类",), required=False),
        Column("transaction_id", ("交易订单号",)),
        Column("merchant_order_id", ("商家订单号",), required=False),
        Column("note", ("备注",), required=False),
    )
    meta_keys: ClassVar[dict[str, str]] = {
        "京东账号名": "account",
        "申请时间": "exported_at",
        "日期区间": "period",
        "导出交易类型": "export_type",
    }

    @classmethod
    def summary_amount(cls, payment: Payment) -> Decimal:
        """JD's summary counts a partly refunded payment net of its refund (特别提示 2)."""
        return payment.amount - (payment.refunded or 0)

    @classmethod
    def classify(cls, row: dict[str, str], direction: Direction) -> Classified:
        description, method = row.get("description", ""), row.get("method", "")
        if description.startswith("退款") or row["status"] == "退款成功":
            return PaymentKind.REFUND, None
        if "白条" in description and "还款" in description:
            return PaymentKind.REPAYMENT, Product.BAITIAO
        if "还款" in description:
            return PaymentKind.REPAYMENT, Product.OTHER
        credit = Product.BAITIAO if "白条" in method else (Product.OTHER if "先享后付" in method else None)
        if direction is Direction.IN:
            return PaymentKind.INCOME, None
        if direction is Direction.NEUTRAL and credit is None:
            return PaymentKind.TRANSFER, None
        return PaymentKind.PAYMENT, credit
