"""Real-shaped exports (refunds, closed and failed rows, several years; `fixtures/builders/realshape.py`): both
readers of each format give identical records on them and on every case export, refunds are all linked, and a
dispute case laid into a big background keeps exactly its findings whichever reader reads it, while the engine
builds only the records it can use.
"""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

import pytest

import reconcile
from reconcile.config import Config
from reconcile.errors import BadFile
from reconcile.inputs import InputFile, read_input
from reconcile.jsonable import to_json
from reconcile.model import PaymentKind
from reconcile.payments import alipay_columnar, wallet_columnar
from reconcile.payments.alipay import AlipayCsv
from reconcile.payments.wechat import WeChatPay
from reconcile.records import LazyRecords
from reconcile.report import findings_json

from .conftest import FIXTURES, ROOT

sys.path.insert(0, str(ROOT / "fixtures"))
from builders import demo, realshape

CASES = FIXTURES / "cases" / "generated"
WECHAT_CASE = CASES / "clean-weilidai-ei20-wechat-xlsx"
CASE_ALIPAY = sorted(CASES.glob("*/支付宝*.csv"))
CASE_WECHAT = sorted(CASES.glob("*/微信*.xlsx"))


def _json_or_error(read, inp: InputFile) -> object:  # type: ignore[no-untyped-def]
    try:
        return to_json(read(InputFile(path=inp.path, data=inp.data)))
    except BadFile as exc:
        return ("error", str(exc))


@pytest.fixture(scope="module")
def alipay_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("realshape") / "支付宝交易明细.csv"
    path.write_bytes(realshape.alipay_csv(6000, case=demo.payments()))
    return path


@pytest.fixture(scope="module")
def wechat_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    rows = realshape.wechat_xlsx_rows(next(WECHAT_CASE.glob("微信*.xlsx")).read_bytes())
    path = tmp_path_factory.mktemp("realshape") / "微信支付账单.xlsx"
    path.write_bytes(
        realshape.wechat_xlsx(4000, case=rows, start=date(2024, 7, 1), end=date(2025, 7, 15), version="v1")
    )
    return path


def test_the_generator_makes_the_mix_a_real_export_has(alipay_file: Path) -> None:
    text = alipay_file.read_bytes().decode("gb18030")
    rows = [ln for ln in text.splitlines() if ln[:2] == "20"]
    statuses = {
        s: sum(f",{s}," in ln for ln in rows) for s in ("交易关闭", "还款失败", "退款成功", "等待确认收货")
    }
    assert all(statuses.values()), statuses
    assert 0.02 < statuses["退款成功"] / len(rows) < 0.05
    years = {ln[:4] for ln in rows}
    assert years == {"2022", "2023", "2024"}
    assert f"共{len(rows)}笔记录" in text  # the summary matches the rows


