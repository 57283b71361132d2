"""Attendance: who took part in a meeting, in which role, and who was absent and why.

The front matter holds it as data (model.Attendee, model.Absentee). Here: a person's stable id,
the checks that help an editor move from pasted text to data, and the groups a meeting page shows.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from typing import Any

from .errors import Problems
from .frontmatter import FrontMatter
from .markdown import slugify
from .model import ABSENCES, PERSON_ID_MAX, ROLES, Absentee, Attendee, ItemMeta, MeetingMeta, Person, Vote

# Text in brackets after a name, as minutes print it: "Lise Eksempel (formand)".
BRACKETED_RE = re.compile(r"^(?P<name>[^()]+?)\s*\((?P<inner>[^()]+)\)\s*$")
SUBSTITUTE_RE = re.compile(r"^stedfortræder\s+(?P<name>.+?)(?:\s+mødt)?$", re.IGNORECASE)

ABSENCE_LABEL = {"afbud": "afbud", "uden afbud": "udeblev uden afbud", "forfald": "forfald"}
MEMBER_ROLES = {None, "formand", "næstformand", "medlem", "stedfortræder"}
STAFF_ROLES = {"referent", "fra administrationen"}




def name_id(name: str) -> str:
    """The id a name gives: its slug ('Søren Ørum' -> 'soeren-oerum'). A name without a letter a-z or digit
    ('李明') or a very long one gets a stable id from a digest of the name, so that it is never empty, never too
    long for a folder, and two such names never share one."""
    slug = slugify(name)
    if slug and len(slug) <= PERSON_ID_MAX:
        return slug
    digest = hashlib.blake2b(name.encode(), digest_size=4).hexdigest()
    return f"{slug[:PERSON_ID_MAX - 9].rstrip('-')}-{digest}" if slug else f"person-{digest}"


def person_id(person: Person) -> str:
    """The person's stable id across meetings: `id:` if given, else the name's id (name_id)."""
    return person.id or name_id(person.name)


def absence_in(text: str) -> str | None:
    """The absence value a free text states ('udeblev uden afbud' -> 'uden afbud'), if any."""
    folded = text.casefold()
    for value in ("uden afbud", "forfald", "afbud"):  # 'uden afbud' first: it contains 'afbud'
        if value in folded:
            return value
    return None


def _structured_hint(text: str, absent: bool) -> str | None:
    """For a name written with a bracket ('X (formand)'), the mapping that says the same as data."""
    match = BRACKETED_RE.match(text)
    if match is None:
        return None
    name, inner = match.group("name").strip(), match.group("inner").strip()
    substitute = SUBSTITUTE_RE.match(inner)
    if inner.casefold() in ROLES:
        key, value = "role", inner.casefold()
    elif absent and substitute:
        key, value = "substitute", substitute.group("name")
    elif absent and absence_in(inner):
        key, value = "absence", absence_in(inner)
    else:
        return None
    return f"`- name: {name}` with `{key}: {value}` on the next line"


def check_attendance(path: str, meta: MeetingMeta, front: FrontMatter, problems: Problems) -> None:
    """Warnings that turn pasted attendance text into data; an error for a person listed twice."""
    for key in ("present", "absent"):
        written = front.data.get(key) if isinstance(front.data, dict) else None
        for index, entry in enumerate(written if isinstance(written, list) else []):
            hint = _structured_hint(entry, key == "absent") if isinstance(entry, str) else None
            if hint:
                problems.warning(
                    path, front.line_of((key, index)),
                    f"'{key}[{index}]': '{entry}' puts part of the attendance in brackets, which the site shows as part "
                    f"of the name; write it as data: {hint}",
                )
    for index, absentee in enumerate(meta.absent):
        found = absence_in(absentee.note or "")
        if found and absentee.absence is None:
            problems.warning(
                path, front.line_of(("absent", index, "note")),
                f"'absent[{index}].note': '{absentee.note}' is a reason for absence; write `absence: {found}` instead "
                f"(one of: {', '.join(ABSENCES)}) and keep `note:` for other remarks",
            )
    _check_listed_once(path, meta, front, problems)


def _check_listed_once(path: str, meta: MeetingMeta, front: FrontMatter, problems: Problems) -> None:
    seen: dict[str, str] = {}
    entries: list[tuple[str, int, Person]] = [("present", i, p) for i, p in enumerate(meta.present)]
    entries += [("absent", i, p) for i, p in enumerate(meta.absent)]
    for key, index, person in entries:
        where = f"{key}[{index}]"
        pid = person_id(person)
        if pid in seen:
            problems.error(
                path, front.line_of((key, index)),
                f"'{where}': {person.name} (id '{pid}') is listed already as '{seen[pid]}'; list each person once, "
                "as present or as absent (a substitute who met is named in `substitute:` and listed under present)",
            )
        else:
            seen[pid] = where


def attendance_names(meta: MeetingMeta) -> dict[str, str]:
    """Everyone the attendance names, by folded name and by id: present, absent and substitutes."""
    names: dict[str, str] = {}
    for person in [*meta.present, *meta.absent]:
        names[person.name.casefold()] = person.name
        names[person_id(person)] = person.name
    for absentee in meta.absent:
        if absentee.substitute:
            names[absentee.substitute.casefold()] = absentee.substitute
    return names


def _person(person: Person, substitute_for: dict[str, str]) -> dict[str, Any]:
    """A person as the page shows them: name, party, role, and what the minutes add ('afbud', 'stedfortræder … mødt')."""
    details: list[str] = []
    role: str | None = person.role
    if isinstance(person, Absentee):
        details = [ABSENCE_LABEL.get(person.absence or "", ""), person.note or ""]
        details.insert(1, f"stedfortræder {person.substitute} mødt" if person.substitute else "")
    elif person.name.casefold() in substitute_for:
        replaced = f"stedfortræder for {substitute_for[person.name.casefold()]}"
        role, details = (replaced, []) if role in (None, "stedfortræder") else (role, [replaced])
    return {"name": person.name, "id": person_id(person), "role": role, "party": person.party, "details": [d for d in details if d]}


def attendance_groups(present: list[Attendee], absent: list[Absentee]) -> list[dict[str, Any]]:
    """What a meeting page lists: members present, observers, staff, absent; empty groups left out."""
    groups = [
        ("til-stede", "Til stede", [p for p in present if p.role in MEMBER_ROLES]),
        ("observatoerer", "Observatører", [p for p in present if p.role == "observatør"]),
        ("fra-administrationen", "Fra administrationen", [p for p in present if p.role in STAFF_ROLES]),
        ("fravaerende", "Fraværende", list(absent)),
    ]
    substitute_for = {a.substitute.casefold(): a.name for a in absent if a.substitute}
    return [{"id": anchor, "heading": heading, "people": [_person(p, substitute_for) for p in people]}
            for anchor, heading, people in groups if people]


# --- votes, minorities and members leaving: names checked against the attendance ------------------------------


def _vote_view(vote: Vote) -> dict[str, Any]:
    sides = [("For", vote.for_), ("Imod", vote.against), ("Undlod at stemme", vote.abstaining)]
    return {
        "subject": vote.subject, "result": vote.result,
        "sides": [(label, side if isinstance(side, int) else ", ".join(side)) for label, side in sides if side is not None],
    }


def item_votes(meta: ItemMeta) -> dict[str, Any]:
    """What an item shows near its decision: votes, minority remarks, members who left."""
    return {
        "votes": [_vote_view(vote) for vote in meta.votes],
        # The minority named before its remark, unless the remark names it already ("Et mindretal (V) stemte imod").
        "minority": [{"who": "" if any(w in m.remark for w in m.who) else ", ".join(m.who), "remark": m.remark}
                     for m in meta.minority],
        "left": ", ".join(meta.left),
    }


def _named(meta: ItemMeta) -> list[tuple[tuple[str | int, ...], str]]:
    """Every (key path inside the item, name or party) the item's votes, minorities and `left` give."""
    out: list[tuple[tuple[str | int, ...], str]] = []
    for index, vote in enumerate(meta.votes):
        for key, side in (("for", vote.for_), ("against", vote.against), ("abstaining", vote.abstaining)):
            out += [(("votes", index, key, n), who) for n, who in enumerate(side)] if isinstance(side, list) else []
    for index, minority in enumerate(meta.minority):
        out += [(("minority", index, "who", n), who) for n, who in enumerate(minority.who)]
    return out + [(("left", n), who) for n, who in enumerate(meta.left)]


