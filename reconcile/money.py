"""The only place text becomes money.

>>> parse_amount("¥1,234.50")
Decimal('1234.50')

Amounts are `Decimal` from the first character to the last report cell; `float` never touches them. Amounts
with two or fewer decimals are normalised to exactly two (``27`` -> ``27.00``) so that equal sums print the
same; an amount with more decimals is kept as written (a lender that prints three decimals is evidence).
"""

from __future__ import annotations

import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from .errors import ParseError

CENT = Decimal("0.01")
#: Amounts above 10^15 yuan are not money anyone owes; they are damaged cells.
MAX_DIGITS = 15
ZERO = Decimal("0.00")

_PREFIXES = ("人民币", "RMB", "CNY", "¥", "$")
_SUFFIXES = ("元", "RMB", "CNY")
_COUNTRY_SUFFIX = re.compile(r"\((?:[A-Z]{2,3})\)$")
_REFUND_NOTE = re.compile(r"\((?:已退款\s*¥?\s*([0-9.,]+)|已全额退款)\)$")
_PLAIN = re.compile(r"\d+(?:\.\d+)?|\.\d+")
_GROUPED = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?")
_CN_DIGITS = {
    "零": 0, "〇": 0, "壹": 1, "一": 1, "贰": 2, "貳": 2, "二": 2, "两": 2, "兩": 2, "叁": 3, "參": 3, "三": 3,
    "肆": 4, "四": 4, "伍": 5, "五": 5, "陆": 6, "陸": 6, "六": 6, "柒": 7, "七": 7, "捌": 8, "八": 8,
    "玖": 9, "九": 9,
}  # fmt: skip
_CN_UNITS = {"拾": 10, "十": 10, "佰": 100, "百": 100, "仟": 1000, "千": 1000}
_CN_SECTIONS = {"万": 10_000, "萬": 10_000, "亿": 100_000_000, "億": 100_000_000}
_CN_CHARS = set(_CN_DIGITS) | set(_CN_UNITS) | set(_CN_SECTIONS) | set("元圆圓角分厘整正")


#: No amount in a consumer's export or a loan statement reaches ten billion yuan: beyond it is damage or attack.
LARGEST = Decimal(10) ** 10


def normalise(amount: Decimal) -> Decimal:
    """Two decimals for amounts written with two or fewer; more are kept as written."""
    exponent = amount.as_tuple().exponent
    if not isinstance(exponent, int) or amount.adjusted() > MAX_DIGITS or abs(amount) >= LARGEST:
        raise ParseError(f"amount out of range: {amount} (amounts below {LARGEST:,.0f} are read)")
    if exponent >= -2:
        return amount.quantize(CENT)
    return amount


