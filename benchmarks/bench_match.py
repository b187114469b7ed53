"""Matching throughput: payments against installments at three sizes, so growth is visible.

Each installment falls due on its own day; ten payments per installment arrive around it: the installment's own
payment (sometimes late, sometimes split in two) and nine of other amounts. Run:
``python benchmarks/bench_match.py [--max-installments N]``.
"""

from __future__ import annotations

import argparse
import platform
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from common import measure  # noqa: E402

CODE = """
import random
from datetime import date, datetime, timedelta
from decimal import Decimal
from reconcile.dates import CST
from reconcile.match import build_claims, match
from reconcile.model import Direction, Installment, Payment, PaymentKind, SourceRef

rng = random.Random(7)
start = date(2000, 1, 1)
ref = SourceRef(path="plan.csv", sha256="s", row=1, text="")
pref = SourceRef(path="pay.csv", sha256="p", row=1, text="")
insts = [Installment(period=k + 1, due_date=start + timedelta(days=k + 1), total=Decimal(1000 + k % 500) / 1,
                     source=ref) for k in range({n})]
pays = []
for k, inst in enumerate(insts):
    base = datetime.combine(inst.due_date, datetime.min.time(), CST)
    if k % 10 == 3:
        half = (inst.total / 2).quantize(Decimal("0.01"))
        amounts = [(half, 0), (inst.total - half, 0)]
    else:
        amounts = [(inst.total, 5 if k % 10 == 7 else 0)]
    for amount, late in amounts:
        pays.append(Payment(timestamp=base + timedelta(days=late, hours=9), amount=amount, direction=Direction.OUT,
                            kind=PaymentKind.REPAYMENT, status="ok", settled=True, source=pref))
    while len(pays) < (k + 1) * 10:
        noise = Decimal(rng.randrange(1, 99999)) / 100
        pays.append(Payment(timestamp=base + timedelta(hours=rng.randrange(24)), amount=noise,
                            direction=Direction.OUT, kind=PaymentKind.REPAYMENT, status="ok", settled=True,
                            source=pref))
import time
t0 = time.perf_counter()
claims = build_claims(insts, start)
result = match(claims, pays, window=0)
timed = time.perf_counter() - t0
n = len(pays)
assert len(result.matches) >= {n} * 0.99, len(result.matches)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--max-installments", type=int, default=100_000)
    args = parser.parse_args()
    sizes = [args.max_installments // 100, args.max_installments // 10, args.max_installments]
    print(f"{'payments':>10} {'installments':>13} {'seconds (claims + matching)':>28} {'peak MiB':>9}")
    for n in sizes:
        m = measure(CODE.replace("{n}", str(n)))
        print(f"{int(m['n']):>10,} {n:>13,} {m['seconds']:>28.2f} {m['peak_mib']:>9.0f}")
    print(f"\nmachine: {platform.machine()}, Python {platform.python_version()}")


if __name__ == "__main__":
    main()
