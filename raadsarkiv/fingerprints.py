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
import re
from importlib import metadata
from collections.abc import Callable, Collection, Iterator
from functools import partial
from pathlib import Path

from .bilagtext import CACHE_DIR
from .i18n import _
from .buildcache import DiskCache
from .document import text_of
from .leakgate import ClosedFile, Gate, Secret, pdf_text
from .model import AgendaItem, Body, Content, Meeting, Page, Section, Strategy


CLOSED_TEXT_CACHE = Path(".cache") / "closedtext"  # the text of closed PDF bilag, for the gate only
PUBLIC_TEXT_CACHE = Path(".cache") / "publictext"  # per public file: what it shares with the closed content
# Its entries are kept across engine versions (reading a closed PDF again costs 20 ms each): change this
# when leakgate.pdf_text changes what it returns.
CLOSED_TEXT_VERSION = f"1-pypdf-{metadata.version('pypdf')}"


def _allowed(item: AgendaItem, section: Section) -> bool:
    """The plain rule: a closed item's section may be published only if it is a decision and the item says so."""
    return item.public_decision and section.decision


def _closed_in_meeting(content: Content) -> dict[str, set[str]]:
    """The plain rule across a meeting's documents (dagsorden, referat): an item number closed in one is closed in all."""
    closed: dict[str, set[str]] = {}
    for meeting in content.meetings:
        closed.setdefault(meeting.identity, set()).update(item.number for item in meeting.items if item.closed)
    return closed


def _closed(item: AgendaItem, meeting: Meeting, closed: dict[str, set[str]]) -> bool:
    return item.closed or item.number in closed.get(meeting.identity, set())


def secrets(content: Content) -> list[Secret]:
    """The closed text and metadata of every closed item of every meeting (the full, unredacted content)."""
    found: list[Secret] = []
    closed = _closed_in_meeting(content)
    for meeting in content.meetings:
        for item in meeting.items:
            if not _closed(item, meeting, closed):
                continue
            label = _("{file}, item {number} (closed)", file=meeting.path, number=item.number)
            # The source is kept for items marked closed; one closed only in the meeting's other document has its rendered text.
            intro = item.intro_source if item.closed else item.intro_html
            if intro.strip():
                found.append(Secret(label, meeting.path, item.line, intro))
            found += [Secret(label, meeting.path, s.line, s.source if item.closed else s.html)
                      for s in item.sections if not (item.closed and _allowed(item, s))]
            meta = meeting.meta.items.get(item.number)
            # Every text value of the item's metadata: case numbers, guests, votes, minority remarks, who left.
            for value in _values(meta.model_dump(mode="json")) if meta else []:
                if value:
                    found.append(Secret(label, meeting.path, item.line, value, kind="value"))
    return found


# Front-matter keys of a held-back file that say only where and when it belongs, or how to publish it: they are
# shared with published files and carry nothing of the file's own text.
STRUCTURAL_KEYS = {"body", "date", "kind", "sequence", "start", "end", "draft", "publish_after", "reviewed_cpr",
                   "organisation", "period", "adopted", "status"}


ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def held_back_secrets(content: Content, withheld: Collection[str]) -> list[Secret]:
    """Everything a held-back file (a draft, or under embargo: embargo.py) would publish, as closed text: its
    rendered text, its titles and its front-matter values. The gate is told which files were held back and
    does not ask whether the site left them out."""
    found: list[Secret] = []
    owners: list[Meeting | Page | Strategy] = [*content.meetings, *content.strategies.values(), *content.pages.values()]
    for owner in owners:
        if owner.path not in withheld:
            continue
        label = _("{file} (not published: a draft or under embargo)", file=owner.path)
        texts = [text_of(owner.intro_html)] if isinstance(owner, Meeting) else [text_of(owner.html)]
        for item in owner.items if isinstance(owner, Meeting) else []:
            texts += [item.title, text_of(item.intro_html), *(text_of(section.html) for section in item.sections)]
        found += [Secret(label, owner.path, 1, text) for text in texts if text.strip()]
        values = owner.meta.model_dump(mode="json", exclude=STRUCTURAL_KEYS)
        # Not dates (a correction's): the same day is in many a public <time datetime>, and tells nothing of the file.
        found += [Secret(label, owner.path, 1, value, kind="value") for value in _values(values) if value and not ISO_DATE.match(value)]
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
            key = DiskCache.key(CLOSED_TEXT_VERSION.encode(), digest.encode(), engine=False)
            cached = cache.get(key)
            text = cached if isinstance(cached, str) else pdf_text(data, root / CACHE_DIR)
            if not isinstance(cached, str):
                cache.put(key, text)
        files.append(ClosedFile(_("closed bilag {file}", file=f"content/{rel}"), f"content/{rel}", digest, text or None, len(data)))
    return files


