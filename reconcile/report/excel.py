"""The discrepancy report: a workbook a borrower can hand to a lender, a complaint channel or a mediator, on screen
or printed.

Sheets: 摘要 (summary: the loan, the totals explained, the findings by type, the files, a chart; one A4 page),
问题清单 (findings, each linked to its evidence), 还款计划对照 (the lender's schedule next to what the payments
show), 付款记录 (the payments that concern each loan and what each settled), 证据 (every cited source row,
verbatim), 数据质量 (what limits the findings) and 说明 (method, rules, disclaimer). Every sheet prints on A4 with
the report's name, the sheet, page numbers, the file name and the generation date in its header and footer; wide
sheets print landscape and fit the page width, and rows are tall enough for their wrapped text.

Formatting only: every figure comes from the `Result`, every word from `reconcile.texts`. Text from input files
is written as inert strings (never a formula); files are named, never their local folders; the file is written
atomically and the same inputs give the same bytes on the same day.
"""

from __future__ import annotations

import io
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from .. import rules, texts
from ..model import PaymentKey, Result
from .findings_json import summary
from .output import deterministic_zip, write_atomic
from .sheets import MONEY, SEVERITY_FILL, ZERO, Cells, file_name
from .sheets import today as _today


def build_workbook(
    result: Result, lang: str = "zh", *, name: str = "reconcile-report.xlsx", generated: date | None = None
) -> bytes:
    """The workbook's bytes. ``name`` is the file name printed in every page footer; ``generated`` the date
    printed beside it (today, or the day of ``SOURCE_DATE_EPOCH`` when set, for reproducible builds)."""
    from openpyxl import Workbook

    wb = Workbook()
    sheet = _Sheets(result, lang, Path(name).name, generated or _today())
    sheet.summary(wb.active)
    sheet.quality(wb.create_sheet(texts.label("quality", lang)))
    sheet.findings(wb.create_sheet(texts.label("findings", lang)))
    schedule = wb.create_sheet(texts.label("schedule", lang))
    rows = sheet.schedule(schedule)
    sheet.payments(wb.create_sheet(texts.label("payments", lang)))
    sheet.evidence(wb.create_sheet(texts.label("evidence", lang)))
    sheet.notes(wb.create_sheet(texts.label("notes", lang)))
    sheet.chart(wb.active, schedule, rows)
    wb.properties.creator = "reconcile"
    wb.properties.title = texts.label("title", lang)
    fixed = datetime.combine(sheet.generated, datetime.min.time())
    wb.properties.created = wb.properties.modified = fixed
    buf = io.BytesIO()
    wb.save(buf)
    return deterministic_zip(buf.getvalue())


def write_workbook(result: Result, path: str | Path, lang: str = "zh") -> None:
    """Write the report to ``path`` (atomically: a complete file or none)."""
    write_atomic(path, build_workbook(result, lang, name=Path(path).name))


write_report = write_workbook  # the name earlier versions used


