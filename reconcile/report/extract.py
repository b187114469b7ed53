"""`reconcile extract` output: a readable listing, JSON (schema ``reconcile.extract/1``) or flat CSV."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator, Sequence
from json.encoder import encode_basestring
from typing import Any, TypeVar

from ..jsonable import to_json
from ..model import Extraction, Payment, Statement
from ..money import format_amount
from ..records import stream
from .safe import visible

T = TypeVar("T")

SCHEMA = "reconcile.extract/1"


def generated_by() -> str:
    from .. import __version__

    return f"reconcile {__version__}"


def extraction_json(ex: Extraction, *, payments: bool = True) -> dict[str, Any]:
    """One extraction as JSON types; ``payments=False`` leaves the payment records out (`iter_json` streams them)."""
    out: dict[str, Any] = {
        "path": ex.path,
        "sha256": ex.sha256,
        "extractor": ex.extractor,
        "role": ex.role.value,
        "records": ex.record_count,
        "metadata": dict(ex.metadata),
        "checks": to_json(list(ex.checks)),
        "notices": to_json(list(ex.notices)),
    }
    if ex.statement is not None:
        out["statement"] = to_json(ex.statement)
    elif payments:
        out["payments"] = [to_json(p) for p in ex.payments]
    return out


def render_json(extractions: Sequence[Extraction], errors: Sequence[tuple[str, str]] = ()) -> str:
    """The whole JSON document (see `iter_json`)."""
    return "".join(iter_json(extractions, errors))


#: Records per chunk the iterators below yield.
CHUNK = 1024


def iter_json(extractions: Sequence[Extraction], errors: Sequence[tuple[str, str]] = ()) -> Iterator[str]:
    """The JSON document of schema ``reconcile.extract/1`` in pieces, exactly as ``json.dumps(doc, indent=2,
    ensure_ascii=False)`` writes it, without holding the document or every record in memory at once (a
    million-record export would take gigabytes)."""
    yield "{\n"
    yield f'  "schema": {_dump(SCHEMA, 1)},\n'
    yield f'  "generated_by": {_dump(generated_by(), 1)},\n'
    yield '  "files": '
    if not extractions:
        yield "[]"
    else:
        yield "[\n"
        for k, ex in enumerate(extractions):
            yield _INDENT * 2
            yield from _iter_extraction(ex, 2)
            yield ",\n" if k < len(extractions) - 1 else "\n"
        yield _INDENT + "]"
    yield f',\n  "errors": {_dump([{"path": p, "message": m} for p, m in errors], 1)}\n}}\n'


_INDENT = "  "


def _dump(value: Any, level: int) -> str:
    """``value`` as ``json.dumps(value, indent=2, ensure_ascii=False)`` writes it at nesting ``level`` of an
    indented document. The standard library's encoder runs in pure Python when indenting; this one writes the
    strings, numbers and nesting of plain records itself and leaves anything else to it."""
    try:
        return _encode(value, level)
    except _Unusual:
        return json.dumps(value, ensure_ascii=False, indent=2).replace("\n", "\n" + _INDENT * level)


class _Unusual(Exception):
    """A value `_encode` leaves to the standard encoder."""


def _encode(value: Any, level: int) -> str:
    kind = type(value)
    if kind is str:
        return encode_basestring(value)
    if value is None:
        return "null"
    if kind is bool:
        return "true" if value else "false"
    if kind is int:
        return int.__repr__(value)
    if kind is dict:
        if not value:
            return "{}"
        if any(type(k) is not str for k in value):
            raise _Unusual
        pad = "\n" + _INDENT * (level + 1)
        items = (encode_basestring(k) + ": " + _encode(v, level + 1) for k, v in value.items())
        return "{" + pad + ("," + pad).join(items) + "\n" + _INDENT * level + "}"
    if kind is list or kind is tuple:
        if not value:
            return "[]"
        pad = "\n" + _INDENT * (level + 1)
        return (
            "[" + pad + ("," + pad).join(_encode(v, level + 1) for v in value) + "\n" + _INDENT * level + "]"
        )
    raise _Unusual


def _iter_extraction(ex: Extraction, level: int) -> Iterator[str]:
    if ex.statement is not None:
        yield _dump(extraction_json(ex), level)
        return
    head = extraction_json(ex, payments=False)
    text = _dump(head, level)
    closing = "\n" + _INDENT * level + "}"
    assert text.endswith(closing)
    yield text[: -len(closing)]
    yield ",\n" + _INDENT * (level + 1) + '"payments": '
    if not ex.payments:
        yield "[]"
    else:
        yield "[\n"
        pad = _INDENT * (level + 2)
        first = True
        for chunk in _chunks(stream(ex.payments)):
            body = (",\n" + pad).join(_dump(to_json(p), level + 2) for p in chunk)
            yield ("" if first else ",\n") + pad + body
            first = False
        yield "\n" + _INDENT * (level + 1) + "]"
    yield closing


def _chunks(items: Iterable[T]) -> Iterator[list[T]]:
    chunk: list[T] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


PAYMENT_COLUMNS = (
    "path", "sha256", "sheet", "page", "row", "timestamp", "amount", "direction", "kind", "status", "settled",
    "counterparty", "counterparty_account", "description", "category", "method", "transaction_id",
    "merchant_order_id", "product", "billing_period", "refund_of", "refunded", "currency", "balance", "account",
    "note", "source_text",
)  # fmt: skip
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def inert(text: str) -> str:
    """Text that a spreadsheet will not run as a formula (a leading quote, as OWASP advises)."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def payment_row(p: Payment) -> list[str]:
    s = p.source

    def amount(value: Any) -> str:
        return "" if value is None else format_amount(value)

    return [
        inert(s.path), s.sha256, inert(s.sheet or ""), "" if s.page is None else str(s.page),
        "" if s.row is None else str(s.row), p.timestamp.isoformat(), format_amount(p.amount), p.direction.value,
        p.kind.value, inert(p.status), "yes" if p.settled else "no", inert(p.counterparty),
        inert(p.counterparty_account), inert(p.description), inert(p.category), inert(p.method),
        inert(p.transaction_id), inert(p.merchant_order_id), p.product.value if p.product else "",
        p.billing_period or "", inert(p.refund_of or ""), amount(p.refunded), p.currency, amount(p.balance),
        inert(p.account), inert(p.note), inert(s.text),
    ]  # fmt: skip


