"""What a build folder holds: each output with the digest of its inputs and of the files written.

An output is trusted only when the state says what made it and the files on disk are the ones written
(size and modification time, and their digest when those differ). The state is written again as each
document is finished, so an interrupted build leaves it true. One build at a time may write a folder.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .atomic import atomic_write
from .errors import TreatypressError

STATE = ".treatypress-state.json"
LOCK = ".treatypress.lock"
VERSION = 2


def _fingerprint(path: Path) -> dict[str, Any] | None:
    """Size, modification time and digest of a file, or None when there is no regular file."""
    try:
        info = path.stat()
        data = path.read_bytes() if path.is_file() else None
    except OSError:
        return None
    if data is None:
        return None
    return {
        "size": info.st_size,
        "mtime_ns": info.st_mtime_ns,
        "sha256": hashlib.sha256(data).hexdigest(),
    }


def _same(path: Path, recorded: dict[str, Any] | None) -> bool:
    """Whether the file on disk is the one recorded: cheaply by size and time, else by digest."""
    if not recorded:
        return False
    try:
        info = path.stat()
    except OSError:
        return False
    if info.st_size != recorded["size"]:
        return False
    if info.st_mtime_ns == recorded["mtime_ns"]:
        return True
    return bool(hashlib.sha256(path.read_bytes()).hexdigest() == recorded["sha256"])


@dataclass
class State:
    """The state file of one output folder."""

    folder: Path
    outputs: dict[str, dict[str, Any]] = field(default_factory=dict)
    dirty: bool = False

    @classmethod
    def read(cls, folder: Path) -> State:
        """The recorded state; empty when there is none or it cannot be read (everything is remade)."""
        try:
            data = json.loads((folder / STATE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls(folder)
        if not isinstance(data, dict) or data.get("version") != VERSION:
            return cls(folder)
        return cls(folder, dict(data.get("outputs", {})))

    def _key(self, out: Path) -> str:
        return str(out.relative_to(self.folder))

    def current(self, out: Path, inputs: str, extras: tuple[Path, ...] = ()) -> bool:
        """Whether `out` (the HTML beside it, and any further files its job writes) was made from
        `inputs` and is still as written."""
        entry = self.outputs.get(self._key(out))
        return (
            entry is not None
            and bool(entry)
            and entry.get("inputs") == inputs
            and _same(out, entry.get("pdf"))
            and _same(out.with_suffix(".html"), entry.get("html"))
            and all(_same(x, entry.get("extras", {}).get(x.name)) for x in extras)
        )

    def warnings(self, out: Path) -> list[str]:
        """The warnings recorded when `out` was made."""
        return list(self.outputs.get(self._key(out), {}).get("warnings", []))

    def ms(self, out: Path) -> float:
        """How long `out` took to make last time, in milliseconds (0 when not known)."""
        value = self.outputs.get(self._key(out), {}).get("ms", 0)
        return float(value) if isinstance(value, int | float) else 0.0

    def record(
        self,
        out: Path,
        inputs: str,
        warnings: list[str],
        extras: tuple[Path, ...] = (),
        ms: float = 0.0,
    ) -> None:
        """Note that `out` (its HTML, and any further files) was just written from `inputs`."""
        self.outputs[self._key(out)] = {
            "ms": round(ms),
            "inputs": inputs,
            "pdf": _fingerprint(out),
            "html": _fingerprint(out.with_suffix(".html")),
            "extras": {x.name: _fingerprint(x) for x in extras},
            "warnings": warnings,
        }
        self.dirty = True

    def forget(self, out: Path) -> None:
        """`out` failed: whatever is on disk is no longer vouched for."""
        if self.outputs.pop(self._key(out), None) is not None:
            self.dirty = True

    def write(self) -> None:
        """Write the state (atomically), if it changed."""
        if not self.dirty:
            return
        self.dirty = False
        data = {"version": VERSION, "outputs": self.outputs}
        atomic_write(self.folder / STATE, json.dumps(data, indent=1, sort_keys=True).encode())


@contextlib.contextmanager
def build_lock(folder: Path) -> Iterator[None]:
    """Hold the folder's build lock; wait, saying who holds it, when another build does."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle = open(folder / LOCK, "a+", encoding="utf-8")  # noqa: SIM115 (held for the build)
    except OSError as exc:
        raise TreatypressError(
            f"cannot write to the output folder {folder}: {exc.strerror}"
        ) from None
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            print(
                f"treatypress: waiting for the build in process {holder} to finish with {folder}",
                file=sys.stderr,
                flush=True,
            )
            fcntl.flock(handle, fcntl.LOCK_EX)
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
