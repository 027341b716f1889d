"""The content schema: one treaty, its facts, their sources, and classroom material.

Every field is documented here; `treatypress schema` exports the JSON Schema that editors use.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PlainValidator,
    StringConstraints,
    WithJsonSchema,
    model_validator,
)

from .dates import Calendar, HistDate

DATE_PATTERN = r"^\d{4}(-\d{2}(-\d{2})?)?~?$"


@dataclass(frozen=True)
class _Refused:
    """A date a model-level validator could not read, carried to the field to be reported there."""

    message: str


def _parse_date(value: Any) -> HistDate:
    if isinstance(value, HistDate):
        return value
    if isinstance(value, _Refused):
        raise ValueError(value.message)
    if isinstance(value, (bool, int, float)):
        raise ValueError(
            f"{value!r} is a number, not a date: write it as text, "
            "'YYYY-MM-DD', 'YYYY-MM' or 'YYYY'"
        )
    if not isinstance(value, str):
        raise ValueError(f"a date must be text such as '1950-02-14', not {_shape(value)}")
    return HistDate.parse(value)


def _shape(value: Any) -> str:
    """What a value is, in plain words."""
    if value is None:
        return "an empty value"
    return "a list" if isinstance(value, list) else "a group of fields"


Date = Annotated[
    HistDate,
    PlainValidator(_parse_date),
    WithJsonSchema({"type": "string", "pattern": DATE_PATTERN}),
]

UNKNOWN = "unknown"


def _parse_maybe_date(value: Any) -> HistDate | None:
    if value is None or value == UNKNOWN:
        return None
    return _parse_date(value)


MaybeDate = Annotated[
    HistDate | None,
    PlainValidator(_parse_maybe_date),
    WithJsonSchema({"anyOf": [{"type": "string", "pattern": DATE_PATTERN}, {"const": UNKNOWN}]}),
]
"""A date, or `unknown` when no source gives it: printed as "not known", never guessed."""
SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
LANG_PATTERN = r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$"
REF_PATTERN = r"^[a-z_]+(\.[a-z0-9_-]+)*$"
PATTERN_WORDS = {
    SLUG_PATTERN: "lower-case letters and digits, in words joined by hyphens (such as sino-soviet-1950)",
    LANG_PATTERN: "a language tag such as en, zh-Hans or ru",
    REF_PATTERN: "the name of a fact, its parts joined by dots (such as signing.date or ended.0.date)",
    DATE_PATTERN: "a date written YYYY-MM-DD, YYYY-MM or YYYY",
}
"""What each pattern asks for, in the words a message uses (never the pattern itself)."""
Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN, max_length=60)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]
Prose = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000)]
"""Running text. Facts are not retyped in prose: write {signing.date}, {people.zhou-enlai} ..."""
LangTag = Annotated[str, StringConstraints(pattern=LANG_PATTERN)]


def _web_address(value: str) -> str:
    """An http(s) address naming no user or password (which can disguise the real host)."""
    parts = urlsplit(value)
    if (
        parts.scheme not in ("http", "https")
        or not parts.hostname
        or any(c.isspace() for c in value)
    ):
        raise ValueError(
            "not a web address: it must start with http:// or https:// and name a host"
        )
    if "@" in parts.netloc:
        raise ValueError(
            f"the address names a user before the host ({parts.netloc.split('@')[0]}@...); "
            "give the address without it"
        )
    return value


Url = Annotated[str, StringConstraints(max_length=500), AfterValidator(_web_address)]
Confidence = Literal["high", "medium", "low"]


class Strict(BaseModel):
    """A model that refuses unknown keys and cannot be changed once loaded."""

    model_config = ConfigDict(
        extra="forbid", frozen=True, strict=False, use_attribute_docstrings=True
    )


class Sourced(Strict):
    """A fact: it names the sources that back it and how sure they are."""

    sources: list[Slug] = Field(min_length=1)
    """Ids from the file's `sources` list."""
    confidence: Confidence = "high"
    """high: primary text or two reliable sources; medium: printed with hedged wording; low: never printed."""
    note: str | None = None
    """An editor's note on the evidence (never printed)."""


