"""Fact integrity: every printed fact traced to a source, checked in both directions."""

from __future__ import annotations

import csv
import re
import shutil
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pikepdf
import pytest
import yaml

from conftest import CONTENT, DOCUMENTS, STUDENT_ARGS, edition_printed, run_cli

# Mirrors, copies and download sites: evidence at best, never citations.
NOT_PUBLISHERS = {
    "iwiki.icu",
    "worddisk.com",
    "quodid.com",
    "wikimili.com",
    "everything.explained.today",
    "iiab.me",
    "fandom.com",
    "wikisum.wiki",
    "fx361.cc",
    "soolun.net",
    "hljszw.org.cn",
    "jxxfw.com",
    "414w.com",
    "61893.com",
    "qnote.qq.com",
    "mmfgw.cn",
    "wenmi.com",
    "3gbook.com",
    "mjjxsw.com",
    "suinian.com",
    "readania.com",
    "yilubbs.com",
    "senqingzn.com",
    "szhgh.com",
    "books.google.com.tw",
    "wikiwand.com",
    "wiki2.org",
    "dbpedia.org",
    "the-uncensored-wiki",
    "worldlibrary.org",
    "z-lib.org",
    "libgen.is",
    "pdfdrive.com",
    "scribd.com",
    "docin.com",
    "doc88.com",
}

MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
DATE_RE = re.compile(
    rf"\b(?:(\d{{1,2}}) )?({MONTHS}) (\d{{4}})\b|\b(1[0-9]{{3}}|20[0-9]{{2}})(?:[–-](\d{{2,4}}))?\b"
)


def _content(slug: str) -> dict:
    return yaml.safe_load((CONTENT / f"{slug}.yaml").read_text(encoding="utf-8"))


def _dates_in(data) -> set[str]:
    """Every date and year the content states: date fields, and years written in source entries."""
    found: set[str] = set()
    if isinstance(data, dict):
        for key, value in data.items():
            if key != "note":  # editors' notes are never printed, so they back nothing
                found |= _dates_in(value)
    elif isinstance(data, list):
        for value in data:
            found |= _dates_in(value)
    elif isinstance(data, int) and 1000 <= data <= 2100:
        found.add(str(data))
    elif isinstance(data, str):
        found |= set(re.findall(r"\b(1[0-9]{3}|20[0-9]{2})\b", data))
        found |= {
            _iso(m[1], m[2], m[3]) for m in DATE_RE.finditer(data) if m[2]
        }  # "11 September 2009"
        if m := re.fullmatch(r"(\d{4})-(\d{2})(?:-(\d{2}))?~?", data.strip()):
            found |= {f"{m[1]}-{m[2]}-{m[3]}" if m[3] else f"{m[1]}-{m[2]}", m[1]}
    return found


def _allowed(slug: str) -> set[str]:
    data = _content(slug)
    allowed = _dates_in(data)
    for rel in data.get("related", []):
        allowed |= _dates_in(_content(rel["slug"]))
    term = data.get("term") or {}
    if term.get("years") and term.get("kind", "fixed") in (
        "fixed",
        "renewable",
    ):  # entry into force + term
        start = data["entry_into_force"]["value"]
        expiry = f"{int(start[:4]) + term['years']}{start[4:]}"
        allowed |= {expiry, expiry[:4], expiry[:7]}
    return allowed | _converted(data)


def _converted(data) -> set[str]:
    """Gregorian equivalents of the dates given in another calendar (printed beside them)."""
    from convertdate import islamic, julian

    found: set[str] = set()
    if isinstance(data, dict):
        calendar = {"julian": julian, "islamic": islamic}.get(str(data.get("calendar")))
        for key, value in data.items():
            if key == "note":
                continue
            if calendar and isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}~?", value):
                y, m, d = calendar.to_gregorian(*map(int, value.rstrip("~").split("-")))
                found |= {f"{y:04d}-{m:02d}-{d:02d}", f"{y:04d}-{m:02d}", str(y)}
            elif isinstance(value, dict) and calendar and "calendar" not in value:
                found |= _converted({**value, "calendar": data["calendar"]})
            else:
                found |= _converted(value)
    elif isinstance(data, list):
        for value in data:
            found |= _converted(value)
    return found


