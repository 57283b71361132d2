"""Write the site atomically: build in a staging folder beside output/, then swap it in."""

from __future__ import annotations

import contextlib
import errno
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

from .files import open_regular


class UnsafeOutput(Exception):
    """The output folder is somewhere the build must never write or delete."""


# Written into every build's staging folder: a folder holding it was made by a build, and the next build may replace it.
MARKER = ".raadsarkiv-output"
MARKER_TEXT = b"Written by the Raadsarkiv build (python build.py build). The next build replaces this whole folder.\n"
# The project's own folders: the output may be none of them, lie inside none, and contain none.
SOURCE_FOLDERS = (
    "content", "templates", "static", "docs", "tests", "raadsarkiv", "schema", "scripts", "tools",
    ".git", ".github", ".ci", ".vscode", ".venv", ".cache",
)
# What a build writes at the top of the output (besides page-slug folders, each with an index.html):
# the shape an `output` folder built before the marker existed may have.
BUILT_FILES = {"index.html", "404.html", "sitemap.xml", "robots.txt", "favicon.ico", "feed.xml", "kalender.ics"}
BUILT_FOLDERS = {"static", "pagefind", "udvalg", "bilag", "strategier", "soeg", "was", "sager", "personer", "data"}


def check_output_dir(root: Path, out: Path) -> None:
    """Refuse an output folder the build must not replace; raise UnsafeOutput saying why.

    A build replaces `out` entirely, so `out` must be:
    - not a symbolic link (the swap would replace the link, not the folder the web server
      serves through it): give the real folder instead;
    - not the project folder, a folder containing it, or one of the project's own folders
      (SOURCE_FOLDERS: content/, templates/, static/, docs/, .git/ …) or anything inside them;
    - absent, or an empty folder, or a folder an earlier build made (it holds MARKER).
      One exception, for builds made before the marker existed: a folder named `output`
      that holds index.html and, besides it, only what a build writes at the top
      (BUILT_FILES, BUILT_FOLDERS, and folders that hold an index.html: page slugs).
      Anything else is refused, and nothing is deleted.
    """
    if out.is_symlink():
        raise UnsafeOutput(
            f"refusing to write the site to {out}: it is a symbolic link (to {os.readlink(out)}); a build would replace "
            f"the link, not the folder it points to, so a web server serving that folder would keep the old site. "
            f"Build into the real folder instead: --output {out.resolve()}"
        )
    root, out = root.resolve(), out.resolve()
    if out == root or out in root.parents:
        raise UnsafeOutput(f"refusing to write the site to {out}: it would replace the project {root}; build into a folder of its own, e.g. {root / 'output'}")
    for name in SOURCE_FOLDERS:
        folder = root / name
        if out == folder or folder in out.parents:
            raise UnsafeOutput(f"refusing to write the site to {out}: it would replace the project's {name}/ folder or files in it; build into a folder of its own, e.g. {root / 'output'}")
    if not out.exists():
        return
    if not out.is_dir():
        raise UnsafeOutput(f"refusing to write the site to {out}: it is a file, not a folder")
    marker = out / MARKER
    if marker.is_file() and not marker.is_symlink():
        return
    entries = list(out.iterdir())
    if not entries or (out.name == "output" and _old_build(out, entries)):
        return
    raise UnsafeOutput(
        f"refusing to write the site to {out}: the folder is not empty and no build made it (it has no {MARKER} file), "
        f"and a build replaces everything in it. Choose a new or empty folder; if it is a site built before "
        f"Rådsarkiv marked its output folders, delete it once yourself and build again"
    )


def _old_build(out: Path, entries: list[Path]) -> bool:
    """Whether `out` holds only what a build writes at its top (see check_output_dir)."""
    if not (out / "index.html").is_file():
        return False
    for entry in entries:
        if entry.is_symlink():
            return False
        if entry.name in BUILT_FILES and entry.is_file():
            continue
        if entry.is_dir() and (entry.name in BUILT_FOLDERS or (entry / "index.html").is_file()):
            continue
        return False
    return True


