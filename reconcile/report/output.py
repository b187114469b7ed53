"""Writing outputs atomically: a temporary file beside the target, then a rename, so a failed run never
leaves a half-written report (and never touches an input)."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path


def write_atomic(path: str | Path, data: bytes | Iterable[bytes]) -> None:
    """Write ``data`` (or its pieces, written as they come) to a temporary file beside ``path``, then rename it
    over ``path``; on any failure the temporary file is removed and ``path`` is left as it was."""
    target = Path(path)
    directory = target.parent if str(target.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "wb") as fh:
            if isinstance(data, bytes):
                fh.write(data)
            else:
                for piece in data:
                    fh.write(piece)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def write_all(files: list[tuple[str | Path, bytes]]) -> None:
    """Write several outputs all or nothing: every one goes to a temporary file beside its target first, and
    only when all of them are written are they renamed over their targets. A failure (a full disk, a missing
    folder) or Ctrl-C before that leaves every target as it was and no temporary file behind."""
    staged: list[tuple[str, Path]] = []
    try:
        for path, data in files:
            target = Path(path)
            directory = target.parent if str(target.parent) else Path(".")
            fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
            staged.append((tmp, target))
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
        for tmp, target in staged:
            os.replace(tmp, target)
        staged = []
    finally:
        for tmp, _ in staged:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)


def check_writable(path: str | Path) -> str | None:
    """Why ``path`` cannot be written (its folder is missing or read-only), or None."""
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        return f"the folder {str(folder)!r} does not exist"
    if not os.access(folder, os.W_OK):
        return f"the folder {str(folder)!r} is not writable"
    if target.is_dir():
        return "is a folder"
    return None


def deterministic_zip(
    data: bytes, when: tuple[int, int, int, int, int, int] = (2000, 1, 1, 0, 0, 0)
) -> bytes:
    """An OOXML file (xlsx, docx) with fixed member timestamps and document dates, so the same inputs give
    byte-identical files (openpyxl stamps the current time into both)."""
    import io
    import re
    import zipfile

    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    stamp = "{:04d}-{:02d}-{:02d}T{:02d}:{:02d}:{:02d}Z".format(*when)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(
                    rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>" + stamp.encode(), content
                )
            fixed = zipfile.ZipInfo(info.filename, date_time=when)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            dst.writestr(fixed, content)
    return out.getvalue()