def _iso(day: str | None, month: str, year: str) -> str:
    number = MONTHS.split("|").index(month) + 1
    return f"{year}-{number:02d}-{int(day):02d}" if day else f"{year}-{number:02d}"


@pytest.mark.parametrize("doc", DOCUMENTS, ids="-".join)
def test_every_printed_date_is_a_date_of_the_content(built, doc):
    allowed = _allowed(doc[0])
    text = " ".join(built[doc].raw_text.split())
    text = text.replace(f"Edition of {edition_printed(doc[0])}", "")  # checked in test_metadata
    seen = 0
    for m in DATE_RE.finditer(text):
        seen += 1
        if m[2]:
            assert _iso(m[1], m[2], m[3]) in allowed, (
                f"{m[0]!r} is printed but no content states it"
            )
        else:
            assert m[4] in allowed, f"{m[0]!r} is printed but no content states it"
            if m[5]:
                end = m[5] if len(m[5]) == 4 else m[4][: 4 - len(m[5])] + m[5]
                assert end in allowed, f"{m[0]!r} is printed but no content states it"
    assert seen >= 5


def test_the_date_scan_catches_an_unsourced_date():
    allowed = _allowed("sino-soviet-1950")
    assert "1950-02-14" in allowed and "1980-04-11" in allowed
    m = DATE_RE.search("it expired on 16 February 1979")
    assert _iso(m[1], m[2], m[3]) not in allowed


@pytest.mark.parametrize("slug", ["sino-soviet-1945", "sino-soviet-1950"])
def test_sources_are_publishers_not_mirrors(slug):
    urls = [s["url"] for s in _content(slug)["sources"] if s.get("url")]
    assert urls
    for url in urls:
        host = urlsplit(url).hostname or ""
        assert not any(
            host == bad or host.endswith("." + bad) or bad in host for bad in NOT_PUBLISHERS
        ), url


def _mutant(tmp_path: Path, slug: str, old: str, new: str) -> Path:
    folder = tmp_path / "content"
    if not folder.exists():
        shutil.copytree(CONTENT, folder)
    path = folder / f"{slug}.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


MUTATIONS = {
    # name: (old, new, field the message must name, words it must say)
    "date typed into prose": (
        "arriving on {events.mao-arrives-moscow}",
        "arriving on 16 December 1949",
        "background[1]",
        "typed into prose",
    ),
    "year typed into prose": (
        "that it would not extend the treaty, so it lapsed",
        "in 1979 that it would not extend the treaty, so it lapsed",
        "ended[0].by",
        "typed into prose",
    ),
    "reference to nothing": (
        "{people.mao-zedong} travelled",
        "{people.mao} travelled",
        "background[1]",
        "does not resolve",
    ),
    "unknown source id": (
        "sources: [grips-1950, frus-1950-vi-157, communique-1950]",
        "sources: [grips-1950, frus-1951, communique-1950]",
        "signing.date.sources[1]",
        "not in the sources list",
    ),
    "fact without source": (
        "sources: [grips-1950, frus-1950-vi-157, communique-1950]",
        "sources: []",
        "signing.date.sources",
        "at least 1 item",
    ),
    "swapped dates": (
        "date: '1949-12-16'",
        "date: '1949-12-02'",
        "events[3].date",
        "which it must follow",
    ),
    "shifted expiry": (
        "date: '1980-04-11'\n    by:",
        "date: '1980-04-12'\n    by:",
        "ended[0].date",
        "lapses on 11 April 1980, not 12 April 1980",
    ),
    "death before the signing": (
        "born: '1898-03-05'\n    died: '1976-01-08'",
        "born: '1898-03-05'\n    died: '1949-01-08'",
        "signing.date",
        "could not take part",
    ),
    "event marks a fact that is not there": (
        "same_as: signing.date",
        "same_as: signing.day",
        "events[5].same_as",
        "does not resolve",
    ),
    "event with two dates": (
        "same_as: entry_into_force",
        "same_as: entry_into_force\n    date: '1950-04-11'",
        "events[6]",
        "either date or same_as",
    ),
    "force before signing": (
        "entry_into_force:\n  value: '1950-04-11'",
        "entry_into_force:\n  value: '1950-01-11'",
        "entry_into_force.value",
        "comes before the signing",
    ),
}


