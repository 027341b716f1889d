"""Cross-field checks on a validated treaty: ids, sources, date order, derived figures, prose."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel

from . import refs
from .dates import HistDate
from .model import Sourced, Treaty
from .yamlload import Loc

Found = tuple[Loc, str]


def consistency_problems(treaty: Treaty, related: dict[str, Treaty]) -> list[Found]:
    """Every cross-field problem, as (location, message) pairs."""
    checks = (
        _unique_ids,
        _source_ids,
        _links,
        _date_order,
        _derived,
        _status,
        _life_dates,
        _article_count,
        _prose,
    )
    return [found for check in checks for found in check(treaty, related)]


def _walk(obj: Any, loc: Loc = ()) -> Iterator[tuple[Loc, Any]]:
    yield loc, obj
    if isinstance(obj, BaseModel):
        for name in type(obj).model_fields:
            yield from _walk(getattr(obj, name), loc + (name,))
    elif isinstance(obj, list):
        for i, item in enumerate(obj):
            yield from _walk(item, loc + (i,))


def _unique_ids(treaty: Treaty, _: dict[str, Treaty]) -> Iterator[Found]:
    for name in ("sources", "parties", "people", "events", "figures", "instruments", "cited"):
        seen: set[str] = set()
        for i, item in enumerate(getattr(treaty, name)):
            if item.id in seen:
                yield (name, i, "id"), f"id {item.id!r} is used twice in {name}"
            seen.add(item.id)


def _source_ids(treaty: Treaty, _: dict[str, Treaty]) -> Iterator[Found]:
    known = {s.id for s in treaty.sources}
    for loc, obj in _walk(treaty):
        if isinstance(obj, Sourced):
            for i, sid in enumerate(obj.sources):
                if sid not in known:
                    yield loc + ("sources", i), f"source {sid!r} is not in the sources list"
    if treaty.quotation and treaty.quotation.translation not in known:
        yield (
            ("quotation", "translation"),
            f"source {treaty.quotation.translation!r} is not in the sources list",
        )


def _links(treaty: Treaty, _: dict[str, Treaty]) -> Iterator[Found]:
    people = {p.id for p in treaty.people}
    parties = {p.id for p in treaty.parties}
    events = {e.id for e in treaty.events}
    for i, sig in enumerate(treaty.signing.signatories):
        if sig.person not in people:
            yield ("signing", "signatories", i, "person"), f"no person {sig.person!r} in people"
        if sig.party not in parties:
            yield ("signing", "signatories", i, "party"), f"no party {sig.party!r} in parties"
    for i, ev in enumerate(treaty.events):
        for j, ref in enumerate(ev.after):
            if ref not in events:
                yield ("events", i, "after", j), f"no event {ref!r} in events"
        for j, ref in enumerate(ev.people):
            if ref not in people:
                yield ("events", i, "people", j), f"no person {ref!r} in people"
    for i, part in enumerate(treaty.signing.participants):
        if part.person not in people:
            yield ("signing", "participants", i, "person"), f"no person {part.person!r} in people"
        if part.party and part.party not in parties:
            yield ("signing", "participants", i, "party"), f"no party {part.party!r} in parties"
    instruments = {rel.slug for rel in treaty.related} | {c.id for c in treaty.cited}
    for i, end in enumerate(treaty.ended):
        if end.party and end.party not in parties:
            yield ("ended", i, "party"), f"no party {end.party!r} in parties"
        if end.instrument and end.instrument not in instruments:
            yield (
                ("ended", i, "instrument"),
                f"no instrument {end.instrument!r} in related or cited",
            )


def _date_order(treaty: Treaty, _: dict[str, Treaty]) -> Iterator[Found]:
    by_id = {e.id: e for e in treaty.events}
    for i, ev in enumerate(treaty.events):
        for ref in ev.after:
            before = by_id.get(ref)
            if before and ev.date and before.date and ev.date.latest() < before.date.earliest():
                yield (
                    ("events", i, "date"),
                    f"{ev.date} comes before {before.date} ({ref}), which it must follow",
                )
    signed = treaty.signing.date.value
    if signed is None:
        return
    steps = [
        (("ratification", "value"), treaty.ratification, "ratification"),
        (("entry_into_force", "value"), treaty.entry_into_force, "entry into force"),
    ]
    for loc, fact, label in steps:
        if fact and fact.value and fact.value.latest() < signed.earliest():
            yield loc, f"{label} ({fact.value}) comes before the signing ({signed})"
    in_force = treaty.entry_into_force.value
    for i, end in enumerate(treaty.ended):
        if end.date is None:
            continue
        if in_force and end.date.latest() < in_force.earliest() and end.how != "annulled":
            yield ("ended", i, "date"), f"it ends ({end.date}) before it entered into force"
        if end.date.latest() < signed.earliest():
            yield ("ended", i, "date"), f"it ends ({end.date}) before it was signed ({signed})"
    for i, acc in enumerate(treaty.accessions):
        if acc.date and acc.date.latest() < signed.earliest():
            yield (
                ("accessions", i, "date"),
                f"{acc.name} accedes ({acc.date}) before the signing ({signed})",
            )


def _derived(treaty: Treaty, _: dict[str, Treaty]) -> Iterator[Found]:
    expiry = treaty.expiry
    term = treaty.term
    for i, end in enumerate(treaty.ended):
        lapses = end.how in ("lapsed", "expired")
        if lapses and expiry is not None and term is not None and end.date != expiry:
            yield (
                ("ended", i, "date"),
                f"a treaty in force from {treaty.entry_into_force.value} for {term.years} "
                f"years {end.how.removesuffix('d')}s on {expiry}, not {end.date}",
            )
        if (
            end.how in ("lapsed", "expired")
            and term
            and term.kind in ("until-notice", "indefinite")
        ):
            yield (
                ("ended", i, "how"),
                f"a treaty with an {term.kind} term does not {end.how.removesuffix('d')}; "
                "say how it ended (terminated-by-notice, denounced ...)",
            )


def _status(treaty: Treaty, _: dict[str, Treaty]) -> Iterator[Found]:
    whole = [e for e in treaty.ended if e.extent == "whole"]
    if treaty.status == "in-force" and whole:
        yield ("status",), f"says in force, but ended lists how it ended ({whole[0].how})"
    if treaty.status == "ended" and not whole:
        yield ("status",), "says ended, but ended does not say how (an ending with extent: whole)"


def _life_dates(treaty: Treaty, _: dict[str, Treaty]) -> Iterator[Found]:
    people = {p.id: p for p in treaty.people}
    for i, person in enumerate(treaty.people):
        if person.died and person.born and person.died.latest() < person.born.earliest():
            yield (
                ("people", i, "died"),
                f"{person.name} dies ({person.died}) before being born ({person.born})",
            )
    signers = [s.person for s in treaty.signing.signatories]
    taking_part: list[tuple[Loc, HistDate | None, str]] = [
        (("signing", "date"), treaty.signing.date.value, pid)
        for pid in [*signers, *(p.person for p in treaty.signing.participants)]
    ]
    taking_part += [
        (("events", i, "date"), ev.date, pid)
        for i, ev in enumerate(treaty.events)
        for pid in ev.people
    ]
    for loc, date, pid in taking_part:
        who = people.get(pid)
        if who is None or date is None:
            continue
        if (who.born and date.latest() < who.born.earliest()) or (
            who.died and date.earliest() > who.died.latest()
        ):
            life = f"{who.born or '?'}–{who.died}" if who.died else f"born {who.born}"
            yield loc, f"{who.name} ({life}) could not take part on {date}"


def _article_count(treaty: Treaty, _: dict[str, Treaty]) -> Iterator[Found]:
    numbered = [a.number for a in treaty.articles if a.number is not None]
    if numbered and treaty.structure and len(numbered) != treaty.structure.articles:
        yield (
            ("structure", "articles"),
            f"says {treaty.structure.articles} articles but {len(numbered)} are summarised",
        )
    if numbered and numbered != list(range(1, len(numbered) + 1)):
        yield ("articles",), "numbered articles must run 1, 2, 3 ... in order"


def _prose(treaty: Treaty, related: dict[str, Treaty]) -> Iterator[Found]:
    for loc, text in prose_fields(treaty):
        for message in refs.check_prose(treaty, text, related):
            yield loc, message


def prose_fields(treaty: Treaty) -> Iterator[tuple[Loc, str]]:
    """Every running-text field, where facts must be referred to, not typed."""
    for i, text in enumerate(treaty.background):
        yield ("background", i), text
    for i, text in enumerate(treaty.significance):
        yield ("significance", i), text
    for name, field in (
        ("events", "text"),
        ("articles", "summary"),
        ("instruments", "summary"),
        ("ended", "by"),
    ):
        for i, item in enumerate(getattr(treaty, name)):
            yield (name, i, field), getattr(item, field)
    cls = treaty.classroom
    for i, t in enumerate(cls.key_terms):
        yield ("classroom", "key_terms", i, "definition"), t.definition
    for i, q in enumerate(cls.discussion):
        if isinstance(q, str):
            yield ("classroom", "discussion", i), q
        else:
            yield ("classroom", "discussion", i, "question"), q.question
            yield ("classroom", "discussion", i, "notes"), q.notes
    for i, c in enumerate(treaty.comparisons):
        for j, asked in enumerate(c.questions):
            yield ("comparisons", i, "questions", j), asked
    for i, r in enumerate(cls.review):
        yield ("classroom", "review", i, "question"), r.question
        yield ("classroom", "review", i, "answer"), r.answer
