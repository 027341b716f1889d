"""Odd input, refused with its location and in plain words, never with an internal error.

Each case is the shipped 1950 content with one edit, checked with `check` and `build` as a user would.
"""

from __future__ import annotations

import os
import resource
import time
from pathlib import Path

import pytest

from conftest import CONTENT, ROOT, run_cli

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
    _refused(path, ":18:", "edition")


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
    env = {"TREATYPRESS_ROOT": str(project), "PATH": "/usr/bin:/bin"}
    result = run_cli("check", env=env, cwd=project)
    assert result.returncode == 2 and "link to a file outside" in result.stderr
    assert "hunter2" not in result.stderr and "password" not in result.stderr


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
