"""How a bank table's cells are read, beyond what `read.table` does for every table: amounts (numbers as stored,
text possibly with a currency code), currencies by name or code, time cells, and the statement month that gives
credit card ``MM/DD`` dates their year."""

from __future__ import annotations

import re
from datetime import datetime, time
from decimal import Decimal

from ..dates import parse_time
from ..errors import ParseError
from ..money import decimal_from_cell, parse_amount
from ..read.table import parse_cell_datetime

_TITLE_MONTH = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月")
_CURRENCY = re.compile(r"^([A-Z]{3})\s*(.*)$")
_CURRENCY_NAMES = {
    "人民币": "CNY",
    "RMB": "CNY",
    "CNY": "CNY",
    "美元": "USD",
    "港币": "HKD",
    "日元": "JPY",
    "欧元": "EUR",
}


def time_of(text: str, value: object) -> time:
    """A time cell: ``09:12:30``, ``091230``, or a full date-time some banks put in their 交易时间 column."""
    if isinstance(value, datetime):
        return value.time()
    try:
        return parse_time(text)
    except ParseError:
        stamp, has_time = parse_cell_datetime(text)
        if not has_time:
            raise
        return stamp.time()


def statement_month(text: str) -> tuple[int, int] | None:
    """(year, month) of a statement from its title (``2024年3月``): the year of its ``MM/DD`` dates."""
    m = _TITLE_MONTH.search(text)
    if m and 1 <= int(m.group(2)) <= 12:
        return int(m.group(1)), int(m.group(2))
    return None


def currency(text: str) -> str:
    """A currency cell as a code (``人民币`` -> ``CNY``; an empty cell is CNY)."""
    if not text or text in ("-", "--"):
        return "CNY"
    return _CURRENCY_NAMES.get(text.strip(), text.strip().upper() if text.isascii() else text.strip())


def money(raw: object) -> Decimal:
    """An amount cell: numbers as stored; text possibly with a currency code (``CNY 12.00``, ``JPY 1000.00``)."""
    if not isinstance(raw, str):
        return decimal_from_cell(raw)
    m = _CURRENCY.match(raw.strip())
    return parse_amount(m.group(2) if m else raw)


def optional_money(raw: object, text: str) -> Decimal | None:
    """`money`, or None for an empty cell (``text`` is the cell as shown: ``""``, ``-``, ``--`` or ``/``)."""
    if text in ("", "-", "--", "/"):
        return None
    return money(raw)
