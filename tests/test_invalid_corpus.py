"""A corpus of bad content files, one mistake each, run through the real command line.

Every case is the valid treaty in fixtures/invalid/_base/ with one mistake, declared as a small
list of edits in tests/invalid_cases.py and written into a temporary folder at test time. For
each, `build` and `check` must exit with status 1, print no traceback, name the file with the
line, column and field of each problem (`path:line:column: field: message`) and say what is
wrong; and `build` must leave its output folder exactly as it was.

The expected problems below are written by hand from reading the base and each case's edits: the
line and column are where the mistake is (for a field, where its key or list item starts), in the
base's numbering (edits keep every other line where it is).
"""

from __future__ import annotations

import os
import re
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import ROOT, run_cli
from invalid_cases import BASE, materialise
from invalid_cases import CASES as EDITS

RENDER_ARGS = ("--document", "fact-sheet", "--paper", "a4")  # the least rendering a build can do


@dataclass(frozen=True)
class P:
    """One problem the file must be refused with. line/column None: the whole file."""

    line: int | None
    column: int | None
    field: str  # "" when the problem is not in one field
    message: str  # a substring of the message that says what is wrong


@dataclass(frozen=True)
class Render:
    """The content is valid, but the document cannot be typeset: only `build` refuses it."""

    pattern: str
    min_mm: int


HIEROGLYPH = "'{}' (U+{} EGYPTIAN HIEROGLYPH {})"
DIED = (
    "Andrei Vyshinsky (10 December 1883–22 November 1949) could not take part on 14 February 1950"
)

CASES: dict[str, list[P] | Render] = {
    "empty.yaml": [P(1, 1, "", "file is empty")],
    "list-not-mapping.yaml": [P(5, 1, "", "the file must be a mapping of fields, not a list")],
    "syntax-error.yaml": [P(7, 26, "", "mapping values are not allowed here")],
    "tab-indent.yaml": [P(49, 1, "", "indent with spaces, not tabs")],
    "duplicate-key.yaml": [
        P(31, 5, "signing.date.value", "duplicate key 'value' (first given on line 29)")
    ],
    "unknown-key.yaml": [
        P(31, 3, "signing.plaec", "unknown field 'plaec'; did you mean 'place'?"),
        P(27, 1, "signing.place", "required field 'place' is missing"),
    ],
    "missing-field.yaml": [
        P(5, 1, "entry_into_force", "required field 'entry_into_force' is missing")
    ],
    "wrong-type.yaml": [
        P(49, 3, "term.years", "should be a whole number, such as 30 (got 'thirty')")
    ],
    "integer-date.yaml": [P(29, 5, "signing.date.value", "1950 is a number, not a date")],
    "impossible-date.yaml": [
        P(29, 5, "signing.date.value", "1950-02-30 is not a real date: February 1950 has no day 30")
    ],
    "free-text-date.yaml": [
        P(29, 5, "signing.date.value", "'February 14, 1950' is not a date: write YYYY-MM-DD")
    ],
    "entry-before-signing.yaml": [
        P(
            45,
            3,
            "entry_into_force.value",
            "entry into force (11 April 1949) comes before the signing (14 February 1950)",
        ),
        P(59, 5, "ended[0].date", "lapses on 11 April 1979, not 11 April 1980"),
    ],
    "event-out-of-order.yaml": [
        P(
            86,
            5,
            "events[1].date",
            "11 January 1950 comes before 14 February 1950 (signed), which it must follow",
        )
    ],
    "unknown-source.yaml": [
        P(30, 27, "signing.date.sources[1]", "source 'frus1950' is not in the sources list")
    ],
    "invalid-utf8.yaml": [P(7, 27, "", "not valid UTF-8 (byte 0x96)")],
    "control-character.yaml": [P(101, 36, "", "control character U+000B is not allowed")],
    "python-tag.yaml": [
        P(7, 1, "subject", "the tag !!python/object/apply:os.system is not allowed")
    ],
    "python-tag-key.yaml": [
        P(8, 1, "", "a key must be plain text, without the tag !!python/name:os.system")
    ],
    "explicit-tag-value.yaml": [P(54, 3, "structure.articles", "'six' cannot be read as !!int")],
    "alias-bomb.yaml": [P(110, 7, "", "anchors and aliases (&name, *name) are not allowed")],
    "nesting-bomb.yaml": [P(105, 43, "", "nested more than 40 deep")],
    "file-too-large.yaml": [P(None, None, "", "bytes; the limit is 1,000,000")],
    "field-too-long.yaml": [
        P(100, 5, "background[0]", "text is 100,000 characters long; the limit is 10,000")
    ],
    # One line for the field, naming every character it cannot draw.
    "uncovered-character.yaml": [
        P(
            105,
            5,
            "significance[0]",
            "characters "
            + ", ".join(
                HIEROGLYPH.format(c, cp, name)
                for c, cp, name in [("𓂀", "13080", "D010"), ("𓃭", "130ED", "E023")]
            )
            + " not covered by any bundled font",
        )
    ],
    "fact-sheet-overflow.yaml": Render(
        r"fact-sheet-overflow fact-sheet \(a4\): runs to 2 pages but "
        r"must fit on 1: about (\d+) mm of content too much",
        min_mm=20,
    ),
    "lapse-mismatch.yaml": [
        P(
            59,
            5,
            "ended[0].date",
            "a treaty in force from 11 April 1950 for 30 years "
            "lapses on 11 April 1980, not 14 February 1980",
        )
    ],
    "date-in-prose.yaml": [
        P(100, 5, "background[0]", "'14' is a date, year or figure typed into prose")
    ],
    "unknown-reference.yaml": [
        P(
            117,
            7,
            "classroom.review[0].answer",
            "{people.nobody} does not resolve: there is no item with id 'nobody'",
        )
    ],
    "died-before-signing.yaml": [P(28, 3, "signing.date", DIED), P(80, 5, "events[0].date", DIED)],
    "slug-mismatch.yaml": [
        P(5, 1, "slug", "slug 'sino-soviet-1950' must match the file name 'slug-mismatch'")
    ],
    "missing-related.yaml": [
        P(65, 5, "related[0].slug", "no content file sino-soviet-1945.yaml beside this one")
    ],
}


