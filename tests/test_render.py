"""The workbook as a person sees it printed: `scripts/render_report.py` renders the demo's report with LibreOffice
(when it is installed) and the summary must fit on one page, every sheet must print, and every page must carry
its page number."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT

pytestmark = pytest.mark.skipif(
    shutil.which("soffice") is None, reason="LibreOffice is not installed (apt install libreoffice-calc)"
)


def test_the_demo_report_prints_as_it_should(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, str(ROOT / "scripts/render_report.py"), "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=ROOT,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    lines = dict(
        line.split(": ", 1) for line in proc.stdout.splitlines() if ": " in line and "page(s)" in line
    )
    assert list(lines) == ["摘要", "数据质量", "问题清单", "还款计划对照", "付款记录", "证据", "说明"]
    assert lines["摘要"].startswith("1 page(s)")
    assert all(not v.startswith("0 ") for v in lines.values())
    import pypdfium2

    pdf = pypdfium2.PdfDocument(str(tmp_path / "report.pdf"))
    for i in range(len(pdf)):
        text = pdf[i].get_textpage().get_text_range()
        assert f"第 {i + 1} 页，共 {len(pdf)} 页" in text and "report.xlsx" in text and "生成日期" in text
