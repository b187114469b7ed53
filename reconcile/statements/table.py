"""Lenders' statements and repayment plans as CSV, XLSX or XLS (FORMATS.md §8): any subset and order of the
schedule columns, Chinese or English, a header over two rows, merged cells, totals rows; or a credit-card bill
(transactions with 本期应还金额 / 最低还款额 around them)."""

from __future__ import annotations

import re

from ..errors import BadFile
from ..extractors.base import Extractor, Sniff
from ..extractors.table import Row, Sheet, read_sheets
from ..inputs import InputFile
from ..model import Extraction, Role, SourceRef
from .rows import (
    TableLine,
    assemble,
    is_card_bill,
    locate_header,
    parse_period,
    statement_month,
)
from .terms import TermsReader


class StatementTable(Extractor):
    name = "statement-table"
    role = Role.STATEMENT
    file_types = ("csv", "txt", "xlsx", "xls")
    description = (
        "lender statements / repayment plans (还款计划, 借款明细, card bills) as CSV or Excel, any §8 layout"
    )

    @classmethod
    def identify(cls, sniff: Sniff) -> bool:
        if not cls.accepts_kind(sniff):
            return False
        rows = sniff.head_cells
        if locate_header(rows, card=False) is not None:
            return True
        return is_card_bill(sniff.head_text) and locate_header(rows, card=True) is not None

    def extract(self, inp: InputFile) -> Extraction:
        sheets = read_sheets(inp)
        for card in (False, True):
            for sheet in sheets:
                texts = [r.cells for r in sheet.rows]
                found = locate_header(texts, card=card)
                if found is not None and (not card or is_card_bill("\n".join(r.raw for r in sheet.rows))):
                    return self._extract(inp, sheet, found, card)
        from .rows import describe_statement_header

        raise BadFile(
            describe_statement_header([r.cells for s in sheets for r in s.rows]),
            path=inp.path,
            hint="is this a repayment plan or statement? force a format with --format if it is",
        )

    def _extract(
        self, inp: InputFile, sheet: Sheet, found: tuple[int, int, dict[str, int], list[str]], card: bool
    ) -> Extraction:
        index, span, cols, _ = found
        terms = TermsReader(inp.path, inp.sha256)
        body: list[TableLine] = []
        after_table = False
        for pos, row in enumerate(sheet.rows):
            ref = SourceRef(path=inp.path, sha256=inp.sha256, sheet=sheet.name, row=row.number, text=row.raw)
            if pos < index:
                terms.feed(" ".join(c for c in row.cells if c) if sheet.name else row.raw, ref)
                continue
            if pos < index + span:
                continue
            if after_table or _is_note(row):
                after_table = True
                terms.feed(" ".join(c for c in row.cells if c) if sheet.name else row.raw, ref)
                continue
            line = _line(row, cols, ref)
            if parse_period(line.cells.get("period", "")) is None and _is_term_line(row):
                terms.feed(" ".join(c for c in row.cells if c) if sheet.name else row.raw, ref)
                continue
            body.append(line)
        month = statement_month(" ".join(terms.titles) + " " + " ".join(r.raw for r in sheet.rows[:index]))
        header = SourceRef(
            path=inp.path,
            sha256=inp.sha256,
            sheet=sheet.name,
            row=sheet.rows[index].number,
            text=sheet.rows[index].raw,
        )
        metadata = {
            "layout": "card bill" if card else "repayment plan",
            "header_row": str(sheet.rows[index].number),
        }
        if sheet.name is not None:
            metadata["sheet"] = sheet.name
        if sheet.encoding:
            metadata["encoding"] = sheet.encoding
        return assemble(inp, self.name, terms, body, card=card, month=month, header=header, metadata=metadata)


def _is_term_line(row: Row) -> bool:
    """A ``名称：值`` line inside or after the table (剩余应还：1,632.00), not a table row."""
    first = next((c for c in row.cells if c), "")
    return bool(re.match(r"^[^\d\s:：]{2,12}\s*[:：]", first))


def _is_note(row: Row) -> bool:
    first = next((c for c in row.cells if c), "")
    return (
        bool(re.match(r"^(注|说明|温馨提示|备注|特别提示|声明|Note)", first))
        and sum(1 for c in row.cells if c) <= 2
    )


def _line(row: Row, cols: dict[str, int], ref: SourceRef) -> TableLine:
    cells = {f: (row.cells[i] if i < len(row.cells) else "") for f, i in cols.items()}
    values = {f: row.values[i] for f, i in cols.items() if row.values is not None and i < len(row.values)}
    return TableLine(cells, values, ref)
