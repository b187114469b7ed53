"""``--redact``: mask names, phone numbers, ID-card numbers and card / account numbers in every output, the same
value always getting the same mask, while amounts, dates and transaction ids stay readable."""

from __future__ import annotations

import dataclasses
import re
from enum import Enum
from typing import Any

from ..model import Result
from ..records import is_record_sequence

_PHONE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
_ID = re.compile(r"(?<![\dA-Za-z])\d{17}[\dXx](?![\dA-Za-z])")
_CARD = re.compile(r"(?<![\d*A-Za-z])\d{12,19}(?![\d*A-Za-z])")
_MASKED_CARD = re.compile(r"(?<![\d*])\d{4,6}\*{4,}\d{3,4}(?!\d)")
_NAME_LABEL = re.compile(
    r"(?:姓名|户名|户\s*名|借款人|客户姓名|微信昵称|京东账号名|用户|Name|Borrower)\s*[:：]\s*\[?([^\s,，\]（(]{2,20})"
)
_NAME_KEYS = ("name", "nickname", "姓名", "户名", "借款人", "account")


class Redactor:
    def __init__(self) -> None:
        self.masks: dict[str, str] = {}
        self.names: set[str] = set()

    def token(self, value: str, kind: str) -> str:
        if value not in self.masks:
            n = sum(1 for m in self.masks.values() if m.startswith(f"[{kind}"))
            self.masks[value] = f"[{kind}{n + 1}]"
        return self.masks[value]

    def learn(self, text: str) -> None:
        for m in _NAME_LABEL.finditer(text):
            self.names.add(m.group(1))

    def text(self, s: str) -> str:
        if not s:
            return s
        for name in sorted(self.names, key=len, reverse=True):
            if name in s:
                s = s.replace(name, self.token(name, "姓名"))
        s = _ID.sub(lambda m: self.token(m.group(0), "证件"), s)
        s = _PHONE.sub(lambda m: self.token(m.group(0), "手机"), s)
        s = _MASKED_CARD.sub(lambda m: self.token(m.group(0), "账号"), s)
        return _CARD.sub(lambda m: self.token(m.group(0), "账号") if len(m.group(0)) <= 19 else m.group(0), s)

    def value(self, obj: Any) -> Any:
        if isinstance(obj, Enum):
            return obj
        if isinstance(obj, str):
            return self.text(obj)
        if is_record_sequence(obj):
            return tuple(self.value(v) for v in obj)
        if isinstance(obj, list):
            return [self.value(v) for v in obj]
        if isinstance(obj, dict):
            return {k: self.value(v) for k, v in obj.items()}
        if (
            dataclasses.is_dataclass(obj)
            and not isinstance(obj, type)
            and getattr(getattr(type(obj), "__dataclass_params__", None), "frozen", False)
        ):
            changes = {
                f.name: self.value(getattr(obj, f.name))
                for f in dataclasses.fields(obj)
                if f.name not in ("sha256", "amount", "timestamp") and f.metadata.get("json", True)
            }
            return dataclasses.replace(obj, **changes)
        return obj


def _learn_all(r: Redactor, result: Result) -> None:
    for ex in result.inputs:
        for key, value in ex.metadata.items():
            if key in _NAME_KEYS and value and not re.search(r"[@\d]", value):
                r.names.add(value)
        for p in ex.payments:
            r.learn(p.source.text)
        if ex.statement is not None:
            for ref in ex.statement.terms.sources:
                r.learn(ref.text)
            for ref in ex.statement.sources:
                r.learn(ref.text)
    for case in result.cases:
        for _, st in case.statements:
            for ref in st.terms.sources:
                r.learn(ref.text)


def redact_result(result: Result) -> Result:
    """A copy of the result with every personal identifier masked consistently (cases included, for the report)."""
    r = Redactor()
    _learn_all(r, result)
    inputs = tuple(r.value(ex) for ex in result.inputs)
    findings = tuple(r.value(f) for f in result.findings)
    cases = tuple(_redact_case(r, c) for c in result.cases)
    return dataclasses.replace(result, inputs=inputs, findings=findings, cases=cases)


def _redact_case(r: Redactor, case: Any) -> Any:
    import copy

    from ..match import Allocation, ClaimMatch

    clone = copy.copy(case)
    clone.key = r.text(case.key)
    clone.terms = r.value(case.terms)
    clone.statements = [(r.value(ex), r.value(st)) for ex, st in case.statements]
    mapping = {id(p): r.value(p) for p in case.payments}
    clone.payments = [mapping[id(p)] for p in case.payments]
    clone.excluded = [(r.value(p), reason) for p, reason in case.excluded]
    clone.claims = [dataclasses.replace(c, installment=r.value(c.installment)) for c in case.claims]
    if case.result is not None:
        result = copy.copy(case.result)
        by_index = {c.index: c for c in clone.claims}
        result.matches = {
            i: ClaimMatch(
                by_index[i],
                [Allocation(mapping.get(id(a.payment), r.value(a.payment)), a.amount) for a in m.allocations],
                m.how,
            )
            for i, m in case.result.matches.items()
        }
        result.unused = [mapping.get(id(p), r.value(p)) for p in case.result.unused]
        clone.result = result
    if case.settled is not None:
        clone.settled = (case.settled[0], r.value(case.settled[1]))
    return clone
