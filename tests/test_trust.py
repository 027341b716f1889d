"""Trustworthy output: reproducible, tagged (PDF/UA-1), archival (PDF/A-3a), content printed as text,
and no half-written file even when a build is killed."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pikepdf
import pytest

from conftest import (
    CONTENT,
    DOCUMENTS,
    ROOT,
    STUDENT_ARGS,
    edition,
    normalise,
    project_copy,
    run_cli,
    short_title,
)

PAINT = {"f", "F", "f*", "S", "s", "B", "B*", "b", "b*", "sh"}


def _files(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.suffix in (".pdf", ".html")
    }


def test_builds_are_byte_identical_across_processes_times_and_zones(build_dir, tmp_path):
    time.sleep(1.1)  # a different second on the clock
    env = {**os.environ, "TZ": "Pacific/Auckland", "SOURCE_DATE_EPOCH": "0"}
    again = tmp_path / "again"
    # the student documents of every treaty, and every edition of one (web fonts and class-set
    # sheets included)
    for args in (STUDENT_ARGS, [str(CONTENT / "nato-1949.yaml")]):
        result = run_cli("build", "--out", str(again), "--jobs", "1", *args, env=env)
        assert result.returncode == 0, result.stderr
    second = _files(again)
    second.update({str(p.relative_to(again)): p.read_bytes() for p in again.rglob("fonts/*")})
    assert all(f"{s}/{s}-{k}-{p}.pdf" in second for s, k, p in DOCUMENTS)
    assert any("-2up-" in name for name in second) and any("/fonts/" in name for name in second)
    different = [name for name in second if (build_dir / name).read_bytes() != second[name]]
    assert not different


@pytest.mark.parametrize("doc", DOCUMENTS, ids="-".join)
def test_tagged_pdf_ua(built, doc):
    with pikepdf.open(built[doc].path) as pdf:
        root = pdf.Root
        assert str(root.Lang) == "en"
        assert bool(root.ViewerPreferences.DisplayDocTitle) is True
        assert bool(root.MarkInfo.Marked) is True
        with pdf.open_metadata() as xmp:
            assert xmp.get("pdfuaid:part") == "1"
            assert xmp.get("dc:title")
        tags = _structure(root.StructTreeRoot)
        assert tags[0] == "/Document" and "/H1" in tags and tags.count("/H2") >= 5
        assert "/P" in tags and ("/Table" in tags or "/L" in tags)
        assert "/Figure" not in tags or _figures_have_alt(root.StructTreeRoot)
        # Bookmarks: the title and every section heading, in the order they are printed.
        marks = _outline(root.Outlines)
        assert marks[0] == short_title(doc[0])
        text = built[doc].text
        positions = [text.find(normalise(m)) for m in marks[1:]]
        assert all(p >= 0 for p in positions) and positions == sorted(positions), marks
        # Decorative rules, boxes and backgrounds are artifacts, outside the structure tree.
        for page in pdf.pages:
            stack, painted = [], 0
            for operands, operator in pikepdf.parse_content_stream(page):
                op = str(operator)
                if op in ("BMC", "BDC"):
                    stack.append(str(operands[0]))
                elif op == "EMC":
                    stack.pop()
                elif op in PAINT:
                    painted += 1
                    assert "/Artifact" in stack, f"{op} drawn outside an artifact"
            assert painted > 0


def _structure(node, out=None) -> list[str]:
    out = [] if out is None else out
    kids = node.get("/K")
    if "/S" in node:
        out.append(str(node.S))
    if kids is None:
        return out
    for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
        if (
            isinstance(kid, pikepdf.Dictionary)
            and "/S" in kid
            or isinstance(kid, pikepdf.Dictionary)
            and "/K" in kid
        ):
            _structure(kid, out)
    return out


def _figures_have_alt(node) -> bool:
    ok = True
    if node.get("/S") == "/Figure":
        ok = "/Alt" in node
    kids = node.get("/K")
    for kid in kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []:
        if isinstance(kid, pikepdf.Dictionary):
            ok = ok and _figures_have_alt(kid)
    return ok


def _outline(outlines) -> list[str]:
    titles, stack = [], [outlines.First]
    while stack:
        item = stack.pop()
        while item is not None:
            titles.append(str(item.Title))
            if "/First" in item:
                stack.append(item.First)
            item = item.get("/Next")
    return titles


def test_archival_edition_embeds_its_content(tmp_path):
    out = tmp_path / "archive"
    result = run_cli(
        "build",
        str(CONTENT / "sino-soviet-1950.yaml"),
        "--archival",
        "--out",
        str(out),
        "--document",
        "fact-sheet",
        "--paper",
        "a4",
    )
    assert result.returncode == 0, result.stderr
    path = out / "sino-soviet-1950" / "sino-soviet-1950-fact-sheet-a4-archival.pdf"
    with pikepdf.open(path) as pdf:
        with pdf.open_metadata() as xmp:
            assert (xmp.get("pdfaid:part"), xmp.get("pdfaid:conformance")) == ("3", "A")
        assert "/OutputIntents" in pdf.Root and "/StructTreeRoot" in pdf.Root
        spec = pdf.attachments["sino-soviet-1950.yaml"]
        assert str(spec.obj.AFRelationship) == "/Source"
        assert spec.get_file().read_bytes() == (CONTENT / "sino-soviet-1950.yaml").read_bytes()
        assert str(spec.get_file().obj.Params.ModDate).startswith(
            "D:" + edition("sino-soviet-1950").replace("-", "")
        )
    again = tmp_path / "again"
    run_cli(
        "build",
        str(CONTENT / "sino-soviet-1950.yaml"),
        "--archival",
        "--out",
        str(again),
        "--document",
        "fact-sheet",
        "--paper",
        "a4",
    )
    assert (again / path.relative_to(out)).read_bytes() == path.read_bytes()


def _content_copy(tmp_path: Path, old: str, new: str) -> Path:
    folder = tmp_path / "content"
    shutil.copytree(CONTENT, folder)
    target = folder / "sino-soviet-1950.yaml"
    text = target.read_text(encoding="utf-8")
    assert old in text
    target.write_text(text.replace(old, new, 1), encoding="utf-8")
    return target


def test_markup_in_content_prints_as_typed(tmp_path):
    typed = "<i>not italic</i> &amp; <script>alert('x')</script>"
    path = _content_copy(
        tmp_path,
        "  - >-\n    The {parties.prc} was founded",
        f"  - >-\n    {typed} The {{parties.prc}} was founded",
    )
    out = tmp_path / "out"
    result = run_cli(
        "build", str(path), "--out", str(out), "--document", "fact-sheet", "--paper", "a4"
    )
    assert result.returncode == 0, result.stderr
    pdf = out / "sino-soviet-1950" / "sino-soviet-1950-fact-sheet-a4.pdf"
    from pypdf import PdfReader

    text = " ".join(PdfReader(pdf).pages[0].extract_text().split())
    assert typed in text
    html = pdf.with_suffix(".html").read_text(encoding="utf-8")
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_killed_build_leaves_old_or_new_files_never_broken(tmp_path):
    old_dir, new_dir = tmp_path / "old", tmp_path / "new"
    path = _content_copy(tmp_path, "subject: Cold War in Asia", "subject: Cold War in East Asia")
    assert run_cli("build", "--out", str(old_dir)).returncode == 0  # the shipped content
    assert run_cli("build", str(path), "--out", str(new_dir)).returncode == 0  # the edited content
    old, new = _files(old_dir), _files(new_dir)
    changed = [name for name in new if old.get(name) != new[name]]
    assert changed
    for delay in (0.3, 1.0, 1.8):
        out = tmp_path / f"killed-{delay}"
        shutil.copytree(old_dir, out)
        proc = subprocess.Popen(
            [sys.executable, "-m", "treatypress", "build", str(path), "--out", str(out)],
            cwd=ROOT,
            start_new_session=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(delay)
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        time.sleep(0.3)  # let killed workers go
        for name, data in _files(out).items():
            if name.startswith("sino-soviet-1950"):
                assert data in (old[name], new[name]), f"{name} is neither the old nor the new file"
        # The next build finishes the job and cleans up what the killed one left.
        assert run_cli("build", str(path), "--out", str(out)).returncode == 0
        assert {n: d for n, d in _files(out).items() if n.startswith("sino-soviet-1950")} == {
            n: d for n, d in new.items() if n.startswith("sino-soviet-1950")
        }
        assert not list(out.rglob("*.tmp"))


def test_incremental_build_remakes_only_what_changed(tmp_path):
    out = tmp_path / "out"
    first = run_cli("build", "--out", str(out), *STUDENT_ARGS)
    n = len(DOCUMENTS)
    assert first.returncode == 0 and first.stdout.startswith(f"{n} written, 0 up to date")
    second = run_cli("build", "--out", str(out), *STUDENT_ARGS)
    assert second.stdout.startswith(f"0 written, {n} up to date")
    (out / "sino-soviet-1945" / "sino-soviet-1945-handout-a4.pdf").unlink()
    third = run_cli("build", "--out", str(out), *STUDENT_ARGS)
    assert third.stdout.startswith(f"1 written, {n - 1} up to date")


def test_fonttools_subsetting_is_reproducible_too(tmp_path, monkeypatch):
    """Without HarfBuzz's subsetter WeasyPrint falls back to fontTools, which stamps the time into each
    font unless SOURCE_DATE_EPOCH is set; the worker sets it from the content's edition date."""
    import weasyprint.pdf.fonts

    from treatypress.build import Job
    from treatypress.worker import render_job

    monkeypatch.setattr(weasyprint.pdf.fonts, "harfbuzz_subset", None)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    outputs = []
    for n in range(2):
        out = tmp_path / str(n) / "sino-soviet-1950-fact-sheet-a4.pdf"
        job = Job(
            CONTENT / "sino-soviet-1950.yaml", "sino-soviet-1950", "fact-sheet", "a4", out, "x"
        )
        error, _ = render_job(job, ROOT)
        assert error is None
        outputs.append(out.read_bytes())
        time.sleep(1.1)
    assert outputs[0] == outputs[1]


