"""``--letter``: a letter ready to send, in Chinese, for the channel the borrower chooses (RULES.md §4.2):

- ``lender``: a complaint and correction request to the lender, to be answered within 15 days;
- ``mediation``: an application to a banking and insurance dispute mediation organisation;
- ``regulator``: a complaint to the National Financial Regulatory Administration (12378);
- ``pboc``: a credit-report dispute and complaint for the People's Bank of China (12363).

Each letter names the applicant (the borrower the statement prints, or ``--name``) and the loan (lender, loan id,
principal, date, term, rate), states each finding in plain Chinese with its amount and dates, cites the evidence
by file name, page or row and the text it shows (never a local folder), lists the requests and the reply
deadline, closes with 此致 敬礼, the date and an 附件 list of the files with their SHA-256. The same document is
written as Markdown or as Word (.docx).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from .. import rules, texts
from ..model import Finding, Result
from .findings_json import summary
from .output import deterministic_zip, write_atomic
from .safe import visible
from .sheets import file_name
from .sheets import today as _today

CHANNELS = ("lender", "mediation", "regulator", "pboc")

NUMERALS = "一二三四五六七八九十"
BLANK = "＿＿＿＿＿＿"  # a blank to fill in by hand (full-width: no Markdown meaning)
#: What Markdown could act on in the middle of a line: the letter escapes these and leaves the rest readable.
_ACTIVE = re.compile(r"([\\`*_\[\]<>|~])")


def _md(text: str) -> str:
    return _ACTIVE.sub(r"\\\1", visible(text))


@dataclass(frozen=True)
class Block:
    """One piece of the letter: a title, a heading, a paragraph or a list item."""

    kind: str  # title | heading | heading2 | para | plain (not indented) | item | numbered | signature
    text: str


def _number(n: int) -> str:
    if n <= 10:
        return NUMERALS[n - 1]
    if n < 20:
        return "十" + NUMERALS[n - 11]
    tens, ones = divmod(n, 10)
    return NUMERALS[tens - 1] + "十" + (NUMERALS[ones - 1] if ones else "")


def _day(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def _money(v: Decimal) -> str:
    return f"{v:,.2f}"


def _plain(f: Finding) -> str:
    """The finding as the applicant states it."""
    return f.message_zh.replace("您已于", "本人已于").replace("您于", "本人于").replace("您", "本人")


def document(
    result: Result, channel: str = "lender", *, name: str = "", signed: date | None = None
) -> list[Block]:
    """The letter for ``channel`` as blocks (see `Block`); ``name`` overrides the borrower the statement prints."""
    if channel not in CHANNELS:
        raise ValueError(f"unknown channel {channel!r}; use one of {', '.join(CHANNELS)}")
    cases = list(result.cases)
    lenders = sorted({c.terms.lender for c in cases if c.terms.lender}) or ["贷款机构"]
    lender = "、".join(lenders)
    borrower = name or next((c.terms.borrower for c in cases if c.terms.borrower), "")
    applicant = borrower or BLANK
    who = "申请人" if channel in ("lender", "mediation", "pboc") else "投诉人"
    products = sorted({texts.PRODUCTS[c.product.value]("zh") for c in cases if c.product})
    loan_name = f"{lender}{('（' + '、'.join(products) + '）') if products else ''}借款"
    attachments = {ex.path: i for i, ex in enumerate(result.inputs, start=1)}
    return [
        *_opening(result, channel, lender, loan_name, who, applicant),
        *_problems(result, channel, attachments),
        *_requests(result, channel),
        *_closing(result, channel, who, applicant, signed or _today(), attachments),
    ]


def _opening(
    result: Result, channel: str, lender: str, loan_name: str, who: str, applicant: str
) -> list[Block]:
    """Title, addressee, the parties, each loan's facts and the opening paragraph with the totals."""
    out = [
        Block(
            "title",
            {
                "lender": f"关于{loan_name}账单问题的投诉与更正申请",
                "mediation": "金融消费纠纷调解申请书",
                "regulator": f"关于{lender}的投诉（国家金融监督管理总局 12378）",
                "pboc": f"关于{lender}报送信息的征信异议与投诉（中国人民银行 12363）",
            }[channel],
        )
    ]
    to = {
        "lender": f"{lender}（客户服务/消费者权益保护部门）",
        "mediation": "银行业保险业消费纠纷调解组织",
        "regulator": "国家金融监督管理总局（12378 银行保险消费者投诉维权热线）或当地金融监管局",
        "pboc": f"中国人民银行（12363）及征信中心；信息提供者：{lender}",
    }[channel]
    out.append(Block("plain", f"致：{to}"))
    out.append(Block("plain", f"{who}：{applicant}（借款人）　联系方式：{BLANK}"))
    if channel in ("mediation", "regulator"):
        out.append(Block("plain", f"{'被申请人' if channel == 'mediation' else '被投诉机构'}：{lender}"))
    for case in result.cases:
        t = case.terms
        facts = [f"贷款编号：{case.key}"]
        if t.principal is not None:
            facts.append(f"借款本金：{_money(t.principal)} 元")
        if t.start_date is not None:
            facts.append(f"借款日期：{_day(t.start_date)}")
        if t.periods or case.claims:
            facts.append(f"期数：{t.periods or len(case.claims)} 期")
        if t.rate is not None:
            facts.append(f"合同利率：{t.rate.text}")
        out.append(Block("plain", "　".join(facts)))
    s = summary(result)
    parts = []
    if Decimal(s["disputed_claimed"]):
        party = {"lender": "贵方", "mediation": "被申请人"}.get(channel, "该机构")
        parts.append(f"{party}所列中本人已还或不应收取的 {_money(Decimal(s['disputed_claimed']))} 元")
    if Decimal(s["disputed_not_credited"]):
        parts.append(f"本人已付而未入账的 {_money(Decimal(s['disputed_not_credited']))} 元")
    total = f"共 {len(result.findings)} 项，涉及金额 {_money(Decimal(s['disputed']))} 元" + (
        "（其中" + "，".join(parts) + "）" if parts else ""
    )
    opening = {
        "lender": f"本人在核对贵方提供的账单/还款计划与本人的付款记录后，发现以下问题，{total}。每一项均注明原始文件、"
        "页码或行号及原文，并附原始文件，可逐条核对。现请求贵方核查更正。",
        "mediation": f"申请人与被申请人之间因{loan_name}的还款金额发生争议。申请人核对被申请人提供的"
        f"账单/还款计划与本人的付款记录，发现以下问题，{total}。申请人曾向被申请人反映，未能解决，现申请调解。",
        "regulator": f"本人在核对{lender}提供的账单/还款计划与本人的付款记录后，发现以下问题，{total}。"
        "本人已于＿＿年＿月＿日向该机构投诉，未获解决，现向贵局投诉，请求督促该机构核查更正。",
        "pboc": f"本人在核对{lender}提供的账单/还款计划与本人的付款记录后，发现以下问题，{total}。"
        "其中涉及逾期状态或欠款金额的记载，可能已报送至本人的信用报告。现提出异议，请求核查并更正信息。",
    }[channel]
    out.append(Block("para", opening))
    return out


