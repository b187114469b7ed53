"""One statement from what a reader found: its terms, its classified rows, its self-checks; every failed check
and every unread row becomes a notice the user sees."""

from __future__ import annotations

from dataclasses import replace

from ..inputs import InputFile
from ..model import Extraction, Notice, Role, SourceRef, Statement
from .cards import card_checks
from .checks import self_checks
from .quality import assess
from .rows import Parts
from .terms import TermsReader


def merge(*many: Parts) -> Parts:
    out = Parts()
    for p in many:
        out.installments += p.installments
        out.charges += p.charges
        out.repayments += p.repayments
        out.declared += p.declared
        out.notices += p.notices
        out.unread += p.unread
    return out


def check_notices(st: Statement) -> list[Notice]:
    """A notice for each of the statement's checks that failed."""
    return [
        Notice(
            code=c.code,
            message=c.message,
            where=c.evidence[0].where() if c.evidence else "",
            message_zh=c.message_zh,
        )
        for c in st.checks
        if not c.ok
    ]


def assemble(
    inp: InputFile,
    extractor: str,
    terms: TermsReader,
    parts: Parts,
    *,
    card: bool,
    header: SourceRef,
    metadata: dict[str, str],
) -> Extraction:
    """One statement from its rows and terms, checked against itself; failed checks become notices."""
    notices: list[Notice] = []
    loan_terms, as_of, settled_on, declared = terms.terms(notices)
    statement = Statement(
        terms=loan_terms,
        installments=tuple(parts.installments),
        charges=tuple(parts.charges),
        repayments=tuple(parts.repayments),
        declared_totals=tuple(declared + parts.declared),
        as_of=as_of,
        settled_on=settled_on,
        sources=(header,),
        unread=tuple(parts.unread),
    )
    checks = self_checks(statement) + (card_checks(statement) if card else ())
    statement = replace(statement, checks=checks)
    if not card:
        statement = replace(statement, quality=assess(statement, parts.notices, inp.path))
    notices += check_notices(statement)
    for row in parts.unread:
        notices.append(
            Notice(
                code="unread-row",
                message=f"{row.reason}: {row.source.text[:120]!r} (not used)",
                where=row.source.where(),
                message_zh=f"{row.reason_zh}：{row.source.text[:120]!r}（未使用）",
            )
        )
    return Extraction(
        path=inp.path,
        sha256=inp.sha256,
        extractor=extractor,
        role=Role.STATEMENT,
        statement=statement,
        metadata=metadata,
        checks=checks,
        notices=tuple(notices + parts.notices),
    )
