"""Loading in worker processes gives exactly what loading in one process gives."""

import shutil
from pathlib import Path

import pytest

from conftest import copy_project
from raadsarkiv import loader
from raadsarkiv.pipeline import check, render_site


def _rendered(root: Path) -> dict[str, bytes]:
    checked = check(root)
    assert checked.ok and checked.site is not None
    files, _ = render_site(root, checked.site)
    return files


def test_parallel_load_matches_serial(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = copy_project(tmp_path)
    serial = _rendered(root)
    shutil.rmtree(root / ".cache")  # parse everything again, now in worker processes
    monkeypatch.setattr(loader, "PARALLEL_MIN_FILES", 1)
    monkeypatch.setattr(loader.os, "cpu_count", lambda: 2)
    calls: list[int] = []
    original = loader.ProcessPoolExecutor

    def counting_pool(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(loader, "ProcessPoolExecutor", counting_pool)
    parallel = _rendered(root)
    assert calls, "the parallel path was not taken"
    assert parallel == serial


def test_parallel_load_reports_problems_in_file_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = copy_project(tmp_path)
    for meeting in sorted((root / "content" / "meetings").rglob("*.md"))[:2]:
        meeting.write_text(meeting.read_text(encoding="utf-8").replace("kind: ", "kinde: ", 1), encoding="utf-8")
    serial = check(root).problems
    shutil.rmtree(root / ".cache")
    monkeypatch.setattr(loader, "PARALLEL_MIN_FILES", 1)
    monkeypatch.setattr(loader.os, "cpu_count", lambda: 2)
    parallel = check(root).problems
    assert parallel == serial
    assert sum("unknown key 'kinde'" in p.message for p in parallel) == 2
