"""The document kinds (fact sheet, handout, ...) and paper sizes, read from templates/documents.yaml."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from .model import Slug, Strict, Text
from .yamlload import load_yaml


class Paper(Strict):
    """A paper size, or the screen (a web page has no paper)."""

    label: Text
    css_size: Text | None = None
    """The value of the CSS @page `size` property; none for the screen."""
    mm: tuple[float, float] | None = None
    """Width and height in millimetres, upright."""
    two_up_on: Slug | None = None
    """A half-size paper: its pages are also set two to a landscape sheet of this paper, for class
    sets (one duplex print, cut in half, gives two copies)."""
    screen: bool = False
    """A web page: standalone HTML with screen styles and its fonts beside it, no PDF."""
    use: Text | None = None
    """What its documents are for, as the class pack's index says, where the paper decides it
    (a class set, the web)."""
    stylesheets: list[Text] = []
    """Stylesheets added on this paper (the screen's)."""


class OnPaper(Strict):
    """What changes for a document kind on one paper (a smaller page holds less)."""

    pages: int | None = Field(default=None, strict=True, ge=1)
    max_pages: int | None = Field(default=None, strict=True, ge=1)
    body_sizes: list[Annotated[str, StringConstraints(pattern=r"^\d+(\.\d+)?pt$")]] | None = None
    stylesheets: list[Text] | None = None
    short: list[str] | None = None
    fill: list[str] | None = None


class Kind(Strict):
    """A document kind: its template, stylesheets, exact page count and paper sizes."""

    title: Text
    template: Text
    stylesheets: list[Text] = Field(min_length=1)
    pages: int | None = Field(default=None, strict=True, ge=1)
    """Exactly this many pages, more being an overflow error; none: as many as the content needs
    (up to `max_pages`)."""
    max_pages: int | None = Field(default=None, strict=True, ge=1)
    """With no exact count, at most this many pages."""
    edition: Text | None = None
    """Printed on every page ("Teacher edition"), and part of the document's title."""
    features: list[Literal["answers", "notes", "background"]] = []
    """What the template shows that the student edition leaves out: the review answers, the notes
    for discussion questions, a section of background for the teacher."""
    use: Text = "student"
    """What it is for, as the class pack's index says (student, teacher, large print ...)."""
    pair: bool = False
    """A sheet about two treaties side by side, made for each comparison a content file declares,
    into build/compare/."""
    side_template: Text | None = None
    """For a pair: the template of each treaty's column, rendered with that treaty's own facts,
    citations and sources."""
    on_paper: dict[Slug, OnPaper] = {}
    """Changes on a given paper (a half-size class-set page has more pages, smaller type)."""
    papers: list[Slug] = Field(min_length=1)
    body_sizes: list[Annotated[str, StringConstraints(pattern=r"^\d+(\.\d+)?pt$")]] = []
    """Body text sizes to try, largest first: the first at which the document fits its page count is
    used (copyfitting). Empty: the stylesheet's own size."""
    capacity: int | None = Field(default=None, strict=True, ge=100)
    """About how many characters of text fill one page. A document more than three times that long is
    refused before it is typeset (typesetting it would take long and could not succeed)."""
    short: list[str] = []
    """CSS tried, in turn, when the document has fewer pages than its count (say, starting a part on a
    new page): the first with which it has exactly its count is used."""
    fill: list[str] = []
    """CSS that gives room to spare to the reader (more answer lines, say), most generous first: when the
    document fits with room left on its last page, the first of these with which it still fits is used."""


class Catalogue(Strict):
    """All paper sizes and document kinds."""

    papers: dict[Slug, Paper]
    kinds: dict[Slug, Kind]

    def resolve(self, kind_id: str, paper_id: str) -> Kind:
        """The kind as it is on one paper, its changes for that paper applied."""
        kind = self.kinds[kind_id]
        change = kind.on_paper.get(paper_id)
        if change is None:
            return kind
        update = change.model_dump(exclude_none=True)
        if change.max_pages is not None and change.pages is None:
            update["pages"] = None  # up to a number of pages, where the kind has an exact one
        return kind.model_copy(update=update)


def load_catalogue(templates_dir: Path) -> Catalogue:
    """Read and validate the document catalogue beside the templates."""
    doc = load_yaml(templates_dir / "documents.yaml")
    return Catalogue.model_validate(doc.data)
