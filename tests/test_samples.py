"""Every payment export in ../shared/samples (real layouts from public projects) reads with the record count
PROVENANCE.md lists, and a few rows per file come out exact."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

from reconcile import extract
from reconcile.model import Direction, PaymentKind, Product

from .conftest import SAMPLES, needs_samples

pytestmark = needs_samples


def _listed() -> dict[str, int]:
    """`example/...` path -> data rows, from the deg table in PROVENANCE.md."""
    if not SAMPLES.exists():
        return {}
    text = (SAMPLES / "PROVENANCE.md").read_text(encoding="utf-8")
    out = {}
    for m in re.finditer(r"^\| `(example/[^`]+)` \|[^|]*\| (\d+)", text, flags=re.M):
        out[m.group(1)] = int(m.group(2))
    return out


LISTED = _listed()

# (file, row index in file order) -> (extractor, amount, direction, extra checks)
SPOT = {
    "example/alipay/example-alipay-records.csv": [
        (0, "alipay", "49.74", Direction.OUT),
        (4, "alipay", "222228.50", Direction.IN),
        (6, "alipay", "50.00", Direction.NEUTRAL),
    ],
    "example/wechat/example-wechat-records.csv": [
        (0, "wechat", "28.16", Direction.OUT),
        (9, "wechat", "548.58", Direction.NEUTRAL),
        (26, "wechat", "0.01", Direction.OUT),
    ],
    "example/wechat/example-wechat-records.xlsx": [
        (0, "wechat", "28.16", Direction.OUT),
        (10, "wechat", "10000.00", Direction.NEUTRAL),
    ],
    "example/jd/example-jd-records.csv": [
        (0, "jd", "10.20", Direction.OUT),
        (3, "jd", "131.77", Direction.OUT),
    ],
    "example/cmb/credit/example-cmb-records.csv": [
        (1, "cmb-credit", "345.67", Direction.IN),
        (5, "cmb-credit", "8000.00", Direction.OUT),
    ],
    "example/cmb/debit/example-cmb-records.csv": [
        (0, "cmb-debit", "1234.00", Direction.IN),
        (1, "cmb-debit", "1000.00", Direction.OUT),
    ],
    "example/icbc/credit/example-icbc-credit-records.csv": [(0, "icbc-credit", "0.01", Direction.OUT)],
    "example/icbc/debit-v1/example-icbc-debit-v1-records.csv": [
        (0, "icbc-debit", "13.40", Direction.OUT),
        (2, "icbc-debit", "1234.56", Direction.IN),
    ],
    "example/icbc/debit-v2/example-icbc-debit-v2-records.csv": [(0, "icbc-debit", "13.40", Direction.OUT)],
    "example/ccb/交易明细_xxxx_2025xxxx_2025xxxx.xls": [
        (0, "ccb-debit", "67.00", Direction.OUT),
        (1, "ccb-debit", "16.78", Direction.OUT),
    ],
    "example/citic/credit/example-citic-records.xls": [
        (0, "citic-credit", "5.90", Direction.OUT),
        (9, "citic-credit", "1.21", Direction.IN),
    ],
    "example/spdb_debit/example-spdb_debit-records.xls": [
        (0, "spdb-debit", "3.88", Direction.OUT),
        (1, "spdb-debit", "10.00", Direction.IN),
    ],
    "example/boc/credit/example-boc-records.csv": [
        (0, "boc-credit", "50.00", Direction.OUT),
        (3, "boc-credit", "361.19", Direction.IN),
    ],
    "example/bocom_debit/example-bocom_debit-records.csv": [
        (0, "bocom-debit", "1.23", Direction.IN),
        (1, "bocom-debit", "3.21", Direction.OUT),
    ],
    "example/bocom_credit/example-bocom_credit-records.csv": [
        (2, "bocom-credit", "666.60", Direction.IN),
        (7, "bocom-credit", "49.85", Direction.OUT),
    ],
    "example/abc_debit/example-abc_debit-records.csv": [
        (0, "abc-debit", "10000.00", Direction.IN),
        (2, "abc-debit", "12345.89", Direction.OUT),
    ],
    "example/cgb_credit/example-cgb_credit-records.csv": [
        (1, "cgb-credit", "97.20", Direction.IN),
        (3, "cgb-credit", "1130.68", Direction.IN),
    ],
}


def test_provenance_lists_the_payment_exports() -> None:
    assert len(LISTED) >= 17
    assert set(SPOT) <= set(LISTED)


@pytest.mark.parametrize("rel", sorted(LISTED), ids=lambda r: Path(r).name)
def test_record_count_matches_provenance(rel: str) -> None:
    path = SAMPLES / "deg" / rel
    extractions = extract(path)
    assert sum(len(ex.payments) for ex in extractions) == LISTED[rel]
    for ex in extractions:
        for p in ex.payments:
            assert p.source.sha256 == ex.sha256 and p.source.row and p.source.text
            assert p.amount >= 0 and p.amount.as_tuple().exponent == -2


@pytest.mark.parametrize("rel", sorted(SPOT), ids=lambda r: Path(r).name)
def test_spot_amounts(rel: str) -> None:
    (ex,) = extract(SAMPLES / "deg" / rel)
    for index, extractor, amount, direction in SPOT[rel]:
        p = ex.payments[index]
        assert ex.extractor == extractor
        assert (p.amount, p.direction) == (Decimal(amount), direction), (index, p.source.text)


def test_loan_and_card_repayments_are_recognised() -> None:
    (abc,) = extract(SAMPLES / "deg/example/abc_debit/example-abc_debit-records.csv")
    loan = abc.payments[2]
    assert loan.kind is PaymentKind.REPAYMENT and loan.product is Product.BANK_LOAN
    assert loan.counterparty_account == "12341234123412341"
    (icbc,) = extract(SAMPLES / "deg/example/icbc/debit-v1/example-icbc-debit-v1-records.csv")
    auto = icbc.payments[1]
    assert auto.kind is PaymentKind.REPAYMENT and auto.description == "自动还款"
    (cmb,) = extract(SAMPLES / "deg/example/cmb/credit/example-cmb-records.csv")
    assert [p.kind for p in cmb.payments[:3]] == [PaymentKind.REPAYMENT] * 3
    assert cmb.payments[0].timestamp.date().isoformat() == "2023-12-29"  # MM/DD, year from the title
    assert cmb.payments[3].timestamp.date().isoformat() == "2024-01-02"
    (wechat,) = extract(SAMPLES / "deg/example/wechat/example-wechat-records.csv")
    card = wechat.payments[9]
    assert card.kind is PaymentKind.REPAYMENT and card.product is Product.CREDIT_CARD


def test_jd_partial_refunds_inside_the_amount() -> None:
    (jd,) = extract(SAMPLES / "deg/example/jd/example-jd-records.csv")
    partial = jd.payments[3]
    assert (partial.amount, partial.refunded) == (Decimal("131.77"), Decimal("89.84"))
    full = next(p for p in jd.payments if "已全额退款" in p.source.text)
    assert full.refunded == full.amount == Decimal("468.32")
    expense = next(c for c in jd.checks if c.code == "declared-total" and "expense" in c.message)
    assert expense.ok  # JD's summary counts partly refunded payments net of the refund


def test_summary_mismatch_in_samples_is_a_warning_not_an_error() -> None:
    (ex,) = extract(SAMPLES / "deg/example/alipay/example-alipay-records.csv")
    count = next(c for c in ex.checks if c.code == "record-count")
    assert not count.ok and (count.expected, count.actual) == (Decimal(66), Decimal(10))


def _render_pdfjs(pages: list[Path], out: Path) -> None:
    """Draw pdf.js text items (text + transform, as extracted from a real, desensitised bank PDF) back onto PDF
    pages at their positions, so the PDF extractor meets the real layout: wrapped cells, footers, repeated
    headers."""
    import json

    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    c = canvas.Canvas(str(out), pagesize=(595, 842))
    for page in pages:
        for item in json.loads(page.read_text(encoding="utf-8")):
            text = item.get("str", "")
            if not text.strip():
                continue
            a, _, _, d, x, y = item["transform"]
            c.setFont("STSong-Light", max(abs(a), abs(d), 4))
            c.drawString(x, y, text)
        c.showPage()
    c.save()


def test_cmb_debit_pdf_layout_from_a_real_statement(tmp_path: Path) -> None:
    import csv

    folder = SAMPLES / "bill-file-converter/tests/adapters/cmb-debit"
    pdf = tmp_path / "cmb-debit.pdf"
    _render_pdfjs([folder / "p1.json", folder / "p2.json"], pdf)
    (ex,) = extract(pdf)
    assert ex.extractor == "cmb-debit-pdf"
    with (folder / "result.csv").open(encoding="utf-8") as fh:
        expected = list(csv.DictReader(fh))
    assert len(ex.payments) == len(expected)
    for p, row in zip(ex.payments, expected, strict=True):
        assert p.timestamp.date().isoformat() == row["记账日期"]
        assert p.signed_amount == Decimal(row["交易金额"].replace(",", ""))
        assert p.balance == Decimal(row["联机余额"].replace(",", ""))
        assert p.source.page in (1, 2) and p.source.text
        assert p.note == row["客户摘要"] and p.description == row["交易摘要"]
        party = row["对手信息"].replace(" ", "")
        assert (p.counterparty + p.counterparty_account).replace(" ", "") == party
