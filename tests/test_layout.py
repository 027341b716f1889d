"""Layout read back from the PDFs (treatypress.layout): nothing off the content area, no lines overprinted."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import weasyprint

from conftest import CATALOGUE, DOCUMENTS, ROOT
from treatypress.layout import check_pages, text_stats

STYLES = ROOT / "styles"
MARGINS = (15.0, 15.0, 21.0, 15.0)  # top, right, bottom, left, in mm, as in styles/base.css
FONTS = """
@font-face { font-family: Serif; src: url(fonts/NotoSerif-Regular.ttf); }
html { font: 10pt/1.35 Serif; }
"""
PAGE = """
@page { size: A4; margin: 15mm 15mm 21mm 15mm;
        @bottom-left { content: "Edition of 1 May 2025 · CC BY 4.0"; font-size: 8pt;
                       vertical-align: top; padding-top: 2mm; } }
"""
PROSE = " ".join(
    f"Sentence {n} of ordinary prose, with descenders (quietly jumping) and Éclat."
    for n in range(40)
)


def render(tmp_path: Path, body: str, page: str = PAGE, name: str = "test") -> Path:
    """A one-off PDF typeset by WeasyPrint with the bundled Noto Serif."""
    out = tmp_path / f"{name}.pdf"
    html = f"<html lang=en><head><style>{FONTS}{page}</style></head><body>{body}</body></html>"
    weasyprint.HTML(string=html, base_url=STYLES.as_uri() + "/").write_pdf(out)
    return out


def only(problems: list[str], *words: str) -> str:
    """The one problem reported, checked to name every word given."""
    assert len(problems) == 1, problems
    assert all(word in problems[0] for word in words), problems[0]
    return problems[0]


def test_a_clean_page_with_a_footer_has_no_problems(tmp_path):
    pdf = render(
        tmp_path, f"<h1>A heading</h1><p>{PROSE}</p><p style='line-height:1.15'>{PROSE}</p>"
    )
    assert check_pages(pdf=pdf, margins_mm=MARGINS) == []


def test_overlapping_positioned_text(tmp_path):
    body = (
        '<div style="position:absolute; top:40mm; left:0">Article one is printed here</div>'
        '<div style="position:absolute; top:41mm; left:8mm">Article two lands on top</div>'
    )
    pdf = render(tmp_path, body)
    only(
        check_pages(pdf=pdf, margins_mm=MARGINS), "page 1", "Article one", "Article two", "overlaps"
    )


def test_lines_set_too_tight_overlap_and_ordinary_leading_does_not(tmp_path):
    tight = render(tmp_path, f"<p style='line-height:0.6'>{PROSE}</p>", name="tight")
    problems = check_pages(pdf=tight, margins_mm=MARGINS)
    assert len(problems) > 10 and all("overlaps" in p for p in problems), problems
    ordinary = render(tmp_path, f"<p style='line-height:1.1'>{PROSE}</p>", name="ordinary")
    assert check_pages(pdf=ordinary, margins_mm=MARGINS) == []


def test_text_off_the_page(tmp_path):
    pdf = render(
        tmp_path,
        '<div style="position:absolute; top:20mm; left:175mm; width:80mm">'
        "Off the paper entirely</div>",
    )
    only(check_pages(pdf=pdf, margins_mm=MARGINS), "page 1", "Off the paper", "off the right edge")


def test_a_2000_character_word_runs_off_the_page(tmp_path):
    pdf = render(tmp_path, "<p>Short line.</p><p>" + "x" * 2000 + "</p>")
    only(check_pages(pdf=pdf, margins_mm=MARGINS), "xxxx…", "off the right edge")
    [stats] = text_stats(pdf=pdf)
    assert max(s.longest_line for s in stats.sizes) == 2000


def test_text_in_a_margin_but_clear_of_the_edge(tmp_path):
    # 13 mm from the left edge: more than the 12 mm print limit, less than the 15 mm margin.
    pdf = render(
        tmp_path,
        '<p>Body.</p><div style="position:absolute; top:50mm; left:-2mm">Marginal note</div>',
    )
    only(check_pages(pdf=pdf, margins_mm=MARGINS), "Marginal note", "into the left margin")


def test_body_text_running_into_the_footer_band(tmp_path):
    # The content box is 297 - 15 - 21 = 261 mm tall: this line straddles its bottom edge.
    pdf = render(
        tmp_path,
        '<p>Body.</p><div style="position:absolute; top:258mm">Spills over the bottom</div>',
    )
    only(check_pages(pdf=pdf, margins_mm=MARGINS), "Spills over", "into the bottom margin")


def test_a_footer_too_near_the_edge(tmp_path):
    page = '@page { size: A4; margin: 15mm; @bottom-center { content: "Footer at the edge"; vertical-align: bottom } }'
    pdf = render(tmp_path, "<p>Body.</p>", page=page)
    only(
        check_pages(pdf=pdf, margins_mm=(15, 15, 15, 15)),
        "Footer at the edge",
        "from the bottom edge",
    )


def test_the_margins_given_are_the_ones_checked(tmp_path):
    pdf = render(tmp_path, f"<p>{PROSE}</p>")
    assert check_pages(pdf=pdf, margins_mm=MARGINS) == []
    problems = check_pages(pdf=pdf, margins_mm=(15, 15, 21, 40))
    assert problems and all("into the left margin" in p for p in problems), problems


RTL_FONTS = [
    Path("/usr/share/fonts/truetype/noto/NotoNaskhArabic-Regular.ttf"),
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
]


def test_right_to_left_text_reads_as_lines(tmp_path):
    font = next((f for f in RTL_FONTS if f.is_file()), None)
    if font is None:
        pytest.skip("no Arabic font: apt-get install fonts-noto-core (or fonts-dejavu-core)")
    page = PAGE + f"@font-face {{ font-family: Arabic; src: url({font.as_uri()}); }}"
    titles = ["معاهدة الصداقة والتحالف [1]", "پیمان صلح میان دو کشور [2]", "معاهدة سلام (1689) [3]"]
    body = "".join(f'<p dir=rtl lang=ar style="font: 14pt/1.3 Arabic">{t}</p>' for t in titles)
    pdf = render(tmp_path, body, page=page)
    assert check_pages(pdf=pdf, margins_mm=MARGINS) == []
    [stats] = text_stats(pdf=pdf)
    assert [s.lines for s in stats.sizes if s.size == 14.0] == [len(titles)]


def test_text_stats_counts_sizes_and_line_lengths(tmp_path):
    body = (
        "<p style='font-size:12pt; white-space:pre'>Twelve point text\nand a longer second line</p>"
        "<p style='font-size:9pt'>Nine</p>"
    )
    [stats] = text_stats(pdf=render(tmp_path, body, page="@page { size: A4; margin: 20mm }"))
    assert stats.page == 1 and stats.min_size == 9.0
    assert [(s.size, s.chars, s.lines, s.longest_line) for s in stats.sizes] == [
        (9.0, 4, 1, 4),
        (12.0, len("Twelvepointtextandalongersecondline"), 2, len("and a longer second line")),
    ]


def page_margins(sheets: list[Path]) -> tuple[float, float, float, float]:
    """The @page margins in mm (top, right, bottom, left) that stylesheets set, their imports first."""
    margins: dict[str, float] = {}

    def read(sheet: Path) -> None:
        css = re.sub(r"/\*.*?\*/", "", sheet.read_text(encoding="utf-8"), flags=re.S)
        for imported in re.findall(r"""@import\s+(?:url\()?\s*["']?([^"')\s;]+)""", css):
            read(sheet.parent / imported)
        for block in re.findall(
            r"@page\s*\{([^{}@]*)", css
        ):  # the unnamed @page, up to its margin boxes
            for side, value in re.findall(
                r"margin(?:-(top|right|bottom|left))?\s*:\s*([^;}]+)", block
            ):
                values = [float(v.removesuffix("mm")) for v in value.split() if v.endswith("mm")]
                assert len(values) == len(value.split()), (
                    f"{sheet.name}: margins not in mm: {value}"
                )
                if side:
                    margins[side] = values[0]
                else:  # the shorthand: 1 to 4 values, as in CSS
                    four = {1: values * 4, 2: values * 2, 3: values + values[1:2], 4: values}[
                        len(values)
                    ]
                    margins.update(zip(("top", "right", "bottom", "left"), four, strict=False))

    for sheet in sheets:
        read(sheet)
    return margins["top"], margins["right"], margins["bottom"], margins["left"]


def test_page_margins_follow_imports_shorthands_and_later_rules(tmp_path):
    (tmp_path / "base.css").write_text(
        "/* @page { margin: 1mm } */\n"
        "@page { margin: 10mm 12mm; @bottom-left { content: 'x'; margin: 0 } }"
    )
    (tmp_path / "kind.css").write_text('@import "base.css";\n@page { margin-bottom: 25mm; }')
    assert page_margins([tmp_path / "kind.css"]) == (10.0, 12.0, 25.0, 12.0)


@pytest.mark.parametrize("doc", DOCUMENTS, ids="-".join)
def test_built_documents_keep_text_in_place(built, doc):
    margins = page_margins([STYLES / sheet for sheet in CATALOGUE["kinds"][doc[1]]["stylesheets"]])
    assert check_pages(pdf=built[doc].path, margins_mm=margins) == []


@pytest.mark.parametrize("doc", DOCUMENTS, ids="-".join)
def test_built_documents_use_no_type_under_8pt(built, doc):
    stats = text_stats(pdf=built[doc].path)
    assert len(stats) == CATALOGUE["kinds"][doc[1]]["pages"]
    assert all(page.min_size >= 8.0 for page in stats), [(p.page, p.sizes[0]) for p in stats]
