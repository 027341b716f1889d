"""Every built PDF draws in MuPDF, Ghostscript and poppler as it does in PDFium: no warning about a font
or glyph, no glyph printed blank or as a box.

Each page is rasterised at 72 dpi by the other renderer and by PDFium, and the two are compared inside
each character's box from PDFium's text page, per font and size on the page:
- ink: every glyph PDFium inks must have ink in the other raster too (else it prints blank), and the
  glyphs of a font together may differ in ink by at most a factor of 2 (anti-aliasing and hinting differ);
- shape: different characters must look different. A font program the renderer cannot read is drawn
  with .notdef, the same box (Ghostscript) or nothing (MuPDF) for every character, so the pixels of
  distinct characters differ far less from each other than in PDFium.
"""

from __future__ import annotations

import ctypes
import functools
import itertools
import math
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as raw
import pytest
import weasyprint

from conftest import DOCUMENTS, ROOT

DPI = 72
SCALE = DPI / 72
MIN_INK = (
    4 * 255
)  # glyphs PDFium inks with less (a full stop at 8 pt) are too small to judge at 72 dpi
BLANK = 0.25  # a glyph with less than this share of PDFium's ink prints blank
INK_FACTOR = 2.0  # the ink of one font and size may differ by this factor, either way
ALIKE = 0.3  # distinct characters differing less than this share of PDFium's differences look alike
FONT_WARNING = re.compile(r"font|glyph|FT_", re.I)
HARMLESS = ("ICC support is not available",)


@dataclass(frozen=True)
class Raster:
    """An 8-bit grey image, one byte a pixel, rows top to bottom (255 is white)."""

    width: int
    height: int
    pixels: bytes

    def crop(self, box: tuple[float, float, float, float], page_height: float) -> list[bytes]:
        """The rows of pixels inside a box given in PDF points (origin bottom left)."""
        left, bottom, right, top = box
        x0, x1 = max(0, round(left * SCALE)), min(self.width, round(right * SCALE))
        y0 = max(0, round((page_height - top) * SCALE))
        y1 = min(self.height, round((page_height - bottom) * SCALE))
        return (
            [self.pixels[y * self.width + x0 : y * self.width + x1] for y in range(y0, y1)]
            if x1 > x0
            else []
        )


@dataclass(frozen=True)
class Glyph:
    """A character on a page as PDFium reads it: its box (the advance by the font's height), font, size."""

    char: str
    box: tuple[float, float, float, float]
    font: str
    size: float


def ink(rows: list[bytes]) -> int:
    """How dark a crop is: 255 for each fully black pixel."""
    return sum(255 * len(row) - sum(row) for row in rows)


def difference(a: list[bytes], b: list[bytes]) -> float:
    """Mean absolute difference of two crops over the area they share, in grey levels."""
    rows, cols = min(len(a), len(b)), min(min(map(len, a), default=0), min(map(len, b), default=0))
    if not rows or not cols:
        return 0.0
    return sum(
        abs(p - q) for i in range(rows) for p, q in zip(a[i][:cols], b[i][:cols], strict=False)
    ) / (rows * cols)


def read_pgm(path: Path) -> Raster:
    """A binary PGM (P5) file, as MuPDF, Ghostscript (with a comment) and pdftoppm write it."""
    data = path.read_bytes()
    header = re.match(
        rb"P5(?:\s+|#[^\n]*\n)+(\d+)(?:\s+|#[^\n]*\n)+(\d+)(?:\s+|#[^\n]*\n)+255\s", data
    )
    assert header, f"{path.name} is not an 8-bit PGM file"
    width, height = int(header[1]), int(header[2])
    return Raster(width, height, data[header.end() : header.end() + width * height])


def pdfium_glyphs(textpage: pdfium.PdfTextPage) -> list[Glyph]:
    """Every drawn character but white space, with its loose box, font name and size in pt."""
    box, matrix = raw.FS_RECTF(), raw.FS_MATRIX()
    name, flags = ctypes.create_string_buffer(256), ctypes.c_int()
    glyphs = []
    for i in range(raw.FPDFText_CountChars(textpage)):
        char = chr(raw.FPDFText_GetUnicode(textpage, i))
        if raw.FPDFText_IsGenerated(textpage, i) or char.isspace():
            continue
        raw.FPDFText_GetLooseCharBox(textpage, i, box)
        raw.FPDFText_GetFontInfo(textpage, i, name, len(name), flags)
        raw.FPDFText_GetMatrix(textpage, i, matrix)
        size = raw.FPDFText_GetFontSize(textpage, i) * math.sqrt(
            abs(matrix.a * matrix.d - matrix.b * matrix.c)
        )
        glyphs.append(
            Glyph(
                char,
                (box.left, box.bottom, box.right, box.top),
                name.value.decode(),
                round(size, 1),
            )
        )
    return glyphs


