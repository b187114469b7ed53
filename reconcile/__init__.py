"""reconcile: check lenders' bills against what was actually paid, exactly and offline, with evidence.

Library use::

    import reconcile
    for ex in reconcile.extract("支付宝交易明细(20240101-20240331).csv"):
        for p in ex.payments:
            print(p.timestamp, p.amount, p.source.row)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

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

__version__ = "0.1.0"

if TYPE_CHECKING:
    from .api import check
    from .config import Config, Deferral
    from .documents import to_json
    from .engine import reconcile
    from .extractors import registry
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
    )
    from .money import parse_amount
    from .reading import extract

#: Names loaded on first use, by module: `import reconcile` stays cheap, and `reconcile.extract` can start
#: parsing a large workbook before the extractors are imported (see `reconcile.reading`).
_LAZY = {
    "Config": "config",
    "Deferral": "config",
    "check": "api",
    "reconcile": "engine",
    "extract": "reading",
    "registry": "extractors",
    "parse_amount": "money",
    "Charge": "model",
    "CreditedRepayment": "model",
    "DeclaredTotal": "model",
    "Direction": "model",
    "Extraction": "model",
    "Finding": "model",
    "Installment": "model",
    "LoanTerms": "model",
    "Notice": "model",
    "Payment": "model",
    "PaymentKind": "model",
    "PenaltyRule": "model",
    "Product": "model",
    "Rate": "model",
    "RateUnit": "model",
    "RepaymentMethod": "model",
    "Result": "model",
    "Role": "model",
    "SelfCheck": "model",
    "Severity": "model",
    "SourceRef": "model",
    "Statement": "model",
    "to_json": "documents",
}


def __getattr__(name: str) -> Any:
    """Load a public name's module on first use (see `_LAZY`)."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'reconcile' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)


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
