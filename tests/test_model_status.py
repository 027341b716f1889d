"""Status and term, unknown values, people's roles, cited instruments, calendars, names and hedges."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from conftest import ROOT
from treatypress import refs
from treatypress.content import load_treaty
from treatypress.dates import Calendar, HistDate
from treatypress.documents import load_catalogue
from treatypress.errors import ContentError
from treatypress.render import render_html

BASE = ROOT / "tests" / "fixtures" / "valid" / "nerchinsk-1689.yaml"


def _treaty(tmp_path: Path, **changes) -> Path:
    data = yaml.safe_load(BASE.read_text(encoding="utf-8"))
    for key, value in changes.items():
        target = data
        *path, last = key.split("__")
        for part in path:
            target = target[int(part)] if part.isdigit() else target[part]
        target[last] = value
    path = tmp_path / "nerchinsk-1689.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def _html(path: Path, kind: str = "fact-sheet") -> str:
    catalogue = load_catalogue(ROOT / "templates")
    html = render_html(
        loaded=load_treaty(path),
        kind_id=kind,
        kind=catalogue.kinds[kind],
        paper_id="a4",
        paper=catalogue.papers["a4"],
        templates_dir=ROOT / "templates",
    )
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html)).replace("\u00a0", " ")


def test_initial_period_then_notice_prints_no_fixed_term_and_derives_no_expiry(tmp_path):
    path = _treaty(
        tmp_path,
        term={"kind": "until-notice", "years": 20, "notice_years": 1, "sources": ["britannica"]},
        status="in-force",
    )
    treaty = load_treaty(path).treaty
    assert treaty.expiry is None
    for kind in ("fact-sheet", "handout"):
        text = _html(path, kind)
        assert "for 20 years" not in text and "for twenty years" not in text
        assert (
            "no fixed term; a party may withdraw one year after notice, after twenty years"
            in text.lower()
        )
    assert "In force since 27 August 1689" in _html(path, "handout")


def test_renewable_term_expires_only_when_not_renewed(tmp_path):
    term = {"kind": "renewable", "years": 10, "renewal_years": 5, "sources": ["britannica"]}
    assert load_treaty(_treaty(tmp_path, term=term)).treaty.expiry is None
    assert load_treaty(_treaty(tmp_path, term={**term, "renewed": False})).treaty.expiry is not None
    assert (
        load_treaty(
            _treaty(tmp_path, term={"kind": "indefinite", "sources": ["britannica"]})
        ).treaty.expiry
        is None
    )


def test_status_must_agree_with_the_endings(tmp_path):
    ended = [
        {
            "how": "terminated-by-notice",
            "date": "1700",
            "by": "Russia gave notice.",
            "sources": ["britannica"],
        }
    ]
    with pytest.raises(ContentError, match="says in force"):
        load_treaty(_treaty(tmp_path, status="in-force", ended=ended))
    assert "Terminated by notice" in _html(_treaty(tmp_path, ended=ended))


def test_unknown_entry_into_force_prints_not_known_and_low_place_never_prints(tmp_path):
    path = _treaty(
        tmp_path,
        entry_into_force={"value": "unknown", "sources": ["britannica"]},
        signing__place={"value": "Selenginsk", "confidence": "low", "sources": ["britannica"]},
    )
    text = _html(path)
    assert "Date not known" in text and "Selenginsk" not in text


def test_unknown_fact_cannot_be_referred_to_in_prose(tmp_path):
    path = _treaty(
        tmp_path,
        entry_into_force={"value": "unknown", "sources": ["britannica"]},
        background=["It entered into force on {entry_into_force}."],
    )
    with pytest.raises(ContentError, match="unknown"):
        load_treaty(path)


def test_witness_prints_in_the_key_facts(tmp_path):
    people = yaml.safe_load(BASE.read_text(encoding="utf-8"))["people"]
    people.append(
        {
            "id": "gerbillon",
            "name": "Jean-François Gerbillon",
            "born": "1654",
            "died": "1707",
            "sources": ["britannica"],
        }
    )
    path = _treaty(
        tmp_path,
        people=people,
        signing__participants=[
            {
                "person": "gerbillon",
                "role": "interpreter",
                "office": "Jesuit interpreter",
                "sources": ["britannica"],
            },
            {
                "person": "songgotu",
                "role": "witness",
                "office": "Imperial envoy",
                "sources": ["britannica"],
            },
        ],
    )
    text = _html(path)
    assert "Interpreters Jean-François Gerbillon (1654–1707), Jesuit interpreter" in text
    assert "Witnessed by Songgotu (c. 1636–1703)" in text


def test_cited_instrument_prints_with_its_date(tmp_path):
    path = _treaty(
        tmp_path,
        cited=[
            {
                "id": "kyakhta",
                "title": "Treaty of Kyakhta",
                "date": "1727",
                "relation": "followed-by",
                "sources": ["britannica"],
            }
        ],
    )
    assert "Followed by the Treaty of Kyakhta (1727)" in _html(path)


def test_hijri_dates_are_converted_by_convertdate():
    date = HistDate.parse("1188-05-12", calendar=Calendar.islamic)
    assert date.format() == "12 Jumada al-Ula 1188 AH (Hijri; 21 July 1774 Gregorian)"
    assert HistDate.parse("1689-08-27", calendar=Calendar.julian).gregorian().iso() == "1689-09-06"
    with pytest.raises(ValueError, match="Safar 1188 AH has no day 30"):
        HistDate.parse("1188-02-30", calendar=Calendar.islamic)


def test_a_reference_to_an_event_without_a_date_is_a_ref_error():
    treaty = load_treaty(BASE).treaty
    event = treaty.events[0].model_copy(update={"date": None, "same_as": "signing.date"})
    treaty = treaty.model_copy(update={"events": [event, *treaty.events[1:]]})
    with pytest.raises(refs.RefError, match="has no date of its own"):
        refs.resolve(treaty, f"events.{event.id}")
    problems = refs.check_prose(treaty, f"It began on {{events.{event.id}}}.")
    assert problems and "has no date of its own" in problems[0]


def test_a_number_in_a_name_is_allowed_but_dates_counts_and_people_are_not():
    treaty = load_treaty(BASE).treaty
    assert refs.check_prose(treaty, "It cites {name:Resolution 242}.") == []
    assert str(refs.fill(treaty, "It cites {name:Resolution 242}.")) == "It cites Resolution 242."
    for bad in (
        "{name:14 February 1950}",
        "{name:300 million}",
        "{name:Songgotu 1}",
        "in 1689",
        "three envoys",
    ):
        assert refs.check_prose(treaty, f"It cites {bad}."), bad


def test_hedges_read_as_plain_english():
    html = refs.place_hedges(
        f"<li>The frontier.{refs.HEDGE_OPEN}according to Du Halde (1735){refs.HEDGE_CLOSE}"
        f"</li><span>{refs.PREFIX_OPEN}according to Paine (1996){refs.PREFIX_CLOSE}"
        "The Treaty is signed.</span>"
    )
    assert "The frontier, according to Du Halde (1735).</li>" in html
    assert "The Treaty is signed, according to Paine (1996).</span>" in html
    # after a bracket, inside it: no second pair of brackets
    html = refs.place_hedges(
        f"Wang Shijie (1891–1981){refs.HEDGE_OPEN}according to Boorman{refs.HEDGE_CLOSE}, Minister"
    )
    assert html == "Wang Shijie (1891–1981, according to Boorman), Minister"


def test_shipped_medium_facts_read_as_plain_english():
    html = _html(ROOT / "content" / "sino-soviet-1950.yaml", "handout")
    assert (
        "Instruments of ratification are exchanged in Beijing, according to the ratification notice."
        in html
    )
    html = _html(ROOT / "content" / "sino-soviet-1945.yaml", "fact-sheet")
    assert "declared the treaty abrogated, according to ROC Ministry of Justice." in html
