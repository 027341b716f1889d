"""Every document kind renders for every treaty, in every paper size, with the right pages."""

from __future__ import annotations

import re

import pytest

from conftest import (
    CATALOGUE,
    DOCUMENTS,
    SLUGS,
    edition,
    edition_printed,
    project_copy,
    project_env,
    run_cli,
    short_title,
)

MM = 72 / 25.4
PAPER_PT = {"a4": (210 * MM, 297 * MM), "letter": (8.5 * 72, 11 * 72)}


@pytest.mark.parametrize("doc", DOCUMENTS, ids="-".join)
def test_page_count_and_size(built, doc):
    pdf = built[doc]
    slug, kind, paper = doc
    assert pdf.path.name == f"{slug}-{kind}-{paper}.pdf"
    assert len(pdf.reader.pages) == CATALOGUE["kinds"][kind]["pages"]
    for page in pdf.reader.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert width == pytest.approx(PAPER_PT[paper][0], abs=0.5)
        assert height == pytest.approx(PAPER_PT[paper][1], abs=0.5)


def test_every_kind_for_every_treaty(built):
    assert {"sino-soviet-1945", "sino-soviet-1950"} <= set(SLUGS)
    assert set(SLUGS) == {slug for slug, _, _ in built}
    kinds = {kind for _, kind, _ in built}
    assert kinds == {"fact-sheet", "handout"}
    assert all(pdf.path.is_file() and pdf.path.stat().st_size > 10_000 for pdf in built.values())


@pytest.mark.parametrize("doc", [d for d in DOCUMENTS if d[1] == "handout"], ids="-".join)
def test_handout_has_name_lines_and_page_numbers(built, doc):
    pdf = built[doc]
    first = pdf.reader.pages[0].extract_text()
    assert first.lstrip().startswith("Name")
    for number, page in enumerate(pdf.reader.pages, 1):
        assert f"Page {number} of 2" in page.extract_text()


@pytest.mark.parametrize("doc", DOCUMENTS, ids="-".join)
def test_every_page_has_edition_and_copying_line(built, doc):
    for page in built[doc].reader.pages:
        text = " ".join(page.extract_text().split())
        assert f"Edition of {edition_printed(doc[0])}" in text
        assert "May be copied for classroom use" in text and "CC BY 4.0" in text


@pytest.mark.parametrize("doc", DOCUMENTS, ids="-".join)
def test_metadata(built, doc):
    pdf = built[doc]
    meta = pdf.reader.metadata
    assert pdf.reader.trailer["/Root"]["/Lang"] == "en"
    assert meta.title and meta.title.startswith(short_title(doc[0]) + ": ")
    assert meta.author == "treatypress contributors"
    assert meta.subject and "signed" in meta.subject
    assert "treaty" in meta["/Keywords"]
    # The edition date comes from the content file, never from the clock.
    stamp = "D:" + edition(doc[0]).replace("-", "")
    assert meta["/CreationDate"].startswith(stamp) and meta["/ModDate"].startswith(stamp)


def test_handout_credits_translation_and_typefaces(built):
    handout = built[("sino-soviet-1950", "handout", "a4")].text
    assert "translation: prc ministry of foreign affairs, as published by cctv english" in handout
    assert "set in noto" in handout and "open font license" in handout


@pytest.mark.parametrize("slug", ["sino-soviet-1950", "sino-soviet-1945"])
@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_handout_reads_in_order_and_uses_both_sides(built, slug, paper):
    """Page 1 opens with the student lines, objectives, background and timeline; the rest flows on in
    two columns (key terms, the articles, the primary source, questions, sources) and fills page 2."""
    doc = built[(slug, "handout", paper)]
    pages = [" ".join(page.extract_text().split()) for page in doc.reader.pages]
    order = [
        "Name",
        "By the end of this lesson you can",
        "Background",
        "Timeline",
        "Key terms",
        "What the treaty says",
        "Discuss",
        "Check your understanding",
        "Sources",
    ]
    if slug == "sino-soviet-1950":
        order.insert(6, "Primary source · Article 1")
    for section in order:
        assert section.upper() in " ".join(pages).upper(), section
    for section in order[:4]:
        assert section.upper() in pages[0].upper(), section
    assert "SOURCES" in pages[1]
    # Reading order: the tag tree follows the HTML, so its headings come in the order above.
    body = doc.html[doc.html.index("<body") :]
    found = [body.find(f">{section}<") for section in order]
    assert -1 not in found and found == sorted(found), list(zip(order, found, strict=False))
    # Page 2 is used: text reaches into its last fifth in at least one column.
    lowest = min(y for y in _baselines(doc.reader.pages[1]))
    assert lowest < float(doc.reader.pages[1].mediabox.height) * 0.2 + 70, lowest


def _baselines(page) -> list[float]:
    ys: list[float] = []
    page.extract_text(
        visitor_text=lambda text, cm, tm, font, size: (
            ys.append(tm[5] * cm[3] + cm[5])
            if text.strip() and not text.startswith(("Page", "Edition", "Sino"))
            else None
        )
    )
    return ys


def test_a_copy_under_a_new_slug_builds_every_edition(tmp_path):
    """A teacher's own version of a shipped treaty (the same file under another slug) builds, even
    where the treaty it annuls says, in its own words, which treaty ended it."""
    project = project_copy(tmp_path)
    source = project / "content" / "sino-soviet-1950.yaml"
    copy = source.with_name("sino-soviet-1950-class-7.yaml")
    copy.write_text(
        re.sub(r"(?m)^slug: .*$", "slug: sino-soviet-1950-class-7", source.read_text("utf-8")),
        encoding="utf-8",
    )
    done = run_cli(
        "build",
        str(copy),
        "--out",
        str(tmp_path / "out"),
        cwd=project,
        env=project_env(project, tmp_path / "cache"),
    )
    assert done.returncode == 0, done.stderr
    assert " 0 failed" in done.stdout
    made = list((tmp_path / "out" / "sino-soviet-1950-class-7").glob("*.pdf"))
    assert len(made) >= 12


HANDOUTS = [
    f"{slug}/{slug}-{kind}-{paper}.pdf"
    for slug in SLUGS
    for kind, spec in CATALOGUE["kinds"].items()
    if spec["template"] == "handout.html.j2"
    for paper in spec["papers"]
    if paper != "web"
]


@pytest.mark.parametrize("name", HANDOUTS)
def test_the_typefaces_credit_never_stands_alone_on_a_page(build_dir, name):
    """The credit closes the sources: on its page, in its column, source text stands above it (a
    running header, set to the right, does not count). It once stood alone at the top of a page or
    of a column."""
    from treatypress.layout import text_lines

    lines = text_lines(pdf=build_dir / name)
    credit = next(line for line in lines if line.text.startswith("Set in "))
    above = [
        line
        for line in lines
        if line.page == credit.page
        and line.box[1] > credit.box[3]
        and abs(line.box[0] - credit.box[0]) < 30
    ]
    assert above, f"page {credit.page} of {name} holds the typefaces' credit alone"
