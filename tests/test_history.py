"""History from git ("Senest ændret", feed dates, sitemap <lastmod>) and corrections (rettelser), in a temporary repository."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import feedparser
import pytest
from icalendar import Calendar

from conftest import copy_project
from raadsarkiv import history
from raadsarkiv.pipeline import build, check
from test_incremental_build import edit, full_build, tree

MEETING = "content/meetings/eksempeludvalget/2024-01-22-referat.md"
MEETING_PAGE = "udvalg/eksempeludvalget/2024-01-22-referat/index.html"
STRATEGY_PAGE = "strategier/aalborg-integrationsstrategi-2023-2026/index.html"
FIRST, SECOND, THIRD = "2024-01-05T10:00:00+01:00", "2024-03-01T09:30:00+01:00", "2024-04-02T14:15:00+02:00"


def git(root: Path, *args: str, date: str | None = None) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "Redaktør", "GIT_AUTHOR_EMAIL": "redaktion@example.dk",
           "GIT_COMMITTER_NAME": "Redaktør", "GIT_COMMITTER_EMAIL": "redaktion@example.dk", "GIT_CONFIG_GLOBAL": os.devnull}
    if date:
        env |= {"GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
    return subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True, text=True).stdout


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """The sample in a git repository: everything committed on 5 January 2024, the meeting changed on 1 March."""
    root = copy_project(tmp_path / "project")
    (root / ".gitignore").write_text("output/\n.cache/\n", encoding="utf-8")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "Arkivet", date=FIRST)
    edit(root / MEETING, "Udgifterne til lokale", "Udgifterne til leje af lokale")
    git(root, "commit", "-q", "-am", "Rettet referat", date=SECOND)
    return root


def shown_date(html: str) -> str | None:
    found = re.search(r'Senest ændret <time datetime="([^"]+)">([^<]+)</time>', html)
    return f"{found.group(1)} {found.group(2)}" if found else None


def test_pages_feeds_calendars_and_sitemap_date_from_the_last_commit(repo: Path) -> None:
    build(repo, repo / "output")
    out = repo / "output"
    assert shown_date((out / MEETING_PAGE).read_text(encoding="utf-8")) == "2024-03-01 1. marts 2024"
    assert shown_date((out / STRATEGY_PAGE).read_text(encoding="utf-8")) == "2024-01-05 5. januar 2024"
    assert shown_date((out / "om/index.html").read_text(encoding="utf-8")) == "2024-01-05 5. januar 2024"
    sitemap = (out / "sitemap.xml").read_text(encoding="utf-8")
    assert "/udvalg/eksempeludvalget/2024-01-22-referat/</loc><lastmod>2024-03-01T09:30:00+01:00</lastmod>" in sitemap
    assert "/udvalg/eksempeludvalget/2024-01-15-dagsorden/</loc><lastmod>2024-01-05T10:00:00+01:00</lastmod>" in sitemap
    assert "/soeg/</loc></url>" in sitemap  # a page without a file of its own has no <lastmod>
    feed = feedparser.parse((out / "feed.xml").read_bytes())
    newest = feed.entries[0]
    assert newest.link.endswith("/2024-01-22-referat/")  # changed last: first in the feed
    assert newest.updated == "2024-03-01T08:30:00+00:00" and newest.published == "2024-01-05T09:00:00+00:00"
    assert feed.feed.updated == "2024-03-01T08:30:00+00:00"
    events = {str(e["URL"]): e for e in Calendar.from_ical((out / "kalender.ics").read_bytes()).walk("VEVENT")}
    stamp = events["https://raadsarkiv.example.dk/udvalg/eksempeludvalget/2024-01-22-referat/"].to_ical().decode()
    assert "DTSTAMP:20240301T083000Z" in stamp


def test_a_commit_that_changes_no_byte_is_a_change_and_incremental_equals_cold(repo: Path, tmp_path: Path) -> None:
    out = repo / "output"
    edit(repo / MEETING, "Udgifterne til leje af lokale", "Udgifterne til lokaleleje")
    build(repo, out)  # not committed yet: the last commit is still 1 March
    assert shown_date((out / MEETING_PAGE).read_text(encoding="utf-8")) == "2024-03-01 1. marts 2024"
    git(repo, "commit", "-q", "-am", "Endnu en rettelse", date=THIRD)
    again = build(repo, out)
    assert not again.unchanged and again.rendered >= 1
    assert shown_date((out / MEETING_PAGE).read_text(encoding="utf-8")) == "2024-04-02 2. april 2024"
    assert tree(out) == full_build(repo, tmp_path / "reference")
    assert build(repo, out).unchanged


def test_one_git_log_reads_every_file(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[list[str]] = []
    original = subprocess.run

    def run(command: list[str], *args: object, **kwargs: object) -> subprocess.CompletedProcess[bytes]:
        calls.append(command)
        return original(command, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(history.subprocess, "run", run)
    checked = check(repo)
    assert len(checked.site.history) >= 25  # every committed Markdown file and bilag
    assert sum("log" in command for command in calls) == 1
    assert check(repo).site.history == checked.site.history  # the same commit: the same history, without another git log
    assert sum("log" in command for command in calls) == 1
    git(repo, "commit", "-q", "--allow-empty", "-m", "Tom", date=THIRD)
    assert check(repo).site.history == checked.site.history  # a commit that touches no file changes no date
    assert sum("log" in command for command in calls) == 2


def test_a_shallow_clone_shows_no_dates_and_says_why(repo: Path, tmp_path: Path) -> None:
    clone = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{repo}", str(clone))
    assert git(clone, "rev-parse", "--is-shallow-repository").strip() == "true"
    built = build(clone, clone / "output")
    assert [p.format() for p in built.problems if p.path == "(git)"] == [f"(git):1: warning: {history.SHALLOW_WARNING}"]
    assert shown_date((clone / "output" / MEETING_PAGE).read_text(encoding="utf-8")) is None
    assert "<lastmod>" not in (clone / "output/sitemap.xml").read_text(encoding="utf-8")


def test_without_git_nothing_is_dated(sample_site: Path) -> None:
    assert all(shown_date(p.read_text(encoding="utf-8")) is None for p in sample_site.rglob("*.html"))
    assert "<lastmod>" not in (sample_site / "sitemap.xml").read_text(encoding="utf-8")


RETTELSER = """rettelser:
  - date: 2024-02-01
    note: Punkt 2's beslutning var gengivet forkert og er rettet.
