"""Run every benchmark and print their figures as one table.

``pip install -e '.[bench]' && python benchmarks/run_all.py [--quick]``; ``--quick`` uses a tenth of the sizes.
Nothing here runs in the test suite: tests never assert times.
"""

from __future__ import annotations

import argparse
import platform
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

RUNS = {
    "check": ["bench_check.py"],
    "payments": ["bench_payments.py"],
    "statements": ["bench_statements.py"],
    "matching": ["bench_match.py"],
    "report": ["bench_report.py"],
}
QUICK = {
    "check": ["--rows", "100000", "--wechat-rows", "10000", "--repeat", "1"],
    "payments": ["--rows", "100000", "--wechat-rows", "10000", "--bank-rows", "10000"],
    "statements": ["--pages", "20"],
    "matching": ["--max-installments", "10000"],
    "report": ["--findings", "1000"],
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="a tenth of the sizes")
    args = parser.parse_args()
    rows: list[tuple[str, str]] = []
    for name, script in RUNS.items():
        cmd = [sys.executable, str(HERE / script[0]), *(QUICK[name] if args.quick else [])]
        out = subprocess.run(cmd, capture_output=True, text=True, cwd=HERE.parent)
        lines = [ln for ln in out.stdout.splitlines() if ln.strip() and not ln.startswith("machine:")]
        if out.returncode != 0:
            lines.append(
                f"FAILED: {out.stderr.strip().splitlines()[-1] if out.stderr.strip() else out.returncode}"
            )
        rows += [(name, ln) for ln in lines]
    width = max(len(n) for n, _ in rows)
    print(f"{'benchmark':<{width}}  result")
    for name, line in rows:
        print(f"{name:<{width}}  {line}")
    print(
        f"\nmachine: {platform.machine()}, {platform.processor() or 'cpu'}, Python {platform.python_version()}, "
        f"{__import__('os').cpu_count()} cores"
    )


if __name__ == "__main__":
    main()
