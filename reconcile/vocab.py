"""The vocabulary lenders print, in one place: what a statement column or a terms key is called, in Chinese or
English, with the prefixes and units real statements put around the words (应还本金（元）, 其中利息, 实还总额,
Amount Paid, Total Due (RMB)).

A column header is read as a *side* and a *concept*: 应还本金 is (due, principal), 已还本金 (paid, principal),
未还利息 (outstanding, interest), 实还总额 (paid, total). Each (side, concept) pair names one field. Words that
name a running balance (剩余本金, 贷款余额, Balance) are recognised as such, so they are never taken for an
amount due.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from .model import Product, RepaymentMethod

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
        "计划", "约定", "本期", "当期", "每期", "其中", "合同", "还款",
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


# ------------------------------------------------------------------------------------------- terms

_TERM_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(pattern, re.I))
    for name, pattern in (
        ("penalty", r"罚息|逾期利率|逾期罚|违约利率|penalty|default ?rate|late ?(interest|rate)"),
        ("fee", r"手续费|服务费|管理费|担保费|会员费|费率|\bfees?\b|service ?charge"),
        ("rate", r"利率|年化|rate|apr"),
        ("loan_id", r"(借据|合同|借款|贷款|订单|分期|业务|账户|账)(编?号|编码)|^借据$|(loan|contract|agreement|account|reference|ref)\.? ?(no|number|id|#)"),
        ("principal", r"^(借款|贷款|放款|分期|合同|授信)(本金|金额|总额|总金额)|loan ?amount|amount ?financed|principal ?amount"),
        ("start", r"(借款|放款|发放|起息|下单|起贷|分期|贷款|合同起始|生效)(日期?|时间)|(disburse|drawdown|loan|start|value|origination) ?date"),
        ("term", r"(借款|贷款|分期|还款|总)?(期限|期数)|tenor|\bterm\b|(number|no\.?) ?of ?(instal?l?ments?|payments|periods|repayments)"),
        ("method", r"还款方式|还款类型|repayment ?(method|type|mode)"),
        ("due_day", r"(每月|每期)还款日|还款日$|^结息日$|(payment|repayment|due) ?day"),
        ("as_of", r"(查询|对账|打印|生成|导出|统计|制表|数据|截[止至]|账单|更新|出具|开具)(日期?|时间)|截至|as ?of|statement ?date|print(ed)? ?(date|on)|generated|date of (issue|statement|printing)|issue ?date|issued ?on"),
        ("settled_on", r"结清(日期?|时间)"),
        ("borrower", r"借款人|客户(姓名|名称)?$|^姓名$|户名|持卡人|^用户(名|姓名)?$|borrower|customer|^name$"),
        ("lender", r"(借款|贷款|放款|资金|出资|授信|合作|经办|发放)(机构|方|行|银行)|贷款人|出借人|债权人|服务提供方|发卡行|^lender|^creditor|^bank$"),
        ("product", r"^product$|^产品(名称)?$|^贷款产品$|^借款产品$"),
    )
)  # fmt: skip


@functools.lru_cache(maxsize=1 << 12)
def term_kind(key: str) -> str | None:
    """What a ``名称：值`` key names: lender, loan_id, principal, start, term, method, due_day, as_of, penalty,
    borrower, settled_on, rate or fee; None when it names none of them."""
    k = norm(key)
    if not k or len(k) > 24:
        return None
    text = unicodedata.normalize("NFKC", key).strip().lower()
    for name, pattern in _TERM_PATTERNS:
        if pattern.search(k) or pattern.search(text):
            return name
    return None


_DECLARED_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(pattern, re.I))
    for name, pattern in (
        ("previous_balance", r"^上期(账单|应还)(金额)?"),
        ("minimum_due", r"最低还款|minimum"),
        ("current_due", r"^本期(应还|账单)(金额|总额)?$|^(total|amount) ?due$"),
        ("overdue", r"逾期(未还)?(金额|总额|本息|合计)|^当前逾期|overdue ?(amount|total)|total ?overdue"),
        ("remaining_principal", r"^(剩余|未还)(未还)?本金(余额)?$|^(贷款|本金|借款)余额$|remaining ?principal|principal ?outstanding|principal ?balance"),
        ("remaining", r"^(剩余|尚欠|未还|待还)(应还|未还|待还)?(金额|总额|本息|合计)?$|^剩余应还|outstanding ?(balance|amount)?$|total ?outstanding|balance ?outstanding"),
        ("paid", r"^(累计)?(已还|实还)(本息|总额|金额|合计)?$|total ?paid|amount ?repaid"),
        ("column:principal", r"^(应还)?本金(合计|小计|总计|总额)$"),
        ("column:interest", r"^(应还)?利息(合计|小计|总计|总额)$"),
        ("column:penalty", r"^(应还)?(罚息|违约金)(合计|小计|总计|总额)$"),
        ("column:fees", r"^(应还)?(费用|手续费|服务费)(合计|小计|总计|总额)$"),
        ("column:outstanding", r"^(未还|待还)(金额)?(合计|小计|总计)$"),
        ("remaining", r"^(当前)?欠款(总额|金额|合计)$|^(贷款)?欠款$"),
        ("overdue", r"^其中逾期(金额)?$"),
        ("total", r"^(应还总额|总应还|本息合计|应还本息合计|合计|总计|应还合计)$|^total( ?repayable)?$"),
    )
)  # fmt: skip


@functools.lru_cache(maxsize=1 << 12)
def declared_kind(key: str) -> str | None:
    """Which total a ``名称：值`` key declares (剩余应还 -> remaining, 当前逾期金额 -> overdue ...), or None."""
    k = norm(key)
    text = unicodedata.normalize("NFKC", key).strip().lower()
    for name, pattern in _DECLARED_PATTERNS:
        if pattern.search(k) or pattern.search(text):
            return name
    return None


#: Field names as a Chinese reader calls them, for messages.
FIELD_ZH = {
    "period": "期数", "due_date": "应还日期", "principal": "本金", "interest": "利息", "penalty": "罚息",
    "fees": "费用", "total": "应还合计", "paid": "已还金额", "paid_date": "还款日期", "outstanding": "未还金额",
    "status": "状态", "description": "说明", "paid_principal": "已还本金", "paid_interest": "已还利息",
    "paid_penalty": "已还罚息", "paid_fees": "已还费用", "outstanding_principal": "未还本金",
    "outstanding_interest": "未还利息", "outstanding_penalty": "未还罚息", "outstanding_fees": "未还费用",
    "amount": "金额", "date": "交易日", "posting_date": "记账日",
}  # fmt: skip


# ------------------------------------------------------------------------------------------- products

#: Texts that name each credit product's lender in payment records.
PRODUCT_ALIASES: dict[Product, tuple[str, ...]] = {
    Product.JIEBEI: ("借呗", "蚂蚁借呗", "重庆蚂蚁消费金融", "蚂蚁消费金融"),
    Product.HUABEI: ("花呗",),
    Product.WEILIDAI: ("微粒贷", "微众银行", "WeBank"),
    Product.BAITIAO: ("白条", "京东金融"),
    Product.YUEFU: ("月付",),
}
#: The consumer-credit products whose repayments a payment export names by product.
CONSUMER_PRODUCTS = frozenset(PRODUCT_ALIASES)
#: Status words that say an installment is (still) owed.
UNPAID_STATUSES = ("逾期", "未还", "待还", "部分", "欠款", "overdue", "due", "unpaid", "outstanding")

#: How a payment record names its credit product (the first pattern that matches wins: 花呗 is never 借呗).
PRODUCT_PATTERNS: tuple[tuple[re.Pattern[str], Product], ...] = (
    (re.compile(r"借呗|蚂蚁消费金融"), Product.JIEBEI),
    (re.compile(r"花呗"), Product.HUABEI),
    (re.compile(r"微粒贷|微众银行|WeBank", re.I), Product.WEILIDAI),
    (re.compile(r"白条"), Product.BAITIAO),
    (re.compile(r"月付"), Product.YUEFU),
    (re.compile(r"信用卡"), Product.CREDIT_CARD),
    (re.compile(r"贷款|网商贷|借款|分期还款"), Product.BANK_LOAN),
)


# ------------------------------------------------------------------------------------------- methods

#: Repayment methods as statements print them (matched in this order inside the method's text).
METHODS = {
    "等额本息": RepaymentMethod.EQUAL_INSTALLMENT, "每月等额": RepaymentMethod.EQUAL_INSTALLMENT,
    "等额本金": RepaymentMethod.EQUAL_PRINCIPAL, "先息后本": RepaymentMethod.INTEREST_ONLY,
    "按月付息到期还本": RepaymentMethod.INTEREST_ONLY, "按月付息": RepaymentMethod.INTEREST_ONLY,
    "一次性还本付息": RepaymentMethod.BULLET, "到期还本付息": RepaymentMethod.BULLET, "等本等息": RepaymentMethod.FLAT,
    "随借随还": RepaymentMethod.FLEXIBLE, "equal installment": RepaymentMethod.EQUAL_INSTALLMENT,
    "equal principal": RepaymentMethod.EQUAL_PRINCIPAL, "interest only": RepaymentMethod.INTEREST_ONLY,
    "每月付息": RepaymentMethod.INTEREST_ONLY, "按期付息": RepaymentMethod.INTEREST_ONLY,
    "按季付息": RepaymentMethod.INTEREST_ONLY, "利随本清": RepaymentMethod.BULLET,
    "一次还本付息": RepaymentMethod.BULLET,
    "到期一次": RepaymentMethod.BULLET, "等额还款": RepaymentMethod.EQUAL_INSTALLMENT,
    "equal monthly instal": RepaymentMethod.EQUAL_INSTALLMENT, "equal instal": RepaymentMethod.EQUAL_INSTALLMENT,
    "annuity": RepaymentMethod.EQUAL_INSTALLMENT, "straight-line": RepaymentMethod.EQUAL_PRINCIPAL,
    "interest-only": RepaymentMethod.INTEREST_ONLY, "bullet": RepaymentMethod.BULLET,
    "lump sum": RepaymentMethod.BULLET, "flat rate": RepaymentMethod.FLAT, "add-on": RepaymentMethod.FLAT,
}  # fmt: skip

#: The names `reconcile schedule --method` takes, besides the Chinese ones above.
METHOD_NAMES = {
    "equal-installment": RepaymentMethod.EQUAL_INSTALLMENT,
    "equal-principal": RepaymentMethod.EQUAL_PRINCIPAL,
    "interest-only": RepaymentMethod.INTEREST_ONLY,
    "bullet": RepaymentMethod.BULLET,
    "flat": RepaymentMethod.FLAT,
}


def method_named(name: str) -> RepaymentMethod | None:
    """The repayment method a user named exactly (``equal-installment``, ``等额本息`` ...), or None."""
    key = name.strip().lower()
    return METHOD_NAMES.get(key) or METHODS.get(key)


def product_of(*texts: str) -> Product | None:
    """The credit product named in any of the texts (the first that names one). 花呗 is never 借呗."""
    for text in texts:
        if not text:
            continue
        for pattern, product in PRODUCT_PATTERNS:
            if pattern.search(text):
                return product
    return None


_KEY_VALUE = re.compile(
    r"((?:[^\s:：,\[\]\"]{1,20})(?: [^\s:：,\[\]\"\d]{1,12}){0,3})\s*[:：]\s*"
    r"(\[[^\]]*\]|[^\s,\[\]](?:[^,\[\]]|,(?=\d{3}))*?)"
    r"(?=\s{2,}|\s*[,，](?!\d{3})|\s*\"|\s+[^\s\d:：][^\s:：]*\s*[:：]|\s*$)"
)


def key_values(line: str) -> list[tuple[str, str]]:
    """``起始时间：[2023-02-10 00:00:00]    终止时间：[2023-02-13 23:59:59]`` -> two (key, value) pairs;
    keys lose inner ideographic spaces (``币　　种`` -> ``币种``), values lose their brackets."""
    out = []
    for m in _KEY_VALUE.finditer(line.strip().strip(",")):
        key = re.sub(r"\s+", "", m.group(1))
        value = m.group(2).strip()
        if value.startswith("[") and value.endswith("]"):
            value = value[1:-1].strip()
        out.append((key, value))
    return out
