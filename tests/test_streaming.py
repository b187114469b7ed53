"""`reconcile extract` writes its listing piece by piece: the pieces must join to exactly the document a
one-shot rendering gives, and a large export's records must not all stay in memory for it."""

from __future__ import annotations

import csv
import io
import json
import os
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import reconcile
from reconcile.jsonable import to_json
from reconcile.model import Extraction
from reconcile.records import BLOCK, LazyRecords, stream
from reconcile.report import extract as render
from reconcile.report.output import write_atomic

from .conftest import FIXTURES

PAYMENT_FILES = [
    FIXTURES / "payments/alipay/alipay-a.csv",
    FIXTURES / "payments/alipay/alipay-c-2026.csv",
    *sorted((FIXTURES / "payments/wechat").glob("*.xlsx")),
    *sorted((FIXTURES / "payments/wechat").glob("*.csv")),
]
STATEMENT_FILES = sorted((FIXTURES / "statements").glob("*.csv"))[:2]


def _extract(paths: list[Path]) -> list[Extraction]:
    out: list[Extraction] = []
    for path in paths:
        out.extend(reconcile.extract(path, passwords=["123456"]))
    return out


def _reference_json(extractions: list[Extraction], errors: list[tuple[str, str]]) -> str:
    doc = {
        "schema": render.SCHEMA,
        "generated_by": render.generated_by(),
        "files": [render.extraction_json(ex) for ex in extractions],
        "errors": [{"path": p, "message": m} for p, m in errors],
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


@pytest.mark.parametrize("columnar", ["0", "1"])
def test_the_pieces_join_to_the_one_shot_documents(columnar: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RECONCILE_COLUMNAR", columnar)
    assert PAYMENT_FILES and STATEMENT_FILES
    extractions = _extract(PAYMENT_FILES + STATEMENT_FILES)
    if columnar == "1":
        assert any(isinstance(ex.payments, LazyRecords) for ex in extractions)
    for group, errors in (
        (extractions, [("bad.csv", "the file is empty")]),
        (extractions[:1], []),
        ([], [("x.pdf", "不是支持的格式")]),
        ([ex for ex in extractions if ex.statement is not None], []),
    ):
        assert render.render_json(group, errors) == _reference_json(group, errors)
        rows = list(csv.reader(io.StringIO(render.render_csv(group))))
        payments = [ex for ex in group if ex.statement is None]
        if payments or not group:
            assert rows[0] == list(render.PAYMENT_COLUMNS)
            assert rows[1 : 1 + sum(len(ex.payments) for ex in payments)] == [
                render.payment_row(p) for ex in payments for p in ex.payments
            ]
        text = render.render_text(group)
        assert text.count("\n== ") + text.startswith("== ") == len(group)
        for ex in payments:
            for p in ex.payments:
                assert f"@{p.source.where()}" in text


@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
        lambda inner: (
            st.lists(inner, max_size=3)
            | st.dictionaries(st.text(max_size=5) | st.integers(), inner, max_size=3)
        ),
        max_leaves=12,
    ),
    st.integers(0, 3),
)
def test_the_encoder_writes_what_json_dumps_writes(value: Any, level: int) -> None:
    expected = json.dumps(value, ensure_ascii=False, indent=2).replace("\n", "\n" + "  " * level)
    assert render._dump(value, level) == expected


def _counting_records(n: int) -> tuple[LazyRecords[int], list[tuple[int, int]]]:
    calls: list[tuple[int, int]] = []

    def build(start: int, stop: int) -> list[int]:
        calls.append((start, stop))
        return list(range(start, stop))

    return LazyRecords(n, build), calls


def test_streaming_keeps_nothing_and_reuses_what_is_built() -> None:
    n = BLOCK * 2 + 5
    records, calls = _counting_records(n)
    first = records[0]
    assert list(stream(records)) == list(range(n))
    assert "1 built" not in repr(records) and f"{BLOCK} built" in repr(records)  # only the block indexed
    assert calls == [(0, BLOCK), (BLOCK, 2 * BLOCK), (2 * BLOCK, n)]
    assert records[0] is first
    assert list(records) == list(range(n))  # indexing builds (and keeps) the blocks the stream let go
    assert repr(records) == f"<LazyRecords: {n} records, {n} built>"
    calls.clear()
    assert list(stream(records)) == list(range(n)) and calls == []
    assert list(stream((1, 2))) == [1, 2]


def test_a_large_listing_does_not_keep_the_records(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RECONCILE_COLUMNAR", "1")
    (ex,) = reconcile.extract(FIXTURES / "payments/alipay/alipay-c-2026.csv")
    assert isinstance(ex.payments, LazyRecords)
    before = repr(ex.payments)
    for _ in render.iter_json([ex]):
        pass
    for _ in render.iter_csv([ex]):
        pass
    for _ in render.iter_text([ex]):
        pass
    assert repr(ex.payments) == before
    assert " 0 built" in before


def test_an_output_that_fails_midway_leaves_the_target_as_it_was(tmp_path: Path) -> None:
    target = tmp_path / "records.json"
    target.write_text("earlier run\n", encoding="utf-8")

    def pieces() -> Any:
        yield b"{\n"
        raise RuntimeError("rendering failed")

    with pytest.raises(RuntimeError):
        write_atomic(target, pieces())
    assert target.read_text(encoding="utf-8") == "earlier run\n"
    assert sorted(os.listdir(tmp_path)) == ["records.json"]
    write_atomic(target, iter([b"a", b"b"]))
    assert target.read_bytes() == b"ab"


def test_cli_json_is_the_library_document(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from reconcile.cli import cli

    monkeypatch.setenv("RECONCILE_COLUMNAR", "1")
    path = FIXTURES / "payments/alipay/alipay-c-2026.csv"
    out = tmp_path / "out.json"
    result = CliRunner().invoke(cli, ["extract", str(path), "--json", "-o", str(out)])
    assert result.exit_code == 0, result.output
    expected = _reference_json(_extract([path]), [])
    assert out.read_text(encoding="utf-8") == expected
    doc = json.loads(expected)
    assert doc["files"][0]["payments"][0]["amount"] == to_json(_extract([path])[0].payments[0].amount)
    assert Decimal(doc["files"][0]["payments"][0]["amount"]) > 0
