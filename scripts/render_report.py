"""Render a report workbook the way a person sees it printed: LibreOffice (headless) turns it into a PDF, each page
is read back (which sheet it belongs to, its page number) and drawn as a PNG.

    python scripts/render_report.py [WORKBOOK] [--out DIR] [--screenshots DIR]

Without WORKBOOK it renders the bundled demo's report (``reconcile demo``). It prints one line per sheet with
its pages, and fails (exit 1) when a page lacks its page number or the summary does not fit on one page.
``--screenshots DIR`` writes the first page of every sheet there (the README's pictures). Needs LibreOffice
(``apt install libreoffice-calc``) and, for the pictures, poppler's ``pdftoppm`` (``apt install poppler-utils``).
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

PAGE = re.compile(r"第\s*(\d+)\s*页，共\s*(\d+)\s*页|Page (\d+) of (\d+)")


@dataclass
class Page:
    number: int  # 1-based, in the PDF
    sheet: str
    numbered: bool  # its footer shows "page k of n" with k = number


def render(workbook: Path, out: Path) -> Path:
    """The workbook as a PDF in ``out`` (LibreOffice, headless)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise SystemExit("LibreOffice is not installed (apt install libreoffice-calc)")
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as profile:  # a private profile: runs never share or lock one
        subprocess.run(
            [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
             "--outdir", str(out), str(workbook)],
            check=True, capture_output=True, timeout=300,
        )  # fmt: skip
    return out / (workbook.stem + ".pdf")


def pages(pdf_path: Path, sheets: list[str]) -> list[Page]:
    """Each page with the sheet it prints (the sheet name is in the header's right part) and whether its footer
    gives its number."""
    import pypdfium2

    pdf = pypdfium2.PdfDocument(str(pdf_path))
    out = []
    current = ""
    for i in range(len(pdf)):
        text = pdf[i].get_textpage().get_text_range()
        head = text[:200]
        named = [s for s in sheets if s in head]
        if named:
            current = max(named, key=len)
        m = PAGE.search(text)
        number = int(m.group(1) or m.group(3)) if m else 0
        total = int(m.group(2) or m.group(4)) if m else 0
        out.append(Page(i + 1, current, bool(m) and number == i + 1 and total == len(pdf)))
    return out


def pictures(pdf_path: Path, out: Path, first_pages: dict[str, int], resolution: int = 72) -> list[Path]:
    """The first page of every sheet as ``NN-<sheet>.png``."""
    if shutil.which("pdftoppm") is None:
        raise SystemExit("pdftoppm is not installed (apt install poppler-utils)")
    out.mkdir(parents=True, exist_ok=True)
    made = []
    for k, (sheet, page) in enumerate(first_pages.items(), start=1):
        target = out / f"{k:02d}-{sheet}"
        subprocess.run(
            ["pdftoppm", "-png", "-r", str(resolution), "-f", str(page), "-l", str(page), "-singlefile",
             str(pdf_path), str(target)],
            check=True, capture_output=True, timeout=120,
        )  # fmt: skip
        made.append(target.with_suffix(".png"))
    return made


def demo_workbook(folder: Path) -> Path:
    subprocess.run(
        [sys.executable, "-m", "reconcile", "demo", "-o", str(folder)], check=True, capture_output=True
    )
    return folder / "report.xlsx"


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("workbook", nargs="?", type=Path, help="the report to render (default: the demo's)")
    parser.add_argument(
        "--out", type=Path, default=Path("rendered"), help="folder for the PDF (default: rendered)"
    )
    parser.add_argument("--screenshots", type=Path, help="write the first page of every sheet here as PNG")
    args = parser.parse_args()
    import openpyxl

    workbook = args.workbook or demo_workbook(args.out / "demo")
    sheets = openpyxl.load_workbook(workbook).sheetnames
    pdf = render(workbook, args.out)
    found = pages(pdf, sheets)
    problems = []
    first: dict[str, int] = {}
    for sheet in sheets:
        mine = [p for p in found if p.sheet == sheet]
        print(f"{sheet}: {len(mine)} page(s)" + (f", from page {mine[0].number}" if mine else ""))
        if not mine:
            problems.append(f"{sheet}: not printed")
            continue
        first[sheet] = mine[0].number
    if sheets and len([p for p in found if p.sheet == sheets[0]]) != 1:
        problems.append(f"{sheets[0]}: the summary does not fit on one page")
    problems += [f"page {p.number} ({p.sheet}): no page number" for p in found if not p.numbered]
    print(f"{pdf}: {len(found)} pages")
    if args.screenshots:
        for path in pictures(pdf, args.screenshots, first):
            print(f"wrote {path}")
    for problem in problems:
        print(f"problem: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
