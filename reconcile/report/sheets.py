"""The workbook's cells and pages: how a value is written (inert text, money, numbers, bold headings), how a sheet
prints (A4, the report's header and footer, row heights for wrapped text), and the measures they need. The sheets
themselves are in `reconcile.report.excel`."""

from __future__ import annotations

import math
import os
import re
import unicodedata
from collections.abc import Sequence
from datetime import date, datetime, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any

from .. import texts
from ..model import Result, Severity, SourceRef

MONEY = "#,##0.00"
ZERO = Decimal("0.00")
SEVERITY_FILL = {
    Severity.HIGH: "F8CBAD",
    Severity.MEDIUM: "FFE699",
    Severity.LOW: "DDEBF7",
    Severity.INFO: "E7E6E6",
}
HEAD_FILL = "D9E1F2"
LINE_HEIGHT = 15.5  # points per line of wrapped text (11 pt type, CJK included)


def today() -> date:
    """The generation date: today in China, or the day of SOURCE_DATE_EPOCH when set (reproducible builds)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), timezone.utc).date()
    from ..dates import CST

    return datetime.now(CST).date()


def file_name(path: str) -> str:
    """A file as the report names it: its name, never the folders it sits in on the user's machine."""
    return Path(path.replace("\\", "/")).name or path


def text_width(text: str) -> float:
    """Display width in spreadsheet column units (the width of a digit): a CJK or full-width character takes
    about 1.75 in the fonts office programs substitute, a Latin letter or digit one."""
    return sum(1.75 if unicodedata.east_asian_width(ch) in "WF" else 1.0 for ch in text)


def lines_needed(text: str, width: float) -> int:
    """Lines ``text`` wraps to in a column ``width`` units wide (erring towards one more)."""
    usable = max(width - 1.0, 4.0)
    total = 0
    for para in str(text).split("\n"):
        total += max(1, math.ceil(text_width(para) / usable))
    return total


_CELL_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


class Cells:
    """Writing cells and setting up pages for one report: its result, language, file name and date."""

    def __init__(self, result: Result, lang: str, name: str, generated: date) -> None:
        self.result, self.lang, self.name, self.generated = result, lang, name, generated
        self.evidence_rows = self._evidence_index()

    def t(self, key: str) -> str:
        return texts.label(key, self.lang)

    # ------------------------------------------------------------------------------------------- cells

    def text(self, ws: Any, row: int, col: int, value: str, *, wrap: bool = False) -> Any:
        """Text from input files is always a string cell, never a formula (formula injection), with the control
        characters a workbook cannot hold shown visibly."""
        from openpyxl.styles import Alignment

        cell = ws.cell(row=row, column=col)
        cell.value = _CELL_CONTROL.sub(lambda m: f"\\x{ord(m.group(0)):02x}", value) if value else value
        cell.data_type = "s"
        if wrap:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        else:
            cell.alignment = Alignment(vertical="top")
        return cell

    def money(self, ws: Any, row: int, col: int, value: Decimal | None) -> Any:
        from openpyxl.styles import Alignment

        cell = ws.cell(row=row, column=col, value=value)
        cell.number_format = MONEY
        cell.alignment = Alignment(vertical="top")
        return cell

    def number(self, ws: Any, row: int, col: int, value: int | None) -> Any:
        from openpyxl.styles import Alignment

        cell = ws.cell(row=row, column=col, value=value)
        cell.alignment = Alignment(vertical="top")
        return cell

    def bold(self, ws: Any, row: int, col: int, value: str, *, fill: bool = False) -> Any:
        from openpyxl.styles import Alignment, Font, PatternFill

        cell = ws.cell(row=row, column=col, value=value)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(vertical="top", wrap_text=True)
        if fill:
            cell.fill = PatternFill("solid", fgColor=HEAD_FILL)
        return cell

    def header(
        self, ws: Any, keys: Sequence[str], widths: Sequence[float], *, landscape: bool = True
    ) -> None:
        for col, key in enumerate(keys, start=1):
            self.bold(ws, 1, col, self.t(key) if key in texts.LABELS else key, fill=True)
        for col, width in enumerate(widths, start=1):
            ws.column_dimensions[column_letter(col)].width = width
        ws.freeze_panes = ws.cell(row=2, column=1)
        ws.print_title_rows = "1:1"
        self.page(ws, landscape=landscape)

    def page(self, ws: Any, *, landscape: bool, one_page: bool = False) -> None:
        """A4, margins, fit to the page width (and height for ``one_page``), the report's header and footer."""
        from openpyxl.worksheet.page import PageMargins

        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.orientation = "landscape" if landscape else "portrait"
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 1 if one_page else 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.page_margins = PageMargins(left=0.5, right=0.5, top=0.8, bottom=0.8, header=0.3, footer=0.3)
        ws.print_options.horizontalCentered = True
        for part in (ws.oddHeader, ws.evenHeader, ws.firstHeader):
            part.left.text = self.t("title")
            part.right.text = "&A"
        for part in (ws.oddFooter, ws.evenFooter, ws.firstFooter):
            part.left.text = self.name.replace("&", "&&")
            part.center.text = self.t("page")
            part.right.text = f"{self.t('generated')} {self.generated.isoformat()}"

    def fit_rows(self, ws: Any, first: int, widths: dict[int, float]) -> None:
        """Row heights for wrapped text (openpyxl cannot measure, and a printed page must show every line), and
        every cell aligned to the top of its row."""
        from openpyxl.styles import Alignment

        for cells in ws.iter_rows(min_row=first):
            for cell in cells:
                if cell.value is not None and cell.alignment.vertical is None:
                    cell.alignment = Alignment(vertical="top", wrap_text=cell.alignment.wrap_text)
        for row in range(first, ws.max_row + 1):
            lines = 1
            for col, width in widths.items():
                cell = ws.cell(row=row, column=col)
                if cell.value and cell.alignment.wrap_text:
                    lines = max(lines, lines_needed(str(cell.value), width))
            if lines > 1:
                ws.row_dimensions[row].height = lines * LINE_HEIGHT + 3

    def place(self, ref: SourceRef) -> str:
        if ref.page is not None and ref.row is None:
            return texts.place(f"page {ref.page}", self.lang)
        return texts.place(ref.where(), self.lang)

    def _evidence_index(self) -> dict[SourceRef, int]:
        """Every cited source row once, in the order findings cite them -> its row on the evidence sheet."""
        index: dict[SourceRef, int] = {}
        for f in self.result.findings:
            for ref in f.evidence:
                if ref not in index:
                    index[ref] = len(index) + 2
        return index

    def _disputed(self) -> dict[tuple[str | None, int], Decimal]:
        out: dict[tuple[str | None, int], Decimal] = {}
        for f in self.result.findings:
            if f.installment is not None and f.code != "not-credited":
                out[(f.loan, f.installment)] = out.get((f.loan, f.installment), ZERO) + f.amount
        return out


def column_letter(col: int) -> str:
    """``A`` for 1, ``AA`` for 27."""
    from openpyxl.utils import get_column_letter

    return str(get_column_letter(col))
