"""Opening a PDF, shared by both PDF readers (`pdfpage` and `pdftable`): the password that works, a damaged or
over-long file refused with the reason, and the settings for reading it: which engine and how many processes."""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from ..errors import BadFile, NeedsPassword, WrongPassword
from ..inputs import InputFile

#: Pages read at most; a statement longer than this is split by the user.
MAX_PAGES = 5000
#: Pages from which a PDF is read with several processes (the engines' work is CPU-bound).
PARALLEL_FROM_PAGES = 24


@contextmanager
def open_pdf(inp: InputFile) -> Iterator[Any]:
    """Open a PDF with pdfplumber, with the first of the given passwords that works."""
    import pdfplumber

    passwords = list(inp.passwords) or [""]
    pdf = None
    for password in passwords:
        try:
            pdf = pdfplumber.open(io.BytesIO(inp.data), password=password)
            _ = pdf.pages  # forces the document (and its encryption) to be read
            setattr(pdf, "_reconcile_password", password)  # noqa: B010 - remembered for worker processes
            break
        except Exception as exc:
            if _is_password_error(exc):
                pdf = None
                continue
            inner = exc.args[0] if exc.args and isinstance(exc.args[0], BaseException) else exc
            raise BadFile(
                f"cannot read the PDF ({type(inner).__name__})",
                path=inp.path,
                hint="the file may be damaged or truncated; download it again",
            ) from exc
    if pdf is None:
        if inp.passwords:
            raise WrongPassword(f"wrong password for the PDF ({len(inp.passwords)} tried)", path=inp.path)
        raise NeedsPassword(
            "the PDF is password-protected",
            path=inp.path,
            hint="give the password with --password (it is in the message that sent the PDF)",
        )
    if len(pdf.pages) > MAX_PAGES:
        pdf.close()
        raise BadFile(f"the PDF has {len(pdf.pages)} pages; at most {MAX_PAGES} are read", path=inp.path)
    try:
        yield pdf
    finally:
        pdf.close()


def _is_password_error(exc: BaseException) -> bool:
    """pdfplumber wraps pdfminer's PDFPasswordIncorrect in its own exception."""
    from pdfminer.pdfdocument import PDFPasswordIncorrect

    seen: BaseException | None = exc
    for _ in range(4):
        if seen is None:
            return False
        if isinstance(seen, PDFPasswordIncorrect) or any(
            isinstance(a, PDFPasswordIncorrect) for a in seen.args
        ):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def jobs_for(pages: int) -> int:
    """How many processes read a PDF: ``RECONCILE_JOBS`` if set, else one per core (at most 4) for long PDFs."""
    configured = os.environ.get("RECONCILE_JOBS", "").strip()
    if configured.isdigit() and int(configured) > 0:
        return min(int(configured), max(pages, 1))
    if pages < PARALLEL_FROM_PAGES:
        return 1
    return max(1, min(os.cpu_count() or 1, 4, pages))


def engine() -> str:
    """``pdfium`` (pypdfium2: fast) or ``pdfplumber`` (the reference); the tests check that both give identical
    records. ``RECONCILE_PDF_ENGINE`` chooses."""
    chosen = os.environ.get("RECONCILE_PDF_ENGINE", "pdfium").strip().lower()
    return chosen if chosen in ("pdfium", "pdfplumber") else "pdfium"
