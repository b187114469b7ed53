"""Field-by-field scoring of statement extraction against ground truth (``<file>.truth.json``, schema
``reconcile.zoo-truth/1``, written by the generator that made the file, never by a run of the tool).

Every value the truth prints is one field: each term, each non-null cell of each installment, each one-off
charge, each credited repayment, each declared total. A field is right when the extraction has exactly that
value; an installment, charge or repayment the truth does not have counts its fields as wrong.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

INSTALLMENT_FIELDS = (
    "period",
    "of_periods",
    "due_date",
    "principal",
    "interest",
    "penalty",
    "fees",
    "total",
    "paid",
    "paid_date",
    "outstanding",
    "status",
)


@dataclass
class Score:
    file: str
    right: int = 0
    total: int = 0
    installments_expected: int = 0
    installments_read: int = 0
    wrong: list[str] = field(default_factory=list)
    error: str = ""

    @property
    def accuracy(self) -> float:
        return self.right / self.total if self.total else 0.0

    def add(self, ok: bool, what: str) -> None:
        self.total += 1
        if ok:
            self.right += 1
        else:
            self.wrong.append(what)


def _same(expected: Any, actual: Any) -> bool:
    if expected is None:
        return actual is None
    if actual is None:
        return False
    if isinstance(expected, str) and _is_number(expected):
        try:
            return Decimal(expected) == Decimal(str(actual))
        except ArithmeticError:
            return False
    return str(expected).strip() == str(actual).strip()


def _is_number(text: str) -> bool:
    try:
        Decimal(text)
        return True
    except ArithmeticError:
        return False


def _terms(ex: Any) -> dict[str, Any]:
    st = ex.statement
    t = st.terms
    rates = {r.unit.value: r.value for r in t.rates if not r.compound}
    return {
        "lender": t.lender or None,
        "loan_id": t.loan_id or None,
        "principal": t.principal,
        "start_date": t.start_date.isoformat() if t.start_date else None,
        "periods": t.periods,
        "method": t.method.value if t.method else None,
        "borrower": getattr(t, "borrower", "") or None,
        "annual_rate": rates.get("annual"),
        "daily_rate": rates.get("daily"),
        "monthly_rate": rates.get("monthly"),
        "as_of": st.as_of.isoformat() if st.as_of else None,
        "due_day": t.due_day,
    }


def _installment(inst: Any) -> dict[str, Any]:
    out = {}
    for name in INSTALLMENT_FIELDS:
        value = getattr(inst, name)
        if hasattr(value, "isoformat"):
            value = value.isoformat()
        if name == "status":
            value = value or None
        out[name] = value
    return out


def score(path: Path, extractions: list[Any] | None, error: str = "") -> Score:
    truth = json.loads(Path(str(path) + ".truth.json").read_text(encoding="utf-8"))
    result = Score(path.name, installments_expected=len(truth.get("installments", [])), error=error)
    ex = next((e for e in extractions or [] if e.statement is not None), None)
    terms = _terms(ex) if ex is not None else {}
    for key, value in truth.get("terms", {}).items():
        if value is None:
            continue
        result.add(_same(value, terms.get(key)), f"terms.{key}: {value!r} != {terms.get(key)!r}")
    read = [_installment(i) for i in ex.statement.installments] if ex is not None else []
    result.installments_read = len(read)
    by_period: dict[int, list[dict[str, Any]]] = {}
    for inst in read:
        by_period.setdefault(inst["period"], []).append(inst)
    for want in truth.get("installments", []):
        candidates = by_period.get(want["period"], [])
        got = candidates.pop(0) if candidates else None
        for name in INSTALLMENT_FIELDS:
            expected = want.get(name)
            actual = got.get(name) if got else None
            if expected is None and actual is None:
                continue
            result.add(
                got is not None and _same(expected, actual),
                f"period {want['period']}.{name}: {expected!r} != {actual!r}",
            )
    for extra in (i for rest in by_period.values() for i in rest):
        for name in INSTALLMENT_FIELDS:
            if extra.get(name) is not None:
                result.add(False, f"extra installment {extra['period']}.{name}")
    st = ex.statement if ex is not None else None
    charges = (
        Counter((str(c.amount), c.date.isoformat() if c.date else None) for c in st.charges)
        if st
        else Counter()
    )
    for want in truth.get("charges", []):
        key = (str(Decimal(want["amount"])), want.get("date"))
        ok = charges[key] > 0
        charges[key] -= 1
        result.add(ok, f"charge {want}")
    for key, n in charges.items():
        for _ in range(n):
            result.add(False, f"extra charge {key}")
    repayments = (
        Counter((str(abs(r.amount)), r.date.isoformat() if r.date else None) for r in st.repayments)
        if st
        else Counter()
    )
    for want in truth.get("repayments", []):
        key = (str(abs(Decimal(want["amount"]))), want.get("date"))
        ok = repayments[key] > 0
        repayments[key] -= 1
        result.add(ok, f"repayment {want}")
    for key, n in repayments.items():
        for _ in range(n):
            result.add(False, f"extra repayment {key}")
    declared = Counter(d.value for d in st.declared_totals) if st else Counter()
    for want in truth.get("declared_totals", []):
        value = Decimal(want["value"])
        ok = declared[value] > 0
        declared[value] -= 1
        result.add(ok, f"declared total {want}")
    return result


def score_dir(folder: Path) -> list[Score]:
    from reconcile import extract
    from reconcile.errors import ReconcileError

    scores = []
    for truth in sorted(folder.glob("*.truth.json")):
        path = truth.with_name(truth.name[: -len(".truth.json")])
        try:
            scores.append(score(path, list(extract(path))))
        except ReconcileError as exc:
            scores.append(score(path, None, error=str(exc)))
    return scores


def report(scores: list[Score], *, verbose: int = 0) -> str:
    lines = []
    right = sum(s.right for s in scores)
    total = sum(s.total for s in scores)
    for s in scores:
        count = "" if s.installments_read == s.installments_expected else " COUNT"
        lines.append(
            f"{s.accuracy:7.2%} {s.right:5d}/{s.total:<5d} inst {s.installments_read:3d}/{s.installments_expected:<3d}"
            f"{count} {s.file}{'  ERROR ' + s.error if s.error else ''}"
        )
        for w in s.wrong[:verbose]:
            lines.append(f"        {w}")
    lines.append(f"overall {right}/{total} = {right / total if total else 0:.2%}")
    return "\n".join(lines)


if __name__ == "__main__":
    import sys

    folder = Path(sys.argv[1])
    verbose = int(sys.argv[2]) if len(sys.argv) > 2 else 0
    print(report(score_dir(folder), verbose=verbose))
