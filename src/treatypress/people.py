"""Who made the treaty: the parties, later accessions, the people named, who signed and who took
part, and the signing itself."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .dates import Calendar
from .fieldtypes import (
    Date,
    DateFact,
    InCalendar,
    LangTag,
    MaybeDate,
    Slug,
    Sourced,
    Strict,
    Text,
    TextFact,
)


class Party(Sourced):
    """A state party to the treaty and the government that concluded it."""

    id: Slug
    """A short id naming the party in signatories, endings and prose ({parties.<id>})."""
    name: Text
    """The state's full name."""
    short: Text
    """A short name or abbreviation, e.g. 'USSR'."""
    government: Text
    """The government that concluded it (printed beside the name when there are four parties or fewer)."""


class Accession(Sourced, InCalendar):
    """A state that became a party after the signing."""

    _date_fields = ("date",)
    name: Text
    """The state that joined."""
    date: MaybeDate
    """When it became a party; `unknown` when no source gives it."""
    calendar: Calendar = Calendar.gregorian
    """The calendar `date` is written in."""


class NativeName(Strict):
    """A person's name in their own script."""

    lang: LangTag
    """BCP 47 language tag of the name: zh-Hans, ru, ar ..."""
    text: Text
    """The name in its own script."""


class Person(Sourced, InCalendar):
    """Someone who took part, with life dates and roles."""

    _date_fields = ("born", "died")
    id: Slug
    """A short id naming the person in signatories, events and prose ({people.<id>})."""
    name: Text
    """The name as printed, in English."""
    native: NativeName | None = None
    """Printed beside the name in the key facts."""
    born: MaybeDate
    """`unknown` when no source gives it."""
    died: Date | None = None
    """Leave out while the person lives."""
    calendar: Calendar = Calendar.gregorian
    """The calendar the life dates are written in."""
    role: Text | None = None
    """Who they were at the time, in a phrase; printed in the key facts ("Also named") for someone
    who neither signed nor took part in another role (a signatory's office is in `signing`)."""


class Signatory(Sourced):
    """Who signed for a party, and in which office."""

    person: Slug
    """The id of the person in `people`."""
    party: Slug
    """The id of the party in `parties`."""
    office: Text
    """The office they held then (`unknown` when no source gives it)."""


class Participant(Sourced):
    """Someone who took part other than by signing: a witness, negotiator, interpreter, depositary."""

    person: Slug
    """The id of the person in `people`."""
    role: Literal["witness", "negotiator", "interpreter", "depositary"]
    """How they took part."""
    office: Text
    """The office they held then (`unknown` when no source gives it)."""
    party: Slug | None = None
    """The party they acted for, if any (a witness may be no party)."""


class Signing(Strict):
    """When, where and by whom the treaty was signed."""

    date: DateFact
    """The date of signing."""
    place: TextFact
    """Where it was signed."""
    signatories: list[Signatory] = Field(min_length=1)
    """Who signed, for which party, in which office (one or more)."""
    participants: list[Participant] = []
    """Witnesses, negotiators, interpreters and depositaries, with their offices."""