class InCalendar(BaseModel):
    """A model whose date fields are written in the calendar its `calendar` field names."""

    _date_fields: tuple[str, ...] = ()

    @model_validator(mode="before")
    @classmethod
    def _calendar(cls, data: Any) -> Any:
        if not isinstance(data, dict) or not data.get("calendar"):
            return data
        try:
            cal = Calendar(data["calendar"])
        except ValueError:
            return data  # the field's own validation reports it
        dates: dict[str, HistDate | _Refused] = {}
        for k in cls._date_fields.default:
            if isinstance(data.get(k), str) and data[k] != UNKNOWN:
                try:
                    dates[k] = HistDate.parse(data[k], calendar=cal)
                except ValueError as exc:  # reported by the field's own validation, at its place
                    dates[k] = _Refused(str(exc))
        return {**data, **dates}


class DateFact(Sourced, InCalendar):
    """A sourced date; `calendar` says which calendar `value` is written in."""

    _date_fields = ("value",)
    value: MaybeDate
    """'YYYY-MM-DD', 'YYYY-MM' or 'YYYY', with a trailing ~ for circa; or `unknown` when no source
    gives it (then `sources` names the works consulted)."""
    calendar: Calendar = Calendar.gregorian
    """The calendar of `value`; a Julian or Hijri date is printed with its Gregorian equivalent."""

    @property
    def known(self) -> bool:
        """False when the value is `unknown`."""
        return self.value is not None


class TextFact(Sourced):
    """A sourced piece of text, such as a place; `unknown` when no source gives it."""

    value: Text
    """The fact as text; `unknown` when no source gives it."""

    @property
    def known(self) -> bool:
        """False when the value is `unknown`."""
        return self.value != UNKNOWN


class Source(Strict):
    """A work cited: a treaty text, its official database, a published book or article."""

    id: Slug
    """A short id that facts name in their `sources`."""
    short: Text
    """A short name for 'according to ...' wording and source lines, e.g. 'FRUS 1950'."""
    title: Text
    """The title of the work (with the document or page cited)."""
    author: Text | None = None
    """Author, editor or publishing body."""
    publisher: Text | None = None
    """The publisher, archive or database."""
    year: int | None = Field(default=None, strict=True, ge=1000, le=2100)
    """The year of publication."""
    url: Url | None = None
    """A web address of the work itself (never a mirror or download site)."""


class Title(Sourced):
    """A title of the treaty in one language."""

    lang: LangTag
    """BCP 47 language tag: en, zh-Hans, zh-Hant, ru, la, mnc ..."""
    text: Text
    """The title as written in that language, in its own script."""
    kind: Literal["official", "short", "original"] = "official"
    """official: full title; short: common short English name; original: a title in a signing language."""
    romanized: Text | None = None
    """A romanisation (e.g. pinyin), printed beside an original-language title."""


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


class Article(Sourced):
    """One article (or the preamble), in a plain-language line."""

    number: int | None = Field(default=None, strict=True, ge=1)
    """The article's number; leave it out for the preamble or a summary of several articles."""
    label: Text | None = None
    """Printed instead of a number, e.g. 'Main provisions'; without number or label: 'Preamble'."""
    summary: Prose
    """What the article says, in plain language."""


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


class Structure(Sourced):
    """How the text is divided."""

    preamble: bool = True
    """Whether the text opens with a preamble."""
    articles: int = Field(strict=True, ge=1)
    """The number of articles."""


class Figure(Sourced):
    """A number worth citing (an amount, a rate), referred to from prose as {figures.id}."""

    id: Slug
    """A short id, referred to from prose as {figures.<id>}."""
    label: Text
    """What the number is, in a few words."""
    value: Text
    """The number with its unit, as printed."""


class Instrument(Sourced):
    """Another instrument signed with the treaty."""

    id: Slug
    """A short id for the instrument."""
    title: Text
    """Its title."""
    summary: Prose
    """What it provides, in plain language."""


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


class Quotation(Sourced):
    """A quotation from the treaty, with the translation it comes from."""

    text: Text
    """The quoted words, as the translation gives them."""
    lang: LangTag = "en"
    """The language of `text`."""
    article: int | None = Field(default=None, strict=True, ge=1)
    """The number of the article quoted, if one."""
    translation: Slug
    """Source id of the translation quoted."""
    translator: Text | None = None
    """Whose wording the translation is, when that is not the source's publisher."""


class Term_(Strict):
    """A key term and its definition."""

    term: Text
    """The word or phrase."""
    definition: Prose
    """What it means, in plain language and in this treaty."""


class ReviewQuestion(Strict):
    """A review question and its answer."""

    question: Prose
    """The question, as students read it."""
    answer: Prose
    """For the teacher edition: not printed on the student handout (the fact report says so)."""
    lines: int = Field(default=2, strict=True, ge=1, le=8)
    """Answer lines to print."""


