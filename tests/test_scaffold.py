"""`treatypress new`: every field of the model, explained, with placeholders `check` refuses."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import run_cli
from treatypress import fields
from treatypress.model import Treaty
from treatypress.scaffold import PLACEHOLDERS, scaffold


def _env(project: Path) -> dict[str, str]:
    return {**os.environ, "TREATYPRESS_ROOT": str(project)}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "content").mkdir()
    return tmp_path


def _keys(data: Any, path: str = "") -> set[str]:
    """Every key path in the data, list items written as []."""
    if isinstance(data, dict):
        return {f"{path}.{k}".lstrip(".") for k in data} | {
            p for k, v in data.items() for p in _keys(v, f"{path}.{k}".lstrip("."))
        }
    if isinstance(data, list):
        return {p for item in data for p in _keys(item, f"{path}[]")}
    return set()


def _model_paths(cls: Any = Treaty, path: str = "") -> set[str]:
    """Every field path the model has, list items written as []."""
    out = set()
    for f in fields.fields_of(cls):
        here = f"{path}.{f.name}".lstrip(".")
        out.add(here)
        if f.submodel is not None:
            out |= _model_paths(f.submodel, here + ("[]" if f.many else ""))
    return out


def _filled(data: Any, loc: tuple[str | int, ...] = ()) -> Any:
    """The scaffold's data with each placeholder replaced by its field's example."""
    if isinstance(data, dict):
        return {k: _filled(v, (*loc, k)) for k, v in data.items()}
    if isinstance(data, list):
        return [_filled(v, (*loc, i)) for i, v in enumerate(data)]
    if data in PLACEHOLDERS:
        found = fields.at(loc)
        assert found is not None and found.example, loc
        value = yaml.safe_load(found.example)
        return value[0] if isinstance(loc[-1], int) and isinstance(value, list) else value
    return data


def _placeholders(data: Any) -> list[str]:
    if isinstance(data, dict):
        data = list(data.values())
    if isinstance(data, list):
        return [p for item in data for p in _placeholders(item)]
    return [data] if data in PLACEHOLDERS else []


def test_new_writes_every_field_with_a_comment(project: Path) -> None:
    result = run_cli("new", "waitangi-1840", env=_env(project))
    assert result.returncode == 0, result.stderr
    path = project / "content" / "waitangi-1840.yaml"
    assert f"wrote {path}" in result.stdout and "treatypress check" in result.stdout
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=treaty.schema.json\n")
    assert "\nslug: waitangi-1840\n" in text
    data = yaml.safe_load(text)
    assert _keys(data) == _model_paths()  # every field, and nothing else
    lines = text.splitlines()
    for i, line in enumerate(lines):  # every key that starts a field's explanation has one above it
        if re.match(r"^\s*(- )?\w+:", line) and not line.lstrip().startswith("#"):
            before = lines[i - 1].strip()
            assert (
                before.startswith("#")
                or "  # " in line
                or before.startswith("- ")
                or (not before.startswith("#") and _in_repeated_item(lines, i))
            ), f"line {i + 1} has no comment: {line}"
    assert max(len(line) for line in lines) <= 100


def _in_repeated_item(lines: list[str], i: int) -> bool:
    """Second and later items of a list repeat the first's fields without comments."""
    indent = len(lines[i]) - len(lines[i].lstrip(" -"))
    for line in reversed(lines[:i]):
        if line.strip().startswith("- ") and len(line) - len(line.lstrip()) == indent - 2:
            return "#" not in line
    return False


def _written(cls: Any = Treaty) -> list[fields.FieldDoc]:
    """The fields the scaffold writes (of several types a field allows, the first)."""
    out = []
    for f in fields.fields_of(cls):
        out += [f] if f.submodel is None else _written(f.submodel)
    return out


def test_every_field_has_an_example() -> None:
    """Each field that holds a value has an example, and each comment in the scaffold shows it."""
    text = scaffold("example-1900")
    for f in fields.all_fields():
        if f.submodel is None:
            assert f.example, f"{f.key}: add an example to src/treatypress/examples.py"
    for f in _written():
        assert f"Example: {f.example}\n" in text, f.key


def test_every_example_is_a_valid_value() -> None:
    """The examples are YAML the model accepts for their field."""
    from pydantic import TypeAdapter

    for f in fields.all_fields():
        if f.example is not None:
            TypeAdapter(f.hint).validate_python(yaml.safe_load(f.example))


def test_filled_in_scaffold_fits_the_model() -> None:
    """With every placeholder replaced, the file has the shape the model asks for."""
    data = yaml.safe_load(scaffold("example-1900"))
    Treaty.model_validate(_filled(data))


def test_check_refuses_placeholders_with_their_place(project: Path) -> None:
    assert run_cli("new", "waitangi-1840", env=_env(project)).returncode == 0
    path = project / "content" / "waitangi-1840.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("subject: <text>", "subject: <text>\nsubjekt: Colonial New Zealand", 1)
    path.write_text(text, encoding="utf-8")
    for args in (["check"], ["build", "--out", str(project / "build")]):
        result = run_cli(*args, str(path))  # in this project, for its fonts and templates
        assert result.returncode == 1, result.stderr
        assert "Traceback" not in result.stderr and "internal error" not in result.stderr
        problems = [line for line in result.stderr.splitlines() if line.startswith(str(path))]
        holes = [p for p in problems if "not filled in" in p]
        assert len(holes) == len(_placeholders(yaml.safe_load(text)))
        line = next(i for i, t in enumerate(text.splitlines(), 1) if t.startswith("edition:"))
        assert (
            f"{path}:{line}:1: edition: placeholder <date> not filled in; "
            "for example '2026-11-27'" in problems
        )
        assert any(
            re.search(r":\d+:7: signing\.participants\[0\]\.role: placeholder <choice> not "
                      r"filled in; one of witness, negotiator, interpreter, depositary$", p)
            for p in problems
        )  # fmt: skip
        assert any(
            re.search(r":\d+:15: titles\[0\]\.sources\[0\]: .*britannica$", p) for p in holes
        )
        # A mistake in a field that holds no placeholder is reported with them.
        assert any(
            "subjekt: unknown field 'subjekt'; did you mean 'subject'?" in p for p in problems
        )
        assert len(problems) == len(holes) + 1, result.stderr


def test_new_refuses_an_existing_file(project: Path) -> None:
    path = project / "content" / "waitangi-1840.yaml"
    path.write_text("slug: waitangi-1840\n", encoding="utf-8")
    result = run_cli("new", "waitangi-1840", env=_env(project))
    assert result.returncode == 2
    assert result.stderr.strip() == (
        f"treatypress: new: {path} already exists; choose another slug or edit that file"
    )
    assert path.read_text(encoding="utf-8") == "slug: waitangi-1840\n"


@pytest.mark.parametrize(
    "slug",
    ["Waitangi-1840", "waitangi_1840", "waitangi 1840", "waitangi-", "a--b", "", "../x", "x/y"],
)
def test_new_refuses_a_slug_that_is_not_lower_case_words_with_hyphens(
    project: Path, slug: str
) -> None:
    result = run_cli("new", slug, env=_env(project))
    assert result.returncode == 2
    assert result.stderr.strip() == (
        f"treatypress: new: {slug!r} is not a slug: use lower-case words (letters and digits) "
        "joined by hyphens, such as waitangi-1840"
    )
    assert list((project / "content").iterdir()) == []
