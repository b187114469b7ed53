"""``ambiguous``: more than one equally good explanation; a human has to decide. Lists the candidates."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from ..model import Finding, Severity
from ..texts import BASES
from .base import ZERO, make, yuan

CODE = "ambiguous"


def check(case, so_far: Sequence[Finding]) -> Iterable[Finding]:  # type: ignore[no-untyped-def]
    if case.result is None:
        return
    for amb in case.result.ambiguities:
        periods = "、".join(str(c.installment.period) for c in amb.claims)
        options = "; ".join(
            " + ".join(f"{p.timestamp:%Y-%m-%d} {yuan(p.amount)}" for p in option)
            for option in amb.candidates
        )
        refs = [c.installment.source for c in amb.claims] + [
            p.source for option in amb.candidates for p in option
        ]
        yield make(
            case,
            CODE,
            Severity.INFO,
            ZERO,
            f"第{periods}期的付款无法唯一确定（{options}），请人工核对。",
            f"Installment(s) {periods}: {amb.reason} ({options}); a person has to decide.",
            refs,
            installment=amb.claims[0].installment.period if len(amb.claims) == 1 else None,
            basis=BASES["ambiguous"],
        )
