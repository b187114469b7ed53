"""`reconcile check` end to end on real-shaped exports: the headline figure.

A dispute case (the bundled demo's 借呗 plan and repayments; a clean 微粒贷 case for WeChat) is laid into a
real-shaped export (`fixtures/builders/realshape.py`: refunds full and partial, orders closed, payments waiting
for confirmation, 花呗 bills with failed attempts retried, transfers, 余额宝 income and moves, three years) and
`reconcile check` runs on it as a user runs it: a new process, the plan and the export in, the findings JSON and
the workbook out. Every run's findings are compared with the case's own; a run that finds anything else fails
the benchmark.

Beside each figure: a raw read of the same file (pandas with the pyarrow engine for the CSV, python-calamine for
the XLSX), the row-by-row readers (``RECONCILE_COLUMNAR=0``), the growth as the rows double, and, with
``--peer-python``, the china-bean-importers Alipay importer (see `peer_cbi.py`). Each measurement runs
``--repeat`` times, each in a new process; the median is shown with the range.

``python benchmarks/bench_check.py [--rows N] [--wechat-rows N] [--repeat K] [--peer-python PYTHON]``
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT / "fixtures"))

from common import DATA, measure  # noqa: E402

from reconcile.read import prefetch as reading  # noqa: E402

WECHAT_CASE = ROOT / "fixtures/cases/generated/clean-weilidai-ei20-wechat-xlsx"
AS_OF = {"alipay": "2024-07-15", "wechat": "2025-06-25"}


def alipay_file(rows: int) -> Path:
    return _made("alipay", rows, DATA / f"realshape-alipay-{rows}.csv")


def wechat_file(rows: int) -> Path:
    return _made("wechat", rows, DATA / f"realshape-wechat-{rows}.xlsx")


def _made(kind: str, rows: int, path: Path) -> Path:
    """The input, generated once by a separate process: a process that held a million generated rows would
    pass its memory high-water mark on to every process it starts, and spoil their peak-memory figures."""
    if not path.exists():
        subprocess.run([sys.executable, __file__, "--make", kind, str(rows), str(path)], check=True)
    return path


def make(kind: str, rows: int, path: Path) -> None:
    from builders import demo, realshape

    if kind == "alipay":
        path.write_bytes(realshape.alipay_csv(rows, case=demo.payments()))
    else:
        case = realshape.wechat_xlsx_rows(next(WECHAT_CASE.glob("微信*.xlsx")).read_bytes())
        path.write_bytes(
            realshape.wechat_xlsx(
                rows, case=case, start=date(2024, 7, 1), end=date(2025, 7, 15), version="v1"
            )
        )


def plans() -> dict[str, Path]:
    from builders import demo

    plan = DATA / "demo-plan.pdf"
    if not plan.exists():
        plan.write_bytes(demo.plan_pdf())
    return {"alipay": plan, "wechat": next(WECHAT_CASE.glob("微粒贷*"))}


def expected(kind: str) -> list[tuple[str, str, str]]:
    from builders import demo

    if kind == "wechat":
        return []
    return sorted((f["code"], str(f.get("kind") or ""), str(f["amount"])) for f in demo.planted())


def run_check(kind: str, export: Path, *, columnar: bool | None = None) -> dict[str, float]:
    """One `reconcile check` in a new process: wall seconds and peak memory (MiB); the findings verified.
    ``columnar``: True forces the columnar reader, False the row-by-row one, None lets the size decide."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        argv = [
            sys.executable, "-m", "reconcile", "check", str(plans()[kind]), str(export),
            "--as-of", AS_OF[kind], "--json", str(out / "findings.json"), "-o", str(out / "report.xlsx"),
        ]  # fmt: skip
        mode = {None: "auto", True: "1", False: "0"}[columnar]
        env = {**os.environ, "RECONCILE_COLUMNAR": mode}
        wrapper = (
            "import resource, subprocess, sys, time, json\n"
            "t = time.perf_counter()\n"
            f"r = subprocess.run({argv!r}, env={env!r}, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)\n"
            "print(json.dumps({'seconds': time.perf_counter() - t, 'rc': r.returncode,"
            " 'stderr': r.stderr.decode()[-400:],"
            " 'peak_mib': resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))\n"
        )
        done = subprocess.run([sys.executable, "-c", wrapper], capture_output=True, text=True, check=True)
        m = json.loads(done.stdout)
        if m["rc"] not in (0, 1) or not (out / "report.xlsx").exists():
            raise SystemExit(f"reconcile check failed on {export.name}: {m['stderr']}")
        doc = json.loads((out / "findings.json").read_text(encoding="utf-8"))
        found = sorted((f["code"], str(f.get("kind") or ""), str(f["amount"])) for f in doc["findings"])
        if found != expected(kind):
            raise SystemExit(f"wrong findings on {export.name}: {found} (expected {expected(kind)})")
    return {"seconds": m["seconds"], "peak_mib": m["peak_mib"]}


