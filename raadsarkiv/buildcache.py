"""The persistent build cache in `.cache/`: results computed from a file's bytes, reused across runs.

An entry is keyed by a digest of everything it was computed from: the input's bytes and
path, the settings it depends on, and the engine itself (the source of this package and the
versions of the libraries that parse and render). A changed engine therefore never reuses an
old entry. Each entry carries a digest of its own payload, so a truncated or corrupt file is
detected and ignored (and computed again), never trusted. Writing is atomic and best-effort:
a cache that cannot be written only costs time.

The cache holds what the build computed from the project's own files; it is as trusted as
the checkout it sits in (CI restores it only from the same repository's cache).
"""

from __future__ import annotations

import hashlib
import os
import pickle
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from .i18n import LOCALE_DIR, message_language

DIGEST = 16
LIBRARIES = ("markdown-it-py", "nh3", "pydantic", "pyyaml", "pypdf")


@lru_cache(maxsize=1)
def engine_version() -> bytes:
    """A digest of the engine: this package's source files and the versions of its parsing libraries."""
    digest = hashlib.blake2b(digest_size=DIGEST)
    package = Path(__file__).resolve().parent
    for path in [*sorted(package.glob("*.py")), *sorted(LOCALE_DIR.glob("*/LC_MESSAGES/*.po"))]:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    for name in LIBRARIES:
        try:
            digest.update(f"{name}={metadata.version(name)}\0".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{name}=?\0".encode())
    return digest.digest()


class DiskCache:
    """One namespace of the build cache: `.cache/<namespace>/<key>.bin`."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    @staticmethod
    def key(*parts: bytes, engine: bool = True) -> str:
        """The key of an entry computed from `parts` by this engine. With `engine=False` the key does not
        change with the engine: for results whose `parts` name the version of what computed them.
        An engine's entry holds messages in the language they were made in, so the message language is part of its key."""
        digest = hashlib.blake2b(engine_version() + message_language().encode() if engine else b"", digest_size=DIGEST)
        for part in parts:
            digest.update(len(part).to_bytes(8, "little") + part)
        return digest.hexdigest()

    def get(self, key: str) -> object | None:
        """The stored value, or None if there is none or it is damaged."""
        try:
            data = (self.folder / f"{key}.bin").read_bytes()
        except OSError:
            return None
        check, payload = data[:DIGEST], data[DIGEST:]
        if hashlib.blake2b(payload, digest_size=DIGEST).digest() != check:
            return None
        try:
            return pickle.loads(payload)
        except Exception:  # noqa: BLE001 - a damaged or incompatible entry is recomputed, whatever the error
            return None

    def put(self, key: str, value: object) -> None:
        """Store a value atomically; failures are ignored."""
        try:
            payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
            self.folder.mkdir(parents=True, exist_ok=True)
            temporary = self.folder / f".{key}.{os.getpid()}.tmp"
            temporary.write_bytes(hashlib.blake2b(payload, digest_size=DIGEST).digest() + payload)
            os.replace(temporary, self.folder / f"{key}.bin")
        except (OSError, pickle.PicklingError):
            pass
