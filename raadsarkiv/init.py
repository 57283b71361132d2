"""`raadsarkiv init DIR`: a new archive folder that passes `check` as it is.

The files come from raadsarkiv/site_template/ (package data). A name starting with `dot-` is
written with a `.` instead (`dot-gitignore` → `.gitignore`): package data globs skip hidden files.
`__REQUIREMENT__` in a file is replaced by `requirement()`, so the site's CI installs the same engine.
The publishing pipeline is GitHub's (`dot-github/`) or GitLab's (`dot-gitlab-ci.yml`), never both.
"""

from __future__ import annotations

import json
from importlib import metadata
from pathlib import Path

from . import __version__
from .schema import write as write_schemas

SITE_TEMPLATE = Path(__file__).resolve().parent / "site_template"
CI_CHOICES = ("github", "gitlab")
CI_FILES = {"github": "dot-github", "gitlab": "dot-gitlab-ci.yml"}  # the first path part of each pipeline's files


class InitError(Exception):
    """`init` cannot create the archive here; the message says why and what to do."""


def requirement() -> str:
    """The pip requirement of this engine for the new site's requirements.txt: the git address and commit it was
    installed from (pip records it, PEP 610), so CI installs the very same engine; else this version's release."""
    try:
        direct = json.loads(metadata.distribution("raadsarkiv").read_text("direct_url.json") or "null")
    except (metadata.PackageNotFoundError, ValueError):
        direct = None
    vcs = direct.get("vcs_info") if isinstance(direct, dict) else None
    if isinstance(vcs, dict) and str(direct.get("url", "")).startswith("https://") and vcs.get("commit_id"):
        return f"raadsarkiv @ {vcs.get('vcs', 'git')}+{direct['url']}@{vcs['commit_id']}"
    return f"raadsarkiv=={__version__}"


def _target_name(rel: Path) -> Path:
    return Path(*[f".{part.removeprefix('dot-')}" if part.startswith("dot-") else part for part in rel.parts])


def template_files(ci: str) -> dict[Path, Path]:
    """The files of a new archive: path in the new folder -> file in the site template."""
    skipped = {name for choice, name in CI_FILES.items() if choice != ci}
    files = {}
    for source in sorted(SITE_TEMPLATE.rglob("*")):
        rel = source.relative_to(SITE_TEMPLATE)
        if source.is_file() and rel.parts[0] not in skipped and "__pycache__" not in rel.parts:
            files[_target_name(rel)] = source
    return files


def init_site(folder: Path, ci: str = "github") -> list[Path]:
    """Create a new archive in `folder` (made if missing; refused unless empty); returns the files written."""
    if ci not in CI_CHOICES:
        raise InitError(f"unknown --ci {ci!r}; expected one of: {', '.join(CI_CHOICES)}")
    if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
        raise InitError(f"{folder} exists and is not a folder; give the name of a new or empty folder")
    if folder.is_dir() and any(folder.iterdir()):
        raise InitError(f"{folder} is not empty; give the name of a new or empty folder, so nothing there is overwritten")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        written, engine = [], requirement()
        for rel, source in template_files(ci).items():
            target = folder / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(source.read_text(encoding="utf-8").replace("__REQUIREMENT__", engine), encoding="utf-8")
            written.append(target)
        written += write_schemas(folder)  # for editors' tools (.vscode/settings.json maps them)
    except OSError as exc:
        raise InitError(f"cannot write the new archive in {folder}: {exc.strerror or exc}") from exc
    return written
