"""Loading and rendering in worker processes give exactly what one process gives."""

import shutil
from pathlib import Path

import pytest
from jinja2 import UndefinedError

from conftest import copy_project, override
from raadsarkiv import loader, render
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


def test_parallel_render_matches_serial(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Pages rendered in forked worker processes are byte for byte, and in order, what one process renders."""
    root = copy_project(tmp_path)
    checked = check(root)
    assert checked.ok and checked.site is not None
    serial, _ = render_site(root, checked.site, bilag_text=checked.bilag_text)
    monkeypatch.setattr(render, "PARALLEL_MIN_PAGES", 1)
    monkeypatch.setattr(render.os, "cpu_count", lambda: 2)
    # Earlier tests in the session may leave threads running (the browser tests' HTTP server); a build has none.
    monkeypatch.setattr(render.threading, "active_count", lambda: 1)
    calls: list[int] = []
    original = render.ProcessPoolExecutor

    def counting_pool(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(render, "ProcessPoolExecutor", counting_pool)
    assert render_site(root, checked.site, bilag_text=checked.bilag_text)[0] == serial  # without parallel=True: serial
    assert not calls, "render_site used worker processes without parallel=True (the live preview must not)"
    parallel, _ = render_site(root, checked.site, bilag_text=checked.bilag_text, parallel=True)
    assert calls, "the parallel path was not taken"
    assert list(parallel.items()) == list(serial.items())


def test_parallel_render_raises_a_page_error_as_serial(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A page that fails in a worker fails the build with the error serial rendering raises."""
    root = copy_project(tmp_path)
    template = override(root, "templates/meeting.html")
    template.write_text(template.read_text(encoding="utf-8").replace("{{ item.title }}", "{{ item.no_such_key }}", 1), encoding="utf-8")
    checked = check(root)
    assert checked.site is not None
    with pytest.raises(UndefinedError) as serial:
        render_site(root, checked.site)
    monkeypatch.setattr(render, "PARALLEL_MIN_PAGES", 1)
    monkeypatch.setattr(render.threading, "active_count", lambda: 1)
    monkeypatch.setattr(render.os, "cpu_count", lambda: 2)
    with pytest.raises(UndefinedError) as parallel:
        render_site(root, checked.site, parallel=True)
    assert str(parallel.value) == str(serial.value)
