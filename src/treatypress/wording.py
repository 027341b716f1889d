"""How facts read in running text: number words, dates, terms, life years, ending and relation
labels, language names."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any

from markupsafe import Markup

from .dates import HistDate

_SMALL = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
]
_TENS = {
    30: "thirty",
    40: "forty",
    50: "fifty",
    60: "sixty",
    70: "seventy",
    80: "eighty",
    90: "ninety",
}


def number_words(n: int) -> str:
    """Small whole numbers in words, as running text prints them; larger ones as digits."""
    if 0 <= n <= 20:
        return _SMALL[n]
    if n in _TENS:
        return _TENS[n]
    return str(n)


def printed_date(value: Any) -> Markup:
    """A date fact, a dated item or a date as printed; 'not known' when there is none."""
    date = getattr(value, "value", getattr(value, "date", value))
    if date is None:
        return Markup("not known")
    if not isinstance(date, HistDate):
        raise TypeError(f"not a date: {value!r}")
    return Markup.escape(date.printed())


RELATION_LABELS = {
    "annulled": "Annulled",
    "annulled-by": "Annulled by",
    "replaced": "Replaced",
    "replaced-by": "Replaced by",
    "superseded": "Superseded",
    "superseded-by": "Superseded by",
    "partly-superseded-by": "Partly superseded by",
    "amended-by": "Amended by",
    "amends": "Amends",
    "preceded-by": "Preceded by",
    "followed-by": "Followed by",
    "related": "See also",
}
ENDING_LABELS = {
    "expired": "Expired",
    "lapsed": "Lapsed",
    "terminated-by-notice": "Terminated by notice",
    "terminated": "Terminated",
    "denounced": "Denounced",
    "superseded": "Superseded",
    "annulled": "Annulled",
    "abrogated": "Abrogated",
}
# How the other treaty's ending reads from this one: "annulled" looks up the other's "annulled" ending.
RELATED_ENDING = {"annulled": "annulled", "replaced": "superseded"}
ENDING_WORDS = {"annulled": "void from", "superseded": "superseded from"}


def ending_label(end: Any) -> str:
    """'Annulled', 'Partly superseded' ...: how an ending reads as a label."""
    label = ENDING_LABELS[end.how]
    return f"Partly {label.lower()}" if end.extent == "part" else label


def life_years(person: Any) -> str:
    """'1898–1976', 'c. 1636–1703', 'born 1898', '?–1703': a person's years, circa kept."""
    born = person.born.year_text() if person.born else "?"
    if person.died:
        return f"{born}–{person.died.year_text()}"
    return f"born {born}" if person.born else ""


def term_words(term: Any, short: bool = False, words: Callable[[int], str] | None = None) -> str:
    """The term in plain words: '30 years, renewed 5 years at a time unless ...', 'no fixed term ...'."""
    say = words or number_words

    def years(n: int) -> str:
        return f"{say(n)} year{'s' if n != 1 else ''}"

    if short and term.kind in ("fixed", "renewable"):
        return f"for {term.years} years"
    if term.kind == "fixed":
        return f"{years(term.years)}"
    if term.kind == "renewable":
        text = f"{years(term.years)}, renewed {years(term.renewal_years)} at a time"
        if term.notice_years:
            text += f" unless notice was given {years(term.notice_years)} before expiry"
        return text
    if term.kind == "until-notice":
        return (
            f"no fixed term; a party may withdraw {years(term.notice_years)} after notice, "
            f"after {years(term.years)}"
        )
    if term.kind == "indefinite":
        notice = (
            f"; a party may withdraw on {years(term.notice_years)}' notice"
            if term.notice_years
            else ""
        )
        return "no fixed term (indefinite)" + notice
    return "none stated in the text"


@lru_cache(maxsize=256)
def language_name(tag: str, full: bool = False) -> str:
    """The language's English name from CLDR ('Chinese' for zh-Hans; with `full`, 'Chinese
    (Traditional)' for zh-Hant); the tag itself if CLDR has none."""
    from babel import Locale, UnknownLocaleError

    if full:
        try:
            return str(Locale.parse(tag, sep="-").get_display_name("en") or tag)
        except (ValueError, UnknownLocaleError):
            pass
    return str(Locale("en").languages.get(tag.split("-")[0].lower(), tag))


def language_names(tags: list[str]) -> list[str]:
    """Names for a list of language tags, in full where a shorter name would repeat."""
    short = [language_name(t) for t in tags]
    return [
        language_name(t, full=True) if short.count(name) > 1 else name
        for t, name in zip(tags, short, strict=False)
    ]
