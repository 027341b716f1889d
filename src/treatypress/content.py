"""Load and validate: YAML file -> typed, consistent Treaty, or every problem at once."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from . import refs
from .consistency import consistency_problems
from .dates import HistDate
from .errors import ContentError, Problem
from .model import Event, Treaty
from .project import find_content
from .scaffold import unfilled
from .schema_errors import schema_problem
from .yamlload import Document, Loc, load_yaml


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
        problems = [schema_problem(doc, err) for err in exc.errors()]
        raise ContentError(unfilled(doc, problems)) from None
    if holes := unfilled(doc, []):  # placeholders left from `treatypress new`
        raise ContentError(holes)
    problems = [doc.problem(loc, msg) for loc, msg in _unusable_expiry(treaty)]
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


def _unusable_expiry(treaty: Treaty) -> Iterator[tuple[Loc, str]]:
    """A term so long that entry into force plus the term is past the year 9999."""
    try:
        expiry = treaty.expiry
        if expiry is not None:
            expiry.check_range()
    except (ValueError, OverflowError):
        years = treaty.term.years if treaty.term else None
        yield (
            ("term", "years"),
            f"entry into force ({treaty.entry_into_force.value}) plus {years} years is past "
            "the year 9999, the last year a date may have",
        )


def _check_names(doc: Document, treaty: Treaty, path: Path) -> Iterator[Problem]:
    if path.suffix == ".yaml" and path.stem != treaty.slug:
        yield doc.problem(("slug",), f"slug {treaty.slug!r} must match the file name {path.stem!r}")


def _load_related(
    doc: Document, treaty: Treaty, path: Path
) -> tuple[dict[str, Treaty], list[Problem]]:
    related, problems = {}, []
    named = [(("related", i, "slug"), rel.slug) for i, rel in enumerate(treaty.related)]
    named += [(("comparisons", i, "treaty"), c.treaty) for i, c in enumerate(treaty.comparisons)]
    for loc, slug in named:
        other = path.with_name(f"{slug}.yaml")
        if slug in related:
            continue
        if slug == treaty.slug:
            problems.append(doc.problem(loc, "a treaty cannot be set beside itself"))
            continue
        if not other.is_file():
            problems.append(doc.problem(loc, f"no content file {other.name} beside this one"))
            continue
        try:
            related[slug] = load_treaty(other, with_related=False).treaty
        except ContentError:
            problems.append(doc.problem(loc, f"{other.name} is not valid; run check on it"))
    return related, problems


def check_consistency(doc: Document, treaty: Treaty, related: dict[str, Treaty]) -> list[Problem]:
    """Cross-field checks: ids, sources, order of dates, derived figures, references in prose."""
    return [doc.problem(loc, msg) for loc, msg in consistency_problems(treaty, related)]


__all__ = ["Loaded", "load_treaty", "find_content", "refs"]
