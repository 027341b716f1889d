"""Render HTML: a treaty and a document kind, through Jinja2 (StrictUndefined, autoescape)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from . import refs
from .content import Loaded
from .documents import Kind, Paper
from .fonts import FontSet
from .model import Treaty
from .scripts import script_run
from .wording import (
    ENDING_WORDS,
    RELATED_ENDING,
    RELATION_LABELS,
    ending_label,
    language_name,
    language_names,
    life_years,
    number_words,
    printed_date,
    term_words,
)


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
    env.filters["date"] = printed_date
    env.filters["words"] = number_words
    env.filters["term_words"] = term_words
    env.filters["life_years"] = life_years
    env.filters["ending_label"] = ending_label
    env.filters["capitalize_first"] = lambda text: text[:1].upper() + text[1:]
    return env


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


def render_html(
    *,
    loaded: Loaded,
    kind_id: str,
    kind: Kind,
    paper_id: str,
    paper: Paper,
    templates_dir: Path,
    other: Loaded | None = None,
) -> str:
    """The HTML of one document: a treaty in one kind on one paper size.

    Rendered twice: the first pass finds which sources the printed facts rest on, so that a
    document listing only its cited sources (the fact sheet) lists exactly those. A pair (a
    comparison sheet) renders each treaty's column so, the earlier signed first, then the page
    around them with the declaring treaty's questions.
    """
    if kind.pair and other is not None and kind.side_template:
        sides = _signing_order(loaded, other)
        columns = [
            Markup(
                _render_twice(
                    side, kind.side_template, templates_dir, kind_id, kind, paper_id, paper
                )
            )
            for side in sides
        ]
        comparison = next(c for c in loaded.treaty.comparisons if c.treaty == other.treaty.slug)
        return _render_twice(
            loaded,
            kind.template,
            templates_dir,
            kind_id,
            kind,
            paper_id,
            paper,
            columns=columns,
            pair=[s.treaty for s in sides],
            comparison=comparison,
        )
    return _render_twice(loaded, kind.template, templates_dir, kind_id, kind, paper_id, paper)


def _signing_order(ours: Loaded, theirs: Loaded) -> list[Loaded]:
    """The earlier signed treaty first; the declaring treaty first when either date is not known."""
    first, second = ours.treaty.signing.date.value, theirs.treaty.signing.date.value
    if first and second and second.earliest() < first.earliest():
        return [theirs, ours]
    return [ours, theirs]


def _render_twice(
    loaded: Loaded,
    template_name: str,
    templates_dir: Path,
    kind_id: str,
    kind: Kind,
    paper_id: str,
    paper: Paper,
    **extra: Any,
) -> str:
    template = environment(templates_dir).get_template(template_name)
    fonts = _fontset(templates_dir.parent / "styles" / "fonts")
    kw = {
        **extra,
        "kind_id": kind_id,
        "kind": kind,
        "paper_id": paper_id,
        "paper": paper,
        "typefaces": fonts.spec.credit,  # the layout the design fixes
        "script_run": lambda text, lang: script_run(text, lang, fonts),
    }
    first = _Citations(loaded.treaty)
    _render(template, loaded, first, set(), **kw)
    return refs.place_hedges(_render(template, loaded, _Citations(loaded.treaty), first.used, **kw))


def _render(
    template: jinja2.Template, loaded: Loaded, citations: _Citations, cited: set[str], **kw: Any
) -> str:
    treaty = loaded.treaty

    def prose(text: str) -> Markup:
        return refs.fill(treaty, text, loaded.related, on_fact=citations.use)

    def hedge(fact: Any) -> str:
        """Placed after the page is assembled: '..., according to X.' after a sentence."""
        citations.use(fact)
        return refs.hedge_marker(treaty, fact)

    def hedge_prefix(fact: Any) -> str:
        citations.use(fact)
        return refs.hedge_prefix(treaty, fact)

    def printable(items: list[Any]) -> list[Any]:
        return [item for item in items if getattr(item, "confidence", "high") != "low"]

    def shown(fact: Any) -> bool:
        """A fact that prints: present, not low, and known (an unknown one prints 'not known')."""
        return fact is not None and getattr(fact, "confidence", "high") != "low"

    def known(fact: Any) -> bool:
        """A fact that prints with a value."""
        return shown(fact) and getattr(fact, "known", True)

    def relation(rel: Any) -> dict[str, Any]:
        """The other instrument: a treaty with its own file (and how its own content says this one
        ended it, if it does), or a cited instrument with its title and date."""
        label = RELATION_LABELS[rel.relation]
        if getattr(rel, "slug", None) is None:
            return {
                "label": label,
                "title": rel.title,
                "date": rel.date,
                "cited": rel,
                "ending": None,
                "words": None,
            }
        other = loaded.related[rel.slug]
        how = RELATED_ENDING.get(rel.relation)
        ending = next((e for e in printable(other.ended) if e.how == how), None)
        return {
            "label": label,
            "title": other.title("short").text,
            "date": other.signing.date.value,
            "cited": None,
            "treaty": other,
            "ending": ending,
            "words": ENDING_WORDS.get(ending.how, ending.how) if ending else None,
        }

    return template.render(
        t=treaty,
        related=loaded.related,
        prose=prose,
        hedge=hedge,
        hedge_prefix=hedge_prefix,
        printable=printable,
        relation=relation,
        shown=shown,
        known=known,
        language_name=language_name,
        language_names=language_names,
        people={p.id: p for p in treaty.people},
        parties={p.id: p for p in treaty.parties},
        cites=citations.cite,
        source_number=citations.numbers,
        sources_by_id={s.id: s for s in treaty.sources},
        cited_sources=[s for s in treaty.sources if s.id in cited],
        **kw,
    )


@lru_cache(maxsize=4)
def _fontset(folder: Path) -> FontSet:
    return FontSet.load(folder)
