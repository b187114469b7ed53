"""Plain JSON types for any record: `to_json` (money as exact strings, dates as ISO 8601, enums as their value)
and `source_json` (where a record came from)."""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from .model import SourceRef
from .records import is_record_sequence


def to_json(obj: Any) -> Any:
    """Plain JSON types for any model object (recursively). `reconcile.to_json` also takes a `Result`."""
    kind: type = type(obj)
    if kind is str or kind is int or kind is bool or obj is None:
        return obj
    if isinstance(obj, (bool, int, str)):
        return obj.value if isinstance(obj, Enum) else obj
    if isinstance(obj, Enum):
        return obj.value
    if isinstance(obj, Decimal):
        return f"{obj:f}"
    if isinstance(obj, (datetime, date)):
        return obj.isoformat()
    if isinstance(obj, SourceRef):
        return source_json(obj)
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {name: to_json(getattr(obj, name)) for name in _json_fields(kind)}
    if isinstance(obj, Mapping):
        return {str(k): to_json(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)) or is_record_sequence(obj):
        return [to_json(v) for v in obj]
    raise TypeError(f"cannot convert {type(obj).__name__} to JSON")


@functools.cache
def _json_fields(cls: type) -> tuple[str, ...]:
    """The fields of a model class that JSON shows (not those marked ``metadata={"json": False}``)."""
    return tuple(f.name for f in dataclasses.fields(cls) if f.metadata.get("json", True))


def source_json(ref: SourceRef) -> dict[str, Any]:
    """``{"path", "sha256", "page" | "sheet", "row", "text"}``: only the location keys that apply."""
    out: dict[str, Any] = {"path": ref.path, "sha256": ref.sha256}
    if ref.page is not None:
        out["page"] = ref.page
    if ref.sheet is not None:
        out["sheet"] = ref.sheet
    out["row"] = ref.row
    out["text"] = ref.text
    if ref.box is not None:
        out["box"] = list(ref.box)
        out["confidence"] = None if ref.confidence is None else f"{ref.confidence:f}"
    return out
