"""What the last build of an output folder was made from, so that the next build redoes only what changed.

After every successful build a `BuildState` is stored in `.cache/build/` (through buildcache.DiskCache,
so a damaged or foreign entry is ignored, and an entry written by another engine version is never
found). The next `build` into the same folder compares it with what it finds:

- **nothing changed** (every input file has the size, mtime, inode and ctime it had, the same commit
  is checked out, no embargo has ended since (`release`), and the output folder holds exactly the
  files the last build wrote, each with the same size, mtime and inode):
  the build stops there and reports the warnings of the last build again;
- **otherwise** the whole check runs (unchanged files come from the parse cache), the pages that
  depend on what changed are rendered (depends.py, the same mechanism as the live preview), and the
  staging folder is filled by hard-linking every file whose bytes are unchanged from the current
  output instead of writing it again. Pagefind runs only if an HTML page changed; the leak gate
  scans only files it has not passed before, unless its fingerprints changed.

A file is reused only if the output still holds it exactly as written (same size, mtime and inode),
so an output folder edited by hand gets those files rebuilt. The result is byte-identical to a cold
build (tests/test_incremental_build.py), and the staging folder is swapped in atomically as before.
"""

from __future__ import annotations

import datetime as dt
import filecmp
import hashlib
import os
import stat
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from .buildcache import DiskCache
from .config import CONFIG_FILE
from .errors import Problem
from .theme import THEME_STATIC, THEME_TEMPLATES

STATE_CACHE = Path(".cache") / "build"
# Libraries that shape the output but not the parse cache (buildcache.LIBRARIES): a new version rebuilds everything.
OUTPUT_LIBRARIES = ("jinja2", "markupsafe", "babel", "pagefind", "feedgen", "icalendar")
INPUT_FOLDERS = ("content", "templates", "static")  # the site's; and the theme's own (input_digest)

FileStat = tuple[int, int, int]  # size, mtime_ns, inode


@dataclass
class BuildState:
    """One successful build of one output folder."""

    inputs: bytes  # input_digest() of the project when the build started
    signature: bytes  # depends.signature(): settings, page titles and templates
    deps: dict[str, set[str]]  # page -> content files it shows (depends.dependencies)
    sources: dict[str, bytes]  # content file -> digest (Markdown: its bytes; bilag: its stat)
    digests: dict[str, bytes]  # output file made from bytes (pages, sitemaps, robots.txt) -> digest of the bytes
    copies: dict[str, tuple[str, FileStat]]  # output file copied from a source -> (source, its stat)
    outputs: dict[str, FileStat]  # every file of the output folder as written
    gate: bytes  # leakgate.Gate.digest() of the gate that passed the output
    problems: list[Problem] = field(default_factory=list)  # warnings, reported again by a build that changes nothing
    release: dt.datetime | None = None  # the earliest embargo still to end (embargo.next_release): then the build is no no-op


def _store(root: Path) -> DiskCache:
    return DiskCache(root / STATE_CACHE)


def _key(out: Path) -> str:
    versions = []
    for name in OUTPUT_LIBRARIES:
        try:
            versions.append(f"{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{name}=?")
    return DiskCache.key(b"build-state", str(out.resolve()).encode(), ";".join(versions).encode())


def load_state(root: Path, out: Path) -> BuildState | None:
    """The state of the last successful build into `out`, or None (never built, another engine, damaged)."""
    state = _store(root).get(_key(out))
    return state if isinstance(state, BuildState) else None


def save_state(root: Path, out: Path, state: BuildState) -> None:
    _store(root).put(_key(out), state)


def file_stat(path: Path) -> FileStat:
    info = path.lstat()
    return info.st_size, info.st_mtime_ns, info.st_ino


def stat_digest(path: Path) -> bytes:
    """A cheap stand-in for a file's bytes: its size, mtime, inode and ctime."""
    info = os.lstat(path)  # os, not Path.lstat: called for every bilag on every build
    return f"{info.st_size}:{info.st_mtime_ns}:{info.st_ino}:{info.st_ctime_ns}".encode()


def bytes_digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=16).digest()


def _scan(folder: str, rel: str, into: dict[str, os.stat_result]) -> None:
    """Every entry under `folder` by relative path, symbolic links and folders included, never followed."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        name = f"{rel}{entry.name}"
        info = entry.stat(follow_symlinks=False)
        into[name] = info
        if stat.S_ISDIR(info.st_mode):
            _scan(entry.path, f"{name}/", into)


def input_digest(root: Path, extra: bytes = b"") -> bytes:
    """A digest of the name, type, size, mtime, inode and ctime of every input file (content/, templates/,
    static/, site_config.yaml) and of the package's theme (an edited or upgraded default theme): any edit,
    move, new or deleted file changes it. `extra` is what else the output depends on (history.state:
    the commit checked out)."""
    digest = hashlib.blake2b(extra, digest_size=16)
    tops = [(name, root / name) for name in (*INPUT_FOLDERS, CONFIG_FILE)]
    tops += [("(theme)/templates", THEME_TEMPLATES), ("(theme)/static", THEME_STATIC)]
    for top, path in tops:
        entries: dict[str, os.stat_result] = {}
        try:
            entries[top] = path.lstat()
        except OSError:
            digest.update(f"{top}\0missing\n".encode())
            continue
        if stat.S_ISDIR(entries[top].st_mode):
            _scan(str(path), f"{top}/", entries)
        for name in sorted(entries):
            info = entries[name]
            digest.update(f"{name}\0{info.st_mode}:{info.st_size}:{info.st_mtime_ns}:{info.st_ino}:{info.st_ctime_ns}\n".encode())
    return digest.digest()


def output_stats(out: Path) -> dict[str, FileStat]:
    """Every file under `out` (relative path -> size, mtime, inode); a symbolic link or special file
    is listed with size -1, so it never matches a file a build wrote."""
    entries: dict[str, os.stat_result] = {}
    _scan(str(out), "", entries)
    files = {}
    for name, info in entries.items():
        if stat.S_ISREG(info.st_mode):
            files[name] = (info.st_size, info.st_mtime_ns, info.st_ino)
        elif not stat.S_ISDIR(info.st_mode):
            files[name] = (-1, 0, 0)
    return files


def link_or_copy(source: Path, target: Path) -> None:
    """Put an unchanged file of the current output into the staging folder: a hard link (no bytes
    copied; the file is never written in place, so both names keep the same bytes), or a copy where
    the file system has no hard links."""
    try:
        os.link(source, target, follow_symlinks=False)
    except OSError:
        from .writer import copy_file

        copy_file(source, target)


def same_bytes(a: Path, b: Path) -> bool:
    """Whether two regular files hold the same bytes (never following a symbolic link)."""
    try:
        if os.lstat(a).st_size != os.lstat(b).st_size:
            return False
        return filecmp.cmp(a, b, shallow=False)
    except OSError:
        return False
