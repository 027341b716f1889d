"""The field reference, docs/content-reference.md, written from the content model."""

from __future__ import annotations

import typing
from typing import Any

from pydantic import BaseModel

from . import fields, model

INTRO = """\
# Content field reference

Every field of a content file (`content/<slug>.yaml`), read from the content model
(`src/treatypress/model.py`) and the examples in `src/treatypress/examples.py`. Do not edit this
file: `make schema` (or `treatypress reference --out docs/content-reference.md`) writes it, and a
test fails when it is out of date.

`treatypress new <slug>` writes a content file with every field below, each with its comment and
a placeholder such as `<date>` to replace; `treatypress check` refuses the file while a placeholder
is left. A field that is not required may be left out.
"""


def _limit(alias: Any) -> int:
    """The longest text an Annotated string type allows."""
    return int(next(m.max_length for m in typing.get_args(alias)[1:] if hasattr(m, "max_length")))


def _types() -> list[tuple[str, str]]:
    return [
        ("id", f"lower-case letters and digits joined by hyphens, up to {_limit(model.Slug)} "
         "characters: `zhou-enlai`, `grips-1950`"),
        ("text", f"plain text on one line or folded over several (`>-`), up to "
         f"{_limit(model.Text):,} characters; quote it when it starts with `{{` or contains `: `"),
        ("prose", f"running text, up to {_limit(model.Prose):,} characters. Facts are referred to, "
         "never retyped: `{signing.date}`, `{people.<id>}`, `{events.<id>}`, `{figures.<id>}`, "
         "`{term.years}`, `{expiry}`; a number that is part of a name is `{name:Resolution 242}`"),
        ("date", "quoted: `'1689-09-07'`, `'1689-09'` or `'1689'`, with a trailing `~` for circa; "
         "in the calendar the field's `calendar` names"),
        ("date or unknown", "a date, or `unknown` when no source gives it"),
        ("language tag", "a BCP 47 tag: `en`, `zh-Hans`, `mnc-Latn`"),
        ("web address", "`https://...` or `http://...`, naming no user"),
        ("whole number", "digits, unquoted: `30`"),
        ("true or false", "`true` or `false`"),
    ]  # fmt: skip


def markdown() -> str:
    """The whole reference, in Markdown."""
    out = [INTRO, "## Types\n", "| type | how to write it |", "| --- | --- |"]
    out += [f"| {name} | {how} |" for name, how in _types()]
    for cls, paths in fields.models():
        out += ["", *_section(cls, paths)]
        if cls is model.Treaty:
            out += ["", *_section(model.Sourced, [])]
    return "\n".join(out) + "\n"


def _section(cls: type[BaseModel], paths: list[str]) -> list[str]:
    doc = " ".join((cls.__doc__ or "").split())
    where = ", ".join(f"`{p}`" for p in paths if p) or "the top level of the file"
    if cls is model.Sourced:
        where = "every model below that lists them (every fact)"
    lines = [f"## {cls.__name__}\n", doc, "", f"Used at: {where}.", ""]
    lines += [
        "| field | type | required | description | example |",
        "| --- | --- | --- | --- | --- |",
    ]
    shared = cls is not model.Sourced and issubclass(cls, model.Sourced)
    for f in fields.fields_of(cls):
        if shared and f.name in fields.SOURCED:
            continue
        example = f"`{f.example}`" if f.example else ""
        lines.append(
            f"| `{f.name}` | {_kind(f)} | {_required(f)} | {_cell(f.description)} | {_cell(example)} |"
        )
    if shared:
        lines += ["", "Also `sources`, `confidence` and `note`: see [Sourced](#sourced)."]
    return lines


def _kind(f: fields.FieldDoc) -> str:
    words = [
        f"[{a.__name__}](#{a.__name__.lower()})" if isinstance(a, type) and issubclass(a, BaseModel)
        else fields.type_words(a)
        for a in fields.alternatives(f.item)
    ]  # fmt: skip
    return ("list of " if f.many else "") + " or ".join(words)


def _required(f: fields.FieldDoc) -> str:
    if f.required:
        low, high = f.min_items, f.max_items
        if high is not None:
            return "required, " + ("exactly 1" if high == 1 else f"{low} to {high}")
        return "required" + (f", {low} or more" if low > 1 else "")
    if f.default is None or f.default == []:
        return "optional"
    value = getattr(f.default, "value", f.default)
    return f"optional (default `{str(value).lower() if isinstance(value, bool) else value}`)"


def _cell(text: str) -> str:
    """Text for a table cell: pipes escaped, and angle brackets outside code (not HTML tags)."""
    parts = text.replace("|", "\\|").split("`")
    return "`".join(p if i % 2 else p.replace("<", "&lt;") for i, p in enumerate(parts))
