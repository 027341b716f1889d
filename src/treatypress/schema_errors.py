"""Pydantic's validation errors as located problems, in plain words.

Each error is placed at the key it concerns (or, for a missing field, the mapping that lacks it), an
unknown key is matched to the nearest known one, and pydantic's wording (patterns, type names) is
replaced by what the field asks for.
"""

from __future__ import annotations

import difflib
import types
import typing
from collections import abc
from collections.abc import Iterator
from typing import Any, cast

from pydantic import BaseModel
from pydantic_core import ErrorDetails

from .errors import Problem
from .model import PATTERN_WORDS, Treaty
from .yamlload import Document, Loc, field_name


def schema_problem(doc: Document, err: ErrorDetails) -> Problem:
    """One pydantic error as a located problem, in plain words."""
    loc = _data_loc(doc.data, err["loc"])
    msg = plain_message(err)
    if err["type"] == "extra_forbidden":
        msg = f"unknown field {loc[-1]!r}"
        if near := _nearest(str(loc[-1]), fields_at(loc[:-1])):
            msg += f"; did you mean {near!r}?"
    elif err["type"] == "missing":
        msg = f"required field {loc[-1]!r} is missing"
        line, col = doc.mark(loc[:-1])
        return Problem(doc.path, line, col, field_name(loc), msg)
    elif (
        "input" in err
        and err["type"] not in ("value_error",)
        and not isinstance(err["input"], (dict, list))
    ):
        shown = repr(err["input"])
        msg += f" (got {shown[:60] + '...' if len(shown) > 60 else shown})"
    return doc.problem(loc, msg)


_PLAIN = {
    "int_type": "should be a whole number, such as 30",
    "int_parsing": "should be a whole number, such as 30",
    "int_from_float": "should be a whole number, such as 30",
    "bool_type": "should be true or false",
    "bool_parsing": "should be true or false",
    "string_type": "should be text",
    "list_type": "should be a list (one item per line, each starting with '- ')",
    "dict_type": "should be a group of fields (name: value lines)",
    "model_type": "should be a group of fields (name: value lines)",
    "model_attributes_type": "should be a group of fields (name: value lines)",
    "string_too_short": "should not be empty",
    "string_too_long": "is too long: at most {max_length} characters",
    "too_short": "should have at least {min_length} item(s), not {actual_length}",
    "too_long": "should have at most {max_length} items, not {actual_length}",
    "greater_than_equal": "should be {ge} or more",
    "less_than_equal": "should be {le} or less",
    "greater_than": "should be more than {gt}",
    "less_than": "should be less than {lt}",
    "literal_error": "should be {expected}",
    "enum": "should be {expected}",
}


def plain_message(err: ErrorDetails) -> str:
    """Pydantic's message in plain words: no regular expressions, no Python type names."""
    ctx = dict(err.get("ctx") or {})
    if err["type"] == "string_pattern_mismatch":
        return "should be " + PATTERN_WORDS.get(str(ctx.get("pattern")), "in another form")
    if err["type"] in _PLAIN:
        try:
            return _PLAIN[err["type"]].format(**ctx)
        except (KeyError, IndexError):
            pass
    return err["msg"].removeprefix("Value error, ")


def _data_loc(data: Any, loc: tuple[str | int, ...]) -> Loc:
    """Keep the parts of a pydantic location that are really keys or indexes in the data."""
    out: list[str | int] = []
    node = data
    for part in loc:
        if (isinstance(node, dict) and part in node) or (
            isinstance(node, list) and isinstance(part, int) and part < len(node)
        ):
            out.append(part)
            node = cast(Any, node)[part]  # a key of the mapping or an index of the list
        elif (
            isinstance(part, str)
            and not any(c in part for c in "[]()")
            and not isinstance(node, list)
        ):
            out.append(part)  # a missing or unknown key
            node = None
    return tuple(out)


def _nearest(name: str, fields: list[str]) -> str | None:
    """The known field a misspelt key most likely means (two letters swapped count as close)."""
    near = difflib.get_close_matches(name, fields, n=1)
    swapped = [
        f
        for f in fields
        if len(f) == len(name)
        and sorted(f) == sorted(name)
        and sum(a != b for a, b in zip(f, name, strict=False)) == 2
    ]
    return near[0] if near else (swapped[0] if swapped else None)


def fields_at(loc: Loc) -> list[str]:
    """The field names of the model(s) the schema expects at a location in the data."""
    annotations: list[Any] = [Treaty]
    for part in loc:
        annotations = [inner for ann in annotations for inner in _inside(ann, part)]
    return sorted(
        {
            name
            for ann in annotations
            for alt in _alternatives(ann)
            if _is_model(alt)
            for name in alt.model_fields
        }
    )


def _inside(annotation: Any, part: str | int) -> Iterator[Any]:
    """The annotation(s) of what sits under key or index `part` of a value of this annotation."""
    for alt in _alternatives(annotation):
        origin, args = typing.get_origin(alt) or alt, typing.get_args(alt)
        if _is_model(alt):
            if isinstance(part, str) and part in alt.model_fields:
                yield alt.model_fields[part].annotation
        elif not isinstance(origin, type) or issubclass(origin, (str, bytes)):
            continue
        elif issubclass(origin, abc.Mapping):
            yield args[1] if len(args) == 2 else Any
        elif isinstance(part, int) and origin is tuple and args and args[-1] is not Ellipsis:
            if part < len(args):
                yield args[part]
        elif isinstance(part, int) and issubclass(origin, (abc.Sequence, abc.Set)):
            yield args[0] if args else Any


def _alternatives(annotation: Any) -> Iterator[Any]:
    """The types an annotation allows, with Annotated, Optional, Union and type aliases unwrapped."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        yield from _alternatives(typing.get_args(annotation)[0])
    elif origin is typing.Union or origin is types.UnionType:
        for arg in typing.get_args(annotation):
            yield from _alternatives(arg)
    elif hasattr(annotation, "__supertype__"):  # typing.NewType
        yield from _alternatives(annotation.__supertype__)
    elif type(annotation).__name__ == "TypeAliasType":  # type X = ... (Python 3.12+)
        yield from _alternatives(annotation.__value__)
    else:
        yield annotation


def _is_model(annotation: Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)
