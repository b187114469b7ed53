"""What a rule is (`Rule`: everything about one finding code in one place), and the helpers the rules share:
building a finding, and knowing which installments are already disputed."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from ..model import Finding, Severity, SourceRef
from ..money import format_amount
from ..texts import Text

if TYPE_CHECKING:
    from ..case import LoanCase

Check = Callable[["LoanCase", Sequence[Finding]], Iterable[Finding]]


@dataclass(frozen=True)
class Rule:
    """Everything about one finding code, declared by the module that makes such findings (``RULE``):

    - ``code``: the stable identifier in the JSON (``already-paid``);
    - ``name``: what a person reads, in Chinese and English;
    - ``severity``: how serious a finding of this code usually is (the finding may say otherwise);
    - ``request``: what a letter asks the lender to do about it (Chinese);
    - ``after``: the codes whose findings `check` reads (it is run after them and given only those);
    - ``check(case, earlier)``: the findings for one loan, given the earlier findings of the ``after`` codes.
    """

    code: str
    name: Text
    severity: Severity
    request: str
    check: Check
    after: tuple[str, ...] = ()


ZERO = Decimal("0.00")


def yuan(amount: Decimal | None) -> str:
    return "" if amount is None else format_amount(amount)


def make(
    case: LoanCase,
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
    unit: str = "money",
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
        loan=case.key,
        installment=installment,
        expected=expected,
        actual=actual,
        basis=basis.en if basis else "",
        basis_zh=basis.zh if basis else "",
        unit=unit,
        advice_zh=advice.zh if advice else "",
        advice_en=advice.en if advice else "",
    )


def disputed_installments(findings: Sequence[Finding], *codes: str) -> set[int]:
    """Installments whose whole claimed amount an earlier finding already disputes."""
    return {f.installment for f in findings if f.installment is not None and f.code in codes and f.amount > 0}
