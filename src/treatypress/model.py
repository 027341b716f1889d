"""The content schema: one treaty, its facts, their sources, and classroom material.

Every field is documented where it is declared (here, and in the modules of its parts); `treatypress schema` exports the JSON Schema that editors use.
"""

from __future__ import annotations

from typing import Literal

from pydantic import ConfigDict, Field

from .dates import Calendar, HistDate
from .fieldtypes import (
    DATE_PATTERN,
    PATTERN_WORDS,
    REF_PATTERN,
    UNKNOWN,
    Confidence,
    Date,
    DateFact,
    InCalendar,
    LangTag,
    MaybeDate,
    Prose,
    Slug,
    Sourced,
    Strict,
    Text,
    TextFact,
    Url,
)
from .lifecycle import MAX_TERM_YEARS, Cited, Ending, EndingHow, Related, Relation, Term, TermKind
from .people import Accession, NativeName, Participant, Party, Person, Signatory, Signing
from .provisions import Article, Figure, Instrument, Quotation, Structure
from .timeline import Event

__all__ = [
    "DATE_PATTERN",
    "MAX_TERM_YEARS",
    "PATTERN_WORDS",
    "REF_PATTERN",
    "UNKNOWN",
    "Accession",
    "Article",
    "Calendar",
    "Cited",
    "Confidence",
    "Date",
    "DateFact",
    "Ending",
    "EndingHow",
    "Event",
    "Figure",
    "HistDate",
    "InCalendar",
    "Instrument",
    "LangTag",
    "MaybeDate",
    "NativeName",
    "Participant",
    "Party",
    "Person",
    "Prose",
    "Quotation",
    "Related",
    "Relation",
    "Signatory",
    "Signing",
    "Slug",
    "Source",
    "Sourced",
    "Strict",
    "Structure",
    "Term",
    "TermKind",
    "Text",
    "TextFact",
    "Title",
    "Treaty",
    "Url",
]


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
    """Printed in the teacher edition, on the answer lines; never on the student handout."""
    lines: int = Field(default=2, strict=True, ge=1, le=8)
    """Answer lines to print."""


class DiscussionQuestion(Strict):
    """A discussion question with notes for the teacher (printed in the teacher edition only)."""

    question: Prose
    """The question, as students read it."""
    notes: Prose
    """What a good discussion reaches, for the teacher."""


class Classroom(Strict):
    """Teaching material for the handout."""

    objectives: list[Text] = Field(min_length=1, max_length=4)
    """What students will be able to do, one to four lines."""
    key_terms: list[Term_] = Field(min_length=1)
    """Words students need, with definitions."""
    discussion: list[Prose | DiscussionQuestion] = Field(min_length=1)
    """Questions for class discussion: the question alone, or with notes for the teacher."""
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


class Comparison(Strict):
    """A sheet setting this treaty beside another with its own content file, and what to ask."""

    treaty: Slug
    """The other treaty's slug (its content file is in the same folder)."""
    questions: list[Prose] = Field(min_length=2, max_length=4)
    """Questions asking students to compare the two."""


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
    comparisons: list[Comparison] = []
    """Comparison sheets: this treaty beside another, with questions that ask students to compare."""
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
        term, start = self.term, self.entry_into_force.value
        if term is None or not term.defines_expiry or term.years is None or start is None:
            return None  # (a term that defines an end always gives its years)
        return start.add_years(term.years)

    @property
    def current_status(self) -> str | None:
        """'in-force', 'ended', 'unknown', or None when the content says nothing."""
        if self.status:
            return self.status
        whole = [e for e in self.ended if e.extent == "whole" and e.confidence != "low"]
        return "ended" if whole else None
