"""The extractor protocol: a cheap, specific `identify`, and `extract` doing the work.

An extractor *declares* what it reads (name, role, file types, description); shared code does the reading.
Declarations are checked when the class is defined, so a broken extractor fails at import, not on a user's
file.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from functools import cached_property
from typing import ClassVar

from .inputs import InputFile
from .model import Extraction, Role

FILE_TYPES = frozenset({"csv", "txt", "xlsx", "xls", "pdf", "png", "jpg", "jpeg", "webp"})
_CELL_SPLIT = re.compile(r"[,\t|]")
_NAME = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")
_KIND_TYPES = {
    "text": {"csv", "txt"},
    "xlsx": {"xlsx"},
    "xls": {"xls"},
    "pdf": {"pdf"},
    "image": {"png", "jpg", "jpeg", "webp"},
}


class Sniff:
    """What `identify` may look at: the input's kind and a decoded head, computed once and shared by every
    extractor that is asked about the same file."""

    HEAD_BYTES = 64 * 1024
    HEAD_ROWS = 60
    HEAD_ROWS_SCANNED = 200

    def __init__(self, inp: InputFile) -> None:
        self.input = inp

    @property
    def kind(self) -> str:
        return self.input.kind

    @property
    def suffix(self) -> str:
        return self.input.suffix

    @cached_property
    def head_text(self) -> str:
        """The first lines of a text file, the first rows of each worksheet (cells joined by TABs), or the
        first page of a PDF; NFKC is not applied."""
        kind = self.kind
        if kind == "text":
            return _decode_head(self.input.data[: self.HEAD_BYTES])
        if kind in ("xlsx", "xls"):
            return self._sheet_head()
        if kind == "pdf":
            return self._pdf_head()
        return ""

    @cached_property
    def head_lines(self) -> list[str]:
        return [ln.strip() for ln in self.head_text.splitlines()]

    @cached_property
    def head_cells(self) -> list[list[str]]:
        """The first `HEAD_ROWS_SCANNED` head lines split on commas, TABs and bars, each cell stripped of
        spaces and quotes: what the table extractors look for a header in (computed once, not per profile)."""
        return [
            [c.strip().strip('"').strip() for c in _CELL_SPLIT.split(line)]
            for line in self.head_lines[: self.HEAD_ROWS_SCANNED]
        ]

    @cached_property
    def head_header_sets(self) -> list[frozenset[str]]:
        """`head_cells` as sets of normalised header texts (see `table.norm_header`)."""
        from .read.table import norm_header

        return [frozenset(norm_header(c) for c in cells) for cells in self.head_cells]

    def _sheet_head(self) -> str:
        from .read import columnar
        from .read.table import cell_text, workbook_values

        if self.kind == "xlsx" and columnar.wanted(self.input):
            # a large workbook: its head from the text tables the columnar readers use (parsing it with calamine
            # here would cost more than the whole columnar read)
            sheets = columnar.workbook_text(self.input)
            if sheets is not None:
                parts = []
                for name, table in sheets:
                    parts.append(f"#sheet {name}")
                    for row in table.slice(0, self.HEAD_ROWS).to_pylist():
                        parts.append(
                            "\t".join("" if v is None else v.strip() for v in row.values()).rstrip("\t")
                        )
                return "\n".join(parts)
        try:
            parts = []
            for name, rows in workbook_values(self.input):  # parsed once, reused by the extractor
                parts.append(f"#sheet {name}")
                parts.extend(
                    "\t".join(cell_text(v) for v in row).rstrip("\t") for row in rows[: self.HEAD_ROWS]
                )
            return "\n".join(parts)
        except Exception:  # a damaged workbook is reported by the extractor that claims it, or as unknown
            return ""

    def _pdf_head(self) -> str:
        from .read.pdf import first_page_text

        return first_page_text(self.input)


def _decode_head(head: bytes) -> str:
    if head.startswith(b"\xef\xbb\xbf"):
        return head[3:].decode("utf-8", errors="ignore")
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return head.decode("utf-16", errors="ignore")
    try:
        return head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start >= len(head) - 3:
            return head[: exc.start].decode("utf-8")
    return head.decode("gb18030", errors="replace")


class Extractor(ABC):
    """Base class of every extractor. Subclasses set the class attributes and implement both methods."""

    abstract: ClassVar[bool] = False  # set True on shared base classes; they are not validated or registered
    fallback: ClassVar[bool] = False  # asked only when no other extractor claims the file
    name: ClassVar[str]
    role: ClassVar[Role]
    file_types: ClassVar[tuple[str, ...]]
    description: ClassVar[str]

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        if cls.__dict__.get("abstract", False):
            return  # a shared base for other extractors, not an extractor itself
        problems = []
        name = getattr(cls, "name", None)
        if not isinstance(name, str) or not _NAME.fullmatch(name):
            problems.append("name must be kebab-case")
        if not isinstance(getattr(cls, "role", None), Role):
            problems.append("role must be a Role")
        types = getattr(cls, "file_types", ())
        if not types or not set(types) <= FILE_TYPES:
            problems.append(f"file_types must be a non-empty subset of {sorted(FILE_TYPES)}")
        if not getattr(cls, "description", ""):
            problems.append("description is required")
        if problems:
            raise TypeError(f"extractor {cls.__qualname__}: " + "; ".join(problems))

    @classmethod
    def accepts_kind(cls, sniff: Sniff) -> bool:
        """Whether the file's content kind is one this extractor reads (a CSV named .txt still counts)."""
        return bool(_KIND_TYPES.get(sniff.kind, set()) & set(cls.file_types))

    @classmethod
    @abstractmethod
    def identify(cls, sniff: Sniff) -> bool:
        """Cheap and specific: does this file look like the export this extractor reads?"""

    @abstractmethod
    def extract(self, inp: InputFile) -> Extraction:
        """Read the whole file. Raises `BadFile` (with the row or page) when it cannot."""

    def extract_all(self, inp: InputFile) -> list[Extraction]:
        """Everything in the file: one extraction, or several when one file holds several documents (a PDF with
        the statements of two loans)."""
        return [self.extract(inp)]
