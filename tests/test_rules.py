"""Rules declare themselves: a new finding code is one new module under ``reconcile/rules/``, found, ordered
after the codes it reads, and named and requested in every output from its declaration alone."""

from __future__ import annotations

import io
import pkgutil
import sys
from datetime import date
from pathlib import Path

import openpyxl
import pytest

import reconcile
from reconcile import rules
from reconcile.config import Config
from reconcile.engine import reconcile as run_reconcile
from reconcile.report import console_summary, findings_document
from reconcile.report.excel import build_workbook
from reconcile.report.letter import letter_markdown

from .test_report import ALIPAY, PLAN

NEW_RULE = """
from ..model import Severity
from ..texts import Text
from .base import Rule, make


def check(case, earlier):
    for f in earlier:
        if f.installment is not None:
            yield make(case, "test-echo", Severity.LOW, f.amount, "回声测试", "echo test", f.evidence,
                       installment=f.installment)
            return


RULE = Rule(
    code="test-echo",
    name=Text("回声规则", "echo rule"),
    severity=Severity.LOW,
    request="请核对回声规则所列金额",
    check=check,
    after=("double-counted",),
)
"""


def test_every_rule_module_declares_its_rule_and_the_order_respects_dependencies() -> None:
    modules = {m.name for m in pkgutil.iter_modules(rules.__path__)} - {"base"}
    assert {r.code.replace("-", "_") for r in rules.RULES} == modules
    seen: set[str] = set()
    for rule in rules.RULES:
        assert set(rule.after) <= seen, f"{rule.code} runs before a code it reads"
        seen.add(rule.code)
        assert rule.name("zh") and rule.name("en") and rule.request


def test_a_new_rule_is_one_module(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "more_rules"
    folder.mkdir()
    (folder / "test_echo.py").write_text(NEW_RULE, encoding="utf-8")
    monkeypatch.setattr(rules, "__path__", [*rules.__path__, str(folder)])
    try:
        found = rules._discover()
        ordered = rules._ordered(found)
    finally:
        sys.modules.pop("reconcile.rules.test_echo", None)
    assert "test-echo" in found
    codes = [r.code for r in ordered]
    assert codes.index("test-echo") > codes.index("double-counted")
    monkeypatch.setattr(rules, "BY_CODE", found)
    monkeypatch.setattr(rules, "RULES", ordered)

    extractions = [ex for path in (PLAN, ALIPAY) for ex in reconcile.extract(path)]
    result = run_reconcile(extractions, Config(as_of=date(2024, 7, 15)))
    echo = [f for f in result.findings if f.code == "test-echo"]
    assert len(echo) == 1 and echo[0].evidence
    assert "回声规则" in console_summary(result, "zh")
    assert "echo rule" in console_summary(result, "en")
    assert any(f["code"] == "test-echo" for f in findings_document(result)["findings"])
    assert "请核对回声规则所列金额" in letter_markdown(result, "lender")
    book = openpyxl.load_workbook(io.BytesIO(build_workbook(result, "zh")))
    cells = {str(c.value) for ws in book for row in ws.iter_rows() for c in row if c.value is not None}
    assert any("回声规则" in c for c in cells)
