"""Period labels in a statement's period column: ``3``, ``3/12``, ``第三期``, ``Installment 3``, and ``5-12``
(period 5 of 12) where a whole column writes its labels so."""

from __future__ import annotations

import re
from collections.abc import Sequence

from .cells import clean_cell

_CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_PERIOD = re.compile(
    r"^(?:第|no\.?|#|period|installment|instalment|inst\.?|term)?\s*(\d{1,4})\s*(?:期|th|st|nd|rd)?"
    r"(?:\s*(?:/|of|／)\s*(\d{1,4})\s*(?:期)?)?$",
    re.I,
)
_PERIOD_CN = re.compile(r"^第?([零〇一二两三四五六七八九十百]{1,6})期$")
_PERIOD_DASH = re.compile(r"^(\d{1,3})\s*[-－~]\s*(\d{1,3})$")


def parse_period(text: str) -> tuple[int, int | None] | None:
    """``3``, ``03``, ``3/12``, ``第3期``, ``第 3 期``, ``第三期``, ``3 of 12``, ``Installment 3`` -> (3, 12 or None).

    ``5-12`` is read as period 5 of 12 only by `PeriodReader` when every row of the column is written so."""
    s = clean_cell(text)
    m = _PERIOD.match(s)
    if m:
        n = int(m.group(1))
        of = int(m.group(2)) if m.group(2) else None
        if 1 <= n <= 9999 and (of is None or n <= of):
            return n, of
        return None
    m = _PERIOD_CN.match(s)
    number = _cn_number(m.group(1)) if m else None
    return (number, None) if number else None


def _cn_number(text: str) -> int | None:
    """一 .. 九百九十九 (the numerals a period label uses)."""
    total = 0
    current = 0
    for ch in text:
        if ch in _CN_DIGITS:
            current = _CN_DIGITS[ch]
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        elif ch == "百":
            total += (current or 1) * 100
            current = 0
        else:
            return None
    total += current
    return total or None


def dash_periods(texts: Sequence[str]) -> bool:
    """Whether a period column writes every label as ``n-N`` with one N (``5-12``: period 5 of 12)."""
    found = [_PERIOD_DASH.match(clean_cell(t)) for t in texts if clean_cell(t)]
    if len(found) < 2 or not all(found):
        return False
    totals = {int(m.group(2)) for m in found if m}
    return len(totals) == 1 and all(m and 1 <= int(m.group(1)) <= int(m.group(2)) for m in found)


def dash_period(text: str) -> tuple[int, int] | None:
    """``5-12`` -> (5, 12), for a column whose labels `dash_periods` found all written so."""
    m = _PERIOD_DASH.match(text)
    return (int(m.group(1)), int(m.group(2))) if m else None
