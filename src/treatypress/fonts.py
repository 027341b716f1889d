"""Bundled fonts: glyph coverage of content, and the script subsets cut from pinned fonts (the
manifest that declares the faces is read in fontmanifest.py)."""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Callable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from .errors import Problem, TreatypressError
from .fontmanifest import MANIFEST as MANIFEST
from .fontmanifest import FontSet as FontSet
from .fontmanifest import Manifest as Manifest
from .fontmanifest import ScriptFace as ScriptFace
from .fontmanifest import Source as Source
from .fontmanifest import TextFace as TextFace
from .fontmanifest import characters_file, cmap
from .model import Treaty
from .outlines import cff_to_glyf

_Loc = tuple[str | int, ...]  # a field's place in the content, as in yamlload


def source_cmap(face: ScriptFace) -> frozenset[int]:
    """The code points the pinned source font has (empty when it is not installed)."""
    return cmap((face.source.path,), face.source.font_number)


def _ignorable(char: str) -> bool:
    return char in "\n\r\t" or unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp")


def printed_text(
    obj: Any, loc: _Loc = (), lang: str | None = None
) -> Iterator[tuple[_Loc, str, str | None]]:
    """(field, text, language) for every string field a document may print (notes and ids excluded)."""
    if isinstance(obj, BaseModel):
        lang = getattr(obj, "lang", None) or lang
        for name in type(obj).model_fields:
            value = getattr(obj, name)
            ids = name == "sources" and all(
                isinstance(v, str) for v in value
            )  # source ids, not sources
            if name not in ("note", "id", "slug", "url", "licence_url", "lang") and not ids:
                yield from printed_text(value, loc + (name,), lang if name != "romanized" else None)
    elif isinstance(obj, list):
        for i, item in enumerate(obj):
            yield from printed_text(item, loc + (i,), lang)
    elif isinstance(obj, str):
        yield loc, obj, lang


def needed(fonts: FontSet, treaties: list[Treaty]) -> dict[str, str]:
    """For each script face, the sorted characters all content needs from it."""
    chars: dict[str, set[str]] = {}
    for treaty in treaties:
        for _, text, lang in printed_text(treaty):
            for char in text:
                if not _ignorable(char) and (face := fonts.face_for(char, lang)):
                    chars.setdefault(face.id, set()).add(char)
    return {face_id: "".join(sorted(c)) for face_id, c in chars.items()}


def missing_packages(fonts: FontSet, treaties: list[Treaty]) -> list[str]:
    """Debian packages whose pinned fonts are needed to cut characters the subsets lack."""
    by_id = {f.id: f for f in fonts.spec.scripts}
    out = []
    for face_id, chars in needed(fonts, treaties).items():
        face = by_id[face_id]
        lacking = set(chars) - set(fonts.characters(face))
        if lacking and not Path(face.source.path).exists() and face.source.package not in out:
            out.append(face.source.package)
    return out


def sync(fonts: FontSet, treaties: list[Treaty], *, write: bool) -> dict[str, str]:
    """Bring every script subset up to what content needs (it only grows); return characters pending.

    With `write`, a subset lacking characters its source font has is recut; without (check, which
    writes nothing), those characters are returned as pending: they count as covered.
    """
    by_id = {f.id: f for f in fonts.spec.scripts}
    pending: dict[str, str] = {}
    for face_id, chars in needed(fonts, treaties).items():
        face, have = by_id[face_id], fonts.characters(by_id[face_id])
        lacking = set(chars) - set(have)
        if not lacking:
            continue
        addable = {c for c in lacking if ord(c) in source_cmap(face)}
        if not addable:
            continue  # reported by coverage_problems, with what to install
        if write:
            make_subset(fonts, face, "".join(sorted(set(have) | addable)))
        else:
            pending[face_id] = "".join(sorted(addable))
    if write:
        write_css(fonts)
    return pending


def make_subset(fonts: FontSet, face: ScriptFace, chars: str) -> Path:
    """Cut a script face's subset from its pinned source font, as TrueType outlines."""
    from fontTools import subset

    source = Path(face.source.path)
    if not source.exists():
        raise TreatypressError(
            _install_hint(face, "content needs characters its bundled subset lacks")
        )
    digest = hashlib.sha256(source.read_bytes()).hexdigest()
    if digest != face.source.sha256:
        raise TreatypressError(
            f"{source} is not the pinned version ({face.source.version}): "
            f"sha256 {digest[:12]}... differs from {face.source.sha256[:12]}..."
        )
    options = subset.Options()
    options.font_number = face.source.font_number
    options.desubroutinize = True
    options.recalc_timestamp = False
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.glyph_names = False
    font = subset.load_font(str(source), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=chars + face.always + " \u00a0")  # runs of the script keep its spaces
    subsetter.subset(font)
    if "CFF " in font:
        cff_to_glyf(font)
    out = fonts.folder / face.file
    subset.save_font(font, str(out), options)
    (fonts.folder / characters_file(face)).write_text(chars + "\n", encoding="utf-8")
    cmap.cache_clear()
    _metrics.cache_clear()
    return out


