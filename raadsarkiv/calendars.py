"""iCalendar files of the meetings: one for the whole archive (`kalender.ics`), one per body.

One event per meeting, whatever documents it has: its referat if there is one, else its
dagsorden, so an agenda published before the meeting reaches a subscriber's calendar and the
event then links to the minutes (its UID stays, being made from the body, date and sequence).
A meeting with a start time is an event in Europe/Copenhagen (with the zone's VTIMEZONE), one
without is an all-day event; a meeting whose date is known only to the month or year is left
out. Made from the linked public site only, with nothing of the time of the build: DTSTAMP is
the last commit that changed the meeting's files (history.py), else the meeting's date.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from functools import partial
from pathlib import Path

from icalendar import Calendar, Event, Timezone

from . import urls
from .buildcache import DiskCache
from .clock import TIMEZONE
from .feeds import updated
from .linker import Site
from .model import Meeting
from .views import bodies_name, meeting_summary, summary, ui_of

PRODID = "-//Rådsarkiv//Rådsarkiv//DA"
END = b"END:VCALENDAR\r\n"
CACHE_DIR = Path(".cache") / "calendar"  # EventCache
DESCRIPTION = 300  # characters of the meeting's summary an event describes it with (calendar programs show little more)
REFRESH = dt.timedelta(hours=12)  # how often calendar programs are asked to fetch the file again (also X-PUBLISHED-TTL)


def _identity(meeting: Meeting) -> tuple[str, str, int]:
    """A meeting as one event: its home body, its date and which of the day's meetings; not its kind."""
    return meeting.meta.home, meeting.meta.when.isoformat(), meeting.meta.sequence or 1


def events(meetings: list[Meeting]) -> list[Meeting]:
    """The meeting document each event shows (referat before dagsorden), of meetings with a whole date, by date."""
    chosen: dict[tuple[str, str, int], Meeting] = {}
    for meeting in meetings:
        if meeting.meta.precision != "day":
            continue
        key = _identity(meeting)
        if key not in chosen or meeting.meta.kind == "referat":
            chosen[key] = meeting
    return sorted(chosen.values(), key=lambda m: (m.meta.date, m.meta.sequence or 1, m.meta.home))


EventFacts = tuple[str, dt.datetime, dt.date | dt.datetime, dt.date | dt.datetime | None, str, str | None, str, str]


def _facts(site: Site, meeting: Meeting, stamp: dt.datetime) -> EventFacts:
    """Everything an event shows, in order: UID, DTSTAMP, DTSTART, DTEND, SUMMARY, LOCATION, URL, DESCRIPTION."""
    base = str(site.config.base_url)
    home, day, sequence = _identity(meeting)
    address = urls.absolute(base, urls.meeting(meeting))
    name = bodies_name(site, meeting)
    date, meta = meeting.meta.date, meeting.meta
    start: dt.date | dt.datetime = date
    end: dt.date | dt.datetime | None = date + dt.timedelta(days=1)  # an all-day event ends the next day
    if meta.start:
        start = dt.datetime.combine(date, dt.time.fromisoformat(meta.start), TIMEZONE)
        end = dt.datetime.combine(date, dt.time.fromisoformat(meta.end), TIMEZONE) if meta.end else None
    return (
        str(uuid.uuid5(uuid.NAMESPACE_URL, f"{base}udvalg/{home}/{day}/{sequence}")), stamp.astimezone(dt.timezone.utc),
        start, end, name if len(meta.bodies) > 1 else ui_of(site).gettext("Meeting of {body}", body=name), meta.place, address,
        f"{summary(meeting_summary(site, meeting), DESCRIPTION)}\n\n{address}",
    )


def _event(facts: EventFacts) -> bytes:
    """One VEVENT, serialised by icalendar."""
    uid, stamp, start, end, title, place, address, description = facts
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", start)
    if end is not None:
        event.add("dtend", end)
    event.add("summary", title)
    if place:
        event.add("location", place)
    event.add("url", address)
    event.add("description", description)
    return event.to_ical()


class EventCache:
    """Serialised events by what they show. icalendar takes about a millisecond to write an event, and the
    archive's calendar holds every meeting, so an edit of one meeting would write them all again: events
    are kept in memory (the preview) and in .cache/calendar/ (a build), and only new or changed ones are
    written. A damaged or missing cache costs time only."""

    def __init__(self, store: DiskCache | None = None) -> None:
        self.store = store
        found = store.get(DiskCache.key(b"events")) if store is not None else None
        self.events: dict[EventFacts, bytes] = found if isinstance(found, dict) else {}
        self.used: set[EventFacts] = set()
        self.changed = False

    def get(self, facts: EventFacts) -> bytes:
        self.used.add(facts)
        if facts not in self.events:
            self.events[facts] = _event(facts)
            self.changed = True
        return self.events[facts]

    def save(self, complete: bool = True) -> None:
        """Store the events, forgetting those no calendar of this build used once they outnumber the used ones.
        `complete` says every calendar was made: a preview rebuild makes only the affected ones (or none),
        and forgetting what it did not use would empty the cache for the next rebuild."""
        if complete and len(self.events) > 2 * len(self.used) + 100:
            self.events = {facts: self.events[facts] for facts in self.used}
            self.changed = True
        if self.store is not None and self.changed:
            self.store.put(DiskCache.key(b"events"), self.events)
        self.changed = False


def calendar(site: Site, title: str, meetings: list[Meeting], cache: EventCache) -> bytes:
    """A calendar named `title` with an event for each of `meetings` (events())."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("name", title)
    cal.add("x-wr-calname", title)
    cal.add("x-wr-timezone", "Europe/Copenhagen")
    cal.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", "PT12H")  # the older, non-standard form of REFRESH-INTERVAL
    shown = events(meetings)
    if any(m.meta.start for m in shown):
        years = [m.meta.date.year for m in shown]  # the zone's rules for the years the events fall in, no more
        cal.add_component(Timezone.from_tzinfo(TIMEZONE, "Europe/Copenhagen", dt.date(min(years) - 1, 1, 1), dt.date(max(years) + 1, 12, 31)))
    by_event: dict[tuple[str, str, int], list[Meeting]] = {}
    for meeting in meetings:
        by_event.setdefault(_identity(meeting), []).append(meeting)
    written = [cache.get(_facts(site, m, max(updated(site, d) for d in by_event[_identity(m)]))) for m in shown]  # DTSTAMP: the dagsorden's changes count too
    frame = cal.to_ical()
    assert frame.endswith(END)
    return frame[: -len(END)] + b"".join(written) + END


def builders(site: Site, cache: EventCache | None = None) -> dict[str, Callable[[], bytes]]:
    """Every calendar file of the site by output path, made when called (`cache`: events written before)."""
    cache = cache or EventCache()
    made: dict[str, Callable[[], bytes]] = {
        urls.CALENDAR: partial(calendar, site, ui_of(site).gettext("{title}: all meetings", title=site.config.title),
                               [m for m in site.content.meetings if not m.agenda_version], cache),  # a meeting once
    }
    for slug, body in sorted(site.content.bodies.items()):
        organisation = site.config.organisations[body.meta.organisation].name
        made[urls.body_calendar(slug)] = partial(calendar, site, f"{body.meta.name} ({organisation})",
                                                 site.meetings_by_body.get(slug, []), cache)
    return made
