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
from .i18n import N_, UI, _
from .frontmatter import FrontMatter
from .markdown import slugify
from .model import ABSENCES, PERSON_ID_MAX, ROLES, Absentee, Attendee, ItemMeta, MeetingMeta, Person, Vote

# Text in brackets after a name, as minutes print it: "Lise Eksempel (formand)".
BRACKETED_RE = re.compile(r"^(?P<name>[^()]+?)\s*\((?P<inner>[^()]+)\)\s*$")
SUBSTITUTE_RE = re.compile(r"^stedfortræder\s+(?P<name>.+?)(?:\s+mødt)?$", re.IGNORECASE)

# What the page says for each absence, role and vote (msgids, translated into the site's language).
ABSENCE_LABEL = {"afbud": N_("sent apologies"), "uden afbud": N_("absent without apologies"), "forfald": N_("unavoidably absent")}
ROLE_LABEL = {"formand": N_("chair"), "næstformand": N_("vice-chair"), "medlem": N_("member"), "stedfortræder": N_("substitute"),
              "observatør": N_("observer"), "referent": N_("minute-taker"), "fra administrationen": N_("from the administration")}
RESULT_LABEL = {"vedtaget": N_("adopted"), "forkastet": N_("rejected")}
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
    return _("{entry} with {line} on the next line", entry=f"`- name: {name}`", line=f"`{key}: {value}`")


def check_attendance(path: str, meta: MeetingMeta, front: FrontMatter, problems: Problems) -> None:
    """Warnings that turn pasted attendance text into data; an error for a person listed twice."""
    for key in ("present", "absent"):
        written = front.data.get(key) if isinstance(front.data, dict) else None
        for index, entry in enumerate(written if isinstance(written, list) else []):
            hint = _structured_hint(entry, key == "absent") if isinstance(entry, str) else None
            if hint:
                problems.warning(
                    path, front.line_of((key, index)),
                    _("'{key}': '{entry}' puts part of the attendance in brackets, which the site shows as part of the name; "
                      "write it as data: {hint}", key=f"{key}[{index}]", entry=entry, hint=hint),
                )
    for index, absentee in enumerate(meta.absent):
        found = absence_in(absentee.note or "")
        if found and absentee.absence is None:
            problems.warning(
                path, front.line_of(("absent", index, "note")),
                _("'{key}': '{note}' is a reason for absence; write {line} instead (one of: {values}) and keep `note:` for "
                  "other remarks", key=f"absent[{index}].note", note=absentee.note, line=f"`absence: {found}`",
                  values=", ".join(ABSENCES)),
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
                _("'{key}': {name} (id '{id}') is listed already as '{other}'; list each person once, as present or as absent "
                  "(a substitute who met is named in `substitute:` and listed under present)",
                  key=where, name=person.name, id=pid, other=seen[pid]),
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


def _person(person: Person, substitute_for: dict[str, str], ui: UI) -> dict[str, Any]:
    """A person as the page shows them: name, party, role, and what the minutes add ('afbud', 'stedfortræder … mødt')."""
    details: list[str] = []
    role: str | None = ui.gettext(ROLE_LABEL[person.role]) if person.role else None
    if isinstance(person, Absentee):
        details = [ui.gettext(ABSENCE_LABEL[person.absence]) if person.absence else "", person.note or ""]
        details.insert(1, ui.gettext("substitute {name} attended", name=person.substitute) if person.substitute else "")
    elif person.name.casefold() in substitute_for:
        replaced = ui.gettext("substitute for {name}", name=substitute_for[person.name.casefold()])
        role, details = (replaced, []) if person.role in (None, "stedfortræder") else (role, [replaced])
    return {"name": person.name, "id": person_id(person), "role": role, "party": person.party, "details": [d for d in details if d]}


def attendance_groups(present: list[Attendee], absent: list[Absentee], ui: UI) -> list[dict[str, Any]]:
    """What a meeting page lists: members present, observers, staff, absent; empty groups left out."""
    groups = [
        ("til-stede", N_("Present"), [p for p in present if p.role in MEMBER_ROLES]),
        ("observatoerer", N_("Observers"), [p for p in present if p.role == "observatør"]),
        ("fra-administrationen", N_("From the administration"), [p for p in present if p.role in STAFF_ROLES]),
        ("fravaerende", N_("Absent"), list(absent)),
    ]
    substitute_for = {a.substitute.casefold(): a.name for a in absent if a.substitute}
    return [{"id": anchor, "heading": ui.gettext(heading), "people": [_person(p, substitute_for, ui) for p in people]}
            for anchor, heading, people in groups if people]


# --- votes, minorities and members leaving: names checked against the attendance ------------------------------


def _vote_view(vote: Vote, ui: UI) -> dict[str, Any]:
    sides = [(N_("For"), vote.for_), (N_("Against"), vote.against), (N_("Abstained"), vote.abstaining)]
    return {
        "subject": vote.subject, "result": ui.gettext(RESULT_LABEL[vote.result]) if vote.result else None,
        "sides": [(ui.gettext(label), side if isinstance(side, int) else ", ".join(side)) for label, side in sides if side is not None],
    }


def item_votes(meta: ItemMeta, ui: UI) -> dict[str, Any]:
    """What an item shows near its decision: votes, minority remarks, members who left."""
    return {
        "votes": [_vote_view(vote, ui) for vote in meta.votes],
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
                               _("'{key}': a vote needs at least one of `for:`, `against:`, `abstaining:` (a number, or the "
                                 "parties or names)", key=_where(number, ("votes", index))))
        if not names:
            continue  # no attendance to check against: nothing is certain
        for key_path, who in _named(item):
            line = front.line_of(("items", number, *key_path))
            where = _where(number, key_path)
            folded = who.casefold()
            if folded in absent:
                problems.warning(path, line, _("'{key}': {name} is listed as absent ({absent}); check the name, or the attendance",
                                               key=where, name=who, absent=f"absent[{absent[folded]}]"))
            elif folded not in names and folded not in parties and not _party_like(who):
                close = difflib.get_close_matches(who, sorted(set(names.values())), n=1)
                if close:
                    problems.warning(path, line, _("'{key}': '{name}' is not in the meeting's attendance (present:, absent:, "
                                                   "substitutes) nor a party listed there; did you mean '{close}'? check the "
                                                   "spelling, or add the person", key=where, name=who, close=close[0]))
                else:
                    problems.warning(path, line, _("'{key}': '{name}' is not in the meeting's attendance (present:, absent:, "
                                                   "substitutes) nor a party listed there; check the spelling, or add the person",
                                                   key=where, name=who))


def _party_like(text: str) -> bool:
    """A party letter or short name (A, V, Ø, SF, DF): not checked against names when no parties are given."""
    return len(text) <= 3 and " " not in text
