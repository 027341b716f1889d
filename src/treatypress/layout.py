"""Read the layout back from a written PDF (PDFium): text off the content area, overlapping lines, sizes.
PDFium drops a character drawn again at almost the same place (fake bold): such overprinting goes unseen."""

from __future__ import annotations

import ctypes
import math
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as raw

PT_PER_MM = 72 / 25.4
EDGE_MM = 12.0  # no text closer than this to any edge of the paper
SLACK_PT = 1.0  # glyph outlines may overshoot a box edge by this much (italics, round letters)
OVERLAP = 0.15  # lines overlap when they share more than this fraction of the smaller one's height
SIDES = ("top", "right", "bottom", "left")


@dataclass(frozen=True)
class _Glyph:
    """One character as drawn: its ink box and advance box in PDF points, baseline and size."""

    char: str
    ink: tuple[float, float, float, float] | tuple[()]  # left, bottom, right, top; empty for space
    left: float  # advance box, from the origin to the next character
    right: float
    baseline: float
    size: float  # in pt as printed: the font size scaled by the text and page matrices


@dataclass(frozen=True)
class _Line:
    """Characters drawn one after another on one baseline: text, ink box (l, b, r, t), main size."""

    glyphs: tuple[_Glyph, ...]
    text: str = field(init=False)
    box: tuple[float, float, float, float] = field(init=False)
    size: float = field(init=False)

    def __post_init__(self) -> None:
        inked = [g for g in self.glyphs if g.ink]
        object.__setattr__(self, "text", " ".join("".join(g.char for g in self.glyphs).split()))
        sides = zip(*(g.ink for g in inked), strict=False)
        object.__setattr__(
            self, "box", tuple(f(v) for f, v in zip((min, min, max, max), sides, strict=False))
        )
        object.__setattr__(self, "size", Counter(g.size for g in inked).most_common(1)[0][0])


@dataclass(frozen=True)
class SizeStats:
    """Text at one size on a page: characters, lines set mainly in it, the longest of those in characters."""

    size: float
    chars: int
    lines: int
    longest_line: int


@dataclass(frozen=True)
class PageStats:
    """Text sizes used on one page (numbered from 1), smallest first."""

    page: int
    sizes: tuple[SizeStats, ...]

    @property
    def min_size(self) -> float:
        """The smallest size of any character on the page (infinite on a page without text)."""
        return min((s.size for s in self.sizes), default=math.inf)


def _glyphs(textpage: pdfium.PdfTextPage) -> list[_Glyph]:
    """Every character PDFium found on the page, in drawing order, with the word spaces it inferred."""
    left, bottom, right, top, x, y = (ctypes.c_double() for _ in range(6))
    loose, matrix = raw.FS_RECTF(), raw.FS_MATRIX()
    glyphs: list[_Glyph] = []
    for i in range(raw.FPDFText_CountChars(textpage)):
        char = chr(raw.FPDFText_GetUnicode(textpage, i))
        if raw.FPDFText_IsGenerated(
            textpage, i
        ):  # PDFium's guesses: keep word spaces, not line ends
            if char == " " and glyphs:
                glyphs.append(replace(glyphs[-1], char=char, ink=(), left=glyphs[-1].right))
            continue
        raw.FPDFText_GetLooseCharBox(textpage, i, loose)
        raw.FPDFText_GetMatrix(textpage, i, matrix)
        raw.FPDFText_GetCharOrigin(textpage, i, x, y)
        size = raw.FPDFText_GetFontSize(textpage, i) * math.sqrt(
            abs(matrix.a * matrix.d - matrix.b * matrix.c)
        )
        raw.FPDFText_GetCharBox(textpage, i, left, right, bottom, top)
        solid = not char.isspace() and (right.value > left.value or top.value > bottom.value)
        ink = (left.value, bottom.value, right.value, top.value) if solid else ()
        glyphs.append(_Glyph(char, ink, loose.left, loose.right, y.value, round(size, 2)))
    return glyphs


def _gap(a: list[_Glyph], b: list[_Glyph]) -> float:
    """The distance between two runs of characters across the line (negative when they overlap)."""
    (a0, a1), (b0, b1) = ((min(g.left for g in run), max(g.right for g in run)) for run in (a, b))
    return max(b0 - a1, a0 - b1)


def _lines(glyphs: list[_Glyph]) -> list[_Line]:
    """Characters into lines: each beside the last, either way, on its baseline (or raised or lowered)."""
    runs: list[list[_Glyph]] = []
    for g in glyphs:
        if runs:
            first, last = runs[-1][0], runs[-1][-1]
            reach = 1.5 * max(g.size, last.size)
            forward = (
                last.left - 0.25 * g.size <= g.left <= last.right + reach
            )  # ligatures share one box
            backward = (
                last.left - reach <= g.right <= last.right + 0.25 * g.size
            )  # right-to-left text
            if abs(g.baseline - first.baseline) <= 0.45 * g.size and (forward or backward):
                runs[-1].append(g)
                continue
        runs.append([g])
    lines: list[list[_Glyph]] = []
    for run in runs:  # runs of one line drawn out of order (a number in right-to-left text) join up
        same = lines and abs(run[0].baseline - lines[-1][0].baseline) <= 0.1 * run[0].size
        if same and _gap(lines[-1], run) <= 1.5 * run[0].size:
            lines[-1] += run
        else:
            lines.append(run)
    return [_Line(tuple(line)) for line in lines if any(g.ink for g in line)]


