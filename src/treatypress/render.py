"""Render HTML: a treaty and a document kind, through Jinja2 (StrictUndefined, autoescape)."""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from . import fonts as fonts_module
from . import refs
from .content import Loaded
from .dates import HistDate
from .documents import Kind, Paper
from .fonts import FontSet
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
    env.filters["term_words"] = term_words
    env.filters["life_years"] = life_years
    env.filters["ending_label"] = ending_label
    env.filters["capitalize_first"] = lambda text: text[:1].upper() + text[1:]
    return env


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


def _date(value: Any) -> Markup:
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


def term_words(term: Any, short: bool = False, words: Any = None) -> str:
    """The term in plain words: '30 years, renewed 5 years at a time unless ...', 'no fixed term ...'."""
    words = words or number_words
    years = lambda n: f"{words(n)} year{'s' if n != 1 else ''}"  # noqa: E731
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


# How the other treaty's ending reads from this one: "annulled" looks up the other's "annulled" ending.
RELATED_ENDING = {"annulled": "annulled", "replaced": "superseded"}
ENDING_WORDS = {"annulled": "void from", "superseded": "superseded from"}


@lru_cache(maxsize=256)
def language_name(tag: str, full: bool = False) -> str:
    """The language's English name from CLDR ('Chinese' for zh-Hans; with `full`, 'Chinese
    (Traditional)' for zh-Hant); the tag itself if CLDR has none."""
    from babel import Locale, UnknownLocaleError

    if full:
        try:
            return Locale.parse(tag, sep="-").get_display_name("en") or tag
        except (ValueError, UnknownLocaleError):
            pass
    return Locale("en").languages.get(tag.split("-")[0].lower(), tag)


def language_names(tags: list[str]) -> list[str]:
    """Names for a list of language tags, in full where a shorter name would repeat."""
    short = [language_name(t) for t in tags]
    return [
        language_name(t, full=True) if short.count(name) > 1 else name
        for t, name in zip(tags, short, strict=False)
    ]


def direction(text: str) -> str:
    """'rtl' when the text's first strong character is right-to-left (Arabic, Hebrew ...), else 'ltr'."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return "rtl"
        if kind == "L":
            return "ltr"
    return "ltr"


COLUMN_EM = 24.0  # the longest column of vertical text, in ems of its own size
THICKNESS_EM = 1.7  # the width of one column


def script_run(text: str, lang: str, fonts: FontSet) -> Markup:
    """Text in another language, marked with its language and direction and isolated from its
    neighbours; a vertical script (Mongolian, Manchu) is set in columns read top to bottom, left to
    right, each a line turned a quarter clockwise."""
    face = fonts_module.vertical_face(fonts, text)
    if face is None:
        return Markup('<span class="run" lang="{}" dir="{}">{}</span>').format(
            lang, direction(text), text
        )
    columns, line, length = [], [], 0.0
    for word in text.split():
        size = fonts_module.advance_em(fonts, face, word + " ") * 1.08  # shaping may widen a little
        if line and length + size > COLUMN_EM:
            columns.append((" ".join(line), length))
            line, length = [], 0.0
        line.append(word)
        length += size
    if line:
        columns.append((" ".join(line), length))
    out = Markup('<span class="vertical" lang="{}">').format(lang)
    for words, length in columns:
        out += Markup(
            '<span class="column" style="width: {t}em; height: {h:.2f}em">'
            '<span class="turned" style="width: {h:.2f}em; left: {t}em">{w}</span></span>'
        ).format(t=THICKNESS_EM, h=length, w=words)
    return out + Markup("</span>")


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
        sides = sorted((loaded, other), key=lambda x: x.treaty.signing.date.value.earliest())
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
    this = {treaty.slug: treaty}

    def prose(text: str) -> Markup:
        return refs.fill(treaty, text, loaded.related, on_fact=citations.use)

    def hedge(fact: Any) -> str:
        """Placed after the page is assembled: '..., according to X.' after a sentence."""
        citations.use(fact)
        return refs.hedge_marker(treaty, fact)

    def hedge_prefix(fact: Any) -> str:
        citations.use(fact)
        return refs.hedge_prefix(treaty, fact)

    def printable(items: list) -> list:
        return [item for item in items if getattr(item, "confidence", "high") != "low"]

    def shown(fact: Any) -> bool:
        """A fact that prints: present, not low, and known (an unknown one prints 'not known')."""
        return fact is not None and getattr(fact, "confidence", "high") != "low"

    def known(fact: Any) -> bool:
        """A fact that prints with a value."""
        return shown(fact) and getattr(fact, "known", True)

    def relation(rel: Any) -> dict:
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
                "by": None,
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
            "by": refs.fill(other, ending.by, this) if ending else None,
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
