"""结清证明 (settlement certificates): a lender's statement that a loan was fully repaid on a date. It becomes a
`Statement` with ``settled_on`` set: any later claim on that loan is already paid (FORMATS.md §8)."""

from __future__ import annotations

import re

from ..dates import parse_date
from ..errors import BadFile, ParseError
from ..extractor import Extractor, Sniff
from ..inputs import InputFile
from ..model import DeclaredTotal, Extraction, LoanTerms, Notice, Role, SourceRef, Statement
from ..money import parse_amount
from ..read.pdftable import open_pdf
from ..vocab import product_of

_TITLE = re.compile(r"结\s*清\s*证\s*明|贷款结清证明|还款证明|Settlement certificate", re.I)
_DATE = r"(\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|\d{4}[-/.]\d{1,2}[-/.]\d{1,2})"
_SETTLED = re.compile(_DATE + r"[^。；;,，]{0,12}?(?:全部|已|全额)?(?:结清|还清|清偿)")
_SETTLED_AFTER = re.compile(r"(?:结清日期|结清时间|还清日期)\s*[:：]\s*" + _DATE)
_LOAN_ID = re.compile(
    r"(?:借据号|借款编号|贷款账号|合同编号|借据编号|合同号)\s*[:：]?\s*([A-Za-z0-9-]{4,40})"
)
_LENDER = re.compile(
    r"([\u4e00-\u9fff（）()]{2,30}(?:银行|消费金融有限公司|小额贷款有限公司|金融有限公司|股份有限公司|有限公司))"
)
_PRINCIPAL = re.compile(
    r"借款(?:人民币|金额)?[:：]?\s*((?:人民币)?[¥￥]?[0-9,]+(?:\.\d+)?元?|人民币[壹贰叁肆伍陆柒捌玖拾佰仟万亿零元角分整]+)"
)


class SettlementCertificate(Extractor):
    name = "settlement-certificate"
    role = Role.STATEMENT
    file_types = ("pdf", "txt")
    description = "结清证明: a lender's certificate that a loan was fully repaid on a date"

    @classmethod
    def identify(cls, sniff: Sniff) -> bool:
        if sniff.kind not in ("pdf", "text"):
            return False
        head = sniff.head_text[:3000]
        return bool(_TITLE.search(head[:300])) and bool(_SETTLED.search(head) or _SETTLED_AFTER.search(head))

    def extract(self, inp: InputFile) -> Extraction:
        lines = self._lines(inp)
        text = "".join(line for _, line in lines)
        m = _SETTLED_AFTER.search(text) or _SETTLED.search(text)
        if not m:
            raise BadFile(
                "no settlement date found (expected e.g. 已于2024年06月25日全部结清)", path=inp.path
            )
        try:
            settled_on = parse_date(re.sub(r"\s+", "", m.group(1)))
        except ParseError as exc:
            raise BadFile(f"settlement date: {exc}", path=inp.path) from exc
        ref = _ref(inp, lines, m.group(0))
        loan = _LOAN_ID.search(text)
        principal = None
        p = _PRINCIPAL.search(text)
        if p:
            try:
                principal = parse_amount(p.group(1))
            except ParseError:
                principal = None
        lender_match = None
        for found in _LENDER.finditer(text):
            lender_match = found  # the issuer signs at the end
        lender = lender_match.group(1) if lender_match else ""
        issued = None
        dates = re.findall(_DATE, text)
        if dates:
            try:
                issued = parse_date(re.sub(r"\s+", "", dates[-1]))
            except ParseError:
                issued = None
        terms = LoanTerms(
            lender=lender,
            product=product_of(lender, text),
            loan_id=loan.group(1) if loan else "",
            principal=principal,
            sources=(ref,),
        )
        declared = (
            DeclaredTotal(name="remaining", label="结清后剩余欠款", value=parse_amount("0"), source=ref),
        )
        statement = Statement(
            terms=terms, settled_on=settled_on, as_of=issued, declared_totals=declared, sources=(ref,)
        )
        notices = []
        if not loan:
            notices.append(
                Notice(
                    code="term-missing",
                    message="the certificate names no loan id; it will be matched to a loan by lender only",
                    message_zh="结清证明未写明借据号，只能按贷款机构对应到贷款",
                )
            )
        return Extraction(
            path=inp.path,
            sha256=inp.sha256,
            extractor=self.name,
            role=self.role,
            statement=statement,
            metadata={"layout": "settlement certificate"},
            notices=tuple(notices),
        )

    def _lines(self, inp: InputFile) -> list[tuple[SourceRef, str]]:
        if inp.kind == "text":
            from ..read.table import decode_text, split_lines

            text, _ = decode_text(inp)
            return [
                (SourceRef(path=inp.path, sha256=inp.sha256, row=i, text=ln), ln)
                for i, ln in enumerate(split_lines(text), start=1)
            ]
        out = []
        with open_pdf(inp) as pdf:
            for page_no, page in enumerate(pdf.pages, start=1):
                for i, ln in enumerate((page.extract_text() or "").splitlines(), start=1):
                    out.append(
                        (SourceRef(path=inp.path, sha256=inp.sha256, page=page_no, row=i, text=ln), ln)
                    )
        return out


def _ref(inp: InputFile, lines: list[tuple[SourceRef, str]], needle: str) -> SourceRef:
    """The line holding the settlement sentence (or the first line it starts on)."""
    compact = re.sub(r"\s+", "", needle)
    for ref, line in lines:
        if compact[:8] in re.sub(r"\s+", "", line):
            return ref
    return lines[0][0] if lines else SourceRef(path=inp.path, sha256=inp.sha256)
