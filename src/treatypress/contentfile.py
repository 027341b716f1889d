"""A content file's text: only a regular file is read, its size is checked before reading, it must
be UTF-8, and characters that would show other text than the file holds are found."""

from __future__ import annotations

import os
import re
import stat
import unicodedata
from pathlib import Path

from .errors import ContentError, Problem

MAX_FILE_BYTES = 1_000_000


def whole_file_error(
    name: str, message: str, line: int | None = None, col: int | None = None
) -> ContentError:
    """A problem with the file as a whole (or at a place in its text, before it is parsed)."""
    return ContentError([Problem(name, line, col, "", message)])


def line_col(text: str, offset: int) -> tuple[int, int]:
    """The line and column (both from 1) of a character offset in `text`."""
    return text.count("\n", 0, offset) + 1, offset - (text.rfind("\n", 0, offset) + 1) + 1


def read_bounded(path: Path, name: str) -> bytes:
    """The file's bytes: only a regular file, and only up to the size limit (checked before reading)."""
    try:
        with open(path, "rb") as handle:
            info = os.fstat(handle.fileno())
            if not stat.S_ISREG(info.st_mode):
                raise whole_file_error(
                    name,
                    "not a regular file (a device, pipe or folder); content files are plain YAML files",
                )
            if info.st_size > MAX_FILE_BYTES:
                raise whole_file_error(
                    name, f"file is {info.st_size:,} bytes; the limit is {MAX_FILE_BYTES:,}"
                )
            raw = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise whole_file_error(name, f"cannot read file: {exc.strerror}") from None
    if len(raw) > MAX_FILE_BYTES:  # it grew while being read
        raise whole_file_error(name, f"file is over the limit of {MAX_FILE_BYTES:,} bytes")
    return raw


def read_text(path: Path, name: str) -> str:
    """The file's text, read within the size limit and decoded as UTF-8 (else ContentError)."""
    raw = read_bounded(path, name)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, col = line_col(raw.decode("latin-1"), exc.start)
        raise whole_file_error(
            name,
            f"not valid UTF-8 (byte 0x{raw[exc.start]:02x}); save the file as UTF-8",
            line,
            col,
        ) from None
    return text


# Characters that must never reach a page, a PDF title or a terminal: control characters (written as
# YAML escapes such as "\0" or "\e") and bidirectional controls, which make text display as other text
# than it is. Right-to-left text is isolated by the templates, never by characters in the content.
_HIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def hidden_character(text: str) -> str | None:
    """A description of the first control or bidirectional character in `text`, if any."""
    found = _HIDDEN.search(text)
    if not found:
        return None
    char = found.group()
    label = unicodedata.name(char, "control character")
    return f"U+{ord(char):04X} ({label})"
