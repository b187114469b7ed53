"""Reading a statement's terms: the ``名称：值`` text around its table (FORMATS.md §8 vocabulary): lender, loan id,
principal, dates, term, repayment method, rates with their unit, the penalty rule, due day, fees, as-of date and
the totals the document declares.

The keys themselves and telling a terms line from a table row (`TERM_KEYS`, `is_term_line`, `loan_ids` ...) are
in `termlines`, importable from here as before."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from ..dates import parse_date
from ..errors import ParseError
from ..model import (
    DeclaredTotal,
    Fee,
    LoanTerms,
    Notice,
    PenaltyRule,
    Rate,
    RateUnit,
    RepaymentMethod,
    SourceRef,
)
from ..money import parse_amount
from ..rates import parse_rate
from ..vocab import METHODS, declared_kind, key_values, norm, product_of, term_kind
from .termlines import DECLARED_KEYS as DECLARED_KEYS
from .termlines import DECLARED_NORM
from .termlines import FEE_KEYS as FEE_KEYS
from .termlines import RATE_KEYS as RATE_KEYS
from .termlines import TERM_KEYS as TERM_KEYS
from .termlines import cell_pairs as cell_pairs
from .termlines import is_term_cells as is_term_cells
from .termlines import is_term_line as is_term_line
from .termlines import known_key as known_key
from .termlines import loan_ids as loan_ids
from .termlines import row_key as row_key

# ------------------------------------------------------------------------------------------- terms


@dataclass
class TermsReader:
    """Collects the terms from ``key：value`` lines (several per line) with the line each came from."""

    path: str
    sha256: str
    values: dict[str, tuple[str, SourceRef]] = field(default_factory=dict)
    rates: list[tuple[str, str, SourceRef]] = field(default_factory=list)
    fees: list[tuple[str, str, SourceRef]] = field(default_factory=list)
    declared: list[tuple[str, str, str, SourceRef]] = field(default_factory=list)  # name, label, value, ref
    titles: list[str] = field(default_factory=list)
    date_order: str | None = None  # dmy / mdy, as the document's table writes its dates

    def feed(self, line: str, ref: SourceRef) -> None:
        """A line of text: ``名称：值`` pairs (several per line), or a known key and its value in columns."""
        pairs = key_values(line)
        if not pairs:
            pairs = cell_pairs(re.split(r"\s{2,}|\t", line.strip()))
        if not pairs and line.strip() and len(line.strip()) < 60:
            self.titles.append(line.strip())
        self._take(pairs, ref)

    def feed_cells(self, cells: Sequence[str], ref: SourceRef) -> None:
        """A spreadsheet row: ``名称：值`` inside a cell, or a known key in one cell and its value in the next."""
        pairs: list[tuple[str, str]] = []
        for cell in cells:
            pairs += key_values(cell)
        seen = {norm(k) for k, _ in pairs}
        pairs += [(k, v) for k, v in cell_pairs(cells) if norm(k) not in seen]
        texts = [c.strip() for c in cells if c.strip()]
        if not pairs and len(texts) == 1 and len(texts[0]) < 60:
            self.titles.append(texts[0])
        self._take(pairs, ref)

    def _take(self, pairs: Sequence[tuple[str, str]], ref: SourceRef) -> None:
        for key, value in pairs:
            k = norm(key)
            kind = TERM_KEYS.get(k) or term_kind(key)
            rate_like = any(m in value for m in ("%", "％", "‰", "万分之", "千分之"))
            if kind == "rate" or (kind is None and rate_like and "率" in key):
                if rate_like:
                    self.rates.append((key, value, ref))
            elif kind == "fee":
                self.fees.append((key, value, ref))
            elif kind is not None and kind not in self.values:
                self.values[kind] = (value, ref)
            declared = DECLARED_NORM.get(k) or declared_kind(key)
            if declared is not None:
                self.declared.append((declared, key, value, ref))

    def text(self, name: str) -> str:
        return self.values[name][0] if name in self.values else ""

    def terms(self, notices: list[Notice]) -> tuple[LoanTerms, date | None, date | None, list[DeclaredTotal]]:
        """The loan's terms, the statement's as-of and settlement dates, and the totals it declares; a value that
        cannot be read is left out, with a notice."""
        refs: list[SourceRef] = []

        def take(name: str) -> str:
            if name in self.values:
                refs.append(self.values[name][1])
                return self.values[name][0]
            return ""

        lender = (
            take("lender") or _lender_from_titles(self.titles, brands=False) or _organisation(take("product"))
        )
        loan_id = take("loan_id").strip()
        borrower = take("borrower")
        principal = _amount_or_none(take("principal"), notices, "principal")
        start = _date_or_none(take("start"), notices, "loan date", self.date_order)
        periods = _periods(take("term"))
        method = _method(take("method"))
        due_day = _due_day(take("due_day"))
        rates = _rates(self.rates, notices, refs)
        penalty = _penalty(take("penalty"), rates)
        fees = _fees(self.fees, refs)
        title = " ".join(self.titles[:2])
        product = product_of(lender, title, self.text("loan_id"))
        main_rate = next((r for r in rates if not r.compound and r.unit is RateUnit.ANNUAL), None) or (
            rates[0] if rates else None
        )
        terms = LoanTerms(
            borrower=borrower,
            lender=lender or _lender_from_titles(self.titles),
            product=product,
            loan_id=loan_id,
            principal=principal,
            start_date=start,
            periods=periods,
            method=method,
            rate=main_rate,
            rates=tuple(rates),
            penalty=penalty,
            due_day=due_day,
            fees=tuple(fees),
            sources=tuple(dict.fromkeys(refs)),
        )
        as_of = _date_or_none(take("as_of"), notices, "statement date", self.date_order)
        settled_on = _date_or_none(take("settled_on"), notices, "settlement date", self.date_order)
        return terms, as_of, settled_on, _declared(self.declared)


def _periods(term_text: str) -> int | None:
    """The number of periods a term gives: ``12期``, ``12个月``, ``1年`` (12); a term in days gives none."""
    periods = None
    if term_text:
        m = re.search(r"(\d+)\s*(期|个月|月|months?|periods?|installments?)?", term_text, re.I)
        years = re.fullmatch(r"\s*(\d{1,2})\s*(年|years?)\s*", term_text, re.I)
        days = re.match(
            r"\s*\d+\s*(天|日|days?)", term_text, re.I
        )  # a term in days is not a count of periods
        periods = None if days else int(years.group(1)) * 12 if years else int(m.group(1)) if m else None
    return periods


def _method(method_text: str) -> RepaymentMethod | None:
    """The repayment method a method's text names (等额本息 ...), the first found in `METHODS`' order."""
    method = None
    for word, candidate in METHODS.items():
        if word in method_text.lower():
            method = candidate
            break
    return method


def _due_day(due_text: str) -> int | None:
    """The day of the month a due-day text gives (``每月15日``, ``15th``), not a full date's."""
    due_day = None
    m = (
        re.search(r"(?<!\d)(\d{1,2})\s*(日|号|th|st|nd|rd)?(?!\d)", due_text)
        if due_text and not re.search(r"\d{4}", due_text)
        else None
    )
    if m and 1 <= int(m.group(1)) <= 31:
        due_day = int(m.group(1))
    return due_day