STATEMENT_COLUMNS = (
    "path", "sha256", "sheet", "page", "row", "record", "period", "due_date", "principal", "interest", "penalty",
    "fees", "total", "paid", "paid_date", "outstanding", "status", "description", "source_text",
)  # fmt: skip


def statement_rows(st: Statement) -> list[list[str]]:
    def amount(value: Any) -> str:
        return "" if value is None else format_amount(value)

    def loc(ref: Any) -> list[str]:
        return [
            inert(ref.path),
            ref.sha256,
            inert(ref.sheet or ""),
            "" if ref.page is None else str(ref.page),
            "" if ref.row is None else str(ref.row),
        ]

    rows = []
    for i in st.installments:
        rows.append(
            [
                *loc(i.source),
                "installment",
                str(i.period),
                i.due_date.isoformat() if i.due_date else "",
                amount(i.principal),
                amount(i.interest),
                amount(i.penalty),
                amount(i.fees),
                amount(i.total),
                amount(i.paid),
                i.paid_date.isoformat() if i.paid_date else "",
                amount(i.outstanding),
                inert(i.status),
                "",
                inert(i.source.text),
            ]
        )
    for c in st.charges:
        rows.append(
            [
                *loc(c.source),
                c.kind,
                "",
                c.date.isoformat() if c.date else "",
                "",
                "",
                "",
                "",
                format_amount(c.amount),
                "",
                "",
                "",
                "",
                inert(c.description),
                inert(c.source.text),
            ]
        )
    for r in st.repayments:
        rows.append(
            [
                *loc(r.source),
                "repayment",
                "" if r.period is None else str(r.period),
                "",
                "",
                "",
                "",
                "",
                "",
                format_amount(r.amount),
                r.date.isoformat() if r.date else "",
                "",
                "",
                inert(r.description),
                inert(r.source.text),
            ]
        )
    return rows


def render_csv(extractions: Sequence[Extraction]) -> str:
    """The whole CSV listing (see `iter_csv`)."""
    return "".join(iter_csv(extractions))


