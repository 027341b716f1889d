"""The document kinds (fact sheet, handout, ...) and paper sizes, read from templates/documents.yaml."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from pydantic import Field, StringConstraints

from .model import Slug, Strict, Text
from .yamlload import load_yaml


class Paper(Strict):
    """A paper size."""

    label: Text
    css_size: Text
    """The value of the CSS @page `size` property."""


class Kind(Strict):
    """A document kind: its template, stylesheets, exact page count and paper sizes."""

    title: Text
    template: Text
    stylesheets: list[Text] = Field(min_length=1)
    pages: int = Field(strict=True, ge=1)
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


def load_catalogue(templates_dir: Path) -> Catalogue:
    """Read and validate the document catalogue beside the templates."""
    doc = load_yaml(templates_dir / "documents.yaml")
    return Catalogue.model_validate(doc.data)