def _rates(
    found: Sequence[tuple[str, str, SourceRef]], notices: list[Notice], refs: list[SourceRef]
) -> list[Rate]:
    """The rates read from ``key：value`` pairs, their lines added to ``refs``; a notice for each unreadable."""
    rates: list[Rate] = []
    for key, value, ref in found:
        try:
            unit_hint = (key + value).lower()
            words = ("日", "月", "年", "day", "year", "month", "annual", "apr", "daily")
            annual_key = "年" in key or "annual" in key.lower() or "apr" in key.lower()
            plain = unit_hint if any(u in unit_hint for u in words) else value
            try:
                rate = parse_rate(plain, default_unit=RateUnit.ANNUAL if annual_key else None)
            except ParseError:
                # a bare percentage of 1% or more (利率：4.35%, Interest Rate: 3.99%) is an annual rate, as
                # Chinese and English loan documents quote one; anything smaller says nothing and is left
                rate = parse_rate(plain, default_unit=RateUnit.ANNUAL)
                if rate.value < Decimal("0.01"):
                    raise
            rates.append(
                Rate(
                    value=rate.value,
                    unit=rate.unit,
                    compound=rate.compound or "复利" in key,
                    basis=rate.basis,
                    text=f"{key}：{value}",
                )
            )
            refs.append(ref)
        except ParseError as exc:
            notices.append(
                Notice(
                    code="term-unreadable",
                    message=f"{key}：{value}: {exc}",
                    where=ref.where(),
                    message_zh=f"{key}：{value} 无法读取为利率（未注明按日、按月或按年）",
                )
            )
    return rates


def _fees(found: Sequence[tuple[str, str, SourceRef]], refs: list[SourceRef]) -> list[Fee]:
    """The fees from ``key：value`` pairs, as an amount or a rate where the value reads as one; their lines are
    added to ``refs``."""
    fees = []
    for key, value, ref in found:
        fee_amount: Decimal | None = None
        fee_rate: Rate | None = None
        try:
            if "%" in value:
                fee_rate = parse_rate(value, default_unit=RateUnit.ANNUAL)
            else:
                fee_amount = parse_amount(value)
        except ParseError:
            pass
        fees.append(Fee(name=key, amount=fee_amount, rate=fee_rate, text=f"{key}：{value}"))
        refs.append(ref)
    return fees


