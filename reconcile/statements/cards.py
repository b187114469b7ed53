"""Credit-card bills: transactions with 本期应还金额 / 最低还款额 around them, MM/DD dates whose year comes from the
bill's title, repayments, interest and fees told apart by their description."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from ..errors import BadFile
from ..model import Charge, CreditedRepayment, SelfCheck, Statement, Unread
from .cells import CellReader, TableLine
from .rows import Parts

CARD_FIELDS: dict[str, tuple[str, ...]] = {
    "date": ("交易日", "交易日期", "交易时间", "transactiondate", "transdate", "date"),
    "posting_date": ("记账日", "记账日期", "入账日期", "入账日", "postingdate", "postdate"),
    "description": ("交易摘要", "交易说明", "交易描述", "摘要", "交易内容", "description", "details"),
    "amount": ("人民币金额", "金额", "交易金额", "入账金额", "amount", "amountrmb", "amountcny"),
}
CARD_MARKERS = ("本期应还", "最低还款额", "到期还款日", "账单日", "Minimum payment", "Payment due")

_CARD_INTEREST = re.compile(r"利息|interest", re.I)
_CARD_FEE = re.compile(r"费|违约金|滞纳金|fee", re.I)
_CARD_REPAY = re.compile(r"还款|repayment|payment", re.I)


def is_card_bill(text: str) -> bool:
    return sum(1 for m in CARD_MARKERS if m in text) >= 2


def statement_month(text: str) -> tuple[int, int] | None:
    """(year, month) of a card bill, from its title (``2025年02月``) or its 账单日."""
    m = re.search(r"(\d{4})\s*年\s*(\d{1,2})\s*月", text) or re.search(
        r"账单日[:：]\s*(\d{4})[-/](\d{1,2})", text
    )
    return (int(m.group(1)), int(m.group(2))) if m and 1 <= int(m.group(2)) <= 12 else None


def card_date(line: TableLine, month: tuple[int, int] | None, reader: CellReader) -> date | None:
    for name in ("date", "posting_date"):
        text = line.cells.get(name, "").strip()
        m = re.fullmatch(r"(\d{1,2})[/-](\d{1,2})", text)
        if m and month is not None:
            mm, dd = int(m.group(1)), int(m.group(2))
            year = month[0] if mm <= month[1] else month[0] - 1  # a January bill lists December spending
            try:
                return date(year, mm, dd)
            except ValueError:
                raise BadFile(
                    f"not a valid date: {text!r}", path=line.source.path, where=line.source.where()
                ) from None
        if text:
            return reader.date(name, line)
    return None


def card_parts(lines: list[TableLine], month: tuple[int, int] | None = None) -> Parts:
    parts = Parts()
    for line in lines:
        reader = CellReader(parts.notices)
        amount = reader.amount("amount", line)
        if amount is None:
            if reader.problems:
                parts.unread.append(
                    Unread(
                        reason="; ".join(en for en, _ in reader.problems),
                        reason_zh="；".join(zh for _, zh in reader.problems),
                        source=line.source,
                    )
                )
            continue
        description = line.cells.get("description", "")
        when = card_date(line, month, reader)
        if (_CARD_REPAY.search(description) and amount < 0) or (
            _CARD_REPAY.search(description) and "还款" in description
        ):
            parts.repayments.append(
                CreditedRepayment(amount=abs(amount), date=when, description=description, source=line.source)
            )
        elif _CARD_INTEREST.search(description):
            parts.charges.append(
                Charge(kind="interest", description=description, amount=amount, date=when, source=line.source)
            )
        elif _CARD_FEE.search(description):
            kind = "penalty" if re.search(r"违约金|滞纳金", description) else "fee"
            parts.charges.append(
                Charge(kind=kind, description=description, amount=amount, date=when, source=line.source)
            )
        else:
            parts.charges.append(
                Charge(
                    kind="purchase" if amount > 0 else "refund",
                    description=description,
                    amount=amount,
                    date=when,
                    source=line.source,
                )
            )
    return parts


def card_checks(st: Statement) -> tuple[SelfCheck, ...]:
    """Previous balance + new charges - repayments = the amount due this period."""
    declared = {d.name: d for d in st.declared_totals}
    previous = next((d for d in st.declared_totals if d.label.startswith("上期")), None)
    due = declared.get("current_due")
    if due is None:
        return ()
    start = previous.value if previous is not None else Decimal("0.00")
    computed = (
        start
        + sum((c.amount for c in st.charges), Decimal("0.00"))
        - sum((r.amount for r in st.repayments), Decimal("0.00"))
    )
    ok = computed == due.value
    what = (
        f"previous balance {start} + charges - repayments = {computed}"
        if previous
        else (f"charges - repayments = {computed}")
    )
    what_zh = (
        f"上期余额 {start} + 本期费用 - 还款 = {computed}" if previous else f"本期费用 - 还款 = {computed}"
    )
    return (
        SelfCheck(
            code="declared-total",
            ok=ok,
            expected=due.value,
            actual=computed,
            message=f"{due.label} is {due.value}; {what}",
            message_zh=f"{due.label}为 {due.value}；{what_zh}",
            evidence=(due.source,),
        ),
    )
