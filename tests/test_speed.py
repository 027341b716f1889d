"""What makes builds fast keeps them right: the remembered plan, copyfitting's memory, the memo of
steps, the progress display. No test here measures time (make bench does)."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, Built, normalise, project_copy, project_env, run_cli
from treatypress import fit, memo
from treatypress.jobs import Job, Outcome
from treatypress.progress import Display, describe

ONE = ["--document", "fact-sheet", "--paper", "a4"]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the project whose content a test may edit."""
    return project_copy(tmp_path)


def test_nothing_to_do_reads_no_content_and_imports_no_weasyprint(project, tmp_path):
    out, env = tmp_path / "out", project_env(project, tmp_path / "cache")
    first = run_cli(
        "build", "content/nato-1949.yaml", *ONE, "--out", str(out), cwd=project, env=env
    )
    assert first.returncode == 0 and first.stdout.startswith("1 written"), first.stderr
    probe = (
        "import sys, json; from pathlib import Path;"
        "from treatypress.build import build; from treatypress.project import find_project;"
        "p = find_project();"
        f"r, problems = build([p.content_dir / 'nato-1949.yaml'], p, out_dir=Path({str(out)!r}),"
        " kinds=['fact-sheet'], papers=['a4']);"
        "print(json.dumps([len(r.fresh), len(r.written), sorted(m for m in sys.modules"
        " if m in ('weasyprint', 'pydantic', 'treatypress.content', 'treatypress.model'))]))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=project, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == [1, 0, []]


def test_an_edit_after_a_remembered_plan_is_built_and_checked(project, tmp_path):
    out, env = tmp_path / "out", project_env(project, tmp_path / "cache")
    args = ("build", "content/nato-1949.yaml", *ONE, "--out", str(out))
    assert run_cli(*args, cwd=project, env=env).stdout.startswith("1 written")
    assert run_cli(*args, cwd=project, env=env).stdout.startswith("0 written, 1 up to date")
    content = project / "content" / "nato-1949.yaml"
    content.write_text(content.read_text(encoding="utf-8") + "# an editor's note\n", "utf-8")
    assert run_cli(*args, cwd=project, env=env).stdout.startswith("1 written")
    content.write_text(content.read_text(encoding="utf-8") + "slugg: nato\n", "utf-8")
    refused = run_cli(*args, cwd=project, env=env)
    assert refused.returncode == 1 and "slugg" in refused.stderr
    (out / "nato-1949" / "nato-1949-fact-sheet-a4.pdf").unlink()
    again = run_cli(*args, cwd=project, env=env)
    assert again.returncode == 1 and "slugg" in again.stderr  # still validated, never skipped


def test_a_template_change_remakes_documents_after_a_remembered_plan(project, tmp_path):
    out, env = tmp_path / "out", project_env(project, tmp_path / "cache")
    args = ("build", "content/nato-1949.yaml", *ONE, "--out", str(out))
    assert run_cli(*args, cwd=project, env=env).stdout.startswith("1 written")
    template = project / "templates" / "fact-sheet.html.j2"
    template.write_text(template.read_text(encoding="utf-8") + "\n", "utf-8")
    assert run_cli(*args, cwd=project, env=env).stdout.startswith("1 written")


class _Doc:
    def __init__(self, pages: int) -> None:
        self.pages = [None] * pages


def _renderer(pages_for: dict[tuple[str | None, ...], int]):
    calls: list[tuple[str | None, ...]] = []

    def render(*css: str | None) -> _Doc:
        calls.append(css)
        return _Doc(pages_for.get(css, 2))

    return render, calls


def test_copyfitting_renders_a_remembered_choice_once():
    render, calls = _renderer({("11pt",): 2, ("10pt",): 1})
    searched = fit.fit(render, pages=1, variants=["11pt", "10pt"], short=[], fill=[])
    assert searched.fits and searched.choice == (1, -1, -1) and searched.renders == 2
    render, calls = _renderer({("11pt",): 2, ("10pt",): 1})
    again = fit.fit(
        render, pages=1, variants=["11pt", "10pt"], short=[], fill=[], remembered=[1, -1, -1]
    )
    assert again.fits and again.choice == (1, -1, -1) and calls == [("10pt",)]


def test_a_remembered_choice_that_no_longer_fits_is_searched_again():
    render, calls = _renderer({("11pt",): 1, ("10pt",): 1})
    result = fit.fit(
        render, pages=2, variants=["11pt", "10pt"], short=[], fill=[], remembered=[1, -1, -1]
    )
    assert not result.fits and calls[0] == ("10pt",) and len(calls) == 3
    render, calls = _renderer({})
    nonsense = fit.fit(render, pages=2, variants=["11pt"], short=[], fill=[], remembered=[7, 0, 0])
    assert nonsense.fits and calls == [("11pt",)]


def test_the_memo_remakes_an_entry_that_is_damaged(tmp_path, monkeypatch):
    monkeypatch.setenv("TREATYPRESS_CACHE", str(tmp_path))
    key = memo.digest("input")
    assert memo.cached("things", key, lambda: b"made") == b"made"
    assert memo.cached("things", key, lambda: b"not called") == b"made"
    stored = tmp_path / "things" / key[:2] / key
    stored.write_bytes(stored.read_bytes()[:-1] + b"X")
    assert memo.cached("things", key, lambda: b"made again") == b"made again"


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_lists_each_written_document_with_pages_size_and_time(tmp_path):
    job = Job(Path("x.yaml"), "x", "fact-sheet", "a4", tmp_path / "x" / "x-fact-sheet-a4.pdf", "d")
    outcome = Outcome(None, [], pages=1, size=120_000, ms=412.4)
    assert describe(job, outcome) == "x/x-fact-sheet-a4.pdf  1 page, 117 KB, 412 ms"
    screen = _Terminal()
    display = Display(screen)
    display.start([job])
    display.done(job, outcome)
    display.close()
    assert "x/x-fact-sheet-a4.pdf  1 page, 117 KB, 412 ms" in screen.getvalue()


def test_a_piped_or_quiet_build_prints_the_summary_alone(project, tmp_path):
    out, env = tmp_path / "out", project_env(project, tmp_path / "cache")
    for extra in ([], ["--quiet"]):
        shutil.rmtree(out, ignore_errors=True)
        done = run_cli(
            "build", "content/nato-1949.yaml", *ONE, "--out", str(out), *extra, cwd=project, env=env
        )
        assert done.stdout.splitlines() == [done.stdout.strip()]
        assert done.stdout.startswith("1 written, 0 up to date, 0 failed in ")


def test_watch_names_only_content_saves_as_edits(tmp_path):
    from treatypress.project import Project
    from treatypress.watching import edited_content

    project = Project(tmp_path)
    (tmp_path / "content").mkdir()
    saved = tmp_path / "content" / "a.yaml"
    saved.write_text("x")
    assert edited_content([(1, str(saved))], project) == [saved]
    style = tmp_path / "styles" / "base.css"
    assert edited_content([(1, str(saved)), (1, str(style))], project) == []


def test_stylesheets_parsed_once_per_process_give_the_same_pdf(build_dir, tmp_path, monkeypatch):
    """Each process parses a stylesheet (and loads the fonts it declares) once, for every document
    it renders; the PDF is byte for byte the one WeasyPrint makes reading the document's own links."""
    import weasyprint

    from treatypress import pdf, sheets

    parsed: list[str] = []

    class Counted(weasyprint.CSS):  # type: ignore[misc]
        def __init__(self, *args, **kwargs):
            parsed.append(kwargs.get("url") or "string")
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(weasyprint, "CSS", Counted)
    monkeypatch.setattr(sheets, "_PARSED", {})
    monkeypatch.setattr(sheets, "_shared", None)
    root = ROOT
    names = ["nato-1949-fact-sheet-a4", "sino-soviet-1950-handout-a4", "nato-1949-handout-a4"]
    sources = {
        n: (build_dir / n.split("-fact")[0].split("-handout")[0] / f"{n}.html") for n in names
    }

    def write(name: str, out: Path) -> bytes:
        pdf.write_pdf(
            html=sources[name].read_text(encoding="utf-8"),
            base_dir=root,
            allowed=[root / "styles"],
            out=out,
            document=name,
            pages=None,
            max_pages=4,
            identifier=name,
            styles="digest-of-styles",
        )
        return out.read_bytes()

    ours = {}
    for name in names:
        before = len(parsed)
        ours[name] = write(name, tmp_path / f"{name}.pdf")
        urls = [u for u in parsed[before:] if u != "string"]
        if name == names[0]:
            assert any(u.endswith("styles/fact-sheet.css") for u in urls)
        elif name == names[2]:
            assert urls == [], f"{name} parsed {urls} again"
    assert len([u for u in parsed if u.endswith("handout.css")]) == 1

    def left_in_place(page, parse, styles=""):
        return sheets.Prepared()  # the links stay in the document: WeasyPrint reads them itself

    monkeypatch.setattr(sheets, "prepare", left_in_place)
    for name in names:
        theirs = write(name, tmp_path / f"{name}-weasyprint.pdf")
        assert theirs == ours[name], f"{name}: prepared stylesheets changed the PDF"


def test_watch_makes_the_edited_fact_sheet_first_then_the_rest_and_leaves_nothing(tmp_path):
    """`treatypress watch` as a user runs it: a save made during the first build is seen; a saved
    content file's fact sheet (first paper) is written first and carries the edit; the rest follow;
    a style change remakes everything; SIGTERM stops it and its temporary folder is gone."""
    import queue
    import re
    import signal
    import threading
    import time

    project = project_copy(tmp_path)
    for other in (project / "content").glob("*.yaml"):
        if other.name != "nato-1949.yaml":
            other.unlink()
    target = project / "content" / "nato-1949.yaml"
    temp, out = tmp_path / "tmp", tmp_path / "out"
    temp.mkdir()
    env = {**project_env(project, tmp_path / "cache"), "TMPDIR": str(temp)}
    process = subprocess.Popen(
        [sys.executable, "-u", "-m", "treatypress", "watch", "--out", str(out)],
        cwd=project,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(
        target=lambda: [lines.put(line.rstrip("\n")) for line in process.stdout], daemon=True
    ).start()
    said: list[str] = []

    def wait_for(pattern: str) -> str:
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            try:
                line = lines.get(timeout=1)
            except queue.Empty:
                assert process.poll() is None, "\n".join(said)
                continue
            said.append(line)
            if re.search(pattern, line):
                return line
        raise AssertionError(f"no line matching {pattern!r} in:\n" + "\n".join(said))

    try:
        time.sleep(3)  # the first build is under way: a save now must not be missed
        text = target.read_text(encoding="utf-8")
        assert "subject: Cold War alliances\n" in text
        target.write_text(text.replace("Cold War alliances", "Cold War alliances, 1949"), "utf-8")
        documents = re.search(
            r": (\d+) written, 0 up to date, 0 failed$", wait_for(r"^rebuilt in ")
        )
        assert documents, "\n".join(said)
        wait_for(r"^watching ")
        wait_for(r"^rebuilt in ")  # the save made during the first build, seen
        fact_sheet = out / "nato-1949" / "nato-1949-fact-sheet-a4.pdf"
        assert (
            normalise("Cold War alliances, 1949")
            in Built("nato-1949", "fact-sheet", "a4", fact_sheet).text
        )
        text = target.read_text(encoding="utf-8")
        assert "edition: '2026-11-27'" in text
        saved = time.time()
        target.write_text(text.replace("edition: '2026-11-27'", "edition: '2026-11-28'"), "utf-8")
        first = wait_for(r"written .* after the change")
        assert first.startswith("nato-1949-fact-sheet-a4.pdf written ")
        rebuilt = wait_for(r"^rebuilt in ")
        assert rebuilt.endswith(" 0 failed"), "\n".join(said)
        assert (
            normalise("Edition of 28 November 2026")
            in Built("nato-1949", "fact-sheet", "a4", fact_sheet).text
        )
        remade = [p for p in out.glob("nato-1949/*") if p.is_file() and p.stat().st_mtime > saved]
        assert len(remade) > 1
        assert all(fact_sheet.stat().st_mtime <= p.stat().st_mtime for p in remade)

        with (project / "styles" / "base.css").open("a", encoding="utf-8") as handle:
            handle.write("\n/* saved again */\n")
        rebuilt = wait_for(r"^rebuilt in ")
        assert re.search(rf": {documents[1]} written, 0 up to date, 0 failed$", rebuilt), rebuilt
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=60)
    assert process.returncode == 128 + signal.SIGTERM
    assert list(temp.iterdir()) == []
