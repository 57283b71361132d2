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

from icalendar import Calendar, Event

from . import urls
from .clock import TIMEZONE
from .feeds import updated
from .linker import Site
from .model import Meeting
from .views import bodies_name, meeting_summary

PRODID = "-//Rådsarkiv//Rådsarkiv//DA"
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


def _event(site: Site, meeting: Meeting, stamp: dt.datetime) -> Event:
    base = str(site.config.base_url)
    home, day, sequence = _identity(meeting)
    address = urls.absolute(base, urls.meeting(meeting))
    name = bodies_name(site, meeting)
    event = Event()
    event.add("uid", str(uuid.uuid5(uuid.NAMESPACE_URL, f"{base}udvalg/{home}/{day}/{sequence}")))
    event.add("dtstamp", stamp.astimezone(dt.timezone.utc))
    date = meeting.meta.date
    if meeting.meta.start:
        event.add("dtstart", dt.datetime.combine(date, dt.time.fromisoformat(meeting.meta.start), TIMEZONE))
        if meeting.meta.end:
            event.add("dtend", dt.datetime.combine(date, dt.time.fromisoformat(meeting.meta.end), TIMEZONE))
    else:
        event.add("dtstart", date)
        event.add("dtend", date + dt.timedelta(days=1))
    event.add("summary", name if len(meeting.meta.bodies) > 1 else f"Møde i {name}")
    if meeting.meta.place:
        event.add("location", meeting.meta.place)
    event.add("url", address)
    event.add("description", f"{meeting_summary(site, meeting)}.\n\n{address}")
    return event


def calendar(site: Site, title: str, meetings: list[Meeting]) -> bytes:
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
    by_event: dict[tuple[str, str, int], list[Meeting]] = {}
    for meeting in meetings:
        by_event.setdefault(_identity(meeting), []).append(meeting)
    for meeting in shown:
        documents = by_event[_identity(meeting)]  # the dagsorden's changes count too
        cal.add_component(_event(site, meeting, max(updated(site, m) for m in documents)))
    if any(m.meta.start for m in shown):
        years = [m.meta.date.year for m in shown]  # the zone's rules for the years the events fall in, no more
        cal.add_missing_timezones(first_date=dt.date(min(years) - 1, 1, 1), last_date=dt.date(max(years) + 1, 12, 31))
    return cal.to_ical()


def builders(site: Site) -> dict[str, Callable[[], bytes]]:
    """Every calendar file of the site by output path, made when called."""
    made: dict[str, Callable[[], bytes]] = {
        urls.CALENDAR: partial(calendar, site, f"{site.config.title}: alle møder", site.content.meetings),
    }
    for slug, body in sorted(site.content.bodies.items()):
        organisation = site.config.organisations[body.meta.organisation].name
        made[urls.body_calendar(slug)] = partial(calendar, site, f"{body.meta.name} ({organisation})",
                                                 site.meetings_by_body.get(slug, []))
    return made
