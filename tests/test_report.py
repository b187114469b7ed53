"""The workbook, JSON, letter and demo: read back, never compared as bytes except for determinism."""

from __future__ import annotations

import json
import shutil
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from .conftest import ROOT
from .test_cli import run

DEMO = ROOT / "reconcile" / "data" / "demo"
PLAN = DEMO / "借呗还款计划.pdf"
ALIPAY = DEMO / "支付宝交易明细(20240101-20240715).csv"
NAME, PHONE, ID_CARD, CARD = "李晓梅", "13812345678", "110101199003074518", "6222021234567890123"


def _inputs(tmp_path: Path, note: str, column: int = 11) -> tuple[Path, Path]:
    """The demo case with one cell of the not-credited repayment replaced (11: 备注, 4: 商品说明)."""
    text = ALIPAY.read_bytes().decode("gb18030")
    line = next(ln for ln in text.splitlines() if ",300.00," in ln)
    cells = line.split(",")
    cells[column] = note if "," not in note and '"' not in note else '"' + note.replace('"', '""') + '"'
    text = text.replace(line, ",".join(cells))
    alipay = tmp_path / "alipay.csv"
    alipay.write_bytes(text.encode("gb18030"))
    plan = tmp_path / "plan.pdf"
    shutil.copy(PLAN, plan)
    return plan, alipay


def _report(tmp_path: Path, *extra: str, note: str = "", column: int = 11) -> tuple[Path, dict[str, object]]:
    plan, alipay = _inputs(tmp_path, note, column)
    out = tmp_path / "report.xlsx"
    js = tmp_path / "findings.json"
    proc = run(
        "check", str(plan), str(alipay), "--as-of", "2024-07-15", "-o", str(out), "--json", str(js), *extra
    )
    assert proc.returncode == 1, proc.stderr
    return out, json.loads(js.read_text("utf-8"))


def test_workbook_reads_back(tmp_path: Path) -> None:
    out, doc = _report(tmp_path)
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["摘要", "数据质量", "问题清单", "还款计划对照", "付款记录", "证据", "说明"]
    ws = wb["问题清单"]
    assert [c.value for c in ws[1]][:7] == ["编号", "问题类型", "严重程度", "贷款", "期数", "金额", "应为"]
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert len(rows) == len(doc["findings"]) == 5
    amounts = {r[1]: r[5] for r in rows}
    assert amounts["重复计入"] == 1079.71 and isinstance(amounts["重复计入"], float)
    assert ws["F2"].number_format == "#,##0.00" and ws.freeze_panes == "A2" and ws.auto_filter.ref
    evidence = wb["证据"]
    for r in range(2, ws.max_row + 1):
        link = ws.cell(row=r, column=11).hyperlink
        assert link is not None and link.location.startswith("'证据'!A")
        target = int(link.location.split("!A")[1])
        finding = doc["findings"][r - 2]
        first = finding["evidence"][0]
        assert evidence.cell(row=target, column=2).value == Path(first["path"]).name  # never a local folder
        assert evidence.cell(row=target, column=5).value == first["text"]
    assert wb["摘要"]._charts, "the summary sheet has a chart"
    assert wb["问题清单"].page_setup.orientation == "landscape"
    schedule = wb["还款计划对照"]
    assert schedule.max_row == 14  # 13 rows (period 6 twice) + header
    payments = wb["付款记录"]
    texts = [str(c.value) for row in payments.iter_rows() for c in row if c.value]
    assert any("未计入：未成功（还款失败）" in t for t in texts)
    assert any("第4期" in t for t in texts)


def test_same_inputs_give_identical_workbooks(tmp_path: Path) -> None:
    plan, alipay = _inputs(tmp_path, "")
    outputs = []
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        out = tmp_path / folder / "report.xlsx"  # the same name: it is printed in every footer
        assert run("check", str(plan), str(alipay), "--as-of", "2024-07-15", "-o", str(out)).returncode == 1
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]


