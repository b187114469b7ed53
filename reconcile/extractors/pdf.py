"""PDF helpers shared by the PDF extractors."""

from __future__ import annotations

import io

from ..inputs import InputFile


def first_page_text(inp: InputFile) -> str:
    """The text of the first page, for `identify`; empty when the PDF cannot be opened (encrypted, damaged)."""
    try:
        import pdfplumber

        with pdfplumber.open(
            io.BytesIO(inp.data), password=(inp.passwords[0] if inp.passwords else "")
        ) as pdf:
            if not pdf.pages:
                return ""
            return pdf.pages[0].extract_text() or ""
    except Exception:  # identification must never fail; the extractor reports the real problem
        return ""


def explain_unreadable_pdf(inp: InputFile) -> None:
    """Raise the error that says why a PDF gave no text: encrypted, damaged, or scanned images."""
    from ..errors import BadFile, NeedsPassword, WrongPassword

    try:
        import pdfplumber
        from pdfminer.pdfdocument import PDFPasswordIncorrect

        try:
            pdf = pdfplumber.open(io.BytesIO(inp.data), password=(inp.passwords[0] if inp.passwords else ""))
        except PDFPasswordIncorrect as exc:
            if inp.passwords:
                raise WrongPassword("wrong password for the PDF", path=inp.path) from exc
            raise NeedsPassword(
                "the PDF is password-protected", path=inp.path, hint="give the password with --password"
            ) from exc
        with pdf:
            pages = len(pdf.pages)
            text = "".join((p.extract_text() or "") for p in pdf.pages[:3])
    except (NeedsPassword, WrongPassword):
        raise
    except Exception as exc:
        raise BadFile(
            f"cannot read the PDF ({type(exc).__name__})",
            path=inp.path,
            hint="the file may be damaged or truncated; download it again",
        ) from exc
    if pages == 0:
        raise BadFile("the PDF has no pages", path=inp.path)
    if not text.strip() or text.count("(cid:") * 6 > len(text):
        raise BadFile(
            "the PDF has no extractable text (a scan, or fonts without a text mapping)",
            path=inp.path,
            where="page 1",
            hint="ask the lender for a text PDF, CSV or Excel export; OCR is not supported",
        )
