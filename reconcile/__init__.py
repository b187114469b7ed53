"""reconcile: check lenders' bills against what was actually paid, exactly and offline, with evidence.

Library use::

    import reconcile
    for ex in reconcile.extract("支付宝交易明细(20240101-20240331).csv"):
        for p in ex.payments:
            print(p.timestamp, p.amount, p.source.row)
"""

from __future__ import annotations

from .config import Config, Deferral
from .engine import check, reconcile
from .errors import (
    AmbiguousFormat,
    BadFile,
    ConfigError,
    ExtractionError,
    NeedsPassword,
    ParseError,
    ReconcileError,
    UnknownFormat,
    WrongPassword,
)
from .extractors import extract, registry
from .model import (
    Charge,
    CreditedRepayment,
    DeclaredTotal,
    Direction,
    Extraction,
    Finding,
    Installment,
    LoanTerms,
    Notice,
    Payment,
    PaymentKind,
    PenaltyRule,
    Product,
    Rate,
    RateUnit,
    RepaymentMethod,
    Result,
    Role,
    SelfCheck,
    Severity,
    SourceRef,
    Statement,
    to_json,
)
from .money import parse_amount

__version__ = "0.1.0"

__all__ = [
    "AmbiguousFormat",
    "BadFile",
    "Charge",
    "Config",
    "ConfigError",
    "CreditedRepayment",
    "DeclaredTotal",
    "Deferral",
    "Direction",
    "Extraction",
    "ExtractionError",
    "Finding",
    "Installment",
    "LoanTerms",
    "NeedsPassword",
    "Notice",
    "ParseError",
    "Payment",
    "PaymentKind",
    "PenaltyRule",
    "Product",
    "Rate",
    "RateUnit",
    "ReconcileError",
    "RepaymentMethod",
    "Result",
    "Role",
    "SelfCheck",
    "Severity",
    "SourceRef",
    "Statement",
    "UnknownFormat",
    "WrongPassword",
    "__version__",
    "check",
    "extract",
    "parse_amount",
    "reconcile",
    "registry",
    "to_json",
]