def repeated(fn, repeat: int) -> dict[str, float]:  # type: ignore[no-untyped-def]
    runs = [fn() for _ in range(max(1, repeat))]
    seconds = sorted(r["seconds"] for r in runs)
    return {
        "seconds": statistics.median(seconds),
        "fastest": seconds[0],
        "slowest": seconds[-1],
        "peak_mib": max(r["peak_mib"] for r in runs),
        "runs": len(runs),
    }


def peer(python: str, export: Path) -> dict[str, float]:
    wrapper = (
        "import resource, subprocess, time, json\n"
        "t = time.perf_counter()\n"
        f"r = subprocess.run([{python!r}, {str(HERE / 'peer_cbi.py')!r}, {str(export)!r}],"
        " stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)\n"
        "print(json.dumps({'seconds': time.perf_counter() - t, 'rc': r.returncode, 'out': r.stdout.decode(),"
        " 'peak_mib': resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))\n"
    )
    m = json.loads(subprocess.run([sys.executable, "-c", wrapper], capture_output=True, text=True).stdout)
    if m["rc"] != 0:
        raise SystemExit("the peer importer failed (see peer_cbi.py for the environment it needs)")
    return {"seconds": m["seconds"], "peak_mib": m["peak_mib"], "runs": 1}


def line(label: str, rows: int, m: dict[str, float], base: float | None = None) -> str:
    spread = f"{m['fastest']:.2f}-{m['slowest']:.2f}" if m.get("runs", 1) > 1 else ""
    ratio = f"{m['seconds'] / base:>7.1f}x" if base else " " * 8
    return (
        f"{label:<62} {rows:>10,} {m['seconds']:>8.2f} {spread:>13} {int(m.get('runs', 1)):>4} "
        f"{m['peak_mib']:>8.0f} {ratio}"
    )