def test_formula_text_stays_inert(tmp_path: Path) -> None:
    formula = '=HYPERLINK("http://x","y")'
    out, doc = _report(tmp_path, note=formula, column=4)  # the payment's description (商品说明)
    assert any(formula in f["message_zh"] for f in doc["findings"])
    wb = openpyxl.load_workbook(out)
    cells = [
        c
        for ws in wb
        for row in ws.iter_rows()
        for c in row
        if isinstance(c.value, str) and "HYPERLINK" in c.value
    ]
    assert cells
    for cell in cells:
        assert cell.data_type == "s"
    with zipfile.ZipFile(out) as zf:
        sheets = [zf.read(n).decode() for n in zf.namelist() if n.startswith("xl/worksheets/sheet")]
    assert not any("<f>" in s and "HYPERLINK" in s for s in sheets)


def test_redact_masks_every_identifier(tmp_path: Path) -> None:
    note = f"转账给{NAME} {PHONE} 身份证{ID_CARD} 卡号{CARD}"
    letter = tmp_path / "letter.md"
    out, doc = _report(tmp_path, "--redact", "--letter", str(letter), note=note)
    with zipfile.ZipFile(out) as zf:
        xlsx_text = "".join(zf.read(n).decode("utf-8", "ignore") for n in zf.namelist())
    outputs = [xlsx_text, json.dumps(doc, ensure_ascii=False), letter.read_text("utf-8")]
    for value in (NAME, PHONE, ID_CARD, CARD):
        assert all(value not in text for text in outputs), value
    assert "[手机1]" in outputs[1] and "[证件1]" in outputs[1] and "[姓名1]" in outputs[1]
    assert doc["summary"]["disputed"] == "2663.72"  # amounts and dates are kept
    _, plain = _report(tmp_path / "plain" if (tmp_path / "plain").mkdir() is None else tmp_path, note=note)
    assert PHONE in json.dumps(plain, ensure_ascii=False)


def test_letter_lists_findings_and_channels(tmp_path: Path) -> None:
    for suffix in (".md", ".docx"):
        letter = tmp_path / f"letter{suffix}"
        _report(
            tmp_path / suffix.strip(".") if (tmp_path / suffix.strip(".")).mkdir() is None else tmp_path,
            "--letter",
            str(letter),
        )
        if suffix == ".md":
            text = letter.read_text("utf-8")
        else:
            with zipfile.ZipFile(letter) as zf:
                text = zf.read("word/document.xml").decode("utf-8")
        assert "12378" in text and "15 日" in text and "此致" in text and "敬礼" in text
        assert "问题一" in text and "已还款仍被计为欠款" in text and "already-paid" not in text


def test_demo_finds_what_was_planted(tmp_path: Path) -> None:
    proc = run("demo", "-o", str(tmp_path / "out"))
    assert proc.returncode == 0, proc.stderr
    doc = json.loads((tmp_path / "out" / "findings.json").read_text("utf-8"))
    planted = json.loads((DEMO / "planted.json").read_text("utf-8"))["findings"]
    got = sorted((f["code"], f["kind"], f["installment"], f["amount"]) for f in doc["findings"])
    want = sorted((p["code"], p.get("kind"), p.get("installment"), p["amount"]) for p in planted)
    assert got == want
    assert (tmp_path / "out" / "report.xlsx").exists() and (tmp_path / "out" / "letter-lender.md").exists()
    assert sum(Decimal(f["amount"]) for f in doc["findings"]) == Decimal(doc["summary"]["disputed"])


@pytest.mark.parametrize("lang", ["en"])
def test_english_report(tmp_path: Path, lang: str) -> None:
    out, _ = _report(tmp_path, "--lang", lang)
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == [
        "Summary",
        "Data quality",
        "Findings",
        "Schedule",
        "Payments",
        "Evidence",
        "Notes",
    ]
    assert "not legal advice" in " ".join(str(c.value) for c in wb["Notes"]["A"])
