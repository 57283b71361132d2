"""Templates see only the public view model: plain data built by name, never the content model.

Every page's context is walked: it may hold only plain values (text, numbers, dates),
containers of them and the site settings. A closed item's text, front-matter
metadata and bilag are planted with canaries, and no context holds any of them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pydantic
import pytest
from markupsafe import Markup

from raadsarkiv.config import Accessibility, Organisation, SiteConfig
from raadsarkiv.model import When
from raadsarkiv.pipeline import check, render_site
from raadsarkiv.views import all_views

from conftest import copy_project

MEETING = "content/meetings/eksempeludvalget/2024-01-22-referat.md"
CANARIES = ["KANARIESAG4417", "KANARIEGAEST4417", "KANARIETEKST4417", "KANARIEKLE4417"]
# When: a meeting's date as precise as known (a frozen value of a date, its precision and the day's meeting number).
PLAIN = (str, int, float, bool, type(None), dt.date, When, Markup)
SETTINGS = (SiteConfig, Organisation, Accessibility, pydantic.AnyUrl)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample, with canaries in closed item 3: its text, its case number, KLE number and guests."""
    root = copy_project(tmp_path_factory.mktemp("public-view"))
    path = root / MEETING
    text = path.read_text(encoding="utf-8")
    text = text.replace("items:\n", "items:\n  3:\n    case_number: KANARIESAG4417\n    kle: KANARIEKLE4417\n"
                        "    guests: [KANARIEGAEST4417]\n", 1)
    text = text.replace("Sagen vedrører en medarbejders", "KANARIETEKST4417 Sagen vedrører en medarbejders", 1)
    path.write_text(text, encoding="utf-8")
    return root


def _walk(value: object, where: str) -> list[str]:
    """Every value in a template context that is not plain data or a site setting, by its path."""
    if isinstance(value, PLAIN) or isinstance(value, SETTINGS):
        return []
    if isinstance(value, dict):
        return [bad for key, child in value.items() for bad in _walk(child, f"{where}.{key}")]
    if isinstance(value, (list, tuple)):
        return [bad for index, child in enumerate(value) for bad in _walk(child, f"{where}[{index}]")]
    return [f"{where}: {type(value).__module__}.{type(value).__name__}"]


def test_contexts_hold_only_plain_data(project: Path) -> None:
    checked = check(project)
    assert checked.ok and checked.site is not None, [p.format() for p in checked.problems]
    views = all_views(checked.site, checked.bilag_text)
    assert len(views) > 20
    bad = [found for view in views for found in _walk(view.context, view.output)]
    assert bad == []


def test_no_context_reaches_closed_content(project: Path) -> None:
    checked = check(project)
    assert checked.site is not None
    for view in all_views(checked.site, checked.bilag_text):
        dumped = repr(view.context)
        for canary in CANARIES:
            assert canary not in dumped, f"{canary} reachable from the template context of {view.output}"
    meeting = next(v for v in all_views(checked.site, checked.bilag_text) if v.output.endswith("2024-01-22-referat/index.html"))
    closed = next(item for item in meeting.context["items"] if item["number"] == "3")  # numbers are text: 3, 3a, 3.1
    assert closed["closed"] and closed["sections"] == [] and closed["intro"] == ""
    assert (closed["case_number"], closed["kle"], closed["guests"]) == (None, None, [])


def test_rendered_pages_hold_no_canary(project: Path) -> None:
    checked = check(project)
    assert checked.site is not None
    files, _ = render_site(project, checked.site, bilag_text=checked.bilag_text)
    for output, data in files.items():
        for canary in CANARIES:
            assert canary.encode() not in data, f"{canary} in {output}"


def test_the_site_holds_only_public_items(project: Path) -> None:
    """The linked site (what views are made from) has no closed text: public items are new objects built by name."""
    checked = check(project)
    assert checked.site is not None
    meeting = next(m for m in checked.site.content.meetings if m.path == MEETING)
    closed = next(item for item in meeting.items if item.number == "3")
    fields = {f.name: getattr(closed, f.name) for f in dataclasses.fields(closed)}
    assert "KANARIE" not in repr(fields)
    assert "3" not in meeting.meta.items
