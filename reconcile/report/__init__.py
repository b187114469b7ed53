"""Rendering only: turns a reconciliation into the console summary, the JSON document, the workbook, letters and
tables. No business logic.

The writers a program uses:

- `build_workbook(result, lang)` / `write_workbook(result, path, lang)`: the Excel report (bytes / a file);
- `letter_markdown(result, channel)`, `letter_bytes(result, path, channel)`, `write_letter(result, path, channel)`:
  the letter for ``lender``, ``mediation``, ``regulator`` or ``pboc`` (Markdown, or Word for a ``.docx`` path);
- `findings_document(result)`: the JSON document (the same as ``reconcile.to_json(result)``);
- `console_summary(result, lang)`: the text ``reconcile check`` prints;
- `write_reports(result, workbook=, json_path=, letter=)`: the files ``reconcile check`` writes, all or nothing.
"""

from __future__ import annotations

from .console import render as console_summary
from .excel import build_workbook, write_workbook
from .findings_json import document as findings_document
from .letter import CHANNELS, letter_bytes, letter_markdown, write_letter
from .write import write_reports

__all__ = [
    "CHANNELS",
    "build_workbook",
    "console_summary",
    "findings_document",
    "letter_bytes",
    "letter_markdown",
    "write_letter",
    "write_reports",
    "write_workbook",
]
