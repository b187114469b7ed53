"""Which payments concern which loan: `concerns` decides one record, `collect_payments` gathers a loan's (and
says why each record it leaves out was left out), `distinct_payments` counts a row two exports share once, and
`candidate_payments` narrows a large export to the rows a loan could use before any record is built."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from decimal import Decimal

from .case import LoanCase
from .config import Config
from .model import Direction, Extraction, Payment, PaymentKind, Product, Role
from .records import LazyRecords
from .texts import Text, place
from .vocab import CONSUMER_PRODUCTS


def _text(p: Payment) -> str:
    return " ".join(
        (p.counterparty, p.counterparty_account, p.description, p.category, p.note, p.source.text)
    )


def concerns(p: Payment, case: LoanCase, aliases: Sequence[str]) -> bool:
    """Whether a payment record is money paid towards this loan. 花呗 repayments are never 借呗 repayments."""
    if p.direction is Direction.IN or p.kind in (
        PaymentKind.REFUND,
        PaymentKind.DISBURSEMENT,
        PaymentKind.INCOME,
    ):
        return False
    text = _text(p)
    if any(a and a in text for a in aliases):
        return True
    product = case.product
    if product in CONSUMER_PRODUCTS:
        return p.product is product and p.kind is PaymentKind.REPAYMENT
    t = case.terms
    if t.loan_id and len(t.loan_id) >= 6 and (t.loan_id in text or t.loan_id[-8:] in p.counterparty_account):
        return True
    lender = _lender(t.lender)
    named = bool(lender) and (lender in text or (lender.endswith("银行") and lender[-4:] in text))
    if product is Product.CREDIT_CARD:  # a card bill: card repayments, to this bank when the bill names it
        return p.product is Product.CREDIT_CARD and p.kind is PaymentKind.REPAYMENT and (named or not lender)
    if (
        p.kind is not PaymentKind.REPAYMENT
        or p.product in CONSUMER_PRODUCTS
        or p.product is Product.CREDIT_CARD
    ):
        return False
    return named or (p.product is Product.BANK_LOAN and product in (None, Product.BANK_LOAN) and not t.lender)


def _lender(name: str) -> str:
    return re.sub(r"(股份)?有限公司|分行|支行|信用卡中心|信用卡", "", name)


#: The kinds of record `concerns` can accept without naming words (every branch but the named ones needs a
#: repayment).
CONCERN_KINDS = frozenset({PaymentKind.REPAYMENT})


def concern_words(case: LoanCase, aliases: Sequence[str]) -> list[str]:
    """Words of which a record that `concerns` this loan without being a repayment holds at least one in its
    text (its aliases, the loan id's tail, the lender's name)."""
    words = [a for a in aliases if a]
    t = case.terms
    if t.loan_id and len(t.loan_id) >= 6:
        words.append(t.loan_id[-8:])
    lender = _lender(t.lender)
    if lender:
        words.append(lender)
        if lender.endswith("银行"):
            words.append(lender[-4:])
    return words


def candidate_payments(extractions: Sequence[Extraction], words: Sequence[str]) -> list[Extraction]:
    """The payment extractions with only the records a loan could use: of a large export read by columns, the
    repayments and the rows naming one of ``words``, built without the rest (`RecordIndex`); other extractions
    as they are. `concerns` still decides every record."""
    out = []
    for ex in extractions:
        records = ex.payments
        if ex.role is Role.PAYMENTS and isinstance(records, LazyRecords) and records.lookup is not None:
            rows = records.lookup.select(CONCERN_KINDS, sorted(set(words)))
            if rows is not None:
                ex = replace(ex, payments=tuple(records.pick(rows)))
        out.append(ex)
    return out


def collect_payments(case: LoanCase, payments: Sequence[Payment], config: Config) -> None:
    aliases = tuple(config.aliases)
    case.excluded = []
    chosen: list[Payment] = []
    by_amount: dict[Decimal, list[Payment]] = {}
    for p in payments:
        if not concerns(p, case, aliases):
            continue
        if not p.settled:
            case.excluded.append((p, Text(f"未成功（{p.status}）", f"not settled ({p.status})")))
            continue
        if p.refunded is not None and p.refunded >= p.amount:
            case.excluded.append((p, Text("已全额退款", "refunded in full")))
            continue
        duplicate = next(
            (
                q
                for q in by_amount.get(p.amount, ())
                if q.source.path != p.source.path
                and abs((q.timestamp - p.timestamp).total_seconds()) <= 86400
            ),
            None,
        )
        if duplicate is not None:
            case.excluded.append(
                (
                    p,
                    Text(
                        f"与 {duplicate.source.path} {place(duplicate.source.where(), 'zh')} 是同一笔钱"
                        "（钱包和银行各记了一次）",
                        f"the same money as {duplicate.source.path}:{duplicate.source.where()} "
                        "(recorded by both the wallet and the bank)",
                    ),
                )
            )
            continue
        chosen.append(p)
        by_amount.setdefault(p.amount, []).append(p)
    case.payments = chosen


def distinct_payments(extractions: Sequence[Extraction]) -> list[Payment]:
    """Every payment once: a row that another payment file also holds (two overlapping exports of one account)
    counts once, recognised by its transaction id, else by its time, amount, direction, counterparty and
    description. Rows within one file are never merged: identical rows there are separate payments."""
    seen: dict[tuple[object, ...], str] = {}
    out: list[Payment] = []
    for ex in extractions:
        if ex.role is not Role.PAYMENTS:
            continue
        for p in ex.payments:
            key: tuple[object, ...] = (
                ("id", p.transaction_id, p.direction.value, p.kind.value)
                if p.transaction_id
                else (
                    "row",
                    p.timestamp,
                    p.amount,
                    p.direction.value,
                    p.counterparty,
                    p.description,
                    p.status,
                )
            )
            first = seen.setdefault(key, ex.sha256)
            if first != ex.sha256:
                continue  # the same row in an earlier file
            out.append(p)
    return out
