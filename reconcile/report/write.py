"""Writing a reconciliation's files: the workbook, the JSON document and a letter, all or nothing."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from .output import write_all

if TYPE_CHECKING:
    from ..model import Result


def write_reports(
    result: Result,
    *,
    workbook: str | Path | None = None,
    json_path: str | Path | None = None,
    letter: str | Path | None = None,
    channel: str = "lender",
    name: str = "",
    lang: str = "zh",
) -> list[tuple[str, Path]]:
    """Render every output asked for, then write them all or none (see `write_all`). Returns what was written
    as ``(kind, path)`` pairs, kind being ``json``, ``report`` or ``letter``."""
    planned: list[tuple[str, Path, bytes]] = []
    if json_path is not None:
        from .findings_json import render

        planned.append(("json", Path(json_path), render(result).encode("utf-8")))
    if workbook is not None:
        from .excel import build_workbook

        planned.append(
            ("report", Path(workbook), build_workbook(result, lang=lang, name=Path(workbook).name))
        )
    if letter is not None:
        from .letter import letter_bytes

        planned.append(("letter", Path(letter), letter_bytes(result, letter, channel, name=name)))
    write_all([(path, data) for _, path, data in planned])
    return [(kind, path) for kind, path, _ in planned]
