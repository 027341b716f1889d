"""Command line: argument parsing only; each command runs in commands.py or upkeep.py, and errors
become messages and exit codes."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import NoReturn

from . import commands, upkeep
from .errors import ContentError, TreatypressError, UsageError


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
    parser.add_argument("--version", action=_Version, nargs=0, help="show the version and exit")
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
        "--quiet", "-q", action="store_true", help="print only the summary (as when piped)"
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


class _Version(argparse.Action):
    """--version, read from the installed package's metadata only when asked for (importing
    importlib.metadata costs a build with nothing to do a third of its time)."""

    def __call__(self, parser: argparse.ArgumentParser, *_: object) -> None:
        print(f"treatypress {_version()}")
        parser.exit()


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


_COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "build": commands.build,
    "check": commands.check,
    "facts": commands.facts,
    "fonts": upkeep.fonts,
    "new": upkeep.new,
    "pack": commands.pack,
    "previews": commands.previews,
    "reference": upkeep.reference,
    "schema": upkeep.schema,
    "watch": commands.watch,
}

if __name__ == "__main__":
    sys.exit(main())
