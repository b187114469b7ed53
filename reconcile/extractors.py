"""The extractor registry: which extractor reads a file, decided by content, never by name alone.

Exactly one extractor may claim a file: two is `AmbiguousFormat` (naming both), none is `UnknownFormat`
(listing the known formats). Other packages add extractors through the ``reconcile.extractors`` entry-point
group; set ``RECONCILE_NO_PLUGINS=1`` (as the tests do) to ignore them.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Sequence

from .errors import AmbiguousFormat, BadFile, ExtractionError, ReconcileError, UnknownFormat
from .extractor import Extractor, Sniff
from .inputs import InputFile
from .model import Extraction
from .payments.alipay import AlipayCsv
from .payments.banks import DECLARED, GenericBank
from .payments.cmb_pdf import CmbDebitPdf
from .payments.jd import JdTransactions
from .payments.wechat import WeChatPay
from .read.prefetch import settle
from .statements.image import StatementImage
from .statements.pdf import StatementPdf
from .statements.settlement import SettlementCertificate
from .statements.table import StatementTable

#: The built-in extractors, in the order `reconcile formats` lists them.
BUILTIN: tuple[type[Extractor], ...] = (
    AlipayCsv,
    WeChatPay,
    JdTransactions,
    *DECLARED,
    CmbDebitPdf,
    StatementTable,
    StatementPdf,
    StatementImage,
    SettlementCertificate,
    GenericBank,
)

ENTRY_POINT_GROUP = "reconcile.extractors"


def _plugins() -> list[type[Extractor]]:
    if os.environ.get("RECONCILE_NO_PLUGINS"):
        return []
    return _installed_plugins()


@functools.cache
def _installed_plugins() -> list[type[Extractor]]:
    """The installed plugins, looked up once per process (scanning the installed distributions takes a while)."""
    from importlib.metadata import entry_points

    found: list[type[Extractor]] = []
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        obj = ep.load()
        if not (isinstance(obj, type) and issubclass(obj, Extractor)):
            raise TypeError(f"entry point {ep.name!r} in {ENTRY_POINT_GROUP} is not an Extractor subclass")
        found.append(obj)
    return found


def registry(*, plugins: bool = True) -> dict[str, type[Extractor]]:
    """Name -> extractor class, built-ins first, then plugins. A duplicate name is an error."""
    out: dict[str, type[Extractor]] = {}
    for cls in (*BUILTIN, *(_plugins() if plugins else [])):
        if cls.name in out:
            raise TypeError(f"two extractors are named {cls.name!r}")
        out[cls.name] = cls
    return out


def identify(inp: InputFile, *, extractors: Sequence[type[Extractor]] | None = None) -> type[Extractor]:
    """The one extractor that claims ``inp``."""
    candidates = list(registry().values()) if extractors is None else list(extractors)
    sniff = Sniff(inp)
    if inp.kind == "empty":
        raise BadFile("the file is empty", path=inp.path, hint="re-export it; the download may have failed")
    claimed = [cls for cls in candidates if not cls.fallback and cls.identify(sniff)]
    if not claimed:
        claimed = [cls for cls in candidates if cls.fallback and cls.identify(sniff)]
    if len(claimed) == 1:
        return claimed[0]
    if len(claimed) > 1:
        names = ", ".join(cls.name for cls in claimed)
        raise AmbiguousFormat(f"the file matches several formats: {names}", path=inp.path)
    if inp.kind == "pdf" and not sniff.head_text.strip():
        from .read.pdf import explain_unreadable_pdf

        explain_unreadable_pdf(inp)
    known = ", ".join(cls.name for cls in candidates)
    what = {
        "binary": "binary data",
        "text": "a text file",
        "xlsx": "a workbook",
        "xls": "a legacy XLS workbook",
        "pdf": "a PDF",
        "zip": "a ZIP archive",
    }.get(inp.kind, inp.kind)
    raise UnknownFormat(
        f"not a supported export ({what} that no extractor recognises; known: {known})", path=inp.path
    )


def extract_input(inp: InputFile, *, format: str | None = None) -> Extraction:
    """Extract one already-read input, with the named format or the one that claims it (the first document,
    when the file holds several: see `extract_inputs`)."""
    return extract_inputs(inp, format=format)[0]


def extract_inputs(inp: InputFile, *, format: str | None = None) -> list[Extraction]:
    """Every document in one already-read input (usually one; a PDF with two loans' statements gives two)."""
    try:
        return _extract_input(inp, format)
    finally:
        settle(inp)  # a background parse of the input (`read.prefetch`) never outlives its extraction


def _extract_input(inp: InputFile, format: str | None) -> list[Extraction]:
    if format is not None:
        reg = registry()
        if format not in reg:
            raise UnknownFormat(
                f"unknown format {format!r}; known: {', '.join(reg)}",
                path=inp.path,
                hint="run `reconcile formats`",
            )
        cls = reg[format]
    else:
        cls = identify(inp)
    try:
        return cls().extract_all(inp)
    except ReconcileError as exc:
        exc.located(inp.path)
        raise
    except RecursionError as exc:
        raise BadFile("the file is nested too deeply to read", path=inp.path) from exc
    except MemoryError as exc:
        raise BadFile("the file is too large to read in memory", path=inp.path) from exc


__all__ = [
    "BUILTIN",
    "AmbiguousFormat",
    "ExtractionError",
    "Extractor",
    "Sniff",
    "UnknownFormat",
    "extract_input",
    "extract_inputs",
    "identify",
    "registry",
]
