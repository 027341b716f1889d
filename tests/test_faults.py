"""Builds a teacher can trust under faults: stale outputs remade, killed workers, signals, locks, full disks.

The kill, signal, lock and disk cases run for real: processes are killed with real signals, and the
disk cases use a small tmpfs (only as root; skipped with the reason otherwise).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import CATALOGUE, CONTENT, DOCUMENTS, ROOT, SLUGS, STUDENT_ARGS, run_cli

ONE = ["--document", "fact-sheet"]


def _start(out: Path, *args: str, new_session: bool = False) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "treatypress", "build", "--out", str(out), *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=new_session,
    )


def _markers(out: Path, timeout: float = 60) -> list[Path]:
    """Wait until some worker is making a document; its marker files."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = list(out.rglob(".*.working"))
        if found:
            return found
        time.sleep(0.01)
    raise AssertionError("no worker started")


def _pdfs_whole(out: Path) -> None:
    for pdf in out.rglob("*.pdf"):
        assert len(PdfReader(pdf).pages) >= 1, pdf
    assert not list(out.rglob(".*.tmp")) and not list(out.rglob(".*.working"))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return (
        Path(f"/proc/{pid}").exists()
        and "zombie" not in Path(f"/proc/{pid}/status").read_text().lower()
    )


def _in_session(sid: int) -> list[int]:
    """Processes of a session still in the process table (read from /proc), zombies aside."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            state, _ppid, _group, session = stat.read_text().rsplit(")", 1)[1].split()[:4]
            if int(session) == sid and state != "Z":
                found.append(int(stat.parent.name))
    return found


def _outputs(out: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in out.rglob("*") if p.suffix in (".pdf", ".html")}


def test_changed_missing_and_truncated_outputs_are_remade(tmp_path):
    out = tmp_path / "out"
    assert run_cli("build", "--out", str(out), *ONE).returncode == 0
    pdf = out / "sino-soviet-1950" / "sino-soviet-1950-fact-sheet-a4.pdf"
    html = out / "sino-soviet-1945" / "sino-soviet-1945-fact-sheet-letter.html"
    with open(pdf, "r+b") as handle:
        handle.truncate(1000)
    html.unlink()
    result = run_cli("build", "--out", str(out), *ONE)
    sheets = len(SLUGS) * len(CATALOGUE["kinds"]["fact-sheet"]["papers"])
    assert result.returncode == 0 and f"2 written, {sheets - 2} up to date" in result.stdout, (
        result.stdout
    )
    assert len(PdfReader(pdf).pages) == 1 and html.exists()
    # Same size, new content: found by its digest.
    data = bytearray(pdf.read_bytes())
    data[-10:] = b"%%EOF-----"[:10]
    pdf.write_bytes(bytes(data))
    assert "1 written" in run_cli("build", "--out", str(out), *ONE).stdout


def test_edited_html_and_unrecorded_outputs_are_remade(tmp_path):
    out = tmp_path / "out"
    args = [str(CONTENT / "sino-soviet-1945.yaml"), "--out", str(out), *ONE, "--paper", "a4"]
    assert run_cli("build", *args).returncode == 0
    made = _outputs(out)
    html = out / "sino-soviet-1945" / "sino-soviet-1945-fact-sheet-a4.html"
    html.write_text(html.read_text(encoding="utf-8").replace("</body>", "<p>edited</p></body>"))
    result = run_cli("build", *args)
    assert result.returncode == 0 and result.stdout.startswith("1 written, 0 up to date")
    assert _outputs(out) == made
    (out / ".treatypress-state.json").unlink()  # files no state vouches for are not trusted
    result = run_cli("build", *args)
    assert result.returncode == 0 and result.stdout.startswith("1 written, 0 up to date")
    assert _outputs(out) == made


def test_an_interrupted_build_leaves_nothing_stale_behind(tmp_path):
    """Edit, interrupt the build part-way, undo the edit: the next build remakes every file the
    interrupted one wrote from the abandoned edit, because the state is written as each finishes."""
    folder = tmp_path / "content"
    folder.mkdir()
    for name in ("sino-soviet-1950.yaml", "sino-soviet-1945.yaml"):
        shutil.copy(CONTENT / name, folder / name)
    path = folder / "sino-soviet-1950.yaml"
    original = path.read_text(encoding="utf-8")
    out = tmp_path / "out"
    args = [str(path), "--jobs", "1", *ONE, "--document", "handout"]
    assert run_cli("build", "--out", str(out), *args).returncode == 0
    before = _outputs(out)
    path.write_text(original.replace("subject: Cold War in Asia", "subject: Cold War in East Asia"))
    build = _start(out, *args)
    deadline = time.monotonic() + 120
    while build.poll() is None and time.monotonic() < deadline:
        if any(p.read_bytes() != data for p, data in before.items() if p.suffix == ".pdf"):
            break  # one document holds the edit
        time.sleep(0.05)
    build.send_signal(signal.SIGINT)
    stdout, stderr = build.communicate(timeout=120)
    if build.returncode == 0:
        pytest.skip("the build finished before it could be interrupted")
    assert build.returncode == 130 and "stopped by SIGINT" in stderr, stderr
    assert _outputs(out) != before  # some files hold the abandoned edit
    path.write_text(original)
    again = run_cli("build", "--out", str(out), *args)
    assert again.returncode == 0 and not again.stdout.startswith("0 written"), again.stdout
    assert _outputs(out) == before


def test_strict_judges_warnings_of_documents_not_remade(tmp_path):
    out = tmp_path / "out"
    assert run_cli("build", "--out", str(out), *ONE).returncode == 0
    state = out / ".treatypress-state.json"
    text = state.read_text().replace('"warnings": []', '"warnings": ["a glyph was missing"]', 1)
    state.write_text(text)
    result = run_cli("build", "--out", str(out), *ONE, "--strict")
    assert result.returncode == 1 and "a glyph was missing" in result.stderr


def test_a_killed_worker_fails_only_its_document(tmp_path):
    for attempt in range(5):  # the kill must land while the worker is still making its document
        out = tmp_path / f"out{attempt}"
        build = _start(out, "--jobs", "2", *STUDENT_ARGS)
        victim = _markers(out)[0]
        with contextlib.suppress(OSError, ValueError):
            os.kill(int(victim.read_text()), signal.SIGKILL)
        stdout, stderr = build.communicate(timeout=300)
        if "was killed before it finished" in stderr:
            break
        # The kill came after the worker had finished its document (or the document was made
        # again by a new worker): the build finished everything, and every output is whole.
        assert build.returncode == 0, stderr
        _pdfs_whole(out)
    else:
        pytest.skip("each kill came after the worker had finished its document")
    assert build.returncode == 1, stderr
    assert "was killed before it finished" in stderr and "internal error" not in stderr
    assert f"{len(DOCUMENTS) - 1} written, 0 up to date, 1 failed" in stdout, stdout
    assert not (
        out / victim.parent.name / victim.name.removeprefix(".").removesuffix(".working")
    ).exists()
    _pdfs_whole(out)
    again = run_cli("build", "--out", str(out), *STUDENT_ARGS)
    assert again.returncode == 0 and f"1 written, {len(DOCUMENTS) - 1} up to date" in again.stdout


@pytest.mark.parametrize(
    ("signum", "code"), [(signal.SIGTERM, 143), (signal.SIGHUP, 129), (signal.SIGINT, 130)]
)
def test_signals_stop_every_worker_and_say_what_was_made(tmp_path, signum, code):
    out = tmp_path / "out"
    build = _start(out, "--jobs", "2", *STUDENT_ARGS, new_session=True)
    workers = {int(m.read_text()) for m in _markers(out)}
    build.send_signal(signum)
    stdout, stderr = build.communicate(timeout=120)
    assert build.returncode == code, stderr
    assert f"stopped by {signal.Signals(signum).name}" in stderr and "documents written" in stderr
    time.sleep(0.5)
    assert not [pid for pid in workers if _alive(pid)]  # no worker outlives the build
    assert not _in_session(build.pid)  # nor any other process it started
    _pdfs_whole(out)


def test_a_second_build_waits_for_the_lock(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    with open(out / ".treatypress.lock", "a+") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        lock.write("4242")
        lock.flush()
        build = _start(out, *ONE, "--paper", "a4")
        said = build.stderr.readline()  # however long the build takes to reach the lock
        assert build.poll() is None  # waiting
        fcntl.flock(lock, fcntl.LOCK_UN)
    stdout, stderr = build.communicate(timeout=300)
    assert build.returncode == 0 and "waiting for the build in process 4242" in said


def test_out_that_is_a_file_and_bad_jobs_are_usage_errors(tmp_path):
    afile = tmp_path / "file"
    afile.write_text("x")
    for args, message in [
        (["--out", str(afile)], "is a file, not a folder"),
        (["--jobs", "0"], "0 workers"),
        (["--jobs", "-1"], "-1 workers"),
        ([str(tmp_path / "missing.yaml")], "no such content file"),
        ([str(tmp_path)], "is a folder"),
    ]:
        result = run_cli("build", *args)
        assert result.returncode == 2 and message in result.stderr, (args, result.stderr)
        assert "treatypress: treatypress:" not in result.stderr


@pytest.fixture
def tmpfs(tmp_path):
    """A mount point for a small tmpfs (root only)."""
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root")
    point = tmp_path / "disk"
    point.mkdir()
    yield point
    subprocess.run(["umount", str(point)], capture_output=True)


def _mount(point: Path, options: str) -> None:
    result = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(point)], capture_output=True
    )
    if result.returncode:
        pytest.skip(f"cannot mount a tmpfs here: {result.stderr.decode().strip()}")


def test_a_full_disk_fails_with_a_plain_message(tmpfs):
    _mount(tmpfs, "size=120k")
    result = run_cli("build", "--out", str(tmpfs), *ONE)
    assert result.returncode == 1, result.stderr
    assert "No space left on device" in result.stderr and "internal error" not in result.stderr
    assert str(tmpfs) in result.stderr  # the path is named
    assert "failed in" in result.stdout  # the summary is always printed
    assert ".tmp" not in result.stderr
    _pdfs_whole(tmpfs)


def test_a_read_only_folder_fails_with_a_plain_message(tmpfs):
    _mount(tmpfs, "ro,size=1m")
    result = run_cli("build", "--out", str(tmpfs), *ONE, "--paper", "a4")
    assert result.returncode == 1 and "Read-only file system" in result.stderr, result.stderr
    assert str(tmpfs) in result.stderr and "internal error" not in result.stderr
    # The build stops at the folder, before any document; the summary is printed all the same,
    # counting every fact sheet asked for (one per content file) as failed.
    asked = len(SLUGS)
    assert result.stdout.startswith(f"0 written, 0 up to date, {asked} failed in"), result.stdout


def test_a_read_only_subfolder_fails_only_its_documents(tmp_path):
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root")
    out = tmp_path / "out"
    locked = out / "sino-soviet-1945"
    locked.mkdir(parents=True)
    _mount(locked, "ro,size=1m")
    try:
        result = run_cli(
            "build",
            str(CONTENT / "sino-soviet-1945.yaml"),
            str(CONTENT / "nato-1949.yaml"),
            "--out",
            str(out),
            *ONE,
            "--paper",
            "a4",
        )
    finally:
        subprocess.run(["umount", str(locked)], capture_output=True)
    assert result.returncode == 1 and "Read-only file system" in result.stderr, result.stderr
    assert str(locked) in result.stderr and "internal error" not in result.stderr
    assert result.stdout.startswith("1 written, 0 up to date, 1 failed"), result.stdout
    _pdfs_whole(out)


def test_a_build_leaves_no_temporary_files(tmp_path):
    """WeasyPrint unpacks fonts into a temporary folder for each rendering; none outlives the build."""
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    env = {**os.environ, "TMPDIR": str(scratch)}
    result = run_cli("build", "--out", str(tmp_path / "out"), *ONE, "--paper", "a4", env=env)
    assert result.returncode == 0, result.stderr
    assert list(scratch.iterdir()) == []
