"""The JSON of a reconciliation, schema ``reconcile.findings/1`` (documented in the README)."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from ..model import Result, source_json, to_json
from ..money import format_amount

SCHEMA = "reconcile.findings/1"
ZERO = Decimal("0.00")


def summary(result: Result) -> dict[str, Any]:
    """Totals: claimed (what the lenders say is owed now), paid (settled payments towards the loans), disputed
    (the sum of finding amounts) and recomputed (claimed less disputed)."""
    claimed = paid = ZERO
    for case in result.cases:
        for claim in case.claims:
            inst = claim.installment
            if case.as_of and inst.due_date and inst.due_date > case.as_of:
                continue
            unpaid = case.claimed_unpaid(inst)
            claimed += unpaid or ZERO
        for _, st in case.statements:
            claimed += sum((c.amount for c in st.charges if c.kind in ("fee", "penalty", "interest")), ZERO)
        paid += sum((p.amount for p in case.payments), ZERO)
    disputed = sum((f.amount for f in result.findings), ZERO)
    by_code: dict[str, dict[str, Any]] = {}
    for f in result.findings:
        entry = by_code.setdefault(f.code, {"count": 0, "amount": ZERO})
        entry["count"] += 1
        entry["amount"] += f.amount
    return {
        "claimed": format_amount(claimed),
        "paid": format_amount(paid),
        "recomputed": format_amount(max(claimed - disputed, ZERO)),
        "disputed": format_amount(disputed),
        "by_code": {
            k: {"count": v["count"], "amount": format_amount(v["amount"])} for k, v in sorted(by_code.items())
        },
    }


def document(result: Result) -> dict[str, Any]:
    from .extract import generated_by

    loans = []
    for case in result.cases:
        t = case.terms
        loans.append(
            {
                "key": case.key,
                "lender": t.lender,
                "product": t.product.value if t.product else None,
                "loan_id": t.loan_id,
                "principal": format_amount(t.principal) if t.principal is not None else None,
                "as_of": case.as_of.isoformat() if case.as_of else None,
                "settled_on": case.settled[0].isoformat() if case.settled else None,
                "installments": len(case.claims),
                "payments": len(case.payments),
                "statements": [ex.path for ex, _ in case.statements],
                "excluded_payments": [
                    {**source_json(p.source), "amount": format_amount(p.amount), "reason": reason}
                    for p, reason in case.excluded
                ],
            }
        )
    return {
        "schema": SCHEMA,
        "generated_by": generated_by(),
        "as_of": result.as_of.isoformat() if result.as_of else None,
        "inputs": [
            {
                "path": ex.path,
                "sha256": ex.sha256,
                "extractor": ex.extractor,
                "role": ex.role.value,
                "records": ex.record_count,
            }
            for ex in result.inputs
        ],
        "loans": loans,
        "summary": summary(result),
        "findings": [
            {
                "id": f.id,
                "code": f.code,
                "kind": f.kind,
                "severity": f.severity.value,
                "loan": f.loan,
                "installment": f.installment,
                "amount": format_amount(f.amount),
                "expected": to_json(f.expected),
                "actual": to_json(f.actual),
                "message_zh": f.message_zh,
                "message_en": f.message_en,
                "basis": f.basis,
                "evidence": [source_json(e) for e in f.evidence],
            }
            for f in result.findings
        ],
    }


def render(result: Result) -> str:
    return json.dumps(document(result), ensure_ascii=False, indent=2) + "\n"
