"""The columnar Alipay path must give exactly what the line-by-line path gives, or step aside.

Every Alipay export we have (fixtures, scenarios, the shared samples) and a set of variants built here are read
both ways; the JSON of the two extractions must be identical, and the files a genuine export looks like must
really take the columnar path (so the comparison is not vacuous).
"""

from __future__ import annotations

import pickle
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reconcile.errors import BadFile
from reconcile.inputs import InputFile, read_input
from reconcile.jsonable import to_json
from reconcile.model import PaymentKind, Product
from reconcile.payments import alipay_columnar
from reconcile.payments.alipay import AlipayCsv
from reconcile.read import columnar
from reconcile.records import BLOCK, LazyRecords

from .conftest import FIXTURES, SAMPLES

PASSWORDS = ["123456", "654321", "20240601"]
REGULAR = [
    *sorted((FIXTURES / "payments/alipay").glob("alipay-[abc]*.csv")),
    FIXTURES / "payments/alipay/alipay-declared-mismatch.csv",
    *sorted((FIXTURES / "payments/alipay").glob("*.zip")),
    *sorted((FIXTURES / "scenarios").glob("*/alipay.csv")),
]
IRREGULAR = [
    FIXTURES / "payments/alipay/alipay-excel-resaved.csv",  # times without seconds
    FIXTURES / "bad/alipay-truncated.csv",
    FIXTURES / "bad/alipay-header-only.csv",
]
SAMPLE_FILES = [SAMPLES / "deg/example/alipay/example-alipay-records.csv"]


def _both(inp: InputFile, monkeypatch: pytest.MonkeyPatch) -> tuple[object, object]:
    """(columnar JSON or the error it raised, line-by-line JSON or the error it raised)."""
    monkeypatch.setenv("RECONCILE_COLUMNAR", "1")
    out = []
    for read in (AlipayCsv().extract, AlipayCsv().extract_by_lines):
        try:
            out.append(to_json(read(inp)))
        except BadFile as exc:
            out.append(("error", str(exc)))
    return out[0], out[1]


def _inputs(path: Path) -> list[InputFile]:
    return read_input(path, PASSWORDS)