class _Sheets(Cells):
    """The report's sheets, one method each."""

    # ------------------------------------------------------------------------------------------- sheets

    def summary(self, ws: Any) -> None:
        from openpyxl.styles import Font

        result = self.result
        ws.title = self.t("summary")
        for letter, width in zip("ABCD", (30, 16, 46, 8), strict=True):
            ws.column_dimensions[letter].width = width
        ws["A1"] = self.t("title")
        ws["A1"].font = Font(bold=True, size=16)
        self.bold(ws, 2, 1, self.t("as_of"))
        ws["B2"] = result.as_of
        ws["B2"].number_format = "yyyy-mm-dd"
        ws["C2"] = f"{self.t('generated')} {self.generated.isoformat()}"
        row = self._loans(ws, 4)
        row = self._totals(ws, row)
        row = self._codes_and_files(ws, row)
        self.fit_rows(ws, 4, {1: 30, 2: 16, 3: 46})
        self.chart_row = row + 2
        self.page(ws, landscape=False, one_page=True)

    def _loans(self, ws: Any, row: int) -> int:
        """Each loan's facts from its terms, one per line, from ``row``; returns the next free row."""
        lang = self.lang
        for case in self.result.cases:
            t = case.terms
            facts: list[tuple[str, Any]] = [
                ("loan_id", case.key),
                ("lender", t.lender),
                ("product", texts.PRODUCTS[case.product.value](lang) if case.product else ""),
                ("borrower", t.borrower),
                ("principal", t.principal),
                ("start_date", t.start_date),
                ("periods", t.periods or len(case.claims)),
                ("rate", t.rate.text if t.rate else ""),
            ]
            for key, value in facts:
                if value in ("", None):
                    continue
                self.bold(ws, row, 1, self.t(key))
                if isinstance(value, Decimal):
                    self.money(ws, row, 2, value)
                elif isinstance(value, date):
                    ws.cell(row=row, column=2, value=value).number_format = "yyyy-mm-dd"
                else:
                    self.text(ws, row, 2, str(value))
                row += 1
            row += 1
        return row

    def _totals(self, ws: Any, row: int) -> int:
        """The totals, each with what it means, and one line per loan when there are several."""
        from openpyxl.styles import Font

        result = self.result
        keys: list[str | None] = [case.key for case in result.cases]
        self.bold(ws, row, 1, self.t("totals"))
        row += 1
        for col, key in enumerate(("item", "amount_yuan", "meaning"), start=1):
            self.bold(ws, row, col, self.t(key), fill=True)
        s = summary(result)
        for key in ("claimed", "paid", "disputed", "disputed_claimed", "disputed_not_credited", "recomputed"):
            row += 1
            self.text(ws, row, 1, self.t(key), wrap=True)
            self.money(ws, row, 2, Decimal(s[key]))
            self.text(ws, row, 3, self.t(f"{key}_note") if f"{key}_note" in texts.LABELS else "", wrap=True)
            if key in ("disputed", "recomputed"):
                ws.cell(row=row, column=1).font = Font(bold=True)
                ws.cell(row=row, column=2).font = Font(bold=True)
        if len(keys) > 1:  # one line per loan
            row += 2
            for col, head in enumerate(("loan", "claimed", "paid", "disputed"), start=1):
                self.bold(ws, row, col, self.t(head), fill=True)
            for loan in keys:
                per = summary(result, loan)
                row += 1
                self.text(ws, row, 1, str(loan))
                for col, field in ((2, "claimed"), (3, "paid"), (4, "disputed")):
                    self.money(ws, row, col, Decimal(per[field]))
        return row

    def _codes_and_files(self, ws: Any, row: int) -> int:
        """The findings by type, then the input files; returns the last row written."""
        lang, result = self.lang, self.result
        s = summary(result)
        row += 2
        self.bold(ws, row, 1, self.t("by_code"))
        row += 1
        for col, key in enumerate(("code", "count", "amount_yuan"), start=1):
            self.bold(ws, row, col, self.t(key), fill=True)
        if not s["by_code"]:
            row += 1
            self.text(ws, row, 1, self.t("none"))
        for code, entry in s["by_code"].items():
            row += 1
            self.text(ws, row, 1, rules.name(code, lang), wrap=True)
            ws.cell(row=row, column=2, value=entry["count"])
            self.money(ws, row, 3, Decimal(entry["amount"]))
        row += 2
        self.bold(ws, row, 1, self.t("inputs"))
        row += 1
        for col, key in enumerate(("file", "extractor", "sha256_short", "records"), start=1):
            self.bold(ws, row, col, self.t(key), fill=True)
        for ex in result.inputs:
            row += 1
            self.text(ws, row, 1, file_name(ex.path), wrap=True)
            self.text(ws, row, 2, texts.file_format(ex.extractor, lang), wrap=True)
            self.text(ws, row, 3, ex.sha256[:16])
            ws.cell(row=row, column=4, value=ex.record_count)
        return row

    def chart(self, ws: Any, schedule: Any, rows: int) -> None:
        """Per installment, what the lender shows unpaid and what remains after the findings, from the schedule
        sheet, below the summary's tables (the whole summary prints on one page)."""
        from openpyxl.chart import BarChart, Reference

        if rows < 1:
            return
        chart = BarChart()
        chart.title = self.t("chart")
        chart.y_axis.title = self.t("amount_yuan")
        chart.x_axis.title = self.t("installment")
        chart.add_data(Reference(schedule, min_col=6, min_row=1, max_row=rows + 1), titles_from_data=True)
        chart.add_data(Reference(schedule, min_col=10, min_row=1, max_row=rows + 1), titles_from_data=True)
        chart.set_categories(Reference(schedule, min_col=2, min_row=2, max_row=rows + 1))
        chart.width, chart.height = 17.5, 8.0  # cm: the width of the summary's columns
        chart.legend.position = "b"
        ws.add_chart(chart, f"A{self.chart_row}")
        for blank in range(
            self.chart_row, self.chart_row + 17
        ):  # the rows the chart covers, in the print area
            ws.row_dimensions[blank].height = 15
        ws.print_area = f"A1:D{self.chart_row + 16}"

    def findings(self, ws: Any) -> None:
        from openpyxl.styles import Font, PatternFill
        from openpyxl.worksheet.hyperlink import Hyperlink

        lang = self.lang
        widths = (6, 18, 8, 17, 6, 11, 11, 11, 44, 28, 9)
        keys = ("id", "code", "severity", "loan", "installment", "amount", "expected", "actual", "explanation",
                "basis", "links")  # fmt: skip
        self.header(ws, keys, widths)
        for r, f in enumerate(self.result.findings, start=2):
            self.text(ws, r, 1, f.id)
            self.text(ws, r, 2, rules.finding_type(f.code, f.kind, lang), wrap=True)
            sev = self.text(ws, r, 3, texts.severity(f.severity.value, lang))
            sev.fill = PatternFill("solid", fgColor=SEVERITY_FILL[f.severity])
            self.text(ws, r, 4, f.loan or "", wrap=True)
            self.number(ws, r, 5, f.installment)
            self.money(ws, r, 6, f.amount)
            rate = f.unit == "rate"
            for col, value in ((7, f.expected), (8, f.actual)):
                cell = self.money(ws, r, col, value)
                cell.number_format = "0.00%" if rate else MONEY
            advice = f.advice_zh if lang == "zh" else f.advice_en
            message = f.message_zh if lang == "zh" else f.message_en
            if advice:
                message += ("\n提示：" if lang == "zh" else "\nNote: ") + advice
            self.text(ws, r, 9, message, wrap=True)
            self.text(ws, r, 10, (f.basis_zh or f.basis) if lang == "zh" else f.basis, wrap=True)
            if f.evidence:
                target = self.evidence_rows[f.evidence[0]]
                more = f" (+{len(f.evidence) - 1})" if len(f.evidence) > 1 else ""
                link = self.text(ws, r, 11, f"#{target - 1}{more}")
                link.hyperlink = Hyperlink(ref=link.coordinate, location=f"'{self.t('evidence')}'!A{target}")
                link.font = Font(color="0563C1", underline="single")
        if self.result.findings:
            ws.auto_filter.ref = f"A1:K{len(self.result.findings) + 1}"
        self.fit_rows(ws, 2, {2: 18, 4: 17, 9: 44, 10: 28})

    def schedule(self, ws: Any) -> int:
        """The lender's schedule beside the payments; returns the number of rows (the chart's data)."""
        from openpyxl.styles import PatternFill

        keys = ("loan", "installment", "due", "total", "lender_paid", "outstanding", "status", "you_paid",
                "paid_on", "recomputed", "difference")  # fmt: skip
        self.header(ws, keys, (18, 6, 11, 12, 12, 12, 10, 12, 22, 12, 11))
        disputed = self._disputed()
        r = 1
        for case in self.result.cases:
            for claim in case.claims:
                inst = claim.installment
                m = case.result.matches.get(claim.index) if case.result else None
                r += 1
                self.text(ws, r, 1, case.key, wrap=True)
                self.number(ws, r, 2, inst.period)
                ws.cell(row=r, column=3, value=inst.due_date).number_format = "yyyy-mm-dd"
                self.money(ws, r, 4, claim.amount)
                self.money(ws, r, 5, inst.paid)
                claimed = case.claimed_unpaid(inst)
                self.money(ws, r, 6, claimed)
                self.text(ws, r, 7, inst.status, wrap=True)
                self.money(ws, r, 8, m.paid if m else None)
                days = sorted({a.payment.timestamp.date().isoformat() for a in m.allocations}) if m else []
                self.text(ws, r, 9, ", ".join(days), wrap=True)
                gap = disputed.get((case.key, inst.period), ZERO)
                self.money(ws, r, 10, max(claimed - gap, ZERO) if claimed is not None else None)
                diff = self.money(ws, r, 11, gap)
                if gap:
                    for col in range(1, 12):
                        ws.cell(row=r, column=col).fill = PatternFill("solid", fgColor="FCE4D6")
                    diff.fill = PatternFill("solid", fgColor="F8CBAD")
        if r > 1:
            ws.auto_filter.ref = f"A1:K{r}"
        self.fit_rows(ws, 2, {1: 18, 7: 10, 9: 22})
        return r - 1

    def payments(self, ws: Any) -> None:
        lang = self.lang
        keys = ("loan", "time", "amount", "direction", "settled", "counterparty", "description", "settles", "file",
                "row")  # fmt: skip
        widths = (16, 18, 11, 8, 8, 20, 26, 26, 26, 6)
        self.header(ws, keys, widths)
        r = 1
        for case in self.result.cases:
            settles: dict[PaymentKey, list[str]] = {}
            if case.result:
                for m in case.result.matches.values():
                    n = texts.label("installment_n", lang).format(n=m.claim.installment.period)
                    for a in m.allocations:
                        settles.setdefault(a.payment.key, []).append(f"{n}：{a.amount}" if lang == "zh" else
                                                                     f"{n}: {a.amount}")  # fmt: skip
            joint = "；" if lang == "zh" else "; "
            rows = [(p, joint.join(settles.get(p.key, [])) or self.t("unused")) for p in case.payments]
            rows += [(p, self.t("excluded") + reason(lang)) for p, reason in case.excluded]
            for p, what in sorted(rows, key=lambda x: (x[0].timestamp, x[0].source.row or 0)):
                r += 1
                self.text(ws, r, 1, case.key, wrap=True)
                c = ws.cell(row=r, column=2, value=p.timestamp.replace(tzinfo=None))
                c.number_format = "yyyy-mm-dd hh:mm:ss"
                self.money(ws, r, 3, p.amount)
                self.text(ws, r, 4, texts.DIRECTIONS[p.direction.value](lang))
                self.text(ws, r, 5, texts.YES_NO[p.settled](lang))
                self.text(ws, r, 6, p.counterparty, wrap=True)
                self.text(ws, r, 7, p.description, wrap=True)
                self.text(ws, r, 8, what, wrap=True)
                self.text(ws, r, 9, file_name(p.source.path), wrap=True)
                self.number(ws, r, 10, p.source.row)
        if r > 1:
            ws.auto_filter.ref = f"A1:J{r}"
        self.fit_rows(ws, 2, {1: 16, 6: 20, 7: 26, 8: 26, 9: 26})

    def evidence(self, ws: Any) -> None:
        self.header(ws, ("#", "file", "sha256", "where", "text"), (5, 24, 20, 14, 80))
        for ref, r in self.evidence_rows.items():
            self.number(ws, r, 1, r - 1)
            self.text(ws, r, 2, file_name(ref.path), wrap=True)
            self.text(ws, r, 3, ref.sha256, wrap=True)
            self.text(ws, r, 4, self.place(ref), wrap=True)
            text = ref.text
            if ref.confidence is not None:  # read from a screenshot: say how sure the OCR was
                text += f"\n({self.t('ocr_confidence')} {ref.confidence})"
            self.text(ws, r, 5, text, wrap=True)
        self.fit_rows(ws, 2, {2: 24, 3: 20, 4: 14, 5: 80})

    def quality(self, ws: Any) -> None:
        """Everything that limits what the findings can say: statements not read reliably and the findings
        withheld, payment files that miss months, each file's own notices and failed self-checks."""
        from openpyxl.styles import Font

        from .quality import KINDS, items

        lang = self.lang
        self.header(ws, ("category", "file", "where", "explanation"), (14, 30, 16, 80))
        rows = items(self.result, lang)
        if not rows:
            self.text(ws, 2, 4, self.t("quality_none"), wrap=True)
        for r, item in enumerate(rows, start=2):
            self.text(ws, r, 1, "" if item.detail else KINDS[lang][item.kind], wrap=True)
            self.text(ws, r, 2, "" if item.detail else "；".join(file_name(p) for p in item.path.split("; ")),
                      wrap=True)  # fmt: skip
            self.text(ws, r, 3, texts.place(item.where, lang), wrap=True)
            cell = self.text(ws, r, 4, ("    " if item.detail else "") + item.message, wrap=True)
            if item.kind in ("reading", "coverage") and not item.detail:
                cell.font = Font(bold=True, color="9C0006")
        self.fit_rows(ws, 2, {1: 14, 2: 30, 3: 16, 4: 80})

    def notes(self, ws: Any) -> None:
        lang = self.lang
        ws.column_dimensions["A"].width = 80  # one column: office programs never shrink it to the page
        lines = [n(lang) for n in texts.NOTES]
        zh = lang == "zh"
        for case in self.result.cases:
            terms = case.terms
            if terms.rate is not None:
                lines.append(("合同利率：" if zh else "Contract rate: ") + terms.rate.text)
            if terms.penalty is not None:
                lines.append(("罚息约定：" if zh else "Penalty clause: ") + terms.penalty.text)
            for _, st in case.statements:
                for check in st.checks:
                    if check.code == "rate-consistency" and check.ok:
                        message = (check.message_zh or check.message) if zh else check.message
                        lines.append(("利率换算：" if zh else "Rate basis: ") + message)
        lines.append("")
        lines.append(self.t("inputs") + ("：" if zh else ":"))
        for ex in self.result.inputs:
            lines.append(
                f"{file_name(ex.path)}  {texts.file_format(ex.extractor, lang)}  SHA-256 {ex.sha256}"
            )
        for r, line in enumerate(lines, start=1):
            self.text(ws, r, 1, line, wrap=True)
        self.fit_rows(ws, 1, {1: 80})
        self.page(ws, landscape=False)
