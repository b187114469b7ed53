"""The background parse of large workbooks, and when the columnar readers are used.

Most of the time a large workbook takes goes to calamine's parse of its sheet XML, which runs in Rust without
holding the GIL. `extract` therefore starts that parse on a background thread as soon as the file's bytes are
read (`prefetch`), and only then imports the extractors, pyarrow and the plugins, so on a machine with two cores
those imports (about a third of a second) overlap the parse instead of adding to it. The columnar readers take the
parsed tables with `workbook_tables`. Every prefetch is finished (`settle`) before the extraction of its input
returns, successful or not, so no thread outlives the work it was started for (the PDF reader may fork worker
processes afterwards). `reconcile.reading.extract` uses it.

This module stays light on purpose: importing it must not import the extractors, pyarrow or the model.
"""

from __future__ import annotations

import os
import threading
from typing import TYPE_CHECKING

from ..inputs import InputFile

if TYPE_CHECKING:
    import pyarrow as pa


#: Files smaller than this take the row-by-row path unless RECONCILE_COLUMNAR=1: importing pyarrow costs more
#: than it saves on a small file. Measured end to end (`benchmarks/bench_check.py`, `reconcile check` on a
#: real-shaped Alipay export): the two readers take the same time at 10,000 and 20,000 rows (2.9 MB); at 40,000
#: rows the columnar one takes 0.71 times as long, at 100,000 rows under half.
MIN_BYTES = 3 << 20
#: The same for a workbook: a real-shaped WeChat XLSX of 10,000 rows (640 KB) takes the same time both ways and
#: twice the memory by columns; at 20,000 rows (1.2 MB) the columnar path takes 0.75 times as long.
MIN_WORKBOOK_BYTES = 1 << 20

JOB = "workbook-prefetch"


def wanted(inp: InputFile) -> bool:
    """Whether to try the columnar path: RECONCILE_COLUMNAR=0 never, =1 always, otherwise for workbooks of at
    least `MIN_WORKBOOK_BYTES` and other files of at least `MIN_BYTES`."""
    mode = os.environ.get("RECONCILE_COLUMNAR", "auto").strip().lower()
    if mode in ("0", "no", "off", "false"):
        return False
    if mode in ("1", "yes", "on", "true"):
        return True
    return len(inp.data) >= (MIN_WORKBOOK_BYTES if inp.kind == "xlsx" else MIN_BYTES)


def _parse(data: bytes) -> list[tuple[str, pa.Table]] | None:
    """Every worksheet of ``data`` as a table of text cells (null for an empty cell), by name; None when fastexcel
    cannot read it (the row-by-row reader then reports what is wrong). fastexcel reads with the same calamine
    engine as `extractors.table.workbook_values`, straight into Arrow, and releases the GIL while it works."""
    try:
        import fastexcel

        reader = fastexcel.read_excel(data)
        tables = []
        for i, name in enumerate(reader.sheet_names):
            sheet = reader.load_sheet(i, header_row=None, dtypes="string")
            # imported only now: on a prefetch thread, an import of pyarrow would wait for the main thread's
            import pyarrow as pa

            tables.append((name, pa.Table.from_batches([sheet.to_arrow()])))
            del sheet  # one sheet's cells at a time
        return tables
    except (KeyboardInterrupt, SystemExit):
        raise  # on the calling thread, Ctrl-C still stops the run
    except BaseException:  # pyo3 raises a Rust panic as a BaseException; any failure means "not this way"
        return None


class _Prefetch:
    """`_parse` of one input on a daemon thread; `result` waits for it."""

    def __init__(self, data: bytes) -> None:
        self._sheets: list[tuple[str, pa.Table]] | None = None
        self._thread = threading.Thread(
            target=self._run, args=(data,), name="reconcile-prefetch", daemon=True
        )
        self._thread.start()

    def _run(self, data: bytes) -> None:
        self._sheets = _parse(data)

    def result(self) -> list[tuple[str, pa.Table]] | None:
        self._thread.join()
        return self._sheets


def prefetch(inp: InputFile) -> None:
    """Start parsing ``inp`` in the background if it is a workbook the columnar readers will read."""
    if JOB not in inp.cache and inp.kind == "xlsx" and wanted(inp):
        inp.cache[JOB] = _Prefetch(inp.data)


def settle(inp: InputFile) -> None:
    """Wait for a prefetch of ``inp`` that nobody took (an extraction that failed before reading the sheets)."""
    job = inp.cache.pop(JOB, None)
    if job is not None:
        job.result()


def workbook_tables(inp: InputFile) -> list[tuple[str, pa.Table]] | None:
    """`_parse` of ``inp``: from its prefetch when one was started, otherwise now."""
    job = inp.cache.pop(JOB, None)
    return job.result() if job is not None else _parse(inp.data)
