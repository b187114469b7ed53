"""``ambiguous``: more than one equally good explanation; a human has to decide. Lists the candidates."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from ..model import Finding, Severity
from ..texts import BASES, Text
from .base import ZERO, Rule, make, yuan

if TYPE_CHECKING:
    from ..case import LoanCase

CODE = "ambiguous"


def check(case: LoanCase, so_far: Sequence[Finding]) -> Iterable[Finding]:
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


RULE = Rule(
    code=CODE,
    name=Text("无法唯一对应，需人工核对", "ambiguous, to be checked by hand"),
    severity=Severity.LOW,
    request="提供该期的入账明细，以便核对",
    check=check,
    after=(),
)