def _declared(found: Sequence[tuple[str, str, str, SourceRef]]) -> list[DeclaredTotal]:
    """The declared totals whose values read as amounts."""
    declared = []
    for name, label, value, ref in found:
        try:
            declared.append(DeclaredTotal(name=name, label=label, value=parse_amount(value), source=ref))
        except ParseError:
            continue
    return declared


_ORG_ZH = re.compile(
    r"[\u4e00-\u9fff（）()]{2,30}?(?:银行(?:股份有限公司)?(?:[\u4e00-\u9fff]{2,10}?(?:分行|支行))?(?:信用卡中心)?"
    r"|消费金融(?:股份)?有限公司|小额贷款(?:股份)?有限公司|融资担保(?:股份)?有限公司|信托有限(?:责任)?公司"
    r"|(?:金融|科技|信息|网络|数字)[\u4e00-\u9fff]{0,8}?有限公司|消费金融|小额贷款)"
)
_ORG_EN = re.compile(
    r"[A-Z][A-Za-z&.' -]{1,60}?(?:Bank|Finance|Financial|Credit|Lending|Capital)\b[A-Za-z&.,'() -]{0,60}?"
    r"(?:Limited|Ltd\.?|Co\.,? ?Ltd\.?|Corporation|Corp\.?|Inc\.?|PLC)(?:, [A-Z][A-Za-z ]{2,30} Branch)?"
)
_BRANDS = (
    "京东白条",
    "京东金条",
    "花呗",
    "借呗",
    "微粒贷",
    "美团月付",
    "抖音月付",
    "安逸花",
    "招联好期贷",
    "网商贷",
)


def _organisation(text: str) -> str:
    """An institution's name in a text (中银消费金融有限公司, Standard Chartered Bank (China) Limited), else the
    text itself when it is a short product name."""
    found = _ORG_ZH.search(text) or _ORG_EN.search(text)
    if found:
        return found.group(0).strip(" ,")
    return text.strip() if 0 < len(text.strip()) <= 20 else ""


def _lender_from_titles(titles: Sequence[str], *, brands: bool = True) -> str:
    """The lender named in a title or heading line, or failing that a product brand a title starts with."""
    for title in titles:
        found = _ORG_ZH.search(title) or _ORG_EN.search(title)
        if found:
            return found.group(0).strip(" ,")
    for title in titles if brands else ():
        for brand in _BRANDS:
            if title.strip().startswith(brand):
                return brand
    return ""


_WHAT_ZH = {
    "principal": "借款金额",
    "loan date": "借款日期",
    "statement date": "对账日期",
    "settlement date": "结清日期",
}


def _amount_or_none(text: str, notices: list[Notice], what: str) -> Decimal | None:
    if not text:
        return None
    try:
        return parse_amount(re.sub(r"[（(].*$", "", text))
    except ParseError:
        notices.append(
            Notice(
                code="term-unreadable",
                message=f"{what} {text!r} is not an amount",
                message_zh=f"{_WHAT_ZH.get(what, what)} {text!r} 不是金额",
            )
        )
        return None


def _date_or_none(text: str, notices: list[Notice], what: str, order: str | None = None) -> date | None:
    if not text:
        return None
    try:
        return parse_date(text, order=order)
    except ParseError:
        notices.append(
            Notice(
                code="term-unreadable",
                message=f"{what} {text!r} is not a date",
                message_zh=f"{_WHAT_ZH.get(what, what)} {text!r} 不是日期",
            )
        )
        return None


def _penalty(text: str, rates: Sequence[Rate]) -> PenaltyRule | None:
    """``按日利率上浮50%`` / ``合同利率上浮50%`` / ``利率的1.5倍`` -> multiplier 1.5; an explicit rate otherwise."""
    if not text:
        return None
    s = unicodedata.normalize("NFKC", text)
    m = re.search(r"上浮\s*(\d+(?:\.\d+)?)\s*%", s)
    if m:
        return PenaltyRule(multiplier=1 + Decimal(m.group(1)) / 100, text=text)
    m = re.search(r"(\d+(?:\.\d+)?)\s*倍", s)
    if m:
        return PenaltyRule(multiplier=Decimal(m.group(1)), text=text)
    try:
        return PenaltyRule(rate=parse_rate(s), text=text)
    except ParseError:
        return PenaltyRule(text=text)
