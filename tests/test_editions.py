"""The classroom editions: teacher's key, large print, class sets, comparison sheet, web pages,
previews and the class pack. Each is read back from the files the build wrote."""

from __future__ import annotations

import html as htmllib
import json
import re
import shutil
import subprocess
import zipfile
from collections import Counter
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader

from conftest import CATALOGUE, CONTENT, PAPERS, SLUGS, normalise, run_cli, short_title
from treatypress.content import load_treaty
from treatypress.layout import text_lines
from treatypress.refs import fill

MM = 72 / 25.4
EXPECTED = yaml.safe_load((Path(__file__).parent / "expected_facts.yaml").read_text("utf-8"))


def _text(pdf: Path) -> str:
    return normalise("\n".join(page.extract_text() for page in PdfReader(pdf).pages))


def _plain(markup: str) -> str:
    return normalise(htmllib.unescape(re.sub(r"<[^>]+>", "", str(markup))).replace("\u00a0", " "))


def _answers(slug: str) -> list[str]:
    loaded = load_treaty(CONTENT / f"{slug}.yaml")
    return [
        _plain(fill(loaded.treaty, q.answer, loaded.related))
        for q in loaded.treaty.classroom.review
    ]


def _body_size(pdf: Path) -> float:
    """The size most characters are set in."""
    sizes: Counter[float] = Counter()
    for line in text_lines(pdf=pdf):
        for size, text in line.runs:
            sizes[round(size, 1)] += len(text.strip())
    return sizes.most_common(1)[0][0]


# ---------- Teacher edition ----------


@pytest.mark.parametrize("slug", SLUGS)
@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_teacher_edition_has_every_answer_and_the_student_handout_none(build_dir, slug, paper):
    teacher = build_dir / slug / f"{slug}-handout-teacher-{paper}.pdf"
    student = build_dir / slug / f"{slug}-handout-{paper}.pdf"
    teacher_text, student_text = _text(teacher), _text(student)
    for answer in _answers(slug):
        # set in its answer space, under its label; a short answer ("On 24 August 1949.") may
        # well be printed elsewhere on the handout, but never as an answer
        assert f"answer {answer}" in teacher_text, answer
        assert f"answer {answer}" not in student_text, answer
    # the label on every page, and nowhere on the student handout
    for page in PdfReader(teacher).pages:
        assert "teacher edition" in normalise(page.extract_text())
    assert "teacher edition" not in student_text


def test_teacher_edition_prints_the_discussion_notes(build_dir):
    loaded = load_treaty(CONTENT / "sino-soviet-1950.yaml")
    notes = [q.notes for q in loaded.treaty.classroom.discussion if not isinstance(q, str)]
    assert notes, "the shipped 1950 treaty has notes on its discussion questions"
    teacher = _text(build_dir / "sino-soviet-1950" / "sino-soviet-1950-handout-teacher-a4.pdf")
    student = _text(build_dir / "sino-soviet-1950" / "sino-soviet-1950-handout-a4.pdf")
    for note in notes:
        text = _plain(fill(loaded.treaty, note, loaded.related))
        assert text in teacher and text not in student


# ---------- Large print ----------


@pytest.mark.parametrize("slug", SLUGS)
@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_large_print_is_16pt_one_column_with_wide_margins(build_dir, slug, paper):
    pdf = build_dir / slug / f"{slug}-handout-large-print-{paper}.pdf"
    assert _body_size(pdf) >= 16
    lines = text_lines(pdf=pdf)
    headings = [line for line in lines if line.text.strip() in ("Background", "Timeline")]
    assert headings and all(line.size > 16 for line in headings)
    width = float(PdfReader(pdf).pages[0].mediabox.width)
    for line in lines:
        left, _bottom, right, _top = line.box
        assert left >= 25 * MM - 0.5 and right <= width - 25 * MM + 0.5, line.text
    # one column, left-aligned: every line of body text starts at the left margin or an indent
    # near it, never in a second column
    form = {"Name", "Class", "Date"}  # the name, class and date lines share one row
    body = [line for line in lines if line.size >= 15.5 and line.text.strip() not in form]
    starts = sorted(line.box[0] for line in body)
    assert starts[-1] - starts[0] < 45 * MM, "text starts in a second column"
    # no hyphenation: no line of body text ends in a hyphen made by the typesetter
    assert not [line.text for line in body if line.text.rstrip().endswith("\u2010")]


