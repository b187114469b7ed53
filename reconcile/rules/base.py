"""Helpers shared by the rules: building a finding and knowing which installments are already disputed."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from ..model import Finding, Severity, SourceRef
from ..money import format_amount
from ..texts import Text

ZERO = Decimal("0.00")


def yuan(amount: Decimal | None) -> str:
    return "" if amount is None else format_amount(amount)


def make(
    case: object,
    code: str,
    severity: Severity,
    amount: Decimal,
    zh: str,
    en: str,
    evidence: Sequence[SourceRef],
    *,
    kind: str | None = None,
    installment: int | None = None,
    expected: Decimal | None = None,
    actual: Decimal | None = None,
    basis: Text | None = None,
    advice: Text | None = None,
) -> Finding:
    refs = tuple(dict.fromkeys(evidence))  # each piece of evidence once, in order
    return Finding(
        code=code,
        kind=kind,
        severity=severity,
        amount=amount.quantize(Decimal("0.01")),
        message_zh=zh,
        message_en=en,
        evidence=refs,
        loan=getattr(case, "key", None),
        installment=installment,
        expected=expected,
        actual=actual,
        basis=basis.en if basis else "",
        basis_zh=basis.zh if basis else "",
        advice_zh=advice.zh if advice else "",
        advice_en=advice.en if advice else "",
    )


def disputed_installments(findings: Sequence[Finding], *codes: str) -> set[int]:
    """Installments whose whole claimed amount an earlier finding already disputes."""
    return {f.installment for f in findings if f.installment is not None and f.code in codes and f.amount > 0}
