"""The package as a municipality installs it: the built wheel (and sdist) hold the theme; installed in a fresh
virtualenv (not editable, away from this repository), `raadsarkiv init` and `raadsarkiv build` make a working site.

Needs PyPI (or a mirror pip is configured for): `python -m build` and the fresh virtualenv install from it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

from conftest import REPO
from raadsarkiv import __version__
from raadsarkiv.schema import SCHEMAS
from raadsarkiv.theme import THEME_STATIC, THEME_TEMPLATES

# What a site without templates/ and static/ of its own needs from the package.
PACKAGE_DATA = [
    *(f"raadsarkiv/theme/templates/{path.name}" for path in THEME_TEMPLATES.glob("*.html")),
    *(f"raadsarkiv/theme/static/{path.name}" for path in THEME_STATIC.iterdir()),
    *(f"raadsarkiv/schemas/{name}" for name in SCHEMAS),
    "raadsarkiv/site_template/site_config.yaml",
    "raadsarkiv/site_template/dot-github/workflows/publish.yml",
    "raadsarkiv/site_template/dot-gitlab-ci.yml",
    "raadsarkiv/site_template/content/pages/tilgaengelighed.md",
]


def _env() -> dict[str, str]:
    """The environment without anything pointing at this repository or its virtualenv."""
    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
    env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "").split(os.pathsep) if not p.startswith(str(REPO)))
    return env


def _run(args: list[str | Path], cwd: Path, timeout: int = 300) -> subprocess.CompletedProcess[str]:
    result = subprocess.run([str(a) for a in args], cwd=cwd, env=_env(), capture_output=True, text=True, timeout=timeout)
    assert result.returncode == 0, f"{args} failed:\n{result.stdout}\n{result.stderr}"
    return result


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sdist and the wheel, built as `python -m build` does (the wheel from the sdist), from a copy of this
    repository without its local leftovers, so that the build writes nothing here (setuptools' egg-info)."""
    source = tmp_path_factory.mktemp("source") / "raadsarkiv"
    shutil.copytree(REPO, source, ignore=shutil.ignore_patterns(
        ".git", ".venv", ".cache", "output", ".output.*", "build", "dist", "*.egg-info", "__pycache__", "node_modules"))
    out = tmp_path_factory.mktemp("dist")
    _run([sys.executable, "-m", "build", "--outdir", out, source], cwd=out)
    return out


def test_the_sdist_and_the_wheel_hold_the_theme_schemas_and_site_template(dist: Path) -> None:
    wheel = dist / f"raadsarkiv-{__version__}-py3-none-any.whl"
    sdist = dist / f"raadsarkiv-{__version__}.tar.gz"
    with zipfile.ZipFile(wheel) as archive:
        in_wheel = set(archive.namelist())
        entry_points = archive.read(f"raadsarkiv-{__version__}.dist-info/entry_points.txt").decode()
    with tarfile.open(sdist) as archive:
        in_sdist = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    assert not [name for name in PACKAGE_DATA if name not in in_wheel]
    assert not [name for name in PACKAGE_DATA if name not in in_sdist]
    assert "raadsarkiv = raadsarkiv.cli:main" in entry_points
    assert not any(name.startswith(("tests/", "content/")) for name in in_wheel)  # the sample archive stays here


def test_a_fresh_virtualenv_inits_and_builds_a_site(dist: Path, tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", venv], cwd=tmp_path)
    python, command = venv / "bin/python", venv / "bin/raadsarkiv"
    _run([python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
          dist / f"raadsarkiv-{__version__}-py3-none-any.whl"], cwd=tmp_path, timeout=600)
    imported = _run([python, "-c", "import raadsarkiv; print(raadsarkiv.__file__)"], cwd=tmp_path).stdout.strip()
    assert Path(imported).is_relative_to(venv)  # the installed copy, not this repository

    work = tmp_path / "work"
    work.mkdir()
    _run([command, "init", "mit-arkiv"], cwd=work)
    site = work / "mit-arkiv"
    assert "No errors." in _run([command, "check"], cwd=site).stdout
    _run([command, "build"], cwd=site)
    out = site / "output"
    home = (out / "index.html").read_text(encoding="utf-8")
    assert '<html lang="da">' in home and "Byrådet" in home
    meeting = (out / "udvalg/byraadet/2025-01-28-referat/index.html").read_text(encoding="utf-8")
    assert "Budgetopfølgning for 4. kvartal 2024" in meeting and "Lukket punkt" in meeting
    assert (out / "static/style.css").read_bytes() == (THEME_STATIC / "style.css").read_bytes()
    assert (out / "was/index.html").is_file() and (out / "sitemap.xml").is_file()
    assert (out / "pagefind/pagefind.js").is_file()  # Pagefind's binary came with the wheel's dependencies
    assert _run([python, "-m", "raadsarkiv", "--version"], cwd=site).stdout.strip() == f"raadsarkiv {__version__}"
