"""Any length: the layout holds for few or many articles and events, and what cannot fit is refused.

Each case is the small base treaty with its articles, events or a word made longer or shorter. A
document that is built must pass the page check (nothing off its area, no lines over each other); one
that cannot fit is refused, with its overflow written beside the outputs, quickly.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, STUDENT_ARGS, run_cli
from treatypress.layout import check_pages

BASE = ROOT / "tests" / "fixtures" / "invalid" / "_base" / "base-treaty.yaml"
MARGINS = {"fact-sheet": (15, 15, 21, 15), "handout": (15, 15, 24.5, 15)}


def _articles(data: dict, count: int) -> None:
    data["articles"] = [
        {
            "number": n,
            "summary": f"Part {chr(64 + n % 26 or 26)} of the annex applies.",
            "sources": ["grips-1950"],
        }
        for n in range(1, count + 1)
    ]
    data["structure"] = {"preamble": False, "articles": count, "sources": ["grips-1950"]}


def _events(data: dict, count: int, highlight: bool = True) -> None:
    data["events"] = [
        {
            "id": f"e{n}",
            "date": f"{1950 + n // 12}-{n % 12 + 1:02d}-15",
            "text": "Talks continue between the two delegations.",
            "highlight": highlight,
            "sources": ["frus-1950"],
        }
        for n in range(count)
    ]


def _write(tmp_path: Path, name: str, change) -> Path:
    data = yaml.safe_load(BASE.read_text(encoding="utf-8"))
    change(data)
    data["slug"] = name
    path = tmp_path / "content" / f"{name}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


FITS = {
    "two-articles": lambda d: _articles(d, 2),
    "thirty-articles": lambda d: _articles(d, 30),
    "no-events": lambda d: _events(d, 0),
    "twenty-events": lambda d: _events(d, 20),
    "no-article-count": lambda d: d.pop("structure"),  # no source gives it: nothing printed of it
    "long-name": lambda d: d["people"][0].update(
        name="Zhou Enlai Wenxuan Xiaoming Guangdong Shandong Jiangsu"
    ),
}


@pytest.mark.parametrize("name", list(FITS))
def test_layout_holds(tmp_path, name):
    path = _write(tmp_path, name, FITS[name])
    out = tmp_path / "out"
    result = run_cli("build", str(path), "--out", str(out), *STUDENT_ARGS)
    assert result.returncode == 0, result.stderr
    for pdf in sorted((out / name).glob("*.pdf")):
        kind = "handout" if "-handout-" in pdf.name else "fact-sheet"
        assert check_pages(pdf=pdf, margins_mm=MARGINS[kind]) == [], pdf.name


def test_a_word_too_long_for_any_line_is_refused_by_name(tmp_path):
    word = "Antidisestablishmentarianism" * 70  # about 2,000 letters, no place to break
    path = _write(tmp_path, "long-word", lambda d: d["background"].append(word))
    result = run_cli(
        "build", str(path), "--document", "handout", "--paper", "a4", "--out", str(tmp_path / "out")
    )
    assert result.returncode == 1, result.stdout
    assert "long-word handout (a4)" in result.stderr and "Antidisestablishment" in result.stderr
    assert not (tmp_path / "out" / "long-word" / "long-word-handout-a4.pdf").exists()


def test_content_far_too_long_is_refused_at_once(tmp_path):
    path = _write(tmp_path, "many-events", lambda d: _events(d, 1000, highlight=False))
    started = time.monotonic()
    result = run_cli(
        "build", str(path), "--document", "handout", "--paper", "a4", "--out", str(tmp_path / "out")
    )
    elapsed = time.monotonic() - started
    assert result.returncode == 1
    assert "times as long as its 2 page(s) hold" in result.stderr and "Timeline" in result.stderr
    assert elapsed < 60  # a full typesetting of this takes minutes; the estimate takes a moment


def test_too_long_is_written_to_overflow_with_the_largest_sections(tmp_path):
    path = _write(tmp_path, "long-events", lambda d: _events(d, 100, highlight=False))
    out = tmp_path / "out"
    result = run_cli(
        "build", str(path), "--document", "handout", "--paper", "a4", "--out", str(out)
    )
    assert result.returncode == 1
    assert "largest sections: Timeline" in result.stderr
    assert (out / "long-events" / "overflow" / "long-events-handout-a4.pdf").exists()
    assert not (out / "long-events" / "long-events-handout-a4.pdf").exists()
