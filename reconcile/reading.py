"""Reading export files into extractions: `extract`, the entry point of the library and of `reconcile extract`.

It starts the background parse of a large workbook (`reconcile.read.prefetch`) as soon as the file's bytes are
read, and only then imports the extractors, so the imports overlap the parse. This module stays light on purpose:
importing it must not import the extractors, pyarrow or the model.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from .inputs import read_input
from .read.prefetch import JOB, prefetch, settle

if TYPE_CHECKING:
    from .model import Extraction


def extract(
    path: str | Path, *, format: str | None = None, passwords: Sequence[str] = ()
) -> list[Extraction]:
    """Read one file (a ZIP export gives one extraction per member) into records with provenance."""
    out = []
    for inp in read_input(path, passwords):
        prefetch(inp)
        try:
            from .extractors import extract_inputs, registry  # imported while a prefetch parses: they overlap

            if JOB in inp.cache:  # while the workbook parses, load what reading it will need next
                registry()  # plugins are looked up once per process
                import pyarrow.compute  # noqa: F401

                from .payments import wallet_columnar  # noqa: F401  (the reader of large workbooks)
            out.extend(extract_inputs(inp, format=format))
        finally:
            settle(inp)  # also when loading failed (a broken plugin) before `extract_input` could
    return out
