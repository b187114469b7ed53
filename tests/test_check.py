"""End to end: every scenario under fixtures/scenarios through `reconcile check`, and the matcher's invariants."""

from __future__ import annotations

import json
import random
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reconcile.config import Config
from reconcile.dates import CST
from reconcile.engine import reconcile
from reconcile.match import build_claims, match
from reconcile.model import (
    Direction,
    Extraction,
    Installment,
    LoanTerms,
    Payment,
    PaymentKind,
    Product,
    Role,
    SourceRef,
    Statement,
)

from .conftest import FIXTURES
from .test_cli import run

SCENARIOS = sorted(p for p in (FIXTURES / "scenarios").iterdir() if p.is_dir())
D = Decimal


def test_every_code_has_a_scenario() -> None:
    codes = set()
    for folder in SCENARIOS:
        codes |= {f["code"] for f in json.loads((folder / "expected.json").read_text("utf-8"))["findings"]}
    assert codes == {
        "already-paid",
        "double-counted",
        "misreported",
        "not-credited",
        "rate-above-cap",
        "deferral-breach",
        "ambiguous",
    }
    assert any(not json.loads((f / "expected.json").read_text("utf-8"))["findings"] for f in SCENARIOS)


@pytest.mark.parametrize("folder", SCENARIOS, ids=lambda p: p.name)
def test_scenario(folder: Path, tmp_path: Path) -> None:
    expected = json.loads((folder / "expected.json").read_text("utf-8"))
    out = tmp_path / "findings.json"
    proc = run(
        "check",
        str(folder / "statement.csv"),
        str(folder / "alipay.csv"),
        *expected["args"],
        "--json",
        str(out),
    )
    assert proc.returncode == (1 if expected["findings"] else 0), proc.stderr
    doc = json.loads(out.read_text("utf-8"))
    got = sorted((f["code"], f["kind"], f["installment"], f["amount"]) for f in doc["findings"])
    want = sorted(
        (e["code"], e.get("kind"), e.get("installment"), e.get("amount")) for e in expected["findings"]
    )
    assert [g[:3] for g in got] == [w[:3] for w in want]
    for g, w in zip(got, want, strict=True):
        if w[3] is not None:
            assert g[3] == w[3]
    for f in doc["findings"]:
        assert f["evidence"] and all(e["sha256"] and e["text"] for e in f["evidence"])
        assert f["message_zh"] and f["message_en"] and f["basis"]
    assert doc["summary"]["disputed"] == f"{sum(D(f['amount']) for f in doc['findings']):.2f}"
    assert doc["schema"] == "reconcile.findings/1"


def test_huabei_repayment_is_not_taken_for_jiebei() -> None:
    folder = FIXTURES / "scenarios/huabei-not-jiebei"
    doc = json.loads(
        run(
            "check",
            str(folder / "statement.csv"),
            str(folder / "alipay.csv"),
            "--as-of",
            "2024-07-15",
            "--json",
            "-",
        ).stdout
    )
    assert doc["findings"] == [] and doc["loans"][0]["payments"] == 5


def test_failed_repayment_is_excluded_with_a_reason() -> None:
    folder = FIXTURES / "scenarios/failed-retry"
    doc = json.loads(
        run(
            "check",
            str(folder / "statement.csv"),
            str(folder / "alipay.csv"),
            "--as-of",
            "2024-07-15",
            "--json",
            "-",
        ).stdout
    )
    (excluded,) = doc["loans"][0]["excluded_payments"]
    assert "not settled" in excluded["reason"] and excluded["amount"] == "1079.71"


def test_check_needs_a_statement(tmp_path: Path) -> None:
    proc = run("check", str(FIXTURES / "payments/alipay/alipay-c-2026.csv"))
    assert proc.returncode == 2 and "输入中没有贷款机构的账单" in proc.stderr


def test_forced_role_mismatch_is_an_error() -> None:
    proc = run(
        "check",
        "--payments",
        str(FIXTURES / "scenarios/clean/statement.csv"),
        str(FIXTURES / "scenarios/clean/alipay.csv"),
    )
    assert proc.returncode == 2 and "但被指定为付款记录" in proc.stderr


