from __future__ import annotations

import io
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reconcile.errors import ParseError
from reconcile.money import (
    decimal_from_cell,
    format_amount,
    parse_amount,
    parse_amount_with_refund,
    parse_cn_amount,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("¥1,234.50", "1234.50"),
        ("￥1,234.50", "1234.50"),
        ("1,234.50元", "1234.50"),
        ("CNY 12.00", "12.00"),
        ("CNY13.50", "13.50"),
        ("-8,633.33", "-8633.33"),
        ("(25.00)", "-25.00"),
        ("+10000.00", "10000.00"),
        ("１２３.４５", "123.45"),
        ("￥１，２３４．５０", "1234.50"),
        ("131.77(已退款89.84)", "131.77"),
        ("-3.90(CN)", "-3.90"),
        ("  274.66\t", "274.66"),
        ("27", "27.00"),
        ("0.125", "0.125"),
        ("1.00-", "-1.00"),
        ("人民币壹万贰仟元整", "12000.00"),
        ("¥-5.00", "-5.00"),
    ],
)
def test_parse_amount(text: str, expected: str) -> None:
    value = parse_amount(text)
    assert isinstance(value, Decimal)
    assert value == Decimal(expected)
    assert format_amount(value) == expected


@pytest.mark.parametrize(
    "text", ["", "  ", "abc", "1.2.3", "12,34", "1e5", "NaN", "Infinity", "¥", "--5", "JPY 100"]
)
def test_parse_amount_rejects(text: str) -> None:
    with pytest.raises(ParseError):
        parse_amount(text)


def test_refund_inside_amount() -> None:
    assert parse_amount_with_refund("131.77(已退款89.84)") == (Decimal("131.77"), Decimal("89.84"))
    assert parse_amount_with_refund("59.00(已全额退款)") == (Decimal("59.00"), Decimal("59.00"))
    assert parse_amount_with_refund("59.00") == (Decimal("59.00"), None)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("人民币壹万贰仟元整", "12000"),
        ("壹万贰仟叁佰肆拾伍元陆角柒分", "12345.67"),
        ("人民币（大写）伍仟元整", "5000"),
        ("壹亿零伍佰万元整", "105000000"),
        ("贰拾元零伍分", "20.05"),
        ("拾元", "10"),
        ("壹佰零捌元", "108"),
        ("叁角", "0.30"),
        ("玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分", "99999999.99"),
    ],
)
def test_chinese_capital_numerals(text: str, expected: str) -> None:
    assert parse_cn_amount(text) == Decimal(expected)


def test_xlsx_cells_stay_exact(tmp_path: object) -> None:
    """A money cell written to XLSX and read back through the sheet reader keeps its exact decimal value."""
    import openpyxl
    from python_calamine import CalamineWorkbook

    values = ["274.66", "0.10", "0.20", "1083.33", "8383.33", "99999999.99", "0.01", "12345678.91"]
    wb = openpyxl.Workbook()
    ws = wb.active
    for v in values:
        ws.append([float(v)])  # how real exports store them: binary doubles in the XML
    buf = io.BytesIO()
    wb.save(buf)
    rows = CalamineWorkbook.from_filelike(io.BytesIO(buf.getvalue())).get_sheet_by_index(0).to_python()
    read = [decimal_from_cell(r[0]) for r in rows]
    assert read == [Decimal(v) for v in values]
    assert sum(read) == sum(Decimal(v) for v in values)  # no 0.30000000000000004
    ws2 = openpyxl.load_workbook(io.BytesIO(buf.getvalue())).active
    assert [decimal_from_cell(c.value) for (c,) in ws2.iter_rows()] == [Decimal(v) for v in values]


def test_money_module_never_uses_float() -> None:
    import inspect

    import reconcile.money as money

    source = inspect.getsource(money)
    assert "float(" not in source.replace('float("inf")', "").replace('float("-inf")', "")


@given(
    st.decimals(
        min_value=Decimal("-9999999999.99"),
        max_value=Decimal("9999999999.99"),
        places=2,
        allow_nan=False,
        allow_infinity=False,
    )
)
def test_format_parse_round_trip(value: Decimal) -> None:
    text = format_amount(value)
    assert parse_amount(text) == value
    assert parse_amount(f"¥{value:,.2f}") == value
    assert parse_amount(f"{value:,.2f}元") == value


def test_amounts_beyond_ten_billion_are_refused() -> None:
    with pytest.raises(ParseError, match="out of range"):
        parse_amount("10,000,000,000.00")
    assert parse_amount("9,999,999,999.99") == Decimal("9999999999.99")


@given(st.text(max_size=30))
def test_parse_amount_raises_only_parse_error(text: str) -> None:
    try:
        result = parse_amount(text)
    except ParseError:
        return
    assert isinstance(result, Decimal)
    assert result.is_finite()
