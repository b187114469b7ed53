"""The columnar WeChat XLSX path must give exactly what the row-by-row (calamine) path gives, or step aside.

Every WeChat workbook is read both ways and the JSON of the two extractions compared; the regular ones must take
the columnar path, so the comparison is not vacuous. Variants cover what text alone could misrepresent: date
cells (at midnight and not), booleans, serial times, empty and note rows, ragged rows, extra sheets, a sheet not
starting at A1, refunds and credit rows.
"""

from __future__ import annotations

import datetime
import io
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reconcile.errors import BadFile
from reconcile.inputs import InputFile, read_input
from reconcile.jsonable import to_json
from reconcile.model import PaymentKind, Product
from reconcile.payments import wallet_columnar
from reconcile.payments.wechat import WeChatPay
from reconcile.records import LazyRecords

from .conftest import FIXTURES, ROOT, SAMPLES

sys.path.insert(0, str(ROOT / "fixtures"))
from builders import wechat

WORKBOOKS = sorted((FIXTURES / "payments/wechat").glob("*.xlsx"))


def _both(inp: InputFile, monkeypatch: pytest.MonkeyPatch) -> tuple[object, object]:
    monkeypatch.setenv("RECONCILE_COLUMNAR", "1")
    out = []
    for read in (WeChatPay().extract, WeChatPay().extract_by_rows):
        try:
            out.append(to_json(read(InputFile(path=inp.path, data=inp.data))))
        except BadFile as exc:
            out.append(("error", str(exc)))
    return out[0], out[1]


def _columnar(inp: InputFile) -> bool:
    return wallet_columnar.read(WeChatPay(), InputFile(path=inp.path, data=inp.data)) is not None


def _book(
    tmp_path: Path,
    edit: Callable[[Any], None] | None = None,
    *,
    rows: list[tuple[str, ...]] = wechat.ROWS,
    version: str = "v2",
) -> InputFile:
    data = wechat.xlsx_bytes(rows, version=version)
    if edit is not None:
        import openpyxl

        wb = openpyxl.load_workbook(io.BytesIO(data))
        edit(wb)
        out = io.BytesIO()
        wb.save(out)
        data = out.getvalue()
    path = tmp_path / "bill.xlsx"
    path.write_bytes(data)
    (inp,) = read_input(path)
    return inp


def _first_data_row(ws: Any) -> int:
    return next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "交易时间") + 1


