"""What a build shows while it works: on a terminal, a live progress line (tqdm) and each document
as it is written, with its pages, size and time; piped or quiet, nothing (the summary alone)."""

from __future__ import annotations

import sys
from typing import IO, Any

from .jobs import Job, Outcome


def shown(quiet: bool, stream: IO[str] | None = None) -> bool:
    """Whether progress is shown: on a terminal, unless asked to be quiet."""
    out = stream or sys.stdout
    return not quiet and out.isatty()


def describe(job: Job, outcome: Outcome) -> str:
    """One written document: its file, pages, size and the milliseconds it took."""
    name = f"{job.out.parent.name}/{job.out.name}"
    pages = f"{outcome.pages} page{'s' if outcome.pages != 1 else ''}" if outcome.pages else "page"
    size = outcome.size / 1024
    return f"{name}  {pages}, {size:,.0f} KB, {outcome.ms:,.0f} ms"


class Display:
    """A live progress line (documents done of all, the one being made) with each written
    document printed above it; implements jobs.Progress."""

    def __init__(self, stream: IO[str] | None = None) -> None:
        self.stream = stream or sys.stdout
        self.bar: Any = None
        self.waiting: list[Job] = []

    def start(self, jobs: list[Job]) -> None:
        """Open the progress line for the documents about to be made."""
        from tqdm import tqdm

        self.waiting = list(jobs)
        self.bar = tqdm(
            total=len(jobs),
            unit="doc",
            desc="building",
            file=self.stream,
            leave=False,
            dynamic_ncols=True,
            bar_format="{desc} {n_fmt}/{total_fmt} {bar:20} {elapsed}{postfix}",
        )
        self._making()

    def done(self, job: Job, outcome: Outcome) -> None:
        """Print a written document above the line, and move the line on."""
        if job in self.waiting:
            self.waiting.remove(job)
        if self.bar is None:
            return
        if not outcome.error:
            self.bar.write(describe(job, outcome), file=self.stream)
        self.bar.update(1)
        self._making()

    def _making(self) -> None:
        if self.bar is not None:
            making = f"making {self.waiting[0].out.name}" if self.waiting else ""
            self.bar.set_postfix_str(making, refresh=True)

    def close(self) -> None:
        """Take the progress line away (the written documents stay)."""
        if self.bar is not None:
            self.bar.close()
            self.bar = None
