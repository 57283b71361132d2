"""The report of one imported file: what was found, what was not placed, what to check by hand."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..i18n import N_, _
from .meeting import UNTITLED, ImportedMeeting

SHOWN = 5  # how many unplaced or skipped lines are quoted in the report
# What happened to a file, as the report and the summary name it.
STATUSES = {"written": N_("written"), "replaced": N_("replaced"), "unchanged": N_("unchanged"), "exists": N_("exists"),
            "failed": N_("failed")}


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
    shown = "; ".join(_("line {number}: '{text}'", number=number, text=text[:60]) if number else f"'{text[:60]}'"
                      for number, text in lines[:SHOWN])
    more = _("; and {count} more", count=len(lines) - SHOWN) if len(lines) > SHOWN else ""
    return shown + more


def render(report: FileReport, root: Path) -> str:
    def shown(path: Path) -> str:
        return str(path.relative_to(root)) if path.is_relative_to(root) else str(path)

    head = f"{report.source}"
    if report.error:
        return _("{file}: NOT IMPORTED", file=head) + "\n  " + _("error: {problem}", problem=report.error) + "\n"
    status = _(STATUSES[report.status]) if report.status in STATUSES else report.status
    lines = [f"{head} -> {shown(report.target) if report.target else '?'} ({status})"]
    meeting = report.meeting
    if report.status == "exists":
        lines.append("  " + _("the file exists and was not changed; run again with --force to replace it (a summary of the changes is shown)"))
    if meeting is not None:
        closed = [item for item in meeting.items if item.closed]
        sections = sum(len(item.sections) for item in meeting.items)
        cases = [item for item in meeting.items if item.case_number or item.kle or item.document_number]
        lines.append("  " + _(
            "found: {items} item(s) ({closed} closed), {sections} section(s), {absent} absent, {present} present, "
            "case metadata for {cases} item(s)", items=len(meeting.items), closed=len(closed), sections=sections,
            absent=len(meeting.absent), present=len(meeting.present), cases=len(cases))
            + (", " + _("{count} bilag", count=len(report.bilag)) if report.bilag else ""))
        for note in meeting.found + report.reader_notes:
            lines.append(f"    - {note}")
        for item in meeting.items:
            mark = " {lukket}" if item.closed else ""
            names = ", ".join(section.name for section in item.sections) or _("no sections")
            extra = "".join(f"; {label} {value}" for label, value in (
                ("sagsnr.", item.case_number), ("j.nr.", item.kle), ("dok.nr.", item.document_number)) if value)
            lines.append(f"    {item.number}. {item.title}{mark} [{names}]{extra}")
        for name in report.bilag:
            lines.append("    " + _("bilag: {name}", name=name))
        if meeting.unplaced:
            lines.append("  " + _("not placed: {count} line(s), kept as a comment in the meeting's introduction (not published "
                                  "until you move them out of it): {lines}", count=len(meeting.unplaced), lines=_quote(meeting.unplaced)))
        if meeting.skipped:
            lines.append("  " + _("skipped as page furniture: {count} line(s): {lines}", count=len(meeting.skipped),
                                  lines=_quote(meeting.skipped)))
        checks = list(meeting.to_check)
        untitled = [str(item.number) for item in meeting.items if item.untitled]
        if untitled:
            checks.append(_("item(s) {numbers}: the source has no title; '{title}' was written: write the titles",
                            numbers=", ".join(untitled), title=UNTITLED))
        for item in meeting.items:
            if item.closed and item.public_decision:
                checks.append(_("item {number} is closed: its decision sections imported, {count} line(s) of its text left out; "
                                "check that it is closed, and that nothing public is missing", number=item.number, count=item.withheld))
            elif item.closed:
                checks.append(_("item {number} is closed: only its title imported, {count} line(s) of its text left out; "
                                "check that it is closed, and that nothing public is missing", number=item.number, count=item.withheld))
        if checks:
            lines.append("  " + _("check by hand:"))
            lines += [f"    - {text}" for text in checks]
    if report.diff:
        lines.append("  " + _("changes: {changes}", changes=report.diff))
    if report.problems:
        lines.append("  " + _("`check` found {count} problem(s) the editor must fix in this file:", count=len(report.problems)))
        lines += [f"    {problem}" for problem in report.problems]
    elif report.status in {"written", "replaced", "unchanged"}:
        lines.append("  " + _("`check`: no errors in this file"))
    if report.warnings:
        lines.append("  " + _("`check` warns ({count}); worth a look, but they do not stop a build:", count=len(report.warnings)))
        lines += [f"    {warning}" for warning in report.warnings]
    return "\n".join(lines) + "\n"
