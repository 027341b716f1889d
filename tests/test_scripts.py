"""Every script the bundled faces cover prints: shaped, in its direction, in every renderer.

The fixture has one original title in each listed script. It is built in a copy of the project, since
its characters make the build cut new subsets into styles/fonts/.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pypdfium2 as pdfium
import pytest
import yaml

from conftest import ROOT, project_env, run_cli

FIXTURE = ROOT / "tests" / "fixtures" / "valid" / "all-scripts.yaml"
TITLES = {
    t["lang"]: t["text"]
    for t in yaml.safe_load(FIXTURE.read_text(encoding="utf-8"))["titles"]
    if t["kind"] == "original"
}
SCRIPT_FACES = json.loads((ROOT / "styles" / "fonts" / "fonts.json").read_text())["scripts"]


@pytest.fixture(scope="module")
def scripts_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture's fact sheet and handout on A4, built in a copy of the project."""
    missing = sorted(
        {f["source"]["package"] for f in SCRIPT_FACES if not Path(f["source"]["path"]).exists()}
    )
    if missing:
        pytest.skip(
            f"the pinned source fonts are not installed: apt-get install {' '.join(missing)}"
        )
    project = tmp_path_factory.mktemp("scripts") / "project"
    for name in ("templates", "styles"):
        shutil.copytree(ROOT / name, project / name)
    (project / "content").mkdir()
    shutil.copy(FIXTURE, project / "content" / FIXTURE.name)
    shutil.copy(ROOT / "content" / "treaty.schema.json", project / "content")
    out = project / "out"
    env = project_env(project)
    result = run_cli(
        "build",
        "--paper",
        "a4",
        "--document",
        "fact-sheet",
        "--document",
        "handout",
        "--strict",
        "--out",
        str(out),
        env=env,
        cwd=project,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "notdef" not in result.stdout + result.stderr
    return out / "all-scripts"


def _chars(pdf: Path) -> list[tuple[str, tuple[float, float, float, float]]]:
    """(character, (left, bottom, right, top)) for every character on page 1, in content order."""
    doc = pdfium.PdfDocument(pdf)
    text = doc[0].get_textpage()
    out = [(text.get_text_range(i, 1), text.get_charbox(i)) for i in range(text.count_chars())]
    doc.close()
    return out


@pytest.mark.parametrize("kind", ["fact-sheet", "handout"])
def test_every_script_is_drawn_with_a_bundled_face(scripts_build, kind):
    pdf = scripts_build / f"all-scripts-{kind}-a4.pdf"
    printed = {c for c, _ in _chars(pdf)}
    for lang, title in TITLES.items():
        letters = {c for c in title if c.isalpha()}
        assert letters <= printed, (lang, sorted(letters - printed))
    names = (
        subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True).stdout
        if shutil.which("pdffonts")
        else ""
    )
    for family in (
        "TP-Arabic",
        "TP-Hebrew",
        "TP-Devanagari",
        "TP-Thai",
        "TP-Armenian",
        "TP-Georgian",
        "TP-Mongolian",
        "TP-CJK",
        "TP-CJK-TC",
        "TP-CJK-JP",
        "TP-CJK-KR",
    ):
        assert not names or family in names, family


def test_right_to_left_titles_run_right_to_left(scripts_build):
    chars = _chars(scripts_build / "all-scripts-fact-sheet-a4.pdf")

    def x_on_line(anchor: str, other: str) -> tuple[float, float]:
        box = next(b for c, b in chars if c == anchor)
        near = [b for c, b in chars if c == other and abs(b[1] - box[1]) < 3]
        return box[0], near[0][0]

    first, second = x_on_line(
        "ה", "ש"
    )  # Hebrew "הסכם שלום": the first word stands right of the second
    assert first > second
    first, second = x_on_line("ة", "س")  # Arabic "معاهدة سلام": likewise
    assert first > second


def test_mongolian_and_manchu_read_top_to_bottom(scripts_build):
    chars = [
        (c, box)
        for c, box in _chars(scripts_build / "all-scripts-fact-sheet-a4.pdf")
        if "\u1800" <= c <= "\u18af" and c.isalpha()
    ]
    assert len(chars) >= 10
    lefts = [box[0] for _, box in chars]
    tops = [box[3] for _, box in chars]
    # Letters of one column share an x position and descend the page in reading order.
    assert max(lefts) - min(lefts) < 40  # two narrow columns, not a line across the page
    column = [t for (c, box), t in zip(chars, tops, strict=False) if abs(box[0] - lefts[0]) < 5]
    assert len(column) >= 5 and column == sorted(column, reverse=True)


@pytest.mark.skipif(
    not shutil.which("mutool"), reason="MuPDF is not installed: apt-get install mupdf-tools"
)
def test_mupdf_draws_every_script(scripts_build):
    for pdf in sorted(scripts_build.glob("*.pdf")):
        result = subprocess.run(
            ["mutool", "draw", "-o", "/dev/null", str(pdf)], capture_output=True, text=True
        )
        problems = [
            line for line in result.stderr.splitlines() if "warning" in line and "ICC" not in line
        ]
        assert result.returncode == 0 and not problems, (pdf.name, problems)


def test_every_script_passes_pdf_ua1(scripts_build):
    from test_verapdf import validate, verdict_message

    files = sorted(scripts_build.glob("*.pdf"))
    verdicts = validate("ua1", files)
    failed = [
        verdict_message(f.name, "ua1", verdicts[f.name])
        for f in files
        if verdicts[f.name].status != "PASS"
    ]
    assert not failed, "\n".join(failed)
