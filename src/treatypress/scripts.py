"""Text in another script: its direction, and vertical scripts set in turned columns."""

from __future__ import annotations

import unicodedata

from markupsafe import Markup

from . import fonts as fonts_module
from .fonts import FontSet

COLUMN_EM = 24.0  # the longest column of vertical text, in ems of its own size
THICKNESS_EM = 1.7  # the width of one column


def direction(text: str) -> str:
    """'rtl' when the text's first strong character is right-to-left (Arabic, Hebrew ...), else 'ltr'."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return "rtl"
        if kind == "L":
            return "ltr"
    return "ltr"


def script_run(text: str, lang: str, fonts: FontSet) -> Markup:
    """Text in another language, marked with its language and direction and isolated from its
    neighbours; a vertical script (Mongolian, Manchu) is set in columns read top to bottom, left to
    right, each a line turned a quarter clockwise."""
    face = fonts_module.vertical_face(fonts, text)
    if face is None:
        return Markup('<span class="run" lang="{}" dir="{}">{}</span>').format(
            lang, direction(text), text
        )
    columns: list[tuple[str, float]] = []
    line: list[str] = []
    length = 0.0
    for word in text.split():
        size = fonts_module.advance_em(fonts, face, word + " ") * 1.08  # shaping may widen a little
        if line and length + size > COLUMN_EM:
            columns.append((" ".join(line), length))
            line, length = [], 0.0
        line.append(word)
        length += size
    if line:
        columns.append((" ".join(line), length))
    out = Markup('<span class="vertical" lang="{}">').format(lang)
    for words, width in columns:
        out += Markup(
            '<span class="column" style="width: {t}em; height: {h:.2f}em">'
            '<span class="turned" style="width: {h:.2f}em; left: {t}em">{w}</span></span>'
        ).format(t=THICKNESS_EM, h=width, w=words)
    return out + Markup("</span>")