def _pages(pdf: Path | bytes) -> Iterator[tuple[int, float, float, list[_Line]]]:
    """Yield (number, width, height, lines) for each page of a PDF (a file or its bytes), in points."""
    document = pdfium.PdfDocument(pdf)
    try:
        for number, page in enumerate(document, 1):
            width, height = page.get_size()
            yield (
                number,
                width,
                height,
                _lines(_glyphs(page.get_textpage())),
            )  # closed with the document
    finally:
        document.close()


def _placement(
    box: tuple[float, ...],
    width: float,
    height: float,
    margins_mm: tuple[float, ...],
    edge_mm: float,
) -> str | None:
    """Why a line's ink box is misplaced on the page, or None when it is where it may be."""
    left, bottom, right, top = box
    to_edge = dict(zip(SIDES, (height - top, width - right, bottom, left), strict=False))
    side = min(to_edge, key=lambda s: to_edge[s])
    if to_edge[side] < 0:
        return f"runs {-to_edge[side] / PT_PER_MM:.1f} mm off the {side} edge of the paper"
    if to_edge[side] < edge_mm * PT_PER_MM:
        return (
            f"is {to_edge[side] / PT_PER_MM:.1f} mm from the {side} edge of the paper "
            f"(no text may come closer than {edge_mm:g} mm)"
        )
    into = {
        s: margin * PT_PER_MM - SLACK_PT - to_edge[s]
        for s, margin in zip(SIDES, margins_mm, strict=False)
    }
    if max(into.values()) <= 0:
        return None  # inside the content area
    if into["left"] <= 0 and into["right"] <= 0 and top <= margins_mm[2] * PT_PER_MM + SLACK_PT:
        return None  # a running footer: wholly in the bottom margin, clear of the edge
    if (
        into["left"] <= 0
        and into["right"] <= 0
        and bottom >= height - margins_mm[0] * PT_PER_MM - SLACK_PT
    ):
        return None  # a running head: wholly in the top margin, clear of the edge
    side = max(into, key=lambda s: into[s])
    return f"lies {into[side] / PT_PER_MM:.1f} mm into the {side} margin, outside the content area"


def _overlaps(lines: list[_Line]) -> list[tuple[_Line, _Line]]:
    """Pairs of lines whose ink boxes share more than OVERLAP of the smaller one's height."""
    boxed = sorted(((line.box, line) for line in lines), key=lambda item: -item[0][3])
    pairs = []
    for i, (a, line_a) in enumerate(boxed):
        for b, line_b in boxed[i + 1 :]:
            if b[3] <= a[1]:
                break  # this and every later line start below the bottom of line a
            shared_x = min(a[2], b[2]) - max(a[0], b[0])
            shared_y = min(a[3], b[3]) - max(a[1], b[1])
            same_line = (
                abs(line_a.glyphs[0].baseline - line_b.glyphs[0].baseline) < 0.1 * line_a.size
            )
            if (
                shared_x > SLACK_PT
                and shared_y > OVERLAP * min(a[3] - a[1], b[3] - b[1])
                and not same_line
            ):
                pairs.append((line_a, line_b))
    return pairs


def _quote(text: str, limit: int = 40) -> str:
    return f'"{text}"' if len(text) <= limit else f'"{text[:limit]}…"'


def check_pages(
    *, pdf: Path | bytes, margins_mm: tuple[float, float, float, float], edge_mm: float = EDGE_MM
) -> list[str]:
    """Text off the content area (margins in mm: top, right, bottom, left) or overlapping, per page."""
    problems = []
    for number, width, height, lines in _pages(pdf):
        problems += [
            f"page {number}: text {_quote(line.text)} {where}"
            for line in lines
            if (where := _placement(line.box, width, height, margins_mm, edge_mm))
        ]
        for a, b in _overlaps(lines):
            problems.append(f"page {number}: text {_quote(a.text)} overlaps text {_quote(b.text)}")
    return problems


def text_stats(*, pdf: Path) -> list[PageStats]:
    """For each page of `pdf`, per font size: characters, lines and the longest line (in characters)."""
    stats = []
    for number, _width, _height, lines in _pages(pdf):
        chars, count, longest = Counter[float](), Counter[float](), Counter[float]()
        for line in lines:
            chars.update(g.size for g in line.glyphs if g.ink)
            count[line.size] += 1
            longest[line.size] = max(longest[line.size], len(line.text))
        stats.append(
            PageStats(
                number,
                tuple(
                    SizeStats(size, chars[size], count[size], longest[size])
                    for size in sorted(chars)
                ),
            )
        )
    return stats


@dataclass(frozen=True)
class TextLine:
    """One line of text as printed: page (from 1), main size in pt, text, ink box (l, b, r, t) in pt,
    and its runs: (size, text) for each stretch of characters of one size."""

    page: int
    size: float
    text: str
    box: tuple[float, float, float, float]
    runs: tuple[tuple[float, str], ...]


def text_lines(*, pdf: Path | bytes) -> list[TextLine]:
    """Every line of text in `pdf`, page by page, as PDFium reads it back."""
    out = []
    for number, _width, _height, lines in _pages(pdf):
        for line in lines:
            runs: list[tuple[float, str]] = []
            for glyph in line.glyphs:
                size = glyph.size if glyph.ink else (runs[-1][0] if runs else glyph.size)
                if runs and abs(runs[-1][0] - size) < 0.05:
                    runs[-1] = (runs[-1][0], runs[-1][1] + glyph.char)
                else:
                    runs.append((size, glyph.char))
            out.append(
                TextLine(
                    number,
                    line.size,
                    line.text,
                    line.box,
                    tuple((size, " ".join(text.split())) for size, text in runs if text.strip()),
                )
            )
    return out
