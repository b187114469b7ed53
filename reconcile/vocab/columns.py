"""What a statement column is called: a header read as a side (due, paid, outstanding) and a concept (principal,
interest, ...), with the prefixes and units real statements put around the words."""

from __future__ import annotations

import functools
import re
import unicodedata

# ------------------------------------------------------------------------------------------- normalising

_UNIT = re.compile(
    r"(?:[(（\[【](?:元|人民币|人民币元|rmb|cny|¥|￥|yuan|单位[:：]?元|%|％|天|日)[)）\]】]|/元|元)$"
)
_PUNCT = re.compile(r"[\s:：_·.,，、*#＊()（）\[\]【】/\\-]+")


@functools.lru_cache(maxsize=1 << 14)
def norm(text: str) -> str:
    """Header or key text for comparison: NFKC (full-width forms, Kangxi radicals), lower case, no units
    (（元）, (RMB)), no spaces or punctuation."""
    s = unicodedata.normalize("NFKC", text).strip().lower()
    s = re.sub(r"[\u200b-\u200d\u2060\ufeff]", "", s)
    for _ in range(2):
        s = _UNIT.sub("", s.strip())
    return _PUNCT.sub("", s)


# ------------------------------------------------------------------------------------------- columns

#: Fields of a repayment-plan row that hold money.
AMOUNT_FIELDS = ("principal", "interest", "penalty", "fees", "total", "paid", "outstanding")
#: Parts of a paid or outstanding amount, when a statement splits them (已还本金, 未还利息 ...).
PART_FIELDS = (
    "paid_principal",
    "paid_interest",
    "paid_penalty",
    "paid_fees",
    "outstanding_principal",
    "outstanding_interest",
    "outstanding_penalty",
    "outstanding_fees",
)
DATE_FIELDS = ("due_date", "paid_date")

