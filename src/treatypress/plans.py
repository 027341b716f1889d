"""The last plan of a build folder, so that a build with nothing to do decides it from digests.

After a build whose content was all valid, the folder keeps, for each request (content files,
kinds, papers, edition), the digest of every file that went into the plan (the content files and
the files they name, templates/, styles/ and the code) and the jobs planned. When the digest is
the same again, those are the jobs: nothing is validated or imported to find them. Whether each
output is current is then decided by the state, as always (state.py).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from dataclasses import asdict, fields
from pathlib import Path
from typing import Any

from .atomic import atomic_write
from .jobs import Job
from .project import Project

PLANS = ".treatypress-plans.json"
VERSION = 1
KEEP = 16  # requests remembered per folder
CODE = Path(__file__).parent


def tree_digest(*folders: Path) -> str:
    """A digest of every file under the folders (names and bytes); a link out of its folder counts
    by its target's name, never read."""
    h = hashlib.sha256()
    for folder in folders:
        for path in sorted(
            p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts
        ):
            name = str(path.relative_to(folder)).encode()
            if path.is_symlink() and not path.resolve().is_relative_to(folder.resolve()):
                h.update(name + b"\0->" + os.readlink(path).encode())
                continue
            h.update(name + b"\0" + path.read_bytes())
    return h.hexdigest()


def request_key(
    paths: list[Path],
    kinds: list[str] | None,
    papers: list[str] | None,
    archival: bool,
    out_dir: Path,
) -> str:
    """What was asked for, as a key."""
    asked = [sorted(str(p.resolve()) for p in paths), kinds, papers, archival, str(out_dir)]
    return hashlib.sha256(json.dumps(asked).encode()).hexdigest()


def inputs_digest(project: Project, files: list[Path]) -> str | None:
    """A digest of the given content files and of templates/, styles/ and the code; None when a
    file cannot be read."""
    h = hashlib.sha256(
        tree_digest(project.templates_dir, project.styles_dir, CODE).encode() + b"\0"
    )
    for path in sorted(files):
        try:
            h.update(str(path).encode() + b"\0" + path.read_bytes() + b"\0")
        except OSError:
            return None
    return h.hexdigest()


def _read(folder: Path) -> dict[str, Any]:
    try:
        data = json.loads((folder / PLANS).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("version") != VERSION:
        return {}
    plans = data.get("plans")
    return plans if isinstance(plans, dict) else {}


def remembered(folder: Path, project: Project, request: str) -> list[Job] | None:
    """The jobs planned last time for this request, if nothing they were planned from changed."""
    entry = _read(folder).get(request)
    if not isinstance(entry, dict):
        return None
    try:
        files = [Path(f) for f in entry["files"]]
        if inputs_digest(project, files) != entry["inputs"]:
            return None
        jobs = [_job(d) for d in entry["jobs"]]
    except (KeyError, TypeError, ValueError):
        return None
    if not all(j.out.is_relative_to(folder) for j in jobs):  # a plan edited by hand
        return None
    return jobs


def remember(
    folder: Path, project: Project, request: str, files: list[Path], jobs: list[Job]
) -> None:
    """Keep this request's plan (call only when all its content was valid)."""
    digest = inputs_digest(project, files)
    if digest is None:
        return
    plans = _read(folder)
    plans.pop(request, None)
    plans[request] = {
        "inputs": digest,
        "files": sorted(str(f) for f in files),
        "jobs": [_dict(j) for j in jobs],
    }
    keep = dict(list(plans.items())[-KEEP:])
    data = {"version": VERSION, "plans": keep}
    with contextlib.suppress(OSError):  # the next build plans again
        atomic_write(folder / PLANS, json.dumps(data, sort_keys=True).encode())


def _dict(job: Job) -> dict[str, Any]:
    data = asdict(job)
    for name in ("content", "out", "other"):
        data[name] = str(data[name]) if data[name] is not None else None
    data["extras"] = [str(x) for x in job.extras]
    return data


def _job(data: dict[str, Any]) -> Job:
    names = {f.name for f in fields(Job)}
    if set(data) != names:
        raise ValueError("a job of another version")
    values = dict(data)
    for name in ("content", "out", "other"):
        values[name] = Path(values[name]) if values[name] is not None else None
    values["extras"] = tuple(Path(x) for x in values["extras"])
    return Job(**values)