@functools.cache
def pdfium_pages(pdf: Path) -> list[tuple[float, Raster, list[Glyph]]]:
    """Each page's height in points, PDFium's raster of it and the characters on it."""
    pages = []
    document = pdfium.PdfDocument(pdf)
    for page in document:
        bitmap = page.render(scale=SCALE, grayscale=True)
        buffer = bytes(bitmap.buffer)
        rows = b"".join(
            buffer[y * bitmap.stride : y * bitmap.stride + bitmap.width]
            for y in range(bitmap.height)
        )
        pages.append(
            (
                page.get_height(),
                Raster(bitmap.width, bitmap.height, rows),
                pdfium_glyphs(page.get_textpage()),
            )
        )
    document.close()
    return pages


def compare(pdf: Path, rasters: list[Raster], renderer: str) -> list[str]:
    """Where `renderer`'s rasters of `pdf` lack glyphs PDFium draws, per page, font and size."""
    pages = pdfium_pages(pdf)
    assert len(rasters) == len(pages), f"{renderer} drew {len(rasters)} pages, PDFium {len(pages)}"
    problems = []
    for number, ((height, reference, glyphs), other) in enumerate(
        zip(pages, rasters, strict=False), 1
    ):
        groups: dict[tuple[str, float], list[tuple[Glyph, list[bytes], list[bytes]]]] = {}
        for glyph in glyphs:
            ours, theirs = reference.crop(glyph.box, height), other.crop(glyph.box, height)
            if ink(ours) >= MIN_INK:
                groups.setdefault((glyph.font, glyph.size), []).append((glyph, ours, theirs))
        for (font, size), items in groups.items():
            where = f"page {number}, {font} at {size:g} pt ({''.join(g.char for g, _, _ in items)[:24]!r})"
            blank = [g.char for g, ours, theirs in items if ink(theirs) < BLANK * ink(ours)]
            if blank:
                problems.append(
                    f"{where}: {renderer} prints {len(blank)} of {len(items)} glyphs blank: "
                    f"{''.join(dict.fromkeys(blank))[:30]!r}"
                )
                if len(blank) == len(items):
                    continue  # nothing drawn: the measures below would only say so again
            ratio = sum(ink(t) for _, _, t in items) / sum(ink(o) for _, o, _ in items)
            if not 1 / INK_FACTOR <= ratio <= INK_FACTOR:
                problems.append(f"{where}: {renderer} prints {ratio:.0%} of PDFium's ink")
            distinct = list({g.char: (ours, theirs) for g, ours, theirs in items}.values())[:12]
            if len(distinct) >= 4:
                pairs = list(itertools.combinations(distinct, 2))
                apart = sum(difference(a[0], b[0]) for a, b in pairs)  # in PDFium's raster
                apart_there = sum(difference(a[1], b[1]) for a, b in pairs)
                if apart and apart_there / apart < ALIKE:
                    problems.append(
                        f"{where}: {renderer} draws {len(distinct)} different characters alike "
                        f"({apart_there / apart:.0%} of PDFium's differences): boxes or blanks, "
                        "not glyphs"
                    )
    return problems


# How each renderer writes 8-bit grey PGM files, page-1.pgm, page-2.pgm, ... into a folder. Ghostscript's
# pgmraw is the rasteriser of its pnggray device, readable without an image library; it is asked to
# anti-alias like the others, so that the rasters compare glyph by glyph.
RENDERERS = {
    "MuPDF": (
        "mutool",
        "mupdf-tools",
        lambda tool, pdf, out: [
            tool,
            "draw",
            "-q",
            "-F",
            "pnm",
            "-c",
            "gray",
            "-r",
            str(DPI),
            "-o",
            str(out / "page-%d.pgm"),
            str(pdf),
        ],
    ),
    "Ghostscript": (
        "gs",
        "ghostscript",
        lambda tool, pdf, out: [
            tool,
            "-q",
            "-dNOPAUSE",
            "-dBATCH",
            "-dSAFER",
            "-sDEVICE=pgmraw",
            f"-r{DPI}",
            "-dTextAlphaBits=4",
            "-dGraphicsAlphaBits=4",
            f"-sOutputFile={out / 'page-%d.pgm'}",
            str(pdf),
        ],
    ),
    "poppler": (
        "pdftoppm",
        "poppler-utils",
        lambda tool, pdf, out: [tool, "-r", str(DPI), "-gray", str(pdf), str(out / "page")],
    ),
}


