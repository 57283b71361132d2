"""The persistent build cache: unchanged files are not parsed again; damaged or stale entries are never trusted."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import copy_project
from raadsarkiv import buildcache, loader
from raadsarkiv.pipeline import PARSE_CACHE, check


def _summary(root: Path) -> tuple:
    checked = check(root)
    assert checked.site is not None
    content = checked.site.content
    return (
        [p.format() for p in checked.problems],
        sorted((m.path, [(i.number, i.title, i.closed, len(i.sections)) for i in m.items]) for m in content.meetings),
        sorted(checked.site.bilag),
    )


def test_a_second_check_parses_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = copy_project(tmp_path / "project")
    first = _summary(root)
    assert len(list((root / PARSE_CACHE).glob("*.bin"))) > 10
    monkeypatch.setattr(loader, "_load_one", lambda job, vocabulary: pytest.fail(f"parsed again: {job[1]}"))
    assert _summary(root) == first


def test_an_edited_file_is_parsed_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = copy_project(tmp_path / "project")
    _summary(root)
    page = root / "content/pages/om.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nEn ny linje.\n", encoding="utf-8")
    parsed: list[str] = []
    real = loader._load_one
    monkeypatch.setattr(loader, "_load_one", lambda job, vocabulary: parsed.append(job[1]) or real(job, vocabulary))
    _summary(root)
    assert parsed == ["content/pages/om.md"]


def test_damaged_entries_are_ignored_and_recomputed(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")
    first = _summary(root)
    for entry in (root / PARSE_CACHE).glob("*.bin"):
        data = bytearray(entry.read_bytes())
        data[-1] ^= 0xFF  # one flipped bit in the payload
        entry.write_bytes(bytes(data))
    assert _summary(root) == first


def test_a_changed_engine_never_reuses_old_entries(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = copy_project(tmp_path / "project")
    _summary(root)
    old = set((root / PARSE_CACHE).glob("*.bin"))
    monkeypatch.setattr(buildcache, "engine_version", lambda: b"another engine")
    parsed: list[str] = []
    real = loader._load_one
    monkeypatch.setattr(loader, "_load_one", lambda job, vocabulary: parsed.append(job[1]) or real(job, vocabulary))
    _summary(root)
    assert len(parsed) == len(old)