"""


def test_corrections_are_shown_on_the_page_and_in_the_feed(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")
    edit(root / MEETING, "kind: referat\n", "kind: referat\n" + RETTELSER)
    build(root, root / "output")
    html = (root / "output" / MEETING_PAGE).read_text(encoding="utf-8")
    assert '<h2 id="rettelser">Rettelser</h2>' in html
    assert '<li><time datetime="2024-02-01">1. februar 2024</time>: Punkt 2\'s beslutning var gengivet forkert og er rettet.</li>' in html.replace("&#39;", "'")
    entry = next(e for e in feedparser.parse((root / "output/feed.xml").read_bytes()).entries if e.link.endswith("/2024-01-22-referat/"))
    assert entry.summary.endswith("Rettelser: 1. februar 2024: Punkt 2's beslutning var gengivet forkert og er rettet.")
    assert entry.updated == "2024-02-01T00:00:00+01:00"  # without git: the latest correction, as it is later than the meeting


@pytest.mark.parametrize("front, message", [
    ("rettelser:\n  - date: 2024-02-01\n", "missing required key 'rettelser[0].note'"),
    ("rettelser:\n  - date: 2024-02-30\n    note: x\n", "'2024-02-30' is not a real date"),
    ("rettelser:\n  - dato: 2024-02-01\n    note: x\n", "unknown key 'rettelser[0].dato'; did you mean 'date'?"),
])
def test_a_bad_correction_is_an_error_on_its_line(tmp_path: Path, front: str, message: str) -> None:
    root = copy_project(tmp_path / "project")
    edit(root / MEETING, "kind: referat\n", "kind: referat\n" + front)
    errors = [p for p in check(root).problems if p.severity == "error"]
    assert any(message in error.message for error in errors), [p.format() for p in errors]
    line = (root / MEETING).read_text(encoding="utf-8").split("\n").index("rettelser:") + 1
    assert all(error.path == MEETING and line < error.line <= line + 2 for error in errors)


def test_a_draft_s_correction_date_shown_elsewhere_is_no_leak(repo: Path) -> None:
    """A held-back file is fingerprinted like closed content (embargo.py), but not by its dates: the day of a draft's
    correction is also the "Senest ændret" of a published page, which leaks nothing of the draft."""
    draft = repo / "content/meetings/eksempeludvalget/2024-09-09-dagsorden.md"
    edit(draft, "draft: true\n", "draft: true\nrettelser:\n  - date: 2024-03-01\n    note: Punkt 2 er omskrevet.\n")
    git(repo, "commit", "-q", "-am", "Kladde rettet", date=SECOND)
    build(repo, repo / "output")  # would stop on a "leak" of 2024-03-01 into the meeting page changed that day
    assert '<time datetime="2024-03-01">' in (repo / "output" / MEETING_PAGE).read_text(encoding="utf-8")
