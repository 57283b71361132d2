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
    assert groups[1]["people"][0] == {"name": "Bo Berg", "role": None, "party": None, "details": []}
