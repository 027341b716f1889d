"""The commands that keep the project's own files: font subsets, a new content file, the content
schema and its field reference."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .errors import TreatypressError
from .project import find_project


def fonts(args: argparse.Namespace) -> int:
    """treatypress fonts: recut every script face's subset to what all content uses."""
    from .build import load_all
    from .content import load_treaty
    from .fonts import FontSet, make_subset, missing_packages, needed, write_css

    project = find_project()
    paths = sorted(project.content_dir.glob("*.yaml"))
    faces = FontSet.load(project.styles_dir / "fonts")
    if args.packages:  # for the Makefile: what to install before a build can cut new characters
        treaties = []
        for path in paths:
            try:
                treaties.append(load_treaty(path).treaty)
            except TreatypressError:
                continue  # check and build report it
        print(" ".join(missing_packages(faces, treaties)))
        return 0
    loaded, problems = load_all(paths, project, recut=False)
    by_id = {f.id: f for f in faces.spec.scripts}
    for face_id, chars in needed(faces, [x.treaty for x in loaded]).items():
        out = make_subset(faces, by_id[face_id], chars)
        print(f"{out}: {len(chars)} characters")
    write_css(faces)
    return 1 if problems else 0


def new(args: argparse.Namespace) -> int:
    """treatypress new: start content/SLUG.yaml with every field explained."""
    from .content import display_path
    from .scaffold import write_new

    shown = display_path(write_new(find_project().content_dir, args.slug))
    print(f"wrote {shown}: replace every <...> placeholder, then run: treatypress check {shown}")
    return 0


def reference(args: argparse.Namespace) -> int:
    """treatypress reference: the content field reference, in Markdown."""
    from .reference import markdown

    return _write(markdown(), args.out)


def schema(args: argparse.Namespace) -> int:
    """treatypress schema: the content JSON Schema."""
    from .model import Treaty

    return _write(
        json.dumps(Treaty.model_json_schema(), indent=2, ensure_ascii=False) + "\n", args.out
    )


def _write(text: str, out: Path | None) -> int:
    """Write generated text to a file, or to stdout."""
    if out:
        out.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0
