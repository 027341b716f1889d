"""The commands that read content and build documents: build, check, facts, pack, previews, watch."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from .errors import TreatypressError, UsageError
from .project import Project, find_project


def build(args: argparse.Namespace) -> int:
    """treatypress build: validate, make what is stale, list problems and print a summary."""
    from .build import build as build_documents
    from .progress import Display, shown

    project = find_project()
    out = (args.out or project.build_dir).resolve()
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {out} is a file, not a folder")
    paths = content_paths(args.content, project)
    started = time.perf_counter()
    try:
        report, problems = build_documents(
            paths,
            project,
            out_dir=out,
            kinds=args.document,
            papers=args.paper,
            workers=args.jobs,
            archival=args.archival,
            progress=Display() if shown(args.quiet) else None,
        )
    except TreatypressError as exc:
        if exc.exit_code != 1:  # a usage error or a signal: reported as it is
            raise
        print(f"treatypress: {exc}", file=sys.stderr)  # the build stopped before any document
        _summary(0, *_not_made(args, paths, project, out), started)
        return 1
    for problem in problems:
        print(problem, file=sys.stderr)
    for warning in report.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    for failure in report.failures:
        print(f"error: {failure}", file=sys.stderr)
    _summary(len(report.written), len(report.fresh), len(report.failures) + len(problems), started)
    failed = problems or report.failures or (args.strict and report.warnings)
    return 1 if failed else 0


def _summary(written: int, fresh: int, failed: int, started: float) -> None:
    print(
        f"{written} written, {fresh} up to date, "
        f"{failed} failed in {time.perf_counter() - started:.1f} s"
    )


def _not_made(
    args: argparse.Namespace, paths: list[Path], project: Project, out: Path
) -> tuple[int, int]:
    """For a build that stopped before its first document (its output folder cannot be written,
    say): how many documents are up to date, and how many failed (every one it had to make, and
    every content file refused, whose problems are printed)."""
    from .build import load_all, plan
    from .documents import load_catalogue
    from .state import State

    loaded, problems = load_all(paths, project, recut=False)
    for problem in problems:
        print(problem, file=sys.stderr)
    jobs = plan(
        loaded,
        load_catalogue(project.templates_dir),
        project,
        out_dir=out,
        kinds=args.document,
        papers=args.paper,
        archival=args.archival,
    )
    state = State.read(out)
    fresh = sum(state.current(j.out, j.digest, j.extras) for j in jobs)
    return fresh, len(jobs) - fresh + len(problems)


def pack(args: argparse.Namespace) -> int:
    """treatypress pack: zip every built document and web page, with an index."""
    from .build import load_all, plan
    from .documents import load_catalogue
    from .pack import entries, write_pack

    project = find_project()
    out = (args.out or project.build_dir).resolve()
    catalogue = load_catalogue(project.templates_dir)
    loaded, problems = load_all(content_paths([], project), project, recut=False)
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        return 1
    jobs = plan(loaded, catalogue, project, out_dir=out, kinds=None, papers=None)
    titles = {item.treaty.slug: item.treaty.title("short").text for item in loaded}
    items = entries(jobs, catalogue, titles)
    target = write_pack(out, items)
    print(f"wrote {target}: {len(items)} files and index.html")
    return 0


def previews(args: argparse.Namespace) -> int:
    """treatypress previews: every page of every built PDF as PNG."""
    from .previews import write_previews

    out = (args.out or find_project().build_dir).resolve()
    written = write_previews(out)
    if not written:
        raise UsageError(f"no PDFs in {out}; run `make pdf` first")
    print(f"wrote {len(written)} pictures under {out}/*/previews/")
    return 0


def content_paths(paths: list[Path], project: Project) -> list[Path]:
    """The content files named on the command line, or every one in content/; refused with a
    usage error when one is missing, a folder, or a link to a file outside content/."""
    from .project import find_content

    for path in paths:
        if not path.exists():
            raise UsageError(f"{path}: no such content file")
        if path.is_dir():
            raise UsageError(
                f"{path} is a folder; name content files (or none, for all of content/)"
            )
    found = find_content(paths, project.content_dir)
    inside = project.content_dir.resolve()
    for path in found:
        if path.is_symlink() and not path.resolve().is_relative_to(inside):
            raise UsageError(
                f"{path} is a link to a file outside {project.content_dir}; "
                "copy the file instead of linking to it"
            )
    if not found:
        raise UsageError(f"no content files in {project.content_dir}")
    return found


def check(args: argparse.Namespace) -> int:
    """treatypress check: validate content without rendering."""
    from .build import load_all

    project = find_project()
    loaded, problems = load_all(content_paths(args.content, project), project, recut=False)
    for problem in problems:
        print(problem, file=sys.stderr)
    for item in loaded:
        print(f"{item.doc.path}: ok")
    return 1 if problems else 0


def facts(args: argparse.Namespace) -> int:
    """treatypress facts: every fact, its sources, and where it is printed (also as CSV)."""
    from . import report
    from .build import build as build_documents
    from .pdf import atomic_write

    project = find_project()
    out = (args.out or project.build_dir).resolve()
    built, problems = build_documents(content_paths(args.content, project), project, out_dir=out)
    for problem in problems:
        print(problem, file=sys.stderr)
    for failure in built.failures:
        print(f"error: {failure}", file=sys.stderr)
    if problems or built.failures:
        return 1
    from .content import load_treaty

    for path in content_paths(args.content, project):
        treaty = load_treaty(path).treaty
        pdfs = sorted(
            p
            for p in (out / treaty.slug).glob(f"{treaty.slug}-*.pdf")
            if not p.stem.endswith("-archival")
        )
        rows = report.locate(list(report.facts(treaty)), pdfs)
        sys.stdout.write(report.to_text(treaty.slug, rows))
        csv_path = out / treaty.slug / f"{treaty.slug}-facts.csv"
        atomic_write(csv_path, report.to_csv(rows).encode("utf-8"))
        print(f"written to {csv_path}")
    return 0


def watch(args: argparse.Namespace) -> int:
    """treatypress watch: build, then again on every save, the edited treaty's fact sheet first."""
    from .watching import watch as watch_and_build

    project = find_project()
    out = (args.out or project.build_dir).resolve()
    return watch_and_build(project, out, lambda: content_paths([], project))