def _where(number: int, path: tuple[str | int, ...]) -> str:
    out = f"items.{number}"
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out


def check_votes(path: str, meta: MeetingMeta, front: FrontMatter, problems: Problems) -> None:
    """Votes need a side; names in votes, minorities and `left` are checked against the attendance (warnings)."""
    names = attendance_names(meta)
    parties = {p.party.casefold() for p in [*meta.present, *meta.absent] if p.party}
    absent = {a.name.casefold(): index for index, a in enumerate(meta.absent)}
    for number, item in sorted(meta.items.items()):
        for index, vote in enumerate(item.votes):
            if vote.for_ is None and vote.against is None and vote.abstaining is None:
                problems.error(path, front.line_of(("items", number, "votes", index)),
                               f"'{_where(number, ('votes', index))}': a vote needs at least one of `for:`, `against:`, "
                               "`abstaining:` (a number, or the parties or names)")
        if not names:
            continue  # no attendance to check against: nothing is certain
        for key_path, who in _named(item):
            line = front.line_of(("items", number, *key_path))
            where = _where(number, key_path)
            folded = who.casefold()
            if folded in absent:
                problems.warning(path, line, f"'{where}': {who} is listed as absent (absent[{absent[folded]}]); "
                                 "check the name, or the attendance")
            elif folded not in names and folded not in parties and not _party_like(who):
                close = difflib.get_close_matches(who, sorted(set(names.values())), n=1)
                hint = f"did you mean '{close[0]}'? " if close else ""
                problems.warning(path, line, f"'{where}': '{who}' is not in the meeting's attendance (present:, absent:, "
                                 f"substitutes) nor a party listed there; {hint}check the spelling, or add the person")


def _party_like(text: str) -> bool:
    """A party letter or short name (A, V, Ø, SF, DF): not checked against names when no parties are given."""
    return len(text) <= 3 and " " not in text
