"""Where a project's content, templates, styles and output live."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Project:
    """The folders of one treatypress project."""

    root: Path

    @property
    def content_dir(self) -> Path:
        """content/: one YAML file a treaty."""
        return self.root / "content"

    @property
    def templates_dir(self) -> Path:
        """templates/: Jinja2 templates and documents.yaml."""
        return self.root / "templates"

    @property
    def styles_dir(self) -> Path:
        """styles/: stylesheets and bundled fonts, the only files a document may load."""
        return self.root / "styles"

    @property
    def build_dir(self) -> Path:
        """build/: generated output, never committed."""
        return self.root / "build"


def find_project(start: Path | None = None) -> Project:
    """The project around the working directory (or $TREATYPRESS_ROOT), else the one shipped with the code."""
    if env := os.environ.get("TREATYPRESS_ROOT"):
        return Project(Path(env).resolve())
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "templates" / "documents.yaml").is_file():
            return Project(folder)
    return Project(Path(__file__).resolve().parents[2])


def find_content(paths: list[Path], content_dir: Path) -> list[Path]:
    """The content files named, or every *.yaml in the content folder."""
    if paths:
        return paths
    return sorted(content_dir.glob("*.yaml"))
