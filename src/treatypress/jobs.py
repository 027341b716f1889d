"""What a build is made of: one document to make (a Job), and what a build did (a Report).

Both the planner (build.py) and the worker processes (pool.py, worker.py) use these, so they live
apart from either.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol


@dataclass(frozen=True)
class Job:
    """One document to make: a content file in one kind on one paper size."""

    content: Path
    slug: str
    kind: str
    paper: str
    out: Path
    digest: str
    archival: bool = False
    other: Path | None = None
    """For a comparison sheet: the content file of the second treaty."""
    extras: tuple[Path, ...] = ()
    """Further files the job writes (the two-up class-set sheets of a half-size edition)."""
    styles: str = ""
    """A digest of styles/ (stylesheets and fonts): with it, copyfitting remembers what fitted."""

    @property
    def marker(self) -> Path:
        """The file a worker keeps beside the output while it makes it, holding its process id."""
        return self.out.parent / f".{self.out.name}.working"


@dataclass
class Outcome:
    """What making one document did: an error or None, warnings, and what it cost."""

    error: str | None
    warnings: list[str] = field(default_factory=list)
    pages: int = 0
    size: int = 0
    ms: float = 0.0
    renders: int = 0
    peak_rss_kb: int = 0
    pid: int = 0
    fit_key: str = ""
    choice: tuple[int, int, int] | None = None


@dataclass
class Report:
    """What a build did: files written, up to date, and failures (with messages)."""

    written: list[Path] = field(default_factory=list)
    fresh: list[Path] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    made: list[tuple[Job, Outcome]] = field(default_factory=list)
    """Every document made (written or failed), with what it cost, in the order finished."""


class Progress(Protocol):
    """Told as a build starts its work and as each document is finished (see progress.py)."""

    def start(self, jobs: list[Job]) -> None:
        """The documents about to be made, in the order they are started."""

    def done(self, job: Job, outcome: Outcome) -> None:
        """One document is finished (written, or failed)."""

    def close(self) -> None:
        """The build is over (finished, failed or stopped)."""
