"""Errors that point the user at a file and line.

Deep code raises BuildError where it knows the location; only builder/cli.py prints
them and picks the exit code. Validation collects every problem and raises once
with BuildErrors, so one run shows the user everything there is to fix.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    path: str
    line: int | None
    message: str

    def __str__(self) -> str:
        if self.path and self.line:
            return f"{self.path}:{self.line}: {self.message}"
        if self.path:
            return f"{self.path}: {self.message}"
        return self.message


class BuildError(Exception):
    """One problem at a known place. `str()` is the one line the user sees."""

    def __init__(self, path: str | None, line: int | None, message: str):
        self.problem = Problem(str(path or ""), line, message)
        super().__init__(str(self.problem))

    @property
    def problems(self) -> tuple[Problem, ...]:
        return (self.problem,)


class BuildErrors(Exception):
    """Several problems found in one pass; raised once after all were collected."""

    def __init__(self, problems: Iterable[Problem], note: str = "nothing was written"):
        self.problems = tuple(problems)
        self.note = note  # what the command did despite the problems, for the summary line
        super().__init__("\n".join(str(p) for p in self.problems))


class Collector:
    """Collects problems; `raise_if_any()` raises them together at the end."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, path: str | None, line: int | None, message: str) -> None:
        self.problems.append(Problem(str(path or ""), line, message))

    def extend(self, error: BuildError | BuildErrors) -> None:
        self.problems.extend(error.problems)

    def __bool__(self) -> bool:
        return bool(self.problems)

    def raise_if_any(self) -> None:
        if self.problems:
            if len(self.problems) == 1:
                p = self.problems[0]
                raise BuildError(p.path, p.line, p.message)
            raise BuildErrors(self.problems)
