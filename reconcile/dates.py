"""Dates and times as Chinese exports write them. All local times are China Standard Time (UTC+8)."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal, InvalidOperation

from .errors import ParseError

#: China Standard Time. Exports state local time (WeChat: "所有时间均为UTC+08:00时间"); there is no DST.
CST = timezone(timedelta(hours=8), "Asia/Shanghai")

_DATE = re.compile(
    r"(?P<y>\d{4})\s*(?:[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})\s*日?"
    r"|(?P<m8>\d{2})(?P<d8>\d{2}))"
)
_TIME = re.compile(
    r"(?P<H>\d{1,2})\s*[:：时]\s*(?P<M>\d{1,2})(?:\s*[:：分]\s*(?P<S>\d{1,2})(?:\.(?P<f>\d{1,6}))?)?"
)
_TIME6 = re.compile(r"(?P<H>\d{2})(?P<M>\d{2})(?P<S>\d{2})")
_EXCEL_EPOCH = datetime(1899, 12, 30)
_EXCEL_EPOCH_1904 = datetime(1904, 1, 1)


def _clean(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip().strip("[]").strip()


_MONTHS = {
    m: i
    for i, names in enumerate(
        (("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",), ("jun", "june"),
         ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"), ("oct", "october"),
         ("nov", "november"), ("dec", "december")),
        start=1,
    )
    for m in names
}  # fmt: skip
_DAY_MONTH_NAME = re.compile(r"^(\d{1,2})[\s\-/.]*([a-z]{3,9})\.?[\s\-/.,]*(\d{4})$", re.I)
_MONTH_NAME_DAY = re.compile(r"^([a-z]{3,9})\.?[\s\-/.]*(\d{1,2})(?:st|nd|rd|th)?,?[\s\-/.]*(\d{4})$", re.I)
_NUMERIC_DMY = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")


def parse_date(text: str, *, order: str | None = None) -> date:
    """``2024-01-10``, ``2024/1/10``, ``2024.1.10``, ``20240110``, ``2024年1月10日`` (a time after it is ignored),
    ``10 Jan 2024``, ``Jan 10, 2024``; ``10/01/2024`` only with ``order`` ``"dmy"`` or ``"mdy"`` (the column's
    other dates say which), never by guessing."""
    s = _clean(text)
    m = _DATE.match(s)
    if not m:
        return _other_date(s, text, order)
    rest = s[m.end() :].strip()
    if rest and not (rest[0] in "T " or rest[0].isdigit() or _TIME.match(rest)):
        raise ParseError(f"not a date: {text!r}")
    return _make_date(m, text)


def _other_date(s: str, text: str, order: str | None) -> date:
    head = s.split(" ")[0] if _NUMERIC_DMY.match(s.split(" ")[0]) else s
    named = _DAY_MONTH_NAME.match(s)
    if named and named.group(2).lower() in _MONTHS:
        return _checked(int(named.group(3)), _MONTHS[named.group(2).lower()], int(named.group(1)), text)
    named = _MONTH_NAME_DAY.match(s)
    if named and named.group(1).lower() in _MONTHS:
        return _checked(int(named.group(3)), _MONTHS[named.group(1).lower()], int(named.group(2)), text)
    numeric = _NUMERIC_DMY.match(head)
    if numeric and order in ("dmy", "mdy"):
        a, b, year = int(numeric.group(1)), int(numeric.group(2)), int(numeric.group(3))
        day, month = (a, b) if order == "dmy" else (b, a)
        return _checked(year, month, day, text)
    raise ParseError(f"not a date: {text!r}")


def _checked(year: int, month: int, day: int, text: str) -> date:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ParseError(f"not a plausible date: {text!r} (years {FIRST_YEAR}-{LAST_YEAR} are read)")
    try:
        return date(year, month, day)
    except ValueError as exc:
        raise ParseError(f"not a valid date: {text!r}") from exc


def date_order(texts: list[str]) -> str | None:
    """``dmy`` or ``mdy`` for a column of ``dd/mm/yyyy``-or-``mm/dd/yyyy`` dates: a first part over 12 says day
    first, a second part over 12 says month first; otherwise the order under which every date falls on the same
    day of the month (as due dates do). None when nothing tells."""
    pairs = []
    for t in texts:
        m = _NUMERIC_DMY.match(_clean(t).split(" ")[0]) if t else None
        if m:
            pairs.append((int(m.group(1)), int(m.group(2))))
    if not pairs:
        return None
    dmy_possible = all(1 <= b <= 12 and 1 <= a <= 31 for a, b in pairs)
    mdy_possible = all(1 <= a <= 12 and 1 <= b <= 31 for a, b in pairs)
    if dmy_possible != mdy_possible:
        return "dmy" if dmy_possible else "mdy"
    if not dmy_possible:
        return None
    if len({a for a, _ in pairs}) == 1 and len({b for _, b in pairs}) > 1:
        return "dmy"
    if len({b for _, b in pairs}) == 1 and len({a for a, _ in pairs}) > 1:
        return "mdy"
    return None


#: Years a date in an export or a statement can fall in; anything else is a typo or an attack, never a date.
FIRST_YEAR, LAST_YEAR = 1900, 2199


def _make_date(m: re.Match[str], text: str) -> date:
    year = int(m.group("y"))
    month = int(m.group("m") or m.group("m8"))
    day = int(m.group("d") or m.group("d8"))
    return _checked(year, month, day, text)


def parse_datetime(text: str) -> tuple[datetime, bool]:
    """A local date with an optional time; returns (aware datetime in CST, whether a time was given).

    Accepts the forms of `parse_date` followed by ``HH:MM[:SS]``, ``HH时MM分SS秒``, a ``T`` separator, a date and
    time run together (``2024-01-1012:30:00``, as ICBC PDFs print it) or ``YYYYMMDD HHMMSS``.
    """
    s = _clean(text)
    m = _DATE.match(s)
    if not m:
        raise ParseError(f"not a date/time: {text!r}")
    day = _make_date(m, text)
    rest = s[m.end() :].lstrip("T ").strip()
    if not rest:
        return datetime.combine(day, time(0), CST), False
    t = _TIME.fullmatch(re.sub(r"[分秒]$", "", rest)) or _TIME6.fullmatch(rest)
    if not t:
        raise ParseError(f"not a date/time: {text!r}")
    return datetime.combine(day, _make_time(t, text), CST), True


def parse_time(text: str) -> time:
    """``12:30``, ``12:30:05``, ``123005``."""
    s = _clean(text)
    t = _TIME.fullmatch(s) or _TIME6.fullmatch(s)
    if not t:
        raise ParseError(f"not a time: {text!r}")
    return _make_time(t, text)


def _make_time(t: re.Match[str], text: str) -> time:
    groups = t.groupdict()
    fraction = groups.get("f") or ""
    try:
        return time(
            int(t.group("H")),
            int(t.group("M")),
            int(t.group("S") or 0),
            int(fraction.ljust(6, "0")) if fraction else 0,
        )
    except ValueError as exc:
        raise ParseError(f"not a valid time: {text!r}") from exc


def from_excel_serial(value: object, *, date1904: bool = False) -> datetime:
    """An Excel serial date-time (``45301.5`` = 2024-01-10 12:00) as a CST datetime, exact to the second."""
    try:
        serial = Decimal(repr(value) if isinstance(value, float) else str(value).strip())
    except InvalidOperation as exc:
        raise ParseError(f"not an Excel date serial: {value!r}") from exc
    if not serial.is_finite() or not 0 < serial < 109_575:  # 2199-12-31
        raise ParseError(f"not an Excel date serial: {value!r}")
    days = int(serial)
    seconds = int(((serial - days) * 86400).quantize(Decimal(1)))
    epoch = _EXCEL_EPOCH_1904 if date1904 else _EXCEL_EPOCH
    return (epoch + timedelta(days=days, seconds=seconds)).replace(tzinfo=CST)


def plausible(value: date) -> date:
    """``value`` itself, or `ParseError` when its year is outside the years any export or statement can have."""
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ParseError(
            f"not a plausible date: {value.isoformat()} (years {FIRST_YEAR}-{LAST_YEAR} are read)"
        )
    return value


def as_local(value: datetime | date) -> tuple[datetime, bool]:
    """A spreadsheet's date or datetime cell as (CST datetime, whether it carried a time)."""
    plausible(value)
    if isinstance(value, datetime):
        has_time = value.time() != time(0)
        return (value if value.tzinfo else value.replace(tzinfo=CST)), has_time
    return datetime.combine(value, time(0), CST), False
