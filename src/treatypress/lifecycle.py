"""A treaty's life: how long it runs (its term), how it ended, and the other instruments it
relates to (treaties with content files of their own, and instruments cited without)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, model_validator

from .dates import Calendar
from .fieldtypes import InCalendar, MaybeDate, Prose, Slug, Sourced, Strict, Text

MAX_TERM_YEARS = 999
"""The longest term, renewal or notice period content may give, in years."""
TermKind = Literal["fixed", "renewable", "until-notice", "indefinite", "not-stated"]


class Term(Sourced):
    """How long the treaty runs: fixed; fixed and renewed automatically; an initial period, then until
    notice; indefinite; or not stated."""

    kind: TermKind = "fixed"
    """fixed: `years`; renewable: `years`, then `renewal_years` at a time unless notice is given
    `notice_years` before expiry; until-notice: at least `years`, then until a party gives
    `notice_years` of notice; indefinite: no term, no notice (`notice_years` if withdrawal is allowed
    on notice at any time); not-stated: the text states none. Written without `kind`, a term with
    `renewal_years` is renewable and one without is fixed."""
    years: int | None = Field(default=None, strict=True, ge=1, le=MAX_TERM_YEARS)
    """The length of the (first) term in years."""
    renewal_years: int | None = Field(default=None, strict=True, ge=1, le=MAX_TERM_YEARS)
    """renewable only: the years each renewal lasts."""
    notice_years: int | None = Field(default=None, strict=True, ge=1, le=MAX_TERM_YEARS)
    """Years of notice: before expiry to stop a renewal; or before a withdrawal takes effect."""
    renewed: bool | None = None
    """renewable only: false when it was not renewed (then it expired at the end of its first
    term, and that date is derived); leave out while it runs or when not known."""

    @model_validator(mode="before")
    @classmethod
    def _infer_kind(cls, data: Any) -> Any:
        if isinstance(data, dict) and "kind" not in data and data.get("renewal_years"):
            return {**data, "kind": "renewable"}
        return data

    @model_validator(mode="after")
    def _fields_for_kind(self) -> Term:
        needs = {
            "fixed": ("years",),
            "renewable": ("years", "renewal_years"),
            "until-notice": ("years", "notice_years"),
        }.get(self.kind, ())
        missing = [name for name in needs if getattr(self, name) is None]
        if missing:
            raise ValueError(f"a {self.kind} term needs {' and '.join(missing)}")
        if self.kind in ("indefinite", "not-stated") and (self.years or self.renewal_years):
            raise ValueError(f"an {self.kind} term has no years or renewal_years")
        if self.renewed is not None and self.kind != "renewable":
            raise ValueError("only a renewable term can say whether it was renewed")
        return self

    @property
    def defines_expiry(self) -> bool:
        """True when the term fixes an end: fixed, or renewable and not renewed."""
        return self.kind == "fixed" or (self.kind == "renewable" and self.renewed is False)


EndingHow = Literal[
    "expired",
    "lapsed",
    "terminated-by-notice",
    "terminated",
    "denounced",
    "superseded",
    "annulled",
    "abrogated",
]


class Ending(Sourced, InCalendar):
    """How and when the treaty (or part of it) stopped having effect, and by which instrument."""

    _date_fields = ("date",)
    how: EndingHow
    """expired or lapsed (its term ran out), terminated-by-notice, terminated (by agreement),
    denounced (by one party), superseded, annulled, abrogated."""
    date: MaybeDate
    """`unknown` when no source gives it."""
    calendar: Calendar = Calendar.gregorian
    """The calendar `date` is written in."""
    extent: Literal["whole", "part"] = "whole"
    """part: only some articles or some parties stopped (then the treaty stays in force)."""
    by: Prose
    """The instrument or act that ended it, in a sentence."""
    instrument: Slug | None = None
    """The instrument that did it: the slug of a `related` treaty or the id of a `cited` one."""
    party: Slug | None = None
    """The party that acted, if one acted alone."""


Relation = Literal[
    "annulled",
    "annulled-by",
    "replaced",
    "replaced-by",
    "superseded",
    "superseded-by",
    "partly-superseded-by",
    "amended-by",
    "amends",
    "preceded-by",
    "followed-by",
    "related",
]


class Related(Strict):
    """Another treaty with content in the same folder, named by its slug."""

    slug: Slug
    """The slug (file name without .yaml) of the other treaty's content file."""
    relation: Relation
    """What this treaty is to the other: annulled-by means the other annulled this one."""


class Cited(Sourced, InCalendar):
    """Another instrument with no content file of its own (an earlier accord, a UN resolution),
    cited with its title, date and sources."""

    _date_fields = ("date",)
    id: Slug
    """A short id, named by an ending's `instrument`."""
    title: Text
    """Its title."""
    date: MaybeDate
    """When it was signed or adopted; `unknown` when no source gives it."""
    calendar: Calendar = Calendar.gregorian
    """The calendar `date` is written in."""
    relation: Relation
    """What this treaty is to it: superseded-by means it superseded this one."""