def iter_csv(extractions: Sequence[Extraction]) -> Iterator[str]:
    """One CSV row per record, payments first, then statement rows under their own header; in pieces."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")

    def flush() -> str:
        text = buf.getvalue()
        buf.seek(0)
        buf.truncate()
        return text

    payments = [ex for ex in extractions if ex.statement is None]
    statements = [ex for ex in extractions if ex.statement is not None]
    if payments or not statements:
        writer.writerow(PAYMENT_COLUMNS)
        for ex in payments:
            for chunk in _chunks(stream(ex.payments)):
                writer.writerows(payment_row(p) for p in chunk)
                yield flush()
    if statements:
        if payments:
            writer.writerow([])
        writer.writerow(STATEMENT_COLUMNS)
        for ex in statements:
            assert ex.statement is not None
            writer.writerows(statement_rows(ex.statement))
    yield flush()


def render_text(extractions: Sequence[Extraction]) -> str:
    """The readable listing (see `iter_text`)."""
    return "".join(iter_text(extractions))


def iter_text(extractions: Sequence[Extraction]) -> Iterator[str]:
    """A readable listing of each extraction and its records, in pieces."""
    for k, ex in enumerate(extractions):
        out: list[str] = ["\n"] if k else []
        out.append(f"== {ex.path}\n")
        out.append(
            f"   format {ex.extractor} ({ex.role.value}), {ex.record_count} records, sha256 {ex.sha256}\n"
        )
        for key, value in ex.metadata.items():
            out.append(f"   {key}: {value}\n")
        for notice in ex.notices:
            where = f" [{notice.where}]" if notice.where else ""
            out.append(f"   ! {notice.message}{where}\n")
        if ex.statement is not None:
            out.extend(line + "\n" for line in _statement_lines(ex.statement))
        yield "".join(visible(piece.rstrip("\n")) + "\n" for piece in out)
        if ex.statement is None:
            for chunk in _chunks(stream(ex.payments)):
                yield "".join(visible(_payment_line(p)) + "\n" for p in chunk)


def _payment_line(p: Payment) -> str:
    flag = "" if p.settled else "  (not settled)"
    sign = {"out": "-", "in": "+", "neutral": " "}[p.direction.value]
    when = p.timestamp.strftime("%Y-%m-%d %H:%M:%S" if p.time_known else "%Y-%m-%d")
    label = " ".join(x for x in (p.counterparty, p.description) if x and x != "/")
    return (
        f"   {when}  {sign}{format_amount(p.amount):>12}  {p.kind.value:<12} {p.status}"
        f"{flag}  {label}  @{p.source.where()}"
    )


def _statement_lines(st: Statement) -> list[str]:
    def amount(value: Any) -> str:
        return "" if value is None else format_amount(value)

    lines = []
    t = st.terms
    fields = [
        ("lender", t.lender),
        ("loan", t.loan_id),
        ("principal", amount(t.principal)),
        ("start", t.start_date.isoformat() if t.start_date else ""),
        ("periods", t.periods or ""),
        ("method", t.method.value if t.method else ""),
        ("rate", t.rate.text if t.rate else ""),
        ("as of", st.as_of.isoformat() if st.as_of else ""),
        ("settled on", st.settled_on.isoformat() if st.settled_on else ""),
    ]
    lines.append("   " + "; ".join(f"{k} {v}" for k, v in fields if v))
    lines.append(
        "   period  due date      principal   interest    penalty       fees      total       paid  status"
    )
    for i in st.installments:
        lines.append(
            f"   {i.period:>6}  {i.due_date.isoformat() if i.due_date else '':<10}  "
            f"{amount(i.principal):>9}  {amount(i.interest):>9}  {amount(i.penalty):>9}  "
            f"{amount(i.fees):>9}  {amount(i.total):>9}  {amount(i.paid):>9}  {i.status}  @{i.source.where()}"
        )
    for c in st.charges:
        lines.append(f"   {c.kind}: {c.description} {format_amount(c.amount)}  @{c.source.where()}")
    for r in st.repayments:
        lines.append(
            f"   repayment {r.date or ''} {format_amount(r.amount)} {r.description}  @{r.source.where()}"
        )
    for check in st.checks:
        lines.append(f"   {'ok ' if check.ok else 'BAD'} {check.code}: {check.message}")
    return lines
