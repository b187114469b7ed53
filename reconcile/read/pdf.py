"""PDF helpers shared by the PDF extractors: identification text and explaining unreadable PDFs."""

from __future__ import annotations

from ..errors import BadFile, ReconcileError
from ..inputs import InputFile


def first_page_text(inp: InputFile) -> str:
    """The text of the first page, for `identify`; empty when the PDF cannot be opened (encrypted, damaged)."""
    from .pdfopen import engine, open_pdf

    if engine() == "pdfium":
        try:
            import pypdfium2 as pdfium

            for password in [*inp.passwords, None] if inp.passwords else [None]:
                try:
                    doc = pdfium.PdfDocument(inp.data, password=password)
                except pdfium.PdfiumError:
                    continue
                try:
                    if len(doc) == 0:
                        return ""
                    page = doc[0]
                    textpage = page.get_textpage()
                    text = str(textpage.get_text_range())
                    textpage.close()
                    page.close()
                    return text.replace("\r\n", "\n")
                finally:
                    doc.close()
            return ""
        except Exception:  # identification never fails; fall through to the reference reader
            pass
    try:
        with open_pdf(inp) as pdf:
            if not pdf.pages:
                return ""
            return str(pdf.pages[0].extract_text() or "")
    except ReconcileError:
        return ""
    except Exception:  # identification never fails; the extractor or explain_unreadable_pdf says why
        return ""


def explain_unreadable_pdf(inp: InputFile) -> None:
    """Raise the error that says why a PDF gave no text: password, damage, or scanned images (no text layer)."""
    from .pdfopen import open_pdf

    try:
        with open_pdf(inp) as pdf:  # raises NeedsPassword / WrongPassword / BadFile itself
            pages = len(pdf.pages)
            text = "".join((p.extract_text() or "") for p in pdf.pages[:3])
    except ReconcileError:
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
