"""``--redact``: mask names, phone numbers, ID-card numbers and card / account numbers in every output, the same
value always getting the same mask, while amounts, dates and transaction ids stay readable."""

from __future__ import annotations

import dataclasses
import re
from enum import Enum
from typing import Any

from ..model import Result
from ..records import is_record_sequence

#: Digit runs that may identify a person: phone, ID-card, bank card and account numbers, written plain or in
#: groups (``139-1234-5678``, ``6222 0211 0009 8812 345``, ``110101 19900101 123X``).
_NUMBER = re.compile(
    r"(?<![A-Za-z0-9_*.¥￥/:])(?:\+?86[ \-]?)?(?:\d{11,19}[Xx]?|\d{17}[Xx]|\d{3,8}(?:[ \-]\d{2,8}){1,11}[Xx]?)"
    r"(?![A-Za-z0-9_*.:/])"
)
_MASKED_CARD = re.compile(r"(?<![\d*])\d{4,6}\*{4,}\d{3,4}(?!\d)")
_EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+")
_ADDRESS = re.compile(
    r"((?:家庭|通讯|联系|户籍|居住|送货|收货|工作单位)?(?:地址|住址)|[Aa]ddress)\s*[:：]?\s*\[?([^,，;；\n\]|]{2,60})"
)
_NAME_LABEL = re.compile(
    r"(?:姓名|户名|户\s*名|借款人|客户姓名|客户名称|持卡人|微信昵称|京东账号名|用户名?|收款人|付款人|对方户名|"
    r"Name|Borrower|Customer)\s*[:：]\s*\[?([^\s,，\]（(]{2,20})"
)
_NAME_KEYS = ("name", "nickname", "姓名", "户名", "借款人", "account")
_PERSON = re.compile(r"^[\u4e00-\u9fff*＊·]{2,5}$")  # 张三, 李*梅, 欧阳·娜娜


def _digits(text: str) -> str:
    return (
        re.sub(r"[^\dXx]", "", text).upper().removeprefix("86")
        if text.startswith(("+86", "86"))
        else re.sub(r"[^\dXx]", "", text).upper()
    )


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

    def person(self, name: str) -> None:
        """A name seen as a transfer's counterparty or a borrower."""
        name = name.strip()
        if _PERSON.match(name) and not any(
            w in name for w in ("银行", "公司", "支付", "花呗", "借呗", "余额")
        ):
            self.names.add(name)

    def _number(self, m: re.Match[str]) -> str:
        return self._groups(m.group(0))

    def _groups(self, raw: str) -> str:
        """A run of digit groups: the longest leading groups that make a phone, ID or card number are masked,
        and the rest looked at again (two card numbers written one after the other are two numbers)."""
        kind = self._kind(_digits(raw))
        if kind is not None:
            return self.token(_digits(raw), kind)
        parts = re.split(r"([ \-])", raw)
        for cut in range(len(parts) - 2, 0, -2):
            head, sep, tail = "".join(parts[:cut]), parts[cut], "".join(parts[cut + 1 :])
            kind = self._kind(_digits(head))
            if kind is not None:
                return self.token(_digits(head), kind) + sep + self._groups(tail)
        return raw

    @staticmethod
    def _kind(digits: str) -> str | None:
        n = len(digits)
        if n == 11 and digits[0] == "1" and digits[1] in "3456789":
            return "手机"
        if n == 18 and digits[:17].isdigit():
            return "证件"
        if 12 <= n <= 19 and digits.isdigit():
            return "账号"
        return None

    def text(self, s: str) -> str:
        if not s:
            return s
        s = _ADDRESS.sub(lambda m: m.group(1) + "：" + self.token(m.group(2).strip(), "地址"), s)
        for name in sorted(self.names, key=len, reverse=True):
            if name in s:
                s = s.replace(name, self.token(name, "姓名"))
        s = _EMAIL.sub(lambda m: self.token(m.group(0).lower(), "邮箱"), s)
        s = _MASKED_CARD.sub(lambda m: self.token(m.group(0), "账号"), s)
        return _NUMBER.sub(self._number, s)

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
    from ..model import PaymentKind

    for ex in result.inputs:
        for key, value in ex.metadata.items():
            if key in _NAME_KEYS and value and not re.search(r"[@\d]", value):
                r.names.add(value)
        for p in ex.payments:
            r.learn(p.source.text)
            if p.kind is PaymentKind.TRANSFER or re.search(
                r"转账|红包|汇款|转入|转出", p.category + p.description
            ):
                r.person(p.counterparty)
        if ex.statement is not None:
            for ref in ex.statement.terms.sources:
                r.learn(ref.text)
            for ref in ex.statement.sources:
                r.learn(ref.text)
            if ex.statement.terms.borrower:
                r.person(ex.statement.terms.borrower)
                r.names.add(ex.statement.terms.borrower.strip())
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
    return dataclasses.replace(
        result,
        inputs=inputs,
        findings=findings,
        cases=cases,
        withheld=tuple(r.value(w) for w in result.withheld),
        coverage=tuple(r.value(c) for c in result.coverage),
        settings=r.value(dict(result.settings)),
    )


def _redact_case(r: Redactor, case: Any) -> Any:
    import copy

    from ..match import Allocation, ClaimMatch

    clone = copy.copy(case)
    clone.key = r.text(case.key)
    clone.terms = r.value(case.terms)
    clone.statements = [(r.value(ex), r.value(st)) for ex, st in case.statements]
    mapping = {p.key: r.value(p) for p in case.payments}
    clone.payments = [mapping[p.key] for p in case.payments]
    clone.excluded = [(r.value(p), reason) for p, reason in case.excluded]
    clone.claims = [dataclasses.replace(c, installment=r.value(c.installment)) for c in case.claims]
    if case.result is not None:
        result = copy.copy(case.result)
        by_index = {c.index: c for c in clone.claims}
        result.matches = {
            i: ClaimMatch(
                by_index[i],
                [Allocation(mapping.get(a.payment.key, r.value(a.payment)), a.amount) for a in m.allocations],
                m.how,
            )
            for i, m in case.result.matches.items()
        }
        result.unused = [mapping.get(p.key, r.value(p)) for p in case.result.unused]
        clone.result = result
    if case.settled is not None:
        clone.settled = (case.settled[0], r.value(case.settled[1]))
    return clone