class Classroom(Strict):
    """Teaching material for the handout."""

    objectives: list[Text] = Field(min_length=1, max_length=4)
    """What students will be able to do, one to four lines."""
    key_terms: list[Term_] = Field(min_length=1)
    """Words students need, with definitions."""
    discussion: list[Prose] = Field(min_length=1)
    """Questions for class discussion."""
    review: list[ReviewQuestion] = Field(min_length=1)
    """Questions with answers, and the lines to write them on."""


class Rights(Strict):
    """Who may copy the documents, and under which licence."""

    holder: Text
    """Who holds the copyright in the documents."""
    licence: Text
    """The licence's name, printed in every footer."""
    licence_url: Url | None = None
    """A web address of the licence's text."""
    note: Text = "May be copied for classroom use."
    """What the licence allows, in a sentence, printed in every footer."""


class Treaty(Strict):
    """One treaty: the root of a content file."""

    model_config = ConfigDict(title="treatypress treaty content")

    slug: Slug
    """File name without .yaml; used in output file names."""
    edition: Date
    """Edition date printed on the documents and written into the PDF metadata."""
    subject: Text
    """The kicker above the title, e.g. 'Cold War in Asia'."""
    titles: list[Title] = Field(min_length=1)
    """Its titles: at least one in English; official, short and original-language."""
    parties: list[Party] = Field(min_length=2)
    """The states that concluded it (two or more)."""
    signing: Signing
    """When, where and by whom it was signed."""
    ratification: DateFact | None = None
    """When ratifications were exchanged or deposited, if known."""
    entry_into_force: DateFact
    """`value: unknown` when no source gives it."""
    term: Term | None = None
    """Left out: not known (a term the text does not state is `kind: not-stated`)."""
    status: Literal["in-force", "ended", "unknown"] | None = None
    """Whether it is in force (as of the edition); left out, it is `ended` when an ending of the
    whole treaty is given, and not stated otherwise."""
    depositary: TextFact | None = None
    """The government or body that keeps the original and receives ratifications and notices."""
    accessions: list[Accession] = []
    """States that became parties after the signing, with dates."""
    structure: Structure | None = None
    """How the text is divided; left out when no source gives the number of articles."""
    ended: list[Ending] = []
    """Each way it, or part of it, stopped having effect; empty while in force."""
    related: list[Related] = []
    """Treaties with their own content files."""
    cited: list[Cited] = []
    """Instruments with no content file: title, date, relation and sources."""
    people: list[Person] = []
    """Everyone named: signatories, participants, people in the timeline or prose."""
    events: list[Event] = []
    """The timeline, in date order."""
    articles: list[Article] = Field(min_length=1)
    """What the articles say, in plain language (at least one entry)."""
    instruments: list[Instrument] = []
    """Other instruments signed with the treaty: agreements, protocols, notes."""
    figures: list[Figure] = []
    """Numbers worth citing, referred to from prose as {figures.<id>}."""
    background: list[Prose] = Field(min_length=1)
    """How it came about. The first paragraph is the lead: the fact sheet prints it alone."""
    significance: list[Prose] = Field(min_length=1, max_length=1)
    """Why it mattered, in one paragraph (the fact sheet prints it). More belongs in `background`."""
    quotation: Quotation | None = None
    """One quotation from the treaty, printed on the handout."""
    classroom: Classroom
    """The teaching material on the handout."""
    rights: Rights
    """Who may copy the documents, printed in every footer."""
    sources: list[Source] = Field(min_length=1)
    """Every work cited, each with a short id that facts name."""

    def title(self, kind: str = "short", lang: str = "en") -> Title:
        """The first title of a kind in a language (falls back to the first English title)."""
        for t in self.titles:
            if t.kind == kind and t.lang == lang:
                return t
        return next(t for t in self.titles if t.lang.startswith("en") or t is self.titles[-1])

    @property
    def expiry(self) -> HistDate | None:
        """Derived: entry into force plus the term, only where the term defines an end (fixed, or
        renewable and not renewed) and entry into force is known."""
        if self.term is None or not self.term.defines_expiry or self.entry_into_force.value is None:
            return None
        return self.entry_into_force.value.add_years(self.term.years)

    @property
    def current_status(self) -> str | None:
        """'in-force', 'ended', 'unknown', or None when the content says nothing."""
        if self.status:
            return self.status
        whole = [e for e in self.ended if e.extent == "whole" and e.confidence != "low"]
        return "ended" if whole else None
