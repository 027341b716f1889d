"""Random edits of the real content give located messages, never an internal error.

Each example takes one shipped content file, makes one to three edits at random depths (delete a key
or list item, misspell a key, change a value's type, duplicate a key or a value, give a date, reference
or number another like it, add a field such as `calendar: julian`), writes the result
beside unchanged copies of the other content files (a treaty names its related treaties by file),
and checks it in-process, the way `treatypress check` does (cli.main, so an exception becomes the same
exit status 3 and "internal error" line as on the command line). The check must pass, or fail with
exit status 1 and every line of the form `path:line:column: field: message` (`path:line:column:
message` for a problem not in one field, such as a YAML syntax error); never a traceback.

The seed is fixed and the number of examples bounded, so `make test` is repeatable and quick. To hunt
for bugs, run it with more: TREATYPRESS_PROPERTY_EXAMPLES=3000 pytest tests/test_property.py
"""

from __future__ import annotations

import copy
import io
import os
import re
import shutil
import traceback
from collections.abc import Iterator
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, Phase, given, note, settings
from hypothesis import strategies as st

from conftest import CONTENT, run_cli
from invalid_cases import materialise
from treatypress.cli import main

FILES = sorted(CONTENT.glob("*.yaml"))
NODES = {p.name: yaml.compose(p.read_text(encoding="utf-8"), Loader=yaml.SafeLoader) for p in FILES}
EXAMPLES = int(os.environ.get("TREATYPRESS_PROPERTY_EXAMPLES", "150"))
LETTERS = "abcdefghijklmnopqrstuvwxyz_"
# Text a field may be given instead: ids, dates at the edges of the calendar, references that point
# at facts, at events that take their date from another fact, at lists or at nothing.
TEXTS = [
    "",
    " ",
    "x",
    "zz" * 30,
    "sino-soviet-1945",
    "high",
    "julian",
    "lapsed",
    "1950-02-14",
    "1950-02-30",
    "0000",
    "0001-01-01",
    "9999-12-31~",
    "signing.date",
    "events.signed",
    "events.0.date",
    "ended.0.date",
    "ratification",
    "{signing.date}",
    "{events.x}",
    "{events.0}",
    "{expiry}",
    "{term.years}",
    "{people}",
    "{related.sino-soviet-1945}",
    "{signing.date.value.year}",
]
# Values like the one they replace, so that edits reach the checks behind the schema.
DATES = [
    "0000",
    "0001",
    "0001-01-01",
    "0001-01-02",
    "9999",
    "9999-12-31",
    "1950-02-29",
    "1952-02-29",
    "1950-02-14~",
    "1900",
    "2100-12",
    "1950-00",
    "1950-02-30",
]
REFS = [
    "signing.date",
    "signing.date.value",
    "entry_into_force",
    "ratification",
    "ended.0.date",
    "ended.9.date",
    "events.0",
    "events.0.date",
    "events.signed",
    "events.lapsed.date",
    "people.0.born",
    "people.0.died",
    "term.years",
    "expiry",
    "related.sino-soviet-1945.signing.date",
    "events",
    "slug",
]
NUMBERS = ["0", "-1", "1", "2", "8", "9", "31", "1000", "8049", "8050", "99999", str(10**30)]
# Fields an editor might add to any mapping.
ADDITIONS = [
    ("calendar", "julian"),
    ("calendar", "islamic"),
    ("calendar", "gregorian"),
    ("same_as", "events.signed"),
    ("same_as", "signing.date"),
    ("date", "0001-01-01"),
    ("date", "1950-02-14"),
    ("confidence", "low"),
    ("confidence", "medium"),
    ("died", "1900"),
    ("number", "9"),
    ("note", ""),
]
STR, INT, NULL, BOOL, FLOAT, SEQ, MAP = (
    f"tag:yaml.org,2002:{t}" for t in ("str", "int", "null", "bool", "float", "seq", "map")
)
# The forms a problem line may take, as errors.Problem prints them. A whole-file problem with no
# position (file too large, unreadable) cannot come from an edit of a real file, so it is not allowed.
LINE_RE = (
    r"^{path}:(?P<line>\d+):(?P<column>\d+): "
    r"(?:(?P<field>[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+|\[\d+\])*): )?(?P<message>\S.*)$"
)

