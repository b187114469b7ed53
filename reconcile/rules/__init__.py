"""One module per finding code. Each rule looks at one loan (`engine.LoanCase`) and the findings already made
for it, and yields findings with evidence; no printing, no raising. The order matters only so a later rule can
avoid disputing money an earlier one already disputes (the disputed total is the sum of finding amounts)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from ..model import Finding
from . import (
    already_paid,
    ambiguous,
    deferral_breach,
    double_counted,
    misreported,
    not_credited,
    rate_above_cap,
)

Rule = Callable[[Any, Sequence[Finding]], Iterable[Finding]]

RULES: tuple[Rule, ...] = (
    double_counted.check,
    already_paid.check,
    misreported.check,
    ambiguous.check,
    not_credited.check,
    deferral_breach.check,
    rate_above_cap.check,
)
CODES = (
    "already-paid",
    "double-counted",
    "misreported",
    "not-credited",
    "rate-above-cap",
    "deferral-breach",
    "ambiguous",
)
