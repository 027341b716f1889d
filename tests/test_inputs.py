"""Odd input, refused with its location and in plain words, never with an internal error.

Each case is the shipped 1950 content with one edit, checked with `check` and `build` as a user would.
"""

from __future__ import annotations

import os
import resource
import time
from pathlib import Path

import pytest

from conftest import CONTENT, ROOT, project_env, run_cli

SOURCE = CONTENT / "sino-soviet-1950.yaml"
SHORT_TITLE = "text: Sino-Soviet Treaty of Friendship, Alliance and Mutual Assistance"


def _edited(tmp_path: Path, old: str, new: str, name: str = "sino-soviet-1950.yaml") -> Path:
    text = SOURCE.read_text(encoding="utf-8")
    assert old in text, old
    path = tmp_path / name
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def _refused(path: Path, *pieces: str) -> str:
    for command in ("check", "build"):
        args = [command, str(path)] + (
            ["--out", str(path.parent / "out")] if command == "build" else []
        )
        result = run_cli(*args)
        assert result.returncode == 1, (command, result.stderr)
        assert "internal error" not in result.stderr and "Traceback" not in result.stderr
        for piece in pieces:
            assert piece in result.stderr, (command, piece, result.stderr)
    assert not list((path.parent / "out").rglob("*.pdf"))
    return result.stderr


@pytest.mark.parametrize(
    ("escape", "code"), [("\\0", "U+0000"), ("\\a", "U+0007"), ("\\e", "U+001B")]
)
def test_escaped_control_characters_are_refused(tmp_path, escape, code):
    path = _edited(
        tmp_path,
        "edition: '2026-11-27'\nsubject: Cold War in Asia",
        f"edition: '2026-11-27'\nsubject: \"Cold War{escape} in Asia\"",
    )
    stderr = _refused(path, "subject:", code, "invisible character")
    assert "\x00" not in stderr and "\x1b" not in stderr  # nothing of it reaches the terminal


def test_a_bidirectional_override_is_refused(tmp_path):
    path = _edited(tmp_path, SHORT_TITLE, SHORT_TITLE.replace("Sino", "\u202eSino"))
    _refused(path, "titles[", "U+202E", "RIGHT-TO-LEFT OVERRIDE")


def test_a_key_holding_a_line_break_is_refused(tmp_path):
    path = _edited(
        tmp_path, "subject: Cold War in Asia", '"subject\\nforged: line": Cold War in Asia'
    )
    stderr = _refused(path, "line break")
    assert "\nforged" not in stderr


def test_a_source_address_naming_a_user_is_refused(tmp_path):
    path = _edited(
        tmp_path, "url: https://worldjpn.net/", "url: https://history.state.gov@evil.example/"
    )
    stderr = _refused(path, "sources[", "names a user before the host")
    assert "pattern" not in stderr and "^https" not in stderr  # plain words, no regular expression


def test_year_zero_is_refused_with_its_location(tmp_path):
    path = _edited(tmp_path, "edition: '2026-11-27'", "edition: '0000'")
    line = SOURCE.read_text(encoding="utf-8").splitlines().index("edition: '2026-11-27'") + 1
    _refused(path, f":{line}:1: edition: 0000 is not a real date: there is no year 0")


JULIAN = CONTENT / "tordesillas-1494.yaml"
SIGNED_JULIAN = "value: '1494-06-07'\n    calendar: julian"

# (content file, text replaced, replacement, field, what the message must say)
DATES = {
    "no month 13": (
        SOURCE,
        "edition: '2026-11-27'",
        "edition: '1950-13-01'",
        "edition",
        "1950-13-01 is not a real date: there is no month 13",
    ),
    "no day 30": (
        SOURCE,
        "edition: '2026-11-27'",
        "edition: '1950-02-30'",
        "edition",
        "1950-02-30 is not a real date: February 1950 has no day 30",
    ),
    "short month": (
        SOURCE,
        "edition: '2026-11-27'",
        "edition: '1950-2-14'",
        "edition",
        "the month must be written with 2 digits (2 has 1)",
    ),
    "no date": (
        SOURCE,
        "edition: '2026-11-27'",
        "edition:",
        "edition",
        "a date must be text such as '1950-02-14', not an empty value",
    ),
    "Julian leap day": (
        JULIAN,
        "died: '1503-01-31'",
        "died: '1503-02-29'",
        "people[1].died",
        "February 1503 has no day 29 in the Julian calendar",
    ),
    "Julian year 1": (
        JULIAN,
        SIGNED_JULIAN,
        SIGNED_JULIAN.replace("1494-06-07", "0001-01-01"),
        "signing.date.value",
        "0001-01-01 is out of range: Julian dates run from 3 January 1 to 19 October 9999",
    ),
    "Julian year 9999": (
        JULIAN,
        SIGNED_JULIAN,
        SIGNED_JULIAN.replace("1494-06-07", "9999-12-31"),
        "signing.date.value",
        "9999-12-31 is out of range",
    ),
    "Hijri year 9999": (
        JULIAN,
        SIGNED_JULIAN,
        "value: '9999-01-01'\n    calendar: islamic",
        "signing.date.value",
        "Hijri dates run from 1 Muharram 1 AH to 2 Rabi al-Thani 9666 AH",
    ),
    "Hijri year 0": (
        JULIAN,
        SIGNED_JULIAN,
        "value: '0000-05-01'\n    calendar: islamic",
        "signing.date.value",
        "there is no year 0 (the Hijri era begins with 1 AH)",
    ),
    "term too long": (SOURCE, "years: 30", "years: 1000", "term.years", "should be 999 or less"),
    "expiry past 9999": (
        SOURCE,
        "years: 30",
        "years: 999",
        "term.years",
        "entry into force (11 April 9500) plus 999 years is past the year 9999",
    ),
}


