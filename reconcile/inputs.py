"""Reading input files: bytes, hash, what kind of file it is, and opening password ZIP exports.

Input files are only ever opened for reading. A ZIP export (Alipay: AES-256; WeChat: ZipCrypto) is opened in
memory and each member becomes an input of its own, named ``archive.zip!member.csv``.
"""

from __future__ import annotations

import hashlib
import io
import re
import stat
import zipfile
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from .errors import BadFile, NeedsPassword, WrongPassword

#: Limits against ZIP bombs: total uncompressed bytes, compression ratio per member, number of members.
ZIP_MAX_TOTAL = 1 << 30
ZIP_MAX_RATIO = 200
ZIP_MAX_MEMBERS = 200
#: Largest single input read, compressed or not.
MAX_FILE_BYTES = 1 << 30

_PDF_START = re.compile(rb"\s*%PDF-")
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass(frozen=True)
class InputFile:
    """One input's bytes with its display path and hash. ``password`` is the one that opened it, if any."""

    path: str
    data: bytes = field(repr=False)
    passwords: tuple[str, ...] = ()
    container: str | None = None  # the archive it came from
    #: parsed forms of the content shared by identification and extraction (a workbook is parsed once)
    cache: dict[str, Any] = field(default_factory=dict, repr=False, compare=False, hash=False)

    @cached_property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    @property
    def suffix(self) -> str:
        return Path(self.path.rsplit("!", 1)[-1]).suffix.lower().lstrip(".")

    @cached_property
    def kind(self) -> str:
        """``pdf``, ``xlsx``, ``xls``, ``zip``, ``image``, ``text``, ``empty`` or ``binary``, from the content."""
        head = self.data[:8]
        if not self.data or self.data.isspace():
            return "empty"
        if _PDF_START.match(self.data):
            return "pdf"
        if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
            return "xlsx" if _is_ooxml_workbook(self.data) else "zip"
        if head == _OLE:
            return "xls"
        if head.startswith((b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff")) or (
            head.startswith(b"RIFF") and self.data[8:12] == b"WEBP"
        ):
            return "image"
        return "text" if _looks_like_text(self.data[:65536]) else "binary"


def _is_ooxml_workbook(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        return False
    return "xl/workbook.xml" in names or (
        "[Content_Types].xml" in names and any(n.startswith("xl/") for n in names)
    )


def _looks_like_text(head: bytes) -> bool:
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    if b"\x00" in head:
        return False
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 13, 12))
    return controls <= max(2, len(head) // 200)


def read_input(path: str | Path, passwords: Sequence[str] = ()) -> list[InputFile]:
    """Read one file; a ZIP archive gives one input per member. Raises `BadFile` for unreadable files."""
    p = Path(path)
    shown = str(path)
    if not p.exists():
        raise BadFile("no such file", path=shown, hint="check the path")
    if p.is_dir():
        raise BadFile("is a directory, not a file", path=shown, hint="give the export files themselves")
    try:
        info = p.stat()
        if not stat.S_ISREG(info.st_mode):
            raise BadFile(
                "not a regular file (a pipe, a device or a socket)",
                path=shown,
                hint="give the export file itself",
            )
        size = info.st_size
        if size > MAX_FILE_BYTES:
            raise BadFile(
                f"file is {size} bytes, larger than the {MAX_FILE_BYTES} bytes accepted",
                path=shown,
                hint="split the export into shorter periods",
            )
        with p.open("rb") as fh:  # never more than the limit, even if the file grows while it is read
            data = fh.read(MAX_FILE_BYTES + 1)
        if len(data) > MAX_FILE_BYTES:
            raise BadFile(
                f"file grew past the {MAX_FILE_BYTES} bytes accepted while it was read",
                path=shown,
                hint="give a finished export",
            )
    except PermissionError as exc:
        raise BadFile("permission denied", path=shown, hint="check the file's permissions") from exc
    except OSError as exc:
        raise BadFile(f"cannot read: {exc.strerror or exc}", path=shown) from exc
    inp = InputFile(shown, data, tuple(passwords))
    if inp.kind == "zip":
        return open_zip(inp, passwords)
    if inp.kind == "xlsx":
        check_workbook_size(inp)
    return [inp]


def check_workbook_size(inp: InputFile) -> None:
    """Refuse a workbook whose parts would expand past the ZIP limits (an XLSX is a ZIP archive): in all more
    than `ZIP_MAX_TOTAL` bytes, or a part over 1 MiB more than `ZIP_MAX_RATIO` times its compressed size. Real
    sheets compress 10 to 20 times; a workbook far beyond that would exhaust memory before any row is read."""
    try:
        with zipfile.ZipFile(io.BytesIO(inp.data)) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        return  # not readable as a ZIP after all: the workbook reader reports that
    _check_workbook_parts(inp, infos)
    total = sum(info.file_size for info in infos)
    swollen = [
        info
        for info in infos
        if info.file_size > 1 << 20 and info.file_size > max(info.compress_size, 1) * ZIP_MAX_RATIO
    ]
    if total > ZIP_MAX_TOTAL or swollen:
        what = (
            f"{swollen[0].filename} expands {swollen[0].file_size // max(swollen[0].compress_size, 1)} times"
            if swollen
            else f"its parts expand to {total} bytes"
        )
        raise BadFile(
            f"refusing to read the workbook: {what}, beyond the safety limit ({ZIP_MAX_RATIO}x, "
            f"{ZIP_MAX_TOTAL} bytes in all)",
            path=inp.path,
            hint="this looks like a ZIP bomb or a damaged file; re-export it",
        )


#: Cells a worksheet's <dimension> may span; real exports are far below, a forged one asks for billions.
MAX_SHEET_CELLS = 50_000_000


def _check_workbook_parts(inp: InputFile, infos: list[zipfile.ZipInfo]) -> None:
    """Refuse a workbook whose parts announce more than they hold, before any parser sizes its memory by those
    announcements: a shared-strings table declaring more strings than its bytes can contain (a 1 MB file
    declaring four billion aborts the spreadsheet library outright), or a sheet whose dimension spans more cells
    than any export has."""
    with zipfile.ZipFile(io.BytesIO(inp.data)) as zf:
        for info in infos:
            name = info.filename.lower()
            if not (name.endswith("sharedstrings.xml") or "worksheets/sheet" in name):
                continue
            try:
                with zf.open(info) as fh:
                    head = fh.read(4096)
            except (zipfile.BadZipFile, ValueError, OSError, EOFError, zlib.error, NotImplementedError):
                continue  # damaged: the workbook reader reports it
            if name.endswith("sharedstrings.xml"):
                # uniqueCount is the number of strings (count, the cells that use them, may be larger)
                declared = [int(v) for v in re.findall(rb'uniqueCount="(\d{1,20})"', head[:1024])]
                room = info.file_size // 8 + 64  # a string takes at least <si><t/></si>
                if declared and max(declared) > room:
                    raise BadFile(
                        f"refusing to read the workbook: its shared-strings table declares {max(declared)} strings "
                        f"but has room for at most {room}",
                        path=inp.path,
                        hint="the file is damaged or was built to crash readers; re-export it",
                    )
            else:
                m = re.search(rb'<dimension ref="[A-Z]{1,3}(\d{1,7}):([A-Z]{1,3})(\d{1,7})"', head)
                if m:
                    columns = 0
                    for ch in m.group(2).decode():
                        columns = columns * 26 + (ord(ch) - 64)
                    cells = (int(m.group(3)) - int(m.group(1)) + 1) * columns
                    if cells > MAX_SHEET_CELLS:
                        raise BadFile(
                            f"refusing to read the workbook: {info.filename} spans {cells} cells "
                            f"(at most {MAX_SHEET_CELLS} are read)",
                            path=inp.path,
                            hint="the file is damaged or not an export; re-export it",
                        )


def _member_name(info: zipfile.ZipInfo) -> str:
    """Member names are UTF-8 when flagged, otherwise bytes zipfile decoded as CP437: try GBK, then UTF-8."""
    if info.flag_bits & 0x800:
        return info.filename
    try:
        raw = info.filename.encode("cp437")
    except UnicodeEncodeError:
        return info.filename
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return info.filename


def open_zip(archive: InputFile, passwords: Sequence[str] = ()) -> list[InputFile]:
    """Open a ZIP export (AES or ZipCrypto) and return its file members as inputs."""
    import pyzipper

    try:
        zf = pyzipper.AESZipFile(io.BytesIO(archive.data))
    except (
        zipfile.BadZipFile,
        pyzipper.BadZipFile,
        ValueError,
        OSError,
        EOFError,
        NotImplementedError,
    ) as exc:
        raise BadFile(
            f"not a readable ZIP archive ({exc})",
            path=archive.path,
            hint="the download may be incomplete or damaged; download it again",
        ) from exc
    members = [info for info in zf.infolist() if not info.is_dir()]
    if not members:
        raise BadFile("the ZIP archive is empty", path=archive.path)
    if len(members) > ZIP_MAX_MEMBERS:
        raise BadFile(
            f"the ZIP archive has {len(members)} members; at most {ZIP_MAX_MEMBERS} are read",
            path=archive.path,
            hint="extract the export you need from it",
        )
    out: list[InputFile] = []
    total = 0
    for info in members:
        name = _member_name(info)
        where = f"{archive.path}!{name}"
        data = _read_member(zf, info, where, passwords, budget=ZIP_MAX_TOTAL - total)
        total += len(data)
        member = InputFile(where, data, tuple(passwords), container=archive.path)
        if member.kind == "zip":
            raise BadFile(
                "the archive contains another ZIP archive",
                path=where,
                hint="extract the inner archive first and give its files",
            )
        if member.kind == "xlsx":
            check_workbook_size(member)
        out.append(member)
    return out


def _read_member(
    zf: zipfile.ZipFile, info: zipfile.ZipInfo, where: str, passwords: Sequence[str], budget: int
) -> bytes:
    encrypted = bool(info.flag_bits & 0x1)
    if encrypted and not passwords:
        raise NeedsPassword("the ZIP archive is password-protected", path=where)
    candidates: list[str | None] = list(passwords) if encrypted else [None]
    last_error: Exception | None = None
    for password in candidates:
        try:
            return _read_limited(zf, info, where, password, budget)
        except BadFile:
            raise
        except (RuntimeError, zipfile.BadZipFile, zlib.error, ValueError, EOFError, OSError) as exc:
            if not encrypted or not _password_problem(exc):
                raise BadFile(
                    f"corrupt ZIP member ({type(exc).__name__}: {exc})",
                    path=where,
                    hint="the download may be incomplete or damaged; download it again",
                ) from exc
            last_error = exc
        except Exception as exc:  # pyzipper's own BadZipFile and friends: a damaged archive
            raise BadFile(
                f"corrupt ZIP member ({type(exc).__name__}: {exc})",
                path=where,
                hint="the download may be incomplete or damaged; download it again",
            ) from exc
    tried = len(candidates)
    raise WrongPassword(f"wrong password for the ZIP archive ({tried} tried)", path=where) from last_error


def _password_problem(exc: BaseException) -> bool:
    """Whether a failure to read an encrypted member says the password is wrong (rather than the data bad)."""
    text = str(exc).lower()
    return "password" in text or "bad password" in text or isinstance(exc, RuntimeError)


def _read_limited(
    zf: zipfile.ZipFile, info: zipfile.ZipInfo, where: str, password: str | None, budget: int
) -> bytes:
    limit = min(budget, max(info.compress_size, 1) * ZIP_MAX_RATIO)
    chunks: list[bytes] = []
    size = 0
    pwd = password.encode("utf-8") if password is not None else None
    with zf.open(info, pwd=pwd) as stream:
        while True:
            chunk = stream.read(1 << 20)
            if not chunk:
                break
            size += len(chunk)
            if size > limit:
                raise BadFile(
                    "refusing to unpack: the member expands beyond the safety limit "
                    f"({ZIP_MAX_RATIO}x its compressed size, {ZIP_MAX_TOTAL} bytes in all)",
                    path=where,
                    hint="this looks like a ZIP bomb; extract it yourself if you trust it",
                )
            chunks.append(chunk)
    return b"".join(chunks)
