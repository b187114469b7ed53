"""A short terminal summary of a reconciliation: what could not be read or is not covered first, then one line per
finding, then the totals."""

from __future__ import annotations

from ..model import Result
from . import quality
from .findings_json import summary
from .safe import visible

#: Notices shown per input before "and N more".
PER_INPUT = 5


def warnings(result: Result, lang: str = "zh") -> list[str]:
    """Every warning a user must see before trusting the findings (`reconcile.report.quality`), a file's own
    notices cut at a few per file."""
    zh = lang == "zh"
    lines: list[str] = []
    per_file: dict[str, int] = {}
    for item in quality.items(result, lang):
        where = f" [{item.where}]" if item.where else ""
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
    s = summary(result)
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
        kind = f"/{f.kind}" if f.kind else ""
        lines.append(f"{f.id}  {f.severity.value:<6} {f.code}{kind:<20} {f.amount:>12}  {message}")
        for ref in f.evidence[:4]:
            lines.append(f"        {ref.path}:{ref.where()}")
    if zh:
        lines.append(
            f"\n声称应还 {s['claimed']}  已付 {s['paid']}  有争议 {s['disputed']}  重算后应还 {s['recomputed']}"
        )
    else:
        lines.append(
            f"\nclaimed {s['claimed']}  paid {s['paid']}  disputed {s['disputed']}  recomputed {s['recomputed']}"
        )
    return "\n".join(visible(line) for line in lines) + "\n"
