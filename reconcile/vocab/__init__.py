"""The vocabulary lenders and payment apps print, in one place, used by the extractors, the engine and the CLI
alike:

- `columns`: what a statement column is called, in Chinese or English, with the prefixes and units real
  statements put around the words (应还本金（元）, 其中利息, 实还总额, Amount Paid, Total Due (RMB)). A header is
  read as a *side* and a *concept*: 应还本金 is (due, principal), 已还本金 (paid, principal), 未还利息
  (outstanding, interest). Words that name a running balance (剩余本金, 贷款余额, Balance) are recognised as
  such, so they are never taken for an amount due;
- `terms`: the keys of a terms block (借据号, 借款本金, 年化利率 ...) and declared totals;
- `statuses`: paid, partly paid, overdue, not yet due, owed;
- `products`: credit products and their lenders' names, repayment methods.
"""

from __future__ import annotations

from .columns import (
    AMOUNT_FIELDS,
    DATE_FIELDS,
    FIELD_ZH,
    PART_FIELDS,
    column_field,
    header_field,
    looks_like_header_word,
    norm,
)
from .products import (
    CONSUMER_PRODUCTS,
    METHOD_NAMES,
    METHODS,
    PRODUCT_ALIASES,
    PRODUCT_PATTERNS,
    method_named,
    product_of,
)
from .statuses import FUTURE_STATUSES, OVERDUE_STATUSES, PAID_STATUSES, PARTIAL_STATUSES, UNPAID_STATUSES
from .terms import declared_kind, key_values, term_kind

__all__ = [
    "AMOUNT_FIELDS",
    "CONSUMER_PRODUCTS",
    "DATE_FIELDS",
    "FIELD_ZH",
    "FUTURE_STATUSES",
    "METHODS",
    "METHOD_NAMES",
    "OVERDUE_STATUSES",
    "PAID_STATUSES",
    "PARTIAL_STATUSES",
    "PART_FIELDS",
    "PRODUCT_ALIASES",
    "PRODUCT_PATTERNS",
    "UNPAID_STATUSES",
    "column_field",
    "declared_kind",
    "header_field",
    "key_values",
    "looks_like_header_word",
    "method_named",
    "norm",
    "product_of",
    "term_kind",
]
