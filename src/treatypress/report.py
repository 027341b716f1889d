"""The fact report for editors: every fact, its source and confidence, and where it is printed."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel
from pypdf import PdfReader

from .dates import HistDate
from .model import (
    Accession,
    Article,
    Cited,
    DateFact,
    Ending,
    Event,
    Figure,
    Instrument,
    Participant,
    Party,
    Person,
    Quotation,
    Signatory,
    Sourced,
    Structure,
    Term,
    TextFact,
    Title,
    Treaty,
)
from .wording import number_words, term_words

COLUMNS = ("fact", "value", "sources", "confidence", "printed", "why")
LOW = "low confidence: never printed"
MISSING = "NOT FOUND in any document"


@dataclass(frozen=True)
class FactRow:
    """One fact: where it lives in the content, what it says, what backs it, where it is printed."""

    fact: str
    value: str
    sources: str
    confidence: str
    needles: tuple[str, ...]
    printed: tuple[str, ...] = ()
    why: str = ""
    """Why the content does not print it (low confidence, teacher edition); empty otherwise."""


def _plain_stretch(prose: str, length: int = 30) -> str:
    """The start of the longest stretch of prose with no reference in it: text printed as typed."""
    stretches = [part.strip() for part in re.split(r"\{[^}]*\}", prose)]
    return max(stretches, key=len)[:length]


def _date(d: HistDate | None) -> str:
    return d.format() if d is not None else "not known"


def _describe(obj: object) -> tuple[str, tuple[str, ...]] | None:
    """The fact's value as text, and the strings that show it is printed."""
    if isinstance(obj, DateFact):
        return _date(obj.value), (_date(obj.value),)
    if isinstance(obj, Accession):
        return f"{obj.name} acceded {_date(obj.date)}", (obj.name,)
    if isinstance(obj, Participant):
        return f"{obj.person}, {obj.role}: {obj.office}", (obj.office,)
    if isinstance(obj, Cited):
        return f"{obj.relation}: {obj.title} ({_date(obj.date)})", (obj.title,)
    if isinstance(obj, TextFact):
        return obj.value, (obj.value,)
    if isinstance(obj, Title):
        return f"{obj.text} ({obj.lang}, {obj.kind})", (obj.text,)
    if isinstance(obj, Party):
        return f"{obj.name}; {obj.government}", (obj.name,)
    if isinstance(obj, Person):
        life = f"{_date(obj.born)} – {_date(obj.died) if obj.died else ''}"
        return f"{obj.name} ({life}){'; ' + obj.role if obj.role else ''}", (obj.name,)
    if isinstance(obj, Signatory):
        return f"{obj.person} for {obj.party}: {obj.office}", (obj.office,)
    if isinstance(obj, Event):
        return f"{_date(obj.date)}: {obj.text}", (_date(obj.date),)
    if isinstance(obj, Term):
        words = term_words(obj)
        needles = (
            (words, f"{obj.years} years", f"{number_words(obj.years)} years")
            if obj.years
            else (words,)
        )
        return f"{obj.kind}: {words}", needles
    if isinstance(obj, Structure):
        words = f"{number_words(obj.articles)} articles"
        return words, (words, f"{obj.articles} articles")
    if isinstance(obj, Figure):
        return f"{obj.label}: {obj.value}", (obj.value,)
    if isinstance(obj, (Instrument,)):
        return obj.title, (obj.title,)
    if isinstance(obj, Ending):
        return f"{obj.how} {_date(obj.date)}", (_date(obj.date),)
    if isinstance(obj, Article):
        label = f"Article {obj.number}" if obj.number else (obj.label or "Preamble")
        return label, (_plain_stretch(obj.summary),)
    if isinstance(obj, Quotation):
        return obj.text, (obj.text[:50],)
    return None


def facts(treaty: Treaty) -> Iterator[FactRow]:
    """Every sourced fact of a treaty, in the order of the content file."""
    for loc, obj in _sourced(treaty):
        described = _describe(obj)
        if described is None:
            continue
        value, needles = described
        yield FactRow(
            loc,
            value,
            ", ".join(obj.sources),
            obj.confidence,
            needles,
            why=LOW if obj.confidence == "low" else "",
        )
    if treaty.expiry is not None:
        yield FactRow(
            "expiry (derived: entry into force + term)",
            _date(treaty.expiry),
            "derived",
            "derived",
            (_date(treaty.expiry),),
        )
    for i, q in enumerate(treaty.classroom.review):  # in the teacher edition
        yield FactRow(
            f"classroom.review[{i}].answer", q.answer, "", "", (_plain_stretch(q.answer),)
        )


def _sourced(obj: object, name: str = "") -> Iterator[tuple[str, Sourced]]:
    if isinstance(obj, Sourced):
        yield name, obj
    if isinstance(obj, BaseModel):
        for field in type(obj).model_fields:
            yield from _sourced(getattr(obj, field), f"{name}.{field}" if name else field)
    elif isinstance(obj, list):
        for i, item in enumerate(obj):
            yield from _sourced(item, f"{name}[{getattr(item, 'id', None) or i}]")


def _normal(text: str) -> str:
    text = re.sub("\u2010\\s*\n\\s*", "", text)
    return re.sub(r"\s+", " ", text).lower()


def locate(rows: list[FactRow], pdfs: list[Path]) -> list[FactRow]:
    """Fill in where each fact is printed: 'fact-sheet-a4 p1', ... (found in the PDFs' own text)."""
    pages = []
    for pdf in pdfs:
        for number, page in enumerate(PdfReader(pdf).pages, 1):
            text = _normal(page.extract_text())
            # The list of sources names works, not facts: a title found there is not a fact printed.
            cut = max(text.rfind("sources:"), text.rfind(" sources "))
            pages.append((f"{pdf.stem} p{number}", text[:cut] if cut >= 0 else text))
    located = []
    for row in rows:
        needles = [_normal(n) for n in row.needles if n.strip()]
        where = tuple(name for name, text in pages if any(n in text for n in needles))
        located.append(
            FactRow(row.fact, row.value, row.sources, row.confidence, row.needles, where, row.why)
        )
    return located


def to_csv(rows: list[FactRow]) -> str:
    """The report as CSV: fact, value, sources, confidence, printed (or 'not printed')."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in rows:
        printed = "; ".join(row.printed) or ("not printed" if row.why else MISSING)
        writer.writerow([row.fact, row.value, row.sources, row.confidence, printed, row.why])
    return buffer.getvalue()


def to_text(slug: str, rows: list[FactRow]) -> str:
    """The report for a terminal, one block per fact."""
    lines = [f"# {slug}: {len(rows)} facts, {sum(not r.printed for r in rows)} printed nowhere"]
    for row in rows:
        lines.append(f"{row.fact}: {row.value}")
        lines.append(f"    source: {row.sources} · confidence: {row.confidence}")
        where = ", ".join(row.printed) or (f"not printed: {row.why}" if row.why else MISSING)
        lines.append(f"    printed: {where}")
    return "\n".join(lines) + "\n"
