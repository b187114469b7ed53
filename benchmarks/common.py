"""Helpers for the benchmarks: run a measurement in a fresh process and report time and peak memory."""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE / "_data"


def measure(code: str, repeat: int = 1) -> dict[str, float]:
    """Run ``code`` (which must set ``n``) in a new interpreter ``repeat`` times; return the median seconds, the
    fastest and slowest run, the highest peak RSS in MiB, n and the number of runs. Timing covers the code (not
    interpreter start-up), or just the part the code stores in ``timed`` if it sets it. Shared machines vary by
    a quarter from run to run: repeat a measurement before comparing it with another."""
    runs = [_measure_once(code) for _ in range(max(1, repeat))]
    seconds = sorted(r["seconds"] for r in runs)
    return {
        "seconds": statistics.median(seconds),
        "fastest": seconds[0],
        "slowest": seconds[-1],
        "peak_mib": max(r["peak_mib"] for r in runs),
        "n": runs[0]["n"],
        "runs": len(runs),
    }


def _measure_once(code: str) -> dict[str, float]:
    wrapper = (
        "import json, resource, time\n"
        "t0 = time.perf_counter()\n"
        f"{code}\n"
        "elapsed = globals().get('timed', time.perf_counter() - t0)\n"
        "peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024\n"
        "print(json.dumps({'seconds': elapsed, 'peak_mib': peak, 'n': n}))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", wrapper], capture_output=True, text=True, check=True, cwd=HERE.parent
    )
    return json.loads(out.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def table(title: str, rows: list[tuple[str, dict[str, float]]]) -> str:
    """A table of measurements: rows/s from the median run, and the range over the runs when there were several."""
    lines = [
        title,
        f"{'what':<58} {'rows':>10} {'seconds':>9} {'rows/s':>11} {'range of rows/s':>19} {'runs':>5} {'peak MiB':>9}",
    ]
    for label, m in rows:
        rate = m["n"] / m["seconds"] if m["seconds"] else float("inf")
        runs = int(m.get("runs", 1))
        spread = f"{m['n'] / m['slowest']:,.0f}-{m['n'] / m['fastest']:,.0f}" if runs > 1 else ""
        lines.append(
            f"{label:<58} {int(m['n']):>10} {m['seconds']:>9.2f} {rate:>11,.0f} {spread:>19} {runs:>5} "
            f"{m['peak_mib']:>9.0f}"
        )
    return "\n".join(lines)
