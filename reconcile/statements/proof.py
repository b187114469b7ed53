"""Arithmetic proof for values read by OCR, instead of trust.

OCR misreads digits (1 and 7, 0 and 8, a dropped decimal point). Every installment read from a screenshot is
checked: its parts add up to its total (principal + interest + fees + penalty), its due date falls in the
monthly sequence its neighbours make, and the principal of a whole plan adds up to the loan. A row that fails
is repaired only when exactly one single-character correction of one of its values makes every check pass; the
repair is written into the row's evidence. Otherwise the row is set aside as unread (it makes no finding), and
the statement's read quality says so.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

from ..model import Installment, Notice, SourceRef, Statement, Unread
from ..schedule import add_months

ZERO = Decimal("0.00")
PARTS = ("principal", "interest", "fees", "penalty")
AMOUNTS = ("total", "principal", "interest", "fees", "penalty")
#: Below this OCR confidence a row whose values no check covers is not trusted.
MIN_CONFIDENCE = Decimal("0.90")


def row_adds_up(inst: Installment) -> bool | None:
    """Whether the parts the row shows add up to its total; None when it shows no total or no part. (A part
    the row does not show counts as none: a screenshot's rows show every part they have.)"""
    parts = [getattr(inst, f) for f in PARTS if getattr(inst, f) is not None]
    if inst.total is None or not parts:
        return None
    return sum(parts, ZERO) == inst.total


def one_character_variants(value: Decimal) -> Iterator[Decimal]:
    """Every amount one character away from ``value`` as printed with two decimals: a digit read as another,
    or a decimal point the OCR dropped (``107971`` for ``1079.71``)."""
    text = f"{value:.2f}"
    seen = {value}
    for i, ch in enumerate(text):
        if not ch.isdigit():
            continue
        for digit in "0123456789":
            if digit == ch or (i == 0 and digit == "0" and len(text.split(".")[0]) > 1):
                continue
            candidate = Decimal(text[:i] + digit + text[i + 1 :])
            if candidate not in seen:
                seen.add(candidate)
                yield candidate
    if value == value.to_integral_value() and value >= 100:
        candidate = (value / 100).quantize(Decimal("0.01"))
        if candidate not in seen:
            yield candidate


def _expected_due(insts: Sequence[Installment], k: int) -> date | None:
    """The due date of row ``k`` as its neighbours agree it must be (one month apart, on their day)."""
    inst = insts[k]
    guesses = []
    for j in (k - 1, k + 1, k - 2, k + 2):
        if 0 <= j < len(insts) and insts[j].due_date is not None:
            other = insts[j]
            assert other.due_date is not None
            guesses.append(add_months(other.due_date, inst.period - other.period, other.due_date.day))
    if len(guesses) >= 2 and len(set(guesses)) == 1:
        return guesses[0]
    return None


def _date_variants(d: date) -> Iterator[date]:
    text = d.isoformat()
    for i, ch in enumerate(text):
        if not ch.isdigit():
            continue
        for digit in "0123456789":
            if digit != ch:
                try:
                    yield date.fromisoformat(text[:i] + digit + text[i + 1 :])
                except ValueError:
                    continue


def prove(st: Statement, path: str = "") -> tuple[Statement, list[Notice]]:
    """The statement with every OCR-read installment proven, repaired by one character, or set aside as
    unread; and a notice for each repair and each row set aside."""
    notices: list[Notice] = []
    kept: list[Installment] = []
    unread: list[Unread] = list(st.unread)
    for inst in st.installments:
        fixed = _prove_row(inst, notices, path)
        if fixed is None:
            unread.append(
                _unread(inst, "its amounts do not add up and no single-character correction explains it")
            )
        else:
            kept.append(fixed)
    kept = _prove_dates(sorted(kept, key=lambda i: i.period), notices, unread, path)
    kept = _prove_principal(st, kept, notices, path)
    for row in unread[len(st.unread) :]:
        notices.append(
            Notice(
                code="ocr-unproven",
                message=f"{row.reason}: {row.source.text[:120]!r} (set aside, no finding is made from it)",
                where=row.source.where(),
                message_zh=f"{row.reason_zh}：{row.source.text[:120]!r}（已搁置，不据此作出任何结论）",
                path=path,
            )
        )
    return replace(st, installments=tuple(kept), unread=tuple(unread)), notices


def _prove_row(inst: Installment, notices: list[Notice], path: str) -> Installment | None:
    ok = row_adds_up(inst)
    if ok:
        return inst
    if ok is None:
        conf = inst.source.confidence
        if conf is not None and conf < MIN_CONFIDENCE:
            return None  # nothing to check it against, and the OCR was not sure
        return inst
    found = [
        (name, candidate)
        for name in AMOUNTS
        if getattr(inst, name) is not None
        for candidate in one_character_variants(getattr(inst, name))
        if row_adds_up(_with(inst, name, candidate))
    ]
    if len(found) != 1:
        return None
    name, value = found[0]
    return _repaired(inst, name, getattr(inst, name), value, notices, path)


def _repaired(
    inst: Installment, name: str, old: object, new: Any, notices: list[Notice], path: str
) -> Installment:
    note = f"OCR read {name} {old}; corrected to {new}, the only single-character correction that makes the row check"
    note_zh = f"识别结果 {old} 经单字符校正为 {new}（唯一能使本行核对通过的校正）"
    source = _corrected(inst, inst.period, note, note_zh, notices, path)
    return _with(_with(inst, name, new), "source", source)


def _corrected(
    inst: Installment, period: int, note: str, note_zh: str, notices: list[Notice], path: str
) -> SourceRef:
    """The row's evidence with the correction written into it, and a notice saying what was corrected."""
    source = replace(inst.source, text=f"{inst.source.text} [{note_zh}]")
    notices.append(
        Notice(
            code="ocr-repaired",
            message=f"period {period}: {note}",
            where=source.where(),
            message_zh=f"第{period}期：{note_zh}",
            path=path,
        )
    )
    return source


def _with(inst: Installment, name: str, value: Any) -> Installment:
    changes: dict[str, Any] = {name: value}
    return replace(inst, **changes)


def _unread(inst: Installment, why: str) -> Unread:
    return Unread(
        reason=f"OCR: {why}",
        source=inst.source,
        reason_zh="屏幕截图识别结果无法核实（金额或日期对不上，且无法以单个字符的校正解释）",
    )


def _prove_dates(
    insts: list[Installment], notices: list[Notice], unread: list[Unread], path: str
) -> list[Installment]:
    out: list[Installment] = []
    dated = sum(1 for i in insts if i.due_date is not None)
    for k, inst in enumerate(insts):
        if inst.due_date is None and dated >= 2:
            unread.append(
                _unread(inst, "its due date could not be read, though the plan's other rows show theirs")
            )
            continue
        expected = _expected_due(insts, k)
        if inst.due_date is None or expected is None or inst.due_date == expected:
            out.append(inst)
            continue
        if expected in set(_date_variants(inst.due_date)):
            out.append(_repaired(inst, "due_date", inst.due_date, expected, notices, path))
        else:
            unread.append(_unread(inst, "its due date is out of the plan's monthly sequence"))
    return out


def _prove_principal(
    st: Statement, insts: list[Installment], notices: list[Notice], path: str
) -> list[Installment]:
    """When the plan is complete and its principal does not add up to the loan, the one row whose principal a
    single-character correction fixes (keeping the row's own sum), if exactly one."""
    loan = st.terms.principal
    periods = st.terms.periods
    if loan is None or not insts or any(i.principal is None for i in insts):
        return insts
    if periods is not None and [i.period for i in insts] != list(range(1, periods + 1)):
        return insts
    total = sum((i.principal or ZERO for i in insts), ZERO)
    if total == loan:
        return insts
    found = []
    for k, inst in enumerate(insts):
        assert inst.principal is not None
        for candidate in one_character_variants(inst.principal):
            if (
                total - inst.principal + candidate == loan
                and row_adds_up(replace(inst, principal=candidate)) is not False
            ):
                found.append((k, candidate))
    if len(found) != 1:
        return insts
    k, value = found[0]
    insts = list(insts)
    insts[k] = _repaired(insts[k], "principal", insts[k].principal, value, notices, path)
    return insts


def relabel(st: Statement, path: str = "") -> tuple[Statement, list[Notice]]:
    """Rows whose period label was misread (``6/6`` in a plan whose other rows say ``/9``) given the one period
    their due date proves: the only period missing from the plan whose place in the monthly sequence is that
    date, and only when the row's own amounts add up. The correction is written into the row's evidence."""
    from collections import Counter

    insts = list(st.installments)
    counts = Counter(i.of_periods for i in insts if i.of_periods)
    if not counts:
        return st, []
    n, seen = counts.most_common(1)[0]
    plan = [i for i in insts if i.of_periods == n and i.due_date is not None]
    if seen < 3 or len(plan) < 2 or n is None:
        return st, []
    anchor = plan[0]
    assert anchor.due_date is not None
    day = anchor.due_date.day

    def due(period: int) -> date:
        assert anchor.due_date is not None
        return add_months(anchor.due_date, period - anchor.period, day)

    if any(due(i.period) != i.due_date for i in plan):
        return st, []  # the plan's own dates are not one monthly sequence: nothing to prove a label with
    present = {i.period for i in insts if i.of_periods == n}
    notices: list[Notice] = []
    out = []
    for inst in insts:
        if inst.of_periods in (None, n) or inst.due_date is None or row_adds_up(inst) is not True:
            out.append(inst)
            continue
        fits = [p for p in range(1, n + 1) if p not in present and due(p) == inst.due_date]
        if len(fits) != 1:
            out.append(inst)
            continue
        label = f"{inst.period}/{inst.of_periods}"
        note_zh = f"识别结果 {label} 经核对应为第{fits[0]}/{n}期（应还日期在还款计划月度顺序中的位置）"
        note = f"OCR read the period as {label}; its due date places it as period {fits[0]} of {n}"
        source = _corrected(inst, fits[0], note, note_zh, notices, path)
        out.append(replace(inst, period=fits[0], of_periods=n, source=source))
    return replace(st, installments=tuple(out)), notices
