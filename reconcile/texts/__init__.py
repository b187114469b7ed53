"""Every word a report shows a person, in Chinese (the default) and English: finding kinds (the finding codes'
names are declared by their rules, `reconcile.rules`), severities,
the legal basis of each finding, payment directions and statuses, file formats and roles, places in a file.

One catalogue, so a Chinese report never shows an English code and a new text is translated where all the others
are. Codes stay stable and English in the JSON (they are identifiers for programs); people see these names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

LANGS = ("zh", "en")


@dataclass(frozen=True)
class Text:
    zh: str
    en: str

    def __call__(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


#: Finding kinds (what, within a code, is wrong).
KINDS = {
    "fee": Text("费用", "fee"),
    "status": Text("还款状态", "status"),
    "penalty": Text("罚息", "penalty"),
    "interest": Text("利息", "interest"),
    "rate-disclosure": Text("利率披露", "rate disclosure"),
    "credited-amount": Text("入账金额", "credited amount"),
    "outstanding-balance": Text("剩余欠款", "outstanding balance"),
    "charge": Text("费用", "charge"),
    "installment": Text("分期", "installment"),
    "split": Text("拆分付款", "split payment"),
    "combined": Text("合并付款", "combined payment"),
}

SEVERITIES = {
    "high": Text("高", "high"),
    "medium": Text("中", "medium"),
    "low": Text("低", "low"),
    "info": Text("提示", "info"),
}

#: The legal or factual basis a finding rests on, cited in the reader's language.
BASES = {
    "performed": Text(
        "《民法典》第五百五十七条（债务已经履行的，债权债务终止）；所附付款记录",
        "Civil Code Art. 557 (a debt is extinguished when performed); the payment records cited",
    ),
    "settled": Text(
        "贷款机构出具的结清证明；《民法典》第五百五十七条",
        "settlement certificate (结清证明); Civil Code Art. 557",
    ),
    "once": Text(
        "同一笔债务只应计一次（《民法典》第五百五十七条）；所附重复的账单行",
        "a debt is owed once (Civil Code Art. 557); the repeated statement rows cited",
    ),
    "ambiguous": Text("付款无法唯一对应到某一期，未作任何推测", "no unique match; nothing was guessed"),
    "rate-disclosure": Text(
        "《中国人民银行公告〔2021〕第3号》（应以年化利率一致、明确披露）",
        "PBoC Announcement 〔2021〕No. 3 (annualised rate must be disclosed consistently)",
    ),
    "own-rows": Text("账单本身的各行与合计", "the statement's own rows and totals"),
    "performed-record": Text(
        "《民法典》第五百五十七条；所附付款记录", "Civil Code Art. 557; the payment records cited"
    ),
    "interest": Text(
        "合同约定的利率；《民法典》第六百八十条（借款利率按约定，不得违反国家有关规定）",
        "the contract rate; Civil Code Art. 680",
    ),
    "penalty": Text(
        "合同罚息条款；《中国人民银行关于人民币贷款利率有关问题的通知》（银发〔2003〕251号）；"
        "《民法典》第六百七十六条（逾期利息）",
        "contract penalty clause; 银发〔2003〕251号; Civil Code Art. 676",
    ),
    "status": Text(
        "所附付款记录；涉及征信的，依《征信业管理条例》第二十五条提出异议",
        "the payment records cited; 征信业管理条例 Art. 25 for credit reports",
    ),
    "fee": Text(
        "费用须经约定并明示（《中国人民银行公告〔2021〕第3号》；《全国法院民商事审判工作会议纪要》第51条）",
        "fees must be agreed and disclosed (PBoC 〔2021〕No. 3; 九民纪要 Art. 51)",
    ),
    "balance": Text("账单各行与所附付款记录", "the statement's rows and the payment records"),
    "deferral": Text(
        "与贷款机构达成的约定（《民法典》第五百零九条：当事人应当按照约定全面履行自己的义务）；"
        "信用卡适用《商业银行信用卡业务监督管理办法》第七十条",
        "the arrangement with the lender (Civil Code Art. 509: perform as agreed); "
        "银监会令2011年第2号 Art. 70 for cards",
    ),
}

DIRECTIONS = {"out": Text("支出", "out"), "in": Text("收入", "in"), "neutral": Text("不计收支", "neutral")}
ROLES = {
    "statement": Text("贷款机构对账单", "lender's statement"),
    "payments": Text("付款记录", "payment records"),
}
YES_NO = {True: Text("是", "yes"), False: Text("否", "no")}
QUALITY = {"high": Text("完整", "high"), "medium": Text("部分未读出", "medium"), "low": Text("不可靠", "low")}

#: File formats, by extractor name.
FORMATS = {
    "alipay": Text("支付宝交易明细", "Alipay transactions"),
    "wechat": Text("微信支付账单", "WeChat Pay bill"),
    "jd": Text("京东交易流水", "JD transactions"),
    "cmb-debit": Text("招商银行借记卡流水", "CMB debit card"),
    "cmb-credit": Text("招商银行信用卡账单", "CMB credit card"),
    "icbc-debit": Text("工商银行借记卡明细", "ICBC debit card"),
    "icbc-credit": Text("工商银行信用卡明细", "ICBC credit card"),
    "ccb-debit": Text("建设银行交易明细", "CCB transactions"),
    "citic-credit": Text("中信银行信用卡账单", "CITIC credit card"),
    "spdb-debit": Text("浦发银行借记卡明细", "SPDB debit card"),
    "abc-debit": Text("农业银行活期明细", "ABC current account"),
    "bocom-debit": Text("交通银行借记卡清单", "BoCom debit card"),
    "bocom-credit": Text("交通银行信用卡账单", "BoCom credit card"),
    "cgb-credit": Text("广发银行信用卡账单", "CGB credit card"),
    "boc-credit": Text("中国银行信用卡账单", "BOC credit card"),
    "cmb-debit-pdf": Text("招商银行交易流水（PDF）", "CMB statement (PDF)"),
    "statement-table": Text("对账单/还款计划（表格）", "statement (table)"),
    "statement-pdf": Text("对账单/还款计划（PDF）", "statement (PDF)"),
    "statement-image": Text("还款计划截图", "repayment plan (screenshot)"),
    "settlement-certificate": Text("结清证明", "settlement certificate"),
    "bank": Text("银行流水", "bank statement"),
}


def severity(name: str, lang: str) -> str:
    return SEVERITIES[name](lang) if name in SEVERITIES else name


def file_format(name: str, lang: str) -> str:
    return FORMATS[name](lang) if name in FORMATS else name


_PLACE = [
    (re.compile(r"\bpages (\d+)-(\d+)"), r"第\1-\2页"),
    (re.compile(r"\bpage (\d+)"), r"第\1页"),
    (re.compile(r"\bsheet ([^,]+)"), r"工作表“\1”"),
    (re.compile(r"\brows (\d+)-(\d+)"), r"第\1-\2行"),
    (re.compile(r"\brow (\d+)"), r"第\1行"),
    (re.compile(r"\blines (\d+)-(\d+)"), r"第\1-\2行"),
    (re.compile(r"\bline (\d+)"), r"第\1行"),
    (re.compile(r"\bregion (\d+),(\d+) (\d+)x(\d+)"), r"区域（x=\1，y=\2，宽\3，高\4）"),
]


def place(where: str, lang: str) -> str:
    """A place in a file (``page 3, row 12``, ``sheet 还款计划, row 4``, ``line 25``) in the reader's language."""
    if lang != "zh" or not where:
        return where
    out = where
    for pattern, repl in _PLACE:
        out = pattern.sub(repl, out)
    return out.replace(", ", "")


