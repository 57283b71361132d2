"""The one place that writes a meeting file in the documented format (docs/content-format.md).

When the format changes, this module follows it. Text from the source is escaped so
Markdown shows it as it was written: no line becomes a heading, a list, a code block,
a link or raw HTML by accident. Values in the front matter are double-quoted YAML.
"""

from __future__ import annotations

import json
import re

from .meeting import ImportedMeeting, Item, Section

BULLET_RE = re.compile(r"^[•·▪●◦]\s*")
# A line start that Markdown would read as structure: headings, quotes, lists, thematic breaks, setext underlines, tables.
BLOCK_START_RE = re.compile(r"^(#|>|=|-|\+|\*|_|\||~~~|```)")
ORDERED_RE = re.compile(r"^(\d{1,9})([.)])(\s|$)")
INLINE_RE = re.compile(r"([\\`*\[\]<{}])")


def quoted(value: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(value, ensure_ascii=False)


def escape(line: str) -> str:
    """One line of source text as Markdown that shows exactly that text."""
    line = line.strip()
    bullet = BULLET_RE.match(line)
    if bullet:
        return "- " + INLINE_RE.sub(r"\\\1", line[bullet.end():])
    line = INLINE_RE.sub(r"\\\1", line)
    if BLOCK_START_RE.match(line):
        return "\\" + line
    return ORDERED_RE.sub(r"\1\\\2\3", line)


def _paragraphs(lines: list[str]) -> list[str]:
    """Lines with blank lines between paragraphs; no blank runs at the start or end."""
    out: list[str] = []
    for line in lines:
        text = line.strip()
        if not text:
            if out and out[-1] != "":
                out.append("")
            continue
        if out and out[-1] != "" and BULLET_RE.match(text) and not out[-1].startswith("- "):
            out.append("")  # a list starts a new block
        out.append(escape(text))
    while out and out[-1] == "":
        out.pop()
    return out


def _title(text: str) -> str:
    """A title for an item heading: one line, no braces (they would be read as a marker)."""
    return INLINE_RE.sub(r"\\\1", " ".join(text.replace("{", "(").replace("}", ")").split()))


def _comment(text: str) -> str:
    return text.replace("-->", "- ->").replace("--!>", "- -!>")


def front_matter(meeting: ImportedMeeting, body: str) -> list[str]:
    assert meeting.date is not None and meeting.kind is not None
    lines = ["---", f"body: {body}", f"date: {meeting.date.isoformat()}", f"kind: {meeting.kind}"]
    for key in ("start", "end", "place"):
        value = getattr(meeting, key)
        if value:
            lines.append(f"{key}: {quoted(value)}")
    if meeting.present:
        lines.append("present:")
        for person in meeting.present:
            if person.role or person.party:
                lines.append(f"  - name: {quoted(person.name)}")
                lines += [f"    {key}: {quoted(getattr(person, key))}" for key in ("role", "party") if getattr(person, key)]
            else:
                lines.append(f"  - {quoted(person.name)}")
    if meeting.absent:
        lines.append("absent:")
        for entry in meeting.absent:
            lines.append(f"  - name: {quoted(entry.name)}")
            lines += [f"    {key}: {quoted(getattr(entry, key))}" for key in ("party", "absence", "substitute", "note") if getattr(entry, key)]
    metadata = [item for item in meeting.items if not item.closed and (item.case_number or item.kle or item.document_number)]
    if metadata:
        lines.append("items:")
        for item in metadata:
            lines.append(f"  {item.number}:")
            for key in ("case_number", "kle", "document_number"):
                if getattr(item, key):
                    lines.append(f"    {key}: {quoted(getattr(item, key))}")
    lines.append("---")
    return lines


def _item(item: Item, body: str, date: str) -> list[str]:
    marker = " {lukket offentlig-beslutning}" if item.closed and item.public_decision else " {lukket}" if item.closed else ""
    lines = ["", f"## {item.number}. {_title(item.title)}{marker}"]
    lead = _paragraphs(item.lead)
    if lead:
        lines += ["", *lead]
    sections = list(item.sections)
    if item.bilag and not any(section.name == "Bilag" for section in sections):
        sections.append(Section("Bilag"))
    for section in sections:
        lines += ["", f"### {section.name}"]
        text = _paragraphs(section.lines)
        if section.name == "Bilag" and item.bilag:
            links = [f"- [{_title(title)}](../../bilag/{body}/{date}/{name})" for title, name in item.bilag]
            text = [*text, *([""] if text else []), *links]
        if not text and section.name == "Bilag":
            text = ["<!-- Kilden nævner bilag her, men filerne var ikke med i importen: tilføj links til dem, eller slet afsnittet. -->"]
        if text:
            lines += ["", *text]
    return lines


def meeting_text(meeting: ImportedMeeting, body: str, source_name: str) -> str:
    """The whole meeting file."""
    lines = front_matter(meeting, body)
    lines += ["", f"<!-- Importeret fra {_comment(source_name)} med `python build.py import`. -->"]
    if meeting.unplaced:
        lines += [
            "",
            "<!-- Tekst fra kilden, som importen ikke kunne placere. Den er ikke offentlig, så længe den står i denne kommentar.",
            "Flyt det, der hører til mødet, ud af kommentaren (og ind i det rigtige punkt), og slet resten.",
            "",
            *(_comment(text) for _, text in meeting.unplaced),
            "-->",
        ]
    assert meeting.date is not None
    for item in meeting.items:
        lines += _item(item, body, meeting.date.isoformat())
    return "\n".join(lines) + "\n"
