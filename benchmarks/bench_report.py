"""Report throughput: a workbook and JSON for a case with 100,000 payments and 10,000 findings.

Run: ``python benchmarks/bench_report.py [--findings N]`` (payments are ten times the findings).
"""

from __future__ import annotations

import argparse
import platform
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from common import DATA, measure  # noqa: E402

CODE = """
from datetime import date, datetime, timedelta
from decimal import Decimal
from reconcile.config import Config
from reconcile.dates import CST
from reconcile.engine import reconcile
from reconcile.model import (Direction, Extraction, Installment, LoanTerms, Payment, PaymentKind, Product, Role,
                             SourceRef, Statement)
from reconcile.report.excel import write_report
from reconcile.report.findings_json import render

N = {n}
start = date(2000, 1, 1)
insts = []
for k in range(N):
    due = start + timedelta(days=k + 1)
    total = Decimal(1000 + k % 500)
    insts.append(Installment(period=k + 1, due_date=due, total=total, paid=Decimal(0), outstanding=total, status="未还",
                             source=SourceRef(path="plan.csv", sha256="s", row=k + 2, text=f"{k + 1},{due},{total}")))
as_of = start + timedelta(days=N + 1)
terms = LoanTerms(lender="重庆蚂蚁消费金融有限公司", product=Product.JIEBEI, loan_id="BENCH")
statement = Extraction(path="plan.csv", sha256="s", extractor="statement-table", role=Role.STATEMENT,
                       statement=Statement(terms=terms, installments=tuple(insts), as_of=as_of))
pays = []
for k, inst in enumerate(insts):
    when = datetime.combine(inst.due_date, datetime.min.time(), CST) + timedelta(hours=9)
    pays.append((when, inst.total))
for j in range(N * 9):
    pays.append((datetime.combine(as_of, datetime.min.time(), CST) + timedelta(days=30 + j // 100, seconds=j),
                 Decimal(j % 997 + 1)))
payments = Extraction(path="pay.csv", sha256="p", extractor="alipay", role=Role.PAYMENTS, payments=tuple(
    Payment(timestamp=w, amount=a, direction=Direction.NEUTRAL, kind=PaymentKind.REPAYMENT, status="还款成功",
            settled=True, product=Product.JIEBEI, description="借呗还款",
            source=SourceRef(path="pay.csv", sha256="p", row=i + 2, text=f"{w},{a},借呗还款"))
    for i, (w, a) in enumerate(pays)))
import time
t0 = time.perf_counter()
result = reconcile([statement, payments], Config())
t1 = time.perf_counter()
write_report(result, r"{out}")
t2 = time.perf_counter()
text = render(result)
t3 = time.perf_counter()
timed = t3 - t0
n = len(result.findings)
print("split", round(t1 - t0, 2), round(t2 - t1, 2), round(t3 - t2, 2), len(payments.payments))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--findings", type=int, default=10_000)
    args = parser.parse_args()
    DATA.mkdir(exist_ok=True)
    out = DATA / "bench-report.xlsx"
    m = measure(CODE.replace("{n}", str(args.findings)).replace("{out}", str(out)))
    print(f"report: {args.findings * 10:,} payments, {int(m['n']):,} findings")
    print(
        f"  reconcile + workbook + JSON: {m['seconds']:.2f} s, peak {m['peak_mib']:.0f} MiB, "
        f"workbook {out.stat().st_size / 2**20:.1f} MiB"
    )
    print(f"\nmachine: {platform.machine()}, Python {platform.python_version()}")


if __name__ == "__main__":
    main()
