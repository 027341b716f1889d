"""Safe YAML reading that keeps the line and column of every field.

Dates stay strings (the schema parses them); duplicate keys, aliases, tags (such as those that
ask for Python objects), control characters and deep nesting are refused, and size limits hold
before anything is expanded.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .contentfile import hidden_character, line_col, read_text, whole_file_error
from .errors import ContentError, Problem

MAX_STRING_CHARS = 10_000
MAX_DEPTH = 40
_PLAIN_TAGS = {
    f"tag:yaml.org,2002:{t}" for t in ("str", "int", "float", "bool", "null", "seq", "map")
}

Loc = tuple[str | int, ...]
_KINDS = {
    list: "a list",
    str: "text",
    int: "a number",
    float: "a number",
    bool: "true or false",
    type(None): "null",
}  # what a file holds instead of a mapping, in words


def field_name(loc: Loc) -> str:
    """Render a location tuple as a dotted field path: signing.signatories[0].person."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


class _Refused(yaml.MarkedYAMLError):
    """Valid YAML that content may not use."""


class _Loader(yaml.SafeLoader):
    """SafeLoader without timestamp resolution (dates are parsed by the schema), and no aliases."""

    depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        """Refuse anchors and aliases before anything is expanded (no alias bombs), and deep nesting."""
        event = self.peek_event()  # type: ignore[no-untyped-call]
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise _Refused(
                None,
                None,
                "anchors and aliases (&name, *name) are not allowed in content; "
                "write the value out",
                event.start_mark,
            )
        if self.depth >= MAX_DEPTH:
            raise _Refused(
                None,
                None,
                f"lists and mappings are nested more than {MAX_DEPTH} deep",
                event.start_mark,
            )
        self.depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


_Loader.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass
class Document:
    """Parsed YAML data and the (line, column) of each field, both 1-based."""

    path: str
    data: Any
    marks: dict[Loc, tuple[int, int]] = field(default_factory=dict)

    def mark(self, loc: Loc) -> tuple[int | None, int | None]:
        """The position of a field, or of its nearest enclosing field that has one."""
        loc = tuple(loc)
        while loc:
            if loc in self.marks:
                return self.marks[loc]
            loc = loc[:-1]
        return self.marks.get((), (None, None))

    def problem(self, loc: Loc, message: str) -> Problem:
        """A Problem located at a field of this document."""
        line, col = self.mark(loc)
        return Problem(self.path, line, col, field_name(loc), message)


def _pos(node_or_mark: Any) -> tuple[int, int]:
    mark = getattr(node_or_mark, "start_mark", node_or_mark)
    return mark.line + 1, mark.column + 1


class _Builder:
    def __init__(self, doc: Document, loader: _Loader) -> None:
        self.doc, self.loader = doc, loader
        self.problems: list[Problem] = []

    def build(self, node: yaml.Node, loc: Loc) -> Any:
        self.doc.marks.setdefault(loc, _pos(node))
        if node.tag not in _PLAIN_TAGS:
            self.problems.append(
                self.doc.problem(
                    loc,
                    f"the tag {_tag(node)} is not allowed: content is "
                    "plain text, numbers, lists and mappings, never objects",
                )
            )
            return None
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, loc)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, loc + (i,)) for i, item in enumerate(node.value)]
        try:
            value = self.loader.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError, KeyError):  # e.g. !!int six
            self.problems.append(
                self.doc.problem(loc, f"{node.value!r} cannot be read as {_tag(node)}")
            )
            return None
        if isinstance(value, str) and (hidden := hidden_character(value)):
            self.problems.append(
                self.doc.problem(
                    loc, f"the invisible character {hidden} is not allowed in content; delete it"
                )
            )
            return None
        if isinstance(value, str) and len(value) > MAX_STRING_CHARS:
            self.problems.append(
                self.doc.problem(
                    loc,
                    f"text is {len(value):,} characters long; the limit is {MAX_STRING_CHARS:,}",
                )
            )
            return None
        return value

    def _mapping(self, node: yaml.MappingNode, loc: Loc) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag not in _PLAIN_TAGS:
                tagged = (
                    f", without the tag {_tag(key_node)}" if key_node.tag not in _PLAIN_TAGS else ""
                )
                self.problems.append(
                    Problem(
                        self.doc.path,
                        *_pos(key_node),
                        field_name(loc),
                        f"a key must be plain text{tagged}",
                    )
                )
                continue
            key = str(key_node.value)
            if hidden := hidden_character(key) or (
                "line break" if "\n" in key or "\r" in key else None
            ):
                self.problems.append(
                    Problem(
                        self.doc.path,
                        *_pos(key_node),
                        field_name(loc),
                        f"a key holds the invisible character {hidden}; delete it",
                    )
                )
                continue
            if key in out:
                line, col = _pos(key_node)
                first = self.doc.marks[loc + (key,)][0]
                self.problems.append(
                    Problem(
                        self.doc.path,
                        line,
                        col,
                        field_name(loc + (key,)),
                        f"duplicate key {key!r} (first given on line {first})",
                    )
                )
                continue
            self.doc.marks[loc + (key,)] = _pos(key_node)
            out[key] = self.build(value_node, loc + (key,))
        return out


def _tag(node: yaml.Node) -> str:
    return node.tag.replace("tag:yaml.org,2002:", "!!")


def _clean(exc: yaml.YAMLError) -> str:
    if isinstance(exc, _Refused):
        return exc.problem or "not allowed in content"
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    context = getattr(exc, "context", None)
    text = f"{context}, {problem}" if context else problem
    if "\\t" in text or "'\\t'" in text or "tab" in text:
        text += " (indent with spaces, not tabs)"
    if "mapping values are not allowed" in text:
        text += " (put text that contains ': ' in quotes)"
    return f"YAML syntax error: {text}"


def load_yaml(path: Path, *, display: str | None = None) -> Document:
    """Read a YAML file safely, returning its data with field positions, or raise ContentError."""
    name = display or str(path)
    text = read_text(path, name)
    doc = Document(name, None)
    try:
        loader = _Loader(text)
    except yaml.reader.ReaderError as exc:  # a control character, refused before parsing
        line, col = line_col(text, exc.position)
        raise whole_file_error(
            name,
            f"control character U+{exc.character:04X} is not allowed in content; delete it",
            line,
            col,
        ) from None
    try:
        root = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        at: tuple[int | None, int | None] = _pos(mark) if mark else (None, None)
        raise ContentError([Problem(name, *at, "", _clean(exc))]) from None
    finally:
        loader.dispose()
    if root is None:
        raise ContentError(
            [Problem(name, 1, 1, "", "file is empty; a treaty needs at least slug and titles")]
        )
    builder = _Builder(doc, loader)
    doc.data = builder.build(root, ())
    if not isinstance(doc.data, dict):
        kind = _KINDS.get(type(doc.data), f"a {type(doc.data).__name__}")
        builder.problems.insert(
            0, doc.problem((), f"the file must be a mapping of fields, not {kind}")
        )
    if builder.problems:
        raise ContentError(builder.problems)
    return doc
