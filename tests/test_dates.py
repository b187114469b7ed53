from __future__ import annotations

import contextlib
from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reconcile.dates import CST, from_excel_serial, parse_date, parse_datetime, parse_time
from reconcile.errors import ParseError


@pytest.mark.parametrize(
    "text",
    [
        "2024-01-10",
        "2024/1/10",
        "2024.01.10",
        "20240110",
        "2024年1月10日",
        "2024年01月10日",
        "[2024-01-10]",
        "２０２４－０１－１０",
        "2024-01-10 23:59:59",
    ],
)
def test_parse_date(text: str) -> None:
    assert parse_date(text) == date(2024, 1, 10)


@pytest.mark.parametrize(
    ("text", "expected", "has_time"),
    [
        ("2024-01-10 12:30:05", datetime(2024, 1, 10, 12, 30, 5, tzinfo=CST), True),
        ("2024/12/03  14:06:51", datetime(2024, 12, 3, 14, 6, 51, tzinfo=CST), True),
        ("2024-01-1012:30:00", datetime(2024, 1, 10, 12, 30, tzinfo=CST), True),
        ("20240110 123005", datetime(2024, 1, 10, 12, 30, 5, tzinfo=CST), True),
        ("2024年1月10日 12时30分", datetime(2024, 1, 10, 12, 30, tzinfo=CST), True),
        ("2024-01-10T08:00", datetime(2024, 1, 10, 8, 0, tzinfo=CST), True),
        ("2024/1/10", datetime(2024, 1, 10, tzinfo=CST), False),
    ],
)
def test_parse_datetime(text: str, expected: datetime, has_time: bool) -> None:
    assert parse_datetime(text) == (expected, has_time)


@pytest.mark.parametrize(
    "text", ["", "abc", "2024-02-30", "2024-13-01", "2024-01-10 25:00:00", "10/01/2024", "2024-01-10x"]
)
def test_parse_datetime_rejects(text: str) -> None:
    with pytest.raises(ParseError):
        parse_datetime(text)


def test_excel_serials() -> None:
    assert from_excel_serial(45301) == datetime(2024, 1, 10, tzinfo=CST)
    assert from_excel_serial(45301.5) == datetime(2024, 1, 10, 12, tzinfo=CST)
    assert from_excel_serial("46234.97545") == datetime(2026, 7, 31, 23, 24, 39, tzinfo=CST)
    assert from_excel_serial(0.5 + 1462, date1904=True) == datetime(1908, 1, 2, 12, tzinfo=CST)
    with pytest.raises(ParseError):
        from_excel_serial("x")
    with pytest.raises(ParseError):
        from_excel_serial(-1)


def test_parse_time() -> None:
    assert parse_time("18:53:19").hour == 18
    assert parse_time("095301").second == 1


@given(st.datetimes(min_value=datetime(1950, 1, 1), max_value=datetime(2100, 1, 1)))
def test_datetime_round_trip(value: datetime) -> None:
    value = value.replace(microsecond=0)
    assert parse_datetime(value.strftime("%Y-%m-%d %H:%M:%S")) == (value.replace(tzinfo=CST), True)
    assert parse_datetime(value.strftime("%Y年%m月%d日")) == (
        value.replace(hour=0, minute=0, second=0, tzinfo=CST),
        False,
    )


@given(st.text(max_size=25))
def test_parse_datetime_raises_only_parse_error(text: str) -> None:
    with contextlib.suppress(ParseError):
        parse_datetime(text)