_SIDES_ZH = {
    "due": (
        "本期应还款", "本期应还", "当期应还", "每期应还", "应还款", "应还", "应付", "应收", "应缴", "计划还款",
        "计划", "约定", "本期", "当期", "每期", "其中", "含", "合同", "还款",
    ),
    "paid": (
        "实际已还", "实际还款", "实际", "已还款", "已还", "实还", "实收", "已收", "已付", "实付", "已缴", "实缴",
        "已偿还", "已归还",
    ),
    "outstanding": (
        "剩余未还", "剩余应还", "剩余待还", "未还款", "未还", "待还", "尚欠", "欠款", "欠", "未偿还", "未归还",
        "未结清", "逾期未还", "拖欠",
    ),
}  # fmt: skip
_CONCEPTS_ZH = {
    "principal": ("本金",),
    "interest": ("利息", "正常利息", "期内利息"),
    "penalty": (
        "罚息", "逾期罚息", "逾期利息", "复利", "罚金", "违约金", "滞纳金", "逾期费", "逾期违约金", "逾期费用",
        "逾期管理费", "罚息及复利",
    ),
    "fees": (
        "费用", "手续费", "服务费", "管理费", "分期手续费", "担保费", "会员费", "账户管理费", "平台服务费",
        "其他费用", "综合费用", "保险费", "咨询费", "息费",
    ),
    "total": (
        "总额", "合计", "金额", "款额", "本息", "本息合计", "总计", "还款额", "还款金额", "月供", "月供金额", "期供",
        "分期金额", "本息和", "款", "额", "",
    ),
    "date": ("日期", "日", "时间", "还款日", "还款日期", "还款时间", "日期时间"),
}  # fmt: skip
_WHOLE_ZH = {
    "period": (
        "期数", "期次", "期号", "当前期数", "还款期数", "分期期数", "期", "期序", "还款期次", "期别", "第几期",
        "序号", "期数序号", "账期", "当期期数",
    ),
    "due_date": (
        "还款日", "还款日期", "应还日期", "应还日", "到期日", "到期日期", "最后还款日", "应还款日", "应还款日期",
        "计划还款日", "计划还款日期", "约定还款日", "约定还款日期", "到期还款日", "本期还款日",
        "还款截止日", "应还时间",
    ),
    "paid_date": (
        "实际还款日", "实际还款日期", "实际还款时间", "实还日期", "实还日", "已还日期", "还款时间", "结清日期",
        "结清日", "还清日期", "还清时间", "入账日期", "实还时间",
    ),
    "total": (
        "本期应还", "应还总额", "应还金额", "本期合计", "应还合计", "应还款额", "合计", "应还", "月供", "月供金额",
        "分期金额", "每期应还", "本期应还金额", "本息合计", "应还本息", "应还本息合计", "期供", "期供金额",
        "当期应还", "应还款金额", "本期还款额", "每期还款额", "每期还款金额", "应还款总额", "本期应还款", "还款额",
        "还款金额", "计划还款金额", "应还金额合计", "本期账单金额",
    ),
    "paid": ("已还", "实还", "已还金额", "实还金额", "已还款金额", "实还总额", "已还总额", "实际还款金额"),
    "outstanding": ("未还", "未还金额", "剩余应还", "待还金额", "待还", "剩余未还", "未还总额", "尚欠金额"),
    "status": ("状态", "还款状态", "当前状态", "本期状态", "账单状态", "结清状态", "逾期状态"),
    "description": ("摘要", "说明", "项目", "备注", "交易类型", "类型", "费用名称", "费用类型", "款项", "明细"),
    "balance": (
        "剩余本金", "本金余额", "贷款余额", "剩余贷款本金", "借款余额", "剩余未还本金", "期末本金", "期末余额",
        "余额", "剩余本金余额", "未还本金余额", "期初本金", "期初余额", "贷款本金余额",
    ),
}  # fmt: skip
_EN = {
    "period": (
        "period", "periods", "installment", "installmentno", "installmentnumber", "instalment", "instalmentno",
        "inst", "instno", "no", "term", "termno", "number", "seq", "paymentno", "installment#", "repaymentno",
        "tenor",
    ),
    "due_date": (
        "duedate", "due", "repaymentdate", "paymentduedate", "scheduleddate", "scheduledpaymentdate",
        "installmentdate", "datedue", "duedateofpayment", "plannedrepaymentdate", "duedt",
    ),
    "paid_date": (
        "paiddate", "paidon", "datepaid", "actualpaymentdate", "actualrepaymentdate", "repaidon", "paymentdate",
        "repaymentdateactual", "settledon", "settlementdate",
    ),
    "principal": ("principal", "principaldue", "scheduledprincipal", "principalamount", "duepricipal"),
    "interest": ("interest", "interestdue", "scheduledinterest", "interestamount"),
    "penalty": (
        "penalty", "penaltyinterest", "lateinterest", "latefee", "latefees", "latecharge", "latecharges",
        "overdueinterest", "defaultinterest", "penaltyfee", "overduepenalty", "latepaymentfee",
    ),
    "fees": (
        "fee", "fees", "servicefee", "handlingfee", "installmentfee", "charges", "otherfees", "managementfee",
        "feedue",
    ),
    "total": (
        "total", "totaldue", "amountdue", "installmentamount", "instalmentamount", "paymentamount",
        "repaymentamount", "scheduledpayment", "dueamount", "monthlypayment", "emi", "totalpayment", "payment",
        "totalamountdue", "totalinstallment", "installmentdue",
    ),
    "paid": ("paid", "amountpaid", "paidamount", "repaid", "amountrepaid", "totalpaid", "repayment"),
    "paid_principal": ("principalpaid", "paidprincipal"),
    "paid_interest": ("interestpaid", "paidinterest"),
    "paid_penalty": ("penaltypaid", "latefeepaid"),
    "paid_fees": ("feepaid", "feespaid"),
    "outstanding": (
        "outstanding", "balancedue", "unpaid", "amountoutstanding", "remainingdue", "outstandingamount",
        "amountunpaid", "overdueamount",
    ),
    "status": ("status", "state", "paymentstatus", "repaymentstatus"),
    "description": ("description", "item", "remark", "remarks", "note", "notes", "type", "details"),
    "balance": (
        "balance", "remainingprincipal", "principalbalance", "outstandingprincipal", "loanbalance",
        "closingbalance", "openingbalance", "endingbalance", "beginningbalance", "remainingbalance",
    ),
}  # fmt: skip

_SIDE_FIELD = {
    ("due", "principal"): "principal",
    ("due", "interest"): "interest",
    ("due", "penalty"): "penalty",
    ("due", "fees"): "fees",
    ("due", "total"): "total",
    ("due", "date"): "due_date",
    ("paid", "principal"): "paid_principal",
    ("paid", "interest"): "paid_interest",
    ("paid", "penalty"): "paid_penalty",
    ("paid", "fees"): "paid_fees",
    ("paid", "total"): "paid",
    ("paid", "date"): "paid_date",
    ("outstanding", "principal"): "outstanding_principal",
    ("outstanding", "interest"): "outstanding_interest",
    ("outstanding", "penalty"): "outstanding_penalty",
    ("outstanding", "fees"): "outstanding_fees",
    ("outstanding", "total"): "outstanding",
}


