"""Repayment plans laid out as one card per installment, as phone apps show them (and print them to PDF):

    第3期          还款日 2024-06-10        ¥326.40
    本金 ¥300.00   手续费 ¥26.40            已还清

A card starts at a period label; inside it, each vocabulary word (本金, 利息, 手续费, 还款日, 已还 ...) names the
value after it; an amount nobody names is the installment's total, a date nobody names its due date, a status
word its status. The cards become the same `TableLine` rows a table gives, so they are classified and checked
the same way.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..model import SourceRef
from ..read.pdfpage import Page, Word, line_text
from ..vocab import column_field
from .cells import TableLine
from .periods import parse_period

_LABEL_VALUE = re.compile(r"^([^\d¥￥$+\-(（]{1,12}?)\s*[:：]?\s*([-+(（]?[¥￥$]?\s*\d.*)$")
_AMOUNT = re.compile(
    r"^[-+(（]?[¥￥$]?\s*\d{1,3}(?:,\d{3})*(?:\.\d{1,2})?[)）]?元?$|^[-+]?[¥￥$]?\d+(?:\.\d{1,2})?元?$"
)
_DATE = re.compile(r"^\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}日?$|^\d{8}$")
_STATUS = re.compile(
    r"^(已还清|已结清|已还款|已还|正常还款|提前还款|待还款|待还|未到期|未还|逾期|已逾期|部分还款|还款中|今日到期|即将到期)$"
)
_YEAR_HEADING = re.compile(r"^(\d{4})年$")
_MONTH_DAY = re.compile(r"^(\d{1,2})(?:月(\d{1,2})日|[-/](\d{1,2}))$")  # 05月10日, 05-10, 05/10
_PERIOD_START = re.compile(
    r"^(第\s*\d{1,3}\s*期|第?\s*\d{1,3}\s*/\s*\d{1,3}\s*期?|第[一二三四五六七八九十]{1,3}期)$"
)


@dataclass
class Card:
    page: int
    lines: list[list[Word]]
    first_line: int  # 1-based line number on the page
    year: int | None = None  # from a year heading above the card (2024年), for dates printed as 05月10日


def find_cards(pages: Sequence[Page]) -> tuple[list[Card], list[tuple[int, int, str]]]:
    """The cards (each from a period label to the next; the last one as far as its lines keep the spacing the
    other cards have) and the text lines outside them (for the terms)."""
    starts = [
        (p.number, k) for p in pages for k, line in enumerate(p.lines) if _period_word(line) is not None
    ]
    cards: list[Card] = []
    years = [
        (p.number, k, int(m.group(1)))
        for p in pages
        for k, line in enumerate(p.lines)
        if (m := _YEAR_HEADING.match(line_text(line).replace(" ", "")))
    ]
    taken: set[tuple[int, int]] = set()
    gaps: list[float] = []
    by_page = {p.number: p for p in pages}
    for n, (page_no, k) in enumerate(starts):
        lines = by_page[page_no].lines
        nxt = starts[n + 1] if n + 1 < len(starts) else None
        stop = nxt[1] if nxt is not None and nxt[0] == page_no else len(lines)
        year = next((y for pg, ln, y in reversed(years) if (pg, ln) < (page_no, k)), None)
        card = Card(page_no, [list(lines[k])], k + 1, year)
        taken.add((page_no, k))
        limit = 1.25 * max(gaps) if gaps else 3.0 * max(w.size for w in lines[k])
        for j in range(k + 1, stop):
            gap = lines[j][0].top - max(w.bottom for w in card.lines[-1])
            last_card = nxt is None or nxt[0] != page_no
            if last_card and (gap > limit or _term(lines[j])):
                break
            if not last_card:
                gaps.append(gap)
            card.lines.append(list(lines[j]))
            taken.add((page_no, j))
        cards.append(card)
    before = [
        (p.number, k + 1, line_text(line))
        for p in pages
        for k, line in enumerate(p.lines)
        if (p.number, k) not in taken
    ]
    return [c for c in cards if _has_amount(c)], before


def _term(line: Sequence[Word]) -> bool:
    return bool(re.match(r"^[^\d\s:：]{2,12}\s*[:：]", line_text(line)))


def _period_word(line: Sequence[Word]) -> str | None:
    if not line:
        return None
    first = line[0].text
    if len(line) > 1 and first == "第" and line[1].text.endswith("期"):
        first = first + line[1].text
    return first if _PERIOD_START.match(first) and parse_period(first) is not None else None


def _has_amount(card: Card) -> bool:
    return any(_AMOUNT.match(w.text) or _LABEL_VALUE.match(w.text) for ln in card.lines for w in ln)


def card_lines(cards: Sequence[Card], path: str, sha256: str) -> list[TableLine]:
    """Each card as a table row: its labelled values in their fields, the rest by what they look like."""
    out = []
    for card in cards:
        tokens = [w.text for ln in card.lines for w in ln]
        cells: dict[str, str] = {"period": _period_word(card.lines[0]) or tokens[0]}
        skip = 2 if tokens[0] == "第" else 1
        extra: dict[str, str] = {}
        pending: str | None = None
        loose_amounts: list[str] = []
        loose_dates: list[str] = []
        rest = tokens[skip:]
        for n, text in enumerate(rest):
            following = rest[n + 1] if n + 1 < len(rest) else ""
            label, value = _split(text)
            if label is not None and value is not None:
                name = _field(label)
                if name and name not in cells:
                    cells[name] = value
                else:
                    extra[label] = value
                pending = None
                continue
            if pending is not None and (_AMOUNT.match(text) or _DATE.match(text)):
                name = _field(pending)
                if name and name not in cells:
                    cells[name] = text
                else:
                    extra[pending] = text
                pending = None
                continue
            if _field(text) is not None and (_AMOUNT.match(following) or _DATE.match(following)):
                pending = text  # 已还 ¥534.67: a label, though 已还 alone would be a status
                continue
            if _STATUS.match(text):
                cells.setdefault("status", text)
                continue
            if _field(text) is not None:
                pending = text
                continue
            if _AMOUNT.match(text):
                loose_amounts.append(text)
            elif _DATE.match(text):
                loose_dates.append(text)
            elif text:
                extra.setdefault("text", text)
        if loose_amounts:
            cells.setdefault("total", loose_amounts[0])
            for i, text in enumerate(loose_amounts[1:], start=2):
                extra[f"amount {i}"] = text
        if loose_dates:
            cells.setdefault("due_date", loose_dates[0])
        elif card.year is not None:
            day = next((m for t in rest if (m := _MONTH_DAY.match(t))), None)
            if day is not None:
                month, dom = int(day.group(1)), int(day.group(2) or day.group(3))
                cells.setdefault("due_date", f"{card.year}-{month:02d}-{dom:02d}")
        text = " ".join(" ".join(w.text for w in ln) for ln in card.lines)
        ref = SourceRef(path=path, sha256=sha256, page=card.page, row=card.first_line, text=text)
        out.append(TableLine(cells, {}, ref, extra))
    return out


def _split(text: str) -> tuple[str | None, str | None]:
    m = _LABEL_VALUE.match(text)
    if not m:
        return None, None
    return m.group(1), m.group(2)


def _field(label: str) -> str | None:
    name = column_field(label)
    if name == "balance":
        return None
    return name