@pytest.mark.parametrize("path", WORKBOOKS, ids=lambda p: p.name)
def test_workbook_fixtures_take_the_columnar_path_with_identical_records(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (inp,) = read_input(path)
    assert _columnar(inp)
    fast, slow = _both(inp, monkeypatch)
    assert fast == slow


def test_shared_sample_workbook(monkeypatch: pytest.MonkeyPatch) -> None:
    path = SAMPLES / "deg/example/wechat/example-wechat-records.xlsx"
    if not path.exists():
        pytest.skip("../shared/samples is not present")
    (inp,) = read_input(path)
    assert _columnar(inp)  # two sheets, the second a copy of the first
    fast, slow = _both(inp, monkeypatch)
    assert fast == slow
    assert any(n["code"] == "duplicate-sheet" for n in fast["notices"])  # type: ignore[index]


def _set(cell: str, value: object, number_format: str | None = None) -> Callable[[Any], None]:
    def edit(wb: Any) -> None:
        ws = wb.active
        col, offset = cell[0], int(cell[1:])
        target = ws[f"{col}{_first_data_row(ws) + offset}"]
        target.value = value
        if number_format:
            target.number_format = number_format

    return edit


def _add_sheet(wb: Any) -> None:
    wb.create_sheet("Sheet2")["A1"] = "其他"


def _copy_sheet(change: bool) -> Callable[[Any], None]:
    def edit(wb: Any) -> None:
        copy = wb.copy_worksheet(wb.active)
        copy.title = "副本"
        if change:
            copy.cell(_first_data_row(copy) + 1, 6).value = 1.23

    return edit


def _shift(wb: Any) -> None:
    wb.active.insert_rows(1, 2)
    wb.active.insert_cols(1)


def _blank_row(wb: Any) -> None:
    ws = wb.active
    ws.insert_rows(_first_data_row(ws) + 2)


def _note_row(wb: Any) -> None:
    ws = wb.active
    ws.cell(ws.max_row + 1, 1).value = "注：以上为全部交易"


def _ragged(wb: Any) -> None:
    ws = wb.active
    ws.cell(_first_data_row(ws), 12).value = "多出的一格"


def _text_midnight(wb: Any) -> None:
    ws = wb.active
    ws.cell(_first_data_row(ws) + 2, 1).value = "2025-03-15 00:00:00"


VARIANTS: dict[str, tuple[Callable[[Any], None], bool]] = {
    # name: (edit, whether the columnar path may take it)
    "date-cell-at-midnight": (_set("A0", datetime.datetime(2025, 3, 28), "yyyy-mm-dd hh:mm:ss"), False),
    "date-cell-with-time": (
        _set("A0", datetime.datetime(2025, 3, 28, 10, 2, 11), "yyyy-mm-dd hh:mm:ss"),
        True,
    ),
    "text-midnight-in-a-book-with-date-styles": (
        lambda wb: (_text_midnight(wb), _set("K3", datetime.datetime(2025, 1, 1, 8), "yyyy-mm-dd")(wb)),
        True,
    ),
    "text-midnight": (_text_midnight, True),
    "boolean-note": (_set("K1", True), False),
    "whole-serial-time": (_set("A0", 45744.0), False),
    "serial-time": (_set("A0", 45744.41818287), True),
    "amount-with-more-decimals": (_set("F0", 1060.005), False),
    "amount-as-text": (_set("F0", "¥1,060.00"), False),
    "empty-amount": (_set("F0", None), False),
    "unknown-direction": (_set("E1", "出账"), False),
    "unknown-status": (_set("H1", "处理完毕"), True),
    "partly-refunded-status": (_set("H1", "已退款(¥8.20)"), True),
    "sheet-without-a-header": (_add_sheet, True),
    "duplicate-sheet": (_copy_sheet(False), True),
    "two-different-bills": (_copy_sheet(True), False),
    "not-at-a1": (_shift, False),
    "blank-row-inside": (_blank_row, True),
    "note-row-after": (_note_row, False),
    "ragged-row": (_ragged, False),
    "odd-space": (_set("C1", "某超市\x85"), False),
    "fenfu-method": (_set("G1", "分付"), True),
    "zero-amount-fully-refunded": (lambda wb: (_set("F1", 0.0)(wb), _set("H1", "已全额退款")(wb)), True),
    "id-rounded-by-a-spreadsheet": (_set("I2", "4.20000E+27"), False),
}


@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_variants_agree(name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    edit, columnar = VARIANTS[name]
    inp = _book(tmp_path, edit)
    assert _columnar(inp) is columnar
    fast, slow = _both(inp, monkeypatch)
    assert fast == slow


@pytest.mark.parametrize("version", ["v1", "v2"])
def test_both_versions_and_their_layout(
    version: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    inp = _book(tmp_path, version=version)
    monkeypatch.setenv("RECONCILE_COLUMNAR", "1")
    ex = WeChatPay().extract(inp)
    assert isinstance(ex.payments, LazyRecords)
    assert ex.metadata["layout"].startswith("XLSX v2" if version == "v2" else "XLSX v1")
    repay = ex.payments[0]
    assert repay.kind is PaymentKind.REPAYMENT and repay.product is Product.WEILIDAI
    assert repay.source.sheet == "Sheet1" and repay.source.row == inp_header_row(inp) + 1
    refund = next(p for p in ex.payments if p.kind is PaymentKind.REFUND)
    assert refund.refund_of == refund.transaction_id


def inp_header_row(inp: InputFile) -> int:
    import openpyxl

    ws = openpyxl.load_workbook(io.BytesIO(inp.data)).active
    return _first_data_row(ws) - 1


_ROW = st.tuples(
    st.sampled_from(
        [
            ("微粒贷还款", "微众银行", "微粒贷还款", "/"),
            ("商户消费", "某某超市", "水果", "支出"),
            ("转账", "张三", "/", "支出"),
            ("零钱提现", "招商银行", "/", "/"),
            ("商户消费", "某某生鲜超市", "还款专用商品", "支出"),
            ("某某生鲜超市-退款", "某某生鲜超市", "水果", "收入"),
            ("信用卡还款", "招商银行", "信用卡还款", "/"),
            ("二维码收款", "李四", "/", "收入"),
            ("商户消费", "某某贷款还款中心", "分期", "支出"),
            ("放款", "某某消费金融", "借款到账", "收入"),
        ]
    ),
    st.integers(min_value=0, max_value=99_999_99),
    st.sampled_from(["零钱", "招商银行(8705)", "分付", "/"]),
    st.sampled_from(["支付成功", "已全额退款", "已退款(¥1.00)", "对方已收钱", "已存入零钱", "交易关闭"]),
    st.integers(min_value=1, max_value=86_399),  # a whole-day serial (row 1 of v2) may be a date cell
    st.booleans(),
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(_ROW, min_size=1, max_size=30), version=st.sampled_from(["v1", "v2"]))
def test_random_bills_agree(
    rows: list, version: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    built = []
    for i, ((tx_type, counterparty, goods, direction), fen, method, status, second, same_tx) in enumerate(
        rows
    ):
        tx = f"42000027312025{(i // 2 if same_tx else i):014d}"
        when = f"2025-03-{1 + i % 28:02d} {second // 3600:02d}:{second // 60 % 60:02d}:{second % 60:02d}"
        built.append(
            (
                when,
                tx_type,
                counterparty,
                goods,
                direction,
                f"{fen // 100}.{fen % 100:02d}",
                method,
                status,
                tx,
                f"M{i}",
                "/",
            )
        )
    inp = _book(tmp_path, rows=built, version=version)
    assert _columnar(inp)
    fast, slow = _both(inp, monkeypatch)
    assert fast == slow


def test_the_columnar_readers_do_not_import_pandas(tmp_path: Path) -> None:
    """pyarrow imports pandas (when installed) for `pa.array` and Python scalars: half a second per run."""
    book = _book(tmp_path)
    code = (
        "import sys, os\n"
        "os.environ['RECONCILE_COLUMNAR'] = '1'\n"
        "import reconcile\n"
        f"reconcile.extract({str(book.path)!r})\n"
        f"reconcile.extract({str(FIXTURES / 'payments/alipay/alipay-a.csv')!r})\n"
        "print('pandas' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def _zip(members: dict[str, str]) -> bytes:
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, text in members.items():
            archive.writestr(name, text)
    return out.getvalue()


def test_sheet_parts_follow_the_workbook_relationships() -> None:
    book = _zip(
        {
            "xl/workbook.xml": (
                '<workbook xmlns:r="r"><sheets><sheet name="账单&amp;明细" sheetId="1" r:id="rId7"/>'
                '<sheet name="Sheet2" sheetId="2" r:id="rId8"/></sheets></workbook>'
            ),
            "xl/_rels/workbook.xml.rels": (
                '<Relationships><Relationship Id="rId7" Target="/xl/worksheets/a.xml"/>'
                '<Relationship Id="rId8" Target="worksheets/b.xml"/></Relationships>'
            ),
            "xl/worksheets/a.xml": "<worksheet/>",
            "xl/worksheets/b.xml": "<worksheet/>",
        }
    )
    assert wallet_columnar._sheet_parts(book) == {
        "账单&明细": "xl/worksheets/a.xml",
        "Sheet2": "xl/worksheets/b.xml",
    }


@pytest.mark.parametrize(
    ("styles", "dates"),
    [
        (None, False),
        ('<cellXfs count="1"><xf numFmtId="0"/></cellXfs>', False),
        ('<cellXfs count="1"><xf numFmtId="14"/></cellXfs>', True),
        (
            '<numFmts><numFmt numFmtId="164" formatCode="yyyy&quot;年&quot;m&quot;月&quot;"/></numFmts>'
            '<cellXfs><xf numFmtId="164"/></cellXfs>',
            True,
        ),
        (
            '<numFmts><numFmt numFmtId="164" formatCode="&quot;days&quot;0.00"/></numFmts>'
            '<cellXfs><xf numFmtId="164"/></cellXfs>',
            False,
        ),
        (
            '<numFmts><numFmt numFmtId="164" formatCode="\\¥#,##0.00"/></numFmts>'
            '<cellXfs><xf numFmtId="164"/></cellXfs>',
            False,
        ),
        (
            '<numFmts><numFmt formatCode="0.00"/></numFmts><cellXfs><xf numFmtId="164"/></cellXfs>',
            True,
        ),  # unsure
    ],
)
def test_date_styles(styles: str | None, dates: bool) -> None:
    members = {"xl/workbook.xml": "<workbook/>"}
    if styles is not None:
        members["xl/styles.xml"] = f"<styleSheet>{styles}</styleSheet>"
    assert wallet_columnar._may_hold_dates(_zip(members)) is dates
