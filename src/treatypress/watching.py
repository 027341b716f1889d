"""treatypress watch: rebuild on every save, the edited treaty's first document first.

The watching process keeps WeasyPrint and the content model imported, so each rebuild starts warm.
After a content file is saved, its first document (the fact sheet on the first paper) is made on
its own and reported with the time since the change was seen; then everything else that is stale.
Each rebuild is printed with its time.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from .errors import TreatypressError
from .jobs import Report
from .project import Project


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
    """Make the first document of each edited file, then all that is stale; print each step."""
    from .build import build

    seen = time.perf_counter()
    try:
        if edited:
            kind, paper = first_document(project)
            report, problems = build(
                edited, project, out_dir=out_dir, kinds=[kind], papers=[paper], workers=workers
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


def _warm(project: Project, content: Callable[[], list[Path]]) -> None:
    """Lay out one document here, so that every worker forked from this process starts with
    WeasyPrint's fonts and stylesheets loaded (a warm-up only: any failure is left to the build)."""
    import weasyprint

    from .content import load_treaty
    from .documents import load_catalogue
    from .pdf import SandboxFetcher
    from .render import render_html

    try:
        catalogue = load_catalogue(project.templates_dir)
        kind, paper = first_document(project)
        html = render_html(
            loaded=load_treaty(content()[0]),
            kind_id=kind,
            kind=catalogue.resolve(kind, paper),
            paper_id=paper,
            paper=catalogue.papers[paper],
            templates_dir=project.templates_dir,
            other=None,
        )
        fetcher = SandboxFetcher([project.styles_dir], "warm-up")
        weasyprint.HTML(
            string=html, base_url=project.root.as_uri() + "/", url_fetcher=fetcher
        ).render()
    except Exception:  # a warm-up: the build reports any problem itself
        return


def watch(
    project: Project,
    out_dir: Path,
    content: Callable[[], list[Path]],
    workers: int | None = None,
) -> int:
    """Build `content()` (the content files, found again each time), then rebuild whenever
    content, templates or styles change, until stopped."""
    import weasyprint  # noqa: F401  (once, here: every worker starts from a warm process)
    from watchfiles import watch as changes

    from . import content as _model  # noqa: F401  (the content model, likewise)

    _warm(project, content)
    rebuild(project, out_dir, content, [], workers)
    print("watching content/, templates/ and styles/ (Ctrl-C to stop)", flush=True)
    folders = (project.content_dir, project.templates_dir, project.styles_dir)
    for batch in changes(*folders, debounce=50, step=20):
        rebuild(project, out_dir, content, edited_content(batch, project), workers)
    return 0
