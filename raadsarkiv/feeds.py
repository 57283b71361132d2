"""Atom feeds of new and changed meetings: one for the whole archive (`feed.xml`), one per body.

Made from the linked public site only (what views.py sees): a meeting's name, its public
summary (item titles, which are public for closed items too), its corrections and its address.
The output depends on nothing but the content and its git history (history.py): an entry's id
is derived from the meeting's address, `updated` is the last commit that changed the meeting's
file (without git: its latest correction or, failing that, its date), so the same input gives
the same bytes.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from functools import partial

from feedgen.feed import FeedGenerator

from . import urls
from .clock import TIMEZONE
from .linker import Site
from .model import Meeting
from .views import bodies_name, long_date, ui_of, meeting_name, meeting_summary

FEED_ENTRIES = 50  # the newest entries a feed holds; readers keep what they saw before
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)  # `updated` of a feed without entries (Atom requires one)


def stable_id(address: str) -> str:
    """A permanent id made from a public address (a name-based UUID, RFC 4122): the same address, the same id."""
    return uuid.uuid5(uuid.NAMESPACE_URL, address).urn


def midnight(day: dt.date) -> dt.datetime:
    """The start of a day in Danish time."""
    return dt.datetime.combine(day, dt.time(), TIMEZONE)


def updated(site: Site, meeting: Meeting) -> dt.datetime:
    """When a meeting's file last changed: its last commit, else its latest correction, else its date."""
    found = site.history.get(meeting.path)
    if found is not None:
        return found.last
    return midnight(max([meeting.meta.date, *(c.date for c in meeting.meta.rettelser)]))


def published(site: Site, meeting: Meeting) -> dt.datetime:
    """When a meeting's file was first committed, else its date."""
    found = site.history.get(meeting.path)
    return found.first if found is not None else midnight(meeting.meta.date)


def _summary(site: Site, meeting: Meeting) -> str:
    """The entry's text: the meeting's public summary, then its corrections."""
    ui = ui_of(site)
    text = meeting_summary(site, meeting) + "."
    if meeting.meta.rettelser:
        corrections = " ".join(f"{long_date(c.date, ui)}: {c.note}" for c in meeting.meta.rettelser)
        text += " " + ui.gettext("Corrections: {corrections}", corrections=corrections)
    return text


def feed(site: Site, output: str, page: str, title: str, meetings: list[Meeting]) -> bytes:
    """An Atom feed at `output`, following the page `page`, of the newest FEED_ENTRIES of `meetings`."""
    base = str(site.config.base_url)
    newest = sorted(meetings, key=lambda m: (updated(site, m), m.meta.date, m.meta.sequence or 1, m.path), reverse=True)[:FEED_ENTRIES]
    generator = FeedGenerator()
    generator.id(stable_id(urls.absolute(base, output)))
    generator.title(title)
    generator.author({"name": site.config.title})
    generator.link(href=urls.absolute(base, output), rel="self", type="application/atom+xml")
    generator.link(href=urls.absolute(base, page), rel="alternate", type="text/html")
    generator.language(site.config.language)
    generator.updated(max((updated(site, m) for m in newest), default=EPOCH))
    for meeting in reversed(newest):  # feedgen writes the entry added last first
        address = urls.absolute(base, urls.meeting(meeting))
        entry = generator.add_entry()
        entry.id(stable_id(address))
        entry.title(meeting_name(site, meeting))
        entry.link(href=address, rel="alternate", type="text/html")
        entry.summary(_summary(site, meeting), type="text")
        entry.published(published(site, meeting))
        entry.updated(updated(site, meeting))
        entry.author({"name": bodies_name(site, meeting)})
    return generator.atom_str(pretty=True)


def builders(site: Site) -> dict[str, Callable[[], bytes]]:
    """Every feed of the site by output path, made when called."""
    ui = ui_of(site)
    made: dict[str, Callable[[], bytes]] = {
        urls.FEED: partial(feed, site, urls.FEED, urls.HOME, ui.gettext("{title}: new and changed meetings", title=site.config.title),
                           [m for m in site.content.meetings if not m.agenda_version]),  # a meeting once: its referat
    }
    for slug, body in sorted(site.content.bodies.items()):
        organisation = site.config.organisations[body.meta.organisation].name
        made[urls.body_feed(slug)] = partial(feed, site, urls.body_feed(slug), urls.body(slug),
                                             ui.gettext("{body} ({organisation}): new and changed meetings", body=body.meta.name,
                                                        organisation=organisation),
                                             site.meetings_by_body.get(slug, []))
    return made