# ---------- Class sets ----------

SMALL = [p for p, spec in PAPERS.items() if spec.get("two_up_on")]


@pytest.mark.parametrize("slug", SLUGS)
@pytest.mark.parametrize("paper", SMALL)
@pytest.mark.parametrize("kind", ["fact-sheet", "handout"])
def test_class_set_pages_and_sheets(build_dir, slug, paper, kind):
    spec = PAPERS[paper]
    small = build_dir / slug / f"{slug}-{kind}-{paper}.pdf"
    sheets = build_dir / slug / f"{slug}-{kind}-{paper}-2up-{spec['two_up_on']}.pdf"
    small_pdf, sheet_pdf = PdfReader(small), PdfReader(sheets)
    w, h = spec["mm"]
    for page in small_pdf.pages:
        assert (
            abs(float(page.mediabox.width) - w * MM) < 1
            and abs(float(page.mediabox.height) - h * MM) < 1
        )
    assert _body_size(small) >= 9
    # as many sheets as the small edition has pages, each a landscape sheet of the larger paper
    assert len(sheet_pdf.pages) == len(small_pdf.pages)
    sw, sh = PAPERS[spec["two_up_on"]]["mm"]
    title = normalise(short_title(slug))
    for number, (sheet, page) in enumerate(zip(sheet_pdf.pages, small_pdf.pages, strict=True), 1):
        assert abs(float(sheet.mediabox.width) - sh * MM) < 1
        assert abs(float(sheet.mediabox.height) - sw * MM) < 1
        # text-extractable, and twice: two copies of the same page
        text, once = normalise(sheet.extract_text()), normalise(page.extract_text())
        first_words = once[:40]
        assert text.count(first_words) == 2 * once.count(first_words) > 0, (number, first_words)
        # vector: no image is drawn on the sheet
        resources = sheet.get("/Resources") or {}
        xobjects = resources.get("/XObject") or {}
        assert not [x for x in xobjects.values() if x.get_object().get("/Subtype") == "/Image"]
    assert title in _text(sheets)


@pytest.mark.parametrize("paper", SMALL)
def test_class_set_sheets_are_at_full_size(build_dir, paper):
    """100%: the text on the sheet is as large as on the small page."""
    spec = PAPERS[paper]
    small = build_dir / "nato-1949" / f"nato-1949-handout-{paper}.pdf"
    sheet = build_dir / "nato-1949" / f"nato-1949-handout-{paper}-2up-{spec['two_up_on']}.pdf"
    assert _body_size(small) == _body_size(sheet)


# ---------- Comparison sheet ----------


def test_comparison_sheets_are_declared_in_content_and_set_both_treaties(build_dir):
    pairs = sorted(p.name for p in (build_dir / "compare").glob("*.pdf"))
    assert pairs == [
        "sino-soviet-1945-vs-sino-soviet-1950-a4.pdf",
        "sino-soviet-1945-vs-sino-soviet-1950-letter.pdf",
    ]
    facts = {
        slug: {f["id"]: f for f in EXPECTED["treaties"][slug]}
        for slug in ("sino-soviet-1945", "sino-soviet-1950")
    }
    for name in pairs:
        pdf = build_dir / "compare" / name
        assert len(PdfReader(pdf).pages) == 1
        text = _text(pdf)
        for slug in facts:
            assert normalise(short_title(slug)) in text
            signed = facts[slug]["signed-date"]["any_of"]
            assert any(s in text for s in signed), (slug, signed)
        assert "compare" in text
        assert text.index("sino-soviet treaty of friendship and alliance") < text.index(
            "treaty of friendship, alliance and mutual assistance"
        )  # the earlier treaty on the left


