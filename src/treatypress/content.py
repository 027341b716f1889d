"""Load and validate: YAML file -> typed, consistent Treaty, or every problem at once."""

from __future__ import annotations

import difflib
import typing
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from . import refs
from .consistency import consistency_problems
from .dates import HistDate
from .errors import ContentError, Problem
from .model import Treaty
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
        if event.same_as:
            try:
                found = refs.resolve(treaty, event.same_as).obj
            except refs.RefError as exc:
                problems.append(doc.problem(("events", i, "same_as"), f"{event.same_as} does not resolve: {exc}"))
                found = None
            date = getattr(found, "value", found)
            if found is not None and not isinstance(date, HistDate):
                problems.append(doc.problem(("events", i, "same_as"), f"{event.same_as} is not a date"))
            elif found is not None:
                event = event.model_copy(update={"date": date})
        events.append(event)
    return treaty.model_copy(update={"events": events}), problems


def _check_names(doc: Document, treaty: Treaty, path: Path) -> Iterator[Problem]:
    if path.suffix == ".yaml" and path.stem != treaty.slug:
        yield doc.problem(("slug",), f"slug {treaty.slug!r} must match the file name {path.stem!r}")


def _load_related(doc: Document, treaty: Treaty, path: Path) -> tuple[dict[str, Treaty], list[Problem]]:
    related, problems = {}, []
    for i, rel in enumerate(treaty.related):
        other = path.with_name(f"{rel.slug}.yaml")
        if not other.is_file():
            problems.append(doc.problem(("related", i, "slug"), f"no content file {other.name} beside this one"))
            continue
        try:
            related[rel.slug] = load_treaty(other, with_related=False).treaty
        except ContentError:
            problems.append(doc.problem(("related", i, "slug"), f"{other.name} is not valid; run check on it"))
    return related, problems


def _problem(doc: Document, err: dict) -> Problem:
    loc = _data_loc(doc.data, err["loc"])
    msg = err["msg"].removeprefix("Value error, ")
    if err["type"] == "extra_forbidden":
        msg = f"unknown field {loc[-1]!r}"
        near = difflib.get_close_matches(str(loc[-1]), _fields_at(loc[:-1]), n=1)
        if near:
            msg += f"; did you mean {near[0]!r}?"
    elif err["type"] == "missing":
        msg = f"required field {loc[-1]!r} is missing"
        line, col = doc.mark(loc[:-1])
        return Problem(doc.path, line, col, field_name(loc), msg)
    elif "input" in err and err["type"] not in ("value_error",) and not isinstance(err["input"], (dict, list)):
        shown = repr(err["input"])
        msg += f" (got {shown[:60] + '...' if len(shown) > 60 else shown})"
    return doc.problem(loc, msg)


def _data_loc(data: Any, loc: tuple) -> Loc:
    """Keep the parts of a pydantic location that are really keys or indexes in the data."""
    out: list = []
    node = data
    for part in loc:
        if isinstance(node, dict) and part in node:
            out.append(part)
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            out.append(part)
            node = node[part]
        elif isinstance(part, str) and not any(c in part for c in "[]()") and not isinstance(node, list):
            out.append(part)  # a missing or unknown key
            node = None
    return tuple(out)


def _fields_at(loc: Loc) -> list[str]:
    cls: Any = Treaty
    for part in loc:
        if isinstance(part, int):
            continue
        field = getattr(cls, "model_fields", {}).get(part)
        if field is None:
            return []
        cls = _model_of(field.annotation)
    return list(getattr(cls, "model_fields", {}))


def _model_of(annotation: Any) -> Any:
    for arg in (annotation, *typing.get_args(annotation)):
        if isinstance(arg, type) and issubclass(arg, BaseModel):
            return arg
        inner = _model_of(arg) if typing.get_args(arg) else None
        if inner is not None:
            return inner
    return None


def check_consistency(doc: Document, treaty: Treaty, related: dict[str, Treaty]) -> list[Problem]:
    """Cross-field checks: ids, sources, order of dates, derived figures, references in prose."""
    return [doc.problem(loc, msg) for loc, msg in consistency_problems(treaty, related)]


def find_content(paths: list[Path], content_dir: Path) -> list[Path]:
    """The content files named, or every *.yaml in the content folder."""
    if paths:
        return paths
    return sorted(content_dir.glob("*.yaml"))


__all__ = ["Loaded", "load_treaty", "find_content", "refs"]