def _build() -> dict[str, str]:
    table: dict[str, str] = {}
    for field_name, names in _WHOLE_ZH.items():
        for name in names:
            table.setdefault(norm(name), field_name)
    for field_name, names in _EN.items():
        for name in names:
            table.setdefault(norm(name), field_name)
    for side, prefixes in _SIDES_ZH.items():
        for concept, words in _CONCEPTS_ZH.items():
            target = _SIDE_FIELD.get((side, concept))
            if target is None:
                continue
            for prefix in (*prefixes, ""):
                for word in words:
                    if not prefix and not word:
                        continue
                    if not prefix and concept in ("total", "date"):
                        continue  # 金额 / 日期 alone say nothing about which side
                    if not word and not re.search(r"应|已|实|未|待|欠", prefix):
                        continue  # 本期 / 其中 alone name no amount
                    table.setdefault(norm(prefix + word), target)
    # English side words around a concept: "Principal Paid", "Paid Principal", "Outstanding Interest"
    sides_en = {
        "due": ("due", "scheduled", "planned", "current"),
        "paid": ("paid", "repaid", "actual"),
        "outstanding": ("outstanding", "unpaid", "remaining", "overdue"),
    }
    concepts_en = {k: _EN[k] for k in ("principal", "interest", "penalty", "fees")}
    for side, words in sides_en.items():
        for concept, names in concepts_en.items():
            target = _SIDE_FIELD[(side, concept)]
            for word in words:
                for name in names:
                    table.setdefault(norm(word + name), target)
                    table.setdefault(norm(name + word), target)
    return table


COLUMN_WORDS: dict[str, str] = _build()


@functools.lru_cache(maxsize=1 << 14)
def column_field(header: str) -> str | None:
    """The field a statement column header names, or None. ``header`` is the header as printed (a label over
    several columns already prefixed: ``应还`` + ``本金``)."""
    key = norm(header)
    if not key:
        return None
    found = COLUMN_WORDS.get(key)
    if found is not None:
        return found
    alternatives = [a for a in re.split(r"[/／、|]|或", unicodedata.normalize("NFKC", header)) if a.strip()]
    if len(alternatives) > 1:  # 结息日/还款日: one of the names it gives
        named = {column_field(a) for a in alternatives} - {None}
        if len(named) == 1:
            return named.pop()
    # leading ordinal or trailing words that add nothing: 本期应还金额合计, 应还本金小计
    for suffix in ("小计", "合计", "金额"):
        if key.endswith(suffix) and len(key) > len(suffix) + 1:
            inner = COLUMN_WORDS.get(key[: -len(suffix)])
            if inner is not None and inner in AMOUNT_FIELDS + PART_FIELDS:
                return inner
    return None


def header_field(parts: tuple[str, ...] | list[str]) -> str | None:
    """The field of a column whose header is printed over several lines (top first): the whole text, else the
    lower lines alone (a bilingual header: 期数 over Period), else any single line."""
    parts = [p for p in parts if p.strip()]
    if not parts:
        return None
    for k in range(len(parts)):
        found = column_field("".join(parts[k:]))
        if found is not None:
            return found
    for part in parts:
        found = column_field(part)
        if found is not None:
            return found
    return None


#: Words that appear in column headers (used to find header lines cheaply before mapping them).
_HINT = re.compile(
    r"期|本金|利息|罚|费|日期|还款|应还|已还|实还|未还|待还|金额|合计|状态|余额|月供|"
    r"period|install|instal|principal|interest|due|date|total|amount|paid|fee|penalty|status|balance|outstanding",
    re.I,
)


def looks_like_header_word(text: str) -> bool:
    return bool(_HINT.search(unicodedata.normalize("NFKC", text)))


#: Field names as a Chinese reader calls them, for messages.
FIELD_ZH = {
    "period": "期数", "due_date": "应还日期", "principal": "本金", "interest": "利息", "penalty": "罚息",
    "fees": "费用", "total": "应还合计", "paid": "已还金额", "paid_date": "还款日期", "outstanding": "未还金额",
    "status": "状态", "description": "说明", "paid_principal": "已还本金", "paid_interest": "已还利息",
    "paid_penalty": "已还罚息", "paid_fees": "已还费用", "outstanding_principal": "未还本金",
    "outstanding_interest": "未还利息", "outstanding_penalty": "未还罚息", "outstanding_fees": "未还费用",
    "amount": "金额", "date": "交易日", "posting_date": "记账日",
}  # fmt: skip
