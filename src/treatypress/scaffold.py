"""`treatypress new`: a content file with every field, explained, and placeholders to replace.

The file is written from the content model (`fields.py`), so it lists exactly the fields the
model has. Each value that must be supplied is a placeholder such as `<date>`; `check` and `build`
refuse a file while one is left (see `unfilled`), so a half-filled file cannot be printed.
"""

from __future__ import annotations

import re
import textwrap
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel

from . import fields, model
from .errors import Problem, UsageError
from .yamlload import Document, Loc

SLUG_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
WIDTH = 100

# The placeholder written for each type; any of these left in a file is refused.
_PLACEHOLDER = {
    "id": "<id>",
    "text": "<text>",
    "prose": "<text>",
    "language tag": "<language tag>",
    "web address": "<web address>",
    "date": "<date>",
    "date or unknown": "<date>",
    "whole number": "<number>",
    "true or false": "<true or false>",
}
CHOICE = "<choice>"
PLACEHOLDERS = frozenset([*_PLACEHOLDER.values(), CHOICE])

# Optional fields that a new file still asks for (leaving them out is a decision, not a default):
# an event needs a date unless it names another fact's; a fixed term needs its years; most people
# in a treaty's history have died.
ASKED = {"Event.date", "Term.years", "Person.died"}

HEADER = (
    "{slug}: made by `treatypress new`. Every field is here, each with a comment saying what it is"
    " for and an example. Replace each <...> placeholder with the fact: `treatypress check` refuses"
    " the file while one is left. Delete the blocks marked optional that do not apply; leave"
    " optional one-line fields empty when not needed.",
    "Every fact names the works it comes from by their ids (the `sources` list at the end). Quote"
    " dates ('1689-08-27') and any text that starts with {{ or contains ': '. All fields are"
    " described in docs/content-reference.md.",
)


def check_slug(slug: str) -> None:
    """Refuse a slug that is not lower-case words (letters and digits) joined by hyphens."""
    if not SLUG_RE.match(slug) or len(slug) > 60:
        raise UsageError(
            f"new: {slug!r} is not a slug: use lower-case words (letters and digits) joined by "
            "hyphens, such as waitangi-1840"
        )


def write_new(content_dir: Path, slug: str) -> Path:
    """Write content_dir/<slug>.yaml, refusing a bad slug or an existing file."""
    check_slug(slug)
    path = content_dir / f"{slug}.yaml"
    if path.exists() or path.is_symlink():
        raise UsageError(f"new: {path} already exists; choose another slug or edit that file")
    content_dir.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as out:
        out.write(scaffold(slug))
    return path


def scaffold(slug: str) -> str:
    """The text of a new content file for a treaty with this slug."""
    writer = _Writer()
    lines = ["# yaml-language-server: $schema=treaty.schema.json"]
    for para in HEADER:
        lines += [
            "#",
            *textwrap.wrap(
                para.format(slug=slug), WIDTH - 2, initial_indent="# ", subsequent_indent="# "
            ),
        ]
    for f in fields.fields_of(model.Treaty):
        lines += ["", *writer.field(f, 0, "", slug if f.name == "slug" else None)]
    return "\n".join(lines) + "\n"


# After their first time, the fields every fact has get a short comment at the end of the line.
_AGAIN = {
    "sources": "ids of works in `sources`",
    "confidence": "high, medium ('according to') or low (never printed)",
    "note": "for editors; never printed",
}


class _Writer:
    """Writes fields as YAML lines, remembering which have been explained in full."""

    def __init__(self) -> None:
        self.explained: set[str] = set()
        self.quiet = False  # True while writing the second and later items of a list

    def mapping(self, cls: type[BaseModel], indent: int, first: str = "") -> list[str]:
        """The fields of a model; `first` prefixes the first key (the '- ' of a list item)."""
        lines: list[str] = []
        for i, f in enumerate(fields.fields_of(cls)):
            lines += self.field(f, indent, first if i == 0 else "")
        return lines

    def field(
        self, f: fields.FieldDoc, indent: int, dash: str, value: str | None = None
    ) -> list[str]:
        """A field's comment, key and value (or nested fields)."""
        pad = " " * indent
        key = f"{pad[: len(pad) - len(dash)]}{dash}{f.name}:"
        if self.quiet:
            lines = []
        elif f.key in self.explained and f.name in _AGAIN:
            return [
                f"{key} {_value(f) or ''}".rstrip().ljust(indent + 20) + f"  # {_AGAIN[f.name]}"
            ]
        else:
            self.explained.add(f.key)
            lines = _comment(f, " " * (indent - len(dash)))
        sub = f.submodel
        items = max(f.min_items, 1)  # as many items as the list needs (two parties ...)
        if sub is not None and f.many:
            first = self.mapping(sub, indent + 4, "- ")
            quiet, self.quiet = self.quiet, True
            more = [x for _ in range(items - 1) for x in self.mapping(sub, indent + 4, "- ")]
            self.quiet = quiet
            return [*lines, key, *first, *more]
        if sub is not None:
            return [*lines, key, *self.mapping(sub, indent + 2)]
        if f.many and f.required and f.kind != "list of id":
            return [*lines, key, *[f"{pad}  - {_placeholder(f)}"] * items]
        return [*lines, f"{key} {value or _value(f)}".rstrip()]


