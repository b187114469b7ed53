"""What `check` hands a borrower: the workbook written by default and named, never over an existing one without
--force, names it cannot write refused at once; letters for every channel filled with the borrower, the loan, every
finding and the attachments, never a local folder."""

from __future__ import annotations

import hashlib
import io
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

import reconcile
from reconcile.config import Config
from reconcile.dates import parse_date
from reconcile.report.letter import CHANNELS, letter_bytes, letter_markdown

from .test_cli import run
from .test_report import ALIPAY, DEMO, PLAN

AMOUNTS = ("200.00", "300.00", "1,084.01", "0.00", "1,079.71")


@pytest.fixture(scope="module")
def result() -> reconcile.Result:
    return reconcile.check([str(PLAN), str(ALIPAY)], Config(as_of=parse_date("2024-07-15")))


def _case(tmp_path: Path) -> tuple[Path, Path]:
    plan, alipay = tmp_path / PLAN.name, tmp_path / ALIPAY.name
    shutil.copy(PLAN, plan)
    shutil.copy(ALIPAY, alipay)
    return plan, alipay


def _check(*args: str) -> subprocess.CompletedProcess[str]:
    """`reconcile check` with nothing added (`run` would add -o)."""
    import os
    import sys

    return subprocess.run(
        [sys.executable, "-m", "reconcile", "check", *args],
        capture_output=True,
        text=True,
        env={**os.environ, "RECONCILE_NO_PLUGINS": "1"},
        timeout=120,
    )


def test_check_writes_and_names_the_workbook_beside_the_inputs(tmp_path: Path) -> None:
    plan, alipay = _case(tmp_path)
    proc = _check(str(plan), str(alipay), "--as-of", "2024-07-15")
    report = tmp_path / "reconcile-report.xlsx"
    assert proc.returncode == 1, proc.stderr
    assert report.exists() and f"已写入报告：{report}" in proc.stdout
    before = hashlib.sha256(report.read_bytes()).hexdigest()
    again = _check(str(plan), str(alipay), "--as-of", "2024-07-15")
    assert again.returncode == 2 and again.stdout == ""
    (line,) = again.stderr.splitlines()
    assert line.startswith(f"错误：{report}：") and "--force" in line
    assert hashlib.sha256(report.read_bytes()).hexdigest() == before
    forced = _check(str(plan), str(alipay), "--as-of", "2024-07-15", "--force")
    assert forced.returncode == 1 and f"已写入报告：{report}" in forced.stdout


@pytest.mark.parametrize(
    ("option", "name", "needle"),
    [
        ("-o", "report.pdf", "请以 .xlsx 结尾"),
        ("-o", "report", "请以 .xlsx 结尾"),
        ("--letter", "x.txt", ".md 或 .docx"),
    ],
)
def test_names_the_output_cannot_have_are_refused_at_once(
    tmp_path: Path, option: str, name: str, needle: str
) -> None:
    plan, alipay = _case(tmp_path)
    proc = _check(str(plan), str(alipay), option, str(tmp_path / name))
    assert proc.returncode == 2 and proc.stdout == ""
    (line,) = proc.stderr.splitlines()
    assert line.startswith(f"错误：{tmp_path / name}：") and needle in line
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([plan.name, alipay.name])


def test_every_written_file_is_named(tmp_path: Path) -> None:
    plan, alipay = _case(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    proc = _check(
        str(plan), str(alipay), "--as-of", "2024-07-15", "-o", str(out / "r.xlsx"), "--json", str(out / "f.json"),
        "--letter", str(out / "l.docx"),
    )  # fmt: skip
    assert proc.returncode == 1, proc.stderr
    for line in (
        f"已写入报告：{out / 'r.xlsx'}",
        f"已写入JSON：{out / 'f.json'}",
        f"已写入信函：{out / 'l.docx'}",
    ):
        assert line in proc.stdout


def test_check_reads_a_file_in_the_format_it_is_told(tmp_path: Path) -> None:
    plan, alipay = _case(tmp_path)
    given = tmp_path / "my-export.dat"
    given.write_bytes(alipay.read_bytes())
    proc = run(
        "check", str(plan), str(given), "--as-of", "2024-07-15", "--format", f"{given}=alipay", "--json", "-"
    )
    assert proc.returncode == 1, proc.stderr
    unknown = run("check", str(plan), str(given), "--format", "nope")
    assert unknown.returncode == 2 and "未知的格式“nope”" in unknown.stderr


@pytest.mark.parametrize("channel", CHANNELS)
def test_each_channel_gets_a_letter_ready_to_send(result: reconcile.Result, channel: str) -> None:
    text = letter_markdown(result, channel)
    assert "李晓梅" in text and "JB20240110000123" in text and "12,000.00" in text
    assert "重庆蚂蚁消费金融有限公司" in text and "2024年1月10日" in text
    for amount in AMOUNTS:
        assert f"金额 {amount} 元" in text, amount
    assert "此致" in text and "敬礼" in text and "## 附件" in text
    for ex in result.inputs:
        assert Path(ex.path).name in text and ex.sha256 in text
    assert str(DEMO) not in text and "/" + "reconcile/data" not in text  # files by name, never a local folder
    assert "如您在该产品下还有其他借款" not in text  # advice meant for the borrower stays out
    deadline = {
        "lender": "15 日",
        "mediation": "不得无正当理由拒绝调解",
        "regulator": "12378",
        "pboc": "20 日",
    }
    assert deadline[channel] in text


def test_the_name_given_is_the_applicant(result: reconcile.Result) -> None:
    text = letter_markdown(result, "regulator", name="王小明")
    assert "投诉人：王小明" in text and "李晓梅" not in text.split("##")[0]


def test_the_word_letter_opens_and_says_the_same(result: reconcile.Result, tmp_path: Path) -> None:
    import docx

    data = letter_bytes(result, "letter.docx", "pboc")
    document = docx.Document(io.BytesIO(data))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "征信异议" in text and "李晓梅" in text and "附件1" in text
    for amount in AMOUNTS:
        assert amount in text
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert zf.testzip() is None
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice is not installed (apt install libreoffice-writer) to render the letter")
    path = tmp_path / "letter.docx"
    path.write_bytes(data)
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
        capture_output=True,
        timeout=180,
        check=True,
    )
    import pypdfium2

    pdf = pypdfium2.PdfDocument(str(tmp_path / "letter.pdf"))
    assert len(pdf) >= 2
    rendered = "".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    assert "此致" in rendered and "李晓梅" in rendered
