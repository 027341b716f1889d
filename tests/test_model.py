"""The content model serves any treaty; dates, calendars and the CJK font subset behave."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import ROOT, project_copy, project_env, run_cli
from treatypress.content import load_treaty
from treatypress.dates import Calendar, HistDate
from treatypress.documents import load_catalogue
from treatypress.render import render_html

FIXTURES = Path(__file__).with_name("fixtures")


def test_a_1689_julian_treaty_fits_the_model_without_code():
    loaded = load_treaty(FIXTURES / "valid" / "nerchinsk-1689.yaml")
    treaty = loaded.treaty
    assert [t.lang for t in treaty.titles] == ["en", "la", "mnc-Latn", "ru"]
    assert treaty.signing.date.value.calendar is Calendar.julian
    assert (
        treaty.signing.date.value.format() == "27 August 1689 (Julian; 6 September 1689 Gregorian)"
    )
    assert treaty.people[0].born.circa and treaty.people[0].born.format() == "c. 1636"
    catalogue = load_catalogue(ROOT / "templates")
    html = render_html(
        loaded=loaded,
        kind_id="fact-sheet",
        kind=catalogue.kinds["fact-sheet"],
        paper_id="a4",
        paper=catalogue.papers["a4"],
        templates_dir=ROOT / "templates",
    )
    assert "27\u00a0August\u00a01689 (Julian; 6\u00a0September\u00a01689 Gregorian)" in html
    assert 'lang="la"' in html and "Tractatus Nerczinensis" in html


@pytest.mark.parametrize(
    ("text", "iso", "precision"),
    [
        ("1950-02-14", "1950-02-14", "day"),
        ("1950-02", "1950-02", "month"),
        ("1950", "1950", "year"),
        ("1950~", "1950~", "year"),
    ],
)
def test_dates_of_every_precision(text, iso, precision):
    date = HistDate.parse(text)
    assert date.iso() == iso and date.precision == precision


@pytest.mark.parametrize("text", ["1950-02-30", "1950-13-01", "14 Feb 1950", "1950-2-14", ""])
def test_bad_dates_are_refused(text):
    with pytest.raises(ValueError):
        HistDate.parse(text)


def test_julian_leap_day_and_conversion():
    assert HistDate.parse("1700-02-29", calendar=Calendar.julian).gregorian().iso() == "1700-03-11"
    with pytest.raises(ValueError):
        HistDate.parse("1700-02-29")  # not a Gregorian leap year


def test_expiry_is_derived():
    treaty = load_treaty(ROOT / "content" / "sino-soviet-1950.yaml").treaty
    assert treaty.expiry.iso() == "1980-04-11"


def test_new_chinese_characters_recut_the_font_subset(tmp_path):
    project = project_copy(tmp_path)
    fonts = project / "styles" / "fonts"
    source = Path(json.loads((fonts / "fonts.json").read_text())["scripts"][0]["source"]["path"])
    if not source.exists():
        pytest.skip(f"the pinned CJK source font {source} is not installed")
    path = project / "content" / "sino-soviet-1950.yaml"
    text = path.read_text(encoding="utf-8").replace(
        "native: {lang: zh-Hans, text: 毛泽东}", "native: {lang: zh-Hans, text: 毛澤東}"
    )
    path.write_text(text, encoding="utf-8")
    before = (fonts / "NotoSerifCJKsc-Subset.txt").read_text(encoding="utf-8")
    assert "澤" not in before
    env = project_env(project)
    result = run_cli("check", env=env, cwd=project)
    assert result.returncode == 0, result.stderr  # check accepts it, since a build can add it ...
    assert (fonts / "NotoSerifCJKsc-Subset.txt").read_text(
        encoding="utf-8"
    ) == before  # ... writes nothing
    result = run_cli(
        "build",
        "--document",
        "fact-sheet",
        "--paper",
        "a4",
        "--out",
        str(tmp_path / "out"),
        env=env,
        cwd=project,
    )
    assert result.returncode == 0, result.stderr
    after = (fonts / "NotoSerifCJKsc-Subset.txt").read_text(encoding="utf-8")
    assert "澤" in after and set(before.strip()) <= set(after)


def test_missing_source_font_gives_a_clear_message(tmp_path):
    project = project_copy(tmp_path)
    fonts = project / "styles" / "fonts"
    spec = json.loads((fonts / "fonts.json").read_text())
    for face in spec["scripts"]:
        face["source"]["path"] = str(tmp_path / "no-such-font.ttc")
    (fonts / "fonts.json").write_text(json.dumps(spec))
    path = project / "content" / "sino-soviet-1950.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("text: 毛泽东}", "text: 毛澤東}"), encoding="utf-8"
    )
    env = project_env(project)
    result = run_cli("check", env=env, cwd=project)  # nothing can add the character: refused
    assert result.returncode == 1 and "U+6FA4" in result.stderr and "not covered" in result.stderr
    result = run_cli("build", "--out", str(tmp_path / "out"), env=env, cwd=project)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "is not installed: install Debian's fonts-noto-cjk" in result.stderr
