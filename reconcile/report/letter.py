"""``--letter``: a plain, factual draft complaint to the lender, in Chinese, listing each finding with its evidence,
the amounts and the correction requested, and the channels and deadlines (RULES.md §4.2). Markdown, or .docx."""

from __future__ import annotations

import re
from pathlib import Path

from ..model import Result
from .findings_json import summary
from .output import deterministic_zip, write_atomic
from .safe import markdown, xml_text

REQUEST = {
    "already-paid": "确认该笔款项已经还清，撤销相应的欠款、逾期记录和罚息",
    "double-counted": "删除重复计入的金额",
    "misreported": "更正错误的金额或状态，并退还多收部分",
    "not-credited": "查明并入账该笔还款",
    "rate-above-cap": "说明综合融资成本的构成，对超过上限的部分予以调整",
    "deferral-breach": "按约定的延期/停催安排执行，撤销期间产生的罚息和逾期记录",
    "ambiguous": "提供该期的入账明细，以便核对",
}


def letter_markdown(result: Result) -> str:
    s = summary(result)
    lenders = sorted({case.terms.lender for case in result.cases if case.terms.lender}) or ["贷款机构"]
    lines = [
        "# 关于借款账单问题的投诉与更正申请（草稿）",
        "",
        f"致：{'、'.join(markdown(x) for x in lenders)}",
        "",
        "本人在核对贵司提供的账单/还款计划与本人的付款记录后，发现以下问题。每一项均附有原始文件名、页/行及原文，"
        "可逐条核对。请于收到本函之日起 15 日内核查并书面答复（《银行业保险业消费投诉处理管理办法》）。",
        "",
        f"涉及金额合计：{s['disputed']} 元（账单声称应还 {s['claimed']} 元，本人已付 {s['paid']} 元）。",
        "",
        "## 问题清单",
        "",
    ]
    for f in result.findings:
        loan = f"（贷款 {markdown(f.loan)}）" if f.loan else ""
        lines.append(f"### {f.id} {f.code}{'/' + f.kind if f.kind else ''}{loan}：{f.amount} 元")
        lines.append("")
        lines.append(markdown(f.message_zh.replace("您", "本人")))
        lines.append("")
        lines.append(f"依据：{f.basis}")
        lines.append("")
        lines.append("证据：")
        for ref in f.evidence:
            where = ref.where()
            lines.append(
                f"- {markdown(ref.path)}{'，' + where if where else ''}（SHA-256 {ref.sha256[:12]}…）："
                f"{markdown(ref.text.strip())}"
            )
        lines.append("")
        lines.append(f"请求：{REQUEST.get(f.code, '核查并更正')}。")
        lines.append("")
    if not result.findings:
        lines += ["未发现需要更正的问题。", ""]
    lines += [
        "## 如未能解决",
        "",
        "- 向国家金融监督管理总局投诉：12378（银行、消费金融公司、小额贷款公司等）。",
        "- 征信记录有误的，可向征信机构或信息提供者提出异议；"
        "依《征信业管理条例》第二十五条，应自收到异议之日起 20 日内核查并书面答复；"
        "征信问题也可拨打中国人民银行 12363。",
        "- 可申请金融纠纷调解，调解申请可中断诉讼时效。",
        "",
        "此致",
        "",
        "申请人：__________　　联系方式：__________　　日期：__________",
        "",
        "（本函由对账核查工具生成，仅供参考，不构成法律意见。）",
        "",
    ]
    return "\n".join(lines)


def letter_bytes(result: Result, path: str | Path) -> bytes:
    """The letter as the file ``path`` names: Word (.docx) or Markdown."""
    text = letter_markdown(result)
    return _docx(text) if str(path).lower().endswith(".docx") else text.encode("utf-8")


def write_letter(result: Result, path: str | Path) -> None:
    write_atomic(path, letter_bytes(result, path))


def _docx(markdown: str) -> bytes:
    """A minimal Word document: one paragraph per line, headings in bold."""
    import io
    import zipfile

    paragraphs = []
    for line in markdown.splitlines():
        bold = line.startswith("#")
        text = _unescape(line.lstrip("#").strip())
        run_props = "<w:rPr><w:b/></w:rPr>" if bold else ""
        paragraphs.append(
            f'<w:p><w:r>{run_props}<w:t xml:space="preserve">{xml_text(text)}</w:t></w:r></w:p>'
        )
    document = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
        + "".join(paragraphs)
        + "</w:body></w:document>"
    )
    types = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/word/document.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
    )
    rels = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'officeDocument" Target="word/document.xml"/></Relationships>'
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", types)
        zf.writestr("_rels/.rels", rels)
        zf.writestr("word/document.xml", document)
    return deterministic_zip(buf.getvalue())


def _unescape(text: str) -> str:
    """Markdown's backslash escapes undone, for the Word version of the same letter."""
    return re.sub(r"\\(.)", r"\1", text)
