"""Load and validate: YAML file -> typed, consistent Treaty, or every problem at once."""

from __future__ import annotations

import difflib
import types
import typing
from collections import abc
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from . import refs
from .consistency import consistency_problems
from .dates import HistDate
from .errors import ContentError, Problem
from .model import Event, Treaty
from .yamlload import Document, Loc, field_name, load_yaml


@dataclass(frozen=True)
class Loaded:
    """A validated treaty with where it came from and the treaties it names."""

    path: Path
    treaty: Treaty
    related: dict[str, Treaty]
    doc: Document


def display_path(path: Path) -> str:
    """The path as the user should see it: relative to the working directory when possible."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def load_treaty(path: Path, *, with_related: bool = True) -> Loaded:
    """Read, validate and cross-check one content file; raise ContentError listing every problem."""
    doc = load_yaml(path, display=display_path(path))
    try:
        treaty = Treaty.model_validate(doc.data)
    except ValidationError as exc:
        raise ContentError([_problem(doc, err) for err in exc.errors()]) from None
    problems = [
        doc.problem(loc, msg) for loc, msg in [*_unusable_dates(treaty), *_unusable_expiry(treaty)]
    ]
    if problems:
        raise ContentError(problems)
    treaty, problems = _dates_by_reference(doc, treaty)
    if problems:
        raise ContentError(problems)
    problems += list(_check_names(doc, treaty, path))
    related: dict[str, Treaty] = {}
    if with_related:  # a related treaty is only read for its facts; it is checked in its own right
        related, rel_problems = _load_related(doc, treaty, path)
        problems += rel_problems
        problems += check_consistency(doc, treaty, related)
    if problems:
        raise ContentError(problems)
    return Loaded(path, treaty, related, doc)


def _dates_by_reference(doc: Document, treaty: Treaty) -> tuple[Treaty, list[Problem]]:
    """Fill in the dates of events that mark another fact (same_as), so each date is written once."""
    events, problems = [], []
    for i, event in enumerate(treaty.events):
        if event.same_as and (chained := _event_named(treaty, event.same_as)) and chained.same_as:
            problems.append(
                doc.problem(
                    ("events", i, "same_as"),
                    f"{event.same_as} takes its own date from "
                    f"same_as ({chained.same_as}); name that fact instead",
                )
            )
        elif event.same_as:
            try:
                found = refs.resolve(treaty, event.same_as).obj
            except refs.RefError as exc:
                problems.append(
                    doc.problem(
                        ("events", i, "same_as"), f"{event.same_as} does not resolve: {exc}"
                    )
                )
                found = None
            date = getattr(found, "value", found)
            if found is not None and not isinstance(date, HistDate):
                problems.append(
                    doc.problem(("events", i, "same_as"), f"{event.same_as} is not a date")
                )
            elif found is not None:
                event = event.model_copy(update={"date": date})
        events.append(event)
    return treaty.model_copy(update={"events": events}), problems


def _event_named(treaty: Treaty, ref: str) -> Event | None:
    """The event a reference such as events.signed or events.3.date points into, if any."""
    parts = ref.split(".")
    if len(parts) < 2 or parts[0] != "events":
        return None
    if parts[1].isdigit():
        return treaty.events[int(parts[1])] if int(parts[1]) < len(treaty.events) else None
    return next((e for e in treaty.events if e.id == parts[1]), None)


def _unusable_dates(obj: Any, loc: Loc = ()) -> Iterator[tuple[Loc, str]]:
    """Dates the calendar arithmetic cannot handle: year 0, or a Julian date before 1 AD (Gregorian)."""
    if isinstance(obj, HistDate):
        try:
            obj.earliest(), obj.latest()
        except (ValueError, OverflowError):
            zero = "there is no year 0; " if obj.year == 0 else ""
            yield (
                loc,
                f"{obj.iso()} cannot be used: {zero}dates run from the year 1 to 9999 (Gregorian)",
            )
    elif isinstance(obj, BaseModel):
        for name in type(obj).model_fields:
            yield from _unusable_dates(getattr(obj, name), loc + (name,))
    elif isinstance(obj, list):
        for i, item in enumerate(obj):
            yield from _unusable_dates(item, loc + (i,))


def _unusable_expiry(treaty: Treaty) -> Iterator[tuple[Loc, str]]:
    """A term so long that entry into force plus the term is past the year 9999."""
    try:
        expiry = treaty.expiry
        if expiry is not None:
            expiry.earliest()
    except (ValueError, OverflowError):
        yield (
            ("term", "years"),
            (
                f"{treaty.entry_into_force.value} plus {treaty.term.years} years is past "
                "the year 9999"
            ),
        )


def _check_names(doc: Document, treaty: Treaty, path: Path) -> Iterator[Problem]:
    if path.suffix == ".yaml" and path.stem != treaty.slug:
        yield doc.problem(("slug",), f"slug {treaty.slug!r} must match the file name {path.stem!r}")


def _load_related(
    doc: Document, treaty: Treaty, path: Path
) -> tuple[dict[str, Treaty], list[Problem]]:
    related, problems = {}, []
    for i, rel in enumerate(treaty.related):
        other = path.with_name(f"{rel.slug}.yaml")
        if not other.is_file():
            problems.append(
                doc.problem(("related", i, "slug"), f"no content file {other.name} beside this one")
            )
            continue
        try:
            related[rel.slug] = load_treaty(other, with_related=False).treaty
        except ContentError:
            problems.append(
                doc.problem(("related", i, "slug"), f"{other.name} is not valid; run check on it")
            )
    return related, problems


def _problem(doc: Document, err: dict) -> Problem:
    loc = _data_loc(doc.data, err["loc"])
    msg = err["msg"].removeprefix("Value error, ")
    if err["type"] == "extra_forbidden":
        msg = f"unknown field {loc[-1]!r}"
        if near := _nearest(str(loc[-1]), _fields_at(loc[:-1])):
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


def _data_loc(data: Any, loc: tuple) -> Loc:
    """Keep the parts of a pydantic location that are really keys or indexes in the data."""
    out: list = []
    node = data
    for part in loc:
        if (
            isinstance(node, dict)
            and part in node
            or isinstance(node, list)
            and isinstance(part, int)
            and part < len(node)
        ):
            out.append(part)
            node = node[part]
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


def _fields_at(loc: Loc) -> list[str]:
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


def check_consistency(doc: Document, treaty: Treaty, related: dict[str, Treaty]) -> list[Problem]:
    """Cross-field checks: ids, sources, order of dates, derived figures, references in prose."""
    return [doc.problem(loc, msg) for loc, msg in consistency_problems(treaty, related)]


def find_content(paths: list[Path], content_dir: Path) -> list[Path]:
    """The content files named, or every *.yaml in the content folder."""
    if paths:
        return paths
    return sorted(content_dir.glob("*.yaml"))


__all__ = ["Loaded", "load_treaty", "find_content", "refs"]
