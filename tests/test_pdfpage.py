"""What is on a PDF page: glyphs become words by geometry, whatever order a library streams them in, and a
page pypdfium2 cannot vouch for is read by the reference."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from reconcile.inputs import InputFile
from reconcile.read.pdfpage import Word, build_words, pdfium_page, plumber_page, read_pages
from reconcile.read.textpage import is_fixed_width, text_page


def _pdf(content: bytes) -> bytes:
    """A one-page PDF with a Helvetica font and the given content stream."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 400 300] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % n + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for off in offsets:
        out.write(b"%010d 00000 n \n" % off)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def _both(data: bytes) -> tuple[object, object]:
    import pdfplumber
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(data)
    try:
        fast = pdfium_page(doc, 0)
    finally:
        doc.close()
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        reference = plumber_page(pdf.pages[0], 1)
    return fast, reference


def test_words_come_from_geometry_not_stream_order() -> None:
    # the right-hand cell is drawn first, the row below before the row above
    stream = (
        b"BT /F1 10 Tf 200 200 Td (1,079.71) Tj ET "
        b"BT /F1 10 Tf 50 180 Td (2) Tj ET BT /F1 10 Tf 200 180 Td (935.71) Tj ET "
        b"BT /F1 10 Tf 50 200 Td (1) Tj ET"
    )
    fast, reference = _both(_pdf(stream))
    assert fast is not None
    for page in (fast, reference):
        assert [[w.text for w in ln] for ln in page.lines] == [["1", "1,079.71"], ["2", "935.71"]]  # type: ignore[attr-defined]


def test_a_printed_space_ends_a_word_and_fake_bold_is_dropped() -> None:
    stream = (
        b"BT /F1 10 Tf 50 200 Td (Due Date) Tj ET "
        b"BT /F1 10 Tf 50 150 Td (Total) Tj ET BT /F1 10 Tf 50.3 150 Td (Total) Tj ET"
    )
    fast, reference = _both(_pdf(stream))
    assert fast is not None
    for page in (fast, reference):
        assert [[w.text for w in ln] for ln in page.lines] == [["Due", "Date"], ["Total"]]  # type: ignore[attr-defined]


def test_a_page_pdfium_cannot_vouch_for_is_read_by_the_reference(monkeypatch: pytest.MonkeyPatch) -> None:
    import reconcile.read.pdfpage as pdfpage

    data = _pdf(b"BT /F1 10 Tf 50 200 Td (1) Tj ET BT /F1 10 Tf 80 200 Td (1,079.71) Tj ET")
    (page,) = read_pages(InputFile("x.pdf", data))
    assert page.engine == "pdfium"
    monkeypatch.setattr(pdfpage, "_pdfium_glyphs", lambda textpage, ctm: None)  # say, an unmapped glyph
    (page,) = read_pages(InputFile("x.pdf", data))
    assert page.engine == "pdfplumber" and [w.text for w in page.words] == ["1", "1,079.71"]


def test_a_dropped_text_object_that_is_no_fake_bold_copy_sends_the_page_to_the_reference() -> None:
    from reconcile.read.pdfpage import _same_box

    assert _same_box((50, 200, 80, 210), (50.3, 200, 80.3, 210))
    assert not _same_box((50, 200, 80, 210), (50, 180, 80, 190))


@pytest.mark.parametrize("engine", ["pdfium", "pdfplumber"])
def test_a_rotated_page_reads_upright(engine: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RECONCILE_PDF_ENGINE", engine)
    path = Path(__file__).resolve().parents[1] / "fixtures/zoo/rotated-page.pdf"
    page = next(read_pages(InputFile(str(path), path.read_bytes())))
    texts = [" ".join(w.text for w in ln) for ln in page.lines]
    assert any(t.startswith("期号 到期日") for t in texts)


def test_build_words_splits_at_gaps_wider_than_a_fifth_of_an_em() -> None:
    glyphs = [
        ("本", 0.0, 10.0, 0.0, 10.0),
        ("金", 10.0, 20.0, 0.0, 10.0),
        ("利", 23.0, 33.0, 0.0, 10.0),  # 3 points: a new word
        ("息", 33.0, 43.0, 0.1, 10.0),  # a tenth of a point lower: the same line
    ]
    words = build_words(glyphs)
    assert [w.text for w in words] == ["本金", "利息"]
    assert all(isinstance(w, Word) for w in words)


def test_fixed_width_text_is_a_page_of_words_by_display_column() -> None:
    lines = [
        "  期数      还款日期         本金",
        "     1    2024-05-12     4,888.70",
        "     2    2024-06-12     4,908.66",
        "     3    2024-07-12     4,928.71",
    ]
    assert is_fixed_width(lines)
    page = text_page(lines)
    header, first = page.lines[0], page.lines[1]
    assert [w.text for w in header] == ["期数", "还款日期", "本金"]
    assert header[0].x0 == 2 and header[1].x0 == 12  # 期数 takes four columns
    assert [w.text for w in first] == ["1", "2024-05-12", "4,888.70"]
    assert not is_fixed_width(["a,b,c,d", "1,2,3,4", "5,6,7,8"])
