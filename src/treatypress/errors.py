"""The errors treatypress reports to its users, each with enough to find and fix the problem."""

from __future__ import annotations

from dataclasses import dataclass


class TreatypressError(Exception):
    """An error shown to the user as a message, never as a traceback."""

    exit_code = 1


class UsageError(TreatypressError):
    """The command line asks for something that cannot be done."""

    exit_code = 2


@dataclass(frozen=True)
class Problem:
    """One problem in one content file, located by line, column and field."""

    path: str
    line: int | None
    column: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = self.path
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        field = f" {self.field}:" if self.field else ""
        return f"{where}:{field} {self.message}"


class ContentError(TreatypressError):
    """A content file has one or more problems; all of them are listed."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class RenderError(TreatypressError):
    """A document could not be typeset as required (overflow, missing glyph, forbidden URL)."""

    def __init__(self, document: str, message: str) -> None:
        self.document = document
        super().__init__(f"{document}: {message}")
