"""Which text around a statement's table is terms: the keys statements print (借据号, 年利率, 剩余应还 ...,
normalised), and telling a terms line, a terms row or key/value cells from a table row."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from ..vocab import declared_kind, key_values, norm, term_kind

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
DECLARED_NORM: dict[str, str] = {norm(k): v for k, v in DECLARED_KEYS.items()}
_FEE_NORM = frozenset(norm(f) for f in FEE_KEYS)


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
        or k in DECLARED_NORM
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
