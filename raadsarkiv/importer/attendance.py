"""Names in attendance blocks: 'Martin Bech (stedfortræder Klaus Riis Klæstrup mødt)', 'A, B og C'."""

from __future__ import annotations

import re

from .meeting import Absence

SUBSTITUTE_RE = re.compile(r"^(?:stedfortræder|suppleant|stedfortræderen|i stedet mødte)\s*:?\s*(?P<name>.+?)(?:\s+(?:mødt|deltog))?$", re.IGNORECASE)
NAME_RE = re.compile(r"^[A-ZÆØÅÉÜÖÄ][\w.'’\- ]*$")
MAX_WORDS = 7


def split_names(value: str) -> list[str]:
    """'A, B og C' -> ['A', 'B', 'C']; parentheses are kept with their name."""
    parts = re.split(r",\s*|;\s*|\s+og\s+(?![^()]*\))", value)
    return [part.strip(" .") for part in parts if part.strip(" .")]


def is_name(line: str) -> bool:
    """Does the line look like a person's name, perhaps with a remark in parentheses?"""
    bare = re.sub(r"\s*\([^()]*\)\s*", " ", line).strip(" .,")
    return bool(bare) and bool(NAME_RE.match(bare)) and len(bare.split()) <= MAX_WORDS and len(line) <= 150


def absence(entry: str) -> Absence:
    """An absent member, with the substitute or remark from the parentheses."""
    found = re.match(r"^(?P<name>[^()]+?)\s*\((?P<remark>[^()]*)\)\s*\.?$", entry.strip())
    if not found:
        return Absence(entry.strip(" ."))
    name, remark = found.group("name").strip(), found.group("remark").strip()
    substitute = SUBSTITUTE_RE.match(remark)
    if substitute:
        return Absence(name, substitute=substitute.group("name").strip())
    return Absence(name, note=remark)
