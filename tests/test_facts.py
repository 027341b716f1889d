"""The dates and facts printed in the PDFs are the right ones, read from the PDFs' own text.

Expected facts come from tests/expected_facts.yaml, written from the sources, not from content/.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from conftest import DOCUMENTS

EXPECTED = yaml.safe_load(
    (Path(__file__).with_name("expected_facts.yaml")).read_text(encoding="utf-8")
)


def _fact_cases():
    for slug, facts in EXPECTED["treaties"].items():
        for fact in facts:
            for doc in DOCUMENTS:
                if doc[0] == slug and doc[1] in fact.get("documents", EXPECTED["documents"]):
                    yield pytest.param(doc, fact, id=f"{'-'.join(doc)}-{fact['id']}")


@pytest.mark.parametrize(("doc", "fact"), list(_fact_cases()))
def test_expected_fact_is_printed(built, doc, fact):
    text = built[doc].text
    found = any(phrase.lower() in text for phrase in fact.get("any_of", [])) or (
        "pattern" in fact and re.search(fact["pattern"], text)
    )
    assert found, f"{fact['fact']!r} not found in {built[doc].path.name} (looked for {fact})"


def _never_cases():
    for claim in EXPECTED["never_printed"]:
        for doc in DOCUMENTS:
            if doc[0] in claim.get("treaties", [doc[0]]):
                yield pytest.param(doc, claim, id=f"{'-'.join(doc)}-{claim['id']}")


@pytest.mark.parametrize(("doc", "claim"), list(_never_cases()))
def test_known_error_is_never_printed(built, doc, claim):
    from conftest import normalise

    pdf = built[doc]
    for where, text in (("PDF text", pdf.text), ("HTML", normalise(pdf.html))):
        for pattern in claim["patterns"]:
            assert pattern.lower() not in text, (
                f"{claim['claim']!r} found in {where}: {claim['reason']}"
            )


# Original-language titles as the sources give them, found whole in the PDF's own text (so copied text
# and screen readers get them right). Written from the reference and the treaty texts, not from content.
ORIGINAL_TITLES = {
    "sino-soviet-1950": [
        "中苏友好同盟互助条约",
        "Договор о дружбе, союзе и взаимной помощи между Союзом "
        "Советских Социалистических Республик и Китайской Народной Республикой",
    ],
    "sino-soviet-1945": ["中蘇友好同盟條約"],
    "nato-1949": ["Traité de l’Atlantique Nord|Traité de l'Atlantique Nord"],
    "tordesillas-1494": ["Tratado de Tordesillas", "Tratado de Tordesilhas"],
    # The Arabic and Hebrew titles as the Institute for Palestine Studies' Arabic text and Israel's
    # treaty series (Kitvei Amana) print them (docs/research/egypt-israel-1979.md).
    "egypt-israel-1979": [
        "معاهدة السلام بين جمهورية مصر العربية ودولة إسرائيل",
        "חוזה שלום בין מדינת ישראל ובין הרפובליקה הערבית של מצרים",
    ],
}


@pytest.mark.parametrize("doc", [d for d in DOCUMENTS if d[0] in ORIGINAL_TITLES], ids="-".join)
def test_original_titles_extract_intact(built, doc):
    raw = " ".join(built[doc].raw_text.split())
    for title in ORIGINAL_TITLES[doc[0]]:
        assert any(form in raw for form in title.split("|")), title


def test_expected_facts_cover_what_the_issue_asks():
    ids = {f["id"] for f in EXPECTED["treaties"]["sino-soviet-1950"]}
    for needed in (
        "signed-date",
        "signatory-zhou",
        "signatory-vyshinsky",
        "voids-1945-date",
        "articles",
        "in-force",
    ):
        assert needed in ids
    assert len(EXPECTED["never_printed"]) >= 7
