"""depends.py declares, per page, the content files the page shows. This test records what each page's
view and template really read, by watching every access to a meeting, body, strategy, page or bilag
while the page is made, and fails if the declaration misses one of them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import copy_project
from raadsarkiv import opendata
from raadsarkiv.depends import EVERYTHING, dependencies
from raadsarkiv.linker import BilagInfo
from raadsarkiv.model import Body, Meeting, Page, Strategy
from raadsarkiv.pipeline import check, file_builders
from raadsarkiv.render import make_environment, render
from raadsarkiv.theme import template_folders
from raadsarkiv.views import page_builders

WATCHED: list[tuple[type, Callable[[object], str]]] = [
    (Meeting, lambda meeting: meeting.path),  # type: ignore[attr-defined]
    (Body, lambda body: body.path),  # type: ignore[attr-defined]
    (Strategy, lambda strategy: strategy.path),  # type: ignore[attr-defined]
    (Page, lambda page: page.path),  # type: ignore[attr-defined]
    (BilagInfo, lambda info: f"content/{info.rel}"),  # type: ignore[attr-defined]
]


IDENTITY = {"path", "rel"}  # which file an object comes from: read to find objects, never shown


class Reads:
    """The content files whose objects were read while recording."""

    def __init__(self) -> None:
        self.files: set[str] = set()
        self.on = False

    def spy(self, cls: type, key: Callable[[object], str]) -> Callable[[object, str], object]:
        original = cls.__getattribute__

        def getattribute(obj: object, name: str) -> object:
            value = original(obj, name)
            if self.on and not name.startswith("__") and name not in IDENTITY:
                self.on = False  # reading the key reads the object again
                try:
                    self.files.add(key(obj))
                finally:
                    self.on = True
            return value

        return getattribute


EXTRA_MEETING = """---
body: integrationsraadet-aalborg
date: 2023-12-05
kind: referat
---

## 1. Godkendelse af dagsorden

### Beslutning

Godkendt.
"""


def test_every_page_declares_what_it_reads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = copy_project(tmp_path / "project")
    # Beyond the sample: a meeting whose neighbour shares no case with it, and a bilag linked only from a strategy.
    (root / "content/meetings/integrationsraadet-aalborg/2023-12-05-referat.md").write_text(EXTRA_MEETING, encoding="utf-8")
    (root / "content/bilag/eksempeludvalget/2024-01-22/aarsberetning.pdf").write_bytes(b"%PDF-1.4\n% aarsberetning\n")
    strategy = root / "content/strategies/odense-integrationsstrategi.md"
    strategy.write_text(strategy.read_text(encoding="utf-8") + "\n[Årsberetning](../bilag/eksempeludvalget/2024-01-22/aarsberetning.pdf)\n",
                        encoding="utf-8")
    checked = check(root)
    assert checked.ok and checked.site is not None
    site = checked.site
    declared = dependencies(site)
    # The footer of every page names every plain page: page titles are in depends.signature(), which
    # re-renders every page when one changes, so reading them needs no declaration.
    footer = {page.path for page in site.content.pages.values()}
    reads = Reads()
    for cls, key in WATCHED:
        monkeypatch.setattr(cls, "__getattribute__", reads.spy(cls, key))
    env = make_environment(template_folders(root))
    checked_pages = 0
    for output, builder in page_builders(site, checked.bilag_text).items():
        reads.files.clear()
        reads.on = True
        try:
            render(env, builder())
        finally:
            reads.on = False
        if EVERYTHING in declared[output]:
            continue
        missing = reads.files - declared[output] - footer
        assert not missing, f"{output} reads {sorted(missing)} but depends.py does not declare them"
        checked_pages += 1
    assert checked_pages >= 25  # every page of the sample but the front page (EVERYTHING)
    # The open data: each file made by a fresh exporter (made with recording off), so that nothing one file
    # made (a meeting object is shared by its file, its items, its year's list and bulk file) hides another's reads.
    checked_files = 0
    for output in opendata.data_builders(site, checked.bilag_text):
        builders = opendata.data_builders(site, checked.bilag_text)
        reads.files.clear()
        reads.on = True
        try:
            builders[output]()
        finally:
            reads.on = False
        missing = reads.files - declared[output]
        assert not missing, f"{output} reads {sorted(missing)} but depends.py does not declare them"
        checked_files += 1
    assert checked_files >= 100
    for output, make in file_builders(site).items():  # the feeds and calendars
        reads.files.clear()
        reads.on = True
        try:
            make()
        finally:
            reads.on = False
        missing = reads.files - declared[output]
        assert reads.files and not missing, f"{output} reads {sorted(missing)} but depends.py does not declare them"