EARLIER = b"%PDF-1.7\n% a PDF from an earlier build, which a failed build must leave alone\n"


@dataclass
class Outcome:
    path: Path
    display: str
    build: object
    check: object | None
    build_seconds: float
    before: dict
    after: dict


def _display(path: Path) -> str:
    """The path as the command prints it (it runs in ROOT)."""
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def _snapshot(folder: Path) -> dict:
    return {
        str(p.relative_to(folder)): (
            p.is_dir(),
            None if p.is_dir() else p.read_bytes(),
            p.stat().st_mtime_ns,
        )
        for p in sorted(folder.rglob("*"))
    }


def _timed(*args: str):
    started = time.perf_counter()
    result = run_cli(*args)
    return result, time.perf_counter() - started


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Outcome]:
    """Every case run through `build` and `check` once, several at a time to keep the module fast."""
    root = tmp_path_factory.mktemp("invalid")

    cases = root / "cases"
    cases.mkdir()

    def one(name: str) -> Outcome:
        path = materialise(name, cases)
        out = root / "out" / path.stem
        earlier = out / path.stem / f"{path.stem}-fact-sheet-a4.pdf"
        earlier.parent.mkdir(parents=True)
        earlier.write_bytes(EARLIER)
        (out / "keep.txt").write_text("not made by treatypress\n", encoding="utf-8")
        for p in (earlier, out / "keep.txt"):
            os.utime(p, ns=(1_000_000_000_000_000_000, 1_000_000_000_000_000_000))
        before = _snapshot(out)
        build, seconds = _timed("build", str(path), "--out", str(out), *RENDER_ARGS)
        after = _snapshot(out)
        check = None if isinstance(CASES[name], Render) else run_cli("check", str(path))
        return Outcome(path, _display(path), build, check, seconds, before, after)

    with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 1)) as pool:
        return dict(zip(CASES, pool.map(one, CASES), strict=False))


def _problem_lines(stderr: str, display: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith(display + ":")]


def _prefix(display: str, p: P) -> str:
    where = display + (f":{p.line}" if p.line else "") + (f":{p.column}" if p.column else "")
    return f"{where}:" + (f" {p.field}:" if p.field else "") + " "


@pytest.mark.parametrize("name", CASES)
def test_refused_with_location_and_reason(outcomes, name):
    case, got = CASES[name], outcomes[name]
    runs = (
        {"build": got.build}
        if isinstance(case, Render)
        else {"build": got.build, "check": got.check}
    )
    for command, result in runs.items():
        assert result.returncode == 1, f"{command}: {result.returncode}\n{result.stderr}"
        assert "Traceback" not in result.stderr and "internal error" not in result.stderr, (
            result.stderr
        )
    if isinstance(case, Render):  # a document that does not fit: said by how much
        found = re.search(case.pattern, got.build.stderr)
        assert found, got.build.stderr
        assert int(found[1]) >= case.min_mm
        assert "0 written" in got.build.stdout
        return
    for command, result in runs.items():
        lines = _problem_lines(result.stderr, got.display)
        for p in case:
            prefix = _prefix(got.display, p)
            assert any(line.startswith(prefix) and p.message in line for line in lines), (
                f"{command}: no line {prefix}...{p.message}...\n{result.stderr}"
            )
        assert len(lines) == len(case), (
            f"{command}: expected {len(case)} problem(s)\n{result.stderr}"
        )
    assert "ok" not in got.check.stdout


