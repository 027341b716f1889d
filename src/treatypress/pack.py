"""The class pack: every built document and web page in one zip, with an index page saying what
each file is, how many pages it has, its paper, and what it is for."""

from __future__ import annotations

import html
import zipfile
from dataclasses import dataclass
from pathlib import Path

from pypdf import PdfReader

from .documents import Catalogue
from .errors import TreatypressError
from .jobs import Job

PACK = "treatypress-pack.zip"
STAMP = (1980, 1, 1, 0, 0, 0)  # every member dated alike, so the same files make the same zip


@dataclass(frozen=True)
class Entry:
    """One file in the pack."""

    path: Path
    title: str
    pages: int | None
    paper: str
    use: str


def entries(jobs: list[Job], catalogue: Catalogue, titles: dict[str, str]) -> list[Entry]:
    """What the pack holds, from the build's plan; a missing file is an error (build first)."""
    out = []
    for job in jobs:
        kind = catalogue.resolve(job.kind, job.paper)
        paper = catalogue.papers[job.paper]
        name = titles.get(job.slug, job.slug)
        if job.other is not None:
            name = (
                f"{titles.get(job.slug, job.slug)} and {titles.get(job.other.stem, job.other.stem)}"
            )
        files = [(job.out, paper.label, paper.use or kind.use)]
        if paper.two_up_on:
            sheet = catalogue.papers[paper.two_up_on].label
            files += [
                (x, f"{paper.label}, two to a {sheet} sheet", "class set") for x in job.extras
            ]
        for path, paper_label, use in files:
            if not path.is_file():
                raise TreatypressError(f"{path} is missing; run `make pdf` first")
            pages = len(PdfReader(path).pages) if path.suffix == ".pdf" else None
            out.append(Entry(path, f"{name}: {kind.title}", pages, paper_label, use))
    return out


def write_pack(out_dir: Path, items: list[Entry]) -> Path:
    """Write build/treatypress-pack.zip: the files, their web fonts, and index.html."""
    target = out_dir / PACK
    tmp = target.with_name(f".{PACK}.tmp")
    try:
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as pack:
            members = {item.path for item in items}
            members |= {
                font
                for item in items
                if item.path.suffix == ".html"
                for font in item.path.parent.glob(f"fonts/{item.path.stem}-*")
            }
            for path in sorted(members):
                _add(pack, path.relative_to(out_dir).as_posix(), path.read_bytes())
            _add(pack, "index.html", _index(out_dir, items).encode("utf-8"))
        tmp.replace(target)
    finally:
        tmp.unlink(missing_ok=True)
    return target


def _add(pack: zipfile.ZipFile, name: str, data: bytes) -> None:
    info = zipfile.ZipInfo(name, STAMP)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    pack.writestr(info, data)


def _index(out_dir: Path, items: list[Entry]) -> str:
    rows = "\n".join(
        '<tr><td><a href="{href}">{name}</a></td><td>{title}</td><td>{pages}</td>'
        "<td>{paper}</td><td>{use}</td></tr>".format(
            href=html.escape(item.path.relative_to(out_dir).as_posix()),
            name=html.escape(item.path.name),
            title=html.escape(item.title),
            pages=item.pages if item.pages is not None else "web page",
            paper=html.escape(item.paper),
            use=html.escape(item.use),
        )
        for item in items
    )
    return f"""<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Class pack</title>
<style>
body {{ font: 16px/1.5 system-ui, sans-serif; margin: 1.5rem auto; max-width: 60rem; padding: 0 1rem; }}
table {{ border-collapse: collapse; width: 100%; }} th, td {{ text-align: left; padding: .3rem .6rem .3rem 0;
border-bottom: 1px solid #ccc; vertical-align: top; }} td:first-child {{ overflow-wrap: anywhere; }}
</style></head>
<body>
<h1>Class pack</h1>
<p>Every document, with its number of pages, its paper and what it is for. Class sets print two
copies to a sheet: print double-sided, flipping on the short edge, and cut the sheets in half.</p>
<table>
<thead><tr><th>File</th><th>Document</th><th>Pages</th><th>Paper</th><th>For</th></tr></thead>
<tbody>
{rows}
</tbody>
</table>
</body>
</html>
"""
