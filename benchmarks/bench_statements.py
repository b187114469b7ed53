"""Statement PDF throughput: a 200-page ruled repayment-plan PDF, our extractor against a plain pdfplumber
``extract_table`` loop over the same file, in one process and with the pages spread over the cores.

Run: ``python benchmarks/bench_statements.py [--pages N]``.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "fixtures"))

from common import DATA  # noqa: E402

ROWS_PER_PAGE = 40


def make_pdf(path: Path, pages: int) -> None:
    from builders.pdfs import canvas

    cols = [40, 90, 170, 250, 330, 420, 500]
    period = 1
    with canvas() as (c, buf):
        for page in range(pages):
            c.setFont("STSong-Light", 8)
            y = 810
            if page == 0:
                c.drawString(
                    40, y, "借款机构：某某消费金融有限公司    借据号：BENCH-0001    借款金额：1,000,000.00元"
                )
                y -= 14
            header = ["期数", "还款日", "应还本金", "应还利息", "罚息", "本期应还", "状态"]
            rows = [header]
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
            for row in rows:
                top = y + 9
                c.line(cols[0] - 3, top, 560, top)
                for x in [*cols, 560]:
                    c.line(x - 3, top, x - 3, top - 18)
                for x, v in zip(cols, row, strict=True):
                    c.drawString(x, y, v)
                y -= 18
            c.line(cols[0] - 3, y + 9, 560, y + 9)
            c.drawString(520, 20, f"{page + 1}/{pages}")
            c.showPage()
        c.save()
        path.write_bytes(buf.getvalue())


def plain_loop(path: str, start: int, stop: int) -> int:
    import pdfplumber

    rows = 0
    with pdfplumber.open(path) as pdf:
        for i in range(start, stop):
            table = pdf.pages[i].extract_table()
            rows += len(table or [])
    return rows


def timed(fn, *args):  # type: ignore[no-untyped-def]
    t0 = time.perf_counter()
    result = fn(*args)
    return time.perf_counter() - t0, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pages", type=int, default=200)
    args = parser.parse_args()
    DATA.mkdir(exist_ok=True)
    path = DATA / f"statement-{args.pages}.pdf"
    if not path.exists():
        make_pdf(path, args.pages)
    from concurrent.futures import ProcessPoolExecutor

    import reconcile

    cores = os.cpu_count() or 1
    results = []
    seconds, _ = timed(plain_loop, str(path), 0, args.pages)
    results.append(("plain pdfplumber extract_table loop, 1 process", seconds))
    half = args.pages // 2
    with ProcessPoolExecutor(max_workers=2) as pool:
        t0 = time.perf_counter()
        list(pool.map(plain_loop, [str(path)] * 2, [0, half], [half, args.pages]))
        results.append(("plain pdfplumber extract_table loop, 2 processes", time.perf_counter() - t0))
    os.environ["RECONCILE_JOBS"] = "1"
    seconds, (single,) = timed(reconcile.extract, path)
    results.append(("reconcile statement-pdf extractor, 1 process", seconds))
    os.environ["RECONCILE_JOBS"] = str(min(2, cores))
    seconds, (double,) = timed(reconcile.extract, path)
    results.append((f"reconcile statement-pdf extractor, {min(2, cores)} processes", seconds))
    assert single.statement == double.statement, "parallel extraction must give identical results"
    assert single.statement is not None and len(single.statement.installments) == args.pages * ROWS_PER_PAGE
    print(f"Statement PDF, {args.pages} pages, {args.pages * ROWS_PER_PAGE:,} installments")
    print(f"{'what':<52} {'seconds':>8} {'pages/s':>8}")
    for label, secs in results:
        print(f"{label:<52} {secs:>8.2f} {args.pages / secs:>8.1f}")
    print(f"\nmachine: {platform.machine()}, Python {platform.python_version()}, {cores} cores")


if __name__ == "__main__":
    main()
