"""When each content file was first and last committed, from one `git log` over content/.

The dates feed "Senest ændret" on pages, `updated` in the Atom feeds, DTSTAMP in the calendars
and `<lastmod>` in sitemap.xml. Without git, outside a repository, or for a file never
committed, a file simply has no history: nothing is shown, nothing fails.

A shallow clone (CI's default `fetch-depth: 1`) holds only the newest commit, so every file
would seem changed by it: then no history is used at all, with a warning to fetch the whole
history (`fetch-depth: 0` in actions/checkout; see docs/content-format.md).
"""

from __future__ import annotations

import datetime as dt
import subprocess
from dataclasses import dataclass
from pathlib import Path

GIT_TIMEOUT = 120  # seconds; `git log` over twenty years of an archive takes about a second
SHALLOW_WARNING = (
    "the git history is shallow (a CI checkout fetches one commit unless told otherwise), so the dates of the last "
    "changes are unknown and 'Senest ændret', the feeds' update times and sitemap <lastmod> fall back to the meeting "
    "dates or are left out; fetch the whole history (actions/checkout with fetch-depth: 0, or git fetch --unshallow)"
)


@dataclass(frozen=True)
class FileHistory:
    """The first and the last commit that changed a file (aware, UTC)."""

    first: dt.datetime
    last: dt.datetime

    def digest(self) -> bytes:
        """What the incremental build compares: a commit can change these without changing the file's bytes."""
        return f"{int(self.first.timestamp())}:{int(self.last.timestamp())}".encode()


def _git(root: Path, *args: str) -> str | None:
    """The output of a git command run in `root`, or None (no git, not a repository, any failure)."""
    try:
        done = subprocess.run(["git", "-C", str(root), *args], capture_output=True, timeout=GIT_TIMEOUT, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.decode("utf-8", errors="replace") if done.returncode == 0 else None


def state(root: Path) -> bytes:
    """The commit checked out and whether the clone is shallow, or b'' without git: when it changes, so may
    every file's history (a commit changes dates without changing any file's bytes)."""
    found = _git(root, "rev-parse", "--is-shallow-repository", "HEAD")
    return found.encode() if found else b""


_last: list[tuple[Path, bytes, tuple[dict[str, FileHistory], str | None]]] = []  # the latest read, by root and state()


def read(root: Path) -> tuple[dict[str, FileHistory], str | None]:
    """The history of every committed file under root/content (`content/…` paths), and a warning if shallow.

    The history follows from the commit checked out (`state`): while that stays the same, the last
    answer is given again, so the preview does not run `git log` on every save."""
    current = state(root)
    if _last and _last[0][:2] == (root.resolve(), current) and current:
        return _last[0][2]
    found = _read(root, current)
    _last[:] = [(root.resolve(), current, found)]
    return found


def _read(root: Path, current: bytes) -> tuple[dict[str, FileHistory], str | None]:
    if current.startswith(b"true"):
        return {}, SHALLOW_WARNING
    output = _git(root, "log", "--format=%ct", "-z", "--name-only", "--no-renames", "--relative", "--", "content")
    if not output:
        return {}, None
    seen: dict[str, tuple[int, int]] = {}
    when: int | None = None
    for token in output.split("\0"):
        token = token.lstrip("\n")
        if token.isdigit():  # a commit's time; the files it changed follow (paths start with content/)
            when = int(token)
        elif token and when is not None:
            first, last = seen.get(token, (when, when))
            seen[token] = (min(first, when), max(last, when))  # branches: log order is not time order
    return {path: FileHistory(_utc(first), _utc(last)) for path, (first, last) in seen.items()}, None


def _utc(seconds: int) -> dt.datetime:
    return dt.datetime.fromtimestamp(seconds, dt.timezone.utc)
