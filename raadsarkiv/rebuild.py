"""Incremental builds for the live preview: keep the last good site in a folder, bring it up to date.

Each rebuild runs the whole check (unchanged files come from a LoadCache, so only
edited files are parsed again), then renders only the pages that depend on what
changed (depends.py, as `build` does), and writes only files whose bytes changed.
Only a digest of each written file is kept in memory, not its bytes. A failed check
leaves the folder as it was: the last good build stays served.
"""

from __future__ import annotations

import os
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import Environment, TemplateError, TemplateSyntaxError

from . import theme
from .depends import affected, changed, dependencies, signature, source_digests
from .errors import Problem
from .loader import LoadCache
from .pipeline import check, gc_paused, render_site, source_extras
from .render import make_environment
from .incremental import bytes_digest
from .writer import copy_file


@dataclass
class Result:
    """What one rebuild did."""

    ok: bool
    problems: list[Problem]
    rendered: int = 0  # pages rendered
    written: list[str] = field(default_factory=list)  # output files written or removed
    seconds: float = 0.0


def _stat(path: Path) -> tuple[int, int]:
    info = path.stat()
    return info.st_size, info.st_mtime_ns


def _template_shown(root: Path, filename: str) -> str | None:
    """A template file as editors see it: `templates/x.html` for the site's own, the full path for the theme's."""
    path = Path(filename).resolve()
    for folder in theme.template_folders(root):
        if path.is_relative_to(folder.resolve()):
            return path.relative_to(root.resolve()).as_posix() if path.is_relative_to(root.resolve()) else str(path)
    return None


def template_problem(root: Path, exc: Exception) -> Problem:
    """A template error as `templates/x.html:line: message` (a theme template: its full path)."""
    if isinstance(exc, TemplateSyntaxError) and exc.lineno:
        shown = _template_shown(root, exc.filename) if exc.filename else None
        return Problem(shown or f"templates/{exc.name or '?'}", exc.lineno, f"template error: {exc.message}")
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        shown = _template_shown(root, frame.filename)
        if shown:
            return Problem(shown, frame.lineno or 1, f"template error: {exc}")
    return Problem("templates", 1, f"template error: {exc}")


class Rebuilder:
    """The last good build of `root`, kept in `out` and brought up to date by `build()`."""

    def __init__(self, root: Path, out: Path) -> None:
        self.root, self.out = root, out
        self.cache = LoadCache()
        self.signature: bytes | None = None  # depends.signature() of the last good build; None before the first
        self.deps: dict[str, set[str]] = {}
        self.sources: dict[str, bytes] = {}  # depends.source_digests() of the last good build
        self.digests: dict[str, bytes] = {}  # output file made from bytes -> digest of its bytes (not the bytes: memory)
        self.copies: dict[str, tuple[Path, tuple[int, int]]] = {}
        self.templates: bytes | None = None
        self.env: Environment | None = None

    def build(self) -> Result:
        """Check everything, render what changed since the last good build, and write it."""
        started = time.perf_counter()
        try:
            with gc_paused():
                result = self._build()
        except TemplateError as exc:
            result = Result(False, [template_problem(self.root, exc)])
        except Exception as exc:  # noqa: BLE001 - the preview must survive anything; say what happened
            traceback.print_exc()
            result = Result(False, [Problem("(build)", 1, f"unexpected error: {exc!r}; see the terminal for details")])
        result.seconds = time.perf_counter() - started
        return result

    def _build(self) -> Result:
        checked = check(self.root, self.cache, preview=True)  # drafts and embargoed files are shown, marked
        if not checked.ok or checked.site is None or checked.content is None:
            return Result(False, checked.problems)
        site = checked.site
        templates = theme.templates_digest(self.root)
        if templates != self.templates or self.env is None:
            self.env = make_environment(theme.template_folders(self.root))
        deps, sources, new_signature = dependencies(site), source_digests(self.root, self.cache, checked.content, source_extras(checked)), signature(site, templates)
        only: set[str] | None = None
        if self.signature is not None:
            only = affected(self.signature, new_signature, self.deps, deps, changed(self.sources, sources))
        files, copies = render_site(self.root, site, only, self.env, bilag_text=checked.bilag_text, static_files=checked.static_files)
        rendered = sum(1 for name in files if name.endswith(".html"))  # the sitemap files and robots.txt are always made
        written = self._write(files, copies, kept={page for page in deps if page not in files} if only is not None else set())
        self.signature, self.deps, self.sources, self.templates = new_signature, deps, sources, templates
        return Result(True, checked.problems, rendered, written)

    def _write(self, files: dict[str, bytes], copies: dict[str, Path], kept: set[str]) -> list[str]:
        """Write changed files, copy changed sources, remove what is gone; returns the paths touched.

        `kept`: pages not rendered this time, unchanged in the folder.
        """
        touched = []
        digests = {rel: self.digests[rel] for rel in kept if rel in self.digests}
        for rel, data in files.items():
            digests[rel] = bytes_digest(data)
            if self.digests.get(rel) != digests[rel] or not (self.out / rel).exists():
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
        for rel in (self.digests.keys() - digests.keys()) | (self.copies.keys() - new_copies.keys()):
            (self.out / rel).unlink(missing_ok=True)
            _remove_empty_parents(self.out, (self.out / rel).parent)
            touched.append(rel)
        self.digests, self.copies = digests, new_copies
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
