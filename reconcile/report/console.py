"""A short terminal summary of a reconciliation: what could not be read or is not covered first, then one line per
finding, then the totals."""

from __future__ import annotations

from decimal import Decimal

from .. import rules, texts
from ..model import Result
from .findings_json import summary
from .quality import items
from .safe import visible

#: Notices shown per input before "and N more".
PER_INPUT = 5


def warnings(result: Result, lang: str = "zh") -> list[str]:
    """Every warning a user must see before trusting the findings (`reconcile.report.quality`), a file's own
    notices cut at a few per file."""
    zh = lang == "zh"
    lines: list[str] = []
    per_file: dict[str, int] = {}
    for item in items(result, lang):
        where = f" [{texts.place(item.where, lang)}]" if item.where else ""
        if item.detail:
            lines.append(f"    - {item.message}{where}")
            continue
        if item.kind in ("notice", "check"):
            n = per_file[item.path] = per_file.get(item.path, 0) + 1
            if n == 1:
                lines.append(f"! {item.path}：" if zh else f"! {item.path}:")
            if n <= PER_INPUT:
                lines.append(f"    - {item.message}{where}")
            continue
        head = f"{item.path}：" if item.path and item.kind == "reading" else ""
        lines.append(f"! {head}{item.message}{where}")
    for path, n in per_file.items():
        if n > PER_INPUT:
            at = max(i for i, ln in enumerate(lines) if ln.startswith("    - ") or ln.startswith(f"! {path}"))
            more = n - PER_INPUT
            lines.insert(
                at + 1,
                f"    …… {path} 另有 {more} 条（见 JSON 或报告的数据质量表）"
                if zh
                else f"    ... and {more} more in {path}",
            )
    return lines


def render(result: Result, lang: str = "zh") -> str:
    zh = lang == "zh"
    lines = []
    notes = warnings(result, lang)
    if notes:
        lines.append("数据质量提示：" if zh else "Data quality:")
        lines += notes
        lines.append("")
    if not result.findings and not result.reliable:
        lines.append(
            "对账单未能可靠读取，未作任何认定（见上方提示）。"
            if zh
            else "No statement was read reliably, so nothing was checked (see the notes above)."
        )
    elif not result.findings:
        lines.append("未发现问题。" if zh else "No findings.")
    for f in result.findings:
        message = f.message_zh if zh else f.message_en
        what = rules.finding_type(f.code, f.kind, lang)
        lines.append(
            f"{f.id}  {texts.severity(f.severity.value, lang)}  {what}  {f.amount} {'元' if zh else ''}".rstrip()
        )
        lines.append(f"      {message}")
        advice = f.advice_zh if zh else f.advice_en
        if advice:
            lines.append(f"      提示：{advice}" if zh else f"      note: {advice}")
        for ref in f.evidence[:4]:
            where = texts.place(ref.where(), lang)
            lines.append(
                f"      {'证据' if zh else 'evidence'}：{ref.path} {where}"
                if zh
                else f"      evidence: {ref.path} {where}"
            )
    lines.append("")
    lines += totals(result, lang)
    return "\n".join(visible(line.rstrip()) for line in lines) + "\n"


def totals(result: Result, lang: str = "zh") -> list[str]:
    """One line per loan (and one for all when there are several): what the lender claims, what was paid, what
    is disputed and why, and what remains after the findings."""
    zh = lang == "zh"
    out = []
    keys: list[str | None] = [case.key for case in result.cases]
    if len(keys) > 1:
        keys.append(None)
    for key in keys:
        s = summary(result, key)
        name = f"贷款 {key}" if zh and key else ("合计" if zh else (f"loan {key}" if key else "all loans"))
        if zh:
            line = f"{name}：对方声称应还 {s['claimed']} 元，您已付 {s['paid']} 元，有争议 {s['disputed']} 元"
            parts = []
            if Decimal(s["disputed_claimed"]):
                parts.append(f"对方所列中已还或不应收 {s['disputed_claimed']} 元")
            if Decimal(s["disputed_not_credited"]):
                parts.append(f"您已付而对方未入账 {s['disputed_not_credited']} 元")
            if parts:
                line += "（其中" + "，".join(parts) + "）"
            line += f"，重算后应还 {s['recomputed']} 元。"
        else:
            line = f"{name}: claimed {s['claimed']}, paid {s['paid']}, disputed {s['disputed']}"
            parts = []
            if Decimal(s["disputed_claimed"]):
                parts.append(f"{s['disputed_claimed']} of the claim already paid or not owed")
            if Decimal(s["disputed_not_credited"]):
                parts.append(f"{s['disputed_not_credited']} paid but not credited")
            if parts:
                line += " (" + "; ".join(parts) + ")"
            line += f", recomputed {s['recomputed']}."
        out.append(line)
    return out
