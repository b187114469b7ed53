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

from .model import Installment, Payment

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
    used: dict[int, Decimal]  # id(payment) -> amount allocated

    def remaining(self, payment: Payment) -> Decimal:
        return payment.amount - self.used.get(id(payment), ZERO)


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
    its own billing cycle and amount: O((claims + payments) log payments) for ordinary data.
    """
    pays = sorted(payments, key=lambda p: (p.timestamp, p.source.path, p.source.row or 0))
    days = [p.timestamp.date() for p in pays]
    result = MatchResult({}, [], [], {})
    used = result.used
    reserved: set[int] = (
        set()
    )  # payments (by position) in an unresolved ambiguity: no later step may use them
    reserved_claims: set[int] = set()
    tol_fen = int((tolerance * 100).to_integral_value())
    by_fen: dict[int, list[int]] = {}
    for i, p in enumerate(pays):
        by_fen.setdefault(int((p.amount * 100).to_integral_value()), []).append(i)
    step = timedelta(days=window)

    def free(i: int) -> Decimal:
        p = pays[i]
        return p.amount - used.get(id(p), ZERO)

    def untouched(i: int) -> bool:
        return id(pays[i]) not in used and i not in reserved

    def take(claim: Claim, chosen: Sequence[int], how: str, amounts: Sequence[Decimal] | None = None) -> None:
        m = result.matches.setdefault(claim.index, ClaimMatch(claim))
        for k, i in enumerate(chosen):
            p = pays[i]
            amount = amounts[k] if amounts is not None else free(i)
            used[id(p)] = used.get(id(p), ZERO) + amount
            m.allocations.append(Allocation(p, amount))
        m.how = m.how or how

    def span(lo: date, hi: date) -> tuple[int, int]:
        return bisect_left(days, lo), bisect_right(days, hi)

    def cycle(claim: Claim) -> tuple[int, int]:
        if claim.due is None:
            return 0, 0
        return span(claim.cycle_start or date.min, claim.due + step)

    def earliest(targets: Sequence[Decimal], lo: int, hi: int) -> int | None:
        """The first untouched payment in positions [lo, hi) whose amount is within tolerance of a target."""
        best: int | None = None
        for target in targets:
            centre = int((target * 100).to_integral_value())
            for fen in range(centre - tol_fen, centre + tol_fen + 1):
                bucket = by_fen.get(fen)
                if not bucket:
                    continue
                k = bisect_left(bucket, lo)
                while k < len(bucket) and bucket[k] < hi and (best is None or bucket[k] < best):
                    if untouched(bucket[k]):
                        best = bucket[k]
                        break
                    k += 1
        return best

    open_claims = [c for c in claims if c.amount > 0]

    # 1. transaction ids quoted by the lender (a repayment row carrying the payment's id)
    by_id: dict[str, int] = {}
    for i, p in enumerate(pays):
        if len(p.transaction_id) >= 8:
            by_id.setdefault(p.transaction_id, i)
    if by_id:
        for c in open_claims:
            for token in _ID_TOKEN.findall(c.installment.source.text):
                hit = by_id.get(token)
                if hit is not None and free(hit) > 0:
                    take(c, [hit], "id")

    # 2. one-to-one within the claim's billing cycle (the full amount, or the amount without penalty);
    #    equal candidates in one cycle are interchangeable: the earliest
    for c in open_claims:
        if c.index in result.matches:
            continue
        lo, hi = cycle(c)
        found_at = earliest((c.amount, c.base), lo, hi)
        if found_at is not None:
            take(c, [found_at], "cycle")

    # 3. late payments: the oldest unpaid claim first (Civil Code Art. 560)
    for c in open_claims:
        if c.index in result.matches or c.due is None:
            continue
        late = earliest((c.amount, c.base), bisect_right(days, c.due + step), len(pays))
        if late is not None:
            take(c, [late], "late")

    # 4. splits: several payments in the cycle adding up to one claim; the subset must be unique
    for c in open_claims:
        if c.index in result.matches:
            continue
        lo, hi = cycle(c)
        pool = [i for i in range(lo, hi) if untouched(i) and pays[i].amount < c.amount + tolerance]
        found = _subsets([pays[i] for i in pool], [c.amount, c.base], max_split, tolerance)
        if len(found) == 1:
            position = {id(pays[i]): i for i in pool}
            take(c, [position[id(p)] for p in found[0]], "split")
        elif len(found) > 1:
            result.ambiguities.append(
                Ambiguity((c,), tuple(found), "several sets of payments add up to this installment")
            )
            chosen = {id(p) for option in found for p in option}
            reserved.update(i for i in pool if id(pays[i]) in chosen)
            reserved_claims.add(c.index)

    # 5. one payment covering consecutive unpaid claims near its date; the run must be unique
    unpaid = [c for c in open_claims if c.index not in result.matches and c.index not in reserved_claims]
    dues = [c.due or date.max for c in unpaid]
    for i, p in enumerate(pays):
        if not untouched(i):
            continue
        day = days[i]
        anchor = bisect_left(dues, day - step)
        runs = []
        for size in range(2, max_combined + 1):
            for first in range(max(0, anchor - size + 1), min(len(unpaid) - size, anchor) + 1):
                run = unpaid[first : first + size]
                if any(c.index in result.matches for c in run) or run[0].due is None:
                    continue
                if (
                    day >= (run[0].cycle_start or date.min)
                    and abs(sum((c.amount for c in run), ZERO) - p.amount) <= tolerance
                ):
                    runs.append(run)
        if len(runs) == 1:
            for c in runs[0]:
                take(c, [i], "combined", [c.amount])
        elif len(runs) > 1:
            result.ambiguities.append(
                Ambiguity(
                    tuple(c for run in runs for c in run),
                    ((p,),),
                    "one payment adds up to more than one group of installments",
                )
            )
            reserved.add(i)

    # 6. what is left in a claim's cycle, once the claim is due, pays part of it (not a prepayment of a later one)
    for c in open_claims if partial else ():
        if (
            c.index in result.matches and result.matches[c.index].how != "partial"
        ) or c.index in reserved_claims:
            continue
        if c.due is None:
            continue
        lo, hi = span(max(c.cycle_start or date.min, c.due - step), c.due + step)
        for i in range(lo, hi):
            if i in reserved or free(i) <= 0:
                continue
            owed = c.amount - (result.matches[c.index].paid if c.index in result.matches else ZERO)
            if owed <= 0:
                break
            take(c, [i], "partial", [min(free(i), owed)])
    result.unused = [pays[i] for i in range(len(pays)) if free(i) > 0]
    return result


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
