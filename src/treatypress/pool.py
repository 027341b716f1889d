"""Render many documents in warm worker processes, each document failing alone.

A worker killed from outside (the out-of-memory killer, say) fails only the document it was making:
each worker marks the document it is making, the pool is replaced, and the rest are made. SIGINT,
SIGTERM and SIGHUP stop every worker before the build exits; no worker outlives the build.
"""

from __future__ import annotations

import contextlib
import os
import signal
import tempfile
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from types import FrameType
from typing import Any

from .content import Loaded
from .documents import Catalogue
from .errors import TreatypressError
from .jobs import Job, Outcome
from .project import Project

_Handler = Callable[[int, FrameType | None], Any] | int | None  # what signal.signal returns
STOPPING = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


class Interrupted(TreatypressError):
    """The build was stopped by a signal; exits 128 + the signal's number."""

    def __init__(self, signum: int, detail: str = "") -> None:
        self.signum = signum
        self.exit_code = 128 + signum
        super().__init__(f"stopped by {signal.Signals(signum).name}{detail}")


def _worker_start(scratch: str) -> None:
    """In each worker: leave stopping to the build, die with it, and keep temporary files (the
    fonts WeasyPrint unpacks for each rendering) in the build's scratch folder, which the build
    removes even when a worker is killed before it can clean up."""
    tempfile.tempdir = scratch
    for signum in STOPPING:
        signal.signal(signum, signal.SIG_IGN)
    try:
        import ctypes

        ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG: killed when the build dies
    except (OSError, AttributeError):
        pass


def _alive(pid: int) -> bool:
    """Whether a process runs (a killed worker not yet reaped is a zombie: not running)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True
    return "\nState:\tZ" not in status


def _killed(job: Job) -> bool:
    """Whether the worker that was making `job` has died."""
    try:
        pid = int(job.marker.read_text())
    except (OSError, ValueError):
        return False
    return not _alive(pid)


def render_all(
    jobs: list[Job],
    *,
    project: Project,
    loaded: dict[Path, Loaded],
    catalogue: Catalogue | None,
    workers: int | None = None,
) -> Iterator[tuple[Job, Outcome]]:
    """Make every job in worker processes (started in the order given), yielding (job, outcome)
    as each is finished. With `workers=0`, make them one by one in this process: for a process
    that is already warm (watch), that saves starting a worker for one document."""
    import weasyprint  # noqa: F401  (imported once, before the workers fork)

    from .worker import make

    if workers == 0:
        for job in jobs:
            yield job, make(job, project.root, loaded.get(job.content), catalogue)
        return
    count = max(1, min(workers or os.cpu_count() or 1, len(jobs)))
    todo = list(jobs)
    stop = _Stopper()
    removed = tempfile.TemporaryDirectory(prefix="treatypress-", ignore_cleanup_errors=True)
    with stop, removed as scratch:  # removed however the build ends
        while todo:
            pool = ProcessPoolExecutor(
                max_workers=count, initializer=_worker_start, initargs=(scratch,)
            )
            stop.pool = pool
            futures: dict[Future[Outcome], Job] = {
                pool.submit(make, j, project.root, loaded.get(j.content), catalogue): j
                for j in todo
            }
            todo = []
            broken = False
            try:
                pending = set(futures)
                while pending:
                    done, pending = wait(pending, return_when=FIRST_COMPLETED)
                    for future in done:
                        job = futures[future]
                        try:
                            yield job, future.result()
                        except BrokenProcessPool:
                            broken = True
                            if _killed(job):
                                job.marker.unlink(missing_ok=True)
                                yield (
                                    job,
                                    Outcome(
                                        f"{job.slug} {job.kind} ({job.paper}): the process making it "
                                        "was killed before it finished (out of memory?); not written"
                                    ),
                                )
                            else:
                                todo.append(job)
            finally:
                pool.shutdown(wait=not stop.signum and not broken, cancel_futures=True)
            stop.check()


class _Stopper:
    """Turns SIGINT, SIGTERM and SIGHUP into Interrupted, after stopping the workers."""

    def __init__(self) -> None:
        self.pool: ProcessPoolExecutor | None = None
        self.signum = 0
        self.saved: dict[int, _Handler] = {}

    def __enter__(self) -> _Stopper:
        for signum in STOPPING:
            self.saved[signum] = signal.signal(signum, self._handle)
        return self

    def __exit__(self, *exc: object) -> None:
        for signum, handler in self.saved.items():
            signal.signal(signum, handler)

    def _handle(self, signum: int, _frame: object) -> None:
        self.signum = signum
        self.kill_workers()
        raise Interrupted(signum)

    def kill_workers(self) -> None:
        """Stop every worker now."""
        processes = getattr(self.pool, "_processes", None) or {}
        for process in list(processes.values()):
            with contextlib.suppress(OSError, AttributeError):
                process.kill()

    def check(self) -> None:
        if self.signum:
            raise Interrupted(self.signum)
