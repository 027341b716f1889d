"""The document kinds (fact sheet, handout, ...) and paper sizes, read from templates/documents.yaml."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field

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


class Catalogue(Strict):
    """All paper sizes and document kinds."""

    papers: dict[Slug, Paper]
    kinds: dict[Slug, Kind]


def load_catalogue(templates_dir: Path) -> Catalogue:
    """Read and validate the document catalogue beside the templates."""
    doc = load_yaml(templates_dir / "documents.yaml")
    return Catalogue.model_validate(doc.data)
