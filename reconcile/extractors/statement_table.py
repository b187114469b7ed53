"""Lenders' statements and repayment plans as CSV, XLSX or XLS (FORMATS.md §8): any subset and order of the
schedule columns, Chinese or English, a header over two rows, merged cells, totals rows; or a credit-card bill
(transactions with 本期应还金额 / 最低还款额 around them)."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from decimal import Decimal

from ..errors import BadFile
from ..inputs import InputFile
from ..model import Charge, CreditedRepayment, DeclaredTotal, Extraction, Notice, Role, SourceRef, Statement
from ..money import parse_amount
from .base import Extractor, Sniff
from .statement import (
    CARD_MARKERS,
    Parts,
    TableLine,
    TermsReader,
    _date,
    _money,
    classify_lines,
    locate_header,
    parse_period,
    self_checks,
)
from .table import Row, Sheet, read_sheets

_CARD_INTEREST = re.compile(r"利息|interest", re.I)
_CARD_FEE = re.compile(r"费|违约金|滞纳金|fee", re.I)
_CARD_REPAY = re.compile(r"还款|repayment|payment", re.I)


def is_card_bill(text: str) -> bool:
    return sum(1 for m in CARD_MARKERS if m in text) >= 2


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
        lines = [re.split(r"[,\t|]", ln) for ln in sniff.head_lines[:200]]
        rows = [[c.strip().strip('"').strip() for c in cells] for cells in lines]
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
        from .statement import describe_statement_header

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
        notices: list[Notice] = []
        month = statement_month(" ".join(terms.titles) + " " + " ".join(r.raw for r in sheet.rows[:index]))
        parts = _card_parts(body, month) if card else classify_lines(body)
        loan_terms, as_of, settled_on, declared = terms.terms(notices)
        statement = Statement(
            terms=loan_terms,
            installments=tuple(parts.installments),
            charges=tuple(parts.charges),
            repayments=tuple(parts.repayments),
            declared_totals=tuple(declared + parts.declared),
            as_of=as_of,
            settled_on=settled_on,
            sources=(
                SourceRef(
                    path=inp.path,
                    sha256=inp.sha256,
                    sheet=sheet.name,
                    row=sheet.rows[index].number,
                    text=sheet.rows[index].raw,
                ),
            ),
        )
        checks = self_checks(statement) + (_card_checks(statement) if card else ())
        statement = replace(statement, checks=checks)
        metadata = {
            "layout": "card bill" if card else "repayment plan",
            "header_row": str(sheet.rows[index].number),
        }
        if sheet.name is not None:
            metadata["sheet"] = sheet.name
        if sheet.encoding:
            metadata["encoding"] = sheet.encoding
        notices += parts.notices
        for check in checks:
            if not check.ok:
                notices.append(
                    Notice(
                        code=check.code,
                        message=check.message,
                        where=check.evidence[0].where() if check.evidence else "",
                    )
                )
        return Extraction(
            path=inp.path,
            sha256=inp.sha256,
            extractor=self.name,
            role=self.role,
            statement=statement,
            metadata=metadata,
            checks=checks,
            notices=tuple(notices),
        )


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


def statement_month(text: str) -> tuple[int, int] | None:
    """(year, month) of a card bill, from its title (``2025年02月``) or its 账单日."""
    m = re.search(r"(\d{4})\s*年\s*(\d{1,2})\s*月", text) or re.search(
        r"账单日[:：]\s*(\d{4})[-/](\d{1,2})", text
    )
    return (int(m.group(1)), int(m.group(2))) if m and 1 <= int(m.group(2)) <= 12 else None


def _card_date(line: TableLine, month: tuple[int, int] | None) -> date | None:
    for name in ("date", "posting_date"):
        text = line.cells.get(name, "").strip()
        m = re.fullmatch(r"(\d{1,2})[/-](\d{1,2})", text)
        if m and month is not None:
            mm, dd = int(m.group(1)), int(m.group(2))
            year = month[0] if mm <= month[1] else month[0] - 1  # a January bill lists December spending
            try:
                return date(year, mm, dd)
            except ValueError:
                raise BadFile(
                    f"not a valid date: {text!r}", path=line.source.path, where=line.source.where()
                ) from None
        if text:
            return _date(name, line)
    return None


def _card_parts(lines: list[TableLine], month: tuple[int, int] | None = None) -> Parts:
    parts = Parts()
    for line in lines:
        amount = _money("amount", line)
        if amount is None:
            continue
        description = line.cells.get("description", "")
        when = _card_date(line, month)
        if (_CARD_REPAY.search(description) and amount < 0) or (
            _CARD_REPAY.search(description) and "还款" in description
        ):
            parts.repayments.append(
                CreditedRepayment(amount=abs(amount), date=when, description=description, source=line.source)
            )
        elif _CARD_INTEREST.search(description):
            parts.charges.append(
                Charge(kind="interest", description=description, amount=amount, date=when, source=line.source)
            )
        elif _CARD_FEE.search(description):
            kind = "penalty" if re.search(r"违约金|滞纳金", description) else "fee"
            parts.charges.append(
                Charge(kind=kind, description=description, amount=amount, date=when, source=line.source)
            )
        else:
            parts.charges.append(
                Charge(
                    kind="purchase" if amount > 0 else "refund",
                    description=description,
                    amount=amount,
                    date=when,
                    source=line.source,
                )
            )
    return parts


def _card_checks(st: Statement) -> tuple:  # type: ignore[type-arg]
    """Previous balance + new charges - repayments = the amount due this period."""
    from ..model import SelfCheck

    declared = {d.name: d for d in st.declared_totals}
    previous = next((d for d in st.declared_totals if d.label.startswith("上期")), None)
    due = declared.get("current_due")
    if due is None:
        return ()
    start = previous.value if previous is not None else Decimal("0.00")
    computed = (
        start
        + sum((c.amount for c in st.charges), Decimal("0.00"))
        - sum((r.amount for r in st.repayments), Decimal("0.00"))
    )
    ok = computed == due.value
    what = (
        f"previous balance {start} + charges - repayments = {computed}"
        if previous
        else (f"charges - repayments = {computed}")
    )
    return (
        SelfCheck(
            code="declared-total",
            ok=ok,
            expected=due.value,
            actual=computed,
            message=f"{due.label} is {due.value}; {what}",
            evidence=(due.source,),
        ),
    )


_ = (DeclaredTotal, parse_amount)
