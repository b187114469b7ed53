"""Vocabulary shared by the wallet exports (Alipay, WeChat Pay, JD) and bank statements: directions,
statuses, credit products, billing periods, and checking rows against a file's own summary."""

from __future__ import annotations

import dataclasses
import re
import sys
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal

from ..model import Direction, Notice, Payment, PaymentKind, SelfCheck, SourceRef

_DIRECTIONS = {
    "支出": Direction.OUT,
    "已支出": Direction.OUT,
    "收入": Direction.IN,
    "已收入": Direction.IN,
    "不计收支": Direction.NEUTRAL,
    "其他": Direction.NEUTRAL,
    "/": Direction.NEUTRAL,
    "": Direction.NEUTRAL,
}


def direction_of(text: str) -> Direction | None:
    """收/支 as printed -> Direction; None when the text is not a known direction."""
    return _DIRECTIONS.get(text.strip())


#: Statuses that mean money really moved. Escrow states (等待确认收货) count: the buyer has paid.
SETTLED_STATUSES = frozenset({
    "交易成功", "支付成功", "还款成功", "退款成功", "代付成功", "亲情卡付款成功", "充值成功", "收款成功",
    "转出成功", "提取成功", "放款成功", "退税成功", "已支出", "已收入", "等待确认收货", "等待对方确认收货",
    "等待对方发货", "等待发货", "已存入零钱", "已转账", "朋友已收钱", "对方已收钱", "已收钱", "已到账",
    "提现已到账", "充值完成", "资金已到账", "已全额退款", "对方已退还", "解冻成功", "芝麻免押下单成功",
    "已退款", "交易完成", "成功", "已完成", "还款完成",
})  # fmt: skip
_UNSETTLED = re.compile(r"失败|关闭|撤销|取消|未付款|等待付款|待付款|处理中|已退回|冻结中|未支付")
_REFUNDED_PART = re.compile(r"^已退款\s*\(?\s*[¥￥]?\s*([0-9][0-9,]*(?:\.\d+)?)\s*\)?$")


def is_settled(status: str) -> bool | None:
    """True if the status says money moved, False if it says it did not, None if the status is unknown."""
    s = status.strip()
    if s in SETTLED_STATUSES or _REFUNDED_PART.match(s):
        return True
    if _UNSETTLED.search(s):
        return False
    if "成功" in s or "到账" in s:
        return True
    return None


def unknown_status_notices(unknown: dict[str, int]) -> list[Notice]:
    """One warning per status that is neither known settled nor known unsettled, with its number of rows."""
    return [
        Notice(
            code="unknown-status",
            message=f"status {status!r} ({n} rows) is not a known settled status; those rows are not counted as paid",
            message_zh=f"状态 {status!r}（{n} 行）不是已知的成功状态，这些行不计为已付款",
        )
        for status, n in sorted(unknown.items())
    ]


#: What a spreadsheet writes for a long number when it saves a CSV: Excel ``4.20000E+27``, LibreOffice
#: ``4.2000027312025E+027``. The digits after the first few are gone.
ROUNDED_NUMBER = re.compile(r"\d(?:\.\d+)?E\+\d{1,3}")
#: A text time without seconds (``2024/5/10 9:15``), as a spreadsheet rewrites ``2024-05-10 09:15:27``.
NO_SECONDS = re.compile(r"(?<!:)\b\d{1,2}:\d{2}$")


def rounded_by_spreadsheet(text: str) -> bool:
    """Whether an id cell holds a long number a spreadsheet rounded into scientific notation: it no longer
    identifies anything (every WeChat transaction id becomes ``4.20000E+27``)."""
    return "E+" in text and ROUNDED_NUMBER.fullmatch(text) is not None


def drop_rounded(*ids: str) -> tuple[list[str], str | None]:
    """``ids`` with every one a spreadsheet rounded blanked, and the first such id as shown (None if none)."""
    shown = next((i for i in ids if rounded_by_spreadsheet(i)), None)
    if shown is None:
        return list(ids), None
    return ["" if rounded_by_spreadsheet(i) else i for i in ids], shown


