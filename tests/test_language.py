"""Chinese throughout by default: the demo's console output, every cell, sheet name, header and footer and the chart
of its workbook, and its letters for every channel hold no English code or sentence; ``--lang en`` gives English.
The command line's help and messages are Chinese too, and every option has its translation."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import click
import openpyxl
import pytest

from reconcile.cli import cli
from reconcile.texts import cli as cli_texts

from .test_cli import run

#: ASCII words a Chinese report may hold: file types, names of formats and standards, the product's name.
ALLOWED = {
    "pdf", "csv", "xlsx", "docx", "json", "md", "zip", "sha", "app", "excel", "markdown", "word", "lpr", "apr",
    "reconcile", "report",  # the product, and the demo workbook's name in every footer
}  # fmt: skip
WORD = re.compile(r"[A-Za-z]{3,}")
PATH = re.compile(r"\S*[/\\]\S*")
DIGEST = re.compile(r"[0-9a-f]{12,64}")  # a SHA-256, or its first 16 digits


def english(text: str) -> list[str]:
    """The ASCII words of ``text`` outside file paths and digests that are not allowed in a Chinese report."""
    text = DIGEST.sub(" ", PATH.sub(" ", text))
    return sorted({w for w in WORD.findall(text) if w.lower() not in ALLOWED})


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    out = tmp_path_factory.mktemp("demo") / "out"
    proc = run("demo", "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    return out, proc.stdout


def test_the_console_is_chinese(demo: tuple[Path, str]) -> None:
    _, stdout = demo
    assert "已还款仍被计为欠款" in stdout and "重算后应还" in stdout
    assert english(stdout) == [], stdout


def test_every_cell_of_the_workbook_is_chinese(demo: tuple[Path, str]) -> None:
    out, _ = demo
    wb = openpyxl.load_workbook(out / "report.xlsx")
    found: dict[str, list[str]] = {}
    for ws in wb:
        texts = [ws.title]
        texts += [str(c.value) for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
        for part in (ws.oddHeader, ws.oddFooter):
            texts += [t.text or "" for t in (part.left, part.center, part.right)]
        words = english("\n".join(t.replace("&P", "").replace("&N", "").replace("&A", "") for t in texts))
        if words:
            found[ws.title] = words
    with zipfile.ZipFile(out / "report.xlsx") as zf:
        charts = [zf.read(n).decode("utf-8") for n in zf.namelist() if n.startswith("xl/charts/")]
    chart_text = " ".join(t for c in charts for t in re.findall(r"<a:t>([^<]*)</a:t>", c))
    assert "对方记未还" in chart_text
    assert english(chart_text) == []
    assert found == {}


@pytest.mark.parametrize("channel", ["lender", "mediation", "regulator", "pboc"])
def test_every_letter_is_chinese(demo: tuple[Path, str], channel: str) -> None:
    out, _ = demo
    text = (out / f"letter-{channel}.md").read_text("utf-8")
    assert english(text) == [], english(text)


def test_the_word_letter_is_chinese(demo: tuple[Path, str]) -> None:
    out, _ = demo
    with zipfile.ZipFile(out / "letter-lender.docx") as zf:
        xml = zf.read("word/document.xml").decode("utf-8")
    text = " ".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", xml))
    assert "此致" in text and english(text) == []


def test_english_on_request(tmp_path: Path) -> None:
    proc = run("demo", "-o", str(tmp_path / "en"), "--lang", "en")
    assert proc.returncode == 0, proc.stderr
    assert "already paid, still claimed" in proc.stdout and "recomputed" in proc.stdout
    wb = openpyxl.load_workbook(tmp_path / "en" / "report.xlsx")
    assert wb.sheetnames[0] == "Summary"


def test_help_and_messages_are_chinese() -> None:
    proc = run("check", "--help")
    assert proc.returncode == 0
    assert "用法" in proc.stdout and "核对" in proc.stdout and "显示本帮助并退出" in proc.stdout
    bad = run("check", "--window", "99", "x.csv")
    assert bad.returncode == 2 and "错误" in bad.stderr and "Error" not in bad.stderr
    missing = run("extract", "没有这个文件.csv")
    assert missing.stderr.startswith("错误：没有这个文件.csv：文件不存在（请检查路径）")
    english_help = run("check", "--help", "--lang", "en")
    assert "Usage:" in english_help.stdout and "Check lenders' statements" in english_help.stdout


def test_every_command_and_option_has_its_translation() -> None:
    missing = []
    for name, command in cli.commands.items():
        if name not in cli_texts.COMMANDS:
            missing.append(name)
        for param in command.params:
            if not isinstance(param, click.Option) or not param.help or param.name is None:
                continue
            if (name, param.name) not in cli_texts.OPTIONS and ("*", param.name) not in cli_texts.OPTIONS:
                missing.append(f"{name} {param.opts[-1]}")
    assert missing == []
