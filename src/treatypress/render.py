"""Render HTML: a treaty and a document kind, through Jinja2 (StrictUndefined, autoescape)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from . import refs
from .content import Loaded
from .dates import HistDate
from .documents import Kind, Paper


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
    return Markup('<span class="date">') + Markup.escape(date.printed()) + Markup("</span>")


def render_html(*, loaded: Loaded, kind_id: str, kind: Kind, paper_id: str, paper: Paper,
                templates_dir: Path) -> str:
    """The HTML of one document: a treaty in one kind on one paper size."""
    treaty = loaded.treaty

    def prose(text: str) -> Markup:
        return refs.fill(treaty, text, loaded.related)

    def hedge(fact: Any) -> str:
        return refs.hedge(treaty, fact)

    def hedge_prefix(fact: Any) -> str:
        return refs.hedge_prefix(treaty, fact)

    def printable(items: list) -> list:
        return [item for item in items if getattr(item, "confidence", "high") != "low"]

    numbers = {s.id: i for i, s in enumerate(treaty.sources, 1)}

    def cites(fact: Any) -> str:
        found = [str(numbers[s]) for s in fact.sources if s in numbers]
        return f" [{', '.join(found)}]" if found else ""

    template = environment(templates_dir).get_template(kind.template)
    return template.render(
        t=treaty, related=loaded.related, kind=kind, kind_id=kind_id, paper=paper,
        paper_id=paper_id, prose=prose, hedge=hedge, hedge_prefix=hedge_prefix, printable=printable,
        people={p.id: p for p in treaty.people},
        parties={p.id: p for p in treaty.parties},
        source_number=numbers, sources_by_id={s.id: s for s in treaty.sources}, cites=cites,
    )
