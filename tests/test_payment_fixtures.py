"""Golden tests over every payment fixture we generate, plus the behaviours each layout must show."""

from __future__ import annotations

import hashlib
from decimal import Decimal
from pathlib import Path

import pytest

from reconcile import extract
from reconcile.errors import BadFile, NeedsPassword, WrongPassword
from reconcile.model import Direction, PaymentKind, Product
from reconcile.report.extract import extraction_json

from .conftest import FIXTURES, check_golden

PAYMENT_FILES = sorted(
    p for p in (FIXTURES / "payments").rglob("*") if p.suffix in (".csv", ".xlsx", ".xls", ".pdf", ".zip")
)
PASSWORDS = ["123456", "654321"]


@pytest.mark.parametrize("path", PAYMENT_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_golden(path: Path, update_golden: bool) -> None:
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    extractions = extract(path, passwords=PASSWORDS)
    doc = [extraction_json(ex) for ex in extractions]
    check_golden(path.with_name(path.name + ".expected.json"), doc, update_golden)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before  # inputs are never modified


def _one(rel: str) -> list:  # type: ignore[type-arg]
    (ex,) = extract(FIXTURES / "payments" / rel, passwords=PASSWORDS)
    return list(ex.payments)


@pytest.mark.parametrize(
    "rel",
    [
        "wechat/wechat-2024.csv",
        "wechat/wechat-2024-bom.csv",
        "wechat/wechat-v1.xlsx",
        "wechat/wechat-v2.xlsx",
        "wechat/wechat-zipcrypto.zip",
    ],
)
def test_wechat_generations_agree(rel: str) -> None:
    rows = _one(rel)
    assert [(p.amount, p.direction, p.kind, p.settled) for p in rows] == [
        (p.amount, p.direction, p.kind, p.settled) for p in _one("wechat/wechat-2024.csv")
    ]
    walmart = rows[1]
    assert walmart.counterparty == "WALMART HONG KONG CO.,LIMITED" and walmart.amount == Decimal("88.20")
    full, refund = rows[2], rows[3]
    assert full.refunded == Decimal("59.00") and full.settled and full.kind is PaymentKind.PAYMENT
    assert refund.kind is PaymentKind.REFUND and refund.refund_of == full.transaction_id
    assert rows[4].refunded == Decimal("20.00")
    failed, retried = rows[9], rows[10]
    assert failed.settled is False and retried.settled and retried.product is Product.WEILIDAI
    assert rows[1].timestamp.isoformat() == "2025-03-20T19:45:03+08:00"  # an Excel serial in v2


def test_wechat_v2_is_recognised_by_its_numeric_amounts() -> None:
    (ex,) = extract(FIXTURES / "payments/wechat/wechat-v2.xlsx")
    assert ex.metadata["layout"].startswith("XLSX v2") and ex.metadata["header_row"] == "18"
    (v1,) = extract(FIXTURES / "payments/wechat/wechat-v1.xlsx")
    assert v1.metadata["layout"].startswith("XLSX v1") and v1.metadata["header_row"] == "17"
    assert all(c.ok for c in ex.checks)


def test_jd_baitiao_and_refund_inside_amount() -> None:
    rows = _one("jd/jd-2025-01.csv")
    assert rows[0].kind is PaymentKind.REPAYMENT and rows[0].product is Product.BAITIAO
    assert rows[0].billing_period == "2025-01"
    assert (rows[1].amount, rows[1].refunded, rows[1].product) == (
        Decimal("299.00"),
        Decimal("100.00"),
        Product.BAITIAO,
    )
    (ex,) = extract(FIXTURES / "payments/jd/jd-2025-01.csv")
    assert all(c.ok for c in ex.checks), [c.message for c in ex.checks]


@pytest.mark.parametrize(
    ("rel", "extractor"),
    [
        ("bank/cmb-debit.csv", "cmb-debit"),
        ("bank/icbc-debit-v2.csv", "icbc-debit"),
        ("bank/abc-debit.csv", "abc-debit"),
        ("bank/bocom-debit.csv", "bocom-debit"),
        ("bank/ccb-debit.xls", "ccb-debit"),
        ("bank/other-bank.csv", "bank"),
        ("bank/other-bank.xlsx", "bank"),
    ],
)
def test_bank_layouts_read_the_same_movements(rel: str, extractor: str) -> None:
    (ex,) = extract(FIXTURES / "payments" / rel)
    assert ex.extractor == extractor
    rows = sorted(
        ex.payments, key=lambda p: (p.timestamp.date(), p.source.row if extractor != "icbc-debit" else 0)
    )
    signed = sorted(p.signed_amount for p in rows)
    assert signed == sorted(
        Decimal(x) for x in ["8500.00", "-883.33", "-1234.56", "-45.00", "-883.33", "-883.33", "0.52"]
    )
    balance = [c for c in ex.checks if c.code == "running-balance"]
    assert balance and all(c.ok for c in balance)
    loans = [p for p in rows if p.kind is PaymentKind.REPAYMENT and p.product is Product.BANK_LOAN]
    assert len(loans) == 3
    huabei = [p for p in rows if p.product is Product.HUABEI]
    assert len(huabei) == 1 and huabei[0].kind is PaymentKind.REPAYMENT


def test_missing_row_breaks_the_running_balance() -> None:
    (ex,) = extract(FIXTURES / "payments/bank/cmb-debit-missing-row.csv")
    breaks = [c for c in ex.checks if c.code == "running-balance" and not c.ok and c.evidence]
    assert len(breaks) == 1
    assert (breaks[0].expected, breaks[0].actual) == (Decimal("6698.78"), Decimal("6653.78"))
    assert [e.row for e in breaks[0].evidence] == [4, 5]


def test_credit_card_dates_take_the_year_from_the_title() -> None:
    rows = _one("bank/cmb-credit.csv")
    assert [p.timestamp.date().isoformat() for p in rows] == [
        "2024-12-18",
        "2024-12-20",
        "2024-12-28",
        "2025-01-03",
    ]
    assert rows[0].kind is PaymentKind.REPAYMENT and rows[0].direction is Direction.IN
    assert rows[1].direction is Direction.OUT and rows[3].amount == Decimal("1280.00")


def test_kangxi_radicals_are_normalised() -> None:
    (ex,) = extract(FIXTURES / "payments/bank/abc-debit.csv")
    assert ex.extractor == "abc-debit" and len(ex.payments) == 7


@pytest.mark.parametrize(
    ("rel", "where", "needle"),
    [
        ("bad/wechat-truncated.csv", "line 28", "fields"),
        ("bad/bank-bad-amount.csv", "line 5", "not an amount"),
        ("bad/alipay-truncated.csv", "line 35", "truncated"),
    ],
)
def test_bad_rows_name_the_row(rel: str, where: str, needle: str) -> None:
    with pytest.raises(BadFile) as info:
        extract(FIXTURES / rel)
    assert info.value.where == where and needle in str(info.value)


def test_header_only_export_gives_no_records_and_a_count_warning() -> None:
    (ex,) = extract(FIXTURES / "bad/alipay-header-only.csv")
    assert ex.payments == ()


def test_zip_passwords() -> None:
    path = FIXTURES / "payments/wechat/wechat-zipcrypto.zip"
    with pytest.raises(NeedsPassword):
        extract(path)
    with pytest.raises(WrongPassword):
        extract(path, passwords=["111111"])


def test_time_column_holding_a_full_datetime(tmp_path: Path) -> None:
    path = tmp_path / "bank.csv"
    path.write_text(
        "交易日期,交易时间,摘要,交易金额,余额,对方户名\n"
        "2024-01-02,2024-01-02 09:12:30,工资,8500.00,9700.00,某某公司\n"
        "2024-01-10,2024-01-10 06:00:01,贷款还款,-883.33,8816.67,个人消费贷款\n",
        encoding="utf-8",
    )
    (ex,) = extract(path)
    assert [p.timestamp.isoformat() for p in ex.payments] == [
        "2024-01-02T09:12:30+08:00",
        "2024-01-10T06:00:01+08:00",
    ]
    assert all(c.ok for c in ex.checks)


def test_ids_a_spreadsheet_rounded_are_left_out_and_never_link_refunds() -> None:
    """Every WeChat transaction id of a re-saved CSV reads 4.20000E+27: kept, each refund would be linked to the
    first payment of the file. They are left out with a warning; refunds link by merchant order instead."""
    (ex,) = extract(FIXTURES / "payments/wechat/wechat-spreadsheet-resaved.csv")
    rows = ex.payments
    assert [n.code for n in ex.notices] == ["excel-resaved", "ids-rounded"]
    rounded = ex.notices[1]
    assert rounded.where == "line 18" and "11 rows" in rounded.message and "4.20000E+27" in rounded.message
    assert all(p.transaction_id == "" for p in rows)
    assert "4.20000E+27" in rows[0].source.text  # the evidence keeps what the file says
    refunds = [p for p in rows if p.kind is PaymentKind.REFUND]
    assert [p.refund_of for p in refunds] == ["SX20250315120045", "JD20250312091000"]
    original = _one("wechat/wechat-2024.csv")
    assert [(p.amount, p.direction, p.kind, p.settled, p.refunded) for p in rows] == [
        (p.amount, p.direction, p.kind, p.settled, p.refunded) for p in original
    ]
    assert rows[0].timestamp.isoformat() == "2025-03-28T10:02:00+08:00"


def test_jd_ids_a_spreadsheet_rounded(tmp_path: Path) -> None:
    text = (FIXTURES / "payments/jd/jd-2025-01.csv").read_text(encoding="utf-8-sig")
    text = text.replace("312233445566\t,1000345234234223\t", "3.12233E+11,1.00035E+15")
    path = tmp_path / "京东交易流水.csv"
    path.write_text(text, encoding="utf-8-sig")
    (ex,) = extract(path)
    rounded = [n for n in ex.notices if n.code == "ids-rounded"]
    assert (
        len(rounded) == 1 and "2 rows" in rounded[0].message and "(such as 3.12233E+11)" in rounded[0].message
    )
    assert [p.transaction_id for p in ex.payments[1:3]] == ["", ""]
    assert [p.merchant_order_id for p in ex.payments[1:3]] == ["", ""]
    assert not any(n.code == "excel-resaved" for n in ex.notices)  # its times still have seconds


@pytest.mark.parametrize(
    ("text", "rounded"),
    [
        ("4.20000E+27", True),
        ("2.02405E+21", True),
        ("4.2000027312025E+027", True),
        ("1E+15", True),
        ("4200002731202503280000000011", False),
        ("M2024E+5", False),
        ("3E8", False),
        ("E+", False),
        ("2024041022001100040099_2024041200001", False),
    ],
)
def test_what_counts_as_a_rounded_id(text: str, rounded: bool) -> None:
    from reconcile.payments.common import rounded_by_spreadsheet

    assert rounded_by_spreadsheet(text) is rounded
