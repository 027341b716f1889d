"""A misspelt key at any depth is reported where it is, with the nearest field of the model there.

Each case renames one key of a shipped content file (in the text, so everything else stays as it
was) and runs `check`: exit status 1, and exactly the line `path:line:column: field: unknown field
'bron'; did you mean 'born'?`, with the line and column of the key, plus, when the renamed field was
required, `required field 'born' is missing` at the mapping that lacks it. The positions are found
by PyYAML's own parser here, independently of treatypress's loader.
"""

from __future__ import annotations

import io
import shutil
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest
import yaml

from conftest import CONTENT, run_cli
from treatypress.cli import main
from treatypress.content import display_path

Path_ = tuple[str | int, ...]

# (file, the key's place, its new name, the suggestion (None: nothing is near), required field?)
CASES: list[tuple[str, Path_, str, str | None, bool]] = [
    ("sino-soviet-1950", ("people", 0, "born"), "bron", "born", True),
    ("sino-soviet-1950", ("sources", 1, "short"), "shrot", "short", True),
    ("sino-soviet-1950", ("signing", "signatories", 0, "office"), "offce", "office", True),
    ("sino-soviet-1950", ("classroom", "review", 0, "answer"), "answr", "answer", True),
    (
        "sino-soviet-1950",
        ("classroom", "key_terms", 1, "definition"),
        "defintion",
        "definition",
        True,
    ),
    ("sino-soviet-1950", ("events", 2, "after"), "afterr", "after", False),
    ("sino-soviet-1950", ("titles", 0, "lang"), "lnag", "lang", True),
    ("sino-soviet-1950", ("titles", 2, "romanized"), "romanised", "romanized", False),
    ("sino-soviet-1950", ("articles", 1, "summary"), "sumary", "summary", True),
    ("sino-soviet-1950", ("parties", 1, "government"), "goverment", "government", True),
    ("sino-soviet-1950", ("figures", 0, "label"), "lable", "label", True),
    ("sino-soviet-1950", ("related", 0, "relation"), "relaton", "relation", True),
    (
        "sino-soviet-1950",
        ("people", 1, "native", "text"),
        "txt",
        "text",
        True,
    ),  # mapping in list in mapping
    ("sino-soviet-1950", ("signing", "date", "sources"), "sorces", "sources", True),
    ("sino-soviet-1950", ("quotation", "translator"), "translater", "translator", False),
    ("sino-soviet-1950", ("sources", 3, "id"), "di", "id", True),  # two letters swapped
    ("sino-soviet-1950", ("sources", 2, "url"), "zzz", None, False),
    ("sino-soviet-1945", ("events", 0, "same_as"), "sameas", "same_as", False),
    ("sino-soviet-1945", ("ended", 1, "confidence"), "confidense", "confidence", False),
    ("sino-soviet-1945", ("people", 0, "died"), "dyed", "died", False),
    ("sino-soviet-1945", ("instruments", 1, "summary"), "summry", "summary", True),
]


def _field(path: Path_) -> str:
    return "".join(
        f"[{p}]" if isinstance(p, int) else (f".{p}" if i else p) for i, p in enumerate(path)
    )


def _find(root: yaml.Node, path: Path_) -> tuple[yaml.Node | None, yaml.Node]:
    """The key node (None for a list item) and value node at a path."""
    key, node = None, root
    for part in path:
        if isinstance(part, int):
            key, node = None, node.value[part]
        else:
            key, node = next((k, v) for k, v in node.value if k.value == part)
    return key, node


def _position(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _renamed(folder: Path, slug: str, path: Path_, new: str) -> tuple[Path, yaml.Node]:
    """Copies of every content file in `folder`, with one key of `slug` renamed; its original nodes."""
    for other in CONTENT.glob("*.yaml"):
        shutil.copy(other, folder / other.name)
    target = folder / f"{slug}.yaml"
    text = target.read_text(encoding="utf-8")
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    key, _ = _find(root, path)
    start, end = key.start_mark.index, key.end_mark.index
    assert text[start:end] == path[-1]
    target.write_text(text[:start] + new + text[end:], encoding="utf-8")
    return target, root


def _expected(
    target: Path, root: yaml.Node, path: Path_, new: str, near: str | None, required: bool
) -> set[str]:
    shown = display_path(target)
    key, _ = _find(root, path)
    line, col = _position(key)
    message = f"unknown field {new!r}" + (f"; did you mean {near!r}?" if near else "")
    lines = {f"{shown}:{line}:{col}: {_field(path[:-1] + (new,))}: {message}"}
    if required:  # at the mapping that lacks it: its key, or for a list item the item itself
        parent_key, parent = _find(root, path[:-1])
        line, col = _position(parent_key if parent_key is not None else parent)
        lines.add(f"{shown}:{line}:{col}: {_field(path)}: required field {path[-1]!r} is missing")
    return lines


def _check(path: Path) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(["check", str(path)])
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize(
    ("slug", "path", "new", "near", "required"),
    CASES,
    ids=[f"{slug[-4:]}:{_field(path)}" for slug, path, *_ in CASES],
)
def test_unknown_key_is_located_with_suggestion(tmp_path, slug, path, new, near, required):
    target, root = _renamed(tmp_path, slug, path, new)
    code, out, err = _check(target)
    assert code == 1, err
    assert "internal error" not in err and "Traceback" not in err, err
    assert set(err.splitlines()) == _expected(target, root, path, new, near, required), err
    assert "ok" not in out


def test_the_command_line_says_the_same(tmp_path):
    """The bug as reported: `check` and `build` exited 3 with a RecursionError and no location."""
    slug, path, new, near, required = CASES[0]
    target, root = _renamed(tmp_path, slug, path, new)
    expected = _expected(target, root, path, new, near, required)
    check = run_cli("check", str(target))
    build = run_cli(
        "build",
        str(target),
        "--out",
        str(tmp_path / "out"),
        "--document",
        "fact-sheet",
        "--paper",
        "a4",
    )
    for result in (check, build):
        assert result.returncode == 1, result.stderr
        assert "internal error" not in result.stderr and "Traceback" not in result.stderr, (
            result.stderr
        )
        assert expected <= set(result.stderr.splitlines()), result.stderr
    assert not list((tmp_path / "out").rglob("*.pdf"))


def test_suggestions_come_from_the_model_at_that_place():
    """The field names offered are those of the model the location holds, through lists and Optional."""
    from treatypress.schema_errors import fields_at as _fields_at

    assert "born" in _fields_at(("people", 0)) and "slug" not in _fields_at(("people", 0))
    assert _fields_at(("people", 0, "native")) == [
        "lang",
        "text",
    ]  # Optional[NativeName] in list[Person]
    assert "translator" in _fields_at(("quotation",))  # Quotation | None
    assert _fields_at(("classroom", "review", 3)) == ["answer", "lines", "question"]
    assert (
        _fields_at(("slug",)) == [] and _fields_at(("people", "x")) == []
    )  # not a model; not a list index
