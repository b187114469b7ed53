"""The exceptions `reconcile` raises.

Every error knows which file it is about and, where it can, the row or page, so the CLI can print one line:
``Error: <file>:<where>: <what> (<hint>)``.
"""

from __future__ import annotations


class ReconcileError(Exception):
    """Base class of every error this package raises on purpose."""

    default_hint: str = ""

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        where: str | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.where = where
        self.hint = self.default_hint if hint is None else hint

    def located(self, path: str | None = None, where: str | None = None) -> ReconcileError:
        """Fill in the file (and row or page) if they are not already known; returns self."""
        if self.path is None and path is not None:
            self.path = path
        if self.where is None and where is not None:
            self.where = where
        return self

    def __str__(self) -> str:
        parts = []
        if self.path:
            parts.append(self.path if not self.where else f"{self.path}:{self.where}")
        parts.append(self.message)
        text = ": ".join(parts)
        if self.hint:
            text += f" ({self.hint})"
        return text


class ExtractionError(ReconcileError):
    """A file could not be read as any supported export."""


class UnknownFormat(ExtractionError):
    default_hint = "run `reconcile formats` to see what is supported, or force one with --format NAME"


class AmbiguousFormat(ExtractionError):
    default_hint = "choose one with --format NAME"


class NeedsPassword(ExtractionError):
    default_hint = "give the password with --password (Alipay/WeChat ZIP passwords are 6 digits)"


class WrongPassword(ExtractionError):
    default_hint = "check the password; it is shown in the app or message that delivered the file"


class BadFile(ExtractionError):
    default_hint = "re-export the file from the app or bank and try again"


class ConfigError(ReconcileError):
    default_hint = "see `reconcile check --help`"


class ParseError(ValueError):
    """A single value (amount, date, numeral) could not be parsed.

    Raised by the parsing primitives, which know nothing about files; extractors catch it and raise
    `BadFile` with the file and row.
    """