# ---------------------------------------------------------------------------------------------- invariants

REF = "plan.csv"


def _statement(n: int, amount: Decimal, paid_upto: int, start: date) -> Extraction:
    insts = []
    for k in range(1, n + 1):
        due = date(
            start.year + (start.month - 1 + k) // 12, (start.month - 1 + k) % 12 + 1, min(start.day, 28)
        )
        paid = amount if k <= paid_upto else D("0.00")
        insts.append(
            Installment(
                period=k,
                due_date=due,
                total=amount,
                paid=paid,
                outstanding=amount - paid,
                status="已还清" if k <= paid_upto else "逾期",
                source=SourceRef(path=REF, sha256="s", row=k + 1, text=f"{k},{due},{amount}"),
            )
        )
    terms = LoanTerms(
        lender="重庆蚂蚁消费金融有限公司", product=Product.JIEBEI, loan_id="L1", start_date=start
    )
    st_ = Statement(terms=terms, installments=tuple(insts), as_of=date(2030, 1, 1))
    return Extraction(path=REF, sha256="s", extractor="statement-table", role=Role.STATEMENT, statement=st_)


def _payments(amounts_days: list[tuple[Decimal, int]], start: date) -> Extraction:
    pays = []
    for i, (amount, day) in enumerate(amounts_days):
        when = datetime.combine(start + timedelta(days=day), datetime.min.time(), CST) + timedelta(
            hours=9, seconds=i
        )
        pays.append(
            Payment(
                timestamp=when,
                amount=amount,
                direction=Direction.NEUTRAL,
                kind=PaymentKind.REPAYMENT,
                status="还款成功",
                settled=True,
                product=Product.JIEBEI,
                transaction_id=f"T{i}",
                source=SourceRef(path="pay.csv", sha256="p", row=i + 2, text=f"{when},{amount}"),
            )
        )
    return Extraction(
        path="pay.csv", sha256="p", extractor="alipay", role=Role.PAYMENTS, payments=tuple(pays)
    )


@settings(max_examples=60, deadline=None)
@given(
    n=st.integers(2, 14),
    amount=st.decimals(min_value=D("50"), max_value=D("3000"), places=2),
    paid_upto=st.integers(0, 14),
    extra=st.lists(
        st.tuples(st.decimals(min_value=D("1"), max_value=D("6000"), places=2), st.integers(0, 450)),
        max_size=6,
    ),
    seed=st.integers(0, 1000),
)
def test_matcher_invariants(
    n: int, amount: Decimal, paid_upto: int, extra: list[tuple[Decimal, int]], seed: int
) -> None:
    start = date(2024, 1, 10)
    stmt = _statement(n, amount, min(paid_upto, n), start)
    pays = [(amount, 31 * k) for k in range(1, n + 1) if k % 3] + extra
    payments = _payments(pays, start)
    result = reconcile([stmt, payments], Config())
    # each payment settles at most its own amount across all claims
    (case,) = result.cases
    used: dict[int, Decimal] = {}
    for m in case.result.matches.values():
        for a in m.allocations:
            used[id(a.payment)] = used.get(id(a.payment), D(0)) + a.amount
    for p in case.payments:
        assert used.get(id(p), D(0)) <= p.amount
    # the disputed total is the sum of the finding amounts, and every finding has evidence
    assert result.disputed == sum((f.amount for f in result.findings), D("0.00"))
    assert all(f.evidence for f in result.findings)
    # shuffling the rows changes nothing
    shuffled = list(payments.payments)
    random.Random(seed).shuffle(shuffled)
    again = reconcile(
        [
            stmt,
            Extraction(
                path="pay.csv", sha256="p", extractor="alipay", role=Role.PAYMENTS, payments=tuple(shuffled)
            ),
        ],
        Config(),
    )
    assert [(f.code, f.kind, f.installment, f.amount) for f in again.findings] == [
        (f.code, f.kind, f.installment, f.amount) for f in result.findings
    ]


