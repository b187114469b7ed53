"""Credit products and repayment methods as payment records and statements name them."""

from __future__ import annotations

import re

from ..model import Product, RepaymentMethod

# ------------------------------------------------------------------------------------------- products

#: Texts that name each credit product's lender in payment records.
PRODUCT_ALIASES: dict[Product, tuple[str, ...]] = {
    Product.JIEBEI: ("借呗", "蚂蚁借呗", "重庆蚂蚁消费金融", "蚂蚁消费金融"),
    Product.HUABEI: ("花呗",),
    Product.WEILIDAI: ("微粒贷", "微众银行", "WeBank"),
    Product.BAITIAO: ("白条", "京东金融"),
    Product.YUEFU: ("月付",),
}
#: The consumer-credit products whose repayments a payment export names by product.
CONSUMER_PRODUCTS = frozenset(PRODUCT_ALIASES)

#: How a payment record names its credit product (the first pattern that matches wins: 花呗 is never 借呗).
PRODUCT_PATTERNS: tuple[tuple[re.Pattern[str], Product], ...] = (
    (re.compile(r"借呗|蚂蚁消费金融"), Product.JIEBEI),
    (re.compile(r"花呗"), Product.HUABEI),
    (re.compile(r"微粒贷|微众银行|WeBank", re.I), Product.WEILIDAI),
    (re.compile(r"白条"), Product.BAITIAO),
    (re.compile(r"月付"), Product.YUEFU),
    (re.compile(r"信用卡"), Product.CREDIT_CARD),
    (re.compile(r"贷款|网商贷|借款|分期还款"), Product.BANK_LOAN),
)


# ------------------------------------------------------------------------------------------- methods

#: Repayment methods as statements print them (matched in this order inside the method's text).
METHODS = {
    "等额本息": RepaymentMethod.EQUAL_INSTALLMENT, "每月等额": RepaymentMethod.EQUAL_INSTALLMENT,
    "等额本金": RepaymentMethod.EQUAL_PRINCIPAL, "先息后本": RepaymentMethod.INTEREST_ONLY,
    "按月付息到期还本": RepaymentMethod.INTEREST_ONLY, "按月付息": RepaymentMethod.INTEREST_ONLY,
    "一次性还本付息": RepaymentMethod.BULLET, "到期还本付息": RepaymentMethod.BULLET, "等本等息": RepaymentMethod.FLAT,
    "随借随还": RepaymentMethod.FLEXIBLE, "equal installment": RepaymentMethod.EQUAL_INSTALLMENT,
    "equal principal": RepaymentMethod.EQUAL_PRINCIPAL, "interest only": RepaymentMethod.INTEREST_ONLY,
    "每月付息": RepaymentMethod.INTEREST_ONLY, "按期付息": RepaymentMethod.INTEREST_ONLY,
    "按季付息": RepaymentMethod.INTEREST_ONLY, "利随本清": RepaymentMethod.BULLET,
    "一次还本付息": RepaymentMethod.BULLET,
    "到期一次": RepaymentMethod.BULLET, "等额还款": RepaymentMethod.EQUAL_INSTALLMENT,
    "equal monthly instal": RepaymentMethod.EQUAL_INSTALLMENT, "equal instal": RepaymentMethod.EQUAL_INSTALLMENT,
    "annuity": RepaymentMethod.EQUAL_INSTALLMENT, "straight-line": RepaymentMethod.EQUAL_PRINCIPAL,
    "interest-only": RepaymentMethod.INTEREST_ONLY, "bullet": RepaymentMethod.BULLET,
    "lump sum": RepaymentMethod.BULLET, "flat rate": RepaymentMethod.FLAT, "add-on": RepaymentMethod.FLAT,
}  # fmt: skip

#: The names `reconcile schedule --method` takes, besides the Chinese ones above.
METHOD_NAMES = {
    "equal-installment": RepaymentMethod.EQUAL_INSTALLMENT,
    "equal-principal": RepaymentMethod.EQUAL_PRINCIPAL,
    "interest-only": RepaymentMethod.INTEREST_ONLY,
    "bullet": RepaymentMethod.BULLET,
    "flat": RepaymentMethod.FLAT,
}


def method_named(name: str) -> RepaymentMethod | None:
    """The repayment method a user named exactly (``equal-installment``, ``等额本息`` ...), or None."""
    key = name.strip().lower()
    return METHOD_NAMES.get(key) or METHODS.get(key)


def product_of(*texts: str) -> Product | None:
    """The credit product named in any of the texts (the first that names one). 花呗 is never 借呗."""
    for text in texts:
        if not text:
            continue
        for pattern, product in PRODUCT_PATTERNS:
            if pattern.search(text):
                return product
    return None
