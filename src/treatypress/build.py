"""Plan the build: which documents to make, which are stale, and render them in parallel workers."""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path
from typing import TYPE_CHECKING

from . import plans
from .errors import ContentError, Problem, UsageError
from .jobs import Job, Progress, Report
from .project import Project
from .runner import run

if TYPE_CHECKING:  # the content model and fonts are imported only when content is read
    from .content import Loaded
    from .documents import Catalogue


def output_path(
    out_dir: Path, slug: str, kind: str, paper: str, archival: bool = False, screen: bool = False
) -> Path:
    """build/<slug>/<slug>-<kind>-<paper>.pdf, ...-archival.pdf for the PDF/A-3a edition, or
    <slug>-<kind>.html for the web edition."""
    if screen:
        return out_dir / slug / f"{slug}-{kind}.html"
    return out_dir / slug / _pdf_name(f"{slug}-{kind}", paper, archival)


def _pdf_name(stem: str, paper: str, archival: bool) -> str:
    return f"{stem}-{paper}{'-archival' if archival else ''}.pdf"


def two_up_path(out: Path, sheet: str) -> Path:
    """<slug>-<kind>-a5-2up-a4.pdf: a half-size edition set two to a sheet."""
    return out.with_name(f"{out.stem}-2up-{sheet}.pdf")


def pair_slugs(item: Loaded) -> list[tuple[str, str, str]]:
    """The comparisons a content file declares, each as (other slug, first, second): the earlier
    signed treaty first."""
    out = []
    for comparison in item.treaty.comparisons:
        other = item.related[comparison.treaty]
        first, second = item.treaty, other
        theirs, ours = other.signing.date.value, item.treaty.signing.date.value
        if theirs and ours and theirs.earliest() < ours.earliest():
            first, second = other, item.treaty
        out.append((comparison.treaty, first.slug, second.slug))
    return out


def load_all(
    paths: list[Path], project: Project, *, recut: bool = True
) -> tuple[list[Loaded], list[Problem]]:
    """Validate every content file, glyph coverage included.

    With `recut`, characters a script face's subset lacks are added to it from its pinned source
    font; without (treatypress check, which writes nothing), they count as covered when that font
    has them, since the next build adds them.
    """
    from . import fonts as fontmod
    from .content import load_treaty

    loaded, problems = [], []
    for path in paths:
        try:
            loaded.append(load_treaty(path))
        except ContentError as exc:
            problems += exc.problems
    problems += _shared_slugs(loaded)
    seen = {p.path for p in problems}
    loaded = [item for item in loaded if item.doc.path not in seen]
    fontset = fontmod.FontSet.load(project.styles_dir / "fonts")
    treaties = [x.treaty for x in loaded] + [r for x in loaded for r in x.related.values()]
    pending = fontmod.sync(fontset, treaties, write=recut)
    ok = []
    for item in loaded:
        found = fontmod.coverage_problems(
            item.doc.path, item.treaty, fontset, item.doc.mark, pending
        )
        problems += found
        if not found:
            ok.append(item)
    return ok, problems


def _shared_slugs(loaded: list[Loaded]) -> list[Problem]:
    """Two content files with one slug would write over each other's documents: refuse both."""
    by_slug: dict[str, list[Loaded]] = {}
    for item in loaded:
        by_slug.setdefault(item.treaty.slug, []).append(item)
    out = []
    for slug, items in by_slug.items():
        if len(items) > 1:
            names = " and ".join(item.doc.path for item in items)
            for item in items:
                line, col = item.doc.mark(("slug",))
                out.append(
                    Problem(
                        item.doc.path,
                        line,
                        col,
                        "slug",
                        f"the slug {slug!r} is used by {names}; each treaty needs its own",
                    )
                )
    return out


def plan(
    loaded: list[Loaded],
    catalogue: Catalogue,
    project: Project,
    *,
    out_dir: Path,
    kinds: list[str] | None,
    papers: list[str] | None,
    archival: bool = False,
) -> list[Job]:
    """Every (treaty, kind, paper) asked for, with a digest of all it is made from."""
    styles = plans.tree_digest(project.styles_dir)
    code = plans.tree_digest(project.templates_dir, project.styles_dir, plans.CODE)
    jobs: list[Job] = []
    for item in loaded:
        inputs = [item.path.read_bytes()] + [
            (item.path.with_name(f"{slug}.yaml")).read_bytes() for slug in sorted(item.related)
        ]
        content = hashlib.sha256(b"\0".join(inputs)).hexdigest()
        for kind_id, kind in catalogue.kinds.items():
            if kinds and kind_id not in kinds:
                continue
            for paper_id in kind.papers:
                paper = catalogue.papers[paper_id]
                if (papers and paper_id not in papers) or (archival and paper.screen):
                    continue
                digest = hashlib.sha256(
                    f"{code}{content}{kind_id}{paper_id}{archival}".encode()
                ).hexdigest()
                job = functools.partial(
                    Job, item.path, item.treaty.slug, kind_id, paper_id, archival=archival,
                    digest=digest, styles=styles,
                )  # fmt: skip
                if kind.pair:
                    for other, first, second in pair_slugs(item):
                        name = _pdf_name(f"{first}-vs-{second}", paper_id, archival)
                        out = out_dir / "compare" / name
                        if not any(j.out == out for j in jobs):  # both files may declare the pair
                            jobs.append(job(out=out, other=item.path.with_name(f"{other}.yaml")))
                    continue
                out = output_path(
                    out_dir, item.treaty.slug, kind_id, paper_id, archival, paper.screen
                )
                extras = (two_up_path(out, paper.two_up_on),) if paper.two_up_on else ()
                jobs.append(job(out=out, extras=extras))
    return jobs


def build(
    paths: list[Path],
    project: Project,
    *,
    out_dir: Path,
    kinds: list[str] | None = None,
    papers: list[str] | None = None,
    workers: int | None = None,
    archival: bool = False,
    progress: Progress | None = None,
    first: list[Path] | None = None,
) -> tuple[Report, list[Problem]]:
    """Validate, plan and render; content problems are returned, not raised.

    When nothing the last plan for the same request was made from has changed, its jobs are used
    as they are: no content is read or validated (see plans.py).
    `workers=0` makes the documents in this process, one by one (see pool.render_all).
    """
    request = plans.request_key(paths, kinds, papers, archival, out_dir)
    if (jobs := plans.remembered(out_dir, project, request)) is not None:
        return run(
            jobs, project=project, out_dir=out_dir, workers=workers, progress=progress, first=first
        ), []
    from .documents import load_catalogue

    catalogue = load_catalogue(project.templates_dir)
    for name, known, asked in (
        ("document", catalogue.kinds, kinds),
        ("paper", catalogue.papers, papers),
    ):
        unknown = [a for a in asked or [] if a not in known]
        if unknown:
            raise UsageError(f"unknown {name} {', '.join(unknown)}; choose from {', '.join(known)}")
    before = plans.inputs_digest(project, paths)
    loaded, problems = load_all(paths, project)
    jobs = plan(
        loaded, catalogue, project, out_dir=out_dir, kinds=kinds, papers=papers, archival=archival
    )
    report = run(
        jobs,
        project=project,
        out_dir=out_dir,
        loaded=loaded,
        catalogue=catalogue,
        workers=workers,
        progress=progress,
        first=first,
    )
    if not problems and before and plans.inputs_digest(project, paths) == before:
        related = {item.path.with_name(f"{slug}.yaml") for item in loaded for slug in item.related}
        plans.remember(out_dir, project, request, [*paths, *related], jobs)
    return report, problems
