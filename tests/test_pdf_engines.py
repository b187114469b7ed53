"""The fast PDF path (pypdfium2 character boxes) gives exactly the records the reference (pdfplumber) gives."""

from __future__ import annotations

from pathlib import Path

import pytest

from reconcile import extract
from reconcile.report.extract import extraction_json

from .conftest import FIXTURES

PDFS = sorted(p for p in FIXTURES.rglob("*.pdf") if "bad" not in p.parts)


@pytest.mark.parametrize("path", PDFS, ids=lambda p: p.name)
def test_engines_agree(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    docs = {}
    for engine in ("pdfium", "pdfplumber"):
        monkeypatch.setenv("RECONCILE_PDF_ENGINE", engine)
        docs[engine] = [extraction_json(e) for e in extract(path, passwords=["123456"])]
    assert docs["pdfium"] == docs["pdfplumber"]


def test_parallel_reading_gives_the_same_records(monkeypatch: pytest.MonkeyPatch) -> None:
    path = FIXTURES / "statements/weilidai-pages.pdf"
    monkeypatch.setenv("RECONCILE_JOBS", "1")
    (single,) = extract(path)
    monkeypatch.setenv("RECONCILE_JOBS", "2")
    (double,) = extract(path)
    assert single == double
