"""Command line: argument parsing only; errors become messages and exit codes."""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import NoReturn

from .errors import ContentError, TreatypressError, UsageError
from .project import Project, find_project


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # exit status 2, as usage errors should
        self.print_usage(sys.stderr)
        command = self.prog.removeprefix("treatypress").strip()
        raise UsageError(f"{command}: {message}" if command else message)


def _workers(text: str) -> int:
    """--jobs: a whole number of worker processes, one or more."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} workers: give 1 or more")
    return value


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="treatypress", description="Typeset treaty fact sheets and handouts.")
    parser.add_argument("--debug", action="store_true", help="show tracebacks")
    parser.add_argument("--version", action="version", version=f"treatypress {_version()}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    build = sub.add_parser("build", help="validate content and write PDFs")
    build.add_argument(
        "content", nargs="*", type=Path, help="content files (default: all in content/)"
    )
    build.add_argument("--document", action="append", help="document kind (repeatable)")
    build.add_argument(
        "--paper",
        action="append",
        help="paper size, as templates/documents.yaml names it: a4, letter, a5, half-letter, "
        "web ... (repeatable)",
    )
    build.add_argument("--out", type=Path, help="output folder (default: build/)")
    build.add_argument("--jobs", type=_workers, help="worker processes (default: one per core)")
    build.add_argument(
        "--strict", action="store_true", help="treat WeasyPrint warnings as failures"
    )
    build.add_argument(
        "--archival",
        action="store_true",
        help="write tagged PDF/A-3a files (-archival.pdf) with the content attached",
    )
    check = sub.add_parser("check", help="validate content without rendering")
    check.add_argument("content", nargs="*", type=Path)
    facts = sub.add_parser("facts", help="report every fact, its source, and where it is printed")
    facts.add_argument("content", nargs="*", type=Path)
    facts.add_argument("--out", type=Path, help="build folder to read and write (default: build/)")
    fonts = sub.add_parser(
        "fonts", help="recut every script face's subset to what all content uses"
    )
    fonts.add_argument(
        "--packages",
        action="store_true",
        help="only list the Debian font packages needed to cut characters content adds",
    )
    schema = sub.add_parser("schema", help="write the content JSON Schema")
    schema.add_argument("--out", type=Path, help="file to write (default: stdout)")
    reference = sub.add_parser("reference", help="write the content field reference (Markdown)")
    reference.add_argument("--out", type=Path, help="file to write (default: stdout)")
    new = sub.add_parser(
        "new", help="start content/SLUG.yaml: every field explained, placeholders to fill in"
    )
    new.add_argument("slug", help="lower-case words joined by hyphens, e.g. waitangi-1840")
    pack = sub.add_parser(
        "pack", help="zip every built document and web page, with an index, for a class"
    )
    pack.add_argument("--out", type=Path, help="build folder to pack (default: build/)")
    previews = sub.add_parser("previews", help="render every page of every built PDF to PNG")
    previews.add_argument("--out", type=Path, help="build folder (default: build/)")
    watch = sub.add_parser("watch", help="rebuild when content, templates or styles change")
    watch.add_argument("--out", type=Path)
    return parser


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("treatypress")
    except PackageNotFoundError:
        return "unknown"


def main(argv: list[str] | None = None) -> int:
    """Entry point of the treatypress console script."""
    debug = "--debug" in (argv if argv is not None else sys.argv[1:])
    if debug:
        os.environ["TREATYPRESS_DEBUG"] = "1"  # read by the build workers
    try:
        args = _parser().parse_args(argv)
        return _COMMANDS[args.command](args)
    except ContentError as exc:
        print(exc, file=sys.stderr)
        return 1
    except TreatypressError as exc:
        print(f"treatypress: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("treatypress: stopped by SIGINT", file=sys.stderr)
        return 130
    except Exception:
        if debug:
            raise
        import traceback

        print(
            "treatypress: internal error (run with --debug for details): "
            + traceback.format_exc().strip().splitlines()[-1],
            file=sys.stderr,
        )
        return 3


def _build(args: argparse.Namespace) -> int:
    from .build import build

    project = find_project()
    out = (args.out or project.build_dir).resolve()
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {out} is a file, not a folder")
    paths = _content_paths(args.content, project)
    started = time.perf_counter()
    report, problems = build(
        paths,
        project,
        out_dir=out,
        kinds=args.document,
        papers=args.paper,
        workers=args.jobs,
        archival=args.archival,
    )
    for problem in problems:
        print(problem, file=sys.stderr)
    for warning in report.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    for failure in report.failures:
        print(f"error: {failure}", file=sys.stderr)
    print(
        f"{len(report.written)} written, {len(report.fresh)} up to date, "
        f"{len(report.failures) + len(problems)} failed in {time.perf_counter() - started:.1f} s"
    )
    failed = problems or report.failures or (args.strict and report.warnings)
    return 1 if failed else 0


def _pack(args: argparse.Namespace) -> int:
    from .build import load_all, plan
    from .documents import load_catalogue
    from .pack import entries, write_pack

    project = find_project()
    out = (args.out or project.build_dir).resolve()
    catalogue = load_catalogue(project.templates_dir)
    loaded, problems = load_all(_content_paths([], project), project, recut=False)
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


def _previews(args: argparse.Namespace) -> int:
    from .previews import write_previews

    out = (args.out or find_project().build_dir).resolve()
    written = write_previews(out)
    if not written:
        raise UsageError(f"no PDFs in {out}; run `make pdf` first")
    print(f"wrote {len(written)} pictures under {out}/*/previews/")
    return 0


def _content_paths(paths: list[Path], project: Project) -> list[Path]:
    from .content import find_content

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


def _check(args: argparse.Namespace) -> int:
    from .build import load_all

    project = find_project()
    loaded, problems = load_all(_content_paths(args.content, project), project, recut=False)
    for problem in problems:
        print(problem, file=sys.stderr)
    for item in loaded:
        print(f"{item.doc.path}: ok")
    return 1 if problems else 0


def _facts(args: argparse.Namespace) -> int:
    from . import report
    from .build import build
    from .pdf import atomic_write

    project = find_project()
    out = (args.out or project.build_dir).resolve()
    built, problems = build(_content_paths(args.content, project), project, out_dir=out)
    for problem in problems:
        print(problem, file=sys.stderr)
    for failure in built.failures:
        print(f"error: {failure}", file=sys.stderr)
    if problems or built.failures:
        return 1
    from .content import load_treaty

    for path in _content_paths(args.content, project):
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


def _fonts(args: argparse.Namespace) -> int:
    from .build import load_all
    from .content import load_treaty
    from .fonts import FontSet, make_subset, missing_packages, needed, write_css

    project = find_project()
    paths = sorted(project.content_dir.glob("*.yaml"))
    fonts = FontSet.load(project.styles_dir / "fonts")
    if args.packages:  # for the Makefile: what to install before a build can cut new characters
        treaties = []
        for path in paths:
            try:
                treaties.append(load_treaty(path).treaty)
            except TreatypressError:
                continue  # check and build report it
        print(" ".join(missing_packages(fonts, treaties)))
        return 0
    loaded, problems = load_all(paths, project, recut=False)
    by_id = {f.id: f for f in fonts.spec.scripts}
    for face_id, chars in needed(fonts, [x.treaty for x in loaded]).items():
        out = make_subset(fonts, by_id[face_id], chars)
        print(f"{out}: {len(chars)} characters")
    write_css(fonts)
    return 1 if problems else 0


def _new(args: argparse.Namespace) -> int:
    from .content import display_path
    from .scaffold import write_new

    shown = display_path(write_new(find_project().content_dir, args.slug))
    print(f"wrote {shown}: replace every <...> placeholder, then run: treatypress check {shown}")
    return 0


def _reference(args: argparse.Namespace) -> int:
    from .reference import markdown

    return _write(markdown(), args.out)


def _schema(args: argparse.Namespace) -> int:
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


def _watch(args: argparse.Namespace) -> int:
    from watchfiles import watch

    project = find_project()
    build_args = argparse.Namespace(
        content=[], document=None, paper=None, out=args.out, jobs=None, strict=False, archival=False
    )
    _safe_build(build_args)
    print("watching content/, templates/ and styles/ (Ctrl-C to stop)")
    for _ in watch(project.content_dir, project.templates_dir, project.styles_dir):
        _safe_build(build_args)
    return 0


def _safe_build(args: argparse.Namespace) -> None:
    try:
        _build(args)
    except TreatypressError as exc:
        print(exc, file=sys.stderr)


_COMMANDS = {
    "build": _build,
    "check": _check,
    "facts": _facts,
    "fonts": _fonts,
    "new": _new,
    "pack": _pack,
    "previews": _previews,
    "reference": _reference,
    "schema": _schema,
    "watch": _watch,
}

if __name__ == "__main__":
    sys.exit(main())
