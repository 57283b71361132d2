"""Write the site atomically: build in a staging folder beside output/, then swap it in."""

from __future__ import annotations

import os
import shutil
from pathlib import Path, PurePosixPath


class UnsafeOutput(Exception):
    """The output folder is somewhere the build must never write or delete."""


def _check_output_dir(root: Path, out: Path) -> None:
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


def write_site(root: Path, out: Path, files: dict[str, bytes], copies: dict[str, Path]) -> None:
    """Write `files` (path -> bytes) and `copies` (path -> source file), then swap into `out`."""
    _check_output_dir(root, out)
    stage = out.parent / f".{out.name}.tmp-{os.getpid()}"
    old = out.parent / f".{out.name}.old-{os.getpid()}"
    shutil.rmtree(stage, ignore_errors=True)
    try:
        for rel in sorted(files):
            path = _target(stage, rel)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(files[rel])
        for rel in sorted(copies):
            path = _target(stage, rel)
            path.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(copies[rel], path)
        if out.exists():
            os.replace(out, old)
        os.replace(stage, out)
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        if old.exists() and not out.exists():
            os.replace(old, out)  # put the previous site back
        raise
    shutil.rmtree(old, ignore_errors=True)