def _problems(result: Result, channel: str, attachments: dict[str, int]) -> list[Block]:
    """Section one: each finding in the applicant's words, its evidence quoted with the attachment, its basis."""
    out = [
        Block("heading", "一、事实与理由" if channel in ("mediation", "regulator") else "一、核对发现的问题")
    ]
    if not result.findings:
        out.append(Block("para", "核对未发现需要更正的问题。"))
    for k, f in enumerate(result.findings, start=1):
        what = rules.finding_type(f.code, f.kind, "zh")
        head = f"问题{_number(k)}：{what}，金额 {_money(f.amount)} 元"
        if f.installment is not None:
            head += f"（第{f.installment}期）"
        out.append(Block("heading2", head))
        out.append(Block("para", _plain(f)))
        for ref in f.evidence:
            where = texts.place(ref.where(), "zh")
            quote = " ".join(ref.text.split())
            if len(quote) > 160:
                quote = quote[:160] + "……"
            n = attachments.get(ref.path)
            see = f"（附件{n}）" if n else ""
            out.append(
                Block("item", f"证据：{file_name(ref.path)}{' ' + where if where else ''}{see}：“{quote}”")
            )
        if f.basis_zh or f.basis:
            out.append(Block("item", f"依据：{f.basis_zh or f.basis}"))
    return out


def _requests(result: Result, channel: str) -> list[Block]:
    """Section two: what each kind of finding asks for (each once, as its rule words it), then the channel's."""
    requests: list[str] = []
    for f in result.findings:
        r = rules.request(f.code)
        if r not in requests:
            requests.append(r)
    requests += {
        "lender": ["就上述问题作出书面答复，并提供相应的入账明细"],
        "mediation": ["组织双方调解，确认实际欠款金额并撤销错误记载"],
        "regulator": ["督促该机构核查、更正上述问题并向本人书面答复"],
        "pboc": ["对本人信用报告中的相关记录标注异议并核查，记载错误的予以更正，并书面告知结果"],
    }[channel]
    return [Block("heading", "二、请求事项"), *(Block("numbered", f"{r}。") for r in requests)]


