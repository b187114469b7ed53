"""Screenshots as pages of positioned words: offline OCR (RapidOCR's ONNX models, shipped inside the
``rapidocr-onnxruntime`` package; nothing is downloaded) turned into the same `Page` the PDF readers give, so
the table, card and terms readers work on a screenshot exactly as on a PDF.

OCR reads a run of text per box (``本金935.71利息144.00``) with a box and a confidence per character. A run is
cut into words where a PDF would have them: at a gap, and between a label and the number after it (but not
inside ``第3期``, ``2024年05月10日`` or ``935.71元``). Coordinates are scaled so that text is about 10 points
high, as the PDF readers expect; each word keeps its box in the image's pixels and its lowest character
confidence, for the evidence.
"""

from __future__ import annotations

import functools
import io
import re
import unicodedata
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from statistics import median
from typing import Any

from ..errors import ExtractionError
from .geometry import Page, Word

#: The line the user reads when the OCR extra is not installed.
INSTALL = "pip install 'reconcile[ocr]'"
#: Text height the page is scaled to (points), as in a PDF.
TEXT_SIZE = 10.0
_NUMERIC = re.compile(r"[0-9.,¥￥$+\-/%]")
#: CJK characters that belong to the number beside them (dates, periods, units), never a label.
_GLUE = frozenset("年月日期元号")
#: Vertical rules between items, which OCR reads as characters.
_DIVIDERS = frozenset("|丨｜")


class OcrMissing(ExtractionError):
    default_hint = f"install the OCR extra: {INSTALL}"


@dataclass(frozen=True)
class OcrWord:
    """A word as the page has it, with where it is in the image and how sure the OCR was."""

    word: Word
    box: tuple[int, int, int, int]  # x, y, width, height in the image's pixels
    confidence: Decimal


@dataclass(frozen=True)
class OcrPage:
    page: Page
    words: tuple[OcrWord, ...]
    scale: float  # page points per image pixel
    size: tuple[int, int]  # the image's width and height in pixels

    def region(self, words: Sequence[Word]) -> tuple[tuple[int, int, int, int], Decimal] | None:
        """The pixel box around ``words`` (words of this page) and the lowest confidence among them."""
        by_word = {id(w.word): w for w in self.words}
        found = [by_word[id(w)] for w in words if id(w) in by_word]
        if not found:
            return None
        x0 = min(w.box[0] for w in found)
        y0 = min(w.box[1] for w in found)
        x1 = max(w.box[0] + w.box[2] for w in found)
        y1 = max(w.box[1] + w.box[3] for w in found)
        return (x0, y0, x1 - x0, y1 - y0), min(w.confidence for w in found)


@functools.cache
def _engine() -> Any:
    try:
        from rapidocr_onnxruntime import RapidOCR
    except ImportError as exc:
        raise OcrMissing("reading a screenshot needs the OCR extra, which is not installed") from exc
    return RapidOCR()


def available() -> bool:
    """Whether the OCR extra is installed (without loading its models)."""
    import importlib.util

    return importlib.util.find_spec("rapidocr_onnxruntime") is not None


#: The screenshots read in this process, by sha256, with their bytes: several screenshots of one plan are read
#: again together (`reconcile.statements.stitch`) without a second OCR.
_READ: OrderedDict[str, tuple[bytes, OcrPage]] = OrderedDict()
_KEEP = 64


def read_image(data: bytes, number: int = 1) -> OcrPage:
    """The screenshot's words as a page (page ``number``)."""
    import hashlib

    sha = hashlib.sha256(data).hexdigest()
    if sha in _READ:
        page = _READ[sha][1]
        return page if page.page.number == number else replace(page, page=replace(page.page, number=number))
    page = _read_image(data, number)
    _READ[sha] = (data, page)
    while len(_READ) > _KEEP:
        _READ.popitem(last=False)
    return page


def already_read(sha256: str) -> tuple[bytes, OcrPage] | None:
    """A screenshot this process has read: its bytes and its page."""
    return _READ.get(sha256)


def _read_image(data: bytes, number: int) -> OcrPage:
    engine = _engine()
    from PIL import Image, ImageOps

    try:
        image = ImageOps.exif_transpose(Image.open(io.BytesIO(data))).convert("RGB")
    except Exception as exc:  # Pillow raises several kinds for a broken image
        raise ExtractionError(
            f"the image cannot be opened ({exc})", hint="take the screenshot again"
        ) from exc
    import numpy as np

    pixels = np.asarray(image)[:, :, ::-1]  # RapidOCR takes BGR
    result, _ = engine(pixels, return_word_box=True)
    items = list(result or ())
    items += _missed(engine, pixels, items)
    runs = [_Run.of(item) for item in items]
    heights = [r.height for r in runs if r.height > 0]
    scale = TEXT_SIZE / median(heights) if heights else 1.0
    words = _without_echoes([w for run in runs for w in run.words(scale)])
    page = Page(number=number, words=tuple(w.word for w in words), engine="ocr")
    return OcrPage(page, tuple(words), scale, image.size)


