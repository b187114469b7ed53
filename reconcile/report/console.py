"""A short terminal summary of a reconciliation: one line per finding and the totals."""

from __future__ import annotations

from ..model import Result
from .findings_json import summary


def render(result: Result, lang: str = "zh") -> str:
    s = summary(result)
    lines = []
    if not result.findings:
        lines.append("未发现问题。" if lang == "zh" else "No findings.")
    for f in result.findings:
        message = f.message_zh if lang == "zh" else f.message_en
        kind = f"/{f.kind}" if f.kind else ""
        lines.append(f"{f.id}  {f.severity.value:<6} {f.code}{kind:<20} {f.amount:>12}  {message}")
        for ref in f.evidence[:4]:
            lines.append(f"        {ref.path}:{ref.where()}")
    if lang == "zh":
        lines.append(
            f"\n声称应还 {s['claimed']}  已付 {s['paid']}  有争议 {s['disputed']}  重算后应还 {s['recomputed']}"
        )
    else:
        lines.append(
            f"\nclaimed {s['claimed']}  paid {s['paid']}  disputed {s['disputed']}  recomputed {s['recomputed']}"
        )
    return "\n".join(lines) + "\n"