@pytest.mark.parametrize("path", REGULAR, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_regular_exports_take_the_columnar_path_with_identical_records(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (inp,) = _inputs(path)
    assert alipay_columnar.read(inp, 400) is not None
    fast, slow = _both(inp, monkeypatch)
    assert fast == slow


@pytest.mark.parametrize("path", IRREGULAR, ids=lambda p: p.name)
def test_irregular_exports_fall_back_with_identical_results(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (inp,) = _inputs(path)
    assert alipay_columnar.read(inp, 400) is None
    fast, slow = _both(inp, monkeypatch)
    assert fast == slow


@pytest.mark.parametrize("path", SAMPLE_FILES, ids=lambda p: p.name)
def test_shared_samples_identical(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if not path.exists():
        pytest.skip("../shared/samples is not present")
    (inp,) = _inputs(path)
    assert alipay_columnar.read(inp, 400) is not None
    fast, slow = _both(inp, monkeypatch)
    assert fast == slow


# ------------------------------------------------------------------------------------------ variants


def _fixture_text(name: str = "alipay-c-2026.csv") -> str:
    return (FIXTURES / "payments/alipay" / name).read_bytes().decode("gb18030")


def _variant(tmp_path: Path, text: str, *, encoding: str = "gb18030", name: str = "v.csv") -> InputFile:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    (inp,) = read_input(path)
    return inp


def _data_lines(text: str) -> tuple[list[str], int]:
    lines = text.split("\n")
    header = next(i for i, ln in enumerate(lines) if ln.startswith("交易时间"))
    return lines, header


VARIANTS = {
    "crlf": lambda t: t.replace("\n", "\r\n"),
    "trailing-blank-lines": lambda t: t + "\n\n",
    "no-final-newline": lambda t: t.rstrip("\n"),
    "dash-footer": lambda t: t + "------------------------------------\n共11笔记录\n",
    "blank-line-inside": lambda t: t.replace("\n2024-05-09", "\n\n2024-05-09", 1),
    "quoted-cell": lambda t: t.replace("晚餐", '"晚餐,外卖"', 1),
    "quoted-with-doubled-quotes": lambda t: t.replace("晚餐", '"=HYPERLINK(""http://x"",""y"")"', 1),
    "quote-inside-a-cell": lambda t: t.replace("晚餐", 'a"b', 1),
    "quoted-line-break": lambda t: t.replace("晚餐", '"晚\n餐"', 1),
    "unterminated-quote": lambda t: t.replace("晚餐", '"晚餐', 1),
    "quoted-first-row": lambda t: t.replace(",借呗还款-第5期,", ',"借呗还款-第5期,补",', 1),
    "amount-without-decimals": lambda t: t.replace(",68.50,", ",68.5,", 1),
    "impossible-date": lambda t: t.replace("2024-05-09 20:01:44", "2024-02-30 20:01:44", 1),
    "unknown-direction": lambda t: t.replace(",支出,68.50,", ",出账,68.50,", 1),
    "unknown-status": lambda t: t.replace("交易成功", "处理完毕", 2),
    "short-row": lambda t: t.replace("2024-05-09 20:01:44,餐饮美食", "2024-05-09 20:01:44", 1),
    "padded-tab-and-fullwidth-space": lambda t: t.replace(",晚餐,", ",\u3000晚餐\t,", 1),
    "huabei-method": lambda t: t.replace("招商银行储蓄卡(8705)", "花呗", 3),
    "lone-cr": lambda t: t.replace("\n2024-05-09", "\r2024-05-09", 1),
    "id-rounded-by-a-spreadsheet": lambda t: t.replace("2024050922001100049812\t", "2.02405E+21", 1),
}


@pytest.mark.parametrize("name", sorted(VARIANTS))
@pytest.mark.parametrize("encoding", ["gb18030", "utf-8-sig", "utf-8"])
def test_variants_agree(name: str, encoding: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    inp = _variant(tmp_path, VARIANTS[name](_fixture_text()), encoding=encoding)
    fast, slow = _both(inp, monkeypatch)
    assert fast == slow


def test_regular_variants_really_take_the_columnar_path(tmp_path: Path) -> None:
    for name in (
        "crlf",
        "trailing-blank-lines",
        "no-final-newline",
        "dash-footer",
        "huabei-method",
        "quoted-cell",
        "quoted-with-doubled-quotes",
        "quoted-first-row",
    ):
        for encoding in ("gb18030", "utf-8-sig", "utf-8"):
            inp = _variant(tmp_path, VARIANTS[name](_fixture_text()), encoding=encoding)
            assert alipay_columnar.read(inp, 400) is not None, (name, encoding)


def test_a_rounded_id_sends_the_file_to_the_line_reader(tmp_path: Path) -> None:
    inp = _variant(tmp_path, VARIANTS["id-rounded-by-a-spreadsheet"](_fixture_text()))
    assert alipay_columnar.read(inp, 400) is None


def test_invalid_gbk_inside_a_description_falls_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    raw = _fixture_text().encode("gb18030").replace("晚餐".encode("gb18030"), b"\x81\x20", 1)
    path = tmp_path / "bad.csv"
    path.write_bytes(raw)
    (inp,) = read_input(path)
    assert alipay_columnar.read(inp, 400) is None
    fast, slow = _both(inp, monkeypatch)
    assert fast == slow


def test_an_incomplete_character_at_a_cell_end_is_caught(tmp_path: Path) -> None:
    # "\x81" then a comma: the next cell's bytes must not complete the character
    raw = (
        _fixture_text()
        .encode("gb18030")
        .replace("晚餐".encode("gb18030"), "晚".encode("gb18030") + b"\x81", 1)
    )
    path = tmp_path / "cut.csv"
    path.write_bytes(raw)
    (inp,) = read_input(path)
    assert alipay_columnar.read(inp, 400) is None


def test_generation_a_refunded_amounts_and_refund_links(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (inp,) = _inputs(FIXTURES / "payments/alipay/alipay-a.csv")
    monkeypatch.setenv("RECONCILE_COLUMNAR", "1")
    ex = AlipayCsv().extract(inp)
    assert isinstance(ex.payments, LazyRecords)
    original = next(p for p in ex.payments if p.transaction_id == "2024041022001100040099")
    assert original.refunded == Decimal("199.00")
    refund = next(p for p in ex.payments if p.kind is PaymentKind.REFUND)
    assert refund.refund_of == "2024041022001100040099"


def test_refund_linked_by_merchant_order_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = _fixture_text()
    lines, header = _data_lines(text)
    refund = (
        "2024-05-11 10:00:00,退款,杭州某某餐饮管理有限公司,/,退款-晚餐,不计收支,68.50,花呗,退款成功,"
        "R999\t,M20240509200144\t,,"
    )
    text = "\n".join([*lines[: header + 1], refund, *lines[header + 1 :]])
    inp = _variant(tmp_path, text)
    assert alipay_columnar.read(inp, 400) is not None
    fast, slow = _both(inp, monkeypatch)
    assert fast == slow
    monkeypatch.setenv("RECONCILE_COLUMNAR", "1")
    ex = AlipayCsv().extract(inp)
    assert ex.payments[0].refund_of == "2024050922001100049812"


# A random table: the columnar path either steps aside or agrees with the line-by-line reader exactly.
_CELLS = st.sampled_from(
    [
        ("信用借还", "借呗", "借呗还款-第3期", "不计收支", "还款成功"),
        ("信用借还", "花呗", "花呗主动还款-2024年05月账单", "不计收支", "还款失败"),
        ("信用借还", "网商银行", "网商贷放款", "收入", "放款成功"),
        ("餐饮美食", "某某餐厅", "晚餐", "支出", "交易成功"),
        ("退款", "某某餐厅", "退款-晚餐", "不计收支", "退款成功"),
        ("信用卡还款", "招商银行", "信用卡还款", "不计收支", "交易成功"),
        ("转账红包", "张三", "转账", "收入", "交易成功"),
        ("日用百货", "某超市", "日用品 还款专用", "支出", "交易关闭"),
        ("", "某某", "商品", "", "等待确认收货"),
        ("其他", "某某", "奇怪的状态", "其他", "处理完毕"),
        ("其他", "网商银行", "贷款到账", "收入", "放款成功"),  # a disbursement by its status alone
    ]
)
_ROW = st.tuples(
    _CELLS,
    st.integers(min_value=0, max_value=99_999_999),
    st.integers(min_value=0, max_value=10**8),
    st.sampled_from(["花呗", "余额宝", "招商银行储蓄卡(8705)", ""]),
    st.booleans(),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(_ROW, min_size=1, max_size=40), crlf=st.booleans())
def test_random_tables_agree(rows: list, crlf: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = _fixture_text()
    lines, header = _data_lines(text)
    body = []
    for i, ((cat, cp, desc, direction, status), fen, second, method, suffix) in enumerate(rows):
        tx = f"2024{i:016d}" + (f"_{i}" if suffix and cat == "退款" else "")
        body.append(
            f"2024-{1 + second % 12:02d}-{1 + second % 28:02d} {second % 24:02d}:{second % 60:02d}:{i % 60:02d},"
            f"{cat},{cp},/,{desc},{direction},{fen // 100}.{fen % 100:02d},{method},{status},{tx}\t,M{i % 3}\t,,"
        )
    text = "\n".join([*lines[: header + 1], *body]) + "\n"
    if crlf:
        text = text.replace("\n", "\r\n")
    inp = _variant(tmp_path, text)
    assert alipay_columnar.read(inp, 400) is not None
    fast, slow = _both(inp, monkeypatch)
    assert fast == slow


def test_small_files_take_the_line_path_unless_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    (inp,) = _inputs(FIXTURES / "payments/alipay/alipay-c-2026.csv")
    monkeypatch.delenv("RECONCILE_COLUMNAR", raising=False)
    assert not columnar.wanted(inp)
    assert isinstance(AlipayCsv().extract(inp).payments, tuple)
    monkeypatch.setenv("RECONCILE_COLUMNAR", "1")
    assert isinstance(AlipayCsv().extract(inp).payments, LazyRecords)
    monkeypatch.setenv("RECONCILE_COLUMNAR", "0")
    big = InputFile(path="big.csv", data=inp.data + b"\n" * columnar.MIN_BYTES)
    assert not columnar.wanted(big)
    monkeypatch.delenv("RECONCILE_COLUMNAR")
    assert columnar.wanted(big)


def test_products_and_periods(monkeypatch: pytest.MonkeyPatch) -> None:
    (inp,) = _inputs(FIXTURES / "payments/alipay/alipay-c-2026.csv")
    monkeypatch.setenv("RECONCILE_COLUMNAR", "1")
    by_id = {p.transaction_id: p for p in AlipayCsv().extract(inp).payments}
    assert by_id["2024050822001100048001"].product is Product.HUABEI
    assert by_id["2024050822001100048001"].billing_period == "2024-05"
    assert by_id["2024041022001100040002"].product is Product.JIEBEI


# ------------------------------------------------------------------------------------------ LazyRecords


def test_lazy_records_build_each_block_once_and_behave_like_a_tuple() -> None:
    calls: list[tuple[int, int]] = []

    def build(start: int, stop: int) -> list[object]:
        calls.append((start, stop))
        return [object() for _ in range(start, stop)]

    n = 2 * BLOCK + 5
    records = LazyRecords(n, build)
    assert len(records) == n and calls == []
    last = records[-1]
    assert records[n - 1] is last and calls == [(2 * BLOCK, n)]
    assert records[0] is records[0] and len(calls) == 2
    every = list(records)
    assert len(every) == n and len(calls) == 3 and every[-1] is last
    assert records == tuple(every) and tuple(every) == records and records == every
    assert records != tuple(every[:-1]) and records != tuple([*every[:-1], object()])
    assert records[1:3] == tuple(every[1:3]) and records[::-1][0] is last
    with pytest.raises(IndexError):
        records[n]
    with pytest.raises(IndexError):
        records[-n - 1]
    assert "built" in repr(records)
    with pytest.raises(TypeError):
        hash(records)


def test_lazy_records_pickle_as_a_tuple() -> None:
    records = LazyRecords(3, lambda a, b: list(range(a, b)))
    assert pickle.loads(pickle.dumps(records)) == (0, 1, 2)


def test_a_builder_returning_the_wrong_count_is_an_error() -> None:
    records = LazyRecords(3, lambda a, b: [1])
    with pytest.raises(RuntimeError):
        records[0]


def test_the_byte_precheck_never_misses() -> None:
    import pyarrow as pa

    cells = pa.array(["2024050922001100049812\t", "2.02405E+21", None])
    assert columnar.has_byte(cells, ord("+"))
    assert columnar.has_byte(pa.chunked_array([cells.slice(0, 1), cells.slice(1)]), ord("+"))
    assert not columnar.has_byte(pa.array(["abc", None]), ord("+"))
    assert not columnar.has_byte(pa.array([], pa.string()), ord("+"))
    assert not columnar.has_byte(pa.array([None, None], pa.string()), ord("+"))
    assert columnar.has_byte(pa.array([b"x", b"E+"], pa.binary()), ord("+"))


def test_no_nulls_and_filled_agree_with_the_plain_kernels() -> None:
    """`no_nulls` reuses the buffers when null slots are empty and copies otherwise; `filled` must equal
    trimming whitespace and checking the length."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    cells = pa.array(["a", None, " ", "", "\u3000", None, "b c", "\t x", *([None] * 9), "z"])
    # a null slot that still holds bytes (Arrow allows it): the buffers cannot be reused as they are
    odd = pa.Array.from_buffers(
        pa.string(),
        2,
        [
            pa.py_buffer(np.packbits([1, 0], bitorder="little")),
            pa.py_buffer(np.array([0, 1, 2], np.int32)),
            pa.py_buffer(b"ab"),
        ],
    )
    for arr in (
        cells,
        cells.slice(1),
        cells.slice(3, 4),
        cells.slice(9),
        odd,
        pa.array([None, None], pa.string()),
    ):
        expected = pc.coalesce(arr, pa.scalar("", pa.string()))
        got = columnar.no_nulls(arr)
        got.validate(full=True)
        assert got.to_pylist() == expected.to_pylist()
        trimmed = pc.utf8_trim_whitespace(expected)
        assert columnar.filled(arr).tolist() == [len(t) > 0 for t in trimmed.to_pylist()]
