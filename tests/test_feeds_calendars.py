"""Atom feeds and iCalendar files of the built sample, read with real parsers (feedparser, icalendar)."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path
from zoneinfo import ZoneInfo

import feedparser
import pytest
from icalendar import Calendar

from conftest import copy_project
from raadsarkiv import calendars
from raadsarkiv.buildcache import DiskCache
from raadsarkiv.leakgate import Gate, Secret
from raadsarkiv.pipeline import build, check

COPENHAGEN = ZoneInfo("Europe/Copenhagen")
BASE = "https://raadsarkiv.example.dk/"
BODY = "eksempeludvalget"
# Every public meeting page of the sample, from the built site itself.
MEETING_PAGE = re.compile(r"udvalg/[^/]+/\d{4}(-\d{2})?(-\d{2})?-(referat|dagsorden)(-\d+)?/index\.html")


def meeting_pages(site: Path) -> set[str]:
    """Every meeting's page (not the redirect from a dagsorden's old address to its meeting: a meeting once)."""
    return {p.relative_to(site).as_posix() for p in site.rglob("index.html") if MEETING_PAGE.fullmatch(p.relative_to(site).as_posix())
            and 'http-equiv="refresh"' not in p.read_text(encoding="utf-8")}


def address_of(page: str) -> str:
    return BASE + page.removesuffix("index.html")


def parse_feed(path: Path) -> feedparser.FeedParserDict:
    parsed = feedparser.parse(path.read_bytes())
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    return parsed


def parse_calendar(path: Path) -> Calendar:
    return Calendar.from_ical(path.read_bytes())


def test_the_archive_feed_lists_every_public_meeting_newest_first(sample_site: Path) -> None:
    feed = parse_feed(sample_site / "feed.xml")
    assert feed.feed.title == "Rådsarkiv: nye og ændrede møder"
    assert feed.feed.language == "da"
    links = {entry.link for entry in feed.entries}
    assert links == {address_of(page) for page in meeting_pages(sample_site)}
    updated = [dt.datetime(*entry.updated_parsed[:6]) for entry in feed.entries]
    assert updated == sorted(updated, reverse=True)
    assert len({entry.id for entry in feed.entries}) == len(feed.entries)
    assert all(entry.id.startswith("urn:uuid:") for entry in feed.entries)
    referat = next(e for e in feed.entries if e.link == BASE + "udvalg/eksempeludvalget/2024-01-22-referat/")
    assert referat.title == "Referat: Eksempeludvalget, Aalborg Kommune, 22. januar 2024"
    assert "Personalesag (eksempel)" in referat.summary  # a closed item's title is public; nothing else of it is
    # Without git (the sample is built from a copy) an entry was last updated on its meeting's day, Danish time.
    assert referat.updated == "2024-01-22T00:00:00+01:00"


def test_a_body_feed_holds_the_body_s_meetings_joint_ones_included(sample_site: Path) -> None:
    own = parse_feed(sample_site / f"udvalg/{BODY}/feed.xml")
    other = parse_feed(sample_site / "udvalg/integrationsraadet-aalborg/feed.xml")
    assert {e.link for e in own.entries} == {address_of(p) for p in meeting_pages(sample_site) if p.startswith(f"udvalg/{BODY}/")}
    joint = BASE + f"udvalg/{BODY}/2024-06-10-referat/"
    assert joint in {e.link for e in other.entries}
    self_link = next(link.href for link in own.feed.links if link.rel == "self")
    assert self_link == BASE + f"udvalg/{BODY}/feed.xml"


@pytest.mark.parametrize("page, feed", [("index.html", "feed.xml"), (f"udvalg/{BODY}/index.html", f"udvalg/{BODY}/feed.xml")])
def test_pages_link_the_feed_that_follows_them(sample_site: Path, page: str, feed: str) -> None:
    html = (sample_site / page).read_text(encoding="utf-8")
    hrefs = re.findall(r'<link rel="alternate" type="application/atom\+xml" title="[^"]+" href="([^"]+)">', html)
    assert len(hrefs) == 1
    assert ((sample_site / page).parent / hrefs[0]).resolve() == (sample_site / feed).resolve()


def test_a_body_page_offers_its_calendar_and_feed(sample_site: Path) -> None:
    html = (sample_site / f"udvalg/{BODY}/index.html").read_text(encoding="utf-8")
    assert f'href="webcal://raadsarkiv.example.dk/udvalg/{BODY}/kalender.ics"' in html
    assert 'href="../../udvalg/eksempeludvalget/kalender.ics"' in html
    assert "Abonnér på møderne i Eksempeludvalget" in html and "Din kalender henter selv nye møder" in html


def test_calendars_hold_one_event_per_dated_meeting_in_copenhagen_time(sample_site: Path) -> None:
    cal = parse_calendar(sample_site / f"udvalg/{BODY}/kalender.ics")
    assert str(cal["X-WR-CALNAME"]) == "Eksempeludvalget (Aalborg Kommune)"
    zones = cal.walk("VTIMEZONE")
    assert [str(z["TZID"]) for z in zones] == ["Europe/Copenhagen"]
    assert {c.name for c in zones[0].subcomponents} == {"STANDARD", "DAYLIGHT"}
    events = {str(e["URL"]): e for e in cal.walk("VEVENT")}
    dated = {address_of(p) for p in meeting_pages(sample_site) if p.startswith(f"udvalg/{BODY}/") and "2014-03" not in p}
    assert set(events) == dated  # the meeting known only to the month (2014-03) is left out
    meeting = events[BASE + "udvalg/eksempeludvalget/2024-01-22-referat/"]
    start, end = meeting.decoded("DTSTART"), meeting.decoded("DTEND")
    assert start == dt.datetime(2024, 1, 22, 16, 0, tzinfo=COPENHAGEN) and start.utcoffset() == dt.timedelta(hours=1)
    assert end == dt.datetime(2024, 1, 22, 17, 45, tzinfo=COPENHAGEN)
    assert str(meeting["LOCATION"]) == "Mødelokale 1 (eksempel)"
    assert str(meeting["SUMMARY"]) == "Møde i Eksempeludvalget"
    assert meeting.decoded("DTSTAMP") == dt.datetime(2024, 1, 22, tzinfo=COPENHAGEN)  # no git: the meeting's day
    assert len({str(e["UID"]) for e in events.values()}) == len(events)


def test_a_meeting_without_a_start_time_is_an_all_day_event(sample_site: Path) -> None:
    cal = parse_calendar(sample_site / "kalender.ics")
    events = {str(e["URL"]): e for e in cal.walk("VEVENT")}
    untimed = [e for e in events.values() if not isinstance(e.decoded("DTSTART"), dt.datetime)]
    assert untimed, "the sample has meetings without a start time"
    for event in untimed:
        assert event.decoded("DTEND") - event.decoded("DTSTART") == dt.timedelta(days=1)
    # The whole archive's calendar has a joint meeting once.
    assert sum(url.endswith("/2024-06-10-referat/") for url in events) == 1


def test_a_referat_takes_over_its_dagsorden_s_event(tmp_path: Path) -> None:
    """The agenda reaches the calendar first; when the minutes of that meeting arrive, the same event (same UID)
    links to them."""
    root = copy_project(tmp_path / "project")
    build(root, root / "output")
    path = f"udvalg/{BODY}/kalender.ics"
    before = {str(e["UID"]): str(e["URL"]) for e in parse_calendar(root / "output" / path).walk("VEVENT")}
    agenda = (root / f"content/meetings/{BODY}/2024-01-15-dagsorden.md").read_text(encoding="utf-8")
    (root / f"content/meetings/{BODY}/2024-01-15-referat.md").write_text(
        agenda.replace("kind: dagsorden", "kind: referat"), encoding="utf-8")
    build(root, root / "output")
    after = {str(e["UID"]): str(e["URL"]) for e in parse_calendar(root / "output" / path).walk("VEVENT")}
    assert after.keys() == before.keys()
    changed = {uid for uid in after if after[uid] != before[uid]}
    assert len(changed) == 1
    assert before[changed.pop()].endswith("/2024-01-15-dagsorden/")
    assert BASE + f"udvalg/{BODY}/2024-01-15-referat/" in after.values()


def test_feeds_and_calendars_are_the_same_on_every_build(sample_site: Path, tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")
    build(root, root / "output", incremental=False)
    files = [p.relative_to(sample_site) for p in sample_site.rglob("*") if p.suffix in (".xml", ".ics")]
    assert {"feed.xml", "kalender.ics", f"udvalg/{BODY}/feed.xml", f"udvalg/{BODY}/kalender.ics"} <= {f.as_posix() for f in files}
    for rel in files:
        assert (root / "output" / rel).read_bytes() == (sample_site / rel).read_bytes(), rel


def test_the_leak_gate_reads_folded_calendar_lines(tmp_path: Path) -> None:
    """iCalendar folds long lines anywhere, even inside a word, and escapes line breaks as \\n: the gate reads
    the text as a calendar program shows it, so a closed sentence in a DESCRIPTION is found."""
    secret = "Forvaltningen foreslår at afskedige medarbejderen på grund af gentagne samarbejdsvanskeligheder"
    gate = Gate.build([Secret("closed item", "content/x.md", 3, secret)], [], [])
    folded = "DESCRIPTION:Referat\\nForvaltningen foreslår at afske\r\n dige medarbejderen på grund af gen\r\n tagne samarbejdsvanskeligheder\r\n"
    (tmp_path / "kalender.ics").write_bytes(f"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\n{folded}END:VEVENT\r\nEND:VCALENDAR\r\n".encode())
    assert [leak.output for leak in gate.scan(tmp_path)] == ["kalender.ics"]
    shutil.copy(tmp_path / "kalender.ics", tmp_path / "kalender.txt")  # the same bytes, not read as a calendar
    assert {leak.output for leak in gate.scan(tmp_path)} == {"kalender.ics"}


def test_events_kept_in_the_build_cache_are_the_events_written_anew(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")
    build(root, root / "output")
    checked = check(root)
    assert checked.site is not None
    stored = calendars.EventCache(DiskCache(root / calendars.CACHE_DIR))
    assert len(stored.events) >= 8  # the build kept every event it wrote
    fresh = {output: make() for output, make in calendars.builders(checked.site, calendars.EventCache()).items()}
    assert {output: make() for output, make in calendars.builders(checked.site, stored).items()} == fresh
    assert not stored.changed  # every event came from the cache
    for entry in (root / calendars.CACHE_DIR).glob("*.bin"):
        entry.write_bytes(entry.read_bytes()[:-5] + b"xxxxx")  # damaged: ignored, the events are written again
    damaged = calendars.EventCache(DiskCache(root / calendars.CACHE_DIR))
    assert damaged.events == {} and {o: make() for o, make in calendars.builders(checked.site, damaged).items()} == fresh


def test_a_preview_rebuild_that_makes_no_calendar_keeps_the_cached_events(tmp_path: Path) -> None:
    """The preview re-renders only affected outputs, often no calendar at all. Its EventCache used none of the
    stored events, and forgetting the unused ones emptied the cache: the next edit serialised every event of
    the archive again (1,011 at 1,000 meetings)."""
    from raadsarkiv.pipeline import render_site

    root = copy_project(tmp_path / "project")
    checked = check(root)
    assert checked.site is not None
    store = DiskCache(root / calendars.CACHE_DIR)
    many = {("unused event", number): b"BEGIN:VEVENT\r\nEND:VEVENT\r\n" for number in range(150)}  # more than the pruning threshold
    store.put(DiskCache.key(b"events"), many)
    render_site(root, checked.site, only=set())  # a rebuild that made no calendar
    assert calendars.EventCache(store).events.keys() >= many.keys()
    render_site(root, checked.site)  # a full render made every calendar: unused events may go
    kept = calendars.EventCache(store).events
    assert not kept.keys() & many.keys() and len(kept) >= 8
