"""The library's outputs: findings and payments as tables with exact money, the JSON document the same as the
command line's, and the report writers public."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

import reconcile
from reconcile.config import Config
from reconcile.report import CHANNELS, build_workbook, findings_document, write_letter, write_workbook

from .test_cli import run
from .test_report import ALIPAY, PLAN


@pytest.fixture(scope="module")
def result() -> reconcile.Result:
    return reconcile.check([str(PLAN), str(ALIPAY)], Config(as_of=date(2024, 7, 15)))


def test_findings_as_a_frame_keep_money_exact(result: reconcile.Result) -> None:
    df = result.findings_frame()
    assert list(df["id"]) == ["F001", "F002", "F003", "F004", "F005"]
    assert str(df["installment"].dtype) == "Int64" and df["installment"].isna().sum() == 2
    assert all(isinstance(v, Decimal) for v in df["amount"])
    assert sum(df["amount"], Decimal("0")) == result.disputed == Decimal("2663.72")
    as_text = result.findings_frame(money="str")
    assert list(as_text["amount"]) == ["200.00", "300.00", "1084.01", "0.00", "1079.71"]
    assert set(df["unit"]) == {"money"} and "already-paid" in set(df["code"])


def test_findings_as_records_need_no_pandas(result: reconcile.Result) -> None:
    records = result.findings_records()
    assert [r["code"] for r in records] == [f.code for f in result.findings]
    assert records[2]["installment"] == 4 and records[2]["amount"] == Decimal("1084.01")
    assert "借呗还款计划.pdf" in records[0]["evidence"]


def test_payments_as_a_frame(result: reconcile.Result) -> None:
    ex = next(e for e in result.inputs if e.extractor == "alipay")
    df = ex.payments_frame()
    assert len(df) == len(ex.payments) and str(df["row"].dtype) == "Int64"
    assert all(isinstance(v, Decimal) for v in df["amount"])
    assert ex.payments_records(money="str")[0]["amount"] == f"{ex.payments[0].amount:f}"


def test_to_json_is_the_command_lines_document(result: reconcile.Result) -> None:
    proc = run("check", str(PLAN), str(ALIPAY), "--as-of", "2024-07-15", "--json", "-")
    assert proc.returncode == 1, proc.stderr
    cli = json.loads(proc.stdout)
    lib = json.loads(json.dumps(reconcile.to_json(result), ensure_ascii=False))
    assert lib == cli == json.loads(json.dumps(findings_document(result), ensure_ascii=False))
    assert lib["schema"] == "reconcile.findings/1" and lib["summary"]["disputed_not_credited"] == "300.00"


def test_the_writers_are_public(result: reconcile.Result, tmp_path: Path) -> None:
    write_workbook(result, tmp_path / "r.xlsx")
    assert openpyxl.load_workbook(tmp_path / "r.xlsx").sheetnames[0] == "摘要"
    assert build_workbook(result, "en")[:2] == b"PK"
    for channel in CHANNELS:
        write_letter(result, tmp_path / f"{channel}.md", channel, name="李晓梅")
        assert "李晓梅" in (tmp_path / f"{channel}.md").read_text("utf-8")
