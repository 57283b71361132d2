"""A meeting's documents: its dagsorden and its referat are one meeting.

A meeting is published first as a dagsorden, then its referat replaces it. The two files
share the meeting's identity (home body, date, which of the day's meetings: `Meeting.identity`).
When both exist, the referat is the meeting's page and the dagsorden becomes its agenda
version (`Meeting.agenda_version`, published at `<meeting>/dagsorden/`, urls.py).

Closed content: an item closed in either document is closed in both (matched by number).
An item open in one and closed in the other is an error, and counts as closed until fixed.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace

from .errors import Problems
from .i18n import _
from .model import AgendaItem, Content, Meeting


def by_identity(meetings: list[Meeting]) -> dict[str, list[Meeting]]:
    """The documents of each meeting, by `Meeting.identity`."""
    groups: dict[str, list[Meeting]] = defaultdict(list)
    for meeting in meetings:
        groups[meeting.identity].append(meeting)
    return groups


def closed_numbers(documents: list[Meeting]) -> set[str]:
    """The numbers of the items closed in any of a meeting's documents."""
    return {item.number for meeting in documents for item in meeting.items if item.closed}


def pair(content: Content, problems: Problems) -> Content:
    """Mark each dagsorden whose meeting has a referat as its agenda version, and close in every document
    an item closed in another. Files are not changed: changed meetings are new objects (the load cache keeps its own)."""
    paired: dict[str, Meeting] = {}
    for documents in by_identity(content.meetings).values():
        kinds = {meeting.meta.kind for meeting in documents}
        if kinds != {"dagsorden", "referat"} or len(documents) != 2:
            # one document (again, if its referat is held back: embargo.py); or the same document twice (linker.check)
            paired |= {m.path: replace(m, agenda_version=False) for m in documents if m.agenda_version}
            continue
        closed = closed_numbers(documents)
        for meeting in documents:
            other = next(m for m in documents if m is not meeting)
            items = [_closed_as_in(item, meeting, other, problems) if item.number in closed else item for item in meeting.items]
            paired[meeting.path] = replace(meeting, items=items, agenda_version=meeting.meta.kind == "dagsorden")
    if not paired:
        return content
    return replace(content, meetings=[paired.get(meeting.path, meeting) for meeting in content.meetings])


def _closed_as_in(item: AgendaItem, meeting: Meeting, other: Meeting, problems: Problems) -> AgendaItem:
    """An item whose number is closed in the meeting's other document: closed here too (an error if it is not marked)."""
    if item.closed:
        return item
    there = next(i for i in other.items if i.number == item.number and i.closed)
    label = item.number if "." in item.number else f"{item.number}."
    problems.error(
        meeting.path, item.line,
        _("item {number} is closed in the meeting's {kind} ({file}:{line}) but open here; an item closed in one of a "
          "meeting's documents is closed in both: write {lukket} after its title here too ('## {label} {title} {lukket}'), "
          "or open it in the {kind}", number=item.number, kind=other.meta.kind, file=other.path, line=there.line,
          label=label, title=item.title),
    )
    return replace(item, closed=True, public_decision=False)
