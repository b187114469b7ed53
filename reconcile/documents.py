"""`reconcile.to_json`: plain JSON for any record of the library, a reconciliation as the very document
``reconcile check --json`` writes (schema ``reconcile.findings/1``)."""

from __future__ import annotations

from typing import Any

from .jsonable import to_json as record_json
from .model import Result
from .report.findings_json import document


def to_json(obj: Any) -> Any:
    """Plain JSON types (str, int, bool, None, lists and dicts) for ``obj``; money as exact strings. A `Result`
    gives the findings document."""
    if isinstance(obj, Result):
        return document(obj)
    return record_json(obj)
