"""Text from the input files is data, never markup or commands, wherever it goes: control characters are shown
visibly (the terminal, workbooks and XML cannot take them, and they can hide text), Markdown and HTML in it are
escaped so a status cell cannot add a heading, a link or an image to a letter."""

from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]")
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~])")


def visible(text: str) -> str:
    """Control, zero-width and bidirectional-override characters as ``\\x1b`` / ``\\u202e``; tabs and newlines
    as spaces."""
    text = text.replace("\t", " ").replace("\r\n", " ").replace("\n", " ").replace("\r", " ")
    return _CONTROL.sub(
        lambda m: f"\\x{ord(m.group(0)):02x}" if ord(m.group(0)) < 0x100 else f"\\u{ord(m.group(0)):04x}",
        text,
    )


def markdown(text: str) -> str:
    """File-derived text for a Markdown document: visible, with every character Markdown or HTML could act on
    escaped (``### F999``, ``![x](http://…)``, ``<img>`` stay text)."""
    return _MARKDOWN.sub(r"\\\1", visible(text))


def xml_text(text: str) -> str:
    """Text for an XML part (a .docx): visible (XML 1.0 cannot hold control characters) and escaped."""
    from xml.sax.saxutils import escape

    return escape(visible(text))