def _value(f: fields.FieldDoc) -> str:
    """A one-line value: a placeholder, the default, or nothing."""
    if f.many:
        return f"[{_placeholder(f)}]" if f.required else "[]"
    if f.required or f.key in ASKED:
        return _placeholder(f)
    return "" if f.default is None else _yaml(f.default)


def _placeholder(f: fields.FieldDoc) -> str:
    first = fields.alternatives(f.item)[0]  # of several types, the simplest is listed first
    return CHOICE if fields.choices(first) else _PLACEHOLDER[fields.type_words(first)]


def _yaml(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(getattr(value, "value", value))
    return text if re.fullmatch(r"[A-Za-z0-9][\w .-]*", text) else repr(text)


def _comment(f: fields.FieldDoc, pad: str) -> list[str]:
    """What the field is for, whether it must be given, and an example."""
    text = f.description or f.name.replace("_", " ").capitalize() + "."
    if f.submodel is not None:
        if not f.required:
            text += " Optional: delete this block if it does not apply."
        elif f.many:
            text += " Add an item for each."
    else:
        text += " " + _status(f)
    lines = textwrap.wrap(
        text,
        WIDTH,
        initial_indent=f"{pad}# ",
        subsequent_indent=f"{pad}#   ",
        break_on_hyphens=False,
    )
    if f.submodel is None and f.example:  # kept whole, on the last line if it fits
        example = f"Example: {f.example}"
        if len(lines[-1]) + 1 + len(example) <= WIDTH:
            lines[-1] += " " + example
        else:
            lines.append(f"{pad}#   {example}")
    return lines


def _status(f: fields.FieldDoc) -> str:
    kind = f.kind[0].upper() + f.kind[1:]
    if f.required:
        return f"({kind}; required.)"
    if f.key in ASKED:
        return f"({kind}; fill in, or delete the line.)"
    if f.default is None or f.default == []:
        return f"({kind}; optional: leave empty when not needed.)"
    return f"({kind}; left out, it is {_yaml(f.default)}.)"


def unfilled(doc: Document, problems: list[Problem]) -> list[Problem]:
    """The placeholders left in a document, then the problems that are not about one of them."""
    holes = [
        doc.problem(loc, f"placeholder {value} not filled in{_hint(loc)}")
        for loc, value in _strings(doc.data, ())
        if value in PLACEHOLDERS
    ]
    named = [p.field for p in holes]
    return holes + [
        p
        for p in problems
        if not any(p.field == h or p.field.startswith((h + ".", h + "[")) for h in named)
        and not any(f"'{value}'" in p.message for value in PLACEHOLDERS)  # found by a parent
    ]


def _hint(loc: Loc) -> str:
    """What to write instead: the values allowed, or an example."""
    found = fields.at(loc)
    if found is None:
        return ""
    if options := fields.choices(fields.alternatives(found.item)[0]):
        return f"; one of {', '.join(options)}"
    example = found.example
    if example and found.many and loc and isinstance(loc[-1], int):  # one item of the list
        example = _first_item(example)
    return f"; for example {example}" if example else ""


def _first_item(example: str) -> str:
    items = yaml.safe_load(example)
    first = items[0] if isinstance(items, list) and items else example
    return str(first) if re.fullmatch(r"[\w .-]+", str(first)) else repr(first)


def _strings(data: Any, loc: Loc) -> list[tuple[Loc, str]]:
    if isinstance(data, str):
        return [(loc, data)]
    if isinstance(data, dict):
        return [x for k, v in data.items() for x in _strings(v, (*loc, k))]
    if isinstance(data, list):
        return [x for i, v in enumerate(data) for x in _strings(v, (*loc, i))]
    return []
