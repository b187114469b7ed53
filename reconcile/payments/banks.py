"""Declared bank statement layouts (FORMATS.md §4). Each class only declares how to recognise its layout and
how its amounts are signed; `bank.BankTable` does the work. A statement from a bank not listed here is read by
`GenericBank` when its header names are recognisable."""

from __future__ import annotations

import re
from typing import ClassVar

from ..extractor import Sniff
from ..read.table import Row, find_header
from .bank import BankTable
from .bank_layout import COLUMNS, has_amounts


class CmbDebit(BankTable):
    name = "cmb-debit"
    bank = "招商银行"
    description = "招商银行 借记卡交易流水 (CSV/XLSX as converted from the 交易流水 PDF)"
    header_names = ("记账日期", "货币", "交易金额", "联机余额", "交易摘要", "对手信息")


class CmbCredit(BankTable):
    name = "cmb-credit"
    bank = "招商银行"
    description = "招商银行 信用卡对账单 rows (MM/DD dates, year from the title; repayments negative)"
    header_names = ("交易日", "记账日", "交易摘要", "人民币金额", "卡号末四位")
    card_statement = True


class IcbcDebit(BankTable):
    name = "icbc-debit"
    bank = "工商银行"
    description = "工商银行 借记卡 明细查询文件下载 CSV, v1 and v2 (+交易详情, +对方账户)"
    header_names = ("交易日期", "摘要", "交易场所", "记账金额(收入)", "记账金额(支出)", "余额", "对方户名")
    markers = ("子账户序号",)


class IcbcCredit(BankTable):
    name = "icbc-credit"
    bank = "工商银行"
    description = "工商银行 信用卡 明细查询文件下载 CSV (footer 合计金额)"
    header_names = ("交易日期", "记账日期", "摘要", "记账金额(收入)", "记账金额(支出)")
    excluded = ("子账户序号",)
    card_statement = True


class CcbDebit(BankTable):
    name = "ccb-debit"
    bank = "建设银行"
    description = "建设银行 交易明细 XLS (记账日/交易日期/交易时间, split 支出/收入)"
    header_names = ("记账日", "交易日期", "交易时间", "支出", "收入", "账户余额", "摘要")


class CiticCredit(BankTable):
    name = "citic-credit"
    bank = "中信银行"
    description = "中信银行 信用卡 本期账单明细 XLS (repayments negative)"
    header_names = ("交易日期", "入账日期", "交易描述", "卡末四位", "交易金额", "结算金额")
    card_statement = True


class SpdbDebit(BankTable):
    name = "spdb-debit"
    bank = "浦发银行"
    description = "浦发银行 借记卡 交易明细 XLS (存入/取出 columns)"
    header_names = ("顺序号", "交易日期", "交易类型", "存入金额", "取出金额", "余额")


class AbcDebit(BankTable):
    name = "abc-debit"
    bank = "农业银行"
    description = "农业银行 活期交易明细 (YYYYMMDD dates, signed amounts, NFKC for Kangxi radicals)"
    header_names = ("交易日期", "交易时间", "交易摘要", "交易金额", "本次余额", "对手信息")


class BocomDebit(BankTable):
    name = "bocom-debit"
    bank = "交通银行"
    description = "交通银行 借记卡 交易清单 (借 Dr / 贷 Cr marker)"
    header_names = ("交易日期", "交易时间", "交易类型", "借贷", "交易金额", "余额")
    column_names: ClassVar[dict[str, tuple[str, ...]]] = {
        "summary": ("交易类型",),
        "note": ("摘要", "交易地点"),
    }


class BocomCredit(BankTable):
    name = "bocom-credit"
    bank = "交通银行"
    description = "交通银行 信用卡 账单 rows (CNY-prefixed amounts, direction from 交易说明)"
    header_names = ("交易日期", "记账日期", "交易说明", "交易币种/金额", "入账币种/金额")
    card_statement = True
    inflow_words = ("还款", "信用卡还款", "退货", "退款", "返现")


class CgbCredit(BankTable):
    name = "cgb-credit"
    bank = "广发银行"
    description = "广发银行 信用卡 账单 rows (（消费）/（退款）/（分期）/（还款） prefixes)"
    header_names = ("交易日期", "入账日期", "交易摘要", "交易金额", "交易货币", "入账金额", "入账货币")
    card_statement = True


class BocCredit(BankTable):
    name = "boc-credit"
    bank = "中国银行"
    description = "中国银行 信用卡 账单 rows (存入/支出 columns, per-currency)"
    header_names = ("交易日", "银行记账日", "卡号后四位", "交易描述", "存入", "支出")
    card_statement = True


DECLARED: tuple[type[BankTable], ...] = (
    CmbDebit, CmbCredit, IcbcDebit, IcbcCredit, CcbDebit, CiticCredit, SpdbDebit, AbcDebit, BocomDebit,
    BocomCredit, CgbCredit, BocCredit,
)  # fmt: skip


class GenericBank(BankTable):
    """Any other bank's table with recognisable date and amount headers. A fallback: it is asked only when no
    other extractor claims the file."""

    name = "bank"
    description = (
        "other banks' statements (CSV/XLS/XLSX) with recognisable date, amount and balance/摘要 headers"
    )
    header_names = ()
    fallback = True

    @classmethod
    def identify(cls, sniff: Sniff) -> bool:
        if not cls.accepts_kind(sniff):
            return False
        rows = [
            Row(i + 1, [c.strip().strip('"').strip() for c in re.split(r"[,\t]", line)], line)
            for i, line in enumerate(sniff.head_lines[:200])
        ]
        header = find_header(rows, COLUMNS)
        return (
            header is not None
            and has_amounts(header)
            and ("balance" in header.columns or "summary" in header.columns)
        )
