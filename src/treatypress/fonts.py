"""Bundled fonts: glyph coverage of content, and the CJK subset made from a pinned source font."""

from __future__ import annotations

import hashlib
import json
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from fontTools import subset
from fontTools.ttLib import TTFont
from pydantic import BaseModel

from .errors import Problem, TreatypressError
from .model import Treaty

MANIFEST = "fonts.json"


@dataclass(frozen=True)
class FontSet:
    """The bundled fonts, as described by styles/fonts/fonts.json."""

    folder: Path
    spec: dict

    @classmethod
    def load(cls, folder: Path) -> FontSet:
        """Read the font manifest."""
        return cls(folder, json.loads((folder / MANIFEST).read_text(encoding="utf-8")))

    def coverage(self) -> frozenset[int]:
        """Every code point some bundled text face can draw."""
        files = [self.folder / f for f in self.spec["coverage"]]
        return _cmap(tuple(files), tuple(p.stat().st_mtime_ns for p in files if p.exists()))


@lru_cache(maxsize=4)
def _cmap(files: tuple[Path, ...], _stamp: tuple) -> frozenset[int]:
    points: set[int] = set()
    for path in files:
        if path.exists():
            with TTFont(path, lazy=True) as font:
                points.update(font.getBestCmap())
    return frozenset(points)


def _ignorable(char: str) -> bool:
    return char in "\n\r\t" or unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp")


def printed_text(obj: Any, loc: tuple = ()) -> Iterator[tuple[tuple, str]]:
    """Every string field a document may print (editor notes and ids excluded)."""
    if isinstance(obj, BaseModel):
        for name in type(obj).model_fields:
            value = getattr(obj, name)
            ids = name == "sources" and all(isinstance(v, str) for v in value)  # source ids, not sources
            if name not in ("note", "id", "slug", "url", "licence_url") and not ids:
                yield from printed_text(value, loc + (name,))
    elif isinstance(obj, list):
        for i, item in enumerate(obj):
            yield from printed_text(item, loc + (i,))
    elif isinstance(obj, str):
        yield loc, obj


def uncovered(treaty: Treaty, fonts: FontSet, pending: str = "") -> list[tuple[tuple, str]]:
    """(field, character) for each character the bundled fonts cannot draw, first use only."""
    cover, seen, out = fonts.coverage() | {ord(c) for c in pending}, set(), []
    for loc, text in printed_text(treaty):
        for char in text:
            if ord(char) not in cover and not _ignorable(char) and char not in seen:
                seen.add(char)
                out.append((loc, char))
    return out


def describe(char: str) -> str:
    """'X' (U+0058 LATIN CAPITAL LETTER X)."""
    return f"{char!r} (U+{ord(char):04X} {unicodedata.name(char, 'unnamed')})"


def is_cjk(char: str) -> bool:
    """Characters the CJK face is meant for: ideographs, kana, CJK punctuation, full-width forms."""
    cp = ord(char)
    return (0x2E80 <= cp <= 0x9FFF or 0xF900 <= cp <= 0xFAFF or 0xFF00 <= cp <= 0xFFEF
            or 0x20000 <= cp <= 0x3FFFF)


def cjk_characters(treaties: list[Treaty]) -> str:
    """The sorted CJK characters all content uses."""
    chars = {c for t in treaties for _, text in printed_text(t) for c in text if is_cjk(c)}
    return "".join(sorted(chars))


def subset_characters(fonts: FontSet) -> str:
    """The characters the bundled CJK subset was cut for."""
    listed = fonts.folder / fonts.spec["cjk"]["characters"]
    return listed.read_text(encoding="utf-8").strip() if listed.exists() else ""


def addable(fonts: FontSet, chars: str) -> str:
    """The characters the subset lacks that the pinned source font (if installed) would add."""
    missing = set(chars) - set(subset_characters(fonts))
    source = Path(fonts.spec["cjk"]["source"]["path"])
    if not missing or not source.exists():
        return ""
    with TTFont(source, fontNumber=fonts.spec["cjk"]["source"]["font_number"], lazy=True) as font:
        cmap = font.getBestCmap()
    return "".join(sorted(c for c in missing if ord(c) in cmap))


def ensure_cjk(fonts: FontSet, chars: str) -> bool:
    """Recut the CJK subset if content uses characters it lacks (it only grows); True if recut."""
    have = subset_characters(fonts)
    if set(chars) <= set(have) and (fonts.folder / fonts.spec["cjk"]["file"]).exists():
        return False
    make_cjk_subset(fonts, "".join(sorted(set(have) | set(chars))))
    return True


def make_cjk_subset(fonts: FontSet, chars: str) -> Path:
    """Cut the CJK subset from the pinned source font; a clear error when it is not installed."""
    cjk = fonts.spec["cjk"]
    source = Path(cjk["source"]["path"])
    if not source.exists():
        raise TreatypressError(
            f"content needs CJK characters the bundled subset lacks, and the source font {source} "
            f"is not installed: install Debian's {cjk['source']['package']} "
            f"({cjk['source']['version']}), e.g. 'apt-get install {cjk['source']['package']}', "
            "then run 'make fonts'")
    digest = hashlib.sha256(source.read_bytes()).hexdigest()
    if digest != cjk["source"]["sha256"]:
        raise TreatypressError(f"{source} is not the pinned version ({cjk['source']['version']}): "
                               f"sha256 {digest[:12]}... differs from {cjk['source']['sha256'][:12]}...")
    options = subset.Options()
    options.font_number = cjk["source"]["font_number"]
    options.desubroutinize = True
    options.recalc_timestamp = False
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    font = subset.load_font(str(source), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=chars + "".join(cjk.get("always", "")))
    subsetter.subset(font)
    out = fonts.folder / cjk["file"]
    subset.save_font(font, str(out), options)
    (fonts.folder / cjk["characters"]).write_text(chars + "\n", encoding="utf-8")
    return out


def coverage_problems(path: str, treaty: Treaty, fonts: FontSet, mark, pending: str = "") -> list[Problem]:
    """One Problem per field using characters no bundled font covers, naming each code point."""
    from .yamlload import field_name
    by_field: dict[tuple, list[str]] = {}
    for loc, char in uncovered(treaty, fonts, pending):
        by_field.setdefault(loc, []).append(char)
    out = []
    for loc, chars in by_field.items():
        line, col = mark(loc)
        names = ", ".join(describe(c) for c in chars)
        out.append(Problem(path, line, col, field_name(loc),
                           f"character{'s' if len(chars) > 1 else ''} {names} not covered by any "
                           "bundled font; it would print as an empty box"))
    return out
