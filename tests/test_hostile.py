"""Careless and hostile inputs: every input is either read completely and right, or refused clearly. Each test
here is one class of input that once gave a confident, wrong result (or a crash or a hang)."""

from __future__ import annotations

import json
import os
import re
import zipfile
from pathlib import Path

import pytest

from reconcile import extract
from reconcile.config import Config
from reconcile.errors import ConfigError

from .conftest import FIXTURES
from .test_cli import run

CLEAN = FIXTURES / "scenarios" / "clean"


def _statement(tmp_path: Path, rows: list[str], name: str = "plan.csv") -> Path:
    lines = (CLEAN / "statement.csv").read_text("utf-8").splitlines()
    header = next(i for i, ln in enumerate(lines) if ln.startswith("期数,"))
    path = tmp_path / name
    path.write_text("\n".join([*lines[: header + 1], *rows]) + "\n", "utf-8")
    return path


def _rows() -> list[str]:
    lines = (CLEAN / "statement.csv").read_text("utf-8").splitlines()
    header = next(i for i, ln in enumerate(lines) if ln.startswith("期数,"))
    return lines[header + 1 :]


# ------------------------------------------------------------------------------------------- periods


@pytest.mark.parametrize(
    ("label", "period"),
    [("第五期", 5), ("第十二期", 12), ("5-12", 5), ("\u200b5/12", 5), ("\ufeff5/12", 5), ("第 5 期", 5)],
)
def test_period_labels_in_other_forms_are_periods(label: str, period: int, tmp_path: Path) -> None:
    rows = _rows()
    cells = rows[4].split(",")
    if label == "5-12":  # a dash label counts only when the whole column is written that way
        rows = [",".join([f"{i + 1}-12", *r.split(",")[1:]]) for i, r in enumerate(rows)]
    else:
        rows[4] = ",".join([label, *cells[1:]])
    (ex,) = extract(_statement(tmp_path, rows))
    assert ex.statement is not None
    assert [i.period for i in ex.statement.installments][4] == period
    assert not ex.statement.charges and not ex.statement.unread


def test_an_unreadable_period_is_unread_never_a_fee(tmp_path: Path) -> None:
    rows = _rows()
    rows[4] = ",".join(["期五?", *rows[4].split(",")[1:]])
    out = tmp_path / "f.json"
    proc = run(
        "check",
        str(_statement(tmp_path, rows)),
        str(CLEAN / "alipay.csv"),
        "--as-of",
        "2024-07-15",
        "--json",
        str(out),
    )
    doc = json.loads(out.read_text("utf-8"))
    assert not [f for f in doc["findings"] if f["kind"] == "fee" or f["code"] == "not-credited"]
    assert proc.returncode == 2 and "期五?" in proc.stdout


# ------------------------------------------------------------------------------------------- duplicates


@pytest.mark.parametrize("order", ["paid first", "overdue first"])
def test_an_installment_listed_twice_once_paid_once_overdue(order: str, tmp_path: Path) -> None:
    rows = _rows()
    cells = rows[4].split(",")  # 5/12 paid on time
    overdue = ",".join([*cells[:4], "6.36", "1086.07", "0.00", "1086.07", "逾期"])
    rows = [*rows[:4], overdue, *rows[4:]] if order == "overdue first" else [*rows[:5], overdue, *rows[5:]]
    out = tmp_path / "f.json"
    run(
        "check",
        str(_statement(tmp_path, rows)),
        str(CLEAN / "alipay.csv"),
        "--as-of",
        "2024-07-15",
        "--json",
        str(out),
    )
    findings = json.loads(out.read_text("utf-8"))["findings"]
    assert [(f["code"], f["installment"], f["amount"]) for f in findings] == [
        ("double-counted", 5, "1086.07")
    ]


def test_the_same_payment_file_twice_counts_every_payment_once(tmp_path: Path) -> None:
    copy = tmp_path / "alipay-copy.csv"
    copy.write_bytes((CLEAN / "alipay.csv").read_bytes())
    out = tmp_path / "f.json"
    proc = run(
        "check",
        str(CLEAN / "statement.csv"),
        str(CLEAN / "alipay.csv"),
        str(copy),
        "--as-of",
        "2024-07-15",
        "--json",
        str(out),
    )
    doc = json.loads(out.read_text("utf-8"))
    assert proc.returncode == 0 and not doc["findings"]
    assert doc["summary"]["paid"] == "6478.26"
    assert any(n["code"] == "same-file" for i in doc["inputs"] for n in i["notices"])


