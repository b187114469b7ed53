"""Payments against claimed installments: transaction ids, then one-to-one by billing cycle, then late payments
oldest debt first, then splits and combined payments through a bounded subset search that must be unique.

Each payment settles at most its own amount across all installments. When two explanations are equally good
the matcher does not choose: it records an `Ambiguity` with the candidates. Equal monthly installments are
matched by billing cycle (the days after the previous due date up to this due date plus a window), so a
payment is never taken for the wrong month.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from itertools import combinations

from .model import Installment, Payment, PaymentKey

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Claim:
    """One installment as the lender claims it, in a loan's due-date order."""

    index: int
    installment: Installment
    amount: Decimal  # what the borrower should have paid: the row's total, or the sum of its parts
    base: Decimal  # the same without penalty (what an on-time payment pays)
    due: date | None
    cycle_start: date | None  # the day after the previous due date (or the loan date)


@dataclass(frozen=True)
class Allocation:
    payment: Payment
    amount: Decimal


@dataclass
class ClaimMatch:
    claim: Claim
    allocations: list[Allocation] = field(default_factory=list)
    how: str = ""  # id | cycle | late | split | combined | partial

    @property
    def paid(self) -> Decimal:
        return sum((a.amount for a in self.allocations), ZERO)

    @property
    def last_paid(self) -> date | None:
        return max((a.payment.timestamp.date() for a in self.allocations), default=None)


@dataclass(frozen=True)
class Ambiguity:
    claims: tuple[Claim, ...]
    candidates: tuple[tuple[Payment, ...], ...]
    reason: str


@dataclass
class MatchResult:
    matches: dict[int, ClaimMatch]  # claim index -> match
    unused: list[Payment]
    ambiguities: list[Ambiguity]
    used: dict[PaymentKey, Decimal]  # payment key -> amount allocated

    def remaining(self, payment: Payment) -> Decimal:
        return payment.amount - self.used.get(payment.key, ZERO)


def build_claims(installments: Sequence[Installment], start: date | None) -> list[Claim]:
    ordered = sorted(installments, key=lambda i: (i.due_date or date.max, i.period, i.source.row or 0))
    claims = []
    previous = start
    for index, inst in enumerate(ordered):
        parts = [inst.principal, inst.interest, inst.penalty, inst.fees]
        amount = inst.total if inst.total is not None else sum((p for p in parts if p is not None), ZERO)
        base = amount - (inst.penalty or ZERO)
        cycle_start = previous + timedelta(days=1) if previous else None
        if cycle_start is None and inst.due_date is not None:
            cycle_start = inst.due_date - timedelta(days=30)
        claims.append(Claim(index, inst, amount, base, inst.due_date, cycle_start))
        previous = inst.due_date or previous
    return claims


def match(
    claims: Sequence[Claim],
    payments: Sequence[Payment],
    *,
    tolerance: Decimal = Decimal("0.01"),
    window: int = 3,
    max_split: int = 4,
    max_combined: int = 3,
    partial: bool = True,
) -> MatchResult:
    """Match settled payments to claims. ``payments`` must already be the ones concerning this loan.
    ``partial=False`` stops before leftover payments are taken as part payments (used when several loans
    compete for the same payments: exact explanations first, for every loan).

    Payments are indexed by date (bisect) and by amount in fen, so each claim looks only at the payments of
    its own billing cycle and amount: O((claims + payments) log payments) for ordinary data. The passes run in
    order, each on what the earlier ones left.
    """
    m = _Matcher(payments, tolerance, window)
    open_claims = [c for c in claims if c.amount > 0]
    m.by_transaction_id(open_claims)
    m.in_cycle(open_claims)
    m.late(open_claims)
    m.splits(open_claims, max_split)
    m.combined(open_claims, max_combined)
    if partial:
        m.partials(open_claims)
    m.result.unused = [p for i, p in enumerate(m.pays) if m.free(i) > 0]
    return m.result


