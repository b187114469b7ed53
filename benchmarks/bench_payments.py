"""Payment extraction throughput on real-shaped exports (`fixtures/builders/realshape.py`): a 1,000,000-row
Alipay export (GBK) and a 100,000-row WeChat XLSX.

Prints rows/s and peak memory for our extractor next to a raw read of the same file (pandas with the pyarrow
engine for the CSV; python-calamine and fastexcel for the XLSX). Large exports are read by columns and their
records built on first access (`reconcile.records.LazyRecords`), so the extraction line counts records that are
parsed, validated and classified, with provenance on demand; the next line adds building every `Payment`
object, and the last one shows the row-by-row reader small files use. Each measurement runs ``--repeat`` times
(5; the two slow reference paths twice), each in a new process, and shows the median run and the range: these
shared machines vary by a quarter from run to run. Run:
``python benchmarks/bench_payments.py [--rows N] [--repeat K]``. Needs the ``bench`` extra (pandas) for the raw
CSV baseline.
"""

from __future__ import annotations

import argparse
import platform
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "fixtures"))

from common import DATA, measure, table  # noqa: E402


def generate(kind: str, path: Path, rows: int) -> None:
    """A real-shaped export (`fixtures/builders/realshape.py`: refunds, closed and failed rows, three years),
    written by a separate process: a process that held the generated rows would pass its memory high-water mark on
    to the measured processes it starts."""
    code = (
        f"import sys; sys.path.insert(0, {str(HERE.parent / 'fixtures')!r})\n"
        "from pathlib import Path\nfrom builders import realshape\n"
        f"Path({str(path)!r}).write_bytes(realshape.{kind}({rows}))\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000, help="Alipay rows (default 1,000,000)")
    parser.add_argument("--wechat-rows", type=int, default=100_000, help="WeChat XLSX rows (default 100,000)")
    parser.add_argument("--bank-rows", type=int, default=100_000, help="bank CSV rows (default 100,000)")
    parser.add_argument(
        "--repeat",
        type=int,
        default=5,
        help="runs per measurement, each in a new process; the median is shown",
    )
    args = parser.parse_args()
    slow_runs = min(args.repeat, 2)  # the slow reference paths: a minute each at 1M rows
    DATA.mkdir(exist_ok=True)
    alipay_path = DATA / f"payments-alipay-{args.rows}.csv"
    if not alipay_path.exists():
        generate("alipay_csv", alipay_path, args.rows)
    results = []
    results.append(
        (
            "raw read: pandas.read_csv(dtype=str, engine=pyarrow)",
            measure(
                repeat=args.repeat,
                code="import pandas as pd\n"
                f"df = pd.read_csv({str(alipay_path)!r}, dtype=str, engine='pyarrow', encoding='gb18030', skiprows=23,"
                " keep_default_na=False)\n"
                "n = len(df)",
            ),
        )
    )
    results.append(
        (
            "reconcile: alipay extractor (records with provenance)",
            measure(
                repeat=args.repeat,
                code=f"import reconcile\n(ex,) = reconcile.extract({str(alipay_path)!r})\nn = len(ex.payments)\n"
                "assert n and ex.payments[n // 2].source.text  # a record, with its line, on demand",
            ),
        )
    )
    results.append(
        (
            "reconcile: the same, then every Payment object built",
            measure(
                repeat=slow_runs,
                code=f"import reconcile\n(ex,) = reconcile.extract({str(alipay_path)!r})\n"
                "n = sum(1 for p in ex.payments if p.source.row)",
            ),
        )
    )
    results.append(
        (
            "reconcile: line-by-line reader (RECONCILE_COLUMNAR=0)",
            measure(
                repeat=slow_runs,
                code="import os\nos.environ['RECONCILE_COLUMNAR'] = '0'\n"
                f"import reconcile\n(ex,) = reconcile.extract({str(alipay_path)!r})\nn = len(ex.payments)",
            ),
        )
    )
    print(
        table(f"Alipay CSV, GBK, {args.rows:,} rows ({alipay_path.stat().st_size / 2**20:.0f} MiB)", results)
    )
    print()
    wechat_path = DATA / f"payments-wechat-{args.wechat_rows}.xlsx"
    if not wechat_path.exists():
        generate("wechat_xlsx", wechat_path, args.wechat_rows)
    results = [
        (
            "raw read: python-calamine to_python()",
            measure(
                repeat=args.repeat,
                code="from python_calamine import CalamineWorkbook\n"
                f"rows = CalamineWorkbook.from_path({str(wechat_path)!r}).get_sheet_by_name('Sheet1').to_python()\n"
                "n = len(rows) - 18",
            ),
        ),
        (
            "raw read: fastexcel load_sheet(dtypes='string')",
            measure(
                repeat=args.repeat,
                code="import fastexcel\n"
                f"t = fastexcel.read_excel({str(wechat_path)!r}).load_sheet(0, header_row=None, dtypes='string')"
                ".to_arrow()\nn = t.num_rows - 18",
            ),
        ),
    ]
    try:
        from reconcile.extractors import registry

        if "wechat" in registry():
            results.append(
                (
                    "reconcile: wechat extractor (records with provenance)",
                    measure(
                        repeat=args.repeat,
                        code="import reconcile\n"
                        f"(ex,) = reconcile.extract({str(wechat_path)!r})\n"
                        "n = len(ex.payments)\nassert n and ex.payments[n // 2].source.text",
                    ),
                )
            )
            results.append(
                (
                    "reconcile: the same, then every Payment object built",
                    measure(
                        repeat=slow_runs,
                        code=f"import reconcile\n(ex,) = reconcile.extract({str(wechat_path)!r})\n"
                        "n = sum(1 for p in ex.payments if p.source.row)",
                    ),
                )
            )
            results.append(
                (
                    "reconcile: row-by-row reader (RECONCILE_COLUMNAR=0)",
                    measure(
                        repeat=slow_runs,
                        code="import os\nos.environ['RECONCILE_COLUMNAR'] = '0'\n"
                        f"import reconcile\n(ex,) = reconcile.extract({str(wechat_path)!r})\nn = len(ex.payments)",
                    ),
                )
            )
    except ImportError:
        pass
    print(table(f"WeChat XLSX v2, {args.wechat_rows:,} rows", results))
    print()
    bank_path = DATA / f"payments-bank-{args.bank_rows}.csv"
    if not bank_path.exists():
        generate("bank_csv", bank_path, args.bank_rows)
    results = [
        (
            "raw read: pandas.read_csv(dtype=str, engine=pyarrow)",
            measure(
                repeat=args.repeat,
                code=f"import pandas as pd\ndf = pd.read_csv({str(bank_path)!r}, dtype=str, engine='pyarrow',"
                " keep_default_na=False)\nn = len(df)",
            ),
        ),
        (
            "reconcile: bank extractor (records built, balances checked)",
            measure(
                repeat=slow_runs,
                code=f"import reconcile\n(ex,) = reconcile.extract({str(bank_path)!r})\nn = len(ex.payments)\n"
                "assert not ex.notices, ex.notices",
            ),
        ),
    ]
    print(
        table(
            f"招商银行 交易流水 CSV, {args.bank_rows:,} rows (real-shaped: reversals, fees, salary)", results
        )
    )
    print(
        f"\nmachine: {platform.machine()}, {platform.processor() or 'cpu'}, Python {platform.python_version()}, "
        f"{__import__('os').cpu_count()} cores"
    )


if __name__ == "__main__":
    main()
