"""Problems found in content: collected and reported together, never raised one by one."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from .cpr import mask_all
from .i18n import ngettext

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong (or worth a look) at a place in a file."""

    path: str
    line: int
    message: str
    severity: Severity = "error"

    def format(self) -> str:
        """Render as `path:line: message` (warnings say so)."""
        prefix = "warning: " if self.severity == "warning" else ""
        return f"{self.path}:{self.line}: {prefix}{self.message}"


class Problems:
    """An append-only collection of problems, sorted on output."""

    def __init__(self) -> None:
        self._items: list[Problem] = []

    def error(self, path: str, line: int, message: str) -> None:
        """Record an error: the build will not write anything. CPR-like numbers in the message are masked."""
        self._items.append(Problem(path, max(line, 1), mask_all(message), "error"))

    def warning(self, path: str, line: int, message: str) -> None:
        """Record a warning: reported, but the build goes on. CPR-like numbers in the message are masked."""
        self._items.append(Problem(path, max(line, 1), mask_all(message), "warning"))

    def extend(self, problems: list[Problem]) -> None:
        """Add problems found elsewhere."""
        self._items.extend(problems)

    @property
    def errors(self) -> list[Problem]:
        """Errors in path/line order, without duplicates."""
        return sorted({p for p in self._items if p.severity == "error"})

    @property
    def warnings(self) -> list[Problem]:
        """Warnings in path/line order, without duplicates."""
        return sorted({p for p in self._items if p.severity == "warning"})

    def all(self) -> list[Problem]:
        """Every problem, errors first."""
        return self.errors + self.warnings


class BuildFailed(Exception):
    """Raised by the pipeline when content has errors; carries all problems."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(ngettext("{n} error(s)", "{n} error(s)", sum(p.severity == "error" for p in problems)))
        self.problems = problems
