"""Helpers for the benchmarks: run a measurement in a fresh process and report time and peak memory."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE / "_data"


def measure(code: str) -> dict[str, float]:
    """Run ``code`` (which must set ``n``) in a new interpreter; return seconds, peak RSS in MiB and n. Timing
    covers the code (not interpreter start-up), or just the part the code stores in ``timed`` if it sets it."""
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
    lines = [title, f"{'what':<58} {'rows':>10} {'seconds':>9} {'rows/s':>11} {'peak MiB':>9}"]
    for label, m in rows:
        rate = m["n"] / m["seconds"] if m["seconds"] else float("inf")
        lines.append(
            f"{label:<58} {int(m['n']):>10} {m['seconds']:>9.2f} {rate:>11,.0f} {m['peak_mib']:>9.0f}"
        )
    return "\n".join(lines)
