"""How `check` and `build` report problems: plain text, GitHub Actions workflow commands, or JSON."""

from __future__ import annotations

import json
import sys
from typing import Literal

from .errors import Problem
from .i18n import _, ngettext

Format = Literal["text", "github", "json"]
FORMATS = ("text", "github", "json")


def _escape_data(value: str) -> str:
    """GitHub workflow command message: escape %, CR and LF."""
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    """GitHub workflow command property (file=…): also escape ':' and ','."""
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


def github_command(problem: Problem, prefix: str = "") -> str:
    """`::error file=content/x.md,line=3,title=Rådsarkiv::message` (or ::warning)."""
    path = f"{prefix}/{problem.path}" if prefix else problem.path
    return (
        f"::{problem.severity} file={_escape_property(path)},line={problem.line},title=Rådsarkiv"
        f"::{_escape_data(problem.message)}"
    )


def summary(problems: list[Problem], wrote: bool = False) -> str | None:
    """'2 error(s), 1 warning(s): nothing was written.' or None when there is nothing to say."""
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    counted = _("{errors}, {warnings}", errors=ngettext("{n} error(s)", "{n} error(s)", errors),
                warnings=ngettext("{n} warning(s)", "{n} warning(s)", warnings))
    if errors:
        return _("{counted}: nothing was written.", counted=counted) if wrote else f"{counted}."
    return ngettext("{n} warning(s).", "{n} warning(s).", warnings) if warnings else None


def report(problems: list[Problem], fmt: Format = "text", prefix: str = "", action: str = "check") -> None:
    """Print every problem (errors first) in the chosen format, then a summary."""
    ordered = [p for p in problems if p.severity == "error"] + [p for p in problems if p.severity != "error"]
    if fmt == "json":
        errors = sum(p.severity == "error" for p in ordered)
        print(json.dumps({
            "ok": errors == 0,
            "errors": errors,
            "warnings": len(ordered) - errors,
            "problems": [
                {"path": f"{prefix}/{p.path}" if prefix else p.path, "line": p.line, "severity": p.severity, "message": p.message}
                for p in ordered
            ],
        }, ensure_ascii=False, indent=2))
        return
    if fmt == "github":
        for problem in ordered:
            print(github_command(problem, prefix))
        text = summary(ordered, wrote=action == "build")
        if text:
            print(text, file=sys.stderr)
        return
    for problem in ordered:
        print(problem.format(), file=sys.stderr)
    text = summary(ordered, wrote=action == "build")
    if text:
        print(text, file=sys.stderr)