HEAD = f"{'what':<62} {'rows':>10} {'seconds':>8} {'range':>13} {'runs':>4} {'peak MiB':>8} {'vs raw':>8}"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=1_000_000, help="Alipay rows (default 1,000,000)")
    parser.add_argument("--wechat-rows", type=int, default=100_000, help="WeChat rows (default 100,000)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement (default 3)")
    parser.add_argument("--peer-python", help="a Python with china-bean-importers, for the peer figure")
    parser.add_argument("--make", nargs=3, metavar=("KIND", "ROWS", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.make:
        make(args.make[0], int(args.make[1]), Path(args.make[2]))
        return
    DATA.mkdir(exist_ok=True)
    slow = min(args.repeat, 2)

    # Alipay: the raw read, check at the full size, the row reader, and the growth as the rows double.
    big = alipay_file(args.rows)
    n = sum(1 for _ in big.open("rb")) - 24
    raw = measure(
        repeat=args.repeat,
        code="import pandas as pd\n"
        f"df = pd.read_csv({str(big)!r}, dtype=str, engine='pyarrow', encoding='gb18030', skiprows=23,"
        " keep_default_na=False)\nn = len(df)",
    )
    out = [f"Alipay CSV (GBK, generation C, real-shaped; {big.stat().st_size / 2**20:.0f} MiB): plan + export"
           " -> findings JSON + workbook", HEAD]  # fmt: skip
    out.append(line("raw read: pandas.read_csv(engine=pyarrow, dtype=str)", n, raw))
    check = repeated(lambda: run_check("alipay", big), args.repeat)
    out.append(line("reconcile check (columnar reader)", n, check, raw["seconds"]))
    rows_reader = repeated(lambda: run_check("alipay", big, columnar=False), slow)
    out.append(line("reconcile check, row reader (RECONCILE_COLUMNAR=0)", n, rows_reader, raw["seconds"]))
    if args.peer_python:
        out.append(line("peer: china-bean-importers alipay_mobile (read only)", n, peer(args.peer_python, big),
                        raw["seconds"]))  # fmt: skip
    print("\n".join(out))
    print()

    sizes = sorted(
        {max(10_000, args.rows // 100), args.rows // 10, args.rows // 4, args.rows // 2, args.rows}
    )
    print("Growth: reconcile check as the Alipay rows grow, each reader forced (* the one the size chooses)")
    print(f"{'rows':>10} {'columnar s':>11} {'x prev':>7} {'row reader s':>13} {'x prev':>7}")
    previous: tuple[int, float, float] | None = None
    worst = 0.0
    for size in sizes:
        path = alipay_file(size)
        fast = (
            check["seconds"]
            if size == args.rows
            else repeated(lambda p=path: run_check("alipay", p, columnar=True), slow)["seconds"]
        )
        plain = (
            rows_reader["seconds"]
            if size == args.rows
            else repeated(lambda p=path: run_check("alipay", p, columnar=False), 1)["seconds"]
        )
        grow = grow_rows = ""
        if previous and size == 2 * previous[0]:
            worst = max(worst, fast / previous[1])
            grow, grow_rows = f"{fast / previous[1]:.2f}", f"{plain / previous[2]:.2f}"
        auto = path.stat().st_size >= reading.MIN_BYTES
        print(
            f"{size:>10,} {fast:>10.2f}{'*' if auto else ' '} {grow:>7} {plain:>12.2f}{' ' if auto else '*'} "
            f"{grow_rows:>7}"
        )
        previous = (size, fast, plain)
    print(f"worst growth when the rows double: {worst:.2f}x (target: at most 2.2x)")
    print()

    wx = wechat_file(args.wechat_rows)
    wn = args.wechat_rows
    raw_x = measure(
        repeat=args.repeat,
        code="from python_calamine import CalamineWorkbook\n"
        f"rows = CalamineWorkbook.from_path({str(wx)!r}).get_sheet_by_index(0).to_python()\nn = len(rows) - 17",
    )
    out = [f"WeChat XLSX (v1, real-shaped; {wx.stat().st_size / 2**20:.1f} MiB): plan + export"
           " -> findings JSON + workbook", HEAD]  # fmt: skip
    out.append(line("raw read: python-calamine to_python()", wn, raw_x))
    wcheck = repeated(lambda: run_check("wechat", wx), args.repeat)
    out.append(line("reconcile check (columnar reader)", wn, wcheck, raw_x["seconds"]))
    out.append(
        line("reconcile check, row reader (RECONCILE_COLUMNAR=0)", wn,
             repeated(lambda: run_check("wechat", wx, columnar=False), slow), raw_x["seconds"])
    )  # fmt: skip
    small = wechat_file(max(10_000, wn // 10))
    out.append(line("reconcile check, columnar reader forced (RECONCILE_COLUMNAR=1)", max(10_000, wn // 10),
                    repeated(lambda: run_check("wechat", small, columnar=True), args.repeat)))  # fmt: skip
    out.append(line("reconcile check, row reader (RECONCILE_COLUMNAR=0)", max(10_000, wn // 10),
                    repeated(lambda: run_check("wechat", small, columnar=False), slow)))  # fmt: skip
    print("\n".join(out))
    print()
    print(
        f"targets: Alipay check within 10x the raw read: {check['seconds'] / raw['seconds']:.1f}x, peak "
        f"{check['peak_mib']:.0f} MiB (under 1536); WeChat check within 3x the raw read: "
        f"{wcheck['seconds'] / raw_x['seconds']:.1f}x"
    )
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")


if __name__ == "__main__":
    main()