def resaved_notices(
    source: str, rows: int, no_seconds: int, rounded: Sequence[tuple[str, str]]
) -> list[Notice]:
    """Warnings for a bill re-saved by a spreadsheet: every time without seconds, and ids in scientific notation
    (``rounded``: where each such row is and the id it shows; those ids were left out)."""
    out = []
    if rows and no_seconds == rows:
        out.append(
            Notice(
                code="excel-resaved",
                message=(
                    "times have no seconds: the file looks re-saved by Excel, which also changes quoting and "
                    f"can round amounts; use the original export from {source} if you have it"
                ),
                message_zh=(
                    "时间没有秒：文件似乎被 Excel 另存过（可能改动引号、舍入金额）；"
                    f"如有{source}导出的原始文件，请改用原始文件"
                ),
            )
        )
    if rounded:
        out.append(
            Notice(
                code="ids-rounded",
                where=rounded[0][0],
                message=(
                    f"{len(rounded)} rows have transaction or order ids in scientific notation (such as "
                    f"{rounded[0][1]}): a spreadsheet rounded them when it saved the file, so they were left out "
                    "and refunds or a lender's references cannot be linked to these rows by id; use the original "
                    f"export from {source} if you have it"
                ),
                message_zh=(
                    f"{len(rounded)} 行的交易号或订单号被表格软件改成了科学计数法"
                    f"（如 {rounded[0][1]}），已不使用这些编号，"
                    f"退款和贷款机构的编号无法据此关联；如有{source}导出的原始文件，请改用原始文件"
                ),
            )
        )
    return out


def refunded_in_status(status: str) -> Decimal | None:
    """WeChat marks a partly refunded payment ``已退款(¥0.73)`` / ``已退款¥0.73``: the refunded amount."""
    m = _REFUNDED_PART.match(status.strip())
    return Decimal(m.group(1).replace(",", "")) if m else None


_PERIOD = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月(?:账单|份)?")


def billing_period_of(text: str) -> str | None:
    """``花呗主动还款-2024年05月账单`` -> ``"2024-05"``."""
    m = _PERIOD.search(text)
    if not m or not 1 <= int(m.group(2)) <= 12:
        return None
    return f"{m.group(1)}-{int(m.group(2)):02d}"


_REPAYMENT_WORDS = re.compile(r"还款|还贷|归还|repay", re.I)


def looks_like_repayment(*texts: str) -> bool:
    return any(_REPAYMENT_WORDS.search(t) for t in texts if t)


def intern(text: str) -> str:
    """Share repeated cell texts (statuses, categories, methods) across a million rows."""
    return sys.intern(text)


# ------------------------------------------------------------------------------------------- summaries

_COUNT = re.compile(r"共\s*[:：]?\s*(\d+)\s*笔")
_DIRECTION_TOTAL = re.compile(
    r"^(?P<label>已?收入|已?支出|不计收支|其他|中性交易|待收入|待支出)\s*[:：]\s*(?P<n>\d+)\s*笔"
    r"(?:\s*\([^)]*\))?\s*[,，]?\s*(?P<amount>[0-9][0-9,]*(?:\.\d+)?)\s*元"
)
_DIRECTION_LABEL = {
    "收入": Direction.IN, "已收入": Direction.IN, "支出": Direction.OUT, "已支出": Direction.OUT,
    "不计收支": Direction.NEUTRAL, "其他": Direction.NEUTRAL, "中性交易": Direction.NEUTRAL,
}  # fmt: skip


Totals = dict[Direction, tuple[int, Decimal, SourceRef]]


def declared_summary(lines: Iterable[tuple[int, str]], path: str, sha256: str) -> tuple[int | None, Totals]:
    """The record count and per-direction (count, amount, line) a wallet export prints in its preamble or
    footer. ``lines`` are (line number, text) pairs."""
    count: int | None = None
    totals: Totals = {}
    for number, line in lines:
        text = line.strip().strip(",").strip()
        m = _DIRECTION_TOTAL.match(text.replace("（", "(").replace("）", ")"))
        if m:
            direction = _DIRECTION_LABEL.get(m.group("label"))
            if direction is not None and direction not in totals:
                ref = SourceRef(path=path, sha256=sha256, row=number, text=line.strip())
                totals[direction] = (int(m.group("n")), Decimal(m.group("amount").replace(",", "")), ref)
            continue
        c = _COUNT.search(text)
        if c and count is None and len(text) < 40:
            count = int(c.group(1))
    return count, totals


Tallies = dict[Direction, tuple[int, Decimal]]


