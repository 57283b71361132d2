"""The patterns `import` recognises minutes by: defaults here, overridable under `import:` in site_config.yaml.

Every pattern is a Python regular expression matched against one whole line of
the source (after surrounding spaces are removed), without regard to case.
Item headings must have the named groups `number` and `title`; metadata and
attendance patterns a group `value` (the text after the label, may be empty).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pydantic import Field, field_validator

from ..i18n import _

from ..model import Strict

# "1. Godkendelse af dagsorden", "Punkt 61: Budget", "Pkt. 1 Godkendelse", "61. Budget 2024".
# The title may not start with a lowercase letter, so "10. oktober 2023 - referat" is not an item.
DEFAULT_ITEM_HEADINGS = [
    r"(?:punkt|pkt\.?)\s*(?P<number>\d{1,4})\s*[.:)\-–]?\s*(?P<title>.*)",
    r"(?P<number>\d{1,4})\s*[.)]\s+(?P<title>(?-i:[^\sa-zæøå]).*)",
]
# A line that says whether the item that starts here (or that it follows) is open or closed.
DEFAULT_OPEN_MARKERS = [r"åben", r"åbent punkt", r"åbent dagsordenpunkt", r"offentligt punkt"]
DEFAULT_CLOSED_MARKERS = [
    r"lukket", r"lukket punkt", r"lukket dagsordenpunkt", r"lukket sag", r"fortroligt punkt",
    r"\(lukket( punkt)?\)", r"lukket punkt:.*",
]
# Written in an item's title: the item is closed ("Personalesag (lukket)", "Lukket punkt: Køb af grund").
DEFAULT_CLOSED_TITLES = [r".*\(\s*lukket(?: punkt)?\s*\)", r"lukket (?:punkt|dagsordenpunkt|sag)\s*[:\-–]\s*.*"]
# A heading after which every item is closed, until an open section starts.
DEFAULT_CLOSED_SECTIONS = [r"lukkede (?:punkter|dagsordenpunkter|sager)", r"lukket møde", r"lukket del(?: af mødet)?"]
DEFAULT_OPEN_SECTIONS = [r"åbne (?:punkter|dagsordenpunkter|sager)", r"åben del(?: af mødet)?"]
# In a closed item: the decision is public, so its decision sections are imported.
DEFAULT_PUBLIC_DECISION = [r"offentlig beslutning", r"beslutningen er offentlig", r"beslutningen offentliggøres"]
# Labels end with ':' or '.' ("Sagsnr.: 2023-1", "Sagsnr. 2023-1", "Sagsnr: 2023-1"); the value follows.
DEFAULT_CASE_NUMBER = [r"(?:sagsnr|sags nr|sagsnummer)(?:\.?\s*:|\.)\s*(?P<value>.*)"]
DEFAULT_KLE = [r"(?:j\.\s?nr|journalnr|journalnummer|kle(?:-nr)?)(?:\.?\s*:|\.)\s*(?P<value>.*)"]
DEFAULT_DOCUMENT_NUMBER = [r"(?:dok\.\s?nr|dokumentnr|dokumentnummer)(?:\.?\s*:|\.)\s*(?P<value>.*)"]
DEFAULT_ABSENT = [r"(?:fraværende|afbud|afbud fra|ikke til stede|fravær)\s*(?::\s*(?P<value>.*))?"]
DEFAULT_PRESENT = [r"(?:til stede|mødt|deltagere|deltog|tilstedeværende)\s*(?::\s*(?P<value>.*))?"]
DEFAULT_DATE = [r"(?:dato|mødedato|mødedag)\s*:\s*(?P<value>.+)"]
DEFAULT_TIME = [r"(?:tidspunkt|mødetidspunkt|starttidspunkt)\s*:\s*(?P<value>.+)", r"(?P<value>kl\.?\s*\d{1,2}[.:]\d{2}.*)"]
DEFAULT_PLACE = [r"(?:lokale|mødelokale|sted|mødested|adresse)\s*:\s*(?P<value>.+)"]
# Lines that are page furniture of an agenda system, never content: skipped, and listed in the report.
DEFAULT_IGNORE = [r"til toppen", r"tilbage til toppen", r"print", r"udskriv", r"del på .*", r"skip til hoved ?indholdet"]
# A line after which the rest is the web page's footer, not the minutes (kept in the introduction as unplaced).
DEFAULT_END_MARKERS = [r"kontakt", r"opdateret \d{1,2}\. \w+ \d{4}", r"genveje"]
# Words that a table of contents starts with; glued to the first entry in some exports ("Indholdsfortegnelse1. …").
DEFAULT_TABLE_OF_CONTENTS = [r"indholdsfortegnelse", r"indhold", r"dagsordenpunkter", r"oversigt over punkter"]


class ImportSettings(Strict):
    """`import:` in site_config.yaml: the patterns the importer recognises minutes by (regular expressions)."""

    item_headings: list[str] = Field(default=DEFAULT_ITEM_HEADINGS, description="Item headings; groups 'number' and 'title'")
    open_markers: list[str] = DEFAULT_OPEN_MARKERS
    closed_markers: list[str] = DEFAULT_CLOSED_MARKERS
    closed_titles: list[str] = DEFAULT_CLOSED_TITLES
    closed_sections: list[str] = DEFAULT_CLOSED_SECTIONS
    open_sections: list[str] = DEFAULT_OPEN_SECTIONS
    public_decision: list[str] = DEFAULT_PUBLIC_DECISION
    case_number: list[str] = Field(default=DEFAULT_CASE_NUMBER, description="Case number lines; group 'value'")
    kle: list[str] = Field(default=DEFAULT_KLE, description="Journal number (KLE) lines; group 'value'")
    document_number: list[str] = Field(default=DEFAULT_DOCUMENT_NUMBER, description="Document number lines; group 'value'")
    absent: list[str] = Field(default=DEFAULT_ABSENT, description="Start of an absence block; group 'value'")
    present: list[str] = Field(default=DEFAULT_PRESENT, description="Start of an attendance block; group 'value'")
    date: list[str] = DEFAULT_DATE
    time: list[str] = DEFAULT_TIME
    place: list[str] = DEFAULT_PLACE
    ignore: list[str] = Field(default=DEFAULT_IGNORE, description="Page furniture lines to skip")
    end_markers: list[str] = Field(default=DEFAULT_END_MARKERS, description="Lines after which a page's footer starts")
    table_of_contents: list[str] = DEFAULT_TABLE_OF_CONTENTS
    section_aliases: dict[str, str] = Field(
        default={}, description="Other names for sections in the vocabulary, e.g. {'Sagsbeskrivelse': 'Sagsfremstilling'}",
    )

    @field_validator(
        "item_headings", "open_markers", "closed_markers", "closed_titles", "closed_sections", "open_sections",
        "public_decision", "case_number", "kle", "document_number", "absent", "present", "date", "time", "place",
        "ignore", "end_markers", "table_of_contents",
    )
    @classmethod
    def _regular_expressions(cls, patterns: list[str], info) -> list[str]:  # type: ignore[no-untyped-def]
        for pattern in patterns:
            try:
                compiled = re.compile(pattern)
            except re.error as exc:
                raise ValueError(_("'{pattern}' is not a regular expression ({problem})", pattern=pattern, problem=exc)) from None
            needed = {"item_headings": {"number", "title"}}.get(info.field_name, set())
            if info.field_name in {"case_number", "kle", "document_number", "absent", "present", "date", "time", "place"}:
                needed = {"value"}
            missing = needed - set(compiled.groupindex)
            if missing:
                groups = ", ".join(f"(?P<{name}>…)" for name in sorted(missing))
                raise ValueError(_("pattern '{pattern}' needs the named group(s) {groups}", pattern=pattern, groups=groups))
        return patterns


def _compile(patterns: list[str], closing: str = "") -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(rf"(?:{pattern}){closing}", re.IGNORECASE) for pattern in patterns)


# Marker lines may end with a full stop or colon ("Lukket punkt.", "Beslutningen er offentlig.").
MARKERS = {"open_markers", "closed_markers", "closed_sections", "open_sections", "public_decision", "ignore", "end_markers"}


@dataclass(frozen=True)
class Patterns:
    """ImportSettings compiled; `match` tries each pattern of one kind against a whole line."""

    settings: ImportSettings

    def __post_init__(self) -> None:
        compiled = {name: _compile(getattr(self.settings, name), "[.:]?" if name in MARKERS else "")
                    for name in ImportSettings.model_fields if name != "section_aliases"}
        object.__setattr__(self, "_compiled", compiled)

    def match(self, kind: str, line: str) -> re.Match[str] | None:
        for pattern in self._compiled[kind]:  # type: ignore[attr-defined]
            found = pattern.fullmatch(line.strip())
            if found:
                return found
        return None

    def value(self, kind: str, line: str) -> str | None:
        """The text after a label ('Sagsnr.: 2023-1' -> '2023-1'), or None if the line is not such a label."""
        found = self.match(kind, line)
        return None if found is None else (found.group("value") or "").strip()

    def prefix(self, kind: str, line: str) -> str | None:
        """The rest of a line that starts with one of the patterns (e.g. a table-of-contents word), or None."""
        for pattern in self._compiled[kind]:  # type: ignore[attr-defined]
            found = pattern.match(line.strip())
            if found and found.end() < len(line.strip()):
                return line.strip()[found.end():]
        return None


def patterns(settings: ImportSettings | None = None) -> Patterns:
    return Patterns(settings or ImportSettings())
