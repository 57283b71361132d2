"""Walk content/ and static/ without ever following a symbolic link.

What a build reads and copies comes from `walk`: regular files only, in sorted order.
Everything else is reported as an error (`path:1: message`) and skipped:

- symbolic links, to files or folders (never followed: a link in static/ to
  /proc/self/environ or to a closed bilag must not be published);
- anything that is not a regular file or folder (a FIFO would hang the build);
- two names in one folder that differ only in upper/lower case or Unicode
  normalisation (`Om.md` and `om.md`; `år.md` with å precomposed and decomposed):
  they are one file on macOS and Windows, so a checkout there silently loses one;
- names that are not in Unicode NFC form (macOS tools may write `å` as `a` plus a
  combining mark): links are written in NFC, so such a file could never be
  linked, and it would be a twin of the NFC name elsewhere.

`open_regular` opens a file for copying with O_NOFOLLOW, as a second line of defence.
"""

from __future__ import annotations

import os
import stat
import unicodedata
from pathlib import Path

from .errors import Problems
from .i18n import _

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)


def twin_key(name: str) -> str:
    """Names with the same key are one file on a case-insensitive, normalising file system."""
    return unicodedata.normalize("NFC", name).casefold()


def walk(folder: Path, shown_prefix: str, problems: Problems, include_hidden: bool = False) -> list[tuple[Path, str]]:
    """Every regular file under `folder`: (path, posix path relative to `folder`), sorted.

    `shown_prefix` is how editors see `folder` in messages (`content`, `static`).
    Names starting with '.' are skipped unless `include_hidden`. Symbolic links, special
    files, twin names and non-NFC names are recorded in `problems` (symlinks and special
    files are skipped; twins and non-NFC names are returned, their errors stop the build).
    A missing `folder` has no files; a `folder` that is itself a symbolic link is an error.
    """
    if folder.is_symlink():
        problems.error(shown_prefix, 1, _("symbolic link (to {target}); it is not followed: make {folder}/ a real folder, "
                                          "or use --root to build a project elsewhere", target=os.readlink(folder), folder=shown_prefix))
        return []
    if not folder.is_dir():
        return []
    found: list[tuple[Path, str]] = []
    _walk(folder, "", shown_prefix, problems, include_hidden, found)
    return found


def _walk(folder: Path, rel: str, shown_prefix: str, problems: Problems, include_hidden: bool,
          found: list[tuple[Path, str]]) -> None:
    shown_folder = f"{shown_prefix}/{rel}".rstrip("/")
    try:
        with os.scandir(folder) as scan:
            entries = sorted(scan, key=lambda entry: entry.name)
    except OSError as exc:
        problems.error(shown_folder, 1, _("cannot read this folder ({reason}); check its permissions", reason=exc.strerror or exc))
        return
    twins: dict[str, list[str]] = {}
    for entry in entries:
        if entry.name.startswith(".") and not include_hidden:
            continue
        child = f"{rel}{entry.name}"
        shown = f"{shown_prefix}/{child}"
        twins.setdefault(twin_key(entry.name), []).append(shown)
        if unicodedata.normalize("NFC", entry.name) != entry.name:
            problems.error(shown, 1, _("name is not in Unicode NFC form (a letter such as å or é is stored as a base letter plus a "
                                       "combining mark, as some macOS tools do); links cannot reach it reliably: rename it, typing the "
                                       "name again"))
        try:
            if entry.is_symlink():
                target = os.readlink(entry.path)
                if entry.is_dir():  # what it points to, if anything
                    problems.error(shown, 1, _("symbolic link (to {target}) is not allowed in {folder}/ and is not followed; "
                                               "copy the folder instead", target=target, folder=shown_prefix))
                else:
                    problems.error(shown, 1, _("symbolic link (to {target}) is not allowed in {folder}/ and is not followed; "
                                               "copy the file instead", target=target, folder=shown_prefix))
            elif entry.is_dir(follow_symlinks=False):
                _walk(Path(entry.path), f"{child}/", shown_prefix, problems, include_hidden, found)
            elif entry.is_file(follow_symlinks=False):
                found.append((Path(entry.path), child))
            else:
                problems.error(shown, 1, _("not a regular file or folder (a pipe, socket or device); remove it"))
        except OSError as exc:
            problems.error(shown, 1, _("cannot read this entry ({reason}); check its permissions", reason=exc.strerror or exc))
    for names in twins.values():
        for name in names if len(names) > 1 else []:
            others = ", ".join(other for other in names if other != name)
            problems.error(name, 1, _("name differs from {others} only in upper/lower case or Unicode normalisation; "
                                      "on macOS and Windows they are the same file: rename or delete one", others=others))


def open_regular(path: Path) -> int:
    """A read-only descriptor for `path`, which must be a regular file and not a symbolic link.

    Raises OSError (ELOOP for a symbolic link) or ValueError for anything but a regular file.
    O_NONBLOCK keeps a FIFO from blocking the open; it does not affect regular files.
    """
    fd = os.open(path, os.O_RDONLY | _NOFOLLOW | _NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise ValueError(f"{path} is not a regular file")
        if _NONBLOCK:
            os.set_blocking(fd, True)
    except BaseException:
        os.close(fd)
        raise
    return fd