def draw(renderer: str, pdf: Path, out: Path) -> tuple[list[Raster], list[str]]:
    """Each page of `pdf` as `renderer` draws it, and the warnings it gave about fonts or glyphs."""
    tool, package, command = RENDERERS[renderer]
    path = shutil.which(tool)
    if not path:
        pytest.skip(f"{tool} not installed: apt-get install {package}")
    result = subprocess.run(command(path, pdf, out), capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, (
        f"{renderer} failed on {pdf.name}: {result.stderr}{result.stdout}"
    )
    pages = sorted(
        out.glob("page-*.pgm"), key=lambda p: int(p.stem.rpartition("-")[2])
    )  # pdftoppm pads
    return [read_pgm(page) for page in pages], font_warnings(result.stderr + result.stdout)


def font_warnings(output: str) -> list[str]:
    """Distinct warnings that name a font or a glyph, each with how often it came."""
    lines = [
        line.strip()
        for line in output.splitlines()
        if FONT_WARNING.search(line) and not any(h in line for h in HARMLESS)
    ]
    counts: dict[str, int] = {}
    for line in lines:
        counts[line] = counts.get(line, 0) + 1
    return [f"{line} (x{n})" if n > 1 else line for line, n in counts.items()]


@pytest.mark.parametrize("renderer", RENDERERS)
@pytest.mark.parametrize("doc", DOCUMENTS, ids="-".join)
def test_every_glyph_draws(built, doc, renderer, tmp_path):
    pdf = built[doc].path
    rasters, warnings = draw(renderer, pdf, tmp_path)
    problems = compare(pdf, rasters, renderer)
    if warnings or problems:
        shown = warnings[:8] + (
            [f"... and {len(warnings) - 8} more warnings"] if len(warnings) > 8 else []
        )
        pytest.fail("\n".join([f"{pdf.name} in {renderer}:", *shown, *problems]), pytrace=False)


# The comparison itself, on a page typeset here: it must accept a faithful raster and catch a
# font drawn blank or as boxes.

SAMPLE = """<html lang=en><head><style>
@font-face { font-family: Serif; src: url(fonts/NotoSerif-Regular.ttf); }
@font-face { font-family: Sans; src: url(fonts/NotoSans-Regular.ttf); }
@page { size: A5; margin: 15mm; }
body { font: 10pt/1.4 Serif; } h1 { font: 700 16pt Sans; } .note { font: 9pt Sans; }
</style></head><body><h1>Treaty of Friendship</h1>
<p>The two parties undertake to wage war together until final victory, and to make no separate peace.</p>
<p class=note>Sources: treaty text, official gazette; quoted with the publisher's permission.</p>
</body></html>"""


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> Path:
    """A page of serif and sans text in the bundled fonts, typeset by WeasyPrint."""
    out = tmp_path_factory.mktemp("renderers") / "sample.pdf"
    weasyprint.HTML(string=SAMPLE, base_url=(ROOT / "styles").as_uri() + "/").write_pdf(out)
    return out


def doctored(pdf: Path, font: str, paint) -> Raster:
    """PDFium's raster of page 1 with each glyph of `font` wiped, then `paint(pixels, width, x, baseline, size)`."""
    height, raster, glyphs = pdfium_pages(pdf)[0]
    pixels = bytearray(raster.pixels)
    for glyph in (g for g in glyphs if font in g.font):
        left, bottom, right, top = (round(v) for v in glyph.box)
        for y in range(round(height) - top, round(height) - bottom):
            pixels[y * raster.width + left : y * raster.width + right] = b"\xff" * (right - left)
        paint(
            pixels, raster.width, left, round(height - glyph.box[1] - 0.25 * glyph.size), glyph.size
        )
    return Raster(raster.width, raster.height, bytes(pixels))


def nothing(pixels: bytearray, width: int, x: int, baseline: int, size: float) -> None:
    """No glyph at all, as MuPDF draws a glyph it cannot load."""


def notdef(pixels: bytearray, width: int, x: int, baseline: int, size: float) -> None:
    """A box with a cross in it, the same for every character, as Ghostscript draws .notdef."""
    w, h = round(0.5 * size), round(0.7 * size)
    for i in range(h):
        row = (baseline - h + i) * width
        for dx in (0, w - 1, round(i * (w - 1) / (h - 1)), w - 1 - round(i * (w - 1) / (h - 1))):
            pixels[row + x + dx] = 0
    for row in (baseline - h, baseline - 1):
        pixels[row * width + x : row * width + x + w] = b"\0" * w


def test_compare_accepts_pdfium_own_raster(sample):
    assert compare(sample, [pdfium_pages(sample)[0][1]], "PDFium") == []


def test_compare_finds_a_font_printed_blank(sample):
    problems = compare(sample, [doctored(sample, "Sans", nothing)], "Doctored")
    assert problems and all("Sans" in p and "blank" in p for p in problems), problems


def test_compare_finds_a_font_printed_as_boxes(sample):
    problems = compare(sample, [doctored(sample, "Sans", notdef)], "Doctored")
    assert any("Sans" in p and "alike" in p for p in problems), problems
    assert not any("Serif" in p for p in problems), problems


@pytest.mark.parametrize("renderer", RENDERERS)
def test_renderers_agree_on_a_page_of_latin_text(sample, renderer, tmp_path):
    rasters, warnings = draw(renderer, sample, tmp_path)
    assert warnings == []
    assert compare(sample, rasters, renderer) == []
