"""The preview's watcher: asks the operating system only for writes, and falls back to polling when it cannot watch."""

from __future__ import annotations

import errno
import time
from pathlib import Path

import pytest
from watchdog.events import FileSystemEvent
from watchdog.observers import Observer
from watchdog.observers.polling import PollingObserver

from conftest import copy_project
from raadsarkiv.serve import Watcher, watch

MEETING = "content/meetings/eksempeludvalget/2024-01-22-referat.md"


class CountingWatcher(Watcher):
    """A Watcher that also records every event it is given, relevant or not."""

    def __init__(self, root: Path) -> None:
        super().__init__(root)
        self.events: list[FileSystemEvent] = []

    def on_any_event(self, event: FileSystemEvent) -> None:
        self.events.append(event)
        super().on_any_event(event)


def wait_until(condition, timeout: float = 5.0) -> bool:  # type: ignore[no-untyped-def]
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if condition():
            return True
        time.sleep(0.02)
    return False


def test_reading_every_file_makes_no_events(tmp_path: Path) -> None:
    """A rebuild reads every file; those reads must not reach the watcher (at 10,000 meetings they overflowed inotify)."""
    root = copy_project(tmp_path / "project")
    watcher = CountingWatcher(root)
    observer = watch(root, watcher)
    try:
        assert isinstance(observer, Observer)  # the operating system's notifications, not polling
        time.sleep(0.2)
        for path in sorted((root / "content").rglob("*")):
            if path.is_file():
                path.read_bytes()
        time.sleep(0.5)
        assert watcher.events == [] and not watcher.pending.is_set()
        (root / MEETING).write_text((root / MEETING).read_text(encoding="utf-8") + "\nNyt afsnit.\n", encoding="utf-8")
        assert wait_until(watcher.pending.is_set)
    finally:
        observer.stop()
        observer.join()


class NoWatchesLeft(Observer):  # type: ignore[misc, valid-type]
    """An observer that fails as inotify does when fs.inotify.max_user_watches is reached."""

    def start(self) -> None:
        raise OSError(errno.ENOSPC, "inotify watch limit reached")


def test_falls_back_to_polling_when_the_system_cannot_watch(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = copy_project(tmp_path / "project")
    watcher = Watcher(root)
    observer = watch(root, watcher, native=NoWatchesLeft)
    try:
        assert isinstance(observer, PollingObserver)
        printed = capsys.readouterr().out
        assert "inotify watch limit reached" in printed and "fs.inotify.max_user_watches" in printed
        time.sleep(0.2)
        (root / MEETING).write_text((root / MEETING).read_text(encoding="utf-8") + "\nNyt afsnit.\n", encoding="utf-8")
        assert wait_until(watcher.pending.is_set, timeout=10)
    finally:
        observer.stop()
        observer.join()
