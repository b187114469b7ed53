"""``double-counted``: the same installment or charge listed more than once."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from ..model import Charge, Finding, Installment, Severity
from .base import ZERO, make, yuan

CODE = "double-counted"
BASIS = "a debt is owed once (Civil Code Art. 557); the repeated statement rows cited"


def check(case, so_far: Sequence[Finding]) -> Iterable[Finding]:  # type: ignore[no-untyped-def]
    for _, st in case.statements:
        seen: dict[tuple[object, ...], Installment] = {}
        for inst in st.installments:
            key = (inst.period, inst.due_date, inst.principal, inst.interest, inst.total)
            first = seen.get(key)
            if first is None:
                seen[key] = inst
                continue
            claimed = case.claimed_unpaid(inst)
            amount = claimed if claimed is not None else (inst.total or ZERO)
            yield make(
                case,
                CODE,
                Severity.HIGH,
                amount,
                f"第{inst.period}期在同一份对账单中重复出现（{first.source.where()} 与 {inst.source.where()}），"
                f"重复计入 {yuan(amount)} 元。",
                f"Installment {inst.period} is listed twice in the same statement ({first.source.where()} "
                f"and {inst.source.where()}); {yuan(amount)} is counted twice.",
                [first.source, inst.source],
                installment=inst.period,
                expected=ZERO,
                actual=amount,
                basis=BASIS,
            )
        charges: dict[tuple[object, ...], Charge] = {}
        for charge in st.charges:
            charge_key = (charge.kind, charge.description, charge.amount, charge.date)
            earlier = charges.get(charge_key)
            if earlier is None:
                charges[charge_key] = charge
                continue
            yield make(
                case,
                CODE,
                Severity.HIGH,
                charge.amount,
                f"费用“{charge.description}”{yuan(charge.amount)} 元在对账单中重复列出。",
                f"The charge '{charge.description}' of {yuan(charge.amount)} is listed twice.",
                [earlier.source, charge.source],
                kind="charge",
                expected=ZERO,
                actual=charge.amount,
                basis=BASIS,
            )
