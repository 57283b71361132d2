"""Write the site atomically: build in a staging folder beside output/, then swap it in."""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

from .files import open_regular


class UnsafeOutput(Exception):
    """The output folder is somewhere the build must never write or delete."""


def check_output_dir(root: Path, out: Path) -> None:
    """Refuse an output folder that is, contains or lies inside the project or its content."""
    root, out = root.resolve(), out.resolve()
    content = root / "content"
    if out in (root, content) or out in root.parents or content in out.parents or out in content.parents:
        raise UnsafeOutput(f"refusing to write the site to {out}: it would replace the project or its content")


def _target(stage: Path, rel: str) -> Path:
    """A path inside the staging folder; never outside it."""
    pure = PurePosixPath(rel)
    if pure.is_absolute() or ".." in pure.parts or not pure.parts:
        raise UnsafeOutput(f"refusing to write outside the output folder: {rel}")
    return stage.joinpath(*pure.parts)


@contextlib.contextmanager
def staged(root: Path, out: Path) -> Iterator[Path]:
    """Yield a fresh staging folder beside `out`; swap it into `out` only if the block succeeds.

    On any exception the staging folder is removed and the previous `out` stays as it was.
    """
    check_output_dir(root, out)
    stage = out.parent / f".{out.name}.tmp-{os.getpid()}"
    old = out.parent / f".{out.name}.old-{os.getpid()}"
    shutil.rmtree(stage, ignore_errors=True)
    try:
        stage.mkdir(parents=True)
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
    for rel in sorted(files):
        path = _target(stage, rel)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(files[rel])
    for rel in sorted(copies):
        path = _target(stage, rel)
        path.parent.mkdir(parents=True, exist_ok=True)
        copy_file(copies[rel], path)


def write_site(root: Path, out: Path, files: dict[str, bytes], copies: dict[str, Path]) -> None:
    """Write `files` and `copies` to a staging folder, then swap it into `out`."""
    with staged(root, out) as stage:
        write_files(stage, files, copies)
