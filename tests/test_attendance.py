"""Attendance as data: a name alone or a mapping mean the same person, with a stable id."""

from __future__ import annotations

from raadsarkiv.attendance import attendance_groups, person_id
from raadsarkiv.errors import Problems
from raadsarkiv.frontmatter import parse_yaml
from raadsarkiv.model import MeetingMeta
from raadsarkiv.validation import validate

FRONT = """body: testudvalget
date: 2024-03-05
kind: referat
present:
  - Anna Lynge
  - name: Søren Ørum
    id: soeren-oerum-1
    role: formand
absent:
  - Bo Berg
"""


def meta() -> MeetingMeta:
    problems = Problems()
    result = validate(MeetingMeta, parse_yaml(FRONT), "x.md", problems)
    assert result is not None and not problems.all()
    return result


def test_a_name_alone_is_a_person_with_an_id_from_the_name() -> None:
    present = meta().present
    assert present[0].name == "Anna Lynge" and present[0].role is None
    assert person_id(present[0]) == "anna-lynge"
    assert person_id(present[1]) == "soeren-oerum-1"  # an explicit id wins: the same person across meetings


def test_groups_leave_out_what_is_empty() -> None:
    groups = attendance_groups(meta().present, meta().absent)
    assert [g["heading"] for g in groups] == ["Til stede", "Fraværende"]
    assert groups[1]["people"][0] == {"name": "Bo Berg", "id": "bo-berg", "role": None, "party": None, "details": []}


def test_leak_gate_knows_the_votes_of_closed_items() -> None:
    """The leak gate's fingerprints include a closed item's votes and minority remarks (from the front matter)."""
    from pathlib import Path

    from raadsarkiv.config import load_config
    from raadsarkiv.fingerprints import secrets
    from raadsarkiv.loader import load_content

    root = Path(__file__).resolve().parent.parent
    problems = Problems()
    config = load_config(root, problems)
    assert config is not None
    content = load_content(root, config.vocabulary, problems)
    texts = [secret.text for secret in secrets(content)]
    assert any("HEMMELIG-AFSTEMNING-K3P9" in text for text in texts)