def _target(stage: Path, rel: str) -> Path:
    """A path inside the staging folder; never outside it."""
    pure = PurePosixPath(rel)
    if pure.is_absolute() or ".." in pure.parts or not pure.parts:
        raise UnsafeOutput(f"refusing to write outside the output folder: {rel}")
    return stage.joinpath(*pure.parts)


def _running(pid: int) -> bool:
    """Whether another process with this id runs (when unsure: yes). This process's own id counts as not running."""
    if pid == os.getpid():
        return False
    if os.name != "posix":
        return True  # os.kill(pid, 0) would end the process on Windows
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # e.g. another user's process
    return True


def remove_leftovers(out: Path) -> list[Path]:
    """Remove staging (`.NAME.tmp-PID`) and previous-site (`.NAME.old-PID`) entries beside `out`
    left by builds that were killed; those of a build still running are kept. Returns what was removed."""
    pattern = re.compile(rf"\.{re.escape(out.name)}\.(?:tmp|old)-(\d+)")
    removed = []
    try:
        entries = sorted(out.parent.iterdir())
    except OSError:
        return removed
    for entry in entries:
        match = pattern.fullmatch(entry.name)
        if match is None or _running(int(match.group(1))):
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            with contextlib.suppress(OSError):
                entry.unlink()
        removed.append(entry)
    return removed


@contextlib.contextmanager
def staged(root: Path, out: Path) -> Iterator[Path]:
    """Yield a fresh staging folder beside `out`; swap it into `out` only if the block succeeds.

    On any exception the staging folder is removed and the previous `out` stays as it was
    (or is put back, if the swap itself failed half-way). Leftovers of killed builds are removed first.
    """
    check_output_dir(root, out)
    out = out.resolve()  # not a symbolic link (checked): the real folder
    remove_leftovers(out)
    stage = out.parent / f".{out.name}.tmp-{os.getpid()}"
    old = out.parent / f".{out.name}.old-{os.getpid()}"
    try:
        stage.mkdir(parents=True)
        (stage / MARKER).write_bytes(MARKER_TEXT)
        yield stage
        if out.exists():
            os.replace(out, old)
        os.replace(stage, out)
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        if old.exists() and not out.exists():
            os.replace(old, out)  # put the previous site back
        raise
    shutil.rmtree(old, ignore_errors=True)


def copy_file(source: Path, target: Path) -> None:
    """Copy a regular file; refuse (UnsafeOutput) a symbolic link or special file, never following it."""
    try:
        fd = open_regular(source)
    except OSError as exc:
        if exc.errno in (errno.ELOOP, errno.EMLINK) or source.is_symlink():
            raise UnsafeOutput(f"refusing to copy {source}: it is a symbolic link") from exc
        raise
    except ValueError as exc:
        raise UnsafeOutput(f"refusing to copy {source}: it is not a regular file") from exc
    with open(fd, "rb") as src, open(target, "wb") as dst:
        shutil.copyfileobj(src, dst)


def write_files(stage: Path, files: dict[str, bytes], copies: dict[str, Path]) -> None:
    """Write `files` (path -> bytes) and `copies` (path -> source file) into the staging folder."""
    made: set[Path] = set()  # folders made so far: one mkdir each, not one per file

    def folder_for(rel: str) -> Path:
        path = _target(stage, rel)
        if path.parent not in made:
            path.parent.mkdir(parents=True, exist_ok=True)
            made.add(path.parent)
        return path

    for rel in sorted(files):
        folder_for(rel).write_bytes(files[rel])
    for rel in sorted(copies):
        copy_file(copies[rel], folder_for(rel))


def write_site(root: Path, out: Path, files: dict[str, bytes], copies: dict[str, Path]) -> None:
    """Write `files` and `copies` to a staging folder, then swap it into `out`."""
    with staged(root, out) as stage:
        write_files(stage, files, copies)
