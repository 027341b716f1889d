"""Conformance by the reference validator: every PDF is PDF/UA-1, every archival PDF also PDF/A-3a.

veraPDF lives beside the checkout (../shared/tools/verapdf/, in CI too); it runs once per profile
over all the files. When it or Java is missing the tests are skipped with its own message.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from conftest import CATALOGUE, DOCUMENTS, PAPERS, ROOT, SLUGS, STUDENT_ARGS, run_cli

VERAPDF = ROOT.parent / "shared" / "tools" / "verapdf" / "verapdf"
FILE_LINE = re.compile(
    r"FILE (?P<name>\S+\.pdf)(?: profile=(?P<profile>\S+) -> (?P<status>PASS|FAIL)| (?P<error>ERROR.*))"
)
FAILED_LINE = re.compile(
    r"\s+FAILED (?P<spec>.+?) clause (?P<clause>\S+) test (?P<test>\S+) x(?P<count>\d+) : (?P<text>.*)"
)


@dataclass
class Verdict:
    """What veraPDF said about one file: PASS, FAIL or ERROR, and each rule it failed."""

    status: str
    failed: list[str] = field(default_factory=list)


def parse(output: str) -> dict[str, Verdict]:
    """veraPDF's report, by file name: `FILE x.pdf profile=ua1 -> FAIL` and its `FAILED ...` lines."""
    verdicts: dict[str, Verdict] = {}
    current = None
    for line in output.splitlines():
        if match := FILE_LINE.match(line):
            current = verdicts[match["name"]] = Verdict(match["status"] or match["error"])
        elif (match := FAILED_LINE.match(line)) and current is not None:
            text = match["text"] if len(match["text"]) <= 140 else match["text"][:140] + "…"
            current.failed.append(
                f"{match['spec']} clause {match['clause']} test {match['test']} "
                f"(x{match['count']}): {text}"
            )
    return verdicts


def validate(flavour: str, files: list[Path]) -> dict[str, Verdict]:
    """Run veraPDF once over `files`; skip when it cannot run here."""
    if not VERAPDF.is_file():
        pytest.skip(
            f"veraPDF not found at {VERAPDF} (it comes with the shared tools beside the checkout)"
        )
    result = subprocess.run(
        [str(VERAPDF), flavour, *map(str, files)], capture_output=True, text=True, timeout=900
    )
    verdicts = parse(result.stdout)
    if result.returncode == 2 or not verdicts:
        reason = (result.stderr.strip() or result.stdout.strip() or "no output").splitlines()[-1]
        pytest.skip(f"veraPDF could not run (exit {result.returncode}): {reason}")
    missing = [f.name for f in files if f.name not in verdicts]
    assert not missing, f"veraPDF gave no verdict on {missing}:\n{result.stdout[-2000:]}"
    return verdicts


def verdict_message(name: str, flavour: str, verdict: Verdict) -> str:
    return "\n  ".join([f"{name} is not {flavour} ({verdict.status}):", *verdict.failed])


# The other editions: teacher, large print, the half-size class-set pages and the comparison
# sheets (the sheets with two pages imposed on them are print files and are not tagged).
EDITIONS = [
    f"{slug}/{slug}-{kind}-{paper}.pdf"
    for slug in SLUGS
    for kind, spec in CATALOGUE["kinds"].items()
    if not spec.get("pair")
    for paper in spec["papers"]
    if not PAPERS[paper].get("screen") and (slug, kind, paper) not in DOCUMENTS
] + ["compare/sino-soviet-1945-vs-sino-soviet-1950-a4.pdf"]


@pytest.fixture(scope="session")
def ua1(built, build_dir) -> dict[str, Verdict]:
    """PDF/UA-1 verdicts on every built PDF, every edition included, from one run of veraPDF."""
    return validate("ua1", [pdf.path for pdf in built.values()] + [build_dir / e for e in EDITIONS])


@pytest.fixture(scope="session")
def archival_dir(tmp_path_factory) -> Path:
    """The archival (PDF/A-3a) edition of every document, built by the command line."""
    out = tmp_path_factory.mktemp("archival")
    result = run_cli("build", "--archival", "--out", str(out), *STUDENT_ARGS)
    assert result.returncode == 0, result.stderr
    return out


def archival_path(archival_dir: Path, doc: tuple[str, str, str]) -> Path:
    slug, kind, paper = doc
    return archival_dir / slug / f"{slug}-{kind}-{paper}-archival.pdf"


@pytest.fixture(scope="session")
def archival(archival_dir) -> dict[str, dict[str, Verdict]]:
    """PDF/A-3a and PDF/UA-1 verdicts on every archival PDF, one run of veraPDF per profile."""
    files = [archival_path(archival_dir, doc) for doc in DOCUMENTS]
    return {flavour: validate(flavour, files) for flavour in ("3a", "ua1")}


@pytest.mark.parametrize("doc", DOCUMENTS, ids="-".join)
def test_every_pdf_is_pdf_ua1(ua1, doc):
    name = f"{'-'.join(doc)}.pdf"
    if ua1[name].status != "PASS":
        pytest.fail(verdict_message(name, "PDF/UA-1", ua1[name]), pytrace=False)


@pytest.mark.parametrize("edition", EDITIONS)
def test_every_edition_is_pdf_ua1(ua1, edition):
    name = Path(edition).name
    if ua1[name].status != "PASS":
        pytest.fail(verdict_message(name, "PDF/UA-1", ua1[name]), pytrace=False)


@pytest.mark.parametrize("flavour", ["3a", "ua1"])
@pytest.mark.parametrize("doc", DOCUMENTS, ids="-".join)
def test_every_archival_pdf_is_pdf_a3a_and_pdf_ua1(archival, archival_dir, doc, flavour):
    name = archival_path(archival_dir, doc).name
    verdict = archival[flavour][name]
    if verdict.status != "PASS":
        pytest.fail(
            verdict_message(name, {"3a": "PDF/A-3a", "ua1": "PDF/UA-1"}[flavour], verdict),
            pytrace=False,
        )


SAMPLE_REPORT = """\
FILE a-fact-sheet-a4.pdf profile=ua1 -> PASS (jobEnd=normal, assertions=11324)
FILE b-handout-a4.pdf profile=ua1 -> FAIL (jobEnd=normal, assertions=19753)
  FAILED ISO 14289-1:2014 clause 7.2 test 20 x4 : LI element may contain only Lbl and LBody elements
      e.g. LI element contains P element(s) instead of Lbl or LBody @ root/document[0]/StructTreeRoot[0]
  FAILED ISO 14289-1:2014 clause 7.21.8 test 1 x100 : A PDF/UA compliant document shall not contain a reference to the .notdef glyph
FILE c.pdf ERROR java.io.IOException: broken
"""


def test_parse_reads_verdicts_and_failed_clauses():
    verdicts = parse(SAMPLE_REPORT)
    assert verdicts["a-fact-sheet-a4.pdf"] == Verdict("PASS")
    assert verdicts["b-handout-a4.pdf"].status == "FAIL"
    first, second = verdicts["b-handout-a4.pdf"].failed
    assert first == (
        "ISO 14289-1:2014 clause 7.2 test 20 (x4): "
        "LI element may contain only Lbl and LBody elements"
    )
    assert second.startswith("ISO 14289-1:2014 clause 7.21.8 test 1 (x100): A PDF/UA compliant")
    assert verdicts["c.pdf"].status.startswith("ERROR java.io.IOException")
