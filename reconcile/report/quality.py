"""What a user must know before trusting the findings, as rows every output shows the same way: statements
not read reliably (and the findings withheld because of them), payment files that do not cover the months in
which installments fell due, and each input's own notices and failed self-checks."""

from __future__ import annotations

from dataclasses import dataclass

from ..model import Notice, Result


@dataclass(frozen=True)
class Item:
    kind: str  # reading | coverage | notice | check
    path: str
    where: str
    message: str
    detail: bool = False  # one reason under a heading item


KINDS = {
    "zh": {"reading": "读取可靠性", "coverage": "付款记录覆盖", "notice": "文件提示", "check": "自查不符"},
    "en": {"reading": "Reading", "coverage": "Coverage", "notice": "Notice", "check": "Self-check"},
}


def _say(n: Notice, zh: bool) -> str:
    return (n.message_zh or n.message) if zh else n.message


def items(result: Result, lang: str = "zh") -> list[Item]:
    zh = lang == "zh"
    out: list[Item] = []
    for w in result.withheld:
        if w.level == "low":
            head = (
                "对账单未能可靠读取，" + ("以下结果未经核实" if w.unverified else "不据此认定任何问题")
                if zh
                else "the statement was not read reliably; "
                + ("the findings are unverified" if w.unverified else "no finding is made from it")
            )
        else:
            shown = "、".join(w.codes) if zh else ", ".join(w.codes)
            head = (
                "对账单有部分内容未能读取" + (f"，暂不认定：{shown}" if shown else "")
                if zh
                else "parts of the statement could not be read"
                + (f"; not reported: {shown}" if shown else "")
            )
        out.append(Item("reading", w.path, "", head))
        out += [Item("reading", w.path, n.where, _say(n, zh), detail=True) for n in w.reasons]
    for cov in result.coverage:
        if not cov.files:
            out.append(
                Item(
                    "coverage",
                    "",
                    "",
                    f"贷款 {cov.loan}：没有付款记录，无法核对各期是否已还"
                    if zh
                    else f"loan {cov.loan}: no payment records were given; whether installments were paid "
                    "cannot be checked",
                )
            )
        elif cov.missing:
            months = "、".join(cov.missing) if zh else ", ".join(cov.missing)
            out.append(
                Item(
                    "coverage",
                    "; ".join(cov.files),
                    "",
                    f"贷款 {cov.loan}：付款记录覆盖 {cov.start} 至 {cov.end}，{months} 到期的各期不在付款记录范围内，"
                    "无法核对是否已还（请补充这段时间的付款记录）"
                    if zh
                    else f"loan {cov.loan}: the payment records cover {cov.start} to {cov.end}; installments due in "
                    f"{months} fall outside them and cannot be checked (add the payment records for those months)",
                )
            )
    for ex in result.inputs:
        for n in ex.notices:
            out.append(Item("notice", ex.path, n.where, _say(n, zh)))
        for c in ex.checks:
            if c.ok or any(n.code == c.code and n.message == c.message for n in ex.notices):
                continue
            where = c.evidence[0].where() if c.evidence else ""
            out.append(Item("check", ex.path, where, (c.message_zh or c.message) if zh else c.message))
    return out
