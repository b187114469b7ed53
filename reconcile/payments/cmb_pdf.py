"""招商银行 交易流水 (CMB debit transaction statement) as the text PDF the bank emails (FORMATS.md §4.1).

Bilingual header (记账日期 货币 交易金额 联机余额 交易摘要 对手信息 客户摘要, then the English line), counter-party
name and account wrapped over two lines, header repeated on every page, page footers ``1/5``, an end marker
and a 温馨提示 block. Password-protected PDFs open with ``--password``.
"""

from __future__ import annotations

import re

from ..errors import BadFile
from ..extractor import Sniff
from ..inputs import InputFile
from ..model import Extraction
from ..read.pdftable import page_lines, read_table
from ..read.table import Header, Row, Sheet
from .bank import BankTable

HEADER = ("记账日期", "货币", "交易金额", "联机余额", "交易摘要", "对手信息", "客户摘要")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_STOP = re.compile(r"^(—{3,}|-{10,}|温馨提示|合并统计)")


class CmbDebitPdf(BankTable):
    name = "cmb-debit-pdf"
    bank = "招商银行"
    description = "招商银行 交易流水 PDF (借记卡, text PDF as emailed; password PDFs with --password)"
    file_types = ("pdf",)
    header_names = HEADER

    @classmethod
    def identify(cls, sniff: Sniff) -> bool:
        if sniff.kind != "pdf":
            return False
        text = re.sub(r"\s+", "", sniff.head_text)
        return ("招商银行交易流水" in text or "TransactionStatementofChinaMerchantsBank" in text) and all(
            h in text for h in HEADER[:4]
        )

    def extract(self, inp: InputFile) -> Extraction:
        table = read_table(
            page_lines(inp),
            HEADER,
            is_anchor=lambda cells: bool(_DATE.match(cells[0].split(" ")[0])),
            stop=lambda t: bool(_STOP.match(t)),
        )
        rows, preamble, first_page = table.rows, table.preamble, table.first_page
        if not first_page:
            raise BadFile(
                "no 交易流水 table header (记账日期 … 客户摘要) found",
                path=inp.path,
                hint="is this the CMB 交易流水 PDF?",
            )
        header_row = Row(0, list(HEADER), " ".join(HEADER), page=first_page)
        sheet_rows = [Row(i + 1, [line], line, page=first_page) for i, line in enumerate(preamble)]
        sheet_rows.append(header_row)
        sheet_rows += [Row(r.index, r.cells, r.raw, page=r.page) for r in rows]
        sheet = Sheet(None, sheet_rows)
        columns = {
            field: i
            for i, field in enumerate(
                ("date", "currency", "amount", "balance", "summary", "counterparty", "note")
            )
        }
        extraction = self._extract_sheet(inp, sheet, Header(len(preamble), header_row, columns))
        return extraction
