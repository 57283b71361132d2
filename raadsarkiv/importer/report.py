"""The report of one imported file: what was found, what was not placed, what to check by hand."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .meeting import UNTITLED, ImportedMeeting

SHOWN = 5  # how many unplaced or skipped lines are quoted in the report


@dataclass
class FileReport:
    source: Path
    target: Path | None = None
    status: str = ""  # written | unchanged | replaced | exists | failed
    error: str | None = None
    meeting: ImportedMeeting | None = None
    reader_notes: list[str] = field(default_factory=list)
    bilag: list[str] = field(default_factory=list)
    diff: str | None = None
    problems: list[str] = field(default_factory=list)  # `check`'s errors in the written file
    warnings: list[str] = field(default_factory=list)  # … and its warnings (they do not stop a build)

    @property
    def ok(self) -> bool:
        return self.error is None and self.status != "exists" and not self.problems


def _quote(lines: list[tuple[int, str]]) -> str:
    shown = "; ".join(f"line {number}: '{text[:60]}'" if number else f"'{text[:60]}'" for number, text in lines[:SHOWN])
    more = f"; and {len(lines) - SHOWN} more" if len(lines) > SHOWN else ""
    return shown + more


def render(report: FileReport, root: Path) -> str:
    def shown(path: Path) -> str:
        return str(path.relative_to(root)) if path.is_relative_to(root) else str(path)

    head = f"{report.source}"
    if report.error:
        return f"{head}: NOT IMPORTED\n  error: {report.error}\n"
    lines = [f"{head} -> {shown(report.target) if report.target else '?'} ({report.status})"]
    meeting = report.meeting
    if report.status == "exists":
        lines.append("  the file exists and was not changed; run again with --force to replace it (a summary of the changes is shown)")
    if meeting is not None:
        closed = [item for item in meeting.items if item.closed]
        sections = sum(len(item.sections) for item in meeting.items)
        cases = [item for item in meeting.items if item.case_number or item.kle or item.document_number]
        lines.append(
            f"  found: {len(meeting.items)} item(s) ({len(closed)} closed), {sections} section(s), "
            f"{len(meeting.absent)} absent, {len(meeting.present)} present, case metadata for {len(cases)} item(s)"
            + (f", {len(report.bilag)} bilag" if report.bilag else "")
        )
        for note in meeting.found + report.reader_notes:
            lines.append(f"    - {note}")
        for item in meeting.items:
            mark = " {lukket}" if item.closed else ""
            names = ", ".join(section.name for section in item.sections) or "no sections"
            extra = "".join(f"; {label} {value}" for label, value in (
                ("sagsnr.", item.case_number), ("j.nr.", item.kle), ("dok.nr.", item.document_number)) if value)
            lines.append(f"    {item.number}. {item.title}{mark} [{names}]{extra}")
        for name in report.bilag:
            lines.append(f"    bilag: {name}")
        if meeting.unplaced:
            lines.append(f"  not placed: {len(meeting.unplaced)} line(s), kept as a comment in the meeting's introduction "
                         f"(not published until you move them out of it): {_quote(meeting.unplaced)}")
        if meeting.skipped:
            lines.append(f"  skipped as page furniture: {len(meeting.skipped)} line(s): {_quote(meeting.skipped)}")
        checks = list(meeting.to_check)
        untitled = [str(item.number) for item in meeting.items if item.untitled]
        if untitled:
            checks.append(f"item(s) {', '.join(untitled)}: the source has no title; '{UNTITLED}' was written: write the titles")
        for item in meeting.items:
            if item.closed:
                kept = "its decision sections" if item.public_decision else "only its title"
                checks.append(f"item {item.number} is closed: {kept} imported, {item.withheld} line(s) of its text left out; "
                              "check that it is closed, and that nothing public is missing")
        if checks:
            lines.append("  check by hand:")
            lines += [f"    - {text}" for text in checks]
    if report.diff:
        lines.append(f"  changes: {report.diff}")
    if report.problems:
        lines.append(f"  `check` found {len(report.problems)} problem(s) the editor must fix in this file:")
        lines += [f"    {problem}" for problem in report.problems]
    elif report.status in {"written", "replaced", "unchanged"}:
        lines.append("  `check`: no errors in this file")
    if report.warnings:
        lines.append(f"  `check` warns ({len(report.warnings)}); worth a look, but they do not stop a build:")
        lines += [f"    {warning}" for warning in report.warnings]
    return "\n".join(lines) + "\n"
