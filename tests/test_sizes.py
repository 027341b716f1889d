"""Type at the size a student holds, read back from the PDFs (PDFium).

The design asks for body text at 11 pt on the handout and 10-10.5 pt on the fact sheet; everything a
student reads to do the work at 10 pt (handout) or 9.5 pt (fact sheet) or more; reference matter
(sources, footers, labels, citations, credits) at 8 pt or more; lines of running text of at most 80
characters.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest

from conftest import DOCUMENTS
from treatypress.layout import text_lines

READ_MIN = {"handout": 10.0, "fact-sheet": 9.5}
BODY = {"handout": (11.0, 11.0), "fact-sheet": (10.0, 10.5)}
CITATION = re.compile(r"^(\[[\d,\s]+\]\s*)+$")


def _label(text: str) -> bool:
    """Reference matter by its form: capitals (labels), citation marks, numbers, the form's fields."""
    letters = [c for c in text if c.isalpha()]
    return (
        not letters
        or all(c.isupper() for c in letters)
        or bool(CITATION.match(text))
        or text in ("Name", "Class", "Date", "the treaty", "around it")
    )


def _continues(line, credits) -> bool:
    """A line of a credit (the translation's), set under its first line, in its column and size."""
    return any(
        c.page == line.page
        and abs(c.box[0] - line.box[0]) < 2
        and abs(c.size - line.size) < 0.1
        and 0 < c.box[1] - line.box[1] < 3 * c.size
        for c in credits
    )


def _below(line, heads) -> bool:
    """A line at or below one of the headings on its page, in the same column (sources)."""
    return any(
        h.page == line.page
        and line.box[3] <= h.box[3] + 1
        and line.box[0] >= h.box[0] - 2
        and line.box[0] < h.box[0] + 200
        for h in heads
    )


@pytest.mark.parametrize("doc", DOCUMENTS, ids="-".join)
def test_what_a_student_reads_is_at_the_design_size(built, doc):
    kind = doc[1]
    lines = text_lines(pdf=built[doc].path)
    assert min(line.size for line in lines) >= 8.0 - 0.01
    # Reference matter by place: the sources (list or line), credits, and the running footer.
    heads = [line for line in lines if line.text == "SOURCES" or line.text.startswith("Sources:")]
    credits = [line for line in lines if line.text.startswith("Translation:")]
    small = []
    for line in lines:
        reference = (
            _below(line, heads)
            or line.box[3] < 72  # the footer, in the bottom margin
            or line.text.startswith(("Translation:", "Set in"))
            or _continues(line, credits)
        )
        for size, text in line.runs:
            if size < READ_MIN[kind] - 0.01 and not reference and not _label(text):
                small.append((round(size, 1), text, line.text))
    assert not small, small[:8]
    sized = Counter()
    for line in lines:
        for size, text in line.runs:
            sized[round(size, 1)] += len(text)
    low, high = BODY[kind]
    assert any(low <= size <= high for size in sized), (
        f"no text at the body size {low}-{high} pt: {sized}"
    )


@pytest.mark.parametrize("doc", DOCUMENTS, ids="-".join)
def test_running_text_lines_are_at_most_80_characters(built, doc):
    lines = text_lines(pdf=built[doc].path)
    title_bottom = min(line.box[1] for line in lines if line.page == 1 and line.size > 15)  # the h1
    rule = max(
        (
            line.box[1]
            for line in lines
            if line.page == 1 and line.text.startswith(("KEY FACTS", "SIGNED"))
        ),
        default=title_bottom,
    )
    long = [
        line.text
        for line in lines
        if line.size >= READ_MIN[doc[1]] - 0.01
        and len(line.text) > 80
        and not (line.page == 1 and line.box[1] >= rule)
    ]  # the title block: titles, not running text
    assert not long, long