def test_a_pair_names_a_treaty_with_a_content_file(tmp_path):
    source = (CONTENT / "sino-soviet-1950.yaml").read_text(encoding="utf-8")
    path = tmp_path / "sino-soviet-1950.yaml"
    path.write_text(source.replace("  - treaty: sino-soviet-1945\n", "  - treaty: yalta-1945\n"))
    shutil.copy(CONTENT / "sino-soviet-1945.yaml", tmp_path)
    result = run_cli("check", str(path))
    assert result.returncode == 1
    assert re.search(
        r"sino-soviet-1950\.yaml:\d+:\d+: comparisons\[0\]\.treaty: no content file yalta-1945\.yaml",
        result.stderr,
    ), result.stderr


def test_the_archival_comparison_sheet_is_its_own_file(tmp_path):
    """`build --archival` writes the comparison sheet beside the print one, not over it: a build
    of either edition leaves the other as it was."""
    out = tmp_path / "out"
    pair = ["--document", "compare", "--paper", "a4", "--out", str(out)]
    plain = out / "compare" / "sino-soviet-1945-vs-sino-soviet-1950-a4.pdf"
    archival = plain.with_name("sino-soviet-1945-vs-sino-soviet-1950-a4-archival.pdf")
    for args in ([], ["--archival"], []):
        result = run_cli("build", *pair, *args)
        assert result.returncode == 0, result.stderr
    assert "0 written, 1 up to date" in result.stdout, result.stdout
    assert PdfReader(plain).attachments == {}
    assert "sino-soviet-1950.yaml" in PdfReader(archival).attachments


# ---------- Web edition ----------

WEB = [(slug, kind) for slug in SLUGS for kind in ("fact-sheet", "handout")]


@pytest.mark.parametrize(("slug", "kind"), WEB)
def test_web_page_is_standalone(build_dir, slug, kind):
    page = build_dir / slug / f"{slug}-{kind}.html"
    text = page.read_text(encoding="utf-8")
    assert '<html lang="en">' in text and 'name="viewport"' in text
    assert "<link" not in text  # styles inlined
    urls = re.findall(r"url\(([^)]+)\)", text) + re.findall(r'src="([^"]+)"', text)
    assert urls
    for url in urls:
        assert not re.match(r"[a-z]+:", url), url  # nothing fetched from elsewhere
        assert (page.parent / url).is_file(), url
    assert normalise(short_title(slug)) in normalise(htmllib.unescape(re.sub("<[^>]+>", " ", text)))


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
# Each page runs in a frame of the width asked for (a headless browser window is at least 500 px
# wide), measures itself when its fonts are in, and posts what it found to the frame's parent;
# one browser run opens every page at one width. The parent listens from its head, before the
# first frame exists: a frame that loads while the parent is still being parsed is heard too.
PROBE = """<script>
window.addEventListener("load", () => document.fonts.ready.then(() => {
  const root = document.documentElement, width = window.innerWidth;
  const cut = [...document.querySelectorAll("body *")].filter(e => {
    const s = getComputedStyle(e), r = e.getBoundingClientRect();
    return r.width > 0 && (r.right > width + 1 || r.left < -1 ||
      (s.overflowX !== "visible" && e.scrollWidth > e.clientWidth + 1));
  }).map(e => e.tagName + "." + e.className).slice(0, 5);
  parent.postMessage({page: location.pathname.split("/").pop(), scroll: root.scrollWidth, width, cut}, "*");
}));
</script>"""
FRAMES = """<!DOCTYPE html><html><head><title>waiting</title>
<script>const found = {{}};
window.addEventListener("message", e => {{ found[e.data.page] = e.data;
  document.title = Object.keys(found).length === {count} ? "probe:" + JSON.stringify(found)
    : "waiting, reported: " + Object.keys(found).join(" "); }});
</script></head><body style="margin:0">{frames}</body></html>"""


