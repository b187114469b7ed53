from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from reconcile.cli import cli

from .conftest import FIXTURES, ROOT

ALIPAY = FIXTURES / "payments/alipay/alipay-c-2026.csv"


_REPORTS = tempfile.mkdtemp(prefix="reconcile-test-reports-")


def run(*args: str) -> subprocess.CompletedProcess[str]:
    """``python -m reconcile ARGS``. A ``check`` without ``-o`` writes its workbook into a scratch folder, not
    beside the fixtures (where `check` would put it)."""
    env = {**os.environ, "RECONCILE_NO_PLUGINS": "1"}
    if args and args[0] == "check" and not {"-o", "--output"} & set(args):
        args = (*args, "-o", str(Path(tempfile.mkdtemp(dir=_REPORTS)) / "reconcile-report.xlsx"))
    return subprocess.run(
        [sys.executable, "-m", "reconcile", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
    )


def test_help_does_not_import_heavy_libraries() -> None:
    code = (
        "import sys\n"
        "from reconcile.cli import cli\n"
        "try:\n"
        "    cli(['--help'], prog_name='reconcile')\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = [m for m in ('pandas', 'pdfplumber', 'openpyxl', 'python_calamine', 'pyzipper', 'reportlab')"
        " if m in sys.modules]\n"
        "print('HEAVY', heavy)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert "HEAVY []" in out


def test_python_m_and_formats() -> None:
    proc = run("formats")
    assert proc.returncode == 0
    assert "alipay" in proc.stdout and "payments" in proc.stdout


def test_extract_json_has_every_row_with_provenance() -> None:
    proc = run("extract", str(ALIPAY), "--json")
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["schema"] == "reconcile.extract/1"
    (f,) = doc["files"]
    assert f["sha256"] == hashlib.sha256(ALIPAY.read_bytes()).hexdigest()
    assert f["extractor"] == "alipay" and f["role"] == "payments"
    assert len(f["payments"]) == 11 == f["records"]
    first = f["payments"][0]
    assert first["amount"] == "883.33" and first["product"] == "jiebei"
    assert first["source"]["row"] == 25 and first["source"]["text"].startswith(
        "2024-05-10 09:15:02,信用借还,借呗"
    )
    assert first["timestamp"] == "2024-05-10T09:15:02+08:00"


@pytest.mark.parametrize("variant", ["alipay-c-crlf.csv", "alipay-c-utf8-bom.csv"])
def test_crlf_and_bom_give_the_same_records(variant: str) -> None:
    def records(path: Path) -> list[dict[str, object]]:
        doc = json.loads(run("extract", str(path), "--json").stdout)
        out = []
        for p in doc["files"][0]["payments"]:
            p = dict(p)
            src = p.pop("source")
            out.append({**p, "row": src["row"], "text": src["text"]})
        return out

    assert records(FIXTURES / "payments/alipay" / variant) == records(ALIPAY)


@pytest.mark.parametrize(
    ("name", "data", "needle"),
    [
        ("missing.csv", None, "文件不存在"),
        ("random.bin", bytes(range(256)) * 8, "不是支持的导出文件"),
        ("empty.csv", b"", "文件是空的"),
        ("notes.txt", b"hello\nworld\n", "不是支持的导出文件"),
    ],
)
def test_bad_inputs_exit_2_with_one_line(tmp_path: Path, name: str, data: bytes | None, needle: str) -> None:
    path = tmp_path / name
    if data is not None:
        path.write_bytes(data)
    proc = run("extract", str(path))
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith(f"错误：{path}：") and needle in lines[0]
    assert "Traceback" not in proc.stderr and proc.stdout == ""


def test_every_file_is_processed_and_each_bad_one_reported(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"\x00\x01garbage")
    proc = run("extract", str(bad), str(ALIPAY), str(tmp_path / "missing.csv"), "--json")
    assert proc.returncode == 2
    assert len(proc.stderr.strip().splitlines()) == 2
    doc = json.loads(proc.stdout)
    assert [f["extractor"] for f in doc["files"]] == ["alipay"]
    assert len(doc["errors"]) == 2


def test_truncated_file_names_the_row() -> None:
    path = FIXTURES / "bad/alipay-truncated.csv"
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    proc = run("extract", str(path))
    assert proc.returncode == 2
    assert proc.stderr.strip().startswith(f"错误：{path} 第35行：")
    assert "文件可能不完整" in proc.stderr
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before


def test_verbose_shows_traceback(tmp_path: Path) -> None:
    proc = run("extract", str(tmp_path / "missing.csv"), "--verbose")
    assert proc.returncode == 2 and "Traceback" in proc.stderr


def test_output_file_is_written_atomically(tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "records.csv"
    result = runner.invoke(cli, ["extract", str(ALIPAY), "--csv", "-o", str(out)])
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert text.splitlines()[0].startswith("path,sha256,sheet,page,row,timestamp,amount")
    assert len(text.splitlines()) == 12
    assert [p.name for p in tmp_path.iterdir()] == ["records.csv"]  # no temporary file left behind


@pytest.mark.parametrize(
    "args",
    [
        ["extract", "{bill}", "--csv", "-o", "{bill}"],
        ["extract", "{bill}", "--json", "-o", "{dir}/../{dirname}/bill.csv"],
        ["check", "{plan}", "{bill}", "--json", "{bill}"],
        ["check", "{plan}", "{bill}", "-o", "{plan}"],
        ["check", "{plan}", "{bill}", "--letter", "{bill}"],
        ["check", "{plan}", "{bill}", "-o", "{dir}/r.xlsx", "--json", "{dir}/r.xlsx"],
    ],
    ids=[
        "extract-csv",
        "extract-other-spelling",
        "check-json",
        "check-report",
        "check-letter",
        "two-outputs",
    ],
)
def test_outputs_never_overwrite_an_input(tmp_path: Path, args: list[str]) -> None:
    bill, plan = tmp_path / "bill.csv", tmp_path / "plan.csv"
    bill.write_bytes((FIXTURES / "scenarios/clean/alipay.csv").read_bytes())
    plan.write_bytes((FIXTURES / "scenarios/clean/statement.csv").read_bytes())
    before = {p.name: p.read_bytes() for p in (bill, plan)}
    names = {"bill": str(bill), "plan": str(plan), "dir": str(tmp_path), "dirname": tmp_path.name}
    proc = run(*(a.format(**names) for a in args))
    assert proc.returncode == 2, proc.stderr
    assert proc.stdout == ""
    (line,) = proc.stderr.splitlines()
    # refused as an input it would overwrite, two outputs on one file, or a name the output cannot have
    assert line.startswith("错误：") and any(w in line for w in ("覆盖这个输入文件", "同一个文件", "结尾")), (
        line
    )
    assert {p.name: p.read_bytes() for p in (bill, plan)} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bill.csv", "plan.csv"]


def test_json_and_csv_together_is_a_usage_error() -> None:
    proc = run("extract", str(ALIPAY), "--json", "--csv")
    assert proc.returncode == 2


def test_unknown_format_name(tmp_path: Path) -> None:
    proc = run("extract", str(ALIPAY), "--format", "nope")
    assert proc.returncode == 2 and "未知的格式“nope”" in proc.stderr


def test_forced_format_on_a_wrong_file_is_a_clean_error(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("a,b,c\n1,2,3\n", encoding="utf-8")
    proc = run("extract", str(path), "--format", "alipay")
    assert proc.returncode == 2
    assert len(proc.stderr.strip().splitlines()) == 1 and "Traceback" not in proc.stderr


def test_schedule_text_json_and_workbook(tmp_path: Path) -> None:
    args = [
        "schedule",
        "--principal",
        "10000",
        "--rate",
        "10.8%/year",
        "--periods",
        "12",
        "--method",
        "equal-installment",
        "--start",
        "2024-01-15",
    ]
    proc = run(*args)
    assert proc.returncode == 0, proc.stderr
    assert (
        "882.93" in proc.stdout
        and "594.61" in proc.stdout
        and "10.80% (单利/simple), 11.35% (复利/compound)" in proc.stdout
    )
    doc = json.loads(run(*args, "--json").stdout)
    assert doc["schema"] == "reconcile.schedule/1" and doc["totals"]["interest"] == "594.61"
    assert doc["rows"][0]["payment"] == "882.88" and doc["apr"]["simple_percent"] == "10.80%"
    out = tmp_path / "plan.xlsx"
    proc = run(*args, "-o", str(out))
    assert proc.returncode == 0
    import openpyxl

    ws = openpyxl.load_workbook(out).active
    assert ws.title == "还款计划" and ws["A1"].value == "期数"
    assert ws["G2"].value == 882.88 and ws["G2"].number_format == "#,##0.00"
    assert ws["E14"].value == 594.61  # the totals row


def test_schedule_with_fees_gives_the_all_in_apr() -> None:
    proc = run(
        "schedule",
        "--principal",
        "100000",
        "--rate",
        "0.5%/month",
        "--periods",
        "12",
        "--method",
        "flat",
        "--start",
        "2024-03-01",
        "--fee",
        "upfront:1000",
    )
    assert "12.80% (单利/simple), 13.58% (复利/compound)" in proc.stdout


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--principal", "x"], "--principal：不是金额"),
        (["--rate", "12"], "--rate："),
        (["--method", "nope"], "未知的还款方式"),
        (["--fee", "weird:1"], "费用类型“weird”未知"),
    ],
)
def test_schedule_bad_options(args: list[str], needle: str) -> None:
    base = {
        "--principal": "1000",
        "--rate": "1%/month",
        "--periods": "3",
        "--method": "flat",
        "--start": "2024-01-01",
    }
    for key, value in zip(args[::2], args[1::2], strict=True):
        base[key] = value
    flat = [x for kv in base.items() for x in kv]
    if "--fee" in args:
        flat += ["--fee", "weird:1"]
    proc = run("schedule", *flat)
    assert proc.returncode == 2 and needle in proc.stderr and "Traceback" not in proc.stderr
