"""The status words statements print for an installment: paid, partly paid, overdue, not yet due, owed."""

from __future__ import annotations

# ------------------------------------------------------------------------------------------- statuses

PAID_STATUSES = (
    "已还清",
    "已结清",
    "正常还款",
    "提前还款",
    "已还款",
    "已还",
    "结清",
    "还清",
    "paid",
    "settled",
    "repaid",
)
PARTIAL_STATUSES = ("部分还款", "部分已还", "部分", "partial", "partially")
OVERDUE_STATUSES = ("逾期", "已逾期", "逾期未还", "overdue", "past due", "delinquent")
FUTURE_STATUSES = (
    "未到期",
    "待还",
    "未还",
    "正常",
    "未出账",
    "not due",
    "upcoming",
    "scheduled",
    "pending",
    "due",
)
#: Status words that say an installment is (still) owed.
UNPAID_STATUSES = ("逾期", "未还", "待还", "部分", "欠款", "overdue", "due", "unpaid", "outstanding")
