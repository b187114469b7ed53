"""The library's one call from files to a reconciliation: `check`, which ``reconcile check`` is a thin layer over.

`check` reads every file (content decides whether it is a statement or payment records; ``roles`` forces it,
``formats`` forces a format), refuses a case without a lender's statement, and reconciles. With ``on_error``
every file is tried and each bad one is handed to it before `InputsFailed` is raised, so a user hears about
all of them at once.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import ConfigError, ReconcileError, UnknownFormat

if TYPE_CHECKING:
    from .config import Config
    from .model import Extraction, Result, Role, Withheld


class InputsFailed(ReconcileError):
    """Some inputs could not be read; each was already given to ``on_error``."""


#: ``progress(path, k, total)`` before reading the k-th input; ``progress(None, -1, total)`` before matching.
Progress = Callable[[str | None, int, int], None]


def extract_all(
    paths: Sequence[str | Path],
    *,
    passwords: Sequence[str] = (),
    roles: Mapping[str, Role] | None = None,
    formats: Mapping[str, str] | None = None,
    fallback_format: str | None = None,
    on_error: Callable[[str, BaseException], None] | None = None,
    progress: Progress | None = None,
) -> list[Extraction]:
    """Read every file. ``roles`` forces a file's role (a file read as the other role is an error);
    ``formats`` forces a file's format; ``fallback_format`` is tried for a file no format recognises.

    Without ``on_error`` the first bad file raises; with it, every file is tried, each bad one is passed to
    ``on_error``, and `InputsFailed` is raised at the end if any was."""
    from .reading import extract

    out: list[Extraction] = []
    failed = 0
    for k, path in enumerate(paths, start=1):
        name = str(path)
        if progress is not None:
            progress(name, k, len(paths))
        try:
            if formats and name in formats:
                read = extract(path, format=formats[name], passwords=passwords)
            else:
                try:
                    read = extract(path, passwords=passwords)
                except UnknownFormat:
                    if fallback_format is None:
                        raise
                    read = extract(path, format=fallback_format, passwords=passwords)
            forced = (roles or {}).get(name)
            for ex in read:
                if forced is not None and ex.role is not forced:
                    raise ConfigError(
                        f"read as {ex.role.value} ({ex.extractor}), but given as {forced.value}",
                        path=name,
                        hint="check which file is the lender's and which is yours",
                    )
            out.extend(read)
        except Exception as exc:  # every file is tried when the caller collects the errors
            if on_error is None:
                raise
            on_error(name, exc)
            failed += 1
    if failed:
        raise InputsFailed(f"{failed} of {len(paths)} inputs could not be read")
    return out


def check(
    paths: Sequence[str | Path],
    config: Config | None = None,
    *,
    passwords: Sequence[str] = (),
    roles: Mapping[str, Role] | None = None,
    formats: Mapping[str, str] | None = None,
    fallback_format: str | None = None,
    on_error: Callable[[str, BaseException], None] | None = None,
    progress: Progress | None = None,
) -> Result:
    """Extract every file and reconcile (see `extract_all` for the options). A case needs a lender's
    statement: without one this raises `ConfigError`."""
    from .engine import reconcile
    from .model import Role

    extractions = extract_all(
        paths,
        passwords=passwords,
        roles=roles,
        formats=formats,
        fallback_format=fallback_format,
        on_error=on_error,
        progress=progress,
    )
    if not any(ex.role is Role.STATEMENT for ex in extractions):
        raise ConfigError(
            "no lender statement among the inputs", hint="give the lender's statement or repayment plan too"
        )
    if progress is not None:
        progress(None, -1, len(paths))
    return reconcile(extractions, config)


def unreliable(withheld: Withheld, lang: str = "en") -> ReconcileError:
    """The error that explains why no finding is made from a statement read with low confidence."""
    from .texts import place

    reasons = ("; " if lang == "en" else "；").join(
        (r.message if lang == "en" else r.message_zh or r.message)
        + (f" [{place(r.where, lang)}]" if r.where else "")
        for r in withheld.reasons
    )
    return ReconcileError(
        f"the statement could not be read reliably, so no finding is made from it: {reasons}",
        path=withheld.path,
        hint="check that this is the lender's statement as exported; --unverified shows findings anyway, marked "
        "unverified",
    )
