"""The types content fields are written in, and the models every fact is built on.

Dates (with `unknown`), slugs, text and prose, language tags and web addresses; a model that refuses
unknown keys; a sourced fact; dates written in another calendar; a sourced date and a sourced text.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, ClassVar, Literal
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

    _date_fields: ClassVar[tuple[str, ...]] = ()
    """The fields holding dates written in `calendar`."""

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
        for k in cls._date_fields:
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