@pytest.mark.parametrize("name", MUTATIONS, ids=list(MUTATIONS))
def test_check_catches_mutation(tmp_path, name):
    old, new, field, words = MUTATIONS[name]
    path = _mutant(tmp_path, "sino-soviet-1950", old, new)
    result = run_cli("check", str(path))
    assert result.returncode == 1, result.stdout
    lines = [line for line in result.stderr.splitlines() if f" {field}: " in line]
    assert lines, result.stderr
    assert any(
        words in line and re.match(rf"{re.escape(str(path))}:\d+:\d+: ", line) for line in lines
    ), lines


def test_low_confidence_fact_is_never_printed_and_medium_is_hedged(tmp_path):
    path = _mutant(
        tmp_path,
        "sino-soviet-1950",
        "    people: [zhou-enlai]\n    confidence: medium\n",
        "    people: [zhou-enlai]\n    confidence: low\n",
    )
    out = tmp_path / "out"
    assert run_cli("build", str(path), "--out", str(out), *STUDENT_ARGS).returncode == 0
    from pypdf import PdfReader

    for pdf in (out / "sino-soviet-1950").glob("*.pdf"):
        text = " ".join(" ".join(p.extract_text() for p in PdfReader(pdf).pages).split())
        assert "Instruments of ratification are exchanged in Beijing" not in text


def test_medium_fact_wording_in_the_shipped_documents(built):
    # The exchange of ratifications rests on one source: printed, but only as "according to" it.
    handout = built[("sino-soviet-1950", "handout", "a4")].text
    assert (
        "instruments of ratification are exchanged in beijing, according to the ratification notice."
        in handout
    )
    text = built[("sino-soviet-1945", "fact-sheet", "a4")].text
    assert "declared the treaty abrogated, according to roc ministry of justice." in text
    assert "eight articles (according to" in text


@pytest.mark.parametrize("doc", DOCUMENTS, ids="-".join)
def test_source_urls_are_live_links(built, doc):
    data = _content(doc[0])
    with pikepdf.open(built[doc].path) as pdf:
        uris = {
            unquote(str(a.A.URI))
            for page in pdf.pages
            for a in page.get("/Annots", [])
            if a.get("/Subtype") == "/Link" and "/A" in a and "/URI" in a.A
        }
    cited = {unquote(s["url"]) for s in data["sources"] if s.get("url")}
    assert uris and uris <= cited
    if doc[1] == "handout":  # the full list
        assert uris == cited


def test_fact_report(tmp_path):
    out = tmp_path / "out"
    result = run_cli("facts", str(CONTENT / "sino-soviet-1950.yaml"), "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "signing.date: 14 February 1950" in result.stdout
    with open(out / "sino-soviet-1950" / "sino-soviet-1950-facts.csv", encoding="utf-8") as handle:
        rows = {row["fact"]: row for row in csv.DictReader(handle)}
    assert rows["signing.date"]["sources"] == "grips-1950, frus-1950-vi-157, communique-1950"
    assert "sino-soviet-1950-fact-sheet-a4 p1" in rows["signing.date"]["printed"]
    assert "sino-soviet-1950-handout-a4 p1" in rows["events[mao-leaves-beijing]"]["printed"]
    assert rows["events[ratifications-exchanged]"]["confidence"] == "medium"
    assert rows["expiry (derived: entry into force + term)"]["value"] == "11 April 1980"
    # the answers are printed in the teacher edition; every fact is found somewhere, or the report
    # says why not
    assert "sino-soviet-1950-handout-teacher-a4" in rows["classroom.review[0].answer"]["printed"]
    for name, row in rows.items():
        assert row["printed"] not in ("", "NOT FOUND in any document") or row["why"], name
