"""Findings and payments as tables, for tools that analyse many cases: plain records (a list of dicts, no
dependency) or pandas DataFrames (``pip install pandas``).

Money stays exact: `decimal.Decimal` objects by default, or exact strings (``money="str"``, ``"1084.01"``); never
floats. Installment numbers and rows are nullable integers in a frame (``Int64``), never floats with NaN.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from .records import stream

if TYPE_CHECKING:
    from .model import Extraction, Result

FINDING_COLUMNS = (
    "id", "code", "kind", "severity", "loan", "installment", "amount", "unit", "expected", "actual",
    "unverified", "message_zh", "message_en", "advice_zh", "basis", "basis_zh", "evidence",
)  # fmt: skip
PAYMENT_COLUMNS = (
    "timestamp", "amount", "direction", "kind", "status", "settled", "counterparty", "counterparty_account",
    "description", "category", "method", "transaction_id", "merchant_order_id", "product", "billing_period",
    "refund_of", "refunded", "currency", "path", "sha256", "sheet", "page", "row", "text",
)  # fmt: skip
_INTEGERS = ("installment", "page", "row")


def _money(value: Decimal | None, money: str) -> Decimal | str | None:
    if value is None:
        return None
    if money == "str":
        return f"{value:f}"
    if money != "decimal":
        raise ValueError(f"money must be 'decimal' or 'str', not {money!r}")
    return value


def finding_records(result: Result, money: str = "decimal") -> list[dict[str, Any]]:
    """One dict per finding (`FINDING_COLUMNS`); ``evidence`` names each cited file and place, ``; `` between."""
    out = []
    for f in result.findings:
        where = "; ".join(f"{r.path} {r.where()}".strip() for r in f.evidence)
        out.append(
            {
                "id": f.id,
                "code": f.code,
                "kind": f.kind,
                "severity": f.severity.value,
                "loan": f.loan,
                "installment": f.installment,
                "amount": _money(f.amount, money),
                "unit": f.unit,
                "expected": f.expected if f.unit == "rate" else _money(f.expected, money),
                "actual": f.actual if f.unit == "rate" else _money(f.actual, money),
                "unverified": f.unverified,
                "message_zh": f.message_zh,
                "message_en": f.message_en,
                "advice_zh": f.advice_zh,
                "basis": f.basis,
                "basis_zh": f.basis_zh,
                "evidence": where,
            }
        )
    return out


def payment_records(extraction: Extraction, money: str = "decimal") -> Iterable[dict[str, Any]]:
    """One dict per payment record (`PAYMENT_COLUMNS`), in file order, with where it came from. A large export's
    records are made one block at a time and not kept."""
    for p in stream(extraction.payments):
        s = p.source
        yield {
            "timestamp": p.timestamp,
            "amount": _money(p.amount, money),
            "direction": p.direction.value,
            "kind": p.kind.value,
            "status": p.status,
            "settled": p.settled,
            "counterparty": p.counterparty,
            "counterparty_account": p.counterparty_account,
            "description": p.description,
            "category": p.category,
            "method": p.method,
            "transaction_id": p.transaction_id,
            "merchant_order_id": p.merchant_order_id,
            "product": p.product.value if p.product else None,
            "billing_period": p.billing_period,
            "refund_of": p.refund_of,
            "refunded": _money(p.refunded, money),
            "currency": p.currency,
            "path": s.path,
            "sha256": s.sha256,
            "sheet": s.sheet,
            "page": s.page,
            "row": s.row,
            "text": s.text,
        }


def frame(records: Iterable[dict[str, Any]], columns: tuple[str, ...]) -> Any:
    """A DataFrame of ``records`` with ``columns`` in order: money and text as objects, numbers of installments,
    pages and rows as nullable integers."""
    import importlib

    try:
        pd = importlib.import_module("pandas")
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError("tables as DataFrames need pandas: pip install pandas") from exc
    df = pd.DataFrame.from_records(list(records), columns=list(columns))
    for name in _INTEGERS:
        if name in df.columns:
            df[name] = pd.array(df[name].tolist(), dtype="Int64")
    return df