@pytest.mark.parametrize("name", list(CASES))
def test_build_leaves_output_folder_untouched(outcomes, name):
    got = outcomes[name]
    spilled = {str(Path(k).parent.parent) for k in got.after if "overflow" in Path(k).parts}
    # A document that was typeset and did not fit: its overflow file, the build's lock and the
    # plan it remembers for the next build (no document is called up to date by it), only.
    bookkeeping = {".treatypress.lock", ".treatypress-plans.json"}
    after = {
        k: (v if k not in spilled else got.before.get(k, v))  # the folder the overflow went in
        for k, v in got.after.items()
        if "overflow" not in Path(k).parts and not (spilled and k in bookkeeping)
    }
    assert after == got.before, (
        f"created or changed: {sorted(set(after.items()) ^ set(got.before.items()))}"
    )
    overflow = [k for k in got.after if "overflow" in Path(k).parts and k.endswith(".pdf")]
    assert bool(overflow) == (name == "fact-sheet-overflow.yaml"), overflow


@pytest.mark.parametrize(
    "name", ["alias-bomb.yaml", "nesting-bomb.yaml", "file-too-large.yaml", "field-too-long.yaml"]
)
def test_bombs_are_refused_quickly_and_briefly(outcomes, name):
    got = outcomes[name]
    assert got.build_seconds < 10, (
        got.build_seconds
    )  # includes Python start-up, under parallel load
    assert len(got.build.stderr) < 500 and len(got.check.stderr) < 500, got.build.stderr


def test_alias_bomb_is_never_expanded(tmp_path):
    from treatypress.errors import ContentError
    from treatypress.yamlload import load_yaml

    path = materialise("alias-bomb.yaml", tmp_path)
    started = time.perf_counter()
    with pytest.raises(ContentError) as caught:
        load_yaml(path)
    assert time.perf_counter() - started < 0.5
    assert len(str(caught.value)) < 500 and "anchors and aliases" in str(caught.value)


def test_base_is_valid():
    """Each fixture fails for its own mistake only: the file they all vary passes check."""
    result = run_cli("check", str(BASE))
    assert result.returncode == 0, result.stderr


def test_corpus_matches_the_table(tmp_path):
    """Every case has expectations, every expectation a case; the fixtures folder holds the base."""
    assert set(EDITS) == set(CASES)
    assert [p.relative_to(BASE.parent.parent) for p in BASE.parent.parent.rglob("*")] == [
        BASE.relative_to(BASE.parent.parent).parent,
        BASE.relative_to(BASE.parent.parent),
    ]
    for name in EDITS:
        data = materialise(name, tmp_path).read_bytes()
        assert data != BASE.read_bytes()
        # CJK text would make check recut the bundled font subset in styles/: keep it out.
        assert not re.search(
            "[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]", data.decode("utf-8", "replace")
        ), name


def test_one_bad_file_does_not_stop_the_others(tmp_path):
    """A good file is built beside bad ones; every failure is listed; exit status 1."""
    bad = [
        materialise(name, tmp_path)
        for name in ("impossible-date.yaml", "unknown-source.yaml", "fact-sheet-overflow.yaml")
    ]
    out = tmp_path / "out"
    result = run_cli("build", str(BASE), *map(str, bad), "--out", str(out), *RENDER_ARGS)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    good = out / "base-treaty" / "base-treaty-fact-sheet-a4.pdf"
    assert good.read_bytes().startswith(b"%PDF-")
    assert not [p for p in out.rglob("*.pdf") if p != good and "overflow" not in p.parts]
    # The document that does not fit is written beside the outputs, never under an output's name.
    spill = out / "fact-sheet-overflow" / "overflow" / "fact-sheet-overflow-fact-sheet-a4.pdf"
    assert len(PdfReader(spill).pages) == 2
    assert f"the overflowing pages are in {spill}" in result.stderr
    assert f"{bad[0]}:29:5: signing.date.value: 1950-02-30" in result.stderr
    assert f"{bad[1]}:30:27: signing.date.sources[1]: source 'frus1950'" in result.stderr
    assert "fact-sheet-overflow fact-sheet (a4): runs to 2 pages but must fit on 1" in result.stderr
    assert "1 written" in result.stdout and "3 failed" in result.stdout

    check = run_cli("check", str(BASE), *map(str, bad[:2]))
    assert check.returncode == 1
    assert "tests/fixtures/invalid/_base/base-treaty.yaml: ok" in check.stdout
    assert (
        len([line for line in check.stderr.splitlines() if line.startswith(str(tmp_path))]) == 2
    ), check.stderr
