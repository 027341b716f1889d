"""Bundled fonts: the face manifest, glyph coverage of content, and script subsets cut from pinned fonts."""

from __future__ import annotations

import hashlib
import json
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from .errors import Problem, TreatypressError
from .model import Strict, Treaty

MANIFEST = "fonts.json"


class Source(Strict):
    """The pinned font a script face is cut from: a Debian package's file, named by checksum."""

    package: str
    version: str
    path: str
    font_number: int = 0
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")


class TextFace(Strict):
    """A face that sets every document (serif and sans, with Latin, Greek and Cyrillic)."""

    family: str
    file: str
    weight: int = 400
    style: str = "normal"


class ScriptFace(Strict):
    """A face for one script, subset to the characters content uses."""

    id: str
    name: str
    family: str
    file: str
    ranges: list[str] = Field(min_length=1)
    """Code point ranges ('0600-06FF') the face serves, where the text faces have no glyph."""
    source: Source
    lang: list[str] = []
    """Languages (BCP 47) whose text uses this face first: regional glyph forms."""
    always: str = ""
    """Characters always kept (punctuation the script uses)."""
    fallback: bool = False
    """Also serves text in languages no face lists (a face with no `lang` always does)."""
    vertical: bool = False
    """Read top to bottom: set as columns, not as a line."""

    @cached_property
    def spans(self) -> list[tuple[int, int]]:
        """The ranges as (first, last) code points."""
        return [(int(r.split("-")[0], 16), int(r.split("-")[-1], 16)) for r in self.ranges]

    def serves(self, char: str) -> bool:
        """Whether the character lies in one of this face's ranges."""
        return any(lo <= ord(char) <= hi for lo, hi in self.spans)

    def match(self, lang: str | None) -> int:
        """How closely `lang` matches a language of this face: the tag's length, 0 for none."""
        found = [len(x) for x in self.lang if lang and (lang == x or lang.startswith(x + "-"))]
        return max(found, default=0)

    @property
    def general(self) -> bool:
        """Whether text in any language may fall back to it."""
        return self.fallback or not self.lang


class Manifest(Strict):
    """styles/fonts/fonts.json."""

    comment: str = ""
    credit: str
    css: str
    text: list[TextFace]
    scripts: list[ScriptFace]


@dataclass(frozen=True)
class FontSet:
    """The bundled fonts of a project, as its manifest declares them."""

    folder: Path
    spec: Manifest

    @classmethod
    def load(cls, folder: Path) -> FontSet:
        """Read and validate the font manifest."""
        raw = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        return cls(folder, Manifest.model_validate(raw))

    def text_coverage(self) -> frozenset[int]:
        """Every code point the text faces can draw (regular serif and sans)."""
        files = [
            self.folder / f.file for f in self.spec.text if f.weight == 400 and f.style == "normal"
        ]
        return _cmap(tuple(str(p) for p in files), 0)

    def characters(self, face: ScriptFace) -> str:
        """The characters a script face's bundled subset was cut for ('' when it has none yet)."""
        listed = self.folder / characters_file(face)
        if not (self.folder / face.file).exists() or not listed.exists():
            return ""
        return listed.read_text(encoding="utf-8").strip()

    def face_for(self, char: str, lang: str | None) -> ScriptFace | None:
        """The script face that draws `char` in text of language `lang` (None: the text faces do)."""
        if ord(char) in self.text_coverage():
            return None
        faces = [f for f in self.spec.scripts if f.serves(char)]
        best = max(faces, key=lambda f: f.match(lang), default=None)
        if best and best.match(lang):
            return best
        return next((f for f in faces if f.general), None)


def characters_file(face: ScriptFace) -> str:
    """The file beside a subset listing the characters it was cut for."""
    return str(Path(face.file).with_suffix(".txt"))