def months(values: list[str] | tuple[str, ...], lang: str) -> str:
    return ("、" if lang == "zh" else ", ").join(values)


PRODUCTS = {
    "huabei": Text("花呗", "Huabei"),
    "jiebei": Text("借呗", "Jiebei"),
    "weilidai": Text("微粒贷", "Weilidai"),
    "baitiao": Text("京东白条", "Baitiao"),
    "yuefu": Text("月付", "Yuefu"),
    "bank-loan": Text("银行贷款", "bank loan"),
    "credit-card": Text("信用卡", "credit card"),
    "other-credit": Text("其他信贷", "other credit"),
}

#: Labels of the report's sheets, columns and lines.
LABELS = {
    "title": Text("对账核查报告", "Reconciliation report"),
    "summary": Text("摘要", "Summary"),
    "ocr_confidence": Text("截图文字识别置信度", "OCR confidence"),
    "quality": Text("数据质量", "Data quality"),
    "findings": Text("问题清单", "Findings"),
    "schedule": Text("还款计划对照", "Schedule"),
    "payments": Text("付款记录", "Payments"),
    "evidence": Text("证据", "Evidence"),
    "notes": Text("说明", "Notes"),
    "as_of": Text("核查基准日", "As of"),
    "generated": Text("生成日期", "Generated"),
    "page": Text("第 &P 页，共 &N 页", "Page &P of &N"),
    "loan": Text("贷款", "Loan"),
    "loan_id": Text("贷款编号", "Loan"),
    "lender": Text("贷款机构", "Lender"),
    "product": Text("产品", "Product"),
    "borrower": Text("借款人", "Borrower"),
    "principal": Text("借款本金（元）", "Principal"),
    "start_date": Text("借款日期", "Loan date"),
    "periods": Text("期数", "Installments"),
    "rate": Text("合同利率", "Contract rate"),
    "inputs": Text("读取的文件", "Files read"),
    "file": Text("文件", "File"),
    "sha256": Text("SHA-256", "SHA-256"),
    "sha256_short": Text("SHA-256（前16位）", "SHA-256 (first 16)"),
    "extractor": Text("格式", "Format"),
    "role": Text("类别", "Role"),
    "records": Text("记录数", "Records"),
    "totals": Text("金额合计", "Totals"),
    "item": Text("项目", "Item"),
    "amount_yuan": Text("金额（元）", "Amount"),
    "meaning": Text("含义", "Meaning"),
    "claimed": Text("对方声称应还", "Claimed"),
    "claimed_note": Text(
        "截至基准日，对账单列为未还的金额", "what the statement shows unpaid by the as-of date"
    ),
    "paid": Text("您已付款", "Paid"),
    "paid_note": Text("付款记录中与该贷款有关且已成功的付款", "settled payments towards the loan"),
    "disputed": Text("有争议金额", "Disputed"),
    "disputed_note": Text("各项问题的金额之和", "the sum of the findings"),
    "disputed_claimed": Text(
        "　其中：对方所列中已还或不应收", "  of which: claimed but already paid or not owed"
    ),
    "disputed_claimed_note": Text("对方声称应还的金额中有争议的部分", "the disputed part of the claim"),
    "disputed_not_credited": Text("　其中：您已付而对方未入账", "  of which: paid but not credited"),
    "disputed_not_credited_note": Text(
        "不在对方声称的金额之内，所以有争议金额可以大于声称应还",
        "not part of the claim, so the disputed total can exceed it",
    ),
    "recomputed": Text("重算后应还", "Recomputed"),
    "recomputed_note": Text("对方声称应还，减去其中有争议的部分", "the claim less its disputed part"),
    "by_code": Text("按问题类型", "By finding type"),
    "code": Text("问题类型", "Finding"),
    "count": Text("数量", "Count"),
    "amount": Text("金额", "Amount"),
    "id": Text("编号", "ID"),
    "severity": Text("严重程度", "Severity"),
    "installment": Text("期数", "Installment"),
    "expected": Text("应为", "Expected"),
    "actual": Text("对方所列", "Actual"),
    "explanation": Text("说明", "Explanation"),
    "basis": Text("依据", "Basis"),
    "links": Text("证据", "Evidence"),
    "due": Text("应还日", "Due date"),
    "total": Text("对方所列应还", "Claimed due"),
    "lender_paid": Text("对方记已还", "Lender: paid"),
    "outstanding": Text("对方记未还", "Lender: outstanding"),
    "status": Text("状态", "Status"),
    "you_paid": Text("您已付", "You paid"),
    "paid_on": Text("付款日期", "Paid on"),
    "difference": Text("差额", "Difference"),
    "time": Text("时间", "Time"),
    "direction": Text("收支", "Direction"),
    "settled": Text("是否成功", "Settled"),
    "counterparty": Text("交易对方", "Counterparty"),
    "description": Text("说明", "Description"),
    "settles": Text("用于", "Settles"),
    "unused": Text("未用于任何一期", "not used for any installment"),
    "excluded": Text("未计入：", "not counted: "),
    "where": Text("位置", "Where"),
    "row": Text("行", "Row"),
    "text": Text("原文", "Raw text"),
    "category": Text("类别", "Category"),
    "quality_none": Text(
        "所有文件均已完整读取，付款记录覆盖了各期应还日。",
        "Every file was read completely and the payment records cover every due date.",
    ),
    "chart": Text("各期：对方记未还 与 重算后应还", "Per installment: outstanding as claimed vs recomputed"),
    "installment_n": Text("第{n}期", "#{n}"),
    "none": Text("无", "none"),
}


