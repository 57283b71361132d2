"""Names in attendance blocks: 'Martin Bech (stedfortræder Klaus Riis Klæstrup mødt)', 'A, B og C'."""

from __future__ import annotations

import re

from ..model import ROLES
from .meeting import Absence, Presence

SUBSTITUTE_RE = re.compile(r"^(?:stedfortræder|suppleant|stedfortræderen|i stedet mødte)\s*:?\s*(?P<name>.+?)(?:\s+(?:mødt|deltog))?$", re.IGNORECASE)
NAME_RE = re.compile(r"^[A-ZÆØÅÉÜÖÄ][\w.'’\- ]*$")
MAX_WORDS = 7


def split_names(value: str) -> list[str]:
    """'A, B og C' -> ['A', 'B', 'C']; parentheses are kept with their name."""
    parts = re.split(r"(?:,\s*|;\s*|\s+og\s+)(?![^()]*\))", value)
    return [part.strip(" .") for part in parts if part.strip(" .")]


def is_name(line: str) -> bool:
    """Does the line look like a person's name, perhaps with a remark in parentheses?"""
    bare = re.sub(r"\s*\([^()]*\)\s*", " ", line).strip(" .,")
    return bool(bare) and bool(NAME_RE.match(bare)) and len(bare.split()) <= MAX_WORDS and len(line) <= 150


# The reason for an absence as the format's value: "udeblev uden afbud" -> "uden afbud".
ABSENCE_RE = re.compile(r"^(?:udeblev\s+)?(?P<kind>uden afbud|afbud|forfald)$", re.IGNORECASE)
PARTY_RE = re.compile(r"^[A-ZÆØÅ]{1,3}$")


def _split(entry: str) -> tuple[str, list[str]]:
    """'Martin Bech (A, stedfortræder Klaus mødt)' -> ('Martin Bech', ['A', 'stedfortræder Klaus mødt'])."""
    found = re.match(r"^(?P<name>[^()]+?)\s*\((?P<remark>[^()]*)\)\s*\.?$", entry.strip())
    if not found:
        return entry.strip(" ."), []
    return found.group("name").strip(), [part.strip() for part in found.group("remark").split(",") if part.strip()]


def absence(entry: str, reason: str | None = None) -> Absence:
    """An absent member, with the reason, substitute, party or remark from the parentheses;
    `reason` comes from the block's label ("Afbud:")."""
    name, remarks = _split(entry)
    result = Absence(name, absence=reason)
    notes: list[str] = []
    for remark in remarks:
        substitute, kind = SUBSTITUTE_RE.match(remark), ABSENCE_RE.match(remark)
        if substitute:
            result.substitute = substitute.group("name").strip()
        elif kind:
            result.absence = kind.group("kind").casefold()
        elif PARTY_RE.match(remark) and result.party is None:
            result.party = remark
        else:
            notes.append(remark)
    result.note = ", ".join(notes) or None
    return result


def presence(entry: str) -> Presence:
    """A present member, with the role and party from the parentheses ('Lise Eksempel (formand, A)')."""
    name, remarks = _split(entry)
    result = Presence(name)
    for remark in remarks:
        if remark.casefold() in ROLES and result.role is None:
            result.role = remark.casefold()
        elif PARTY_RE.match(remark) and result.party is None:
            result.party = remark
        else:
            return Presence(entry.strip(" ."))  # a remark the format has no key for: the whole text stays the name
    return result