def test_equal_installments_never_go_to_the_wrong_month() -> None:
    start = date(2024, 1, 10)
    stmt = _statement(6, D("1000.00"), 0, start)
    # installments 1, 2, 4, 5, 6 paid on their due dates; 3 not paid at all
    assert stmt.statement is not None
    dues = [i.due_date for i in stmt.statement.installments]
    days = [((d - start).days) for k, d in enumerate(dues, start=1) if k != 3 and d]
    result = reconcile([stmt, _payments([(D("1000.00"), x) for x in days], start)], Config())
    paid = sorted(f.installment for f in result.findings if f.code == "already-paid")
    assert paid == [1, 2, 4, 5, 6]
    claims = build_claims(stmt.statement.installments, start)
    m = match(claims, list(_payments([(D("1000.00"), x) for x in days], start).payments))
    assert 2 not in m.matches  # claim index 2 is installment 3: nothing of the others' is taken for it


def test_two_loans_of_one_product_share_the_payments_without_double_use() -> None:
    """Two 借呗 loans, one Alipay export with the repayments of both: each payment goes to one loan only and
    nothing is reported as not credited."""
    start = date(2024, 1, 10)
    first = _statement(6, D("1000.00"), 6, start)
    second = _statement(6, D("520.00"), 6, start)
    assert second.statement is not None
    terms = second.statement.terms
    second = Extraction(
        path="plan2.csv",
        sha256="s2",
        extractor="statement-table",
        role=Role.STATEMENT,
        statement=Statement(
            terms=LoanTerms(lender=terms.lender, product=terms.product, loan_id="L2", start_date=start),
            installments=second.statement.installments,
            as_of=date(2030, 1, 1),
        ),
    )
    assert first.statement is not None
    dues = [(i.due_date - start).days for i in first.statement.installments if i.due_date]
    pays = _payments([(D("1000.00"), d) for d in dues] + [(D("520.00"), d) for d in dues], start)
    result = reconcile([first, second, pays], Config())
    assert result.findings == ()
    used: dict[int, int] = {}
    for case in result.cases:
        for m in case.result.matches.values():
            for a in m.allocations:
                used[id(a.payment)] = used.get(id(a.payment), 0) + 1
    assert len(used) == 12 and set(used.values()) == {1}


def test_card_bill_against_card_repayments(tmp_path: Path) -> None:
    """A card bill lists the repayments the bank credited; a card repayment before the bill date that it does not
    list is not credited; one after the bill date belongs to the next bill."""
    bank = tmp_path / "bank.csv"
    bank.write_text(
        "交易日期,交易时间,摘要,交易金额,余额,对方户名\n"
        "2025-01-28,2025-01-28 10:00:00,信用卡还款,-3000.00,5000.00,某某银行信用卡中心\n"
        "2025-02-10,2025-02-10 10:00:00,信用卡还款,-500.00,4500.00,某某银行信用卡中心\n"
        "2025-02-20,2025-02-20 10:00:00,信用卡还款,-200.00,4300.00,某某银行信用卡中心\n"
        "2025-02-21,2025-02-21 10:00:00,消费,-20.00,4280.00,超市\n",
        encoding="utf-8",
    )
    doc = json.loads(
        run("check", str(FIXTURES / "statements/card-bill-ruled.pdf"), str(bank), "--json", "-").stdout
    )
    assert [(f["code"], f["amount"]) for f in doc["findings"]] == [("not-credited", "500.00")]
    assert doc["loans"][0]["payments"] == 3


def test_a_payment_after_the_statement_date_does_not_make_it_wrong() -> None:
    start = date(2024, 1, 10)
    stmt = _statement(6, D("1000.00"), 4, start)
    assert stmt.statement is not None
    issued = replace_statement_as_of(stmt, date(2024, 6, 15))
    fifth = stmt.statement.installments[4]
    assert fifth.due_date is not None
    late = (fifth.due_date - start).days + 20  # paid after the statement was issued
    early = [((i.due_date - start).days) for i in stmt.statement.installments[:4] if i.due_date]
    result = reconcile([issued, _payments([(D("1000.00"), d) for d in [*early, late]], start)], Config())
    assert not [f for f in result.findings if f.code == "already-paid"]


def replace_statement_as_of(ex: Extraction, day: date) -> Extraction:
    from dataclasses import replace

    assert ex.statement is not None
    return replace(ex, statement=replace(ex.statement, as_of=day))