def label(key: str, lang: str) -> str:
    return LABELS[key](lang)


#: The report's notes sheet: how the figures were made, and what they are not.
NOTES = [
    Text(
        "本报告由 reconcile 离线生成：所有数据只来自您提供的文件，未发送到任何地方。",
        "Generated offline by reconcile: every figure comes from the files you gave it; nothing was sent anywhere.",
    ),
    Text(
        "方法：从对方的对账单/还款计划读出各期应还与条款；从您的付款记录（支付宝、微信、银行流水）中选出与该贷款有关的、"
        "已成功的付款（失败、关闭、已退款的不计入）；按还款周期逐期匹配（每期取该期周期内金额相符的付款；逾期付款按"
        "《民法典》第五百六十条先抵充最早到期的一期；多笔合付一期或一笔合付多期须唯一匹配，否则列为“需人工核对”）。",
        "Method: installments and terms are read from the lender's statement; the settled payments that concern the "
        "loan are taken from your payment records (failed, closed and refunded ones never count); each installment "
        "is matched within its billing cycle; late payments go to the oldest installment first (Civil Code Art. "
        "560); splits and combined payments must match uniquely, otherwise they are listed as ambiguous.",
    ),
    Text(
        "金额全部按分精确计算（十进制，不经浮点数），每一项问题都附有原始文件的行/页和原文，可逐条核对。",
        "All amounts are exact to the fen (decimal arithmetic, never floating point); every finding cites the file, "
        "page or row and the raw text it rests on.",
    ),
    Text(
        "所依据的规则：《民法典》第五百五十七条（债务因履行而消灭）、第五百六十条（清偿抵充顺序）、第五百六十一条"
        "（费用—利息—本金）、第六百七十六条（逾期利息）、第六百七十条（利息不得预先扣除）；《中国人民银行公告"
        "〔2021〕第3号》（年化利率披露）；银发〔2003〕251号（罚息）；《征信业管理条例》第二十五条（异议20日内核查）。",
        "Rules relied on: Civil Code Art. 557, 560, 561, 670, 676; PBoC Announcement 〔2021〕No. 3 (APR disclosure); "
        "银发〔2003〕251号 (penalty interest); Credit Reporting Regulation Art. 25 (disputes verified within 20 days).",
    ),
    Text(
        "利率上限只作“超过某一上限，建议核查”的提示：适用哪一上限取决于贷款机构类型、合同日期和法院认定。",
        "Rate caps are flagged as 'exceeds X, review': which cap applies depends on the lender type, the contract "
        "date and the court.",
    ),
    Text("本报告是对账核查工具的输出，不构成法律意见。", "This report is a review aid, not legal advice."),
]