Step = tuple[str, int]  # ("map", i): value of the i-th pair; ("seq", i): i-th item


def _scalar(tag: str, value: str, style: str | None = None) -> yaml.ScalarNode:
    return yaml.ScalarNode(tag, value, style=style)


def _walk(
    node: yaml.Node, path: tuple[Step, ...] = ()
) -> Iterator[tuple[tuple[Step, ...], yaml.Node]]:
    """Every node below the root with its path, in document order."""
    yield path, node
    if isinstance(node, yaml.MappingNode):
        for i, (_, value) in enumerate(node.value):
            yield from _walk(value, path + (("map", i),))
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            yield from _walk(item, path + (("seq", i),))


def _parent(root: yaml.Node, path: tuple[Step, ...]) -> yaml.Node:
    node = root
    for kind, i in path[:-1]:
        node = node.value[i][1] if kind == "map" else node.value[i]
    return node


def _replace(root: yaml.Node, path: tuple[Step, ...], new: yaml.Node) -> yaml.Node:
    if not path:
        return new
    parent, (kind, i) = _parent(root, path), path[-1]
    if kind == "map":
        parent.value[i] = (parent.value[i][0], new)
    else:
        parent.value[i] = new
    return root


def _typo(data: st.DataObject, word: str) -> str:
    """The word misspelt: a letter left out, doubled, changed or two swapped."""
    how = data.draw(st.sampled_from(["drop", "double", "change", "swap", "append"]), label="typo")
    i = data.draw(st.integers(0, max(len(word) - 1, 0)), label="at")
    letter = data.draw(st.sampled_from(LETTERS), label="letter")
    if how == "drop" and len(word) > 1:
        out = word[:i] + word[i + 1 :]
    elif how == "double" and word:
        out = word[:i] + word[i] + word[i:]
    elif how == "swap" and len(word) > 1:
        i = min(i, len(word) - 2)
        out = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    elif how == "change" and word:
        out = word[:i] + letter + word[i + 1 :]
    else:
        out = word + letter
    return out if out != word else word + letter


def _new_value(data: st.DataObject, old: yaml.Node, root: yaml.Node) -> yaml.Node:
    """Another value for a field: another type, or a copy of a value from elsewhere in the file."""
    kind = data.draw(
        st.sampled_from(
            [
                "int",
                "str",
                "null",
                "bool",
                "float",
                "list",
                "mapping",
                "empty list",
                "empty mapping",
                "convert",
                "elsewhere",
            ]
        ),
        label="retype",
    )
    if kind == "int":
        return _scalar(
            INT, str(data.draw(st.sampled_from([0, 1, -1, 7, 1950, 99999, 10**30]), label="n"))
        )
    if kind == "str":
        return _scalar(STR, data.draw(st.sampled_from(TEXTS), label="s"), style="'")
    if kind == "null":
        return _scalar(NULL, "null")
    if kind == "bool":
        return _scalar(BOOL, data.draw(st.sampled_from(["true", "false"]), label="b"))
    if kind == "float":
        return _scalar(
            FLOAT, data.draw(st.sampled_from(["1.5", ".nan", ".inf", "-0.0"]), label="f")
        )
    if kind == "list":
        return yaml.SequenceNode(SEQ, [_scalar(STR, "x", style="'"), _scalar(INT, "2")])
    if kind == "mapping":
        return yaml.MappingNode(MAP, [(_scalar(STR, "value"), _scalar(STR, "x", style="'"))])
    if kind == "empty list":
        return yaml.SequenceNode(SEQ, [], flow_style=True)
    if kind == "empty mapping":
        return yaml.MappingNode(MAP, [], flow_style=True)
    if kind == "convert":  # a list becomes a mapping, a mapping a list, a scalar a list of itself
        if isinstance(old, yaml.SequenceNode):
            return yaml.MappingNode(
                MAP, [(_scalar(STR, str(i)), item) for i, item in enumerate(old.value)]
            )
        if isinstance(old, yaml.MappingNode):
            return yaml.SequenceNode(SEQ, [value for _, value in old.value])
        if old.tag == STR and re.fullmatch(r"-?\d+", old.value):
            return _scalar(INT, old.value)
        return yaml.SequenceNode(SEQ, [old])
    places = list(_walk(root))
    path, node = places[data.draw(st.integers(0, len(places) - 1), label="copied from")]
    note(f"  the value of {_where(root, path)}")
    return copy.deepcopy(node)


