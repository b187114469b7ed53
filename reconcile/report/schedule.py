"""Rendering a `Schedule`: a terminal table, JSON, or a workbook. Formatting only."""

from __future__ import annotations

import io
import json
from typing import Any

from ..money import format_amount
from ..rates import percent
from ..schedule import Schedule

HEADERS_ZH = ("期数", "还款日", "期初本金", "本金", "利息", "费用", "应还合计", "期末本金", "计息天数")
HEADERS_EN = ("Period", "Due date", "Opening", "Principal", "Interest", "Fee", "Payment", "Closing", "Days")


def schedule_json(s: Schedule) -> dict[str, Any]:
    a = s.apr()
    return {
        "schema": "reconcile.schedule/1",
        "principal": format_amount(s.principal),
        "rate": {"value": f"{s.rate.value:f}", "unit": s.rate.unit.value, "text": s.rate.text},
        "method": s.method.value,
        "start": s.start.isoformat(),
        "convention": s.convention.describe(),
        "upfront_fee": format_amount(s.upfront_fee),
        "rows": [
            {
                "period": r.period,
                "due_date": r.due_date.isoformat(),
                "opening": format_amount(r.opening),
                "principal": format_amount(r.principal),
                "interest": format_amount(r.interest),
                "fee": format_amount(r.fee),
                "payment": format_amount(r.payment),
                "closing": format_amount(r.closing),
                "days": r.days,
            }
            for r in s.rows
        ],
        "totals": {
            "principal": format_amount(sum((r.principal for r in s.rows), s.principal * 0)),
            "interest": format_amount(s.total_interest),
            "fees": format_amount(s.total_fees),
            "payment": format_amount(s.total_payment),
        },
        "apr": {
            "periodic": f"{a.periodic:.10f}",
            "simple": f"{a.simple:.6f}",
            "compound": f"{a.compound:.6f}",
            "simple_percent": percent(a.simple),
            "compound_percent": percent(a.compound),
        },
    }


def render_text(s: Schedule) -> str:
    lines = [
        f"Loan {format_amount(s.principal)}, {s.rate.text or s.rate.value}, {len(s.rows)} periods, {s.method.value}, "
        f"from {s.start.isoformat()}",
        f"Convention: {s.convention.describe()}",
        "",
        f"{'period':>6}  {'due date':<10}  {'opening':>12}  {'principal':>11}  {'interest':>10}  {'fee':>8}  "
        f"{'payment':>11}  {'closing':>12}  {'days':>4}",
    ]
    for r in s.rows:
        lines.append(
            f"{r.period:>6}  {r.due_date.isoformat():<10}  {format_amount(r.opening):>12}  "
            f"{format_amount(r.principal):>11}  {format_amount(r.interest):>10}  {format_amount(r.fee):>8}  "
            f"{format_amount(r.payment):>11}  {format_amount(r.closing):>12}  {r.days:>4}"
        )
    principal = sum((r.principal for r in s.rows), s.principal * 0)
    lines.append(
        f"{'total':>6}  {'':<10}  {'':>12}  {format_amount(principal):>11}  {format_amount(s.total_interest):>10}  "
        f"{format_amount(s.total_fees - s.upfront_fee):>8}  {format_amount(s.total_payment):>11}"
    )
    if s.upfront_fee:
        lines.append(
            f"Fee deducted up front: {format_amount(s.upfront_fee)} "
            f"(net received {format_amount(s.principal - s.upfront_fee)})"
        )
    a = s.apr()
    lines += ["", f"APR (IRR on the net amount received and every payment): {a.describe()}"]
    return "\n".join(lines) + "\n"


def render_json(s: Schedule) -> str:
    return json.dumps(schedule_json(s), ensure_ascii=False, indent=2) + "\n"


def render_xlsx(s: Schedule, lang: str = "zh") -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "还款计划" if lang == "zh" else "Schedule"
    headers = HEADERS_ZH if lang == "zh" else HEADERS_EN
    ws.append(list(headers))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for r in s.rows:
        ws.append(
            [r.period, r.due_date, r.opening, r.principal, r.interest, r.fee, r.payment, r.closing, r.days]
        )
    total_row = [
        "合计" if lang == "zh" else "Total",
        None,
        None,
        sum((r.principal for r in s.rows), s.principal * 0),
        s.total_interest,
        s.total_fees - s.upfront_fee,
        s.total_payment,
        None,
        None,
    ]
    ws.append(total_row)
    for row in ws.iter_rows(min_row=2):
        row[1].number_format = "yyyy-mm-dd"
        for cell in row[2:8]:
            cell.number_format = "#,##0.00"
    a = s.apr()
    ws.append([])
    ws.append(["年化利率（单利）APR simple" if lang == "zh" else "APR (simple)", a.simple])
    ws.cell(row=ws.max_row, column=2).number_format = "0.00%"
    ws.append(["年化利率（复利）APR compound" if lang == "zh" else "APR (compound)", a.compound])
    ws.cell(row=ws.max_row, column=2).number_format = "0.00%"
    ws.freeze_panes = "A2"
    for col, width in zip("ABCDEFGHI", (8, 12, 14, 12, 12, 10, 12, 14, 8), strict=True):
        ws.column_dimensions[col].width = width
    from datetime import datetime

    fixed = datetime(2000, 1, 1)
    wb.properties.created = fixed
    wb.properties.modified = fixed
    wb.properties.creator = "reconcile"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