def test_atomic_write_never_exposes_a_partial_file(tmp_path, monkeypatch):
    """A crash while writing leaves the old file whole and no temporary file behind."""
    from treatypress import atomic as pdfmod

    target = tmp_path / "doc.pdf"
    target.write_bytes(b"old, complete")

    def crash(fd):
        raise KeyboardInterrupt  # the process dies after the bytes went to disk, before the rename

    monkeypatch.setattr(pdfmod.os, "fsync", crash)
    with pytest.raises(KeyboardInterrupt):
        pdfmod.atomic_write(target, b"new and much longer content" * 1000)
    assert target.read_bytes() == b"old, complete"
    assert [p.name for p in tmp_path.iterdir()] == ["doc.pdf"]
    monkeypatch.undo()
    pdfmod.atomic_write(target, b"new")
    assert target.read_bytes() == b"new" and oct(target.stat().st_mode & 0o777) == "0o644"


def test_a_new_document_kind_is_data_only(tmp_path):
    project = project_copy(tmp_path)
    (project / "styles" / "poster.css").write_text(
        '@import "fact-sheet.css";\nhtml { font-size: 9.5pt; }\nh1 { font-size: 24pt; }\n',
        encoding="utf-8",
    )
    catalogue = project / "templates" / "documents.yaml"
    catalogue.write_text(
        catalogue.read_text(encoding="utf-8")
        + (
            "  poster:\n    title: Wall poster\n    template: fact-sheet.html.j2\n"
            "    stylesheets: [poster.css]\n    pages: 1\n    papers: [a4]\n"
        ),
        encoding="utf-8",
    )
    env = {**os.environ, "TREATYPRESS_ROOT": str(project)}
    result = run_cli(
        "build", "--document", "poster", "--out", str(tmp_path / "out"), env=env, cwd=project
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out" / "sino-soviet-1950" / "sino-soviet-1950-poster-a4.pdf").is_file()


def test_strict_turns_weasyprint_warnings_into_failures(tmp_path):
    project = project_copy(tmp_path)
    sheet = project / "styles" / "fact-sheet.css"
    sheet.write_text(
        sheet.read_text(encoding="utf-8") + "\nh1 { colour: red; }\n", encoding="utf-8"
    )
    env = {**os.environ, "TREATYPRESS_ROOT": str(project)}
    args = (
        "build",
        "--document",
        "fact-sheet",
        "--paper",
        "a4",
        str(project / "content" / "sino-soviet-1945.yaml"),
    )
    lenient = run_cli(*args, "--out", str(tmp_path / "a"), env=env, cwd=project)
    assert lenient.returncode == 0 and "warning:" in lenient.stderr and "colour" in lenient.stderr
    strict = run_cli(*args, "--strict", "--out", str(tmp_path / "b"), env=env, cwd=project)
    assert strict.returncode == 1 and "colour" in strict.stderr
