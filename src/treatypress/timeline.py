"""The timeline: dated events, each a step in the treaty's life or what happened around it."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import StringConstraints, model_validator

from .dates import Calendar
from .fieldtypes import REF_PATTERN, Date, InCalendar, Prose, Slug, Sourced


class Event(Sourced, InCalendar):
    """A dated point on the timeline."""

    _date_fields = ("date",)
    id: Slug
    """A short id, named by other events' `after` and in prose ({events.<id>})."""
    date: Date | None = None
    """The date; leave it out when `same_as` names the fact that gives it."""
    same_as: Annotated[str, StringConstraints(pattern=REF_PATTERN)] | None = None
    """The fact whose date this event marks (signing.date, entry_into_force, ended.0.date ...),
    so that the date is written once: correcting the fact corrects the timeline."""
    calendar: Calendar = Calendar.gregorian
    """The calendar `date` is written in."""
    text: Prose
    """What happened, in a sentence."""
    kind: Literal["treaty", "context"] = "treaty"
    """treaty: a step in the treaty's life; context: what happened around it."""
    after: list[Slug] = []
    """Ids of events this one must follow (checked)."""
    people: list[Slug] = []
    """Ids of people who took part (their life dates must contain the date)."""
    highlight: bool = False
    """Shown on the compact timeline of the fact sheet."""

    @model_validator(mode="after")
    def _one_date(self) -> Event:
        if (self.date is None) == (self.same_as is None):
            raise ValueError("give either date or same_as (the fact whose date this event marks)")
        return self
