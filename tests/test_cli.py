"""The command line: bad content gets file, line, column and field, exit 1, no traceback, no PDF."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import CONTENT, run_cli

GOOD = CONTENT / "sino-soviet-1950.yaml"


def _variant(tmp_path: Path, old: str, new: str, name: str = "sino-soviet-1950.yaml") -> Path:
    """A copy of the 1950 content (and the file it names) with one change."""
    text = GOOD.read_text(encoding="utf-8")
    assert old in text, old
    shutil.copy(CONTENT / "sino-soviet-1945.yaml", tmp_path / "sino-soviet-1945.yaml")
    path = tmp_path / name
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def _line_of(path: Path, needle: str) -> int:
    return next(
        i
        for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if needle in line
    )


CASES = {
    "impossible date": (
        "value: '1950-02-14'",
        "value: '1950-02-30'",
        "signing.date.value",
        "is not a real date",
        "1950-02-30",
    ),
    "integer date": (
        "value: '1950-02-14'",
        "value: 1950",
        "signing.date.value",
        "is a number, not a date",
        "value: 1950",
    ),
    "date as free text": (
        "value: '1950-02-14'",
        "value: 'Valentine''s Day 1950'",
        "signing.date.value",
        "is not a date",
        "Valentine",
    ),
    "unknown key": ("  place:\n", "  plaec:\n", "signing.plaec", "did you mean 'place'?", "plaec:"),
    "wrong type": (
        "structure:\n  preamble: true",
        "structure:\n  preamble: [yes]",
        "structure.preamble",
        "true or false",
        "preamble: [yes]",
    ),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_check_reports_file_line_and_field(tmp_path, case):
    old, new, field, message, marker = CASES[case]
    path = _variant(tmp_path, old, new)
    result = run_cli("check", str(path))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    line = _line_of(path, marker)
    assert f"{path}:{line}:" in result.stderr
    assert f" {field}: " in result.stderr and message in result.stderr, result.stderr


def test_missing_required_field(tmp_path):
    path = _variant(tmp_path, "entry_into_force:\n", "entry_into_forse:\n")
    result = run_cli("check", str(path))
    assert result.returncode == 1
    assert "entry_into_force: required field 'entry_into_force' is missing" in result.stderr
    assert (
        "entry_into_forse: unknown field 'entry_into_forse'; did you mean 'entry_into_force'?"
        in result.stderr
    )


def test_yaml_syntax_error_has_line_and_column(tmp_path):
    path = _variant(tmp_path, "subject: Cold War in Asia", "subject: [Cold War in Asia")
    result = run_cli("check", str(path))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"{path}:" in result.stderr and "YAML syntax error" in result.stderr
    assert result.stderr.count(":") >= 3


def test_every_problem_listed_at_once(tmp_path):
    path = _variant(tmp_path, "value: '1950-02-14'", "value: '1950-13-14'")
    path.write_text(
        path.read_text(encoding="utf-8").replace("  place:\n", "  plaec:\n", 1), encoding="utf-8"
    )
    result = run_cli("check", str(path))
    lines = [line for line in result.stderr.splitlines() if line.startswith(str(path))]
    assert len(lines) >= 2, result.stderr


def test_invalid_content_writes_no_pdf(tmp_path):
    path = _variant(tmp_path, "value: '1950-02-14'", "value: '1950-02-30'")
    out = tmp_path / "out"
    result = run_cli("build", str(path), "--out", str(out))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert not list(out.rglob("*.pdf"))


def test_usage_errors_exit_2(tmp_path):
    assert run_cli("build", "--paper", "a3").returncode == 2
    assert run_cli("frobnicate").returncode == 2
    result = run_cli("build", "--document", "poster", "--out", str(tmp_path))
    assert result.returncode == 2 and "unknown document poster" in result.stderr


def test_check_accepts_the_shipped_content():
    result = run_cli("check")
    assert result.returncode == 0, result.stderr
    assert "sino-soviet-1950.yaml: ok" in result.stdout


def test_uncovered_character_is_refused_with_code_point(tmp_path):
    path = _variant(tmp_path, "subject: Cold War in Asia", "subject: Cold War in Asia \U0001f54a")
    result = run_cli("check", str(path))
    assert result.returncode == 1
    assert "subject: character " in result.stderr and "U+1F54A" in result.stderr
    assert "not covered by any bundled font" in result.stderr