@lru_cache(maxsize=16)
def _cmap(files: tuple[str, ...], font_number: int) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    points: set[int] = set()
    for path in files:
        if Path(path).exists():
            with TTFont(path, lazy=True, fontNumber=font_number) as font:
                points.update(font.getBestCmap())
    return frozenset(points)


def source_cmap(face: ScriptFace) -> frozenset[int]:
    """The code points the pinned source font has (empty when it is not installed)."""
    return _cmap((face.source.path,), face.source.font_number)


def _ignorable(char: str) -> bool:
    return char in "\n\r\t" or unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp")


def printed_text(
    obj: Any, loc: tuple = (), lang: str | None = None
) -> Iterator[tuple[tuple, str, str | None]]:
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
        _cff_to_glyf(font)
    out = fonts.folder / face.file
    subset.save_font(font, str(out), options)
    (fonts.folder / characters_file(face)).write_text(chars + "\n", encoding="utf-8")
    _cmap.cache_clear()
    _metrics.cache_clear()
    return out


def _cff_to_glyf(font: Any) -> None:
    """Redraw CFF outlines as TrueType ones: every renderer maps their glyphs the same way.

    A CID-keyed CFF subset keeps its source's CIDs, which MuPDF and Ghostscript read differently
    from the glyph indices the page content uses (empty boxes or blanks where Chinese should be).
    """
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import newTable

    order = font.getGlyphOrder()
    glyphs = font.getGlyphSet()
    glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyphs)
        glyphs[name].draw(Cu2QuPen(pen, max_err=1.0, reverse_direction=True))
        glyf.glyphs[name] = pen.glyph()
    font["loca"] = newTable("loca")
    font["glyf"] = glyf
    for table in ("CFF ", "VORG"):
        if table in font:
            del font[table]
    maxp = newTable("maxp")
    maxp.tableVersion = 0x00010000
    for attr in (
        "maxPoints",
        "maxContours",
        "maxCompositePoints",
        "maxCompositeContours",
        "maxComponentDepth",
        "maxZones",
        "maxTwilightPoints",
        "maxStorage",
        "maxFunctionDefs",
        "maxInstructionDefs",
        "maxStackElements",
        "maxSizeOfInstructions",
        "maxComponentElements",
    ):
        setattr(maxp, attr, 1 if attr == "maxZones" else 0)
    maxp.numGlyphs = len(order)
    font["maxp"] = maxp
    font["head"].indexToLocFormat = 0
    font["head"].glyphDataFormat = 0
    font["post"].formatType = 3.0
    font.sfntVersion = "\x00\x01\x00\x00"
    for name in order:
        glyf.glyphs[name].recalcBounds(glyf)
    maxp.recalc(font)


def write_css(fonts: FontSet) -> Path:
    """styles/fonts/faces.css: @font-face rules and font stacks for the faces that exist."""
    lines = ["/* Made by treatypress from fonts.json: the bundled faces. Do not edit. */"]
    for f in fonts.spec.text:
        lines.append(
            f'@font-face {{ font-family: "{f.family}"; src: url({f.file}); '
            f"font-weight: {f.weight}; font-style: {f.style}; }}"
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
    cmap, widths, upem = _metrics(str(path if path.exists() else face.source.path), number)
    space = widths.get(cmap.get(0x20), upem // 4)
    return sum(widths.get(cmap.get(ord(c)), space) for c in text) / upem


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
    path: str, treaty: Treaty, fonts: FontSet, mark, pending: dict[str, str] | None = None
) -> list[Problem]:
    """One Problem per field using characters no bundled face draws, naming each code point."""
    from .yamlload import field_name

    pending = pending or {}
    by_field: dict[tuple, list[str]] = {}
    hints: dict[tuple, str] = {}
    seen: set[str] = set()
    for loc, text, lang in printed_text(treaty):
        for char in text:
            if char in seen or _ignorable(char):
                continue
            face = fonts.face_for(char, lang)
            if ord(char) in fonts.text_coverage() or (
                face and (char in fonts.characters(face) or char in pending.get(face.id, ""))
            ):
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