def write_css(fonts: FontSet) -> Path:
    """styles/fonts/faces.css: @font-face rules and font stacks for the faces that exist."""
    lines = ["/* Made by treatypress from fonts.json: the bundled faces. Do not edit. */"]
    for t in fonts.spec.text:
        lines.append(
            f'@font-face {{ font-family: "{t.family}"; src: url({t.file}); '
            f"font-weight: {t.weight}; font-style: {t.style}; }}"
        )
    present = [f for f in fonts.spec.scripts if fonts.characters(f)]
    for f in present:
        lines.append(
            f'@font-face {{ font-family: "{f.family}"; src: url({f.file}); '
            "font-weight: 400; font-style: normal; }"
        )
    general = ", ".join(f'"{f.family}"' for f in present if f.general)
    lines.append(":root {")
    lines.append(f'  --serif: "TP Serif"{", " + general if general else ""}, serif;')
    lines.append(f'  --sans: "TP Sans", "TP Serif"{", " + general if general else ""}, sans-serif;')
    lines.append("}")
    for f in present:
        if f.lang:
            sel = ", ".join(f":lang({x})" for x in f.lang)
            lines.append(f'{sel} {{ font-family: "{f.family}", var(--serif); }}')
    out = fonts.folder / fonts.spec.css
    text = "\n".join(lines) + "\n"
    if not out.exists() or out.read_text(encoding="utf-8") != text:
        out.write_text(text, encoding="utf-8")
    return out


def vertical_face(fonts: FontSet, text: str) -> ScriptFace | None:
    """The vertical script face most of `text` is in, if any (Mongolian, Manchu)."""
    letters = [c for c in text if c.isalpha()]
    for face in fonts.spec.scripts:
        if face.vertical and letters and sum(face.serves(c) for c in letters) * 2 > len(letters):
            return face
    return None


def advance_em(fonts: FontSet, face: ScriptFace, text: str) -> float:
    """The text's length in ems, from the face's advance widths (before shaping: an estimate)."""
    path = fonts.folder / face.file
    number = 0 if path.exists() else face.source.font_number
    glyphs, widths, upem = _metrics(str(path if path.exists() else face.source.path), number)
    space = widths.get(glyphs.get(0x20, ""), upem // 4)
    return sum(widths.get(glyphs.get(ord(c), ""), space) for c in text) / upem


@lru_cache(maxsize=16)
def _metrics(path: str, font_number: int) -> tuple[dict[int, str], dict[str, int], int]:
    """A font's cmap, advance widths and units per em, read once."""
    from fontTools.ttLib import TTFont

    with TTFont(path, lazy=True, fontNumber=font_number) as font:
        return (
            dict(font.getBestCmap()),
            {name: adv for name, (adv, _) in font["hmtx"].metrics.items()},
            font["head"].unitsPerEm,
        )


def _install_hint(face: ScriptFace, why: str) -> str:
    return (
        f"{why}, and the source font {face.source.path} is not installed: install Debian's "
        f"{face.source.package} ({face.source.version}), e.g. 'apt-get install {face.source.package}' "
        "(make pdf does this when run as root), then build again"
    )


def describe(char: str) -> str:
    """'X' (U+0058 LATIN CAPITAL LETTER X)."""
    return f"{char!r} (U+{ord(char):04X} {unicodedata.name(char, 'unnamed')})"


def coverage_problems(
    path: str,
    treaty: Treaty,
    fonts: FontSet,
    mark: Callable[[_Loc], tuple[int | None, int | None]],
    pending: dict[str, str] | None = None,
) -> list[Problem]:
    """One Problem per field using characters no bundled face draws, naming each code point."""
    from .yamlload import field_name

    pending = pending or {}
    by_field: dict[_Loc, list[str]] = {}
    hints: dict[_Loc, str] = {}
    seen: set[str] = set()
    drawn: set[tuple[str, str | None]] = set()  # characters found drawable, with their language
    subsets: dict[str, str] = {}
    for loc, text, lang in printed_text(treaty):
        for char in text:
            if char in seen or (char, lang) in drawn or _ignorable(char):
                continue
            face = fonts.face_for(char, lang)
            if face and face.id not in subsets:
                subsets[face.id] = fonts.characters(face)
            if ord(char) in fonts.text_coverage() or (
                face and (char in subsets[face.id] or char in pending.get(face.id, ""))
            ):
                drawn.add((char, lang))
                continue
            seen.add(char)
            by_field.setdefault(loc, []).append(char)
            if face and not Path(face.source.path).exists():
                hints[loc] = "; " + _install_hint(face, f"the {face.name} face can add it")
    out = []
    for loc, chars in by_field.items():
        line, col = mark(loc)
        names = ", ".join(describe(c) for c in chars)
        out.append(
            Problem(
                path,
                line,
                col,
                field_name(loc),
                f"character{'s' if len(chars) > 1 else ''} {names} not covered by any "
                f"bundled font; it would print as an empty box{hints.get(loc, '')}",
            )
        )
    return out
