"""Lenders' statements: eight layouts plus a settlement certificate, golden JSON, and what each must show."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from reconcile import extract
from reconcile.errors import BadFile, NeedsPassword, WrongPassword
from reconcile.model import RateUnit, RepaymentMethod, Role
from reconcile.report.extract import extraction_json

from .conftest import FIXTURES, check_golden
from .test_cli import run

STATEMENTS = sorted(
    p for p in (FIXTURES / "statements").iterdir() if p.suffix in (".pdf", ".csv", ".xlsx", ".xls")
)
D = Decimal


def _statement(name: str, password: str | None = None):  # type: ignore[no-untyped-def]
    (ex,) = extract(FIXTURES / "statements" / name, passwords=[password] if password else [])
    assert ex.role is Role.STATEMENT and ex.statement is not None
    return ex, ex.statement


def test_at_least_eight_layouts() -> None:
    assert len(STATEMENTS) >= 9
    assert {p.suffix for p in STATEMENTS} >= {".pdf", ".csv", ".xlsx"}


@pytest.mark.parametrize("path", STATEMENTS, ids=lambda p: p.name)
def test_golden(path: Path, update_golden: bool) -> None:
    extractions = extract(path, passwords=["123456"])
    check_golden(
        path.with_name(path.name + ".expected.json"), [extraction_json(e) for e in extractions], update_golden
    )


def test_jiebei_plan_terms_and_rows() -> None:
    _, st = _statement("jiebei-plan.pdf")
    t = st.terms
    assert (t.lender, t.loan_id, t.principal, t.start_date, t.periods) == (
        "重庆蚂蚁消费金融有限公司",
        "JB20240110000123",
        D("12000.00"),
        date(2024, 1, 10),
        12,
    )
    assert t.method is RepaymentMethod.EQUAL_INSTALLMENT and t.due_day == 10 and t.product is not None
    assert {r.unit for r in t.rates} == {RateUnit.DAILY, RateUnit.ANNUAL}
    assert t.penalty is not None and t.penalty.multiplier == D("1.5")
    assert st.as_of == date(2024, 6, 20)
    assert len(st.installments) == 12 and st.installments[4].status == "逾期"
    assert (st.installments[2].period, st.installments[2].of_periods) == (3, 12)
    assert st.installments[4].penalty == D("6.36") and st.installments[4].source.page == 1
    assert all(c.ok for c in st.checks)
    assert {d.name for d in st.declared_totals} == {"overdue", "remaining"}


def test_two_row_header_with_merged_cells_and_totals_row() -> None:
    _, st = _statement("bank-equal-principal.xlsx")
    assert [i.principal for i in st.installments] == [D("5000.00")] * 12
    assert st.installments[0].interest == D("217.50") and st.installments[0].due_date == date(2024, 4, 21)
    assert st.installments[0].total == D("5217.50")
    totals = [d for d in st.declared_totals if d.name.startswith("column:")]
    assert {d.name for d in totals} >= {"column:principal", "column:interest", "column:total"}
    assert all(c.ok for c in st.checks)
    assert st.terms.method is RepaymentMethod.EQUAL_PRINCIPAL and st.terms.rate is not None


def test_huabei_installments_with_fees() -> None:
    ex, st = _statement("huabei-installments.csv")
    assert ex.metadata["encoding"] == "gb18030"
    assert all(i.fees == D("26.40") for i in st.installments) and st.installments[0].period == 1
    assert sum(i.outstanding or 0 for i in st.installments) == D("1632.00")
    remaining = next(d for d in st.declared_totals if d.name == "remaining")
    assert remaining.value == D("1632.00")
    assert all(c.ok for c in st.checks), [c.message for c in st.checks if not c.ok]


def test_english_layout_in_another_order() -> None:
    _, st = _statement("english-plan.csv")
    third = st.installments[2]
    assert (third.total, third.principal, third.penalty, third.paid, third.outstanding, third.status) == (
        D("1031.20"),
        D("1000.00"),
        D("11.20"),
        D("0.00"),
        D("1031.20"),
        "Overdue",
    )
    assert st.terms.loan_id == "ECF-2024-0042" and st.as_of == date(2024, 4, 20)


def test_pages_without_repeated_header_and_extra_rows() -> None:
    _, st = _statement("weilidai-pages.pdf")
    assert len(st.installments) == 24 and {i.source.page for i in st.installments} == {1, 2}
    assert [(c.kind, c.amount) for c in st.charges] == [("fee", D("200.00"))]
    assert [(r.amount, r.date) for r in st.repayments] == [(D("8383.33"), date(2024, 6, 10))]
    assert sum(i.principal or 0 for i in st.installments) == D("20000.00")


def test_card_bill_from_a_ruled_pdf() -> None:
    ex, st = _statement("card-bill-ruled.pdf")
    assert ex.metadata["layout"] == "card bill"
    assert [c.kind for c in st.charges] == ["purchase", "purchase", "interest", "penalty"]
    assert st.repayments[0].amount == D("3000.00") and st.repayments[0].date == date(2025, 1, 28)
    due = next(c for c in st.checks if c.code == "declared-total")
    assert due.ok and due.expected == D("1611.60")


def test_password_pdf() -> None:
    _, st = _statement("bank-plan-password.pdf", "123456")
    assert len(st.installments) == 12 and {i.source.page for i in st.installments} == {1, 2, 3}
    assert st.installments[-1].principal == D("50000.00")
    with pytest.raises(NeedsPassword):
        extract(FIXTURES / "statements/bank-plan-password.pdf")
    with pytest.raises(WrongPassword):
        extract(FIXTURES / "statements/bank-plan-password.pdf", passwords=["000000"])


def test_settlement_certificate() -> None:
    _, st = _statement("settlement.pdf")
    assert st.settled_on == date(2024, 6, 25) and st.terms.loan_id == "JB20240110000123"
    assert st.terms.lender == "重庆蚂蚁消费金融有限公司" and st.terms.principal == D("12000.00")


def test_self_check_failures_are_exposed() -> None:
    ex, st = _statement("inconsistent-plan.csv")
    bad = {(c.code, c.message.split(":")[0]) for c in st.checks if not c.ok}
    assert ("row-arithmetic", "period 2") in bad
    assert any(code == "declared-total" for code, _ in bad)
    assert any(code == "rate-consistency" for code, _ in bad)
    assert len(ex.notices) == 3


def test_extract_json_prints_terms_rows_and_checks() -> None:
    proc = run("extract", str(FIXTURES / "statements/jiebei-plan.pdf"), "--json")
    doc = json.loads(proc.stdout)["files"][0]
    assert doc["role"] == "statement" and doc["statement"]["terms"]["principal"] == "12000.00"
    assert len(doc["statement"]["installments"]) == 12 and doc["checks"]


@pytest.mark.parametrize(
    ("rel", "args", "needle"),
    [
        ("bad/scanned.pdf", [], "no extractable text"),
        ("statements/bank-plan-password.pdf", ["--password", "9"], "密码不对"),
        ("bad/plan-no-header.csv", ["--format", "statement-table"], "repayment-plan header"),
    ],
)
def test_bad_statements_exit_2_with_one_line(rel: str, args: list[str], needle: str) -> None:
    proc = run("extract", str(FIXTURES / rel), *args)
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and needle in lines[0] and "Traceback" not in proc.stderr


def test_missing_columns_are_named() -> None:
    with pytest.raises(BadFile, match="lacks"):
        extract(FIXTURES / "bad/plan-no-header.csv", format="statement-table")


def test_unit_suffixed_headers_and_written_rates() -> None:
    _, st = _statement("units-plan.csv")
    assert [i.total for i in st.installments][:2] == [D("1077.50"), D("1060.00")]
    assert st.installments[0].due_date == date(2024, 4, 5) and st.installments[2].status == "逾期"
    assert st.terms.principal == D("5000.00") and st.terms.start_date == date(2024, 3, 5)
    assert (
        st.terms.rate is not None
        and st.terms.rate.value == D("0.0005")
        and st.terms.rate.unit is RateUnit.DAILY
    )


def test_english_pdf_with_multi_word_headers() -> None:
    _, st = _statement("english-plan.pdf")
    third = st.installments[2]
    assert (third.due_date, third.penalty, third.total, third.status) == (
        date(2024, 4, 15),
        D("12.00"),
        D("1052.00"),
        "Overdue",
    )
    assert st.terms.rate is not None and st.terms.rate.value == D("0.12") and st.terms.loan_id == "EB-2024-77"
