"""Facts by reference: prose says {signing.date} or {people.zhou-enlai}; rendering fills them in."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup, escape

from .dates import MONTHS, HistDate
from .model import (
    Cited,
    DateFact,
    Event,
    Figure,
    Instrument,
    Party,
    Person,
    Source,
    TextFact,
    Title,
    Treaty,
)

REF_RE = re.compile(r"\{([a-z_]+(?:\.[a-z0-9_-]+)*)\}")
# A number that is part of a name is written {name:Resolution 242}: printed as typed, not a figure.
NAME_RE = re.compile(r"\{name:([^{}]{1,120})\}")
HEDGE_OPEN, HEDGE_CLOSE = "\ue000", "\ue001"  # marks a hedge until the page is assembled
# Article numbers may be written out ("Article 1", "Articles 3 and 5"); other digits are facts retyped.
ARTICLE_NUMBERS_RE = re.compile(r"\bArticles? \d+(?:(?:, | and | or )\d+)*")
_NUMBER_WORDS = (
    "three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
    "sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|"
    "ninety|hundred|thousand|million|billion|percent|per cent"
)
# A number word is a figure; capitalised, only at the start of a sentence (not "Three Eastern Provinces").
NUMBER_WORDS_RE = re.compile(rf"\b(?:{_NUMBER_WORDS})\b|(?:^|[.!?;:] +)((?i:{_NUMBER_WORDS}))\b")


class RefError(ValueError):
    """A reference that does not resolve to a printable fact."""


@dataclass(frozen=True)
class Resolved:
    """What a reference points at: the object, its printed text, and the fact that backs it."""

    obj: Any
    text: str
    fact: Any


def _step(obj: Any, part: str, treaty: Treaty, related: dict[str, Treaty]) -> Any:
    if obj is treaty and part == "related":
        return related
    if isinstance(obj, dict):
        if part not in obj:
            raise RefError(f"no related treaty {part!r} is loaded")
        return obj[part]
    if isinstance(obj, list):
        if part.isdigit():
            if int(part) >= len(obj):
                raise RefError(f"there is no item {part}")
            return obj[int(part)]
        for item in obj:
            if getattr(item, "id", None) == part:
                return item
        raise RefError(f"there is no item with id {part!r}")
    name = part.replace("-", "_")
    if not hasattr(obj, name) or name.startswith("_"):
        raise RefError(f"{_kind(obj)} has no field {part!r}")
    return getattr(obj, name)


def resolve(treaty: Treaty, path: str, related: dict[str, Treaty] | None = None) -> Resolved:
    """Follow a dotted reference through the treaty and format what it points at."""
    obj: Any = treaty
    fact: Any = None
    for part in path.split("."):
        obj = _step(obj, part, treaty, related or {})
        if hasattr(obj, "confidence"):
            fact = obj
    if fact is not None and fact.confidence == "low":
        raise RefError("it points at a low-confidence fact, which is never printed")
    if obj is None or getattr(obj, "known", True) is False:
        raise RefError("it is unknown (no source gives it); write the sentence without it")
    if isinstance(obj, Treaty):
        return Resolved(obj, obj.title("short").text, fact)
    return Resolved(obj, _format(obj), fact)


def _format(obj: Any) -> str:
    if isinstance(obj, HistDate):
        return obj.printed()
    if isinstance(obj, DateFact):
        if obj.value is None:
            raise RefError("it is unknown (no source gives it); write the sentence without it")
        return obj.value.printed()
    if isinstance(obj, Event):
        if obj.date is None:
            raise RefError(f"event {obj.id!r} has no date of its own (same_as {obj.same_as})")
        return obj.date.printed()
    if isinstance(obj, (Person, Party)):
        return obj.name
    if isinstance(obj, (Figure, TextFact)):
        return obj.value
    if isinstance(obj, Instrument):
        return obj.title
    if isinstance(obj, Cited):
        return obj.title
    if isinstance(obj, Title):
        return obj.text
    if isinstance(obj, Source):
        return obj.short
    if isinstance(obj, (str, int)) and not isinstance(obj, bool):
        return str(obj)
    raise RefError(f"{_kind(obj)} cannot be printed in text; point at one of its fields")


def _kind(obj: Any) -> str:
    """What an object of the content is, in plain words: 'a signing', 'a list', 'a yes or no'."""
    if isinstance(obj, bool):
        return "a yes or no"
    if obj is None:
        return "nothing"
    if isinstance(obj, (list, tuple, dict)):
        return "a list"
    if isinstance(obj, HistDate):
        return "a date"
    if isinstance(obj, (str, int)):
        return "text" if isinstance(obj, str) else "a number"
    words = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", type(obj).__name__.strip("_")).lower()
    return ("an " if words[0] in "aeiou" else "a ") + words


def _according_to(treaty: Treaty, fact: Any) -> str:
    """'according to X and Y' for a medium-confidence fact; '' for any other."""
    if fact is None or getattr(fact, "confidence", "high") != "medium":
        return ""
    by_id = {  # 'Paine (1996)'; a short name that is a dated item ('JTA, 4 August 1981') stays
        s.id: s.short if "," in s.short else re.sub(r" (\d{4})$", r" (\1)", s.short)
        for s in treaty.sources
    }
    return "according to " + " and ".join(by_id.get(s, s) for s in fact.sources)


def hedge(treaty: Treaty, fact: Any) -> str:
    """The wording a medium-confidence fact is printed with: ' (according to X)'."""
    words = _according_to(treaty, fact)
    return f" ({words})" if words else ""


def hedge_marker(treaty: Treaty, fact: Any) -> str:
    """The hedge as a marker, placed by place_hedges() once the page is assembled."""
    words = _according_to(treaty, fact)
    return f"{HEDGE_OPEN}{words}{HEDGE_CLOSE}" if words else ""


_AFTER_SENTENCE = re.compile(
    rf"([.!?])((?:</?[a-z][^>]*>)*){HEDGE_OPEN}([^{HEDGE_CLOSE}]*){HEDGE_CLOSE}"
)
PREFIX_OPEN, PREFIX_CLOSE = "\ue002", "\ue003"  # a hedge written before its text: moved after it
_BEFORE_TEXT = re.compile(
    rf"{PREFIX_OPEN}([^{PREFIX_CLOSE}]*){PREFIX_CLOSE}([^<]*?)([.!?]?)(?=<|$)"
)
_ANYWHERE = re.compile(rf"{HEDGE_OPEN}([^{HEDGE_CLOSE}]*){HEDGE_CLOSE}")
_AFTER_BRACKET = re.compile(rf"\)((?:</?[a-z][^>]*>)*){HEDGE_OPEN}([^{HEDGE_CLOSE}]*){HEDGE_CLOSE}")


def place_hedges(html: str) -> str:
    """Hedges in plain English: after a sentence, '..., according to X.'; after a bracket, inside
    it, '(1891–1981, according to X)'; after a value, '(according to X)'."""
    html = _BEFORE_TEXT.sub(lambda m: f"{m[2]}, {m[1]}{m[3]}" if m[3] else f"{m[2]} ({m[1]})", html)
    html = _AFTER_SENTENCE.sub(lambda m: f", {m[3]}{m[1]}{m[2]}", html)
    html = _AFTER_BRACKET.sub(lambda m: f", {m[2].replace('(', '').replace(')', '')}){m[1]}", html)
    return _ANYWHERE.sub(lambda m: f" ({m[1]})", html)


def hedge_prefix(treaty: Treaty, fact: Any) -> str:
    """The hedge for text that follows it: place_hedges() moves it to the end of that text,
    '..., according to X.'."""
    words = _according_to(treaty, fact)
    return f"{PREFIX_OPEN}{words}{PREFIX_CLOSE}" if words else ""


def check_prose(treaty: Treaty, text: str, related: dict[str, Treaty] | None = None) -> list[str]:
    """Problems with one prose field: broken references, and facts typed out instead of referred to."""
    problems = []
    for match in REF_RE.finditer(text):
        try:
            resolve(treaty, match[1], related)
        except RefError as exc:
            problems.append(f"{{{match[1]}}} does not resolve: {exc}")
    for match in NAME_RE.finditer(text):
        problems.extend(_check_name(treaty, match[1]))
    plain = ARTICLE_NUMBERS_RE.sub("", REF_RE.sub("", NAME_RE.sub("", text)))
    figure = re.search(r"\d+", plain) or NUMBER_WORDS_RE.search(plain)
    if figure:
        problems.append(
            f"{figure[0].strip(' .!?;:')!r} is a date, year or figure typed into prose; refer to the fact "
            "instead, e.g. {signing.date} or {figures.<id>}"
        )
    for person in treaty.people:
        surname = person.name.split()[-1]
        if re.search(rf"\b{re.escape(surname)}\b", plain):
            problems.append(
                f"{surname!r} names a person typed into prose; write {{people.{person.id}}}"
            )
    return problems


def _check_name(treaty: Treaty, name: str) -> list[str]:
    """A {name:...} must be a name with a number in it, not a date, a count or a person."""
    if re.search(rf"\b(?:{'|'.join(MONTHS)})\b", name) or re.fullmatch(r"[\d\s.,/-]+", name):
        return [f"{{name:{name}}} is a date or a number, not a name; refer to the fact instead"]
    if not re.search(r"\b[A-Z][a-z]", name):
        return [
            f"{{name:{name}}} is not a name (no capitalised word); a count or figure is a "
            "{figures.<id>}"
        ]
    for person in treaty.people:
        if re.search(rf"\b{re.escape(person.name.split()[-1])}\b", name):
            return [f"{{name:{name}}} names a person; write {{people.{person.id}}}"]
    return []


def fill(
    treaty: Treaty,
    text: str,
    related: dict[str, Treaty] | None = None,
    on_fact: Callable[[Any], None] | None = None,
) -> Markup:
    """Prose with every reference replaced by its fact, escaped; dates carry no-break spaces."""
    out, pos = [], 0
    for match in re.finditer(rf"{REF_RE.pattern}|{NAME_RE.pattern}", text):
        out.append(escape(text[pos : match.start()]))
        if match[2] is not None:  # {name:...}: printed as typed
            out.append(escape(match[2]))
            pos = match.end()
            continue
        res = resolve(treaty, match[1], related)
        if on_fact and res.fact is not None:
            on_fact(res.fact)
        # A name is not what a person's or party's confidence is about (life dates, offices are).
        named = isinstance(res.obj, (Person, Party))
        out.append(escape(res.text) + escape("" if named else hedge(treaty, res.fact)))
        pos = match.end()
    out.append(escape(text[pos:]))
    return Markup("").join(out)
