"""Payments against claimed installments: transaction ids, then one-to-one by billing cycle, then late payments
oldest debt first, then splits and combined payments through a bounded subset search that must be unique.

Each payment settles at most its own amount across all installments. When two explanations are equally good
the matcher does not choose: it records an `Ambiguity` with the candidates. Equal monthly installments are
matched by billing cycle (the days after the previous due date up to this due date plus a window), so a
payment is never taken for the wrong month.
"""

from __future__ import annotations

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
) -> MatchResult:
    """Match settled payments to claims. ``payments`` must already be the ones concerning this loan."""
    pays = sorted(payments, key=lambda p: (p.timestamp, p.source.path, p.source.row or 0))
    result = MatchResult({}, [], [], {})
    reserved: set[int] = set()  # payments in an unresolved ambiguity: no later step may use them

    def free(p: Payment) -> Decimal:
        return p.amount - result.used.get(id(p), ZERO)

    def take(
        claim: Claim, chosen: Sequence[Payment], how: str, amounts: Sequence[Decimal] | None = None
    ) -> None:
        m = result.matches.setdefault(claim.index, ClaimMatch(claim))
        for k, p in enumerate(chosen):
            amount = amounts[k] if amounts is not None else free(p)
            result.used[id(p)] = result.used.get(id(p), ZERO) + amount
            m.allocations.append(Allocation(p, amount))
        m.how = m.how or how

    def close(a: Decimal, b: Decimal) -> bool:
        return abs(a - b) <= tolerance

    def in_cycle(claim: Claim, p: Payment) -> bool:
        d = p.timestamp.date()
        if claim.due is None:
            return False
        lo = claim.cycle_start or date.min
        return lo <= d <= claim.due + timedelta(days=window)

    open_claims = [c for c in claims if c.amount > 0]

    # 1. transaction ids quoted by the lender (a repayment row carrying the payment's id)
    by_id = {p.transaction_id: p for p in pays if p.transaction_id}
    for c in open_claims:
        text = c.installment.source.text
        for tx, p in by_id.items():
            if len(tx) >= 8 and tx in text and free(p) > 0:
                take(c, [p], "id")

    # 2. one-to-one within the claim's billing cycle (the full amount, or the amount without penalty)
    for c in open_claims:
        if c.index in result.matches:
            continue
        fits = [
            p
            for p in pays
            if free(p) == p.amount
            and in_cycle(c, p)
            and (close(p.amount, c.amount) or close(p.amount, c.base))
        ]
        if fits:
            take(c, [fits[0]], "cycle")  # equal candidates in one cycle are interchangeable: the earliest

    # 3. late payments: the oldest unpaid claim first (Civil Code Art. 560)
    for c in open_claims:
        if c.index in result.matches or c.due is None:
            continue
        late = [
            p
            for p in pays
            if free(p) == p.amount
            and p.timestamp.date() > c.due + timedelta(days=window)
            and (close(p.amount, c.amount) or close(p.amount, c.base))
        ]
        if late:
            take(c, [late[0]], "late")

    # 4. splits: several payments in the cycle adding up to one claim; the subset must be unique
    for c in open_claims:
        if c.index in result.matches:
            continue
        pool = [p for p in pays if free(p) == p.amount and in_cycle(c, p) and p.amount < c.amount + tolerance]
        found = _subsets(pool, [c.amount, c.base], max_split, tolerance)
        if len(found) == 1:
            take(c, found[0], "split")
        elif len(found) > 1:
            result.ambiguities.append(
                Ambiguity((c,), tuple(found), "several sets of payments add up to this installment")
            )
            reserved.update(id(p) for option in found for p in option)
            reserved.add(-c.index - 1)

    # 5. one payment covering consecutive unpaid claims; the run must be unique
    unpaid = [c for c in open_claims if c.index not in result.matches and -c.index - 1 not in reserved]
    for p in pays:
        if free(p) != p.amount or id(p) in reserved:
            continue
        runs = []
        for size in range(2, max_combined + 1):
            for start in range(0, len(unpaid) - size + 1):
                run = unpaid[start : start + size]
                if any(c.index in result.matches for c in run):
                    continue
                if (
                    close(sum((c.amount for c in run), ZERO), p.amount)
                    and run[0].due is not None
                    and p.timestamp.date() >= (run[0].cycle_start or date.min)
                ):
                    runs.append(run)
        if len(runs) == 1:
            for c in runs[0]:
                take(c, [p], "combined", [c.amount])
        elif len(runs) > 1:
            result.ambiguities.append(
                Ambiguity(
                    tuple(c for run in runs for c in run),
                    ((p,),),
                    "one payment adds up to more than one group of installments",
                )
            )
            reserved.add(id(p))

    # 6. what is left in a claim's cycle, once the claim is due, pays part of it (not a prepayment of a later one)
    for c in open_claims:
        if (
            c.index in result.matches and result.matches[c.index].how != "partial"
        ) or -c.index - 1 in reserved:
            continue
        for p in pays:
            due_by = c.due is not None and p.timestamp.date() + timedelta(days=window) >= c.due
            if free(p) > 0 and in_cycle(c, p) and due_by and id(p) not in reserved:
                owed = c.amount - (result.matches[c.index].paid if c.index in result.matches else ZERO)
                if owed <= 0:
                    break
                amount = min(free(p), owed)
                take(c, [p], "partial", [amount])
    result.unused = [p for p in pays if free(p) > 0]
    return result


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
