"""Incremental builds for the live preview: keep the last good site in a folder, bring it up to date.

Each rebuild runs the whole check (unchanged files come from a LoadCache, so only
edited files are parsed again), then renders only the pages that depend on what
changed (depends.py), and writes only files whose bytes changed. A failed check
leaves the folder as it was: the last good build stays served.
"""

from __future__ import annotations

import hashlib
import os
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import Environment, TemplateError, TemplateSyntaxError

from .depends import affected, dependencies
from .errors import Problem
from .linker import Site
from .loader import LoadCache
from .pipeline import check, render_site
from .render import make_environment
from .writer import copy_file


@dataclass
class Result:
    """What one rebuild did."""

    ok: bool
    problems: list[Problem]
    rendered: int = 0  # pages rendered
    written: list[str] = field(default_factory=list)  # output files written or removed
    seconds: float = 0.0


def _folder_digest(folder: Path) -> bytes:
    """A digest of every file's name and bytes in a folder (templates)."""
    digest = hashlib.blake2b(digest_size=16)
    for path in sorted(folder.rglob("*")) if folder.is_dir() else []:
        if path.is_file():
            digest.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.digest()


def _stat(path: Path) -> tuple[int, int]:
    info = path.stat()
    return info.st_size, info.st_mtime_ns


def template_problem(root: Path, exc: Exception) -> Problem:
    """A template error as `templates/x.html:line: message`."""
    if isinstance(exc, TemplateSyntaxError) and exc.lineno:
        return Problem(f"templates/{exc.name or Path(exc.filename or '?').name}", exc.lineno, f"template error: {exc.message}")
    templates = str((root / "templates").resolve())
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if frame.filename.startswith(templates):
            return Problem(f"templates/{Path(frame.filename).name}", frame.lineno or 1, f"template error: {exc}")
    return Problem("templates", 1, f"template error: {exc}")


class Rebuilder:
    """The last good build of `root`, kept in `out` and brought up to date by `build()`."""

    def __init__(self, root: Path, out: Path) -> None:
        self.root, self.out = root, out
        self.cache = LoadCache()
        self.site: Site | None = None
        self.deps: dict[str, set[str]] = {}
        self.digests: dict[str, bytes] = {}  # content file digests of the last good build
        self.files: dict[str, bytes] = {}
        self.copies: dict[str, tuple[Path, tuple[int, int]]] = {}
        self.templates: bytes | None = None
        self.env: Environment | None = None

    def build(self) -> Result:
        """Check everything, render what changed since the last good build, and write it."""
        started = time.perf_counter()
        try:
            result = self._build()
        except TemplateError as exc:
            result = Result(False, [template_problem(self.root, exc)])
        except Exception as exc:  # noqa: BLE001 - the preview must survive anything; say what happened
            traceback.print_exc()
            result = Result(False, [Problem("(build)", 1, f"unexpected error: {exc!r}; see the terminal for details")])
        result.seconds = time.perf_counter() - started
        return result

    def _build(self) -> Result:
        checked = check(self.root, self.cache)
        if not checked.ok or checked.site is None:
            return Result(False, checked.problems)
        site = checked.site
        templates = _folder_digest(self.root / "templates")
        if templates != self.templates or self.env is None:
            self.env = make_environment(self.root / "templates")
        deps = dependencies(site)
        only: set[str] | None = None
        if self.site is not None and templates == self.templates:
            only = affected(self.site, site, self.deps, deps, self._changed(site))
        files, copies = render_site(self.root, site, only, self.env, bilag_text=checked.bilag_text, static_files=checked.static_files)
        rendered = sum(1 for name in files if name.endswith(".html"))  # the sitemap files and robots.txt are always made
        current = {page: self.files[page] for page in deps if page in self.files and page not in files} if only is not None else {}
        current.update(files)
        written = self._write(current, copies)
        self.site, self.deps, self.files, self.templates = site, deps, current, templates
        self.digests = dict(self.cache.digests)
        return Result(True, checked.problems, rendered, written)

    def _changed(self, site: Site) -> set[str]:
        """Content files whose bytes changed since the last good build, and bilag whose size did."""
        new = self.cache.digests
        changed = {path for path in self.digests.keys() | new.keys() if self.digests.get(path) != new.get(path)}
        old_bilag = self.site.bilag if self.site else {}
        for rel in old_bilag.keys() | site.bilag.keys():
            before, after = old_bilag.get(rel), site.bilag.get(rel)
            if before is None or after is None or before.size != after.size:
                changed.add(f"content/{rel}")
        return changed

    def _write(self, files: dict[str, bytes], copies: dict[str, Path]) -> list[str]:
        """Write changed files, copy changed sources, remove what is gone; returns the paths touched."""
        touched = []
        for rel, data in files.items():
            if self.files.get(rel) != data or not (self.out / rel).exists():
                _atomic_write(self.out / rel, data)
                touched.append(rel)
        new_copies = {}
        for rel, source in copies.items():
            stat = _stat(source)
            new_copies[rel] = (source, stat)
            if self.copies.get(rel) != (source, stat) or not (self.out / rel).exists():
                (self.out / rel).parent.mkdir(parents=True, exist_ok=True)
                copy_file(source, self.out / rel)
                touched.append(rel)
        for rel in (self.files.keys() - files.keys()) | (self.copies.keys() - new_copies.keys()):
            (self.out / rel).unlink(missing_ok=True)
            _remove_empty_parents(self.out, (self.out / rel).parent)
            touched.append(rel)
        self.copies = new_copies
        return sorted(touched)


def _atomic_write(path: Path, data: bytes) -> None:
    """Write a file so a reader never sees it half-written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)


def _remove_empty_parents(top: Path, folder: Path) -> None:
    """Remove folders left empty by a removed page, up to (not including) `top`."""
    while folder != top and top in folder.parents and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent
