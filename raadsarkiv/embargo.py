"""Drafts and embargo: files that are valid but not published yet.

A meeting, strategy or page with `draft: true`, or with a `publish_after` time still in the
future, is loaded, validated and link-checked like any file, and then held back: `without`
leaves it out of the content the site is made from, so it is in no page, list, feed,
calendar, sitemap or search index. The leak gate does not trust that: it is told which files
were held back and fingerprints their text like closed content (fingerprints.py).

The preview (`serve`) holds nothing back; it marks those pages instead (views.py).
Only `held_back` decides; the time it is given is read in one place (clock.py).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .errors import Problems
from .model import Content, LinkRef, Meeting, Page, Strategy
from .refs import BadRef, bilag_path, parse_href

Owner = Meeting | Strategy | Page


@dataclass(frozen=True)
class Withheld:
    """Why a file is not published: a draft, or an embargo until a time (aware)."""

    draft: bool
    until: dt.datetime | None

    def reason(self) -> str:
        """For messages: 'a draft (draft: true)', 'under embargo until 2024-01-22 12:00+01:00 (publish_after)'."""
        if self.draft:
            return "a draft (draft: true)"
        assert self.until is not None
        return f"under embargo until {self.until.isoformat(' ', 'minutes')} (publish_after)"


def _owners(content: Content) -> list[Owner]:
    return [*content.meetings, *content.strategies.values(), *content.pages.values()]


def held_back(content: Content, now: dt.datetime) -> dict[str, Withheld]:
    """Every file that must not be published at `now`, by its path (`content/…`)."""
    held = {}
    for owner in _owners(content):
        meta = owner.meta
        if meta.draft or (meta.publish_after is not None and now < meta.publish_after):
            held[owner.path] = Withheld(meta.draft, meta.publish_after)
    return held


def next_release(content: Content, now: dt.datetime) -> dt.datetime | None:
    """The earliest `publish_after` still to come of a file that is no draft: when the site changes by itself."""
    pending = [o.meta.publish_after for o in _owners(content)
               if not o.meta.draft and o.meta.publish_after is not None and now < o.meta.publish_after]
    return min(pending, default=None)


def without(content: Content, held: dict[str, Withheld]) -> Content:
    """The content to publish: everything but the held-back files."""
    if not held:
        return content
    return Content(
        bodies=content.bodies,
        meetings=[m for m in content.meetings if m.path not in held],
        strategies={slug: s for slug, s in content.strategies.items() if s.path not in held},
        pages={slug: p for slug, p in content.pages.items() if p.path not in held},
        bilag_files=content.bilag_files,
        failed=content.failed,
    )


def _links(content: Content) -> list[LinkRef]:
    links = [link for owner in _owners(content) for link in owner.links]
    return links + [link for body in content.bodies.values() for link in body.links]


def _target(link: LinkRef) -> str | None:
    try:
        path = parse_href(link.source, link.href).path
    except BadRef:
        return None  # reported by the link check
    return f"content/{path}" if path else None


def check_links(content: Content, held: dict[str, Withheld], problems: Problems) -> None:
    """A published file must not link to a held-back one: the link would lead nowhere."""
    for link in _links(content):
        target = _target(link)
        if link.source not in held and target in held and not link.no_file:
            problems.error(link.source, link.line, f"link to {target}, which is not published: it is {held[target].reason()}; "
                           "remove the link until that file is published, or publish it (remove `draft`, or an earlier `publish_after`)")


def held_bilag(content: Content, held: dict[str, Withheld]) -> set[str]:
    """Bilag that only held-back files link to: not published, and fingerprinted by the leak gate."""
    linked_by_held: set[str] = set()
    linked_by_published: set[str] = set()
    for link in _links(content):
        rel = bilag_path(link.source, link.href) if not link.no_file else None
        if rel:
            (linked_by_held if link.source in held else linked_by_published).add(rel)
    return linked_by_held - linked_by_published
