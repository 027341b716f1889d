"""Write a web page: a document's HTML made standalone, its styles inlined, its fonts beside it."""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser
from pathlib import Path

import fontTools
from fontTools import subset
from fontTools.ttLib import TTFont

from . import memo
from .atomic import atomic_write

_LINK = re.compile(r'<link rel="stylesheet" href="styles/([^"]+)">\n?')
_IMPORT = re.compile(r'@import\s+(?:url\()?["\']?([^"\')\s]+)["\']?\)?\s*;')
_URL = re.compile(r"url\((?!@font/)([^)\s]+\.(?:ttf|otf))\)")


class _Text(HTMLParser):
    """Collects the characters a page shows (its text and attribute values)."""

    def __init__(self) -> None:
        super().__init__()
        self.chars: set[str] = set()

    def handle_data(self, data: str) -> None:
        self.chars.update(data)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for _, value in attrs:
            self.chars.update(value or "")


def _inline(sheet: Path, styles_dir: Path, seen: set[Path]) -> str:
    """A stylesheet with its @imports replaced by their text and font URLs made relative to
    styles/ (only files under styles/ are read)."""
    path = sheet.resolve()
    if path in seen or not path.is_relative_to(styles_dir.resolve()) or not path.is_file():
        return ""
    seen.add(path)
    css = path.read_text(encoding="utf-8")
    css = _IMPORT.sub(lambda m: _inline(sheet.parent / m.group(1), styles_dir, seen), css)
    folder = sheet.parent.resolve().relative_to(styles_dir.resolve())
    return _URL.sub(lambda m: f"url(@font/{(folder / m.group(1)).as_posix()})", css)


def write_page(*, html: str, out: Path, styles_dir: Path) -> None:
    """Write `html` to `out` as a page that needs nothing but the fonts written beside it, in
    fonts/, each cut to the characters the page uses."""
    sheets = _LINK.findall(html)
    css = "\n".join(_inline(styles_dir / name, styles_dir, set()) for name in sheets)
    text = _Text()
    text.feed(html)
    text.chars.update(css)  # text the styles add: running heads, counters, labels
    fonts: dict[str, str] = {}

    def font_url(match: re.Match[str]) -> str:
        source = styles_dir / match.group(1)
        if source.name not in fonts:
            name = f"{out.stem}-{source.stem}.woff2"
            atomic_write(out.parent / "fonts" / name, _cut(source, text.chars))
            fonts[source.name] = name
        return f"url(fonts/{fonts[source.name]})"

    css = re.sub(r"url\(@font/([^)]+)\)", font_url, css)
    page = _LINK.sub("", html)
    page = page.replace("</head>", f"<style>\n{css}\n</style>\n</head>", 1)
    atomic_write(out, page.encode("utf-8"))


def _cut(source: Path, chars: set[str]) -> bytes:
    """The subset, made once for the same font, characters and code (see memo.py)."""
    key = memo.digest(
        source.read_bytes(), "".join(sorted(chars)), fontTools.version, memo.code(__file__)
    )
    return memo.cached("web-fonts", key, lambda: _subset(source, chars))


def _subset(source: Path, chars: set[str]) -> bytes:
    """The font cut to `chars` (and the few a browser needs), as WOFF2."""
    font = TTFont(source, recalcTimestamp=False)  # the same page makes the same font file
    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(text="".join(chars) + " \u00a0-–—‘’“”…0123456789")
    subsetter.subset(font)
    buffer = io.BytesIO()
    font.flavor = "woff2"
    font.save(buffer)
    return buffer.getvalue()