def test_both_alipay_readers_agree_on_a_real_shaped_export(
    alipay_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (inp,) = read_input(alipay_file)
    assert alipay_columnar.read(inp, 400) is not None  # the hostile quoted row of the demo does not stop it
    monkeypatch.setenv("RECONCILE_COLUMNAR", "1")
    fast = AlipayCsv().extract(InputFile(path=inp.path, data=inp.data))
    slow = AlipayCsv().extract_by_lines(InputFile(path=inp.path, data=inp.data))
    assert isinstance(fast.payments, LazyRecords)
    assert to_json(fast) == to_json(slow)
    refunds = [p for p in fast.payments if p.kind is PaymentKind.REFUND]
    assert refunds and all(p.refund_of for p in refunds)  # every refund finds the payment it refunds


def test_both_wechat_readers_agree_on_a_real_shaped_export(
    wechat_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    inp = InputFile(path=str(wechat_file), data=wechat_file.read_bytes())
    assert wallet_columnar.read(WeChatPay(), inp) is not None
    monkeypatch.setenv("RECONCILE_COLUMNAR", "1")
    fast = _json_or_error(WeChatPay().extract, inp)
    slow = _json_or_error(WeChatPay().extract_by_rows, inp)
    assert fast == slow
    refunds = [p for p in fast["payments"] if p["kind"] == "refund"]  # type: ignore[index]
    assert refunds and all(p["refund_of"] for p in refunds)


@pytest.mark.parametrize("path", CASE_ALIPAY, ids=lambda p: p.parent.name)
def test_both_alipay_readers_agree_on_every_case_export(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (inp,) = read_input(path)
    monkeypatch.setenv("RECONCILE_COLUMNAR", "1")
    assert _json_or_error(AlipayCsv().extract, inp) == _json_or_error(AlipayCsv().extract_by_lines, inp)


@pytest.mark.parametrize("path", CASE_WECHAT, ids=lambda p: p.parent.name)
def test_both_wechat_readers_agree_on_every_case_export(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    inp = InputFile(path=str(path), data=path.read_bytes())
    monkeypatch.setenv("RECONCILE_COLUMNAR", "1")
    assert _json_or_error(WeChatPay().extract, inp) == _json_or_error(WeChatPay().extract_by_rows, inp)


def _document(paths: list[Path], as_of: str, monkeypatch: pytest.MonkeyPatch, columnar: str) -> dict:  # type: ignore[type-arg]
    monkeypatch.setenv("RECONCILE_COLUMNAR", columnar)
    result = reconcile.check([str(p) for p in paths], Config(as_of=date.fromisoformat(as_of)))
    return json.loads(json.dumps(findings_json.document(result), ensure_ascii=False, default=str))


def test_a_case_in_a_big_background_keeps_its_findings_with_either_reader(
    alipay_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plan = tmp_path / "借呗还款计划.pdf"
    plan.write_bytes(demo.plan_pdf())
    fast = _document([plan, alipay_file], demo.AS_OF.isoformat(), monkeypatch, "1")
    slow = _document([plan, alipay_file], demo.AS_OF.isoformat(), monkeypatch, "0")
    assert fast == slow
    planted = sorted((f["code"], f.get("kind") or "", f["amount"]) for f in demo.planted())
    found = sorted((f["code"], f.get("kind") or "", f["amount"]) for f in fast["findings"])
    assert found == planted


def test_a_clean_wechat_case_in_a_big_background_stays_clean(
    wechat_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plan = next(WECHAT_CASE.glob("微粒贷*"))
    fast = _document([plan, wechat_file], "2025-06-25", monkeypatch, "1")
    slow = _document([plan, wechat_file], "2025-06-25", monkeypatch, "0")
    assert fast == slow
    assert fast["findings"] == []


def test_the_engine_builds_only_the_records_it_can_use(
    alipay_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RECONCILE_COLUMNAR", "1")
    plan = tmp_path / "借呗还款计划.pdf"
    plan.write_bytes(demo.plan_pdf())
    extractions = [*reconcile.extract(str(plan)), *reconcile.extract(str(alipay_file))]
    records = next(ex.payments for ex in extractions if ex.extractor == "alipay")
    assert isinstance(records, LazyRecords)
    result = reconcile.reconcile(extractions, Config(as_of=demo.AS_OF))
    built = sum(len(b) for b in records._blocks if b is not None) + len(records._picked)
    repayments = sum(1 for p in records if p.kind is PaymentKind.REPAYMENT)
    assert built < len(records) // 5 and built >= repayments > 0
    # The records the engine used are the very objects the sequence gives once every block is built.
    used = [p for case in result.cases for p in case.payments]
    assert used and all(any(p is q for q in records) for p in used)
    assert result.coverage[0].start == date(2022, 1, 1) and result.coverage[0].end == date(2024, 12, 31)


def test_picked_records_keep_their_identity() -> None:
    made: list[tuple[int, int]] = []

    def build(start: int, stop: int) -> list[object]:
        made.append((start, stop))
        return [object() for _ in range(start, stop)]

    def pick(rows: list[int]) -> list[object]:
        made.append((-1, len(rows)))
        return [object() for _ in rows]

    records: LazyRecords[object] = LazyRecords(5000, build, pick=pick)
    picked = records.pick([3, 2500, 4999])
    assert made == [(-1, 3)]
    assert records[2500] is picked[1] and records.pick([2500])[0] is picked[1]
    assert made == [(-1, 3)]
    everything = list(records)  # builds every block, keeping the picked records in place
    assert everything[3] is picked[0] and everything[2500] is picked[1] and everything[4999] is picked[2]
    assert records[3] is picked[0]
