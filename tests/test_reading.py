"""`reconcile.extract` and the background parse of large workbooks (`reconcile.reading`).

The prefetch must change nothing but when the work happens: the same records as reading the workbook in the
calling thread, no thread left running after an extraction (successful or not), nothing printed when the parse
fails, and `import reconcile` light enough that the parse overlaps the imports.
"""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest

import reconcile
from reconcile.errors import ReconcileError
from reconcile.extractors import extract_input
from reconcile.inputs import InputFile, read_input
from reconcile.jsonable import to_json
from reconcile.read import prefetch as reading

from .conftest import FIXTURES

WECHAT = FIXTURES / "payments/wechat"


def _workbook() -> Path:
    books = sorted(WECHAT.glob("*.xlsx"))
    assert books
    return books[0]


def _prefetch_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "reconcile-prefetch"]


def test_prefetch_runs_on_its_own_thread_and_gives_the_same_records(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RECONCILE_COLUMNAR", "1")  # the fixtures are small; take the large-file path anyway
    seen: list[str] = []
    parse = reading._parse

    def spy(data: bytes) -> Any:
        seen.append(threading.current_thread().name)
        return parse(data)

    monkeypatch.setattr(reading, "_parse", spy)
    for book in sorted(WECHAT.glob("*.xlsx")):
        seen.clear()
        (prefetched,) = reconcile.extract(book)
        assert seen == ["reconcile-prefetch"], book.name
        assert not _prefetch_threads()
        (inp,) = read_input(book)
        direct = extract_input(inp)  # no prefetch: parsed in this thread
        assert seen == ["reconcile-prefetch", threading.current_thread().name]
        assert to_json(prefetched) == to_json(direct), book.name


def test_small_files_and_other_kinds_are_not_prefetched(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("RECONCILE_COLUMNAR", raising=False)
    (inp,) = read_input(_workbook())
    assert len(inp.data) < reading.MIN_WORKBOOK_BYTES
    reading.prefetch(inp)
    assert "workbook-prefetch" not in inp.cache
    assert reading.MIN_WORKBOOK_BYTES < reading.MIN_BYTES  # a workbook is "large" sooner than a CSV
    monkeypatch.setattr(reading, "MIN_WORKBOOK_BYTES", len(inp.data))
    assert reading.wanted(inp)
    assert not reading.wanted(InputFile(path="a.csv", data=b"a,b\n" * (len(inp.data) // 4 + 1)))
    monkeypatch.setenv("RECONCILE_COLUMNAR", "1")
    (csv,) = read_input(FIXTURES / "payments/alipay/alipay-a.csv")
    reading.prefetch(csv)
    assert "workbook-prefetch" not in csv.cache
    monkeypatch.setenv("RECONCILE_COLUMNAR", "0")
    reading.prefetch(inp)
    assert "workbook-prefetch" not in inp.cache


def test_a_failed_extraction_still_waits_for_its_prefetch(monkeypatch: pytest.MonkeyPatch) -> None:
    """The PDF reader may fork worker processes next: no parse thread may still be running by then."""
    monkeypatch.setenv("RECONCILE_COLUMNAR", "1")
    release = threading.Event()
    finished: list[bool] = []
    parse = reading._parse

    def slow(data: bytes) -> Any:
        release.wait(5)
        out = parse(data)
        finished.append(True)
        return out

    monkeypatch.setattr(reading, "_parse", slow)
    (inp,) = read_input(_workbook())
    reading.prefetch(inp)
    assert len(_prefetch_threads()) == 1
    threading.Timer(0.2, release.set).start()
    with pytest.raises(ReconcileError):
        extract_input(inp, format="alipay")  # fails before anything reads the sheets
    assert finished == [True]
    assert not _prefetch_threads()
    assert "workbook-prefetch" not in inp.cache


def test_a_broken_plugin_still_leaves_no_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    from reconcile import extractors

    def broken(*, plugins: bool = True) -> Any:
        raise TypeError("entry point 'x' in reconcile.extractors is not an Extractor subclass")

    monkeypatch.setenv("RECONCILE_COLUMNAR", "1")
    monkeypatch.setattr(extractors, "registry", broken)
    with pytest.raises(TypeError):
        reconcile.extract(_workbook())
    assert not _prefetch_threads()


def test_a_parse_that_fails_falls_back_silently(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A Rust panic reaches Python as a BaseException; on the thread it must not print a traceback."""
    import fastexcel

    class Panic(BaseException):
        pass

    def boom(data: bytes) -> Any:
        raise Panic("calamine panicked")

    uncaught: list[Any] = []
    monkeypatch.setattr(threading, "excepthook", uncaught.append)
    monkeypatch.setenv("RECONCILE_COLUMNAR", "1")
    monkeypatch.setattr(fastexcel, "read_excel", boom)
    book = _workbook()
    (ex,) = reconcile.extract(book)
    monkeypatch.setenv("RECONCILE_COLUMNAR", "0")
    (rows,) = reconcile.extract(book)
    assert to_json(ex) == to_json(rows)
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == ""
    assert not uncaught


def test_a_broken_workbook_gets_the_row_readers_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    data = bytearray(_workbook().read_bytes())
    data[len(data) // 2 : len(data) // 2 + 64] = b"\0" * 64  # damage the deflated sheet
    broken = tmp_path / "微信支付账单流水文件.xlsx"
    broken.write_bytes(bytes(data))
    messages = []
    for mode in ("1", "0"):
        monkeypatch.setenv("RECONCILE_COLUMNAR", mode)
        with pytest.raises(ReconcileError) as info:
            reconcile.extract(broken)
        messages.append(str(info.value))
        assert not _prefetch_threads()
    assert messages[0] == messages[1]


def test_import_reconcile_loads_neither_the_extractors_nor_pyarrow() -> None:
    code = (
        "import sys\n"
        "import reconcile\n"
        "heavy = [m for m in ('reconcile.extractors', 'reconcile.model', 'pyarrow', 'fastexcel') if m in sys.modules]\n"
        "print(heavy)\n"
        "assert all(hasattr(reconcile, name) for name in reconcile.__all__)\n"
        "print(sorted(dir(reconcile)) == sorted(reconcile.__all__))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["[]", "True"]


def test_extract_is_one_function_wherever_it_is_imported_from() -> None:
    from reconcile.reading import extract

    assert reconcile.extract is extract


def test_an_input_read_twice_is_parsed_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RECONCILE_COLUMNAR", "1")
    calls: list[bytes] = []
    parse = reading._parse

    def counted(data: bytes) -> Any:
        calls.append(data)
        return parse(data)

    monkeypatch.setattr(reading, "_parse", counted)
    (inp,) = read_input(_workbook())
    reading.prefetch(inp)
    reading.prefetch(inp)  # a second call while the first runs starts nothing
    first = extract_input(inp)
    second = extract_input(inp)  # identification and extraction share the parsed tables
    assert len(calls) == 1
    assert to_json(first) == to_json(second)


def test_a_workbook_that_would_swell_past_the_limits_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    from reconcile import inputs
    from reconcile.errors import BadFile

    book = _workbook()
    assert len(read_input(book)) == 1  # a real export is far inside the limits
    monkeypatch.setattr(inputs, "ZIP_MAX_TOTAL", 10_000)
    with pytest.raises(BadFile, match="refusing to read the workbook: its parts expand to") as info:
        read_input(book)
    assert info.value.path == str(book)


def test_ctrl_c_during_a_parse_is_not_taken_for_a_bad_workbook(monkeypatch: pytest.MonkeyPatch) -> None:
    import fastexcel

    def interrupted(data: bytes) -> Any:
        raise KeyboardInterrupt

    monkeypatch.setattr(fastexcel, "read_excel", interrupted)
    with pytest.raises(KeyboardInterrupt):
        reading._parse(_workbook().read_bytes())