def test_a_zip_holding_the_export_twice_counts_it_once(tmp_path: Path) -> None:
    data = (CLEAN / "alipay.csv").read_bytes()
    archive = tmp_path / "exports.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("a.csv", data)
        zf.writestr("b.csv", data)
    out = tmp_path / "f.json"
    proc = run(
        "check", str(CLEAN / "statement.csv"), str(archive), "--as-of", "2024-07-15", "--json", str(out)
    )
    doc = json.loads(out.read_text("utf-8"))
    assert proc.returncode == 0 and doc["summary"]["paid"] == "6478.26"


def test_overlapping_exports_count_a_shared_row_once(tmp_path: Path) -> None:
    text = (CLEAN / "alipay.csv").read_bytes().decode("gb18030")
    lines = text.splitlines()
    rows = [i for i, ln in enumerate(lines) if ln[:4] == "2024"]
    early = tmp_path / "early.csv"
    late = tmp_path / "late.csv"  # both hold the middle rows; each keeps its own summary lines
    early.write_bytes("\n".join(ln for i, ln in enumerate(lines) if i not in rows[4:]).encode("gb18030"))
    late.write_bytes("\n".join(ln for i, ln in enumerate(lines) if i not in rows[:2]).encode("gb18030"))
    out = tmp_path / "f.json"
    run(
        "check",
        str(CLEAN / "statement.csv"),
        str(early),
        str(late),
        "--as-of",
        "2024-07-15",
        "--json",
        str(out),
    )
    doc = json.loads(out.read_text("utf-8"))
    assert doc["summary"]["paid"] == "6478.26" and not doc["findings"]


# ------------------------------------------------------------------------------------------- settings


@pytest.mark.parametrize("bad", ["NaN", "Infinity", "-1", "1e9", "abc"])
def test_tolerance_must_be_a_small_finite_number(bad: str) -> None:
    proc = run("check", str(CLEAN / "statement.csv"), str(CLEAN / "alipay.csv"), "--tolerance", bad)
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr


def test_config_values_are_honoured_and_recorded(tmp_path: Path) -> None:
    cfg = tmp_path / "settings.json"
    cfg.write_text(
        json.dumps({"tolerance": 0.5, "window": 7, "grace": 2, "cap": "24", "lender_type": "bank"})
    )
    out = tmp_path / "f.json"
    run(
        "check",
        str(CLEAN / "statement.csv"),
        str(CLEAN / "alipay.csv"),
        "--config",
        str(cfg),
        "--json",
        str(out),
    )
    settings = json.loads(out.read_text("utf-8"))["settings"]
    assert settings["tolerance"] == "0.5" and settings["window"] == 7 and settings["grace"] == 2
    assert settings["cap"] == "24" and settings["lender_type"] == "bank"
    run(
        "check",
        str(CLEAN / "statement.csv"),
        str(CLEAN / "alipay.csv"),
        "--config",
        str(cfg),
        "--window",
        "1",
        "--json",
        str(out),
    )
    assert json.loads(out.read_text("utf-8"))["settings"]["window"] == 1  # the command line wins


def test_config_values_are_validated_in_the_library_too() -> None:
    with pytest.raises(ConfigError):
        Config(window=10_000)


# ------------------------------------------------------------------------------------------- outputs


def test_a_failing_output_leaves_nothing_behind(tmp_path: Path) -> None:
    report, js = tmp_path / "report.xlsx", tmp_path / "findings.json"
    proc = run(
        "check",
        str(FIXTURES / "scenarios/already-paid/statement.csv"),
        str(FIXTURES / "scenarios/already-paid/alipay.csv"),
        "-o",
        str(report),
        "--json",
        str(js),
        "--letter",
        str(tmp_path / "missing-folder" / "letter.md"),
    )
    assert proc.returncode == 2 and "missing-folder" in proc.stderr
    assert not report.exists() and not js.exists()
    assert not list(tmp_path.glob(".*.tmp"))


