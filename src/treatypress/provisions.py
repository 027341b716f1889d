"""What the treaty says: its articles and how its text is divided, the figures worth citing, the
instruments signed with it, and a quotation from it."""

from __future__ import annotations

from pydantic import Field

from .fieldtypes import LangTag, Prose, Slug, Sourced, Text


class Article(Sourced):
    """One article (or the preamble), in a plain-language line."""

    number: int | None = Field(default=None, strict=True, ge=1)
    """The article's number; leave it out for the preamble or a summary of several articles."""
    label: Text | None = None
    """Printed instead of a number, e.g. 'Main provisions'; without number or label: 'Preamble'."""
    summary: Prose
    """What the article says, in plain language."""


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
