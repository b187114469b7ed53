from __future__ import annotations

import dataclasses
import json
from datetime import date, datetime
from decimal import Decimal

import pytest

from reconcile.dates import CST
from reconcile.jsonable import to_json
from reconcile.model import (
    Charge,
    CreditedRepayment,
    DeclaredTotal,
    Direction,
    Extraction,
    Finding,
    Installment,
    LoanTerms,
    Payment,
    PaymentKind,
    PenaltyRule,
    Product,
    Rate,
    RateUnit,
    RepaymentMethod,
    Result,
    Role,
    SelfCheck,
    Severity,
    SourceRef,
    Statement,
)

REF = SourceRef(
    path="plan.pdf", sha256="ab" * 32, page=2, row=7, text="3/12 2024-04-10 1000.00 83.33 1083.33"
)
SHEET_REF = SourceRef(path="wx.xlsx", sha256="cd" * 32, sheet="Sheet1", row=19, text="...")


def _statement() -> Statement:
    rate = Rate(value=Decimal("0.0003"), unit=RateUnit.DAILY, basis=360, text="日利率0.03%")
    terms = LoanTerms(
        lender="重庆蚂蚁消费金融有限公司",
        product=Product.JIEBEI,
        loan_id="JB2024",
        principal=Decimal("12000.00"),
        start_date=date(2024, 1, 10),
        periods=12,
        method=RepaymentMethod.EQUAL_PRINCIPAL,
        rate=rate,
        rates=(rate,),
        penalty=PenaltyRule(multiplier=Decimal("1.5"), text="按日利率上浮50%"),
        due_day=10,
        sources=(REF,),
    )
    inst = Installment(
        period=3,
        of_periods=12,
        due_date=date(2024, 4, 10),
        principal=Decimal("1000.00"),
        interest=Decimal("83.33"),
        total=Decimal("1083.33"),
        status="逾期",
        source=REF,
    )
    return Statement(
        terms=terms,
        installments=(inst,),
        charges=(
            Charge(
                kind="fee",
                description="账户管理费",
                amount=Decimal("200.00"),
                date=date(2025, 8, 5),
                source=REF,
            ),
        ),
        repayments=(CreditedRepayment(amount=Decimal("8383.33"), date=date(2025, 6, 10), source=REF),),
        declared_totals=(
            DeclaredTotal(name="overdue", label="当前逾期金额", value=Decimal("1083.33"), source=REF),
        ),
        as_of=date(2024, 5, 1),
        checks=(SelfCheck(code="row-arithmetic", ok=True, message="ok"),),
        sources=(REF,),
    )


def test_records_are_frozen() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        REF.row = 3  # type: ignore[misc]


def test_statement_json_is_plain() -> None:
    doc = to_json(_statement())
    json.dumps(doc)  # plain JSON types only
    inst = doc["installments"][0]
    assert inst["total"] == "1083.33"
    assert inst["due_date"] == "2024-04-10"
    assert inst["penalty"] is None
    assert inst["source"] == {
        "path": "plan.pdf",
        "sha256": "ab" * 32,
        "page": 2,
        "row": 7,
        "text": "3/12 2024-04-10 1000.00 83.33 1083.33",
    }
    assert doc["terms"]["rate"]["value"] == "0.0003"
    assert doc["terms"]["method"] == "equal-principal"
    assert doc["terms"]["penalty"]["multiplier"] == "1.5"


def test_payment_and_finding_json() -> None:
    p = Payment(
        timestamp=datetime(2024, 4, 10, 9, 20, 31, tzinfo=CST),
        amount=Decimal("883.33"),
        direction=Direction.NEUTRAL,
        kind=PaymentKind.REPAYMENT,
        status="还款成功",
        settled=True,
        product=Product.JIEBEI,
        billing_period="2024-04",
        source=SHEET_REF,
    )
    doc = to_json(p)
    assert doc["timestamp"] == "2024-04-10T09:20:31+08:00"
    assert doc["amount"] == "883.33"
    assert doc["product"] == "jiebei"
    assert doc["source"] == {
        "path": "wx.xlsx",
        "sha256": "cd" * 32,
        "sheet": "Sheet1",
        "row": 19,
        "text": "...",
    }
    f = Finding(
        code="already-paid",
        severity=Severity.HIGH,
        amount=Decimal("883.33"),
        message_zh="已还",
        message_en="paid",
        evidence=(REF, SHEET_REF),
        installment=4,
        expected=Decimal("0.00"),
        actual=Decimal("883.33"),
    )
    fj = to_json(f)
    assert fj["amount"] == "883.33" and fj["severity"] == "high" and fj["installment"] == 4
    assert [e.get("page") for e in fj["evidence"]] == [2, None]
    ex = Extraction(
        path="wx.xlsx", sha256="cd" * 32, extractor="wechat-xlsx", role=Role.PAYMENTS, payments=(p,)
    )
    result = Result(inputs=(ex,), findings=(f,), as_of=date(2024, 5, 1))
    assert result.disputed == Decimal("883.33")
    rj = to_json(result)
    assert rj["inputs"][0]["role"] == "payments"
    json.dumps(rj)


def test_signed_amount() -> None:
    base = dict(
        timestamp=datetime(2024, 1, 1, tzinfo=CST),
        amount=Decimal("5.00"),
        kind=PaymentKind.PAYMENT,
        status="交易成功",
        settled=True,
        source=REF,
    )
    assert Payment(direction=Direction.OUT, **base).signed_amount == Decimal("-5.00")  # type: ignore[arg-type]
    assert Payment(direction=Direction.IN, **base).signed_amount == Decimal("5.00")  # type: ignore[arg-type]


def test_source_where() -> None:
    assert REF.where() == "page 2, row 7"
    assert SHEET_REF.where() == "sheet Sheet1, row 19"
    assert SourceRef(path="a.csv", sha256="", row=25).where() == "line 25"