@pytest.mark.parametrize("case", DATES, ids=list(DATES))
def test_a_wrong_date_is_refused_naming_the_part_that_is_wrong(tmp_path, case):
    source, old, new, field, message = DATES[case]
    text = source.read_text(encoding="utf-8")
    assert old in text, old
    path = tmp_path / source.name
    text = text.replace(old, new, 1)
    if case == "expiry past 9999":
        text = text.replace("into_force:\n  value: '1950", "into_force:\n  value: '9500", 1)
    path.write_text(text, encoding="utf-8")
    line = next(
        i for i, ln in enumerate(path.read_text().splitlines(), 1) if new.split("\n")[0] in ln
    )
    stderr = _refused(path, message, f"{path}:")
    if field:
        assert f":{line}:" in stderr and f" {field}: " in stderr, stderr
    assert "Input should" not in stderr and "ValueError" not in stderr


# A field's pydantic check, in the words the content file's author uses: no pattern, no type name
WORDS = {
    "slug": ("slug: sino-soviet-1950", "slug: Sino_Soviet", "slug", "should be lower-case letters"),
    "language": ("lang: zh-Hans", "lang: Chinese", "lang", "should be a language tag such as en"),
    "reference": (
        "same_as: signing.date",
        "same_as: Signing Date",
        "same_as",
        "should be the name of a fact, its parts joined by dots",
    ),
    "number": ("years: 30", "years: thirty", "term.years", "should be a whole number"),
    "yes or no": (
        "preamble: true",
        "preamble: [yes]",
        "structure.preamble",
        "should be true or false",
    ),
    "list": ("titles:\n", "titles: 5\nx:\n", "titles", "should be a list"),
    "group": ("signing:\n", "signing: 7\nx:\n", "signing", "should be a group of fields"),
}


@pytest.mark.parametrize("case", WORDS, ids=list(WORDS))
def test_schema_messages_are_plain_words(tmp_path, case):
    old, new, field, message = WORDS[case]
    stderr = _refused(_edited(tmp_path, old, new), f"{field}: {message}")
    for jargon in (
        "Input should",
        "String should",
        "pattern",
        "^[",
        "valid integer",
        "dictionary",
        "instance of",
        "a str",
        "a int",
        "a dict",
        "NoneType",
        "a bool",
    ):
        assert jargon not in stderr, (jargon, stderr)


def test_size_is_checked_before_reading(tmp_path):
    path = tmp_path / "huge.yaml"
    with open(path, "wb") as handle:  # a sparse file of 3 GB: nothing is written to disk
        handle.truncate(3 * 1024**3)
    started = time.monotonic()
    result = run_cli("check", str(path))
    assert result.returncode == 1 and "the limit is 1,000,000" in result.stderr
    assert time.monotonic() - started < 20
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    assert peak_kb < 1_000_000  # the 3 GB were never read


def test_only_regular_files_are_read(tmp_path):
    result = run_cli("check", "/dev/zero")
    assert result.returncode == 1 and "not a regular file" in result.stderr


def test_a_link_out_of_the_content_folder_is_refused(tmp_path):
    project = tmp_path / "project"
    (project / "content").mkdir(parents=True)
    for name in ("templates", "styles"):
        os.symlink(ROOT / name, project / name)
    secret = tmp_path / "secret.yaml"
    secret.write_text("password: hunter2\n")
    os.symlink(secret, project / "content" / "sino-soviet-1950.yaml")
    env = project_env(project)
    result = run_cli("check", env=env, cwd=project)
    assert result.returncode == 2 and "link to a file outside" in result.stderr
    assert "hunter2" not in result.stderr and "password" not in result.stderr


def test_a_link_within_the_content_folder_is_followed(tmp_path):
    project = tmp_path / "project"
    (project / "content" / "drafts").mkdir(parents=True)
    for name in ("templates", "styles"):
        os.symlink(ROOT / name, project / name)
    nato = CONTENT / "nato-1949.yaml"  # a treaty that names no other content file
    (project / "content" / "drafts" / nato.name).write_bytes(nato.read_bytes())
    os.symlink(Path("drafts") / nato.name, project / "content" / nato.name)
    env = project_env(project)
    result = run_cli("check", env=env, cwd=project)
    assert result.returncode == 0 and "nato-1949.yaml: ok" in result.stdout, result.stderr


def test_one_slug_in_two_files_is_refused_naming_both(tmp_path):
    nato = CONTENT / "nato-1949.yaml"  # a treaty that names no other content file
    first, second = tmp_path / "a" / nato.name, tmp_path / "b" / nato.name
    for path in (first, second):
        path.parent.mkdir()
        path.write_bytes(nato.read_bytes())
    result = run_cli("build", str(first), str(second), "--out", str(tmp_path / "out"))
    assert result.returncode == 1
    assert (
        str(first) in result.stderr
        and str(second) in result.stderr
        and "is used by" in result.stderr
    )
    assert not list((tmp_path / "out").rglob("*.pdf"))


def test_refused_content_leaves_the_last_good_files_as_they_were(tmp_path):
    out = tmp_path / "out"
    args = ["--document", "fact-sheet", "--paper", "a4", "--out", str(out)]
    assert run_cli("build", str(SOURCE), *args).returncode == 0
    files = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in out.rglob("*") if p.is_file()}
    path = _edited(tmp_path, "edition: '2026-11-27'", "edition: '1950-02-30'")
    result = run_cli("build", str(path), *args)
    assert result.returncode == 1 and "February 1950 has no day 30" in result.stderr
    assert {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in out.rglob("*") if p.is_file()} == (
        files
    )
