"""Crops of the screenshot regions findings cite (``reconcile check --evidence-images DIR``): for each finding,
each piece of evidence read from an image becomes ``F001-1.png`` (the finding's id and the evidence's place in
its list), cut from the original file with a small margin. An image that is no longer what was read (its sha256
differs) is not cropped."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path
from typing import TYPE_CHECKING

from .output import write_atomic

if TYPE_CHECKING:
    from PIL import Image

    from ..model import Result

MARGIN = 8  # pixels around the region


def evidence_crops(result: Result) -> list[tuple[str, bytes]]:
    """``(file name, PNG bytes)`` for every cited image region, in finding order."""

    images: dict[str, Image.Image | None] = {}
    out: list[tuple[str, bytes]] = []
    for finding in result.findings:
        for k, ref in enumerate(finding.evidence, start=1):
            if ref.box is None:
                continue
            if ref.path not in images:
                images[ref.path] = _open(ref.path, ref.sha256)
            image = images[ref.path]
            if image is None:
                continue
            x, y, w, h = ref.box
            box = (
                max(0, x - MARGIN),
                max(0, y - MARGIN),
                min(image.width, x + w + MARGIN),
                min(image.height, y + h + MARGIN),
            )
            buf = io.BytesIO()
            image.crop(box).save(buf, format="PNG")
            out.append((f"{finding.id}-{k}.png", buf.getvalue()))
    return out


def write_evidence_crops(result: Result, folder: str | Path) -> list[Path]:
    """Write `evidence_crops` into ``folder`` (created if needed); returns the files written."""
    target = Path(folder)
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for name, data in evidence_crops(result):
        write_atomic(target / name, data)
        written.append(target / name)
    return written


def _open(path: str, sha256: str) -> Image.Image | None:
    from PIL import Image

    try:
        data = Path(path).read_bytes()
    except OSError:
        return None
    if hashlib.sha256(data).hexdigest() != sha256:
        return None
    return Image.open(io.BytesIO(data)).convert("RGB")
