"""What the leak gate looks for: every closed part of the content and every closed bilag.

The gate is a check on redaction, so it must not inherit redaction's mistakes: it reads
the full, unredacted content and states the marker rule on its own, in the plainest
form — of a closed item, nothing but the number, the title and (for
`{lukket offentlig-beslutning}`) the decision sections may appear. It does not ask
public.py what is public, and the texts it treats as public (to ignore phrases shared
with open items) are taken from the unredacted content by the same plain rule, never
from the redacted site.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

from .bilagtext import CACHE_DIR
from .buildcache import DiskCache
from .document import text_of
from .leakgate import ClosedFile, Gate, Secret, pdf_text
from .model import AgendaItem, Content, Section


CLOSED_TEXT_CACHE = Path(".cache") / "closedtext"  # the text of closed PDF bilag, for the gate only


def _allowed(item: AgendaItem, section: Section) -> bool:
    """The plain rule: a closed item's section may be published only if it is a decision and the item says so."""
    return item.public_decision and section.decision


def secrets(content: Content) -> list[Secret]:
    """The closed text and metadata of every closed item of every meeting (the full, unredacted content)."""
    found: list[Secret] = []
    for meeting in content.meetings:
        for item in meeting.items:
            if not item.closed:
                continue
            label = f"{meeting.path}, item {item.number} (closed)"
            if item.intro_source.strip():
                found.append(Secret(label, meeting.path, item.line, item.intro_source))
            found += [Secret(label, meeting.path, s.line, s.source) for s in item.sections if not _allowed(item, s)]
            meta = meeting.meta.items.get(item.number)
            # Every text value of the item's metadata: case numbers, guests, votes, minority remarks, who left.
            for value in _values(meta.model_dump(mode="json")) if meta else []:
                if value:
                    found.append(Secret(label, meeting.path, item.line, value, kind="value"))
    return found


def closed_files(root: Path, private_bilag: set[str]) -> list[ClosedFile]:
    """Every closed bilag: its hash (found under any name) and its text (found in any page or index).

    The text of a closed PDF is kept in the build cache (.cache/closedtext/, by the file's hash),
    so an unchanged file is read by pypdf once, not on every build.
    """
    cache = DiskCache(root / CLOSED_TEXT_CACHE)
    files: list[ClosedFile] = []
    for rel in sorted(private_bilag):
        path = root / "content" / rel
        try:
            data = path.read_bytes()
        except OSError:
            continue  # a missing file is reported by check; there is nothing of it to leak
        digest = hashlib.sha256(data).hexdigest()
        text = None
        if rel.lower().endswith(".pdf"):
            key = DiskCache.key(digest.encode())
            cached = cache.get(key)
            text = cached if isinstance(cached, str) else pdf_text(data, root / CACHE_DIR)
            if not isinstance(cached, str):
                cache.put(key, text)
        files.append(ClosedFile(f"closed bilag content/{rel}", f"content/{rel}", digest, text or None, len(data)))
    return files


def published_texts(content: Content, bilag_text: dict[str, str | None]) -> Iterator[str]:
    """Everything that may be published as text, read from the unredacted content by the plain rule."""
    for meeting in content.meetings:
        yield text_of(meeting.intro_html)
        closed = {item.number for item in meeting.items if item.closed}
        meta = meeting.meta.model_dump(mode="json", exclude={"reviewed_cpr", "items"})
        yield from _values(meta)
        yield from _values({n: m.model_dump(mode="json") for n, m in meeting.meta.items.items() if n not in closed})
        for item in meeting.items:
            yield item.title
            if not item.closed:
                yield text_of(item.intro_html)
            for section in item.sections:
                yield section.name
                if not item.closed or _allowed(item, section):
                    yield text_of(section.html)
    for owner in [*content.pages.values(), *content.strategies.values(), *content.bodies.values()]:
        yield text_of(owner.html)
        yield from _values(owner.meta.model_dump(mode="json", exclude={"reviewed_cpr"}))
    yield from (text for text in bilag_text.values() if text)


def _values(data: object) -> Iterator[str]:
    if isinstance(data, dict):
        for value in data.values():
            yield from _values(value)
    elif isinstance(data, list):
        for value in data:
            yield from _values(value)
    elif isinstance(data, str):
        yield data


def gate(root: Path, content: Content, private_bilag: set[str], bilag_text: dict[str, str | None]) -> Gate:
    """The leak gate for one build, from the full content (closed parts included)."""
    return Gate.build(secrets(content), closed_files(root, private_bilag), published_texts(content, bilag_text))
