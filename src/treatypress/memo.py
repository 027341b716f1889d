"""What treatypress remembers between builds, in the user's cache folder: results of steps that
depend only on their inputs (font subsets for web pages, class-set sheets, page checks), each
stored under a digest of those inputs and checked against its own digest when read.

The folder is `$TREATYPRESS_CACHE`, else `$XDG_CACHE_HOME/treatypress`, else `~/.cache/treatypress`.
Deleting it costs only time.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Callable
from functools import cache
from pathlib import Path

from .atomic import atomic_write

VERSION = b"1"


def cache_dir() -> Path:
    """Where treatypress keeps what it remembers between builds."""
    if env := os.environ.get("TREATYPRESS_CACHE"):
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "treatypress"


@cache
def code(module_file: str) -> bytes:
    """The source of a module, read once per process: part of the key of what it makes."""
    return Path(module_file).read_bytes()


def digest(*parts: bytes | str) -> str:
    """A digest of the parts, each one delimited."""
    h = hashlib.sha256(VERSION)
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "big") + data)
    return h.hexdigest()


def cached(space: str, key: str, make: Callable[[], bytes]) -> bytes:
    """The bytes made for `key` before, when they are stored whole; else make and store them."""
    path = cache_dir() / space / key[:2] / key
    with contextlib.suppress(OSError):
        stored = path.read_bytes()
        check, data = stored[:32], stored[32:]
        if hashlib.sha256(data).digest() == check:
            return data
    data = make()
    with contextlib.suppress(OSError):  # a read-only home: made again next time, nothing worse
        atomic_write(path, hashlib.sha256(data).digest() + data)
    return data
