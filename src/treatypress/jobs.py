"""What a build is made of: one document to make (a Job), and what a build did (a Report).

Both the planner (build.py) and the worker processes (pool.py, worker.py) use these, so they live
apart from either.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


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

    @property
    def marker(self) -> Path:
        """The file a worker keeps beside the output while it makes it, holding its process id."""
        return self.out.parent / f".{self.out.name}.working"


@dataclass
class Report:
    """What a build did: files written, up to date, and failures (with messages)."""

    written: list[Path] = field(default_factory=list)
    fresh: list[Path] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
