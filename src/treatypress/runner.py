"""Make the planned documents that are stale: in worker processes, recording each as it is done."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from .jobs import Job, Progress, Report
from .project import Project

if TYPE_CHECKING:
    from .content import Loaded
    from .documents import Catalogue
    from .state import State


def stale(jobs: list[Job], out_dir: Path) -> list[Job]:
    """Jobs whose outputs are missing, changed on disk, or made from other inputs."""
    from .state import State

    state = State.read(out_dir)
    return [j for j in jobs if not state.current(j.out, j.digest, j.extras)]


def run(
    jobs: list[Job],
    *,
    project: Project,
    out_dir: Path,
    loaded: list[Loaded] | None = None,
    catalogue: Catalogue | None = None,
    workers: int | None = None,
    progress: Progress | None = None,
    first: list[Path] | None = None,
) -> Report:
    """Render jobs in a pool of warm worker processes, recording each output as it is finished.

    One build at a time writes to an output folder; a worker that dies fails only its document.
    The documents of the content files in `first` are started first (each one's first kind and
    paper before the rest), then the longest to make. Without `loaded`, each worker reads the
    content it needs (content already validated by the build that planned the jobs).
    """
    from .state import State, build_lock

    report = Report()
    if not stale(jobs, out_dir):  # nothing to do: no lock taken, nothing written
        state = State.read(out_dir)
        report.fresh = [j.out for j in jobs]
        report.warnings = [f"{j.out.name}: {w}" for j in jobs for w in state.warnings(j.out)]
        return report
    with build_lock(out_dir):
        state = State.read(out_dir)  # as the build that held the lock left it
        todo = [j for j in jobs if not state.current(j.out, j.digest, j.extras)]
        report.fresh = [j.out for j in jobs if j not in todo]
        report.warnings = [
            f"{j.out.name}: {w}" for j in jobs if j not in todo for w in state.warnings(j.out)
        ]
        if not todo:
            return report
        todo = _order(todo, state, first or [])
        _render(todo, state, report, project, loaded, catalogue, workers, progress)
    return report


def _order(todo: list[Job], state: State, first: list[Path]) -> list[Job]:
    """The documents of `first` first, then the longest to make (as last measured; web pages and
    class sets take longest), so that no worker is left alone with a long one at the end."""
    wanted = {p.resolve() for p in first}

    def cost(job: Job) -> float:
        measured = state.ms(job.out)
        return measured or (
            3000.0 if job.out.suffix == ".html" else 1200.0 if job.extras else 600.0
        )

    def key(job: Job) -> tuple[int, float]:
        return (0, 0.0) if job.content.resolve() in wanted else (1, -cost(job))

    return sorted(todo, key=key)  # stable: the first files' documents keep the planned order


def _render(
    todo: list[Job],
    state: State,
    report: Report,
    project: Project,
    loaded: list[Loaded] | None,
    catalogue: Catalogue | None,
    workers: int | None,
    progress: Progress | None,
) -> None:
    from . import fit
    from .pool import Interrupted, render_all  # imports WeasyPrint: only when there is work

    by_path = {item.path: item for item in loaded or []}
    fit.MEMORY.update(fit.load_memory())  # before the workers start: each inherits it
    fitted: dict[str, list[int]] = {}
    if progress:
        progress.start(todo)
    try:
        for job, outcome in render_all(
            todo, project=project, loaded=by_path, catalogue=catalogue, workers=workers
        ):
            report.made.append((job, outcome))
            report.warnings += [f"{job.out.name}: {w}" for w in outcome.warnings]
            if outcome.error:
                report.failures.append(outcome.error)
                state.forget(job.out)
            else:
                report.written.append(job.out)
                state.record(job.out, job.digest, outcome.warnings, job.extras, ms=outcome.ms)
                if outcome.fit_key and outcome.choice:
                    fitted[outcome.fit_key] = list(outcome.choice)
            state.write()
            if progress:
                progress.done(job, outcome)
    except Interrupted as exc:
        made = len(report.written) + len(report.failures)
        raise Interrupted(
            exc.signum,
            f": {len(report.written)} of {len(todo)} documents written, "
            f"{len(todo) - made} not made (each output is its old file, or none)",
        ) from None
    finally:
        if progress:
            progress.close()
        fit.save_memory(fit.MEMORY, fitted)
        fit.MEMORY.update(fitted)
        _remove_stale_temporaries({j.out.parent for j in todo})


def _remove_stale_temporaries(folders: set[Path]) -> None:
    """Remove temporary files and work markers a build left behind (never a finished output)."""
    for folder in folders:
        for tmp in [*folder.glob(".*.tmp"), *folder.glob(".*.working")]:
            tmp.unlink(missing_ok=True)