def _where(root: yaml.Node, path: tuple[Step, ...]) -> str:
    """A node's place as a field path, for the failure report: signing.signatories[0].office."""
    out, node = "", root
    for kind, i in path:
        if kind == "map":
            key = node.value[i][0]
            out += ("." if out else "") + str(getattr(key, "value", "?"))
            node = node.value[i][1]
        else:
            out += f"[{i}]"
            node = node.value[i]
    return out or "(the whole file)"


def _pick(data: st.DataObject, places: list) -> tuple[tuple[Step, ...], yaml.Node]:
    return places[data.draw(st.integers(0, len(places) - 1), label="node")]


def _kind(node: yaml.ScalarNode) -> str:
    if node.tag == INT:
        return "number"
    if re.fullmatch(r"\d{4}(-\d{2})*~?", node.value):
        return "date"
    if re.fullmatch(r"[a-z_]+(\.[a-z0-9_-]+)+", node.value):
        return "reference"
    return "prose" if "{" in node.value else "text"


def _like(data: st.DataObject, old: yaml.ScalarNode) -> yaml.ScalarNode:
    """A value of the same kind: a date for a date, a reference for a reference, a number for a number."""
    kind = _kind(old)
    if kind == "number":
        return _scalar(INT, data.draw(st.sampled_from(NUMBERS), label="number"))
    if kind == "date":
        return _scalar(STR, data.draw(st.sampled_from(DATES), label="date"), style="'")
    if kind == "reference":
        return _scalar(STR, data.draw(st.sampled_from(REFS), label="reference"), style="'")
    if kind == "prose":  # add a reference
        ref = data.draw(st.sampled_from(REFS), label="reference")
        return _scalar(STR, f"{old.value} {{{ref}}}", style="'")
    return _scalar(STR, data.draw(st.sampled_from(TEXTS), label="text"), style="'")


def _edit(data: st.DataObject, root: yaml.Node) -> yaml.Node:
    """One edit, at a depth drawn first (so shallow fields are edited as often as deep ones)."""
    places = list(_walk(root))
    # Not the root: a file that is not a mapping is one fixed case (list-not-mapping in tests/invalid_cases.py).
    depth = data.draw(st.sampled_from(sorted({len(p) for p, _ in places} - {0})), label="depth")
    here = [x for x in places if len(x[0]) == depth]
    path, node = here[data.draw(st.integers(0, len(here) - 1), label="node")]
    edit = data.draw(
        st.sampled_from(["delete", "rename", "retype", "duplicate", "retext", "add"]), label="edit"
    )
    if edit == "retext":  # any text or number in the file, given another like it
        scalars = [x for x in places if isinstance(x[1], yaml.ScalarNode)]
        kinds = sorted({_kind(node) for _, node in scalars})
        kind = data.draw(st.sampled_from(kinds), label="kind")  # first the kind: dates are few
        path, node = _pick(data, [x for x in scalars if _kind(x[1]) == kind])
        note(f"retext {_where(root, path)}")
        return _replace(root, path, _like(data, node))
    if edit == "add":  # a field added to any mapping
        path, node = _pick(data, [x for x in places if isinstance(x[1], yaml.MappingNode)])
        key, value = data.draw(st.sampled_from(ADDITIONS), label="added")
        note(f"add {key}: {value!r} to {_where(root, path)}")
        tag = INT if value.isdigit() else STR
        node.value.append(
            (_scalar(STR, key), _scalar(tag, value, style=None if tag == INT else "'"))
        )
        return root
    note(f"{edit} {_where(root, path)}")
    if edit == "retype":
        return _replace(root, path, _new_value(data, node, root))
    parent, (kind, i) = _parent(root, path), path[-1]
    if edit == "delete":
        del parent.value[i]
    elif edit == "rename" and kind == "map":
        key = parent.value[i][0]
        name = key.value if isinstance(key, yaml.ScalarNode) else "key"
        odd = data.draw(st.sampled_from([None, "1", "true", "null", "list"]), label="key")
        if odd is None:
            new = _scalar(STR, _typo(data, name))
        elif odd == "list":  # a complex key: ? [x]
            new = yaml.SequenceNode(SEQ, [_scalar(STR, name)], flow_style=True)
        else:  # a key that YAML reads as a number, true or null
            new = _scalar({"1": INT, "true": BOOL, "null": NULL}[odd], odd)
        parent.value[i] = (new, parent.value[i][1])
    elif edit == "rename":  # a list item has no key: misspell the text, or the first key, inside it
        if isinstance(node, yaml.ScalarNode) and node.tag == STR:
            parent.value[i] = _scalar(STR, _typo(data, node.value), style="'")
        elif isinstance(node, yaml.MappingNode) and node.value:
            key, value = node.value[0]
            node.value[0] = (_scalar(STR, _typo(data, str(key.value))), value)
    elif kind == "map":  # the same key again, with the same value or another
        twin = copy.deepcopy(parent.value[i])
        if data.draw(st.booleans(), label="other value"):
            twin = (twin[0], _new_value(data, twin[1], root))
        parent.value.insert(data.draw(st.integers(i + 1, len(parent.value)), label="at"), twin)
    else:  # the same list item twice
        parent.value.insert(i + 1, copy.deepcopy(node))
    return root


