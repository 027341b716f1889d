"""The face manifest (styles/fonts/fonts.json): the text faces, the script faces with the pinned
fonts they are cut from, and the fonts of a project as the manifest declares them."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

from pydantic import Field

from .model import Strict

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
        return self._text_coverage

    @cached_property
    def _text_coverage(self) -> frozenset[int]:
        files = [
            self.folder / f.file for f in self.spec.text if f.weight == 400 and f.style == "normal"
        ]
        return cmap(tuple(str(p) for p in files), 0)

    @cached_property
    def _faces(self) -> dict[tuple[str, str | None], ScriptFace | None]:
        return {}  # face_for, once for each character and language

    def characters(self, face: ScriptFace) -> str:
        """The characters a script face's bundled subset was cut for ('' when it has none yet)."""
        listed = self.folder / characters_file(face)
        if not (self.folder / face.file).exists() or not listed.exists():
            return ""
        return listed.read_text(encoding="utf-8").strip()

    def face_for(self, char: str, lang: str | None) -> ScriptFace | None:
        """The script face that draws `char` in text of language `lang` (None: the text faces do)."""
        key = (char, lang)
        if key not in self._faces:
            self._faces[key] = self._face_for(char, lang)
        return self._faces[key]

    def _face_for(self, char: str, lang: str | None) -> ScriptFace | None:
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
def cmap(files: tuple[str, ...], font_number: int) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    points: set[int] = set()
    for path in files:
        if Path(path).exists():
            with TTFont(path, lazy=True, fontNumber=font_number) as font:
                points.update(font.getBestCmap())
    return frozenset(points)