def _probe(pages: list[Path], width: int, folder: Path) -> dict[str, dict]:
    """Open each page at `width` CSS pixels in headless Chromium; what each measured of itself,
    by page. The pages are copied into `folder` with the fonts beside them."""
    frames = []
    for page in pages:
        target = folder / page.parent.name / page.name
        if not target.parent.exists():
            shutil.copytree(page.parent / "fonts", target.parent / "fonts")
        target.write_text(page.read_text("utf-8").replace("</body>", PROBE + "</body>"), "utf-8")
        frames.append(
            f'<iframe src="{page.parent.name}/{page.name}" '
            f'style="border:0;width:{width}px;height:900px"></iframe>'
        )
    index = folder / f"frames-{width}.html"
    index.write_text(FRAMES.format(frames="\n".join(frames), count=len(pages)), "utf-8")
    result = subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
            "--window-size=1400,900",
            "--virtual-time-budget=15000",
            "--dump-dom",
            index.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    found = re.search(r"<title>probe:(.*?)</title>", result.stdout)
    title = re.search(r"<title>(.*?)</title>", result.stdout)
    assert found, (title and title.group(1), result.stderr[-1000:])
    return json.loads(htmllib.unescape(found.group(1)))


@pytest.mark.skipif(
    CHROMIUM is None, reason="headless Chromium is not installed (Debian: chromium)"
)
@pytest.mark.parametrize("width", [375, 1280])
def test_web_pages_fit_the_screen_in_a_browser(build_dir, tmp_path, width):
    pages = [build_dir / slug / f"{slug}-{kind}.html" for slug, kind in WEB]
    found = _probe(pages, width, tmp_path)
    assert sorted(found) == sorted(p.name for p in pages)
    for name, data in found.items():
        assert data["width"] == width, (name, data)
        assert data["scroll"] <= width, (name, data)  # nothing scrolls sideways
        assert data["cut"] == [], (name, data)  # no text cut or off the screen


# ---------- Previews and the class pack ----------


def test_previews_render_every_page(build_dir, tmp_path):
    out = tmp_path / "build"
    shutil.copytree(build_dir / "nato-1949", out / "nato-1949")
    result = run_cli("previews", "--out", str(out))
    assert result.returncode == 0, result.stderr
    for pdf in (out / "nato-1949").glob("*.pdf"):
        pages = len(PdfReader(pdf).pages)
        pictures = sorted(
            p
            for p in (out / "nato-1949" / "previews").glob(f"{pdf.stem}-*.png")
            if re.fullmatch(rf"{re.escape(pdf.stem)}-\d+\.png", p.name)
        )
        assert len(pictures) == pages, pdf.name
        assert pictures[0].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_class_pack_holds_every_file_with_an_index(build_dir):
    result = run_cli("pack", "--out", str(build_dir))
    assert result.returncode == 0, result.stderr
    with zipfile.ZipFile(build_dir / "treatypress-pack.zip") as pack:
        names = set(pack.namelist())
        index = pack.read("index.html").decode("utf-8")
    built = {
        p.relative_to(build_dir).as_posix()
        for p in build_dir.rglob("*")
        if p.suffix in (".pdf", ".html")
        and "overflow" not in p.parts
        and not p.name.startswith(".")
        and (p.suffix == ".pdf" or not re.search(r"-(a4|letter|a5|half-letter)\.html$", p.name))
    }
    assert built and built <= names
    for name in built:
        assert f'href="{name}"' in index
        if name.endswith(".pdf"):
            pages = len(PdfReader(build_dir / name).pages)
            row = re.search(rf'href="{re.escape(name)}">.*?</tr>', index).group(0)
            assert f"<td>{pages}</td>" in row, name
    for use in ("student", "teacher", "large print", "class set", "web"):
        assert f"<td>{use}</td>" in index
    kinds = set(CATALOGUE["kinds"])
    assert kinds  # every kind has files in the pack
    for kind in kinds:
        assert any(
            f"-{kind}-" in n or n.endswith(f"-{kind}.html") or kind == "compare" and "-vs-" in n
            for n in names
        ), kind
