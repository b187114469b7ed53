"""One module per finding code. Each declares its `Rule` (``RULE``: code, names, severity, the letter's request,
the codes it reads and its ``check``), looks at one loan (`reconcile.case.LoanCase`) with the findings of the
codes it declared, and yields findings with evidence; no printing, no raising.

Adding a finding code is adding a module here: it is found, ordered after the codes it reads, named in every
report and given its request in every letter from its declaration alone.
"""

from __future__ import annotations

import importlib
import pkgutil

from ..texts import KINDS
from .base import Rule


def _discover() -> dict[str, Rule]:
    rules: dict[str, Rule] = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if info.name == "base":
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        rule = getattr(module, "RULE", None)
        if not isinstance(rule, Rule):
            raise ImportError(f"reconcile.rules.{info.name} declares no RULE")
        if rule.code in rules:
            raise ImportError(f"two rules declare the code {rule.code!r}")
        rules[rule.code] = rule
    return rules


def _ordered(rules: dict[str, Rule]) -> tuple[Rule, ...]:
    """Every rule after the codes it reads (and otherwise by code, so the order never depends on files)."""
    done: list[Rule] = []
    left = dict(sorted(rules.items()))
    while left:
        ready = [r for r in left.values() if all(a in {d.code for d in done} for a in r.after)]
        if not ready:
            raise ImportError(f"rules that wait for each other or for an unknown code: {', '.join(left)}")
        for r in ready:
            done.append(r)
            del left[r.code]
    return tuple(done)


BY_CODE: dict[str, Rule] = _discover()
RULES: tuple[Rule, ...] = _ordered(BY_CODE)
CODES: tuple[str, ...] = tuple(BY_CODE)


def name(code: str, lang: str) -> str:
    """A finding code as a person reads it."""
    rule = BY_CODE.get(code)
    return rule.name(lang) if rule else code


def finding_type(code: str, kind: str | None, lang: str) -> str:
    """``账单记载有误（费用）`` / ``misreported (fee)``."""
    head = name(code, lang)
    if not kind:
        return head
    what = KINDS[kind](lang) if kind in KINDS else kind
    return f"{head}（{what}）" if lang == "zh" else f"{head} ({what})"


def request(code: str) -> str:
    """What a letter asks for about a finding of this code."""
    rule = BY_CODE.get(code)
    return rule.request if rule else "核查并更正"


__all__ = ["BY_CODE", "CODES", "RULES", "Rule", "finding_type", "name", "request"]
