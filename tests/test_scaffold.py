"""`python build.py new …`: files that pass `check` unchanged; never an overwrite; clear errors."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO, copy_project
from raadsarkiv.pipeline import check


def run(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(REPO / "build.py"), "--root", str(root), *args], capture_output=True, text=True)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "project")


def test_new_meeting_builds_unchanged(root: Path) -> None:
    result = run(root, "new", "meeting", "--body", "eksempeludvalget", "--date", "2024-02-05")
    assert result.returncode == 0, result.stderr
    path = root / "content/meetings/eksempeludvalget/2024-02-05-referat.md"
    text = path.read_text(encoding="utf-8")
    assert text.startswith("---\nbody: eksempeludvalget\ndate: 2024-02-05\nkind: referat\n")
    assert 'start: "16:00"' in text and "place:" in text  # the body's usual time and place
    assert "## 1. Godkendelse af dagsorden" in text and "Eventuelt" in text  # standing items
    assert "### Beslutning" in text
    assert (root / "content/bilag/eksempeludvalget/2024-02-05").is_dir()  # this body keeps bilag per meeting
    checked = check(root)
    assert checked.ok, [p.format() for p in checked.problems]
    assert any(m.path.endswith("2024-02-05-referat.md") for m in checked.site.content.meetings)


def test_referat_starts_from_the_days_dagsorden(root: Path) -> None:
    result = run(root, "new", "meeting", "--body", "eksempeludvalget", "--date", "2024-01-15", "--kind", "referat")
    assert result.returncode == 0, result.stderr
    text = (root / "content/meetings/eksempeludvalget/2024-01-15-referat.md").read_text(encoding="utf-8")
    assert "## 2. Debataften om mangfoldige arbejdspladser (eksempel)" in text
    assert check(root).ok


def test_new_dagsorden_body_and_strategy_pass_check(root: Path) -> None:
    assert run(root, "new", "body", "nyt-udvalg", "--name", "Nyt Udvalg", "--organisation", "odense").returncode == 0
    assert run(root, "new", "meeting", "--body", "nyt-udvalg", "--date", "2025-01-06", "--kind", "dagsorden").returncode == 0
    assert run(root, "new", "strategy", "ny-strategi", "--title", "Strategi: ny", "--organisation", "aalborg").returncode == 0
    text = (root / "content/meetings/nyt-udvalg/2025-01-06-dagsorden.md").read_text(encoding="utf-8")
    assert "### Beslutning" not in text  # an agenda has no decisions yet
    checked = check(root)
    assert checked.ok, [p.format() for p in checked.problems]
    assert "nyt-udvalg" in checked.site.content.bodies and "ny-strategi" in checked.site.content.strategies


def test_refuses_to_overwrite(root: Path) -> None:
    path = root / "content/meetings/eksempeludvalget/2024-01-22-referat.md"
    before = path.read_bytes()
    result = run(root, "new", "meeting", "--body", "eksempeludvalget", "--date", "2024-01-22")
    assert result.returncode == 1
    assert "already exists" in result.stderr and "Traceback" not in result.stderr
    assert path.read_bytes() == before
    assert run(root, "new", "body", "eksempeludvalget", "--name", "X", "--organisation", "aalborg").returncode == 1


@pytest.mark.parametrize("args, message", [
    (["--body", "eksempel-udvalget", "--date", "2024-02-05"], "unknown body 'eksempel-udvalget'; valid bodies: beskaeftigelses-og-uddannelsesudvalget-broenderslev, eksempeludvalget"),
    (["--body", "eksempeludvalget", "--date", "2024-02-30"], "'2024-02-30' is not a real date; write it YYYY-MM-DD"),
    (["--body", "eksempeludvalget", "--date", "5/2/2024"], "'5/2/2024' is not a date; write it YYYY-MM-DD"),
])
def test_clear_errors(root: Path, args: list[str], message: str) -> None:
    result = run(root, "new", "meeting", *args)
    assert result.returncode == 1
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert not list((root / "content/meetings").glob("*/2024-02-*"))
