"""`check --format github|json|text`, and the example CI workflow."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO, copy_project
from raadsarkiv.errors import Problem
from raadsarkiv.formats import github_command

# GitHub's workflow command syntax: ::command key=value,key=value::message (values and message escaped).
COMMAND_RE = re.compile(r"^::(error|warning) file=([^,:\n]+),line=(\d+),title=([^,:\n]+)::([^\r\n]*)$")


def run(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(REPO / "build.py"), *args], cwd=cwd, capture_output=True, text=True)


@pytest.fixture(scope="module")
def broken(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the sample archive with one error and one warning."""
    root = copy_project(tmp_path_factory.mktemp("broken"))
    meeting = root / "content/meetings/eksempeludvalget/2024-01-22-referat.md"
    meeting.write_text(meeting.read_text(encoding="utf-8").replace("kind: referat", "kind: referatt"), encoding="utf-8")
    (root / "content/pages/noter.txt").write_text("kladde\n", encoding="utf-8")  # warning: not Markdown
    return root


def test_github_format(broken: Path) -> None:
    result = run(broken, "check", "--format", "github")
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines and all(COMMAND_RE.match(line) for line in lines), lines
    assert "::error file=content/meetings/eksempeludvalget/2024-01-22-referat.md,line=4,title=Rådsarkiv::'kind': expected 'referat' or 'dagsorden'" in lines
    assert any(line.startswith("::warning file=content/pages/noter.txt,line=1,") for line in lines)
    assert lines[0].startswith("::error")  # errors first


def test_github_paths_are_relative_to_the_repository(broken: Path) -> None:
    result = run(broken.parent, "--root", broken.name, "check", "--format", "github")
    assert f"::error file={broken.name}/content/meetings/eksempeludvalget/2024-01-22-referat.md,line=4," in result.stdout


def test_github_escaping() -> None:
    line = github_command(Problem("content/a,b:c.md", 3, "50% done\nsecond line"))
    assert line == "::error file=content/a%2Cb%3Ac.md,line=3,title=Rådsarkiv::50%25 done%0Asecond line"
    assert COMMAND_RE.match(line)


def test_json_format(broken: Path) -> None:
    result = run(broken, "check", "--format", "json")
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert report["ok"] is False and report["errors"] >= 1 and report["warnings"] >= 1
    first = report["problems"][0]
    assert first == {
        "path": "content/meetings/eksempeludvalget/2024-01-22-referat.md", "line": 4, "severity": "error",
        "message": "'kind': expected 'referat' or 'dagsorden'",
    }


def test_text_format_is_default(broken: Path) -> None:
    result = run(broken, "check")
    assert result.returncode == 1
    assert "content/meetings/eksempeludvalget/2024-01-22-referat.md:4: 'kind': expected 'referat' or 'dagsorden'" in result.stderr
    assert "content/pages/noter.txt:1: warning: " in result.stderr


def test_clean_archive_passes_in_every_format() -> None:
    """The sample has no errors; its only warnings are the accessibility statement's placeholders for the municipality."""
    github = run(REPO, "check", "--format", "github").stdout.splitlines()
    assert github and all(line.startswith("::warning file=content/pages/tilgaengelighed.md,") for line in github)
    report = json.loads(run(REPO, "check", "--format", "json").stdout)
    assert (report["ok"], report["errors"], report["warnings"]) == (True, 0, len(github))
    assert all("placeholder '[Udfyldes af kommunen" in problem["message"] for problem in report["problems"])
