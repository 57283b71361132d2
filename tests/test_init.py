"""`raadsarkiv init DIR`: a new archive that checks and builds as it is, and never overwrites anything."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import REPO
from raadsarkiv import __version__
from raadsarkiv.cli import main
from raadsarkiv.init import init_site
from raadsarkiv.pipeline import build, check

SITE_FILES = [
    ".github/workflows/publish.yml", ".gitignore", ".vscode/settings.json", "README.md",
    "content/bodies/byraadet.md", "content/meetings/byraadet/2025-01-28-referat.md", "content/pages/om.md",
    "content/pages/tilgaengelighed.md", "requirements.txt",
    "schema/body.schema.json", "schema/meeting.schema.json", "schema/page.schema.json",
    "schema/site_config.schema.json", "schema/strategy.schema.json", "site_config.yaml",
]


def _files(folder: Path) -> list[str]:
    return sorted(path.relative_to(folder).as_posix() for path in folder.rglob("*") if path.is_file())


def test_init_writes_an_archive_that_checks_and_builds(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = tmp_path / "mit-arkiv"
    assert main(["init", str(site)]) == 0
    assert f"Created a new archive in {site}" in capsys.readouterr().out
    assert _files(site) == SITE_FILES
    assert (site / "requirements.txt").read_text(encoding="utf-8").splitlines()[-1] == f"raadsarkiv=={__version__}"
    checked = check(site)
    assert checked.ok, [p.format() for p in checked.problems]
    # Only the accessibility statement's placeholders are left to fill in.
    assert {p.path for p in checked.problems} == {"content/pages/tilgaengelighed.md"}
    build(site, site / "output")
    meeting = (site / "output/udvalg/byraadet/2025-01-28-referat/index.html").read_text(encoding="utf-8")
    assert "Budgetopfølgning for 4. kvartal 2024" in meeting
    assert "Lukket punkt" in meeting and "aldrig med på hjemmesiden" not in meeting
    assert "<p>Eksempel Kommune · Rådhuspladsen 1 · 1234 Eksempelby</p>" in meeting  # theme.footer of the new config
    assert (site / "output/was/index.html").is_file()


def test_the_gitignore_keeps_build_products_out_of_git(tmp_path: Path) -> None:
    site = tmp_path / "arkiv"
    init_site(site)
    subprocess.run(["git", "init", "-q", str(site)], check=True)
    build(site, site / "output")
    status = subprocess.run(["git", "status", "--porcelain", "--untracked-files=all"], cwd=site, capture_output=True,
                            text=True, check=True).stdout
    untracked = sorted(line[3:] for line in status.splitlines())
    assert untracked == SITE_FILES  # not output/ or .cache/


def test_init_gitlab_writes_gitlab_ci_instead_of_the_github_workflow(tmp_path: Path) -> None:
    site = tmp_path / "arkiv"
    init_site(site, "gitlab")
    files = _files(site)
    assert ".gitlab-ci.yml" in files and not any(name.startswith(".github/") for name in files)
    pipeline = yaml.safe_load((site / ".gitlab-ci.yml").read_text(encoding="utf-8"))
    assert pipeline["pages"]["script"] == ["raadsarkiv build --output public"]
    assert pipeline["check"]["script"] == ["raadsarkiv check"]


@pytest.mark.parametrize("prepare", ["a file inside", "a file"])
def test_init_refuses_a_folder_that_is_not_empty_and_changes_nothing(tmp_path: Path, prepare: str,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "arkiv"
    if prepare == "a file":
        target.write_text("noter\n", encoding="utf-8")
    else:
        target.mkdir()
        (target / "noter.txt").write_text("noter\n", encoding="utf-8")
    before = sorted(tmp_path.rglob("*"))
    assert main(["init", str(target)]) == 1
    err = capsys.readouterr().err
    expected = "is not empty; give the name of a new or empty folder" if prepare != "a file" else "exists and is not a folder"
    assert f"error: {target} {expected}" in err
    assert sorted(tmp_path.rglob("*")) == before


def test_init_into_an_empty_folder(tmp_path: Path) -> None:
    target = tmp_path / "tom"
    target.mkdir()
    assert init_site(target)
    assert check(target).ok


def test_python_m_raadsarkiv_and_site_option(tmp_path: Path) -> None:
    """`python -m raadsarkiv --site DIR` is the same command as `raadsarkiv`, run from anywhere."""
    env_path = {"PYTHONPATH": str(REPO)}
    run = lambda *args: subprocess.run([sys.executable, "-m", "raadsarkiv", *args], capture_output=True, text=True,  # noqa: E731
                                       cwd=tmp_path, env=env_path, timeout=120)
    assert run("init", "arkiv").returncode == 0
    result = run("--site", "arkiv", "check")
    # No locale in this environment: the messages are Danish, the default.
    assert result.returncode == 0 and "Ingen fejl." in result.stdout, result.stderr
    missing = run("check")  # tmp_path itself is no archive
    assert missing.returncode == 1
    assert "site_config.yaml mangler: dette er ikke en arkivmappe" in missing.stderr
    assert run("--version").stdout.strip() == f"raadsarkiv {__version__}"