class _Matcher:
    """The state the passes share: payments in time order with indexes by day and by amount in fen, what each
    payment has given so far (by its stable key), and the payments and claims held back by an ambiguity."""

    def __init__(self, payments: Sequence[Payment], tolerance: Decimal, window: int) -> None:
        self.pays = sorted(payments, key=lambda p: (p.timestamp, p.source.path, p.source.row or 0))
        self.keys = [p.key for p in self.pays]
        self.days = [p.timestamp.date() for p in self.pays]
        self.result = MatchResult({}, [], [], {})
        self.used = self.result.used
        self.reserved: set[int] = (
            set()
        )  # payments (by position) in an unresolved ambiguity: no later pass uses them
        self.reserved_claims: set[int] = set()
        self.tolerance = tolerance
        self.tol_fen = int((tolerance * 100).to_integral_value())
        self.by_fen: dict[int, list[int]] = {}
        for i, p in enumerate(self.pays):
            self.by_fen.setdefault(int((p.amount * 100).to_integral_value()), []).append(i)
        self.step = timedelta(days=window)

    def free(self, i: int) -> Decimal:
        return self.pays[i].amount - self.used.get(self.keys[i], ZERO)

    def untouched(self, i: int) -> bool:
        return self.keys[i] not in self.used and i not in self.reserved

    def matched(self, claim: Claim) -> bool:
        return claim.index in self.result.matches

    def take(
        self, claim: Claim, chosen: Sequence[int], how: str, amounts: Sequence[Decimal] | None = None
    ) -> None:
        m = self.result.matches.setdefault(claim.index, ClaimMatch(claim))
        for k, i in enumerate(chosen):
            amount = amounts[k] if amounts is not None else self.free(i)
            self.used[self.keys[i]] = self.used.get(self.keys[i], ZERO) + amount
            m.allocations.append(Allocation(self.pays[i], amount))
        m.how = m.how or how

    def span(self, lo: date, hi: date) -> tuple[int, int]:
        return bisect_left(self.days, lo), bisect_right(self.days, hi)

    def cycle(self, claim: Claim) -> tuple[int, int]:
        if claim.due is None:
            return 0, 0
        return self.span(claim.cycle_start or date.min, claim.due + self.step)

    def earliest(self, targets: Sequence[Decimal], lo: int, hi: int) -> int | None:
        """The first untouched payment in positions [lo, hi) whose amount is within tolerance of a target."""
        best: int | None = None
        for target in targets:
            centre = int((target * 100).to_integral_value())
            for fen in range(centre - self.tol_fen, centre + self.tol_fen + 1):
                bucket = self.by_fen.get(fen)
                if not bucket:
                    continue
                k = bisect_left(bucket, lo)
                while k < len(bucket) and bucket[k] < hi and (best is None or bucket[k] < best):
                    if self.untouched(bucket[k]):
                        best = bucket[k]
                        break
                    k += 1
        return best

    def by_transaction_id(self, claims: Sequence[Claim]) -> None:
        """1. Transaction ids quoted by the lender (a repayment row carrying the payment's id)."""
        by_id: dict[str, int] = {}
        for i, p in enumerate(self.pays):
            if len(p.transaction_id) >= 8:
                by_id.setdefault(p.transaction_id, i)
        if not by_id:
            return
        for c in claims:
            for token in _ID_TOKEN.findall(c.installment.source.text):
                hit = by_id.get(token)
                if hit is not None and self.free(hit) > 0:
                    self.take(c, [hit], "id")

    def in_cycle(self, claims: Sequence[Claim]) -> None:
        """2. One-to-one within the claim's billing cycle (the full amount, or the amount without penalty);
        equal candidates in one cycle are interchangeable: the earliest."""
        for c in claims:
            if self.matched(c):
                continue
            lo, hi = self.cycle(c)
            found_at = self.earliest((c.amount, c.base), lo, hi)
            if found_at is not None:
                self.take(c, [found_at], "cycle")

    def late(self, claims: Sequence[Claim]) -> None:
        """3. Late payments: the oldest unpaid claim first (Civil Code Art. 560)."""
        for c in claims:
            if self.matched(c) or c.due is None:
                continue
            late = self.earliest(
                (c.amount, c.base), bisect_right(self.days, c.due + self.step), len(self.pays)
            )
            if late is not None:
                self.take(c, [late], "late")

    def splits(self, claims: Sequence[Claim], max_split: int) -> None:
        """4. Several payments in the cycle adding up to one claim; the subset must be unique."""
        for c in claims:
            if self.matched(c):
                continue
            lo, hi = self.cycle(c)
            pool = [
                i
                for i in range(lo, hi)
                if self.untouched(i) and self.pays[i].amount < c.amount + self.tolerance
            ]
            found = _subsets([self.pays[i] for i in pool], [c.amount, c.base], max_split, self.tolerance)
            if len(found) == 1:
                position = {self.keys[i]: i for i in pool}
                self.take(c, [position[p.key] for p in found[0]], "split")
            elif len(found) > 1:
                self.result.ambiguities.append(
                    Ambiguity((c,), tuple(found), "several sets of payments add up to this installment")
                )
                chosen = {p.key for option in found for p in option}
                self.reserved.update(i for i in pool if self.keys[i] in chosen)
                self.reserved_claims.add(c.index)

    def combined(self, claims: Sequence[Claim], max_combined: int) -> None:
        """5. One payment covering consecutive unpaid claims near its date; the run must be unique."""
        unpaid = [c for c in claims if not self.matched(c) and c.index not in self.reserved_claims]
        dues = [c.due or date.max for c in unpaid]
        for i, p in enumerate(self.pays):
            if not self.untouched(i):
                continue
            day = self.days[i]
            anchor = bisect_left(dues, day - self.step)
            runs = []
            for size in range(2, max_combined + 1):
                for first in range(max(0, anchor - size + 1), min(len(unpaid) - size, anchor) + 1):
                    run = unpaid[first : first + size]
                    if any(self.matched(c) for c in run) or run[0].due is None:
                        continue
                    if (
                        day >= (run[0].cycle_start or date.min)
                        and abs(sum((c.amount for c in run), ZERO) - p.amount) <= self.tolerance
                    ):
                        runs.append(run)
            if len(runs) == 1:
                for c in runs[0]:
                    self.take(c, [i], "combined", [c.amount])
            elif len(runs) > 1:
                self.result.ambiguities.append(
                    Ambiguity(
                        tuple(c for run in runs for c in run),
                        ((p,),),
                        "one payment adds up to more than one group of installments",
                    )
                )
                self.reserved.add(i)

    def partials(self, claims: Sequence[Claim]) -> None:
        """6. What is left in a claim's cycle, once the claim is due, pays part of it (not a prepayment of a
        later one)."""
        matches = self.result.matches
        for c in claims:
            if (c.index in matches and matches[c.index].how != "partial") or c.index in self.reserved_claims:
                continue
            if c.due is None:
                continue
            lo, hi = self.span(max(c.cycle_start or date.min, c.due - self.step), c.due + self.step)
            for i in range(lo, hi):
                if i in self.reserved or self.free(i) <= 0:
                    continue
                owed = c.amount - (matches[c.index].paid if c.index in matches else ZERO)
                if owed <= 0:
                    break
                self.take(c, [i], "partial", [min(self.free(i), owed)])


_ID_TOKEN = re.compile(r"[A-Za-z0-9]{8,}")


def _subsets(
    pool: Sequence[Payment], targets: Sequence[Decimal], max_size: int, tolerance: Decimal
) -> list[tuple[Payment, ...]]:
    """Distinct subsets (by amounts and dates) of 2..max_size payments whose sum hits a target. Bounded: pools
    larger than 16 are cut to the 16 latest in the cycle."""
    pool = list(pool)[-16:]
    found: list[tuple[Payment, ...]] = []
    seen: set[tuple[tuple[Decimal, date], ...]] = set()
    for size in range(2, min(max_size, len(pool)) + 1):
        for combo in combinations(pool, size):
            total = sum((p.amount for p in combo), ZERO)
            if any(abs(total - t) <= tolerance for t in targets):
                key = tuple(sorted((p.amount, p.timestamp.date()) for p in combo))
                if key not in seen:
                    seen.add(key)
                    found.append(combo)
        if found:
            break  # the smallest sets explain it; larger ones only add noise
    return found
