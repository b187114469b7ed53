"""The reconciliation: group statements into loans, find the payments that concern each loan, match them, and
run every rule. `reconcile()` works on extracted records; `reconcile.api.check()` extracts files first. Which
payments concern which loan is decided in `reconcile.selection`."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from .case import LoanCase
from .config import Config
from .match import build_claims, match
from .model import (
    Coverage,
    Extraction,
    Finding,
    LoanTerms,
    Notice,
    PaymentKey,
    Result,
    Role,
    SourceRef,
    Statement,
    Withheld,
)
from .records import LazyRecords
from .selection import candidate_payments, collect_payments, concern_words, distinct_payments
from .statements.stitch import stitch
from .texts import Text

ZERO = Decimal("0.00")


def loan_key(st: Statement, ex: Extraction) -> str:
    t = st.terms
    if t.loan_id:
        return t.loan_id
    product = t.product.value if t.product else ""
    return f"{t.lender or Path(ex.path).name}{'/' + product if product else ''}"


def group_loans(extractions: Sequence[Extraction], config: Config) -> list[LoanCase]:
    cases: dict[str, LoanCase] = {}
    certificates: list[tuple[Extraction, Statement]] = []
    for ex in extractions:
        if ex.statement is None:
            continue
        if ex.statement.settled_on and not ex.statement.installments:
            certificates.append((ex, ex.statement))
            continue
        key = loan_key(ex.statement, ex)
        case = cases.get(key)
        if case is None:
            t = ex.statement.terms
            product = t.product
            case = cases[key] = LoanCase(key, [], t, product, config=config)
        case.statements.append((ex, ex.statement))
        case.terms = _merge_terms(case.terms, ex.statement.terms)
        case.product = case.product or ex.statement.terms.product
    for ex, cert in certificates:
        target = cases.get(cert.terms.loan_id) if cert.terms.loan_id else None
        if target is None:
            same = [c for c in cases.values() if cert.terms.lender and cert.terms.lender == c.terms.lender]
            target = same[0] if len(same) == 1 else None
        if target is None:
            key = loan_key(cert, ex)
            target = cases.setdefault(key, LoanCase(key, [], cert.terms, cert.terms.product, config=config))
        target.statements.append((ex, cert))
        assert cert.settled_on is not None
        target.settled = (
            cert.settled_on,
            cert.sources[0] if cert.sources else SourceRef(path=ex.path, sha256=ex.sha256),
        )
    for case in cases.values():
        case.loans_of_product = sum(1 for c in cases.values() if c.product is case.product)
        as_of = config.as_of or max((st.as_of for _, st in case.statements if st.as_of), default=None)
        case.as_of = as_of
        installments = [i for _, st in case.statements for i in st.installments]
        case.claims = build_claims(installments, case.terms.start_date)
    return sorted(cases.values(), key=lambda c: c.key)


def _merge_terms(a: LoanTerms, b: LoanTerms) -> LoanTerms:
    changes = {}
    for name in (
        "lender",
        "product",
        "loan_id",
        "principal",
        "start_date",
        "periods",
        "method",
        "rate",
        "penalty",
        "due_day",
    ):
        if not getattr(a, name) and getattr(b, name):
            changes[name] = getattr(b, name)
    if not a.rates and b.rates:
        changes["rates"] = b.rates
    if not a.fees and b.fees:
        changes["fees"] = b.fees
    return replace(a, **changes) if changes else a


def distinct_inputs(extractions: Sequence[Extraction]) -> list[Extraction]:
    """The inputs in a canonical order (so the result does not depend on the order files were given in), each
    file read once: an input with the same content (sha256) as another, also inside a ZIP, is dropped and the
    one kept says so."""
    kept: dict[tuple[str, str, str], Extraction] = {}
    again: dict[tuple[str, str, str], list[str]] = {}
    for ex in sorted(extractions, key=lambda e: (e.role.value, e.sha256, e.extractor, e.path)):
        key = (ex.sha256, ex.extractor, ex.metadata.get("part", ""))
        if key in kept:
            again.setdefault(key, []).append(ex.path)
        else:
            kept[key] = ex
    out = []
    for key, ex in kept.items():
        if key in again:
            names = ", ".join(again[key])
            ex = replace(
                ex,
                notices=(
                    *ex.notices,
                    Notice(
                        code="same-file",
                        message=f"the same file was also given as {names}; it was read once",
                        message_zh=f"同一文件又以 {names} 给出，只读取一次",
                        path=ex.path,
                    ),
                ),
            )
        out.append(ex)
    return out


def reconcile(extractions: Sequence[Extraction], config: Config | None = None) -> Result:
    """Every finding for the statements and payments in ``extractions``."""
    from .rules import RULES

    config = config or Config()
    extractions = distinct_inputs(stitch(extractions))
    cases = group_loans(extractions, config)
    aliases = tuple(config.aliases)
    words = [w for case in cases for w in concern_words(case, aliases)]
    payments = distinct_payments(candidate_payments(extractions, words))
    # Phase 1: match every loan, exact explanations only. A payment settles at most its own amount across all
    # loans: one that a loan has used is not offered to the next (several 借呗 loans share one kind of row).
    claimed_by: dict[PaymentKey, str] = {}

    def run(case: LoanCase, partial: bool) -> None:
        case.result = match(
            case.claims,
            case.payments,
            tolerance=config.tolerance,
            window=config.window,
            max_split=config.max_split,
            max_combined=config.max_combined,
            partial=partial,
        )

    for case in cases:
        collect_payments(case, payments, config)
        case.payments = [p for p in case.payments if p.key not in claimed_by]
        run(case, partial=len(cases) == 1)
        for m in case.result.matches.values() if case.result else ():
            for a in m.allocations:
                claimed_by.setdefault(a.payment.key, case.key)
    # With several loans, match again with part payments, each loan seeing only what no other loan used.
    if len(cases) > 1:
        for case in cases:
            collect_payments(case, payments, config)
            keep = []
            for p in case.payments:
                owner = claimed_by.get(p.key)
                if owner is None or owner == case.key:
                    keep.append(p)
                else:
                    case.excluded.append((p, Text(f"已用于贷款 {owner}", f"used for loan {owner}")))
            case.payments = keep
            run(case, partial=True)
            for m in case.result.matches.values() if case.result else ():
                for a in m.allocations:
                    claimed_by.setdefault(a.payment.key, case.key)
    # Phase 2: the rules, once every loan has had its payments.
    used_anywhere = set(claimed_by)
    findings: list[Finding] = []
    withheld: list[Withheld] = []
    for case in cases:
        case.coverage = loan_coverage(case, extractions, config)
        case.used_elsewhere = {i for i, key in claimed_by.items() if key != case.key} & used_anywhere
        loan_findings: list[Finding] = []
        for rule in RULES:  # each after the codes it reads, given only their findings
            earlier = [f for f in loan_findings if f.code in rule.after]
            loan_findings.extend(rule.check(case, earlier))
        kept, held = gate(case, loan_findings, config)
        findings.extend(kept)
        withheld.extend(held)
    findings = _number(findings)
    as_of = config.as_of or max((c.as_of for c in cases if c.as_of), default=None)
    coverage = tuple(case.coverage for case in cases if case.coverage is not None)
    return Result(
        inputs=tuple(extractions),
        findings=tuple(findings),
        as_of=as_of,
        withheld=tuple(withheld),
        coverage=coverage,
        settings=config.settings(),
        cases=tuple(cases),
    )


#: Findings a statement read with medium confidence cannot support: a repayment it does not show may be in a
#: row that could not be read.
NEEDS_COMPLETE = frozenset({"not-credited"})


def gate(case: LoanCase, found: Sequence[Finding], config: Config) -> tuple[list[Finding], list[Withheld]]:
    """Findings a loan's statements can support. A statement read with low confidence supports none; one with
    unread rows or values supports no ``not-credited``. The rest are withheld, and the user told why, or with
    ``config.unverified`` kept and marked unverified."""
    kept: list[Finding] = []
    held: list[Withheld] = []
    for ex, st in case.statements:
        quality = st.quality
        if quality is None or quality.level == "high":
            continue
        doubtful = list(found) if quality.level == "low" else [f for f in found if f.code in NEEDS_COMPLETE]
        held.append(
            Withheld(
                loan=case.key,
                path=ex.path,
                level=quality.level,
                reasons=quality.reasons,
                codes=tuple(sorted({f.code for f in doubtful})),
                unverified=config.unverified,
            )
        )
    low = any(w.level == "low" for w in held)
    for f in found:
        suspect = low or (held and f.code in NEEDS_COMPLETE)
        if not suspect:
            kept.append(f)
        elif config.unverified:
            kept.append(
                replace(
                    f,
                    unverified=True,
                    message_zh="【未经核实：对账单未能完整读取】" + f.message_zh,
                    message_en="[Unverified: the statement was not read completely] " + f.message_en,
                )
            )
    return kept, held


def loan_coverage(case: LoanCase, extractions: Sequence[Extraction], config: Config) -> Coverage:
    """The days the payment files speak for against the months in which the loan's installments fell due (by
    the statement date); a month none of the files covers is named."""
    spans: list[tuple[date, date]] = []
    files: list[str] = []
    for ex in extractions:
        if ex.role is not Role.PAYMENTS:
            continue
        span = _span(ex)
        if span is not None:
            spans.append(span)
            files.append(ex.path)
    dues = sorted(
        {
            i.due_date
            for _, st in case.statements
            for i in st.installments
            if i.due_date and (case.as_of is None or i.due_date <= case.as_of)
        }
    )
    missing = sorted({f"{d:%Y-%m}" for d in dues if not any(start <= d <= end for start, end in spans)})
    return Coverage(
        loan=case.key,
        start=min((a for a, _ in spans), default=None),
        end=max((b for _, b in spans), default=None),
        due_from=dues[0] if dues else None,
        due_to=dues[-1] if dues else None,
        missing=tuple(missing),
        files=tuple(files),
    )


def _span(ex: Extraction) -> tuple[date, date] | None:
    """The days a payment export covers: the period it declares, else its first and last rows."""
    from .dates import parse_date
    from .errors import ParseError

    start = end = None
    try:
        if ex.metadata.get("period_start"):
            start = parse_date(ex.metadata["period_start"])
        if ex.metadata.get("period_end"):
            end = parse_date(ex.metadata["period_end"])
    except ParseError:
        start = end = None
    records = ex.payments
    if isinstance(records, LazyRecords) and records.lookup is not None:
        rows = records.lookup.span()
    else:
        days = [p.timestamp.date() for p in ex.payments]
        rows = (min(days), max(days)) if days else None
    if rows is not None:  # the rows themselves, where they reach beyond what the file declares
        start = min(start, rows[0]) if start else rows[0]
        end = max(end, rows[1]) if end else rows[1]
    if start is None or end is None:
        return None
    return (start, end) if start <= end else (end, start)


def _number(findings: Iterable[Finding]) -> list[Finding]:
    def key(f: Finding) -> tuple[object, ...]:
        first = f.evidence[0] if f.evidence else SourceRef(path="", sha256="")
        return (
            f.loan or "",
            f.installment or 0,
            f.code,
            f.kind or "",
            first.path,
            first.page or 0,
            first.row or 0,
            f.amount,
        )

    ordered = sorted(findings, key=key)
    return [replace(f, id=f"F{i:03d}") for i, f in enumerate(ordered, start=1)]


def day(d: date | None, days: int) -> date | None:
    return d + timedelta(days=days) if d else None
