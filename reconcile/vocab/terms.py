"""What a ``名称：值`` key in a statement's terms block names (loan id, principal, rate ...), which total a key
declares, and splitting a line into its key/value pairs."""

from __future__ import annotations

import functools
import re
import unicodedata

from .columns import norm

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
