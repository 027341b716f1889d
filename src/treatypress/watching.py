"""treatypress watch: rebuild on every save, the edited treaty's first document first.

The watching process makes one document itself when it starts (and again after templates or styles
change), so that it holds the templates compiled, the stylesheets parsed and the fonts loaded.
After a content file is saved, its first document (the fact sheet on the first paper) is made at
once in that warm process and reported with the time since the change was seen; then everything
else that is stale, in worker processes forked from it. Each rebuild is printed with its time.
Temporary files live in a folder removed when watching stops (Ctrl-C, SIGTERM or SIGHUP).
"""

from __future__ import annotations

import queue
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from .errors import TreatypressError
from .jobs import Report
from .project import Project

Batch = set[tuple[Any, str]]  # watchfiles' (change, path) pairs


def edited_content(changes: Iterable[tuple[object, str]], project: Project) -> list[Path]:
    """The content files among changed paths (none when templates or styles changed too)."""
    content, other = set(), False
    folder = project.content_dir.resolve()
    for _, name in changes:
        path = Path(name)
        if path.suffix == ".yaml" and path.resolve().parent == folder:
            content.add(path)
        elif not path.name.startswith("."):
            other = True
    return [] if other else sorted(p for p in content if p.exists())


def first_document(project: Project) -> tuple[str, str]:
    """The kind and paper made first after a save: the first declared, on its first paper."""
    from .documents import load_catalogue

    catalogue = load_catalogue(project.templates_dir)
    kind_id, kind = next(iter(catalogue.kinds.items()))
    return kind_id, kind.papers[0]


def rebuild(
    project: Project,
    out_dir: Path,
    content: Callable[[], list[Path]],
    edited: list[Path],
    workers: int | None,
) -> Report | None:
    """Make the first document of each edited file (here, warm), then all that is stale in the
    worker processes; print each step."""
    from .build import build

    seen = time.perf_counter()
    try:
        if edited:
            kind, paper = first_document(project)
            report, problems = build(  # in this process, which _warm made ready for it
                edited, project, out_dir=out_dir, kinds=[kind], papers=[paper], workers=0
            )
            _print(report, problems)
            for out in report.written:
                print(f"{out.name} written {time.perf_counter() - seen:.2f} s after the change")
            if problems:
                return report
        report, problems = build(content(), project, out_dir=out_dir, workers=workers, first=edited)
    except TreatypressError as exc:
        if exc.exit_code >= 128:  # stopped by a signal: watching stops too
            raise
        print(exc, file=sys.stderr)
        return None
    _print(report, problems)
    print(
        f"rebuilt in {time.perf_counter() - seen:.2f} s: {len(report.written)} written, "
        f"{len(report.fresh)} up to date, {len(report.failures) + len(problems)} failed",
        flush=True,
    )
    return report


def _print(report: Report, problems: Sequence[object]) -> None:
    for problem in problems:
        print(problem, file=sys.stderr)
    for failure in report.failures:
        print(f"error: {failure}", file=sys.stderr)
    sys.stdout.flush()


def _warm(project: Project, content: Callable[[], list[Path]], scratch: Path) -> None:
    """Make one document in this process (into `scratch`), so that every worker forked from it
    starts with the templates compiled, the stylesheets parsed and the fonts loaded (a warm-up
    only: any failure is left to the build)."""
    from .build import load_all, plan
    from .documents import load_catalogue
    from .worker import make

    try:
        catalogue = load_catalogue(project.templates_dir)
        kind, paper = first_document(project)
        for path in content():  # the first valid file: the build validates them all itself
            loaded, _ = load_all([path], project)
            if loaded:
                jobs = plan(
                    loaded, catalogue, project, out_dir=scratch, kinds=[kind], papers=[paper]
                )
                make(jobs[0], project.root, loaded[0], catalogue)
                return
    except Exception:  # a warm-up: the build reports any problem itself
        return


@contextmanager
def _watching(*folders: Path) -> Iterator[queue.Queue[Batch]]:
    """Changes under `folders`, batched, on a queue; the watcher is running when this returns, so
    a save made during the first build is seen too."""
    from watchfiles import watch as changes

    batches: queue.Queue[Batch] = queue.Queue()
    started, stopping = threading.Event(), threading.Event()

    def feed() -> None:
        for batch in changes(
            *folders, debounce=50, step=20, stop_event=stopping, yield_on_timeout=True,
            rust_timeout=200, raise_interrupt=False,
        ):  # fmt: skip
            started.set()
            if batch:
                batches.put(batch)

    thread = threading.Thread(target=feed, name="treatypress-watch", daemon=True)
    thread.start()
    started.wait(timeout=10)
    try:
        yield batches
    finally:
        stopping.set()
        thread.join(timeout=2)


def _next(batches: queue.Queue[Batch]) -> Batch:
    """The next changes, with any others already waiting (saves made during a rebuild)."""
    while True:
        try:
            batch = batches.get(timeout=0.5)  # a timeout, so that signals are handled
            break
        except queue.Empty:
            continue
    while not batches.empty():
        batch |= batches.get_nowait()
    return batch


def watch(
    project: Project,
    out_dir: Path,
    content: Callable[[], list[Path]],
    workers: int | None = None,
) -> int:
    """Build `content()` (the content files, found again each time), then rebuild whenever
    content, templates or styles change, until stopped."""
    from .pool import Interrupted

    def stop(signum: int, _frame: object) -> None:
        raise Interrupted(signum)

    removed = tempfile.TemporaryDirectory(prefix="treatypress-watch-", ignore_cleanup_errors=True)
    saved = {signum: signal.signal(signum, stop) for signum in (signal.SIGTERM, signal.SIGHUP)}
    folders = (project.content_dir, project.templates_dir, project.styles_dir)
    try:
        with removed as folder, _watching(*folders) as batches:
            tempfile.tempdir = folder  # the fonts WeasyPrint unpacks here go when watching stops
            warm_up = Path(folder) / "warm-up"
            _warm(project, content, warm_up)
            rebuild(project, out_dir, content, [], workers)
            print("watching content/, templates/ and styles/ (Ctrl-C to stop)", flush=True)
            while True:
                edited = edited_content(_next(batches), project)
                if not edited:  # templates or styles changed: warm up again with the new ones
                    _warm(project, content, warm_up)
                rebuild(project, out_dir, content, edited, workers)
    finally:
        for signum, handler in saved.items():
            signal.signal(signum, handler)
        tempfile.tempdir = None