def _check(path: Path) -> tuple[int, str, str]:
    """`treatypress check PATH`, run in this process: exit status, stdout, stderr."""
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(["check", str(path)])
    return code, out.getvalue(), err.getvalue()


def _traceback(path: Path) -> str:
    """The traceback behind an internal error, for the failure message (check with --debug)."""
    from treatypress.build import load_all
    from treatypress.project import find_project

    try:
        load_all([path], find_project(), recut=False)
    except Exception:  # noqa: BLE001 - shown, not handled
        return traceback.format_exc()
    return "(no exception when run again)"


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A content folder; each example copies every shipped content file into it, then edits one."""
    out = tmp_path_factory.mktemp("property") / "content"
    out.mkdir()
    return out


# No shrinking: each example is a full check, so shrinking a failure takes minutes; the notes in the
# report name every edit, and the edited file is kept (see the failure message).
@settings(
    max_examples=EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=st.data(), name=st.sampled_from([p.name for p in FILES]))
def test_edited_content_never_gives_an_internal_error(folder, data, name):
    for other in FILES:
        shutil.copy(other, folder / other.name)
    root = copy.deepcopy(NODES[name])
    for _ in range(data.draw(st.sampled_from([1, 1, 2, 3]), label="edits")):
        root = _edit(data, root)
    text = yaml.serialize(root, Dumper=yaml.SafeDumper, allow_unicode=True, width=100)
    path = folder / name
    path.write_text(text, encoding="utf-8")

    code, out, err = _check(path)

    if code not in (0, 1) or "internal error" in err or "Traceback" in err:
        kept = folder.parent / f"failing-{name}"
        kept.write_text(text, encoding="utf-8")
        pytest.fail(f"exit {code}\n{err}\n{_traceback(path)}\nthe edited file is kept as {kept}")
    if code == 0:
        assert not err and out.endswith(": ok\n"), (out, err)
        return
    shown = out + err
    display = err.split(":", 1)[0]
    assert path.name in display, err
    lines = text.count("\n") + 1
    pattern = re.compile(LINE_RE.format(path=re.escape(display)))
    for line in err.splitlines():
        found = pattern.match(line)
        assert found, f"not `path:line:column: [field:] message`: {line!r}\n{shown}"
        assert 1 <= int(found["line"]) <= lines and int(found["column"]) >= 1, line


@pytest.mark.parametrize(
    "name",
    [
        "unknown-key.yaml",
        "duplicate-key.yaml",
        "wrong-type.yaml",
        "unknown-reference.yaml",
        "list-not-mapping.yaml",
        "_base/base-treaty.yaml",
    ],
)
def test_in_process_check_is_the_command_line(tmp_path, name):
    """What the property test sees is what `treatypress check` prints: same status, same lines."""
    path = materialise(Path(name).name, tmp_path)
    result = run_cli("check", str(path))
    assert _check(path) == (result.returncode, result.stdout, result.stderr)