def round_fen(amount: Decimal) -> Decimal:
    """Round half up to the fen (0.01), the convention of Chinese lenders' schedules."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def format_amount(amount: Decimal) -> str:
    """The canonical text of an amount: ``"1083.33"``, ``"-8.00"``; no exponent, no separators."""
    return f"{normalise(amount):f}"


def _clean(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    text = text.replace("\u2212", "-").replace("\ufe63", "-")
    return "".join(text.split())


def parse_amount(text: str) -> Decimal:
    """Parse one amount as exports print it.

    Accepts ``¥1,234.50``, ``￥``, ``1,234.50元``, ``CNY 12.00``, ``"-8,633.33"``, ``(25.00)`` (negative),
    ``+10000.00``, ``1.00-`` (trailing minus), full-width digits, a ``(CN)`` country suffix, a
    ``(已退款89.84)`` note (ignored here; see `parse_amount_with_refund`) and capital numerals
    (``人民币壹万贰仟元整``). Raises `ParseError` on anything else, including the empty string.
    """
    amount, _ = parse_amount_with_refund(text)
    return amount


def parse_amount_with_refund(text: str) -> tuple[Decimal, Decimal | None]:
    """Like `parse_amount`, also returning the refund written inside the cell (JD: ``131.77(已退款89.84)``).

    A ``(已全额退款)`` note returns the amount itself as refunded.
    """
    original = text
    s = _clean(text)
    if not s:
        raise ParseError(f"empty amount {original!r}")
    refunded: Decimal | None = None
    note = _REFUND_NOTE.search(s)
    if note:
        s = s[: note.start()]
    s = _COUNTRY_SUFFIX.sub("", s)
    if any(ch in _CN_CHARS for ch in s) and not any(ch.isdigit() for ch in s):
        value = parse_cn_amount(s)
        return value, None
    negative = False
    if s.startswith("(") and s.endswith(")"):
        negative, s = True, s[1:-1]
    signed = False
    for _ in range(2):
        if s and s[0] in "+-":
            if signed:
                raise ParseError(f"not an amount: {original!r}")
            signed, negative = True, negative ^ (s[0] == "-")
            s = s[1:]
        for prefix in _PREFIXES:
            if s.startswith(prefix):
                s = s[len(prefix) :]
        for suffix in _SUFFIXES:
            if s.endswith(suffix):
                s = s[: -len(suffix)]
    if s.endswith("-") and len(s) > 1 and not signed:
        negative, s = not negative, s[:-1]
    if _GROUPED.fullmatch(s):
        s = s.replace(",", "")
    elif not _PLAIN.fullmatch(s):
        raise ParseError(f"not an amount: {original!r}")
    try:
        value = Decimal(s)
    except InvalidOperation as exc:  # pragma: no cover - the regexes above admit only valid numbers
        raise ParseError(f"not an amount: {original!r}") from exc
    value = normalise(-value if negative else value)
    if note:
        refunded = value if note.group(1) is None else parse_amount(note.group(1))
    return value, refunded


def parse_cn_amount(text: str) -> Decimal:
    """Parse an amount in Chinese numerals as contracts write it: ``人民币壹万贰仟元整`` -> ``12000.00``.

    Handles 亿/万 sections, 仟佰拾 (and 千百十), 零 placeholders, 元/圆 with 角, 分 and 厘.
    """
    s = _clean(text)
    for prefix in ("人民币", "(大写)", "大写", ":", "RMB"):
        s = s.replace(prefix, "")
    s = s.rstrip("整正")
    if not s:
        raise ParseError(f"not an amount in Chinese numerals: {text!r}")
    negative = s.startswith(("负", "-"))
    if negative:
        s = s[1:]
    for separator in ("元", "圆", "圓"):
        if separator in s:
            integer_part, fraction = s.split(separator, 1)
            break
    else:
        integer_part, fraction = ("", s) if s.endswith(("角", "分", "厘")) else (s, "")
    value = Decimal(_cn_integer(integer_part, text)) if integer_part else Decimal(0)
    for unit, scale in (("角", Decimal("0.1")), ("分", Decimal("0.01")), ("厘", Decimal("0.001"))):
        if unit in fraction:
            head, fraction = fraction.split(unit, 1)
            head = head.lstrip("零〇")
            if head:
                if head not in _CN_DIGITS:
                    raise ParseError(f"not an amount in Chinese numerals: {text!r}")
                value += _CN_DIGITS[head] * scale
    if fraction.strip("零〇"):
        raise ParseError(f"not an amount in Chinese numerals: {text!r}")
    value = normalise(value)
    return -value if negative else value


def _cn_integer(s: str, original: str) -> int:
    total = 0
    section = 0
    digit: int | None = None
    for ch in s:
        if ch in _CN_DIGITS:
            digit = _CN_DIGITS[ch]
        elif ch in _CN_UNITS:
            section += (1 if digit is None else digit) * _CN_UNITS[ch]
            digit = None
        elif ch in _CN_SECTIONS:
            section += digit or 0
            digit = None
            scale = _CN_SECTIONS[ch]
            if scale > 10_000 and total:
                total = (total + section) * scale
            else:
                total += section * scale
            section = 0
        else:
            raise ParseError(f"not an amount in Chinese numerals: {original!r}")
    return total + section + (digit or 0)


def float_decimal(value: float) -> Decimal:
    """A spreadsheet's binary float as the decimal it shows. Its shortest repr when that is short
    (``274.66``); otherwise the float carries a formula's binary residue (``617.0499999999997``,
    ``1066.7599999999902``): within a millionth of a fen it is that fen, else 15 significant digits, as Excel
    keeps them."""
    if value != value or value in (float("inf"), float("-inf")):
        raise ParseError(f"not an amount: {value!r}")
    exact = Decimal(repr(value))
    if len(exact.as_tuple().digits) <= 12 or exact.as_tuple().exponent >= -4:  # type: ignore[operator]
        return exact
    fen = exact.quantize(CENT, rounding=ROUND_HALF_UP)
    if abs(exact - fen) < Decimal("0.00000001"):
        return fen
    return Decimal(format(value, ".15g")).normalize()


def decimal_from_cell(value: object) -> Decimal:
    """An amount from a spreadsheet cell: text through `parse_amount`, numbers through their shortest repr.

    Spreadsheet readers hand numeric cells over as binary floats. Such a float is read as Excel reads it, to
    15 significant digits: ``274.66`` stays ``274.66``, and a value a formula left as ``617.0499999999997`` is
    the ``617.05`` the sheet shows. The float itself never takes part in arithmetic.
    """
    if isinstance(value, bool):
        raise ParseError(f"not an amount: {value!r}")
    if isinstance(value, int):
        return normalise(Decimal(value))
    if isinstance(value, float):
        return normalise(float_decimal(value))
    if isinstance(value, Decimal):
        return normalise(value)
    if isinstance(value, str):
        return parse_amount(value)
    raise ParseError(f"not an amount: {value!r}")
