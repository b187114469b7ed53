"""Statement PDF throughput on the layout most lenders use: a ruled table with centred headers and
right-aligned numbers, set in the non-embedded CID font STSong-Light (what iText-made Chinese PDFs use), the
period numbers alone in a narrow column, 40 installments a page with the header repeated.

Measured side by side in one run, each in a new process on one core: a plain pdfplumber ``extract_table`` loop
(what a naive reader does), our extractor with the fast engine (pypdfium2, the default) and with the
reference engine (pdfplumber); then both with the pages spread over two processes. Every reading must give all
the installments.

Run: ``python benchmarks/bench_statements.py [--pages N]``.
"""

from __future__ import annotations

import argparse
import platform
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "fixtures"))

from common import DATA, measure  # noqa: E402

ROWS_PER_PAGE = 40
COLUMNS = [  # header, width, alignment
    ("期数", 34, "c"),
    ("还款日", 70, "c"),
    ("应还本金", 80, "r"),
    ("应还利息", 70, "r"),
    ("罚息", 56, "r"),
    ("本期应还", 84, "r"),
    ("状态", 56, "c"),
]


def make_pdf(path: Path, pages: int) -> None:
    from builders.pdfs import canvas

    left = 50.0
    period = 1
    with canvas() as (c, buf):
        for page in range(pages):
            y = 800.0
            if page == 0:
                c.setFont("STSong-Light", 12)
                c.drawCentredString(297, y, "某某消费金融有限公司 借款还款计划表")
                y -= 20
                c.setFont("STSong-Light", 8)
                c.drawString(
                    left,
                    y,
                    "借款机构：某某消费金融有限公司    借据号：BENCH-0001    借款金额：1,000,000.00元",
                )
                y -= 16
            c.setFont("STSong-Light", 8)
            rows = [[h for h, _, _ in COLUMNS]]
            for _ in range(ROWS_PER_PAGE):
                due = date(2024 + period // 12, period % 12 + 1, 10)
                principal, interest = Decimal("125.00"), Decimal(period % 97) + Decimal("0.35")
                rows.append(
                    [
                        str(period),
                        due.isoformat(),
                        f"{principal:,.2f}",
                        f"{interest:,.2f}",
                        "0.00",
                        f"{principal + interest:,.2f}",
                        "未到期",
                    ]
                )
                period += 1
            height = 17.0
            right = left + sum(w for _, w, _ in COLUMNS)
            top = y + 11
            for r, row in enumerate(rows):
                c.line(left, top - r * height, right, top - r * height)
                x = left
                for (_, width, align), text in zip(COLUMNS, row, strict=True):
                    baseline = top - r * height - 12
                    if r == 0 or align == "c":
                        c.drawCentredString(x + width / 2, baseline, text)
                    else:
                        c.drawRightString(x + width - 4, baseline, text)
                    x += width
            bottom = top - len(rows) * height
            c.line(left, bottom, right, bottom)
            x = left
            for _, width, _ in [*COLUMNS, ("", 0, "")]:
                c.line(x, top, x, bottom)
                x += width
            c.drawCentredString(297, 30, f"第 {page + 1} 页 / 共 {pages} 页")
            c.showPage()
        c.save()
        path.write_bytes(buf.getvalue())


PLAIN = """
import pdfplumber
n = 0
with pdfplumber.open({path!r}) as pdf:
    for page in pdf.pages:
        n += len((page.extract_table() or [])[1:])
"""

OURS = """
import os
os.environ["RECONCILE_PDF_ENGINE"] = {engine!r}
os.environ["RECONCILE_JOBS"] = {jobs!r}
os.environ["RECONCILE_NO_PLUGINS"] = "1"
import reconcile
(ex,) = reconcile.extract({path!r})
n = len(ex.statement.installments)
assert not ex.statement.unread, ex.statement.unread[:3]
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pages", type=int, default=200)
    args = parser.parse_args()
    DATA.mkdir(exist_ok=True)
    path = DATA / f"statement-ruled-{args.pages}.pdf"
    if not path.exists():
        make_pdf(path, args.pages)
    expected = args.pages * ROWS_PER_PAGE
    lines = [("plain pdfplumber extract_table loop, 1 process", measure(PLAIN.format(path=str(path))))]
    for engine in ("pdfium", "pdfplumber"):
        for jobs in ("1", "2"):
            code = OURS.format(path=str(path), engine=engine, jobs=jobs)
            label = f"reconcile, {engine} engine{' (default)' if engine == 'pdfium' else ''}, {jobs} process"
            lines.append((label + ("es" if jobs == "2" else ""), measure(code)))
    print(
        f"Statement PDF (ruled, centred headers, right-aligned numbers, STSong-Light), {args.pages} pages, "
        f"{expected:,} installments"
    )
    print(f"{'what':<58} {'rows':>7} {'seconds':>8} {'pages/s':>8} {'peak MiB':>9}")
    for label, m in lines:
        rate = args.pages / m["seconds"]
        print(f"{label:<58} {int(m['n']):>7,} {m['seconds']:>8.2f} {rate:>8.1f} {m['peak_mib']:>9.0f}")
    plain, fast = lines[0][1]["seconds"], lines[1][1]["seconds"]
    print(f"\nthe default engine on one core is {plain / fast:.1f}x the plain extract_table loop")
    short = [label for label, m in lines[1:] if int(m["n"]) != expected]
    if short:
        print("NOT ALL ROWS READ: " + "; ".join(short))
    print(f"machine: {platform.machine()}, Python {platform.python_version()}")


if __name__ == "__main__":
    main()
