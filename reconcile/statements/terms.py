"""Reading a statement's terms: the ``名称：值`` text around its table (FORMATS.md §8 vocabulary): lender, loan id,
principal, dates, term, repayment method, rates with their unit, the penalty rule, due day, fees, as-of date and
the totals the document declares."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
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
    SourceRef,
)
from ..money import parse_amount
from ..rates import parse_rate
from ..vocab import METHODS, declared_kind, key_values, norm, product_of, term_kind

# key -> field, for the terms printed around the table (normalised: NFKC, no spaces, lower case)
TERM_KEYS: dict[str, str] = {}
for _field, _names in {
    "lender": (
        "借款机构", "贷款机构", "放款机构", "出借人", "贷款人", "机构名称", "贷款银行", "放款银行", "资金方", "出资方",
        "放款方", "贷款方", "债权人", "发卡行", "Lender", "Bank", "Creditor",
    ),
    "loan_id": (
        "借据号", "借款编号", "贷款账号", "合同编号", "订单号", "借款单号", "借据编号", "合同号", "借款合同编号",
        "借款合同号", "贷款合同号", "贷款合同编号", "贷款编号", "借款借据号", "借据", "贷款借据号", "分期编号",
        "分期订单号", "业务编号", "账号", "贷款账户", "Loan No", "Loan ID", "Loan Number", "Contract No",
        "Contract Number", "Agreement No", "Account No", "Loan Account", "Reference",
    ),
    "principal": (
        "借款金额", "借款本金", "贷款本金", "贷款金额", "放款金额", "分期本金", "合同金额", "分期总金额", "借款总额",
        "贷款总额", "分期金额", "分期总额", "实际放款金额", "Loan amount", "Principal", "Amount financed",
        "Loan principal",
    ),
    "start": (
        "借款日期", "放款日期", "起息日", "放款时间", "借款时间", "起息日期", "贷款发放日", "发放日期", "放款日",
        "借款起始日", "贷款起始日", "合同起始日", "分期日期", "Loan date", "Start date", "Disbursement date",
        "Value date", "Drawdown date",
    ),
    "term": (
        "借款期限", "期数", "贷款期限", "分期期数", "总期数", "借款期数", "还款期数", "分期数", "期限",
        "Term", "Periods", "Tenor", "Number of installments", "Installments",
    ),
    "method": ("还款方式", "Repayment method", "Repayment type", "Method"),
    "due_day": ("每月还款日", "还款日", "每期还款日", "Due day", "Payment day", "Monthly due date"),
    "as_of": (
        "查询日期", "对账日期", "账单日", "出账日", "统计截止日", "打印日期", "截止日期", "生成日期", "制表日期",
        "数据日期", "统计日期", "打印时间", "生成时间", "导出日期", "导出时间", "数据截至", "截至日期",
        "As of", "Statement date", "Print date", "Date printed", "Generated on",
    ),
    "penalty": ("罚息利率", "逾期罚息", "罚息", "逾期利率", "罚息标准", "逾期罚息利率", "Penalty rate", "Default rate"),
    "borrower": (
        "借款人", "姓名", "客户姓名", "户名", "借款人姓名", "客户名称", "持卡人", "Borrower", "Name",
        "Customer name", "Customer",
    ),
    "settled_on": ("结清日期", "结清时间"),
}.items():  # fmt: skip
    for _name in _names:
        TERM_KEYS[norm(_name)] = _field
RATE_KEYS = (
    "日利率",
    "月利率",
    "年利率",
    "年化利率",
    "年化利率(单利)",
    "年化利率(复利)",
    "执行年利率",
    "执行利率",
    "合同利率",
    "贷款利率",
    "借款利率",
    "贷款年利率",
    "合同年利率",
    "年化综合费率",
    "利率",
    "dailyrate",
    "annualrate",
    "apr",
    "interestrate",
    "monthlyrate",
    "contractrate",
)
FEE_KEYS = ("手续费率", "分期手续费", "手续费", "服务费", "管理费", "账户管理费", "担保费", "会员费", "费率")
DECLARED_KEYS = {
    "当前逾期金额": "overdue", "逾期总额": "overdue", "逾期金额": "overdue", "剩余未还": "remaining",
    "剩余应还": "remaining", "待还总额": "remaining", "剩余本金": "remaining_principal", "合计": "total",
    "总计": "total", "应还总额": "total", "已还总额": "paid", "本期应还": "current_due", "本期应还金额": "current_due",
    "本期账单金额": "current_due", "上期账单金额": "previous_balance", "上期应还金额": "previous_balance",
    "最低还款额": "minimum_due", "剩余应还金额": "remaining", "剩余未还金额": "remaining", "未还总额": "remaining",
    "待还金额": "remaining", "剩余应还总额": "remaining", "剩余未还本金": "remaining_principal",
    "当前逾期": "overdue", "逾期未还金额": "overdue", "已还金额": "paid", "累计已还": "paid", "已还本息": "paid",
    "应还总额合计": "total", "总应还": "total", "本息合计": "total", "应还本息合计": "total",
    "Total outstanding": "remaining", "Outstanding balance": "remaining", "Total overdue": "overdue",
    "Overdue amount": "overdue", "Total paid": "paid", "Total due": "current_due", "Amount due": "current_due",
    "Remaining principal": "remaining_principal",
}  # fmt: skip
_DECLARED_NORM: dict[str, str] = {norm(k): v for k, v in DECLARED_KEYS.items()}
_FEE_NORM = frozenset(norm(f) for f in FEE_KEYS)


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
            declared = _DECLARED_NORM.get(k) or declared_kind(key)
            if declared is not None:
                self.declared.append((declared, key, value, ref))

    def text(self, name: str) -> str:
        return self.values[name][0] if name in self.values else ""

    def terms(self, notices: list[Notice]) -> tuple[LoanTerms, date | None, date | None, list[DeclaredTotal]]:
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
        periods = None
        term_text = take("term")
        if term_text:
            m = re.search(r"(\d+)\s*(期|个月|月|months?|periods?|installments?)?", term_text, re.I)
            years = re.fullmatch(r"\s*(\d{1,2})\s*(年|years?)\s*", term_text, re.I)
            days = re.match(
                r"\s*\d+\s*(天|日|days?)", term_text, re.I
            )  # a term in days is not a count of periods
            periods = None if days else int(years.group(1)) * 12 if years else int(m.group(1)) if m else None
        method = None
        method_text = take("method")
        for word, candidate in METHODS.items():
            if word in method_text.lower():
                method = candidate
                break
        due_day = None
        due_text = take("due_day")
        m = (
            re.search(r"(?<!\d)(\d{1,2})\s*(日|号|th|st|nd|rd)?(?!\d)", due_text)
            if due_text and not re.search(r"\d{4}", due_text)
            else None
        )
        if m and 1 <= int(m.group(1)) <= 31:
            due_day = int(m.group(1))
        rates: list[Rate] = []
        for key, value, ref in self.rates:
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
        penalty = _penalty(take("penalty"), rates)
        fees = []
        for key, value, ref in self.fees:
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
        declared = []
        for name, label, value, ref in self.declared:
            try:
                declared.append(DeclaredTotal(name=name, label=label, value=parse_amount(value), source=ref))
            except ParseError:
                continue
        return terms, as_of, settled_on, declared


_TERM_LINE = re.compile(r"^(?:[^\d\s:：]{2,12}|[A-Za-z][A-Za-z.'()/ ]{1,28}[A-Za-z.)])\s*[:：]")
_KNOWN_KEYS: frozenset[str] = frozenset()


_TOTALS = re.compile(r"^(合\s*计|总\s*计|小\s*计|共\s*计|累\s*计|total|sum|subtotal)", re.I)


def loan_ids(lines: Iterable[str]) -> set[str]:
    """Every value a loan-id key (借据号, 合同号, Loan No ...) has in these lines, without spaces."""
    found: set[str] = set()
    for line in lines:
        pairs = key_values(line) or cell_pairs(re.split(r"\s{2,}|\t", line.strip()))
        for key, value in pairs:
            if (TERM_KEYS.get(norm(key)) or term_kind(key)) == "loan_id":
                value = re.sub(r"\s+", "", value)
                if len(value) >= 4 and re.search(r"\d", value):
                    found.add(value)
    return found


def is_term_line(text: str) -> bool:
    """``剩余应还：1,632.00`` or ``剩余应还  1,632.00`` -- a terms line, not a table row (a totals row such as
    ``合计 2,400.00 72.00`` stays in the table)."""
    s = text.strip()
    if _TERM_LINE.match(s):
        return True
    for chunk in [s, *re.split(r"\s{2,}", s)]:
        if _TERM_LINE.match(chunk) and not _TOTALS.match(chunk):
            return True
        m = re.match(r"^(\S{2,16}?)\s*[:：]?\s+(\S.*)$", chunk)
        if m and not _TOTALS.match(chunk) and row_key(m.group(1)) and not known_key(m.group(2).split()[0]):
            return True
    return False


def is_term_cells(cells: Sequence[str]) -> bool:
    """A spreadsheet row of terms: ``剩余应还 | 1,236.00`` or ``借据号：JB…``."""
    texts = [c.strip() for c in cells if c and c.strip()]
    if not texts or _TOTALS.match(texts[0]):
        return False
    return is_term_line(texts[0]) or (row_key(texts[0]) and bool(cell_pairs(texts)))


def row_key(text: str) -> bool:
    """A key that makes a whole row a terms row. Fee and penalty names do not: ``账户管理费 2024-03-05 200.00`` is
    a charge row, not a term."""
    key = text.strip().rstrip(":：")
    return known_key(key) and term_kind(key) not in ("fee", "penalty") and norm(key) not in _FEE_NORM


def known_key(text: str) -> bool:
    """Whether a cell's whole text is a terms key (借据号, 年利率, 剩余应还 ...), with or without its colon."""
    key = text.strip().rstrip(":：")
    k = norm(key)
    if not k or len(k) > 16 or re.search(r"\d", k):
        return False
    return (
        k in TERM_KEYS
        or k in _DECLARED_NORM
        or any(k == norm(r) for r in RATE_KEYS)
        or any(k == norm(f) for f in FEE_KEYS)
        or term_kind(key) is not None
        or declared_kind(key) is not None
    )


def cell_pairs(cells: Sequence[str]) -> list[tuple[str, str]]:
    """Keys in their own cells followed by their values: ``借据号 | JB2024… | 借款金额 | 12,000.00``."""
    texts = [c.strip() for c in cells if c and c.strip()]
    out: list[tuple[str, str]] = []
    i = 0
    while i < len(texts):
        if i + 1 < len(texts) and known_key(texts[i]) and not known_key(texts[i + 1]):
            out.append((texts[i].rstrip(":："), texts[i + 1]))
            i += 2
            continue
        m = re.match(r"^(\S{2,12}?)\s+(\S.*)$", texts[i])
        if m and known_key(m.group(1)):
            out.append((m.group(1), m.group(2)))
        i += 1
    return out


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