def published_units(
    content: Content, bilag_text: dict[str, str | None], withheld: Collection[str] = (),
) -> Iterator[tuple[str, Callable[[], list[str]]]]:
    """Everything that may be published as text, read from the unredacted content by the plain rule:
    per content file (`content/…`), the texts it may publish, made when asked for. Held-back files
    (`withheld`) publish nothing."""
    closed = _closed_in_meeting(content)
    for meeting in content.meetings:
        if meeting.path not in withheld:
            yield meeting.path, partial(_meeting_texts, meeting, closed.get(meeting.identity, set()))
    for owner in [*content.pages.values(), *content.strategies.values(), *content.bodies.values()]:
        if owner.path not in withheld:
            yield owner.path, partial(_owner_texts, owner)
    for rel, text in sorted(bilag_text.items()):
        if text:
            yield f"content/{rel}", partial(list, [text])


def _meeting_texts(meeting: Meeting, closed_elsewhere: set[str]) -> list[str]:
    texts = [text_of(meeting.intro_html)]
    closed = {item.number for item in meeting.items if item.closed} | closed_elsewhere
    texts += _values(meeting.meta.model_dump(mode="json", exclude={"reviewed_cpr", "items"}))
    texts += _values({n: m.model_dump(mode="json") for n, m in meeting.meta.items.items() if n not in closed})
    for item in meeting.items:
        texts.append(item.title)
        if item.number not in closed:
            texts.append(text_of(item.intro_html))
        for section in item.sections:
            texts.append(section.name)
            if item.number not in closed or item.closed and _allowed(item, section):
                texts.append(text_of(section.html))
    return texts


def _owner_texts(owner: Page | Strategy | Body) -> list[str]:
    return [text_of(owner.html), *_values(owner.meta.model_dump(mode="json", exclude={"reviewed_cpr"}))]


def _values(data: object) -> Iterator[str]:
    if isinstance(data, dict):
        for value in data.values():
            yield from _values(value)
    elif isinstance(data, list):
        for value in data:
            yield from _values(value)
    elif isinstance(data, str):
        yield data


def gate(
    root: Path, content: Content, private_bilag: set[str], bilag_text: dict[str, str | None],
    sources: dict[str, bytes] | None = None, withheld: Collection[str] = (),
) -> Gate:
    """The leak gate for one build, from the full content (closed parts and held-back files included).

    `withheld`: the files held back (embargo.held_back); all their text counts as closed.

    With `sources` (depends.source_digests: a digest of every content file), what each public file
    has in common with the closed content is remembered in .cache/publictext/ and reused while both
    the file and the closed content are unchanged, so an edit of one meeting reads only that
    meeting's public text again. Without it, every public text is read (the same gate either way:
    tests/test_leakgate.py).
    """
    closed = Gate.build(secrets(content) + held_back_secrets(content, withheld), closed_files(root, private_bilag), [])
    shingles: set[tuple[str, ...]] = set()
    phrases: set[str] = set()
    store = DiskCache(root / PUBLIC_TEXT_CACHE)
    closed_digest = closed.digest()
    key = DiskCache.key(b"public-text-in-closed")
    memo = store.get(key) if sources is not None else None
    known = memo[1] if isinstance(memo, tuple) and len(memo) == 2 and memo[0] == closed_digest else {}
    seen: dict[str, tuple[bytes, set[tuple[str, ...]], set[str]]] = {}
    for unit, texts in published_units(content, bilag_text, withheld):
        digest = sources.get(unit) if sources is not None else None
        hit = known.get(unit)
        if digest is not None and hit is not None and hit[0] == digest:
            found = hit[1], hit[2]
        else:
            found = closed.found(texts())
        if digest is not None:
            seen[unit] = (digest, *found)
        shingles |= found[0]
        phrases |= found[1]
    if sources is not None and (seen != known):
        store.put(key, (closed_digest, seen))
    closed.forget(shingles, phrases)
    return closed