def _bounds(quad: Sequence[Sequence[float]]) -> tuple[float, float, float, float]:
    xs = [p[0] for p in quad]
    ys = [p[1] for p in quad]
    return min(xs), min(ys), max(xs), max(ys)


def _missed(engine: Any, pixels: Any, items: Sequence[Any]) -> list[Any]:
    """Text the detector found but the recogniser dropped, read again from the band of the image it lies in.

    The detector sometimes takes a whole table row for one box, too wide for the recogniser to read; in a band
    of its own the row is detected word by word and read."""
    found, _ = engine(pixels, use_rec=False, use_cls=False)
    read = [_bounds(item[0]) for item in items]
    out: list[Any] = []
    done: list[tuple[float, float]] = []
    height = pixels.shape[0]
    for quad in found if found is not None else ():
        x0, y0, x1, y1 = _bounds(quad)
        area = max((x1 - x0) * (y1 - y0), 1.0)
        covered = sum(
            max(0.0, min(x1, b[2]) - max(x0, b[0])) * max(0.0, min(y1, b[3]) - max(y0, b[1])) for b in read
        )
        if covered >= 0.5 * area or any(a <= y0 and y1 <= b for a, b in done):
            continue
        top, bottom = max(0, int(y0) - 8), min(height, int(y1) + 8)
        done.append((top, bottom))
        band, _ = engine(pixels[top:bottom], return_word_box=True)
        for item in band or ():
            shifted = [[[p[0], p[1] + top] for p in item[0]], item[1], item[2]]
            if len(item) >= 6:
                shifted += [[[[p[0], p[1] + top] for p in box] for box in item[3]], item[4], item[5]]
            bx = _bounds(shifted[0])
            if not any(
                min(bx[2], b[2]) > max(bx[0], b[0]) and min(bx[3], b[3]) > max(bx[1], b[1]) for b in read
            ):
                out.append(shifted)
                read.append(bx)
    return out


def _without_echoes(words: list[OcrWord]) -> list[OcrWord]:
    """The words less those the OCR read twice: a short run lying inside a longer word's box that holds its
    text (a bracket detected on its own as well as in its word)."""
    out = []
    for w in words:
        x, y, width, height = w.box
        inside = any(
            o is not w
            and unicodedata.normalize("NFKC", w.word.text) in unicodedata.normalize("NFKC", o.word.text)
            and len(o.word.text) > len(w.word.text)
            and o.box[0] - 2 <= x
            and x + width <= o.box[0] + o.box[2] + 2
            and o.box[1] - height / 2 <= y <= o.box[1] + o.box[3]
            for o in words
        )
        if not inside:
            out.append(w)
    return out


@dataclass(frozen=True)
class _Run:
    """One OCR result: the run's text, and each character's box (x0, y0, x1, y1) and confidence."""

    text: str
    chars: tuple[tuple[str, tuple[float, float, float, float], float], ...]
    height: float

    @classmethod
    def of(cls, item: Sequence[Any]) -> _Run:
        box, text, confidence = item[0], str(item[1]), float(item[2])
        ys = [p[1] for p in box]
        xs = [p[0] for p in box]
        top, bottom = min(ys), max(ys)
        chars: list[tuple[str, tuple[float, float, float, float], float]] = []
        if len(item) >= 6 and item[4] and len(item[4]) == len(item[3]):
            for char_box, char_text, char_conf in zip(item[3], item[4], item[5], strict=False):
                cx = [p[0] for p in char_box]
                for ch in unicodedata.normalize("NFKC", str(char_text)):
                    chars.append((ch, (min(cx), top, max(cx), bottom), float(char_conf)))
        if "".join(c[0] for c in chars) != unicodedata.normalize("NFKC", text).replace(" ", ""):
            # no character boxes: spread the run's width over its characters
            x0, x1 = min(xs), max(xs)
            visible = [ch for ch in text if not ch.isspace()] or [" "]
            step = (x1 - x0) / len(visible)
            chars = [
                (ch, (x0 + i * step, top, x0 + (i + 1) * step, bottom), confidence)
                for i, ch in enumerate(visible)
            ]
        return cls(text, tuple(chars), bottom - top)

    def words(self, scale: float) -> list[OcrWord]:
        out: list[OcrWord] = []
        current: list[tuple[str, tuple[float, float, float, float], float]] = []
        for char in self.chars:
            if char[0] in _DIVIDERS:  # a drawn divider read as a character: it ends a word, and is no text
                if current:
                    out.append(_word(current, scale))
                current = []
                continue
            if current and _breaks(current[-1], char, self.height):
                out.append(_word(current, scale))
                current = []
            current.append(char)
        if current:
            out.append(_word(current, scale))
        return _rejoin_thousands(out, scale)


