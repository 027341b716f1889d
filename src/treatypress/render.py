"""Render HTML: a treaty and a document kind, through Jinja2 (StrictUndefined, autoescape)."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from . import refs
from .content import Loaded
from .dates import HistDate
from .documents import Kind, Paper
from .model import Treaty


@lru_cache(maxsize=8)
def environment(templates_dir: Path) -> jinja2.Environment:
    """The Jinja2 environment: strict about undefined names, escaping everything it prints."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates_dir),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["date"] = _date
    env.filters["words"] = number_words
    return env


_SMALL = ("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
          "fifteen sixteen seventeen eighteen nineteen twenty").split()
_TENS = {30: "thirty", 40: "forty", 50: "fifty", 60: "sixty", 70: "seventy", 80: "eighty", 90: "ninety"}


def number_words(n: int) -> str:
    """Small whole numbers in words, as running text prints them; larger ones as digits."""
    if 0 <= n <= 20:
        return _SMALL[n]
    if n in _TENS:
        return _TENS[n]
    return str(n)


def _date(value: Any) -> Markup:
    date = getattr(value, "value", value)
    if not isinstance(date, HistDate):
        raise TypeError(f"not a date: {value!r}")
    return Markup.escape(date.printed())


LANGUAGE_NAMES = {"zh": "Chinese", "ru": "Russian", "la": "Latin", "mnc": "Manchu", "en": "English",
                  "fr": "French", "de": "German", "ja": "Japanese", "mn": "Mongolian"}
RELATION_LABELS = {"annulled": "Annulled", "annulled-by": "Annulled by", "replaced": "Replaced",
                   "replaced-by": "Replaced by", "related": "See also"}
# How the other treaty's ending reads from this one: "annulled" looks up the other's "annulled" ending.
RELATED_ENDING = {"annulled": "annulled", "replaced": "superseded"}


def language_name(tag: str) -> str:
    """'Chinese' for zh-Hans; the tag itself for a language without a name here."""
    return LANGUAGE_NAMES.get(tag.split("-")[0], tag)


class _Citations:
    """Source numbers (their place in the content's list) and the sources a document cites."""

    def __init__(self, treaty: Treaty) -> None:
        self.numbers = {s.id: i for i, s in enumerate(treaty.sources, 1)}
        self.used: set[str] = set()

    def use(self, fact: Any) -> None:
        """Record that a fact is printed, so its sources are listed."""
        self.used.update(getattr(fact, "sources", ()))
        if translation := getattr(fact, "translation", None):
            self.used.add(translation)

    def cite(self, fact: Any) -> str:
        """' [1, 3]': the numbers of a printed fact's sources."""
        self.use(fact)
        found = sorted({self.numbers[s] for s in fact.sources if s in self.numbers})
        return " [" + ",\u00a0".join(str(n) for n in found) + "]" if found else ""


def render_html(*, loaded: Loaded, kind_id: str, kind: Kind, paper_id: str, paper: Paper,
                templates_dir: Path) -> str:
    """The HTML of one document: a treaty in one kind on one paper size.

    Rendered twice: the first pass finds which sources the printed facts rest on, so that a
    document listing only its cited sources (the fact sheet) lists exactly those.
    """
    template = environment(templates_dir).get_template(kind.template)
    kw = {"kind_id": kind_id, "kind": kind, "paper_id": paper_id, "paper": paper,
          "typefaces": typeface_credit(templates_dir.parent / "styles")}  # the layout the design fixes
    first = _Citations(loaded.treaty)
    _render(template, loaded, first, set(), **kw)
    return _render(template, loaded, _Citations(loaded.treaty), first.used, **kw)


def _render(template: jinja2.Template, loaded: Loaded, citations: _Citations, cited: set[str],
            **kw: Any) -> str:
    treaty = loaded.treaty
    this = {treaty.slug: treaty}

    def prose(text: str) -> Markup:
        return refs.fill(treaty, text, loaded.related, on_fact=citations.use)

    def hedge(fact: Any) -> str:
        citations.use(fact)
        return refs.hedge(treaty, fact)

    def hedge_prefix(fact: Any) -> str:
        citations.use(fact)
        return refs.hedge_prefix(treaty, fact)

    def printable(items: list) -> list:
        return [item for item in items if getattr(item, "confidence", "high") != "low"]

    def relation(rel: Any) -> dict:
        """The other treaty, and how its own content says this one ended it (if it does)."""
        other = loaded.related[rel.slug]
        how = RELATED_ENDING.get(rel.relation)
        ending = next((e for e in printable(other.ended) if e.how == how), None)
        return {"label": RELATION_LABELS[rel.relation], "treaty": other, "ending": ending,
                "by": refs.fill(other, ending.by, this) if ending else None}

    return template.render(
        t=treaty, related=loaded.related, prose=prose, hedge=hedge, hedge_prefix=hedge_prefix,
        printable=printable, relation=relation, language_name=language_name,
        people={p.id: p for p in treaty.people}, parties={p.id: p for p in treaty.parties},
        cites=citations.cite, source_number=citations.numbers,
        sources_by_id={s.id: s for s in treaty.sources},
        cited_sources=[s for s in treaty.sources if s.id in cited], **kw)


@lru_cache(maxsize=4)
def typeface_credit(styles_dir: Path) -> str:
    """The typeface credit for colophons, from styles/fonts/fonts.json."""
    spec = json.loads((styles_dir / "fonts" / "fonts.json").read_text(encoding="utf-8"))
    return spec["credit"]
