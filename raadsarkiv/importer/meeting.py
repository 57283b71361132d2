"""What the importer found in a document: the meeting, its items and sections, and what it could not place."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

UNTITLED = "Titel mangler"


@dataclass
class Section:
    name: str
    lines: list[str] = field(default_factory=list)


@dataclass
class Item:
    number: int
    title: str
    line: int  # where the item starts in the source, for the report
    closed: bool = False
    public_decision: bool = False
    untitled: bool = False
    lead: list[str] = field(default_factory=list)  # text before the item's first section
    sections: list[Section] = field(default_factory=list)
    case_number: str | None = None
    kle: str | None = None
    document_number: str | None = None
    bilag: list[tuple[str, str]] = field(default_factory=list)  # (title, file name under the meeting's bilag folder)
    withheld: int = 0  # lines of a closed item's text that were not imported

    def has_content(self) -> bool:
        return bool(self.sections or any(line.strip() for line in self.lead))


@dataclass
class Absence:
    name: str
    party: str | None = None
    absence: str | None = None  # afbud | uden afbud | forfald
    substitute: str | None = None
    note: str | None = None


@dataclass
class Presence:
    name: str
    role: str | None = None
    party: str | None = None


@dataclass
class ImportedMeeting:
    date: dt.date | None = None
    kind: str | None = None
    start: str | None = None
    end: str | None = None
    place: str | None = None
    present: list[Presence] = field(default_factory=list)
    absent: list[Absence] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)
    unplaced: list[tuple[int, str]] = field(default_factory=list)  # (source line, text) kept in the introduction
    skipped: list[tuple[int, str]] = field(default_factory=list)  # page furniture ("Til toppen"), listed in the report
    found: list[str] = field(default_factory=list)  # notes for the report: where date, place … came from
    to_check: list[str] = field(default_factory=list)  # what the editor should check by hand