def tally(
    payments: Iterable[Payment],
    *,
    only_settled: bool = False,
    amount_of: Callable[[Payment], Decimal] | None = None,
) -> tuple[int, Tallies]:
    """The number of rows, and per direction the number of rows and their total, as a file's own summary
    counts them (all rows, or only settled ones)."""
    n = 0
    counts: dict[Direction, int] = {}
    sums: dict[Direction, Decimal] = {}
    for p in payments:
        n += 1
        if only_settled and not p.settled:
            continue
        d = p.direction
        counts[d] = counts.get(d, 0) + 1
        sums[d] = sums.get(d, Decimal("0.00")) + (amount_of(p) if amount_of else p.amount)
    return n, {d: (counts[d], sums[d]) for d in counts}


def check_summary(
    payments: Sequence[Payment],
    count: int | None,
    totals: Totals,
    ref: SourceRef,
    *,
    only_settled_totals: bool = False,
    amount_of: Callable[[Payment], Decimal] | None = None,
) -> tuple[list[SelfCheck], list[Notice]]:
    """Compare the parsed rows with the file's declared record count and per-direction totals.

    A mismatch is a warning with both numbers: either a row was missed or the export is inconsistent.
    """
    n, tallies = tally(payments, only_settled=only_settled_totals, amount_of=amount_of)
    return check_declared(n, tallies, count, totals, ref)


def check_declared(
    n_rows: int, tallies: Tallies, count: int | None, totals: Totals, ref: SourceRef
) -> tuple[list[SelfCheck], list[Notice]]:
    """`check_summary` for rows already tallied (see `tally`)."""
    checks: list[SelfCheck] = []
    notices: list[Notice] = []
    if count is not None:
        ok = count == n_rows
        message = (
            f"the file declares {count} records; {n_rows} rows were read"
            if not ok
            else f"{count} records, as declared"
        )
        message_zh = (
            f"文件声明 {count} 笔记录，实际读出 {n_rows} 行" if not ok else f"共 {count} 笔记录，与声明一致"
        )
        checks.append(
            SelfCheck(
                code="record-count",
                ok=ok,
                message=message,
                message_zh=message_zh,
                expected=Decimal(count),
                actual=Decimal(n_rows),
                evidence=(ref,),
            )
        )
        if not ok:
            notices.append(Notice(code="record-count", message=message, message_zh=message_zh))
    for direction, (n, amount, total_ref) in sorted(totals.items(), key=lambda kv: kv[1][2].row or 0):
        got, total = tallies.get(direction, (0, Decimal("0.00")))
        ok = n == got and amount == total
        label = {Direction.IN: "income", Direction.OUT: "expense", Direction.NEUTRAL: "neutral"}[direction]
        message = (
            f"{label}: the file declares {n} rows totalling {amount:.2f}; the rows read give {got} "
            f"totalling {total:.2f}"
        )
        label_zh = {Direction.IN: "收入", Direction.OUT: "支出", Direction.NEUTRAL: "不计收支"}[direction]
        message_zh = f"{label_zh}：文件声明 {n} 笔共 {amount:.2f} 元，读出 {got} 笔共 {total:.2f} 元"
        checks.append(
            SelfCheck(
                code="declared-total",
                ok=ok,
                message=message,
                message_zh=message_zh,
                expected=amount,
                actual=total,
                evidence=(total_ref,),
            )
        )
        if not ok:
            notices.append(
                Notice(code="declared-total", message=message, where=total_ref.where(), message_zh=message_zh)
            )
    return checks, notices


def link_refunds(payments: list[Payment]) -> list[Payment]:
    """Link each refund row to the payment it refunds: same transaction id, else same merchant order id (the
    refund row's own id may also be the original's plus a suffix). The link names the original's transaction id,
    or its merchant order id when it has none."""
    by_tx: dict[str, Payment] = {}
    by_merchant: dict[str, Payment] = {}
    for p in payments:
        if p.kind is not PaymentKind.REFUND:
            if p.transaction_id:
                by_tx.setdefault(p.transaction_id, p)
            if p.merchant_order_id:
                by_merchant.setdefault(p.merchant_order_id, p)
    out = []
    for p in payments:
        if p.kind is PaymentKind.REFUND and p.refund_of is None:
            original = by_tx.get(p.transaction_id) or by_tx.get(p.transaction_id.split("_", 1)[0])
            if original is None and p.merchant_order_id:
                original = by_merchant.get(p.merchant_order_id)
            if original is not None:
                p = dataclasses.replace(p, refund_of=original.transaction_id or original.merchant_order_id)
        out.append(p)
    return out
