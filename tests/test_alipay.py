from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from reconcile import extract
from reconcile.errors import NeedsPassword, WrongPassword
from reconcile.model import Direction, PaymentKind, Product

from .conftest import FIXTURES

ALIPAY = sorted((FIXTURES / "payments/alipay").glob("*.csv"))
#: The re-saved file's ids were rounded by the spreadsheet (see `test_excel_resaved_file_is_recognised`).
WITH_IDS = [p for p in ALIPAY if "excel-resaved" not in p.name]


@pytest.mark.parametrize("path", WITH_IDS, ids=lambda p: p.name)
def test_every_generation_reads_the_same_payments(path: Path) -> None:
    (ex,) = extract(path)
    assert len(ex.payments) == 11
    by_id = {p.transaction_id: p for p in ex.payments}
    failed = by_id["2024041022001100040001"]
    assert failed.settled is False and failed.status == "还款失败" and failed.kind is PaymentKind.REPAYMENT
    retried = by_id["2024041022001100040002"]
    assert retried.settled and retried.amount == Decimal("883.33") and retried.product is Product.JIEBEI
    huabei = by_id["2024050822001100048001"]
    assert huabei.product is Product.HUABEI and huabei.billing_period == "2024-05"
    refund = by_id["2024041022001100040099_2024041200001"]
    assert refund.kind is PaymentKind.REFUND and refund.refund_of == "2024041022001100040099"
    closed = by_id["2024041522001100041500"]
    assert closed.settled is False
    income = by_id["2024040322001100030003"]
    assert income.direction is Direction.IN
    assert {p.source.sha256 for p in ex.payments} == {ex.sha256}


def test_generation_a_records_the_refunded_amount_on_the_original() -> None:
    (ex,) = extract(FIXTURES / "payments/alipay/alipay-a.csv")
    original = next(p for p in ex.payments if p.transaction_id == "2024041022001100040099")
    assert original.refunded == Decimal("199.00")
    assert ex.metadata["layout"].startswith("A")


def test_declared_totals_that_disagree_are_reported_with_both_numbers() -> None:
    (ex,) = extract(FIXTURES / "payments/alipay/alipay-declared-mismatch.csv")
    bad = [c for c in ex.checks if not c.ok]
    assert {c.code for c in bad} == {"record-count", "declared-total"}
    count = next(c for c in bad if c.code == "record-count")
    assert (count.expected, count.actual) == (Decimal(12), Decimal(11))
    assert any("12" in n.message and "11" in n.message for n in ex.notices)


def test_consistent_file_passes_its_own_checks() -> None:
    (ex,) = extract(FIXTURES / "payments/alipay/alipay-c-2026.csv")
    assert ex.checks and all(c.ok for c in ex.checks)
    assert ex.notices == ()
    assert ex.metadata["name"] == "李晓梅" and ex.metadata["period_start"] == "2024-03-01 00:00:00"


def test_excel_resaved_file_is_recognised() -> None:
    (ex,) = extract(FIXTURES / "payments/alipay/alipay-excel-resaved.csv")
    assert [n.code for n in ex.notices] == ["excel-resaved", "ids-rounded"]
    assert all(not p.time_known or p.timestamp.second == 0 for p in ex.payments)
    (original,) = extract(FIXTURES / "payments/alipay/alipay-c-2026.csv")
    assert [(p.amount, p.direction, p.kind, p.settled, p.product) for p in ex.payments] == [
        (p.amount, p.direction, p.kind, p.settled, p.product) for p in original.payments
    ]
    # the first two rows kept their ids; the others read 2.0240xE+21 and are left out
    assert [p.transaction_id for p in ex.payments[:2]] == [p.transaction_id for p in original.payments[:2]]
    assert ex.notices[1].where == "line 27" and "(such as 2.02405E+21)" in ex.notices[1].message
    refund = next(p for p in ex.payments if p.kind is PaymentKind.REFUND)
    assert refund.transaction_id == "2024041022001100040099_2024041200001"  # not all digits: kept
    assert refund.refund_of == "E20240410001"  # the original's id is gone: linked by its merchant order


@pytest.mark.parametrize("name", ["alipay-aes.zip", "alipay-zipcrypto.zip"])
def test_password_zip(name: str) -> None:
    path = FIXTURES / "payments/alipay" / name
    (ex,) = extract(path, passwords=["123456"])
    assert ex.path == f"{path}!支付宝交易明细(20240301-20240531).csv"
    (plain,) = extract(FIXTURES / "payments/alipay/alipay-c-2026.csv")
    assert ex.sha256 == plain.sha256
    assert [p.amount for p in ex.payments] == [p.amount for p in plain.payments]
    with pytest.raises(NeedsPassword):
        extract(path)
    with pytest.raises(WrongPassword):
        extract(path, passwords=["000000"])
    (again,) = extract(path, passwords=["000000", "123456"])  # several passwords may be tried
    assert again.sha256 == plain.sha256
