"""Render HTML: a treaty and a document kind, through Jinja2 (StrictUndefined, autoescape)."""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import urlsplit
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
    env.filters["host"] = lambda url: urlsplit(url).hostname.removeprefix("www.")
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


class _Citations:
    """Numbers the sources a document cites, in the order of the content's sources list."""

    def __init__(self, treaty: Treaty, cited: set[str] | None) -> None:
        order = [s.id for s in treaty.sources if cited is None or s.id in cited]
        self.numbers = {sid: i for i, sid in enumerate(order, 1)}
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
        found = [str(n) for n in found]
        return " [" + ",\u00a0".join(found) + "]" if found else ""


def render_html(*, loaded: Loaded, kind_id: str, kind: Kind, paper_id: str, paper: Paper,
                templates_dir: Path) -> str:
    """The HTML of one document: a treaty in one kind on one paper size.

    Rendered twice: the first pass finds which sources the printed facts rest on, the second
    numbers and lists exactly those.
    """
    template = environment(templates_dir).get_template(kind.template)
    first = _Citations(loaded.treaty, None)
    _render(template, loaded, first, kind_id=kind_id, kind=kind, paper_id=paper_id, paper=paper)
    second = _Citations(loaded.treaty, first.used)
    return _render(template, loaded, second, kind_id=kind_id, kind=kind, paper_id=paper_id,
                   paper=paper)


def _render(template: jinja2.Template, loaded: Loaded, citations: _Citations, **kw: Any) -> str:
    treaty = loaded.treaty

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

    sources = [s for s in treaty.sources if s.id in citations.numbers]
    return template.render(
        t=treaty, related=loaded.related, prose=prose, hedge=hedge, hedge_prefix=hedge_prefix,
        printable=printable, people={p.id: p for p in treaty.people},
        parties={p.id: p for p in treaty.parties}, cites=citations.cite,
        source_number=citations.numbers, sources_by_id={s.id: s for s in treaty.sources},
        cited_sources=sources, **kw)
