"""Structure recognition: from a document's lines to items, sections, case metadata and attendance.

Driven by `Patterns` (configuration) and the site's section vocabulary. Two passes:
the first decides which lines are numbered item headings (a candidate counts when
the source marks it as a heading, or when the next line is structure: a section,
an open/closed marker, a case number …); the second walks the lines and places each
one. A document without numbered headings (an agenda system's export that lost them)
starts a new item at every "Åben"/"Lukket" marker.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..config import Vocabulary
from ..i18n import _
from .attendance import ABSENCE_RE, absence, is_name, presence, split_names
from .dates import find_date, find_times
from .meeting import UNTITLED, Absence, ImportedMeeting, Item, Section
from .patterns import Patterns
from .source import Line, Source

INTRO_LINES = 25  # how far into the document the date and kind are looked for
BULLETS = ("•", "·", "▪", "●", "◦", "", "–")


@dataclass(frozen=True)
class Heading:
    number: int
    title: str


class Recogniser:
    def __init__(self, source: Source, patterns: Patterns, vocabulary: Vocabulary) -> None:
        self.source = source
        self.patterns = patterns
        self.vocabulary = vocabulary
        self.aliases = {key.casefold(): value for key, value in patterns.settings.section_aliases.items()}
        self.lines = [self._untoc(line) for line in source.lines]
        self.meeting = ImportedMeeting()
        self._headings: dict[int, Heading] = {}
        self.weak: set[int] = set()

    # --- what a line is -------------------------------------------------------------------

    def _untoc(self, line: Line) -> Line:
        """'Indholdsfortegnelse1. Fraværende' -> '1. Fraværende' (a table-of-contents word glued to an entry)."""
        rest = self.patterns.prefix("table_of_contents", line.text)
        if rest is not None and self.patterns.match("item_headings", rest.strip()):
            return Line(rest.strip(), line.number, line.heading, line.page)
        return line

    def section(self, text: str) -> str | None:
        """The vocabulary's name for a section heading line ('BESLUTNING', 'Beslutning:'), or None."""
        written = " ".join(text.strip().rstrip(":").split())
        if not written or len(written) > 80:
            return None
        if written.casefold() in self.aliases:
            return self.vocabulary.name(self.aliases[written.casefold()])
        name = self.vocabulary.name(written)
        if name == written and written.isupper():  # "BESLUTNING FRA ØKONOMIUDVALGET", allowed by a decision pattern
            return written.capitalize()
        return name

    def heading(self, line: Line) -> Heading | None:
        found = self.patterns.match("item_headings", line.text)
        if not found:
            return None
        title = " ".join((found.group("title") or "").split())
        number = found.group("number") or ""
        return Heading(int(number), title) if number.isdigit() and number.isascii() else None

    def is_status(self, text: str) -> str | None:
        if self.patterns.match("closed_markers", text):
            return "closed"
        if self.patterns.match("open_markers", text):
            return "open"
        return None

    def is_metadata(self, text: str) -> bool:
        return any(self.patterns.match(kind, text) for kind in ("case_number", "kle", "document_number"))

    def is_structure(self, text: str) -> bool:
        """A line that only ever follows an item heading: a section, a status, case metadata or attendance."""
        return bool(self.section(text) or self.is_status(text) or self.is_metadata(text)
                    or self.patterns.match("absent", text) or self.patterns.match("public_decision", text))

    def _next_text(self, index: int) -> tuple[int, str] | None:
        for later in range(index + 1, len(self.lines)):
            text = self.lines[later].text.strip()
            if text and not self.patterns.match("ignore", text):
                return later, text
        return None

    # --- pass 1: which lines are item headings --------------------------------------------

    def item_headings(self) -> dict[int, Heading]:
        """Numbered item headings by line index. A candidate counts when the source marks it as a heading,
        when it is in a closed section's list, or when the next line is structure; or, weaker, when it is the
        next running number on a line of its own (blank lines around it) that reads like a title. Weak ones
        are in `self.weak`: they never end a closed item (its text could otherwise become an open item)."""
        found: dict[int, Heading] = {}
        last = 0
        closed_zone = False
        for index, line in enumerate(self.lines):
            text = line.text.strip()
            if self.patterns.match("closed_sections", text):
                closed_zone = True
            elif self.patterns.match("open_sections", text):
                closed_zone = False
            heading = self.heading(line)
            if heading is None or heading.number <= last:
                continue
            following = self._next_text(index)
            next_text = following[1] if following else ""
            wrapped = following is not None and following[0] == index + 1 and next_text[:1].islower()
            if following is not None and (wrapped or not heading.title and not self.is_structure(next_text)):
                after = self._next_text(following[0])  # the title wrapped onto, or written on, the next line
                next_text = after[1] if after else ""
            if line.heading is not None or closed_zone or following is None or self.is_structure(next_text):
                found[index] = heading
                last = heading.number
            elif self._isolated(index, heading, last):
                found[index] = heading
                self.weak.add(index)
                last = heading.number
        return found

    def _isolated(self, index: int, heading: Heading, last: int) -> bool:
        """'4. Eventuelt' alone between blank lines, the next number, not a sentence: a heading without sections."""
        before = self.lines[index - 1].text.strip() if index > 0 else ""
        after = self.lines[index + 1].text.strip() if index + 1 < len(self.lines) else ""
        following = self._next_text(index)
        listed = following is not None and self.heading(Line(following[1], 0)) is not None  # a list or a table of contents
        sentence = heading.title.endswith((".", ",", ";")) or len(heading.title) > 150
        return heading.number == last + 1 and bool(heading.title) and not sentence and not listed and not before and not after

    # --- pass 2: place every line ---------------------------------------------------------

    def recognise(self) -> ImportedMeeting:
        headings = self._headings = self.item_headings()
        status_starts_item = not headings
        meeting = self.meeting
        item: Item | None = None
        section: Section | None = None
        closed_zone = False
        ended = False
        attendance_first: list[Absence] | None = None
        repeated: list[str] = []
        skip_to = -1
        for index, line in enumerate(self.lines):
            if index <= skip_to:
                continue
            text = line.text.strip()
            if ended:
                if text:
                    meeting.unplaced.append((line.number, text))
                continue
            if not text:
                self._add(item, section, "")
                continue
            if self.patterns.match("ignore", text):
                meeting.skipped.append((line.number, text))
                continue
            if item is not None and self.patterns.match("end_markers", text):
                ended = True
                meeting.unplaced.append((line.number, text))
                meeting.to_check.append(_("line {number}: '{text}' looks like the end of the minutes (a web page's footer); "
                                          "what follows was kept in the introduction, not in the last item", number=line.number, text=text))
                continue
            if self.patterns.match("closed_sections", text):
                closed_zone = True
                meeting.found.append(_("line {number}: '{text}': the items after it are closed", number=line.number, text=text))
                continue
            if self.patterns.match("open_sections", text):
                closed_zone = False
                continue
            if index in headings and index in self.weak and item is not None and item.closed:
                meeting.to_check.append(_("line {number}: '{text}' may start a new item, but it follows closed item {item} and "
                                          "was kept as (not imported) text of that item: check it",
                                          number=line.number, text=text, item=item.number))
                headings.pop(index)
            if index in headings:
                heading = headings[index]
                title = heading.title
                following = index + 1
                while following < len(self.lines) and self.lines[following].text.strip()[:1].islower() and not self.is_structure(self.lines[following].text):
                    title = f"{title} {self.lines[following].text.strip()}"
                    skip_to = following
                    following += 1
                if not title:  # "Pkt. 1" with the title on the next line
                    nxt = self._next_text(index)
                    if nxt and not self.is_structure(nxt[1]) and nxt[0] not in headings and len(nxt[1]) <= 150:
                        title, skip_to = nxt[1], nxt[0]
                item = self._new_item(heading.number, title, line, closed_zone)
                section = None
                continue
            status = self.is_status(text)
            if status is not None:
                if item is not None and (not item.has_content() or status == "closed" and not status_starts_item):
                    item.closed = item.closed or status == "closed"
                    continue
                if status_starts_item:
                    number = item.number + 1 if item else 1
                    item = self._new_item(number, "", line, closed_zone or status == "closed")
                    section = None
                    continue
            if item is not None and self.patterns.match("public_decision", text):
                item.public_decision = True
                self._add(item, section, text)
                continue
            name = self.section(text)
            if name is not None and item is not None:
                earlier = next((s for s in item.sections if s.name == name), None)
                if earlier is not None:  # a section may appear once per item: the text joins the first one
                    meeting.to_check.append(_("line {number}: section '{section}' appears again in item {item}; its text was "
                                              "added to the first one", number=line.number, section=name, item=item.number))
                    earlier.lines.append("")
                section = earlier or Section(name)
                if earlier is None:
                    item.sections.append(section)
                continue
            if item is not None and self._metadata(item, text):
                continue
            if item is None and self._meeting_metadata(line, text):
                continue
            absent_label = self.patterns.match("absent", text)
            present_label = self.patterns.match("present", text)
            if (absent_label or present_label) and not (item and item.closed):
                names, skip_to = self._names(index, (absent_label or present_label).group("value") or "")
                if names:
                    if present_label and not absent_label:
                        known = {entry.name for entry in meeting.present}
                        meeting.present += [presence(n) for n in names if presence(n).name not in known]
                        if item:
                            meeting.found.append(_("line {number}: present members in item {item}: {count}",
                                                   number=line.number, item=item.number, count=len(names)))
                        else:
                            meeting.found.append(_("line {number}: present members in the introduction: {count}",
                                                   number=line.number, count=len(names)))
                        continue
                    label = ABSENCE_RE.match(text.split(":")[0].strip())  # "Afbud:": every name in the block sent afbud
                    block = [absence(name, label.group("kind").casefold() if label else None) for name in names]
                    if attendance_first is None:
                        attendance_first = block
                        meeting.absent = block
                        meeting.found.append(_("line {number}: absent members ('{text}'): {count}",
                                               number=line.number, text=text, count=len(block)))
                        continue
                    if block == attendance_first:  # the same block repeated under every item
                        repeated.append(str(item.number) if item else _("introduction"))
                        continue
                    if item:
                        meeting.to_check.append(_("line {number}: an absence block differs from the first one; kept in the text of "
                                                  "item {item}: merge it into `absent:` by hand", number=line.number, item=item.number))
                    else:
                        meeting.to_check.append(_("line {number}: an absence block differs from the first one; kept in the text of "
                                                  "the introduction: merge it into `absent:` by hand", number=line.number))
                    skip_to = -1
            self._add(item, section, text, line.number)
        if repeated:
            meeting.found.append(_("the absence block is repeated under item(s) {items}: the same names as in `absent:`, so left "
                                   "out of the items' text", items=", ".join(repeated)))
        self._finish()
        return meeting

    def _new_item(self, number: int, title: str, line: Line, closed: bool) -> Item:
        words = title.rsplit(" ", 1)
        status = self.is_status(words[1]) if len(words) == 2 else None
        if status:  # "1. Godkendelse af dagsorden Åben": an agenda system's label beside the title
            title, closed = words[0], closed or status == "closed"
        closed_title = self.patterns.match("closed_titles", title) if title else None
        if closed_title:
            closed = True
            title = _strip_closed(title)
        item = Item(number, title or UNTITLED, line.number, closed=closed, untitled=not title)
        self.meeting.items.append(item)
        return item

    def _add(self, item: Item | None, section: Section | None, text: str, number: int = 0) -> None:
        if item is None:
            if text:
                self.meeting.unplaced.append((number, text))
            return
        (section.lines if section else item.lead).append(text)

    def _metadata(self, item: Item, text: str) -> bool:
        for kind in ("case_number", "kle", "document_number"):
            value = self.patterns.value(kind, text)
            if value is not None and value and getattr(item, kind) is None:
                setattr(item, kind, value)
                return True
        return False

    def _meeting_metadata(self, line: Line, text: str) -> bool:
        meeting = self.meeting
        value = self.patterns.value("date", text)
        if value is not None and meeting.date is None and find_date(value):
            meeting.date = find_date(value)
            meeting.found.append(_("line {number}: date {date} ('{text}')", number=line.number, date=meeting.date.isoformat(), text=text))
            return True
        value = self.patterns.value("time", text)
        if value is not None and meeting.start is None and find_times(value):
            times = find_times(value)
            meeting.start = times[0]
            meeting.end = times[1] if len(times) > 1 else None
            meeting.found.append(_("line {number}: time {time} ('{text}')", number=line.number, time="–".join(times[:2]), text=text))
            return True
        value = self.patterns.value("place", text)
        if value and meeting.place is None:
            meeting.place = value
            meeting.found.append(_("line {number}: place '{place}'", number=line.number, place=value))
            return True
        return False

    def _names(self, index: int, value: str) -> tuple[list[str], int]:
        """The names of an attendance block: on the label's line ('Afbud: A, B') or on the lines after it."""
        if value:
            last = index  # a long list wraps onto the next lines of the paragraph ("…; Mette" / "Eksempel (observatør)")
            while last + 1 < len(self.lines) and self._continues(self.lines[last + 1].text):
                last += 1
            joined = " ".join([value, *(line.text.strip() for line in self.lines[index + 1:last + 1])])
            for candidate, end in ((joined, last), (value, index)):
                names = split_names(candidate)
                if all(is_name(name) for name in names):
                    return names, end
            return [], -1
        names: list[str] = []
        last = index
        for later in range(index + 1, len(self.lines)):
            text = self.lines[later].text.strip()
            if not text:
                continue
            bare = text.lstrip("".join(BULLETS)).strip()
            if self.patterns.match("ignore", text) or self.is_structure(text) or later in self._headings or not is_name(bare):
                break
            names.append(bare)
            last = later
        return names, (last if names else -1)

    def _continues(self, text: str) -> bool:
        """Is this line more of the paragraph above: not blank, not structure, not a label or heading?"""
        text = text.strip()
        labels = ("date", "time", "place", "absent", "present", "ignore", "item_headings")
        return bool(text) and not self.is_structure(text) and not any(self.patterns.match(kind, text) for kind in labels)

    def _finish(self) -> None:
        meeting = self.meeting
        for item in meeting.items:
            if item.closed:
                _withhold(item, self.vocabulary)
        if not meeting.absent:
            for item in meeting.items:  # an item called "Fraværende" lists the absent members
                if self.patterns.match("absent", item.title) and not item.closed:
                    entries = [ln.lstrip("".join(BULLETS)).strip() for s in item.sections for ln in s.lines if ln.strip()]
                    entries += [ln.strip() for ln in item.lead if ln.strip()]
                    names = [e for e in entries if is_name(e) and "(" in e or is_name(e) and len(e.split()) >= 2]
                    if names:
                        meeting.absent = [absence(name) for name in names]
                        meeting.found.append(_("item {number} '{title}': absent members: {count}",
                                               number=item.number, title=item.title, count=len(names)))
                    break
        head = [line.text.strip() for line in self.lines[:INTRO_LINES * 4] if line.text.strip()][:INTRO_LINES]
        if meeting.date is None:
            for text in head:
                date = find_date(text)
                if date:
                    meeting.date = date
                    meeting.found.append(_("date {date} from '{text}'", date=date.isoformat(), text=text))
                    break
        for text in head:
            words = {w for w in ("referat", "dagsorden") if w in text.casefold()}
            if len(words) == 1:
                meeting.kind = words.pop()
                meeting.found.append(_("kind {kind} from '{text}'", kind=meeting.kind, text=text))
                break


def _strip_closed(title: str) -> str:
    title = re.sub(r"\s*\(\s*lukket(?: punkt)?\s*\)\s*", " ", title, flags=re.IGNORECASE)
    title = re.sub(r"^lukket (?:punkt|dagsordenpunkt|sag)\s*[:\-–]\s*", "", title, flags=re.IGNORECASE)
    return title.strip()


def _withhold(item: Item, vocabulary: Vocabulary) -> None:
    """A closed item keeps its title only; with a public decision, its decision sections too."""
    kept = [s for s in item.sections if vocabulary.is_decision(s.name)] if item.public_decision else []
    item.withheld = sum(bool(line.strip()) for s in item.sections if s not in kept for line in s.lines)
    item.withheld += sum(bool(line.strip()) for line in item.lead)
    item.sections = kept
    item.lead = []
    item.case_number = item.kle = item.document_number = None
    if item.public_decision and not kept:
        item.public_decision = False


def recognise(source: Source, patterns: Patterns, vocabulary: Vocabulary) -> ImportedMeeting:
    return Recogniser(source, patterns, vocabulary).recognise()
