"""The discrepancy report: a workbook a borrower can hand to a lender, a complaint channel or a mediator.

Sheets: 摘要 (summary, with a chart), 问题清单 (findings, each linked to its evidence), 还款计划对照 (the lender's
schedule next to what the payments show), 付款记录 (payments and what each settled), 证据 (every cited source row,
verbatim) and 说明 (method, conventions, rules, disclaimer). Formatting only: every figure comes from the `Result`.
Text from input files is written as inert strings (never a formula); the file is written atomically and the same
inputs give the same bytes.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..model import Result, Severity, SourceRef
from .findings_json import summary
from .output import deterministic_zip, write_atomic

MONEY = "#,##0.00"
ZERO = Decimal("0.00")
SEVERITY_FILL = {
    Severity.HIGH: "F8CBAD",
    Severity.MEDIUM: "FFE699",
    Severity.LOW: "DDEBF7",
    Severity.INFO: "E7E6E6",
}
T = {
    "zh": {
        "summary": "摘要",
        "quality": "数据质量",
        "category": "类别",
        "where": "位置",
        "quality_none": "所有文件均已完整读取，付款记录覆盖了各期应还日。",
        "findings": "问题清单",
        "schedule": "还款计划对照",
        "payments": "付款记录",
        "evidence": "证据",
        "notes": "说明",
        "title": "对账核查报告",
        "as_of": "核查基准日",
        "loan": "贷款",
        "lender": "贷款机构",
        "inputs": "读取的文件",
        "file": "文件",
        "sha256": "SHA-256",
        "extractor": "格式",
        "role": "类别",
        "records": "记录数",
        "totals": "合计",
        "claimed": "对方声称应还",
        "paid": "已付款",
        "disputed": "有争议金额",
        "recomputed": "重算后应还",
        "by_code": "按问题类型",
        "code": "问题类型",
        "count": "数量",
        "amount": "金额",
        "id": "编号",
        "kind": "细类",
        "severity": "严重程度",
        "installment": "期数",
        "expected": "应为",
        "actual": "对方所列",
        "explanation": "说明",
        "basis": "依据",
        "links": "证据",
        "period": "期数",
        "due": "应还日",
        "total": "对方所列应还",
        "lender_paid": "对方记已还",
        "outstanding": "对方记未还",
        "status": "状态",
        "you_paid": "您已付",
        "paid_on": "付款日期",
        "difference": "差额",
        "time": "时间",
        "direction": "收支",
        "settled": "是否成功",
        "counterparty": "交易对方",
        "description": "说明",
        "settles": "用于",
        "unused": "未用于任何一期",
        "excluded": "未计入：",
        "page_sheet": "页/表",
        "row": "行",
        "text": "原文",
        "chart": "各期：对方所列应还 与 重算后应还",
        "recomputed_due": "重算后应还",
    },
    "en": {
        "summary": "Summary",
        "quality": "Data quality",
        "category": "Category",
        "where": "Where",
        "quality_none": "Every file was read completely and the payment records cover every due date.",
        "findings": "Findings",
        "schedule": "Schedule",
        "payments": "Payments",
        "evidence": "Evidence",
        "notes": "Notes",
        "title": "Reconciliation report",
        "as_of": "As of",
        "loan": "Loan",
        "lender": "Lender",
        "inputs": "Files read",
        "file": "File",
        "sha256": "SHA-256",
        "extractor": "Format",
        "role": "Role",
        "records": "Records",
        "totals": "Totals",
        "claimed": "Claimed",
        "paid": "Paid",
        "disputed": "Disputed",
        "recomputed": "Recomputed",
        "by_code": "By finding code",
        "code": "Code",
        "count": "Count",
        "amount": "Amount",
        "id": "ID",
        "kind": "Kind",
        "severity": "Severity",
        "installment": "Installment",
        "expected": "Expected",
        "actual": "Actual",
        "explanation": "Explanation",
        "basis": "Basis",
        "links": "Evidence",
        "period": "Period",
        "due": "Due date",
        "total": "Claimed due",
        "lender_paid": "Lender: paid",
        "outstanding": "Lender: outstanding",
        "status": "Status",
        "you_paid": "You paid",
        "paid_on": "Paid on",
        "difference": "Difference",
        "time": "Time",
        "direction": "Direction",
        "settled": "Settled",
        "counterparty": "Counterparty",
        "description": "Description",
        "settles": "Settles",
        "unused": "not used for any installment",
        "excluded": "not counted: ",
        "page_sheet": "Page/sheet",
        "row": "Row",
        "text": "Raw text",
        "chart": "Per installment: claimed vs recomputed",
        "recomputed_due": "Recomputed due",
    },
}
NOTES = {
    "zh": [
        "本报告由 reconcile 离线生成：所有数据只来自您提供的文件，未发送到任何地方。",
        "方法：从对方的对账单/还款计划读出各期应还与条款；从您的付款记录（支付宝、微信、银行流水）中选出与该贷款有关的、"
        "已成功的付款（失败、关闭、已退款的不计入）；按还款周期逐期匹配（每期取该期周期内金额相符的付款；逾期付款按民法典"
        "第560条先抵充最早到期的一期；多笔合付一期或一笔合付多期须唯一匹配，否则列为“需人工核对”）。",
        "金额全部按分精确计算（十进制，不经浮点数），每一项问题都附有原始文件的行/页和原文，可逐条核对。",
        "所依据的规则：民法典第557条（债务因履行而消灭）、第560条（清偿抵充顺序）、第561条（费用—利息—本金）、"
        "第676条（逾期利息）、第670条（利息不得预先扣除）；中国人民银行公告〔2021〕第3号（年化利率披露）；"
        "银发〔2003〕251号（罚息）；征信业管理条例第25条（异议20日内核查）。",
        "利率上限只作“超过X，建议核查”的提示：适用哪一上限取决于贷款机构类型、合同日期和法院认定。",
        "本报告是对账核查工具的输出，不构成法律意见。",
    ],
    "en": [
        "Generated offline by reconcile: every figure comes from the files you gave it; nothing was sent anywhere.",
        "Method: installments and terms are read from the lender's statement; the settled payments that concern the "
        "loan are taken from your payment records (failed, closed and refunded ones never count); each installment is "
        "matched within its billing cycle; late payments go to the oldest installment first (Civil Code Art. 560); "
        "splits and combined payments must match uniquely, otherwise they are listed as ambiguous.",
        "All amounts are exact to the fen (decimal arithmetic, never floating point); every finding cites the file, "
        "page or row and the raw text it rests on.",
        "Rules relied on: Civil Code Art. 557, 560, 561, 670, 676; PBoC Announcement 〔2021〕No. 3 (APR disclosure); "
        "银发〔2003〕251号 (penalty interest); Credit Reporting Regulation Art. 25 (disputes verified within 20 days).",
        "Rate caps are flagged as 'exceeds X, review': which cap applies depends on the lender type, the contract date "
        "and the court.",
        "This report is a review aid, not legal advice.",
    ],
}


def build_workbook(result: Result, lang: str = "zh") -> bytes:
    from openpyxl import Workbook

    t = T[lang]
    wb = Workbook()
    evidence_rows = _evidence_index(result)
    _summary(wb.active, result, t, lang)
    _data_quality(wb.create_sheet(t["quality"]), result, t, lang)
    _findings(wb.create_sheet(t["findings"]), result, t, lang, evidence_rows)
    _schedule(wb.create_sheet(t["schedule"]), result, t)
    _payments(wb.create_sheet(t["payments"]), result, t)
    _evidence(wb.create_sheet(t["evidence"]), result, t, evidence_rows)
    _notes(wb.create_sheet(t["notes"]), result, t, lang)
    wb.properties.creator = "reconcile"
    wb.properties.title = t["title"]
    buf = io.BytesIO()
    wb.save(buf)
    return deterministic_zip(buf.getvalue())


def write_report(result: Result, path: str | Path, lang: str = "zh") -> None:
    write_atomic(path, build_workbook(result, lang))


# ------------------------------------------------------------------------------------------- helpers


def _text(ws: Any, row: int, col: int, value: str) -> Any:
    """Text from input files is always a string cell, never a formula (formula injection), with the control
    characters a workbook cannot hold shown visibly."""
    cell = ws.cell(row=row, column=col)
    cell.value = _CELL_CONTROL.sub(lambda m: f"\\x{ord(m.group(0)):02x}", value) if value else value
    cell.data_type = "s"
    return cell


_CELL_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _money(ws: Any, row: int, col: int, value: Decimal | None) -> Any:
    cell = ws.cell(row=row, column=col, value=value)
    cell.number_format = MONEY
    return cell


def _header(ws: Any, headers: Sequence[str], row: int = 1, widths: Sequence[int] = ()) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill

    for col, text in enumerate(headers, start=1):
        cell = ws.cell(row=row, column=col, value=text)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="D9E1F2")
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[_letter(col)].width = width
    ws.freeze_panes = ws.cell(row=row + 1, column=1)
    ws.print_title_rows = f"{row}:{row}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def _letter(col: int) -> str:
    from openpyxl.utils import get_column_letter

    return str(get_column_letter(col))


def _evidence_index(result: Result) -> dict[SourceRef, int]:
    """Every cited source row once, in the order findings cite them -> its row on the evidence sheet."""
    index: dict[SourceRef, int] = {}
    for f in result.findings:
        for ref in f.evidence:
            if ref not in index:
                index[ref] = len(index) + 2
    return index


def _where(ref: SourceRef) -> str:
    if ref.page is not None:
        return f"p.{ref.page}"
    return ref.sheet or ""


# ------------------------------------------------------------------------------------------- sheets


def _summary(ws: Any, result: Result, t: dict[str, str], lang: str) -> None:
    from openpyxl.chart import BarChart, Reference
    from openpyxl.styles import Font

    ws.title = t["summary"]
    ws["A1"] = t["title"]
    ws["A1"].font = Font(bold=True, size=14)
    ws["A2"] = t["as_of"]
    ws["B2"] = result.as_of
    ws["B2"].number_format = "yyyy-mm-dd"
    row = 4
    for case in result.cases:
        ws.cell(row=row, column=1, value=t["loan"]).font = Font(bold=True)
        _text(ws, row, 2, case.key)
        _text(ws, row, 3, f"{t['lender']}: {case.terms.lender}")
        if case.terms.principal is not None:
            _money(ws, row, 4, case.terms.principal)
        row += 1
    row += 1
    ws.cell(row=row, column=1, value=t["inputs"]).font = Font(bold=True)
    row += 1
    for col, h in enumerate((t["file"], t["sha256"], t["extractor"], t["role"], t["records"]), start=1):
        ws.cell(row=row, column=col, value=h).font = Font(bold=True)
    for ex in result.inputs:
        row += 1
        _text(ws, row, 1, ex.path)
        _text(ws, row, 2, ex.sha256)
        _text(ws, row, 3, ex.extractor)
        _text(ws, row, 4, ex.role.value)
        ws.cell(row=row, column=5, value=ex.record_count)
    s = summary(result)
    row += 2
    ws.cell(row=row, column=1, value=t["totals"]).font = Font(bold=True)
    for key in ("claimed", "paid", "disputed", "recomputed"):
        row += 1
        ws.cell(row=row, column=1, value=t[key])
        _money(ws, row, 2, Decimal(s[key]))
    row += 2
    ws.cell(row=row, column=1, value=t["by_code"]).font = Font(bold=True)
    row += 1
    for col, h in enumerate((t["code"], t["count"], t["amount"]), start=1):
        ws.cell(row=row, column=col, value=h).font = Font(bold=True)
    for code, entry in s["by_code"].items():
        row += 1
        ws.cell(row=row, column=1, value=code)
        ws.cell(row=row, column=2, value=entry["count"])
        _money(ws, row, 3, Decimal(entry["amount"]))
    # chart data: per installment, what the lender claims and what remains after the findings
    row += 2
    first = row
    for col, h in enumerate((t["period"], t["total"], t["recomputed_due"]), start=1):
        ws.cell(row=row, column=col, value=h).font = Font(bold=True)
    disputed_by_inst: dict[tuple[str | None, int], Decimal] = {}
    for f in result.findings:
        if f.installment is not None:
            slot = (f.loan, f.installment)
            disputed_by_inst[slot] = disputed_by_inst.get(slot, ZERO) + f.amount
    for case in result.cases:
        for claim in case.claims:
            inst = claim.installment
            claimed = case.claimed_unpaid(inst)
            if claimed is None:
                claimed = claim.amount
            row += 1
            ws.cell(row=row, column=1, value=inst.period)
            _money(ws, row, 2, claimed)
            _money(ws, row, 3, max(claimed - disputed_by_inst.get((case.key, inst.period), ZERO), ZERO))
    if row > first:
        chart = BarChart()
        chart.title = t["chart"]
        chart.y_axis.title = t["amount"]
        chart.x_axis.title = t["period"]
        data = Reference(ws, min_col=2, min_row=first, max_col=3, max_row=row)
        cats = Reference(ws, min_col=1, min_row=first + 1, max_row=row)
        chart.add_data(data, titles_from_data=True)
        chart.set_categories(cats)
        chart.width, chart.height = 22, 9
        ws.add_chart(chart, "G4")
    for letter, width in zip("ABCDE", (22, 66, 30, 14, 10), strict=True):
        ws.column_dimensions[letter].width = width
    ws.page_setup.orientation = "landscape"


def _findings(
    ws: Any, result: Result, t: dict[str, str], lang: str, evidence_rows: dict[SourceRef, int]
) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill

    headers = (
        t["id"],
        t["code"],
        t["kind"],
        t["severity"],
        t["loan"],
        t["installment"],
        t["amount"],
        t["expected"],
        t["actual"],
        t["explanation"],
        t["basis"],
        t["links"],
    )
    _header(ws, headers, widths=(7, 16, 16, 9, 20, 7, 12, 12, 12, 70, 40, 14))
    for r, f in enumerate(result.findings, start=2):
        ws.cell(row=r, column=1, value=f.id)
        ws.cell(row=r, column=2, value=f.code)
        ws.cell(row=r, column=3, value=f.kind or "")
        sev = ws.cell(row=r, column=4, value=f.severity.value)
        sev.fill = PatternFill("solid", fgColor=SEVERITY_FILL[f.severity])
        _text(ws, r, 5, f.loan or "")
        ws.cell(row=r, column=6, value=f.installment)
        _money(ws, r, 7, f.amount)
        money_like = f.code != "rate-above-cap"
        for col, value in ((8, f.expected), (9, f.actual)):
            cell = ws.cell(row=r, column=col, value=value)
            cell.number_format = MONEY if money_like else "0.00%"
        msg = _text(ws, r, 10, f.message_zh if lang == "zh" else f.message_en)
        msg.alignment = Alignment(wrap_text=True, vertical="top")
        _text(ws, r, 11, f.basis).alignment = Alignment(wrap_text=True, vertical="top")
        if f.evidence:
            target = evidence_rows[f.evidence[0]]
            link = ws.cell(
                row=r,
                column=12,
                value=f"{t['evidence']} #{target - 1}"
                + (f" (+{len(f.evidence) - 1})" if len(f.evidence) > 1 else ""),
            )
            from openpyxl.worksheet.hyperlink import Hyperlink

            link.hyperlink = Hyperlink(ref=link.coordinate, location=f"'{t['evidence']}'!A{target}")
            link.font = Font(color="0563C1", underline="single")
    if result.findings:
        ws.auto_filter.ref = f"A1:L{len(result.findings) + 1}"


def _schedule(ws: Any, result: Result, t: dict[str, str]) -> None:
    from openpyxl.styles import PatternFill

    headers = (
        t["loan"],
        t["period"],
        t["due"],
        t["total"],
        t["lender_paid"],
        t["outstanding"],
        t["status"],
        t["you_paid"],
        t["paid_on"],
        t["recomputed_due"],
        t["difference"],
    )
    _header(ws, headers, widths=(20, 7, 12, 14, 14, 14, 10, 14, 24, 14, 12))
    disputed: dict[tuple[str | None, int], Decimal] = {}
    for f in result.findings:
        if f.installment is not None:
            disputed[(f.loan, f.installment)] = disputed.get((f.loan, f.installment), ZERO) + f.amount
    r = 1
    for case in result.cases:
        for claim in case.claims:
            inst = claim.installment
            m = case.result.matches.get(claim.index) if case.result else None
            r += 1
            _text(ws, r, 1, case.key)
            ws.cell(row=r, column=2, value=inst.period)
            c = ws.cell(row=r, column=3, value=inst.due_date)
            c.number_format = "yyyy-mm-dd"
            _money(ws, r, 4, claim.amount)
            _money(ws, r, 5, inst.paid)
            _money(ws, r, 6, case.claimed_unpaid(inst))
            _text(ws, r, 7, inst.status)
            _money(ws, r, 8, m.paid if m else None)
            _text(
                ws,
                r,
                9,
                ", ".join(sorted({a.payment.timestamp.date().isoformat() for a in m.allocations}))
                if m
                else "",
            )
            claimed = case.claimed_unpaid(inst)
            gap = disputed.get((case.key, inst.period), ZERO)
            _money(
                ws,
                r,
                10,
                max((claimed if claimed is not None else ZERO) - gap, ZERO) if claimed is not None else None,
            )
            diff = _money(ws, r, 11, gap)
            if gap:
                for col in range(1, 12):
                    ws.cell(row=r, column=col).fill = PatternFill("solid", fgColor="FCE4D6")
                diff.fill = PatternFill("solid", fgColor="F8CBAD")
    if r > 1:
        ws.auto_filter.ref = f"A1:K{r}"


def _payments(ws: Any, result: Result, t: dict[str, str]) -> None:
    headers = (
        t["loan"],
        t["time"],
        t["amount"],
        t["direction"],
        t["settled"],
        t["counterparty"],
        t["description"],
        t["settles"],
        t["file"],
        t["row"],
    )
    _header(ws, headers, widths=(20, 20, 12, 9, 9, 24, 36, 36, 36, 8))
    r = 1
    for case in result.cases:
        settles: dict[int, list[str]] = {}
        if case.result:
            for m in case.result.matches.values():
                for a in m.allocations:
                    settles.setdefault(id(a.payment), []).append(f"#{m.claim.installment.period}: {a.amount}")
        rows = [(p, "; ".join(settles.get(id(p), [])) or t["unused"]) for p in case.payments]
        rows += [(p, t["excluded"] + reason) for p, reason in case.excluded]
        for p, what in sorted(rows, key=lambda x: (x[0].timestamp, x[0].source.row or 0)):
            r += 1
            _text(ws, r, 1, case.key)
            c = ws.cell(row=r, column=2, value=p.timestamp.replace(tzinfo=None))
            c.number_format = "yyyy-mm-dd hh:mm:ss"
            _money(ws, r, 3, p.amount)
            _text(ws, r, 4, p.direction.value)
            _text(ws, r, 5, "yes" if p.settled else "no")
            _text(ws, r, 6, p.counterparty)
            _text(ws, r, 7, p.description)
            _text(ws, r, 8, what)
            _text(ws, r, 9, p.source.path)
            ws.cell(row=r, column=10, value=p.source.row)
    if r > 1:
        ws.auto_filter.ref = f"A1:J{r}"


def _evidence(ws: Any, result: Result, t: dict[str, str], evidence_rows: dict[SourceRef, int]) -> None:
    from openpyxl.styles import Alignment

    _header(
        ws,
        ("#", t["file"], t["sha256"], t["page_sheet"], t["row"], t["text"]),
        widths=(6, 40, 20, 12, 8, 100),
    )
    for ref, r in evidence_rows.items():
        ws.cell(row=r, column=1, value=r - 1)
        _text(ws, r, 2, ref.path)
        _text(ws, r, 3, ref.sha256)
        _text(ws, r, 4, _where(ref))
        ws.cell(row=r, column=5, value=ref.row)
        _text(ws, r, 6, ref.text).alignment = Alignment(wrap_text=True, vertical="top")


def _data_quality(ws: Any, result: Result, t: dict[str, str], lang: str) -> None:
    """Everything that limits what the findings can say: statements not read reliably and the findings withheld,
    payment files that miss months, each file's own notices and failed self-checks."""
    from openpyxl.styles import Alignment, Font

    from .quality import KINDS, items

    _header(ws, (t["category"], t["file"], t["where"], t["explanation"]), widths=(14, 40, 18, 90))
    rows = items(result, lang)
    if not rows:
        _text(ws, 2, 4, t["quality_none"])
    for r, item in enumerate(rows, start=2):
        _text(ws, r, 1, "" if item.detail else KINDS[lang][item.kind])
        _text(ws, r, 2, "" if item.detail else item.path)
        _text(ws, r, 3, item.where)
        cell = _text(ws, r, 4, ("    " if item.detail else "") + item.message)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if item.kind in ("reading", "coverage") and not item.detail:
            cell.font = Font(bold=True, color="9C0006")


def _notes(ws: Any, result: Result, t: dict[str, str], lang: str) -> None:
    from openpyxl.styles import Alignment

    ws.column_dimensions["A"].width = 120
    lines = list(NOTES[lang])
    for case in result.cases:
        terms = case.terms
        if terms.rate is not None:
            lines.append(("合同利率：" if lang == "zh" else "Contract rate: ") + terms.rate.text)
        if terms.penalty is not None:
            lines.append(("罚息约定：" if lang == "zh" else "Penalty clause: ") + terms.penalty.text)
        for _, st in case.statements:
            for check in st.checks:
                if check.code == "rate-consistency" and check.ok:
                    lines.append(("利率换算：" if lang == "zh" else "Rate basis: ") + check.message)
    for r, line in enumerate(lines, start=1):
        _text(ws, r, 1, line).alignment = Alignment(wrap_text=True, vertical="top")