_DOTTED_THOUSANDS = re.compile(r"([¥$]?\d{1,3})((?:\.\d{3})+)(\.\d{2}\D{0,2})")
_HEAD_DIGITS = re.compile(r"[¥$]?\d{1,3}")
_TAIL_GROUPS = re.compile(r"\d{3}(,\d{3})*\.\d{2}\D{0,2}")


def _rejoin_thousands(words: list[OcrWord], scale: float) -> list[OcrWord]:
    """``3 322.03`` (a thousands comma the OCR took for a space) as ``3,322.03``, ``8.600.00`` (taken for a
    point) as ``8,600.00``; the arithmetic proof still has to pass on them."""
    out: list[OcrWord] = []
    for w in words:
        dotted = _DOTTED_THOUSANDS.fullmatch(w.word.text)
        if dotted:  # 8.600.00: a thousands comma read as a point (only one reading has two points)
            text = dotted.group(1) + dotted.group(2).replace(".", ",") + dotted.group(3)
            w = OcrWord(replace(w.word, text=text), w.box, w.confidence)
        if out and _HEAD_DIGITS.fullmatch(out[-1].word.text) and _TAIL_GROUPS.fullmatch(w.word.text):
            a = out.pop()
            x, y = min(a.box[0], w.box[0]), min(a.box[1], w.box[1])
            x1 = max(a.box[0] + a.box[2], w.box[0] + w.box[2])
            y1 = max(a.box[1] + a.box[3], w.box[1] + w.box[3])
            word = Word(
                f"{a.word.text},{w.word.text}",
                x * scale,
                x1 * scale,
                y * scale,
                y1 * scale,
                size=(y1 - y) * scale,
            )
            out.append(OcrWord(word, (x, y, x1 - x, y1 - y), min(a.confidence, w.confidence)))
            continue
        out.append(w)
    return out


def _breaks(
    before: tuple[str, tuple[float, float, float, float], float],
    after: tuple[str, tuple[float, float, float, float], float],
    height: float,
) -> bool:
    """Whether a word ends between two characters of a run: a gap, or a label meeting its number."""
    gap = after[1][0] - before[1][2]
    a, b = before[0], after[0]
    if a in "期日元号" and b.isdigit():
        return True  # 第10期 | 2024-06-08: a unit ends its number
    if ((_NUMERIC.match(a) and b in _GLUE) or (a in "年月" and b.isdigit())) and gap < height:
        return False  # 3/12 期, 935.71 元, 2025年 03月: parts of one number set a little apart
    if a == "元" and _cjk(b):
        return True  # 3810.92元 | 利息
    if _cjk(a) and _cjk(b):
        if gap > 0.9 * height:  # letter-spaced labels (本 金) are one word
            return True
    elif gap > 0.3 * height:
        return True
    if a in ")）" and b not in ")）":
        return True  # 本金(元) | 利息(元)
    if _NUMERIC.match(a) and _cjk(b):
        return b not in _GLUE  # 935.71 | 利息, but 3期, 10日, 935.71元
    if _cjk(a) and _NUMERIC.match(b):
        return a not in _GLUE and a != "第"  # 本金 | 935.71, but 第3, 年05
    return False


def _cjk(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff"


def _word(chars: Sequence[tuple[str, tuple[float, float, float, float], float]], scale: float) -> OcrWord:
    x0 = min(c[1][0] for c in chars)
    y0 = min(c[1][1] for c in chars)
    x1 = max(c[1][2] for c in chars)
    y1 = max(c[1][3] for c in chars)
    # OCR mixes full- and half-width (3，092.25); punctuation after a value (448.63元, | 利息) is no part of it
    text = unicodedata.normalize("NFKC", "".join(c[0] for c in chars))
    if len(text) > 1:
        text = text.rstrip(",;、。")
    word = Word(text, x0 * scale, x1 * scale, y0 * scale, y1 * scale, size=(y1 - y0) * scale)
    box = (round(x0), round(y0), round(x1 - x0), round(y1 - y0))
    confidence = Decimal(str(round(min(c[2] for c in chars), 3)))
    return OcrWord(word, box, confidence)
