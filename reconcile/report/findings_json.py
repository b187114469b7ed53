"""The JSON of a reconciliation, schema ``reconcile.findings/1`` (documented in the README)."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ..jsonable import source_json, to_json
from ..model import Extraction, Finding, Notice, Quality, Result
from ..money import format_amount

if TYPE_CHECKING:
    from ..case import LoanCase

SCHEMA = "reconcile.findings/1"
ZERO = Decimal("0.00")


#: Findings about money the borrower paid that the lender does not show: disputed, but not part of the claim.
PAID_NOT_CREDITED = frozenset({"not-credited"})


def summary(result: Result, loan: str | None = None) -> dict[str, Any]:
    """Totals (of one loan, or of all): claimed (what the lenders say is owed now), paid (settled payments towards
    the loans), disputed (the sum of finding amounts), split into the part of the claim that is disputed
    (``disputed_claimed``: already paid, counted twice, not owed) and repayments the lender does not show
    (``disputed_not_credited``: money paid, not part of the claim), and recomputed (claimed less the disputed part
    of the claim). Disputed money can exceed the claim: a repayment the lender never credited is disputed
    though the lender claims nothing for it."""
    claimed = paid = ZERO
    for case in result.cases:
        if loan is not None and case.key != loan:
            continue
        for claim in case.claims:
            inst = claim.installment
            if case.as_of and inst.due_date and inst.due_date > case.as_of:
                continue
            unpaid = case.claimed_unpaid(inst)
            claimed += unpaid or ZERO
        for _, st in case.statements:
            claimed += sum((c.amount for c in st.charges if c.kind in ("fee", "penalty", "interest")), ZERO)
        paid += sum((p.amount for p in case.payments), ZERO)
    findings = [f for f in result.findings if loan is None or f.loan == loan]
    disputed = sum((f.amount for f in findings), ZERO)
    not_credited = sum((f.amount for f in findings if f.code in PAID_NOT_CREDITED), ZERO)
    of_claim = disputed - not_credited
    by_code: dict[str, dict[str, Any]] = {}
    for f in findings:
        entry = by_code.setdefault(f.code, {"count": 0, "amount": ZERO})
        entry["count"] += 1
        entry["amount"] += f.amount
    return {
        "claimed": format_amount(claimed),
        "paid": format_amount(paid),
        "recomputed": format_amount(max(claimed - of_claim, ZERO)),
        "disputed": format_amount(disputed),
        "disputed_claimed": format_amount(of_claim),
        "disputed_not_credited": format_amount(not_credited),
        "by_code": {
            k: {"count": v["count"], "amount": format_amount(v["amount"])} for k, v in sorted(by_code.items())
        },
    }


def document(result: Result) -> dict[str, Any]:
    """The whole JSON document: inputs, withheld findings, loans, the summary and every finding."""
    from .extract import generated_by

    return {
        "schema": SCHEMA,
        "generated_by": generated_by(),
        "as_of": result.as_of.isoformat() if result.as_of else None,
        "settings": dict(result.settings),
        "inputs": [_input(ex) for ex in result.inputs],
        "withheld": [
            {
                "loan": w.loan,
                "path": w.path,
                "read_quality": w.level,
                "codes": list(w.codes),
                "reported_unverified": w.unverified,
                "reasons": [_notice(n) for n in w.reasons],
            }
            for w in result.withheld
        ],
        "loans": [_loan(result, case) for case in result.cases],
        "summary": summary(result),
        "findings": [_finding(f) for f in result.findings],
    }


def _loan(result: Result, case: LoanCase) -> dict[str, Any]:
    t = case.terms
    return {
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
        "read_quality": _worst(case),
        "coverage": _coverage(result, case.key),
        "summary": summary(result, case.key),
        "excluded_payments": [
            {**source_json(p.source), "amount": format_amount(p.amount), "reason": reason.en}
            for p, reason in case.excluded
        ],
    }


def _input(ex: Extraction) -> dict[str, Any]:
    return {
        "path": ex.path,
        "sha256": ex.sha256,
        "extractor": ex.extractor,
        "role": ex.role.value,
        "records": ex.record_count,
        **(
            {"read_quality": _quality(ex.statement.quality)}
            if ex.statement is not None and ex.statement.quality is not None
            else {}
        ),
        "notices": [_notice(n) for n in ex.notices],
        "failed_checks": [
            {
                "code": c.code,
                "message_en": c.message,
                "message_zh": c.message_zh,
                "expected": to_json(c.expected),
                "actual": to_json(c.actual),
                "evidence": [source_json(e) for e in c.evidence],
            }
            for c in ex.checks
            if not c.ok
        ],
    }


def _finding(f: Finding) -> dict[str, Any]:
    return {
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
        "basis_zh": f.basis_zh,
        "unit": f.unit,
        "advice_zh": f.advice_zh,
        "advice_en": f.advice_en,
        "unverified": f.unverified,
        "evidence": [source_json(e) for e in f.evidence],
    }


def _notice(n: Notice) -> dict[str, Any]:
    return {
        "code": n.code,
        "where": n.where,
        "message_en": n.message,
        "message_zh": n.message_zh or n.message,
    }


def _quality(q: Quality) -> dict[str, Any]:
    return {"level": q.level, "reasons": [_notice(n) for n in q.reasons]}


def _worst(case: LoanCase) -> str:
    order = {"low": 0, "medium": 1, "high": 2}
    levels = [st.quality.level for _, st in case.statements if st.quality is not None]
    return min(levels, key=order.__getitem__, default="high")


def _coverage(result: Result, key: str) -> dict[str, Any] | None:
    cov = next((c for c in result.coverage if c.loan == key), None)
    if cov is None:
        return None
    return {
        "payments_from": to_json(cov.start),
        "payments_to": to_json(cov.end),
        "installments_due_from": to_json(cov.due_from),
        "installments_due_to": to_json(cov.due_to),
        "months_not_covered": list(cov.missing),
        "payment_files": list(cov.files),
    }


def render(result: Result) -> str:
    return json.dumps(document(result), ensure_ascii=False, indent=2) + "\n"