def _closing(
    result: Result, channel: str, who: str, applicant: str, signed: date, attachments: dict[str, int]
) -> list[Block]:
    """Section three (the time to answer and its basis), the signature, and the attachments with their sha256."""
    deadline = {
        "lender": "请于收到本函之日起 15 日内核查处理并书面答复（《银行业保险业消费投诉处理管理办法》："
        "投诉应自收到之日起15日内作出处理决定）。逾期未答复或未能解决的，本人将向国家金融监督管理总局（12378）投诉，"
        "涉及征信的向中国人民银行（12363）反映，并可申请金融纠纷调解。",
        "mediation": "依《银行保险机构消费者权益保护管理办法》，银行保险机构不得无正当理由拒绝调解。"
        "调解申请可中断诉讼时效。请调解组织受理后通知被申请人，并告知调解安排。",
        "regulator": "请依规受理本投诉，并督促该机构在规定期限内（一般为15日）处理并书面答复。",
        "pboc": "依《征信业管理条例》第二十五条，征信机构或信息提供者应自收到异议之日起 20 日内核查处理，"
        "并将结果书面答复异议人。",
    }[channel]
    out = [
        Block("heading", "三、答复期限"),
        Block("para", deadline),
        Block("para", "此致"),
        Block("para", "敬礼"),
        Block("signature", f"{who}：{applicant}"),
        Block("signature", f"日期：{_day(signed)}"),
        Block("heading", "附件"),
    ]
    for ex in result.inputs:
        out.append(
            Block(
                "item",
                f"附件{attachments[ex.path]}：{file_name(ex.path)}（{texts.file_format(ex.extractor, 'zh')}，"
                f"SHA-256：{ex.sha256}）",
            )
        )
    out.append(
        Block(
            "para",
            "以上附件均为本人从相应 App 或网银导出的原始文件；SHA-256 校验值可证明文件未经改动。"
            "本函依据上述文件核对生成，所列金额精确到分。",
        )
    )
    return out


def letter_markdown(
    result: Result, channel: str = "lender", *, name: str = "", signed: date | None = None
) -> str:
    lines: list[str] = []
    number = 0
    for b in document(result, channel, name=name, signed=signed):
        text = _md(b.text)
        if b.kind in ("title", "heading", "heading2", "para", "plain", "signature") and lines and lines[-1]:
            lines.append("")
        number = number + 1 if b.kind == "numbered" else 0
        if b.kind == "title":
            lines += [f"# {text}", ""]
        elif b.kind == "heading":
            lines += [f"## {text}", ""]
        elif b.kind == "heading2":
            lines += [f"### {text}", ""]
        elif b.kind == "item":
            lines.append(f"- {text}")
        elif b.kind == "numbered":
            lines.append(f"{number}. {text}")
        else:
            lines += [text, ""]
    return "\n".join(lines).rstrip("\n") + "\n"


def letter_docx(blocks: Sequence[Block], signed: date) -> bytes:
    """The letter as a Word document: 宋体 body, 黑体 headings, A4, the signature block set right."""
    import io

    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.5)
    section.top_margin = section.bottom_margin = Cm(2.5)

    def font(run_or_style: Any, east_asia: str, size: float, bold: bool = False) -> None:
        f = run_or_style.font
        f.size, f.bold, f.name = Pt(size), bold, east_asia
        element = run_or_style.element
        rpr = element.get_or_add_rPr()
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is None:
            fonts = rpr.makeelement(qn("w:rFonts"), {})
            rpr.append(fonts)
        fonts.set(qn("w:eastAsia"), east_asia)

    font(doc.styles["Normal"], "宋体", 12)
    number = 0
    for b in blocks:
        if b.kind == "title":
            p = doc.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            font(p.add_run(b.text), "黑体", 16, bold=True)
        elif b.kind in ("heading", "heading2"):
            p = doc.add_paragraph()
            font(p.add_run(b.text), "黑体", 14 if b.kind == "heading" else 12, bold=True)
        elif b.kind == "signature":
            p = doc.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            font(p.add_run(b.text), "宋体", 12)
        else:
            p = doc.add_paragraph()
            if b.kind == "numbered":
                number += 1
                text = f"{number}. {b.text}"
            else:
                number = 0
                text = b.text
            if b.kind in ("item", "numbered"):
                p.paragraph_format.left_indent = Cm(0.75)
            elif b.kind == "para" and b.text != "敬礼":
                p.paragraph_format.first_line_indent = Cm(0.85)
            font(p.add_run(text), "宋体", 12)
        p.paragraph_format.space_after = Pt(6)
    fixed = datetime.combine(signed, datetime.min.time())
    doc.core_properties.created = doc.core_properties.modified = fixed
    doc.core_properties.author = doc.core_properties.last_modified_by = "reconcile"
    doc.core_properties.title = blocks[0].text if blocks else ""
    buf = io.BytesIO()
    doc.save(buf)
    return deterministic_zip(buf.getvalue())


def letter_bytes(
    result: Result, path: str | Path, channel: str = "lender", *, name: str = "", signed: date | None = None
) -> bytes:
    """The letter as the file ``path`` names: Word (.docx) or Markdown (.md)."""
    signed = signed or _today()
    if str(path).lower().endswith(".docx"):
        return letter_docx(document(result, channel, name=name, signed=signed), signed)
    return letter_markdown(result, channel, name=name, signed=signed).encode("utf-8")


def write_letter(
    result: Result, path: str | Path, channel: str = "lender", *, name: str = "", signed: date | None = None
) -> None:
    """Write the letter for ``channel`` to ``path`` (.md or .docx), atomically."""
    write_atomic(path, letter_bytes(result, path, channel, name=name, signed=signed))
