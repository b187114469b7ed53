"""A short terminal summary of a reconciliation: what could not be read or is not covered first, then one line per
finding, then the totals."""

from __future__ import annotations

from ..model import Notice, Result
from .findings_json import summary

#: Notices shown per input before "and N more".
PER_INPUT = 5


def warnings(result: Result, lang: str = "zh") -> list[str]:
    """Every warning a user must see before trusting the findings: statements not read reliably (and the
    findings withheld because of them), payment files that do not cover the months installments fell due, and
    each input's own notices and failed self-checks."""
    zh = lang == "zh"
    lines: list[str] = []

    def say(n: Notice) -> str:
        text = (n.message_zh or n.message) if zh else n.message
        return text + (f" [{n.where}]" if n.where else "")

    for w in result.withheld:
        if w.level == "low":
            head = (
                f"{w.path}：对账单未能可靠读取，"
                + ("以下结果未经核实" if w.unverified else "不据此认定任何问题")
                if zh
                else f"{w.path}: the statement was not read reliably; "
                + ("the findings below are unverified" if w.unverified else "no finding is made from it")
            )
        else:
            shown = "、".join(w.codes) if w.codes else ""
            head = (
                f"{w.path}：对账单有部分内容未能读取" + (f"，暂不认定：{shown}" if shown else "")
                if zh
                else f"{w.path}: parts of the statement could not be read"
                + (f"; not reported: {shown}" if shown else "")
            )
        lines.append(f"! {head}")
        lines += [f"    - {say(n)}" for n in w.reasons]
    for cov in result.coverage:
        if not cov.files:
            lines.append(
                f"! 贷款 {cov.loan}：没有付款记录，无法核对各期是否已还"
                if zh
                else f"! loan {cov.loan}: no payment records were given; "
                "whether installments were paid cannot be checked"
            )
        elif cov.missing:
            months = "、".join(cov.missing) if zh else ", ".join(cov.missing)
            lines.append(
                f"! 贷款 {cov.loan}：付款记录覆盖 {cov.start} 至 {cov.end}，"
                f"{months} 到期的各期不在付款记录范围内，无法核对是否已还（请补充这段时间的付款记录）"
                if zh
                else f"! loan {cov.loan}: the payment records cover {cov.start} to {cov.end}; installments due in "
                f"{months} fall outside them and cannot be checked (add the payment records for those months)"
            )
    for ex in result.inputs:
        items = [*ex.notices]
        items += [
            Notice(code=c.code, message=c.message, message_zh=c.message_zh)
            for c in ex.checks
            if not c.ok and not any(n.code == c.code and n.message == c.message for n in ex.notices)
        ]
        if not items:
            continue
        lines.append(f"! {ex.path}：" + (f"{len(items)} 条提示" if zh else f"{len(items)} notice(s)"))
        lines += [f"    - {say(n)}" for n in items[:PER_INPUT]]
        if len(items) > PER_INPUT:
            more = len(items) - PER_INPUT
            lines.append(
                f"    …… 另有 {more} 条（见 JSON 或报告的数据质量表）" if zh else f"    ... and {more} more"
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
    return "\n".join(lines) + "\n"
