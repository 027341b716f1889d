"""The work done in each build process: one document, content to PDF."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import os
import resource
import time
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pypdf
import weasyprint

from . import impose, memo
from .atomic import atomic_write
from .content import Loaded, display_path, load_treaty
from .documents import Catalogue, load_catalogue
from .errors import TreatypressError
from .jobs import Job, Outcome
from .pdf import write_pdf
from .project import Project
from .render import render_html
from .web import write_page


def render_job(
    job: Job, root: Path, loaded: Loaded | None = None, catalogue: Catalogue | None = None
) -> tuple[str | None, list[str]]:
    """Make one PDF (and its HTML beside it); return (error message or None, warnings)."""
    outcome = make(job, root, loaded, catalogue)
    return outcome.error, outcome.warnings


def make(
    job: Job, root: Path, loaded: Loaded | None = None, catalogue: Catalogue | None = None
) -> Outcome:
    """Make one document and say what it cost (time, renderings, this process's peak memory).

    The build passes the content and catalogue it has already validated; alone, the job reads them.
    """
    started = time.perf_counter()
    outcome = _make(job, root, loaded, catalogue)
    outcome.ms = (time.perf_counter() - started) * 1000
    outcome.peak_rss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    outcome.pid = os.getpid()
    if not outcome.error and not outcome.size:
        with contextlib.suppress(OSError):
            outcome.size = job.out.stat().st_size
    return outcome


def _make(job: Job, root: Path, loaded: Loaded | None, catalogue: Catalogue | None) -> Outcome:
    project = Project(root)
    name = f"{job.slug} {job.kind} ({job.paper})"
    working = job.marker  # names this process while it works
    try:
        job.out.parent.mkdir(parents=True, exist_ok=True)
        _mark(working)
    except OSError as exc:
        return Outcome(f"{name}: cannot write to {job.out.parent}: {exc.strerror}")
    try:
        catalogue = catalogue or load_catalogue(project.templates_dir)
        kind = catalogue.resolve(job.kind, job.paper)
        paper = catalogue.papers[job.paper]
        loaded = loaded or load_treaty(job.content)
        html = render_html(
            loaded=loaded,
            kind_id=job.kind,
            kind=kind,
            paper_id=job.paper,
            paper=paper,
            templates_dir=project.templates_dir,
            other=load_treaty(job.other) if job.other else None,
        )
        if paper.screen:  # a web page: the HTML, its styles inlined, its fonts beside it
            write_page(html=html, out=job.out, styles_dir=project.styles_dir)
            return Outcome(None)
        edition = dt.datetime.combine(loaded.treaty.edition.earliest(), dt.time(), dt.UTC)
        options = archival_options(job, edition) if job.archival else None
        with _source_date_epoch(edition):
            written = write_pdf(
                html=html,
                base_dir=project.root,
                allowed=[project.styles_dir],
                out=job.out,
                document=name,
                pages=kind.pages,
                max_pages=kind.max_pages,
                identifier=f"{job.slug}/{job.kind}/{job.paper}",
                options=options,
                variants=[f"html {{ font-size: {size} !important; }}" for size in kind.body_sizes],
                short=kind.short,
                fill=kind.fill,
                capacity=kind.capacity,
                overflow=job.out.parent / "overflow" / job.out.name,
                styles=job.styles,
            )
        atomic_write(job.out.with_suffix(".html"), html.encode("utf-8"))  # only beside a good PDF
        for extra in job.extras:  # a half-size edition, two copies to a sheet, for class sets
            sheet = catalogue.papers[paper.two_up_on or ""]
            atomic_write(extra, _two_up(job.out.read_bytes(), sheet.mm or (0, 0), name))
        w = written
        return Outcome(None, w.warnings, w.pages, w.size, 0, w.renders, 0, 0, w.fit_key, w.choice)
    except TreatypressError as exc:
        return Outcome(f"{display_path(job.content)}: {exc}")
    except OSError as exc:  # disk full, a read-only folder: the output is its old file, or none
        return Outcome(f"{name}: cannot write {job.out}: {exc.strerror or exc}; not written")
    except Exception:  # a bug, not bad input: details with --debug
        if os.environ.get("TREATYPRESS_DEBUG"):
            return Outcome(f"{name}: internal error\n{traceback.format_exc()}")
        last = traceback.format_exc().strip().splitlines()[-1]
        return Outcome(f"{name}: internal error (run with --debug for details): {last}")
    finally:
        working.unlink(missing_ok=True)


def _mark(working: Path) -> None:
    """Name this process in the work marker, which appears whole or not at all."""
    tmp = working.with_name(f"{working.name}.{os.getpid()}.tmp")
    tmp.write_text(str(os.getpid()))
    os.replace(tmp, working)


def _two_up(pdf: bytes, sheet_mm: tuple[float, float], title: str) -> bytes:
    """The class-set sheet, made once for the same PDF, sheet, title and code (see memo.py)."""
    key = memo.digest(pdf, repr(sheet_mm), title, memo.code(impose.__file__), pypdf.__version__)
    return memo.cached("two-up", key, lambda: impose.two_up(pdf, sheet_mm=sheet_mm, title=title))


@contextmanager
def _source_date_epoch(when: dt.datetime) -> Iterator[None]:
    """Anything that stamps a time (fontTools, when HarfBuzz cannot subset) uses the edition date."""
    old = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(int(when.timestamp()))
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = old


def archival_options(job: Job, edition: dt.datetime) -> dict[str, Any]:
    """PDF/A-3a, with the content file it was made from attached (relationship Source)."""
    source = weasyprint.Attachment(
        file_obj=io.BytesIO(job.content.read_bytes()),
        name=job.content.name,
        description=f"treatypress content this document was made from ({job.content.name})",
        created=edition,
        modified=edition,
        relationship="Source",
    )
    return {"pdf_variant": "pdf/a-3a", "attachments": [source]}
