"""Shared fixtures: one build of every document into a temporary folder, read by many tests."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader

ROOT = Path(__file__).resolve().parents[1]
CONTENT = ROOT / "content"
SLUGS = sorted(p.stem for p in CONTENT.glob("*.yaml"))
CATALOGUE = yaml.safe_load((ROOT / "templates" / "documents.yaml").read_text(encoding="utf-8"))
PAPERS = CATALOGUE["papers"]
# The student fact sheet and handout on full-size paper: the documents most tests read. The other
# editions (teacher, large print, class sets, web, comparison) are tested in test_editions.py.
STUDENT_KINDS = [
    k for k, spec in CATALOGUE["kinds"].items() if not spec.get("edition") and not spec.get("pair")
]
FULL_PAPERS = ["a4", "letter"]
DOCUMENTS = [
    (slug, kind, paper)
    for slug in SLUGS
    for kind in STUDENT_KINDS
    for paper in CATALOGUE["kinds"][kind]["papers"]
    if paper in FULL_PAPERS
]
STUDENT_ARGS = [a for k in STUDENT_KINDS for a in ("--document", k)] + [
    a for p in FULL_PAPERS for a in ("--paper", p)
]  # a build of just those


def project_copy(folder: Path) -> Path:
    """A copy of the project (content, templates, styles) under `folder`, for a test to edit."""
    copy = folder / "project"
    for name in ("content", "templates", "styles"):
        shutil.copytree(ROOT / name, copy / name, symlinks=True)
    return copy


def project_env(project: Path, cache: Path | None = None) -> dict[str, str]:
    """The environment of a run on `project`, with its own cache folder when given."""
    env = {"TREATYPRESS_ROOT": str(project), "PATH": "/usr/bin:/bin"}
    if cache:
        env["TREATYPRESS_CACHE"] = str(cache)
    return env


def run_cli(*args: str, cwd: Path = ROOT, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run the treatypress command as a user would, capturing its output."""
    return subprocess.run(
        [sys.executable, "-m", "treatypress", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def short_title(slug: str) -> str:
    """A treaty's short English title, as its content file gives it."""
    data = yaml.safe_load((CONTENT / f"{slug}.yaml").read_text(encoding="utf-8"))
    return next(t["text"] for t in data["titles"] if t.get("kind") == "short" and t["lang"] == "en")


def edition(slug: str) -> str:
    """A treaty's edition date as its content file gives it ('2026-11-27')."""
    return str(yaml.safe_load((CONTENT / f"{slug}.yaml").read_text(encoding="utf-8"))["edition"])


def edition_printed(slug: str) -> str:
    """The edition date as the footers print it ('27 November 2026')."""
    import datetime as dt

    day = dt.date.fromisoformat(edition(slug))
    return f"{day.day} {day.strftime('%B')} {day.year}"


def normalise(text: str) -> str:
    """Undo what typesetting does to text: hyphenation breaks, white space, letter case."""
    text = re.sub("\u2010\\s*\n\\s*", "", text)  # automatic hyphenation break
    return re.sub(r"\s+", " ", text).strip().lower()


@dataclass
class Built:
    """One built PDF and what can be read from it."""

    slug: str
    kind: str
    paper: str
    path: Path

    @cached_property
    def reader(self) -> PdfReader:
        return PdfReader(self.path)

    @cached_property
    def raw_text(self) -> str:
        return "\n".join(page.extract_text() for page in self.reader.pages)

    @cached_property
    def text(self) -> str:
        return normalise(self.raw_text)

    @cached_property
    def html(self) -> str:
        return self.path.with_suffix(".html").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def build_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every document of every treaty, built once by the command line into a temporary folder."""
    out = tmp_path_factory.mktemp("build")
    result = run_cli("build", "--out", str(out))
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture(scope="session")
def built(build_dir: Path) -> dict[tuple[str, str, str], Built]:
    """The built documents, keyed by (slug, kind, paper)."""
    return {(s, k, p): Built(s, k, p, build_dir / s / f"{s}-{k}-{p}.pdf") for s, k, p in DOCUMENTS}
