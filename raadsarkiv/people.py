"""Who appears in the structured attendance of the published meetings, by stable person id.

Made from the public content only (what views.py gets): a meeting's `present:` and `absent:`
lists, and the substitutes named in `absent:`. Nothing else about a person is read, so the
member pages and the open data can only repeat what the minutes publish on the meeting pages.
A closed item's metadata (votes, `left`) is gone before this runs, so a person named only
there appears nowhere. A meeting with a dagsorden and a referat counts once, by the referat.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from typing import Literal

from .attendance import name_id, person_id
from .model import Meeting


@dataclass(frozen=True)
class Appearance:
    """One person in one meeting's attendance."""

    meeting: Meeting
    status: Literal["present", "absent"]
    name: str  # as this meeting writes it
    role: str | None = None
    party: str | None = None
    absence: str | None = None  # absent: afbud | uden afbud | forfald
    substitute: str | None = None  # absent: who met instead
    substitute_for: str | None = None  # present: whom they met for (stedfortræder for …)
    position: int = 0  # where the meeting's attendance names them (present first, then absent)

    @property
    def shown_role(self) -> str | None:
        """The role the meeting gives the person: as written, or 'stedfortræder' for one who met for an absent member."""
        return self.role or ("stedfortræder" if self.substitute_for else None)

    @property
    def order(self) -> tuple:
        """Meetings oldest first, then as the attendance lists people."""
        meta = self.meeting.meta
        return (meta.date, meta.sequence or 1, meta.home, meta.kind, self.position)


def appearances(meeting: Meeting) -> list[tuple[str, Appearance]]:
    """(person id, appearance) for everyone a meeting's attendance names, in the order written.

    A substitute named in `absent[].substitute` is matched to a `present:` entry by name (as the
    meeting page does); one not listed under `present:` is present as 'stedfortræder', with the
    id its name gives (attendance.name_id).
    """
    meta = meeting.meta
    replaced = {a.substitute.casefold(): a.name for a in meta.absent if a.substitute}
    out: list[tuple[str, Appearance]] = []
    for person in meta.present:
        out.append((person_id(person), Appearance(
            meeting, "present", person.name, person.role, person.party,
            substitute_for=replaced.pop(person.name.casefold(), None))))
    for absentee in meta.absent:
        out.append((person_id(absentee), Appearance(
            meeting, "absent", absentee.name, absentee.role, absentee.party, absentee.absence, absentee.substitute)))
        if absentee.substitute and absentee.substitute.casefold() in replaced:
            del replaced[absentee.substitute.casefold()]
            out.append((name_id(absentee.substitute), Appearance(
                meeting, "present", absentee.substitute, "stedfortræder", substitute_for=absentee.name)))
    return [(pid, replace(a, position=n)) for n, (pid, a) in enumerate(out)]


def people(meetings: list[Meeting]) -> dict[str, list[Appearance]]:
    """Every person id with their appearances, oldest meeting first; ids sorted.

    A meeting counts once (documents.py): by its referat's attendance, the dagsorden's only while the
    meeting has no referat (an agenda version's attendance is not read).
    """
    found: dict[str, list[Appearance]] = defaultdict(list)
    for meeting in meetings:
        if meeting.agenda_version:
            continue
        for pid, appearance in appearances(meeting):
            found[pid].append(appearance)
    return {pid: sorted(found[pid], key=lambda a: a.order) for pid in sorted(found)}


def latest(found: list[Appearance]) -> Appearance:
    """The appearance whose name and party a page shows for the person: the most recent."""
    return found[-1]