def test_ctrl_c_exits_130(monkeypatch: pytest.MonkeyPatch) -> None:
    from reconcile import cli

    def interrupted(**_: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(cli.cli, "main", interrupted)
    with pytest.raises(SystemExit) as exc:
        cli.main()
    assert exc.value.code == 130


def test_file_text_cannot_add_markup_to_a_letter(tmp_path: Path) -> None:
    text = (FIXTURES / "scenarios/not-credited/alipay.csv").read_bytes().decode("gb18030")
    line = next(ln for ln in text.splitlines() if ",500.00," in ln)
    cells = line.split(",")
    cells[4] = "### F999 ![x](http://evil.example/a.png) <img src=x onerror=alert(1)>\x1b[31m"
    alipay = tmp_path / "alipay.csv"
    alipay.write_bytes(text.replace(line, ",".join(cells)).encode("gb18030"))
    letter = tmp_path / "letter.md"
    run(
        "check",
        str(FIXTURES / "scenarios/not-credited/statement.csv"),
        str(alipay),
        "--as-of",
        "2024-06-30",
        "--letter",
        str(letter),
    )
    body = letter.read_text("utf-8")
    assert not re.search(r"^#+ F999", body, re.M)  # no heading made from file text
    assert not re.search(r"(?<!\\)!\[", body) and not re.search(r"(?<!\\)<img", body)  # no image, no HTML
    assert "\x1b" not in body and "\\x1b" in body  # the escape character shown, not sent


def test_control_characters_do_not_break_the_workbook(tmp_path: Path) -> None:
    import openpyxl

    text = (FIXTURES / "scenarios/not-credited/alipay.csv").read_bytes().decode("gb18030")
    line = next(ln for ln in text.splitlines() if ",500.00," in ln)
    cells = line.split(",")
    cells[4] = "还款\x01\x02\x1f"
    alipay = tmp_path / "alipay.csv"
    alipay.write_bytes(text.replace(line, ",".join(cells)).encode("gb18030"))
    report = tmp_path / "report.xlsx"
    proc = run(
        "check",
        str(FIXTURES / "scenarios/not-credited/statement.csv"),
        str(alipay),
        "--as-of",
        "2024-06-30",
        "-o",
        str(report),
    )
    assert proc.returncode == 1, proc.stderr
    texts = [
        str(c.value)
        for ws in openpyxl.load_workbook(report)
        for row in ws.iter_rows()
        for c in row
        if c.value
    ]
    assert any("还款\\x01\\x02\\x1f" in t for t in texts)


# ------------------------------------------------------------------------------------------- files


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_is_refused_at_once(tmp_path: Path) -> None:
    fifo = tmp_path / "export.csv"
    os.mkfifo(fifo)
    proc = run("extract", str(fifo))
    assert proc.returncode == 2 and "不是普通文件" in proc.stderr


def test_an_implausible_date_is_refused_with_its_row(tmp_path: Path) -> None:
    rows = _rows()
    rows[11] = rows[11].replace("2025-01-10", "9999-12-31")
    proc = run("check", str(_statement(tmp_path, rows)), str(CLEAN / "alipay.csv"), "--as-of", "2024-07-15")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr


def test_a_pdf_with_two_loans_gives_two_statements(tmp_path: Path) -> None:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for source in (FIXTURES / "statements/jiebei-plan.pdf", FIXTURES / "zoo/ruled-left-ttf.pdf"):
        writer.add_page(PdfReader(source).pages[0])
    both = tmp_path / "two-loans.pdf"
    with both.open("wb") as fh:
        writer.write(fh)
    extractions = extract(both)
    ids = [ex.statement.terms.loan_id for ex in extractions if ex.statement is not None]
    assert len(extractions) == 2 and len(set(ids)) == 2 and all(ids)
    assert [ex.metadata["pages"] for ex in extractions] == ["1", "2"]
    out = tmp_path / "f.json"
    run("check", str(both), str(CLEAN / "alipay.csv"), "--json", str(out))
    assert len(json.loads(out.read_text("utf-8"))["loans"]) == 2
