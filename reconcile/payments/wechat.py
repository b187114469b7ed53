"""微信支付 (WeChat Pay) bill exports (FORMATS.md §2): CSV (until mid-2025), XLSX v1 (amounts as ``¥`` text,
header on row 17) and XLSX v2 (numeric amounts formatted ``\\¥#,##0.00``, one more note, header on row 18).

Refund semantics: the original row keeps its amount with status ``已全额退款`` / ``已退款(¥x)``, and a separate
``…-退款`` row carries the money back. The original is recorded with ``refunded`` set and the refund row as a
`PaymentKind.REFUND` linked to it, so a refund is never subtracted twice.
"""

from __future__ import annotations

import re
from typing import ClassVar

from ..model import Direction, PaymentKind, Product, Role
from ..read.table import Column, Sheet
from ..vocab import product_of
from .wallet import Classified, WalletExtractor

_TRANSFER_TYPES = re.compile(r"零钱提现|零钱充值|零钱通|理财通|转入|转出|充值|提现|经营账户")
_REPAY_TYPES = re.compile(r"信用卡还款|还款")


class WeChatPay(WalletExtractor):
    name = "wechat"
    role = Role.PAYMENTS
    file_types = ("csv", "txt", "xlsx")
    description = "微信支付 账单明细: CSV (to 2025) and XLSX v1/v2 (2025 on), also inside the password ZIP"
    label = "WeChat Pay"
    markers = ("微信支付账单明细", "交易单号", "当前状态")
    columns = (
        Column("time", ("交易时间",)),
        Column("category", ("交易类型",)),
        Column("counterparty", ("交易对方",)),
        Column("description", ("商品",), required=False),
        Column("direction", ("收/支",)),
        Column("amount", ("金额(元)", "金额（元）", "金额")),
        Column("method", ("支付方式",), required=False),
        Column("status", ("当前状态",)),
        Column("transaction_id", ("交易单号",)),
        Column("merchant_order_id", ("商户单号",), required=False),
        Column("note", ("备注",), required=False),
    )
    meta_keys: ClassVar[dict[str, str]] = {
        "微信昵称": "nickname", "起始时间": "period_start", "终止时间": "period_end", "导出类型": "export_type",
        "导出时间": "exported_at",
    }  # fmt: skip
    comma_fields = ("counterparty", "description")
    columnar_fields = ("category", "counterparty", "description", "method")
    columnar_words: ClassVar[dict[str, tuple[str, ...]]] = {
        "counterparty": ("还款",),
        "description": ("还款", "放款"),
    }

    @classmethod
    def classify(cls, row: dict[str, str], direction: Direction) -> Classified:
        tx_type, counterparty, goods = row["category"], row["counterparty"], row.get("description", "")
        if tx_type.endswith("-退款") or tx_type == "退款":
            return PaymentKind.REFUND, None
        if (
            _REPAY_TYPES.search(tx_type)
            or "还款" in goods
            or ("还款" in counterparty and direction is not Direction.IN)
        ):
            return PaymentKind.REPAYMENT, product_of(counterparty, goods, tx_type) or Product.OTHER
        if "放款" in tx_type or "放款" in goods:
            return PaymentKind.DISBURSEMENT, product_of(counterparty, goods, tx_type)
        if direction is Direction.NEUTRAL or _TRANSFER_TYPES.search(tx_type):
            return PaymentKind.TRANSFER, None
        if direction is Direction.IN:
            return PaymentKind.INCOME, None
        return PaymentKind.PAYMENT, product_of(row.get("method", "")) if "分付" in row.get(
            "method", ""
        ) else None

    def layout(self, sheet: Sheet, start: int, cols: dict[str, int]) -> dict[str, str]:
        if sheet.name is None:
            return {"layout": "CSV"}
        return super().layout(sheet, start, cols)

    def sheet_layout(self, name: str, numeric_amounts: bool) -> dict[str, str]:
        return {
            "sheet": name,
            "layout": "XLSX v2 (numeric amounts)" if numeric_amounts else "XLSX v1 (text amounts)",
        }
