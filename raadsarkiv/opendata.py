"""Open data: the public archive as JSON shaped after OParl 1.1, one object per URL under `data/`.

Made from the linked public site only (what views.py gets): a closed item is its number, its
title and `"public": false` (plus its decision, for `{lukket offentlig-beslutning}`), a closed
bilag is not there, and people are only those of the structured attendance (people.py).
Every object's `id` is its absolute URL (`base_url` + its path); the output holds no build
time, so the same content gives the same bytes. Documented for reusers in docs/open-data.md.

Layout (every path under `data/`):
    system.json                                   System
    bodies.json                                   list of Body (an organisation: a kommune)
    bodies/<org>.json                             Body
    bodies/<org>/{organizations,people,papers}.json   lists of the Body
    bodies/<org>/meetings.json, meetings/<year>.json  its meetings, a page per year, oldest first
    bodies/<org>/bulk/<year>.json                 a year of the Body in one file (bulk download)
    organizations/<body>.json                     Organization (a råd or udvalg)
    meetings/<body>/<date>-referat.json           Meeting, with its AgendaItems embedded
    agendaitems/<body>/<date>-referat/<number>.json AgendaItem
    locations/<body>/<date>-referat.json          Location (where the meeting has a place)
    documents/<body>/<date>-referat/<kind>.json   File: the meeting's dagsorden (invitation) or referat (resultsProtocol)
    files/<body>/<date>/<name>-<ext>.json         File (a public bilag)
    persons/<id>.json                             Person, with its Memberships embedded
    memberships/<id>/<body>[-<role>].json         Membership

A meeting is one Meeting, whichever of its documents exist (documents.py): named after the address its page has
once it has a referat (`<date>-referat`, `urls.minutes_folder`) even while it has only a dagsorden, so its id does
not change when the referat comes. Its items, attendance and place are the referat's when it has one, else the
dagsorden's; the dagsorden is its `invitation`, the referat its `resultsProtocol` (Files whose accessUrl is the page).

Lists and bulk files are split by year so that an edit rewrites a year, not the archive
(depends.py declares what each file is made from; the incremental build renders only those).
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo

from . import urls
from .document import text_of
from .linker import BilagInfo, Site
from .markdown import slugify
from .model import AgendaItem, Meeting
from .people import Appearance, appearances, latest
from .views import KIND_LABEL, Linker, case_pages, meeting_name, ui_of
from .views import people_of as people_of_site

OPARL = "https://schema.oparl.org/1.1/"
PREFIX = "raadsarkiv:"  # properties of our own (OParl allows extensions with a prefix)
TIMEZONE = ZoneInfo("Europe/Copenhagen")
DATA = "data/"
MIME = {
    ".pdf": "application/pdf", ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".doc": "application/msword", ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".xls": "application/vnd.ms-excel", ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".odt": "application/vnd.oasis.opendocument.text", ".ods": "application/vnd.oasis.opendocument.spreadsheet",
    ".txt": "text/plain", ".csv": "text/csv", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
    ".zip": "application/zip",
}
MEETING_STATE = {"dagsorden": "eingeladen", "referat": "durchgeführt"}  # the values OParl 1.1 recommends


class Paths:
    """Where each object lives: output paths under data/ (static methods; depends.py uses them too) and their URLs."""

    def __init__(self, site: Site) -> None:
        self.base = str(site.config.base_url)

    def url(self, output: str) -> str:
        return urls.quote(self.base + output)

    @staticmethod
    def meeting_key(meeting: Meeting) -> str:
        """The meeting's name, the same for its dagsorden and its referat: <body>/<date>-referat[-2]."""
        return urls.minutes_folder(meeting).removeprefix("udvalg/")

    @staticmethod
    def meeting(meeting: Meeting) -> str:
        return f"{DATA}meetings/{Paths.meeting_key(meeting)}.json"

    @staticmethod
    def item(meeting: Meeting, item: AgendaItem) -> str:
        return f"{DATA}agendaitems/{Paths.meeting_key(meeting)}/{item.number}.json"

    @staticmethod
    def location(meeting: Meeting) -> str:
        return f"{DATA}locations/{Paths.meeting_key(meeting)}.json"

    @staticmethod
    def document(meeting: Meeting) -> str:
        """A meeting document (its dagsorden or referat) as a File."""
        return f"{DATA}documents/{Paths.meeting_key(meeting)}/{meeting.meta.kind}.json"

    @staticmethod
    def file(info: BilagInfo) -> str:
        return DATA + "files/" + urls.bilag_page(info.rel).removeprefix("bilag/").removesuffix("/index.html") + ".json"

    @staticmethod
    def body(org: str, part: str = "") -> str:
        return f"{DATA}bodies/{org}/{part}.json" if part else f"{DATA}bodies/{org}.json"

    @staticmethod
    def bulk(org: str, year: int | None) -> str:
        return f"{DATA}bodies/{org}/bulk/{year if year is not None else 'alle'}.json"

    @staticmethod
    def organization(slug: str) -> str:
        return f"{DATA}organizations/{slug}.json"

    @staticmethod
    def person(pid: str) -> str:
        return f"{DATA}persons/{pid}.json"

    @staticmethod
    def membership(pid: str, body: str, role: str | None) -> str:
        return f"{DATA}memberships/{pid}/{body}{'-' + slugify(role) if role else ''}.json"


def _start(day: dt.date, time: str | None) -> str | None:
    """A meeting's start or end as an OParl date-time in Danish time, or None without a time."""
    if time is None:
        return None
    hour, minute = (int(part) for part in time.split(":"))
    return dt.datetime.combine(day, dt.time(hour, minute), TIMEZONE).isoformat()


def _prune(obj: dict[str, Any]) -> dict[str, Any]:
    """Leave out what is unknown (None) or empty: OParl leaves out properties without a value."""
    return {key: value for key, value in obj.items() if value is not None and value != [] and value != ""}


class _Export:
    """The OParl objects of one public site, made on demand (a meeting once: several files hold it)."""

    def __init__(self, site: Site, bilag_text: dict[str, str | None]) -> None:
        self.site = site
        self.texts = bilag_text
        self.paths = Paths(site)
        self.link = Linker(site, DATA + "index.json")  # fragments: only their text is used
        self.people = people_of_site(site)
        self.layout = layout(site)
        self.made: dict[str, dict[str, Any]] = {}  # meeting objects by path
        self.cases = set(case_pages(site))  # case numbers (urls.case_slug) with a case page
        self.files_of_item: dict[tuple[str, str], list[BilagInfo]] = defaultdict(list)
        for info in site.bilag.values():
            for ref in info.referrers:
                self.files_of_item[(ref.meeting.path, ref.item.number)].append(info)
        self.main_document = {m.identity: m for m in self.layout.meetings}  # the document a meeting's object is made of

    def documents(self, meeting: Meeting) -> list[Meeting]:
        """A meeting's documents: the one its object is made of (the referat, if it has one), then its agenda version."""
        agenda = self.layout.agendas.get(meeting.identity)
        return [meeting] + ([agenda] if agenda else [])

    def files_of(self, meeting: Meeting, number: str) -> list[BilagInfo]:
        """The public bilag of a meeting's item: the referat's item's, then those only its dagsorden's item of that
        number links (a meeting's item once)."""
        found = {info.rel: info for doc in self.documents(meeting) for info in self.files_of_item.get((doc.path, number), [])}
        return list(found.values())

    def item_of(self, ref_meeting: Meeting, number: str) -> str | None:
        """The id of the agenda item a document's item is in the data: its meeting's item of that number, if any."""
        meeting = self.main_document[ref_meeting.identity]
        item = next((i for i in meeting.items if i.number == number), None)
        return self.paths.url(self.paths.item(meeting, item)) if item else None

    def org_of(self, slug: str) -> str:
        return self.site.content.bodies[slug].meta.organisation

    # --- objects ---

    def system(self) -> dict[str, Any]:
        config = self.site.config
        return _prune({
            "id": self.paths.url(DATA + "system.json"), "type": OPARL + "System", "oparlVersion": OPARL,
            "license": str(config.data_license), "body": self.paths.url(DATA + "bodies.json"), "name": config.title,
            "website": str(config.base_url), "web": str(config.base_url),
        })

    def body(self, org: str) -> dict[str, Any]:
        config = self.site.config
        organisation = config.organisations[org]
        return _prune({
            "id": self.paths.url(self.paths.body(org)), "type": OPARL + "Body",
            "system": self.paths.url(DATA + "system.json"), "name": organisation.name,
            "website": str(organisation.url) if organisation.url else None, "license": str(config.data_license),
            **{part: self.paths.url(self.paths.body(org, plural)) for part, plural in
               (("organization", "organizations"), ("person", "people"), ("meeting", "meetings"), ("paper", "papers"))},
            "web": str(config.base_url),
        }) | {"legislativeTerm": []}  # required, even empty (so not pruned): the archive knows no election periods

    def organization(self, slug: str) -> dict[str, Any]:
        """A råd or udvalg. Its memberships are in its people's Person objects (an Organization listing them would
        change with every meeting of the body)."""
        body = self.site.content.bodies[slug]
        return _prune({
            "id": self.paths.url(self.paths.organization(slug)), "type": OPARL + "Organization",
            "body": self.paths.url(self.paths.body(body.meta.organisation)), "name": body.meta.name,
            "classification": body.meta.type, "organizationType": "Gremium",
            "web": self.paths.url(urls.pretty(urls.body(slug))),
        })

    def meeting(self, meeting: Meeting) -> dict[str, Any]:
        """A meeting with its agenda items (made once: it is in its own file, its year's list and bulk file)."""
        if meeting.path not in self.made:
            self.made[meeting.path] = self._meeting(meeting)
        return self.made[meeting.path]

    def _meeting(self, meeting: Meeting) -> dict[str, Any]:
        """`meeting` is the document the meeting's page shows: its referat, or its dagsorden while it has no referat."""
        meta = meeting.meta
        exact = meta.precision == "day"
        documents = {doc.meta.kind: doc for doc in self.documents(meeting)}
        numbers = {item.number for item in meeting.items}
        loose = {info.rel: info for doc in documents.values() if doc is not meeting for item in doc.items
                 if item.number not in numbers for info in self.files_of_item.get((doc.path, item.number), [])}
        return _prune({
            "id": self.paths.url(self.paths.meeting(meeting)), "type": OPARL + "Meeting",
            "name": meeting_name(self.site, meeting), "meetingState": MEETING_STATE[meta.kind],
            "start": _start(meta.date, meta.start) if exact else None, "end": _start(meta.date, meta.end) if exact else None,
            "location": self.location(meeting),
            "organization": [self.paths.url(self.paths.organization(slug)) for slug in meta.bodies],
            "participant": [self.paths.url(self.paths.person(pid)) for pid, a in appearances(meeting) if a.status == "present"],
            "invitation": self.document(documents["dagsorden"]) if "dagsorden" in documents else None,
            "resultsProtocol": self.document(documents["referat"]) if "referat" in documents else None,
            "auxiliaryFile": [self.file(info) for _, info in sorted(loose.items())],  # bilag of dagsorden items the referat lacks
            "agendaItem": [self.item(meeting, item) for item in meeting.items],
            "web": self.paths.url(urls.pretty(urls.meeting(meeting))),
            PREFIX + "date": meta.when.isoformat(), PREFIX + "kind": ui_of(self.site).gettext(KIND_LABEL[meta.kind]),
            PREFIX + "note": meta.note,
        })

    def document(self, document: Meeting) -> dict[str, Any]:
        """A meeting document as a File: its page (the agenda version's page, for a dagsorden whose meeting has a referat)."""
        page = self.paths.url(urls.pretty(urls.meeting(document)))
        return {"id": self.paths.url(self.paths.document(document)), "type": OPARL + "File",
                "name": meeting_name(self.site, document), "mimeType": "text/html", "accessUrl": page,
                "meeting": [self.paths.url(self.paths.meeting(document))], "web": page}

    def location(self, meeting: Meeting) -> dict[str, Any] | None:
        if not meeting.meta.place:
            return None
        return {"id": self.paths.url(self.paths.location(meeting)), "type": OPARL + "Location",
                "description": meeting.meta.place, "meetings": [self.paths.url(self.paths.meeting(meeting))]}

    def item(self, meeting: Meeting, item: AgendaItem) -> dict[str, Any]:
        """An agenda item as the public view has it: a closed one is its number, title and `public: false`."""
        sections = [{"name": s.name, "text": text_of(self.link.fragment(meeting.path, s.html)).strip()} for s in item.sections]
        decisions = [s["text"] for s, section in zip(sections, item.sections) if section.decision]
        case = item.meta.case_number
        return _prune({
            "id": self.paths.url(self.paths.item(meeting, item)), "type": OPARL + "AgendaItem",
            "meeting": self.paths.url(self.paths.meeting(meeting)), "number": item.number, "name": item.title,
            "public": not item.closed, "resolutionText": "\n\n".join(decisions),
            "auxiliaryFile": [self.file(info) for info in self.files_of(meeting, item.number)],
            "web": self.paths.url(urls.pretty(urls.meeting(meeting)) + "#" + item.anchor),
            PREFIX + "caseNumber": case, PREFIX + "kle": item.meta.kle, PREFIX + "documentNumber": item.meta.document_number,
            PREFIX + "case": self.paths.url(urls.pretty(urls.case(case))) if case and urls.case_slug(case) in self.cases else None,
            PREFIX + "sections": sections,
        })

    def file(self, info: BilagInfo) -> dict[str, Any]:
        suffix = "." + info.rel.rsplit(".", 1)[-1].lower() if "." in info.rel else ""
        public_file = self.paths.url(info.file)
        return _prune({
            "id": self.paths.url(self.paths.file(info)), "type": OPARL + "File", "name": info.title,
            "fileName": info.rel.rsplit("/", 1)[-1], "mimeType": MIME.get(suffix, "application/octet-stream"),
            "size": info.size, "text": self.texts.get(info.rel), "accessUrl": public_file, "downloadUrl": public_file,
            "meeting": list(dict.fromkeys(self.paths.url(self.paths.meeting(r.meeting)) for r in info.referrers)),
            "agendaItem": list(dict.fromkeys(i for i in (self.item_of(r.meeting, r.item.number) for r in info.referrers) if i)),
            "web": self.paths.url(urls.pretty(info.page)),
        })

    def person(self, pid: str) -> dict[str, Any]:
        found = self.people[pid]
        shown = latest(found)
        return _prune({
            "id": self.paths.url(self.paths.person(pid)), "type": OPARL + "Person",
            "body": self.paths.url(self.paths.body(self.org_of(found[0].meeting.meta.home))), "name": shown.name,
            "membership": [self.membership(pid, slug, role, mine) for (slug, role), mine in memberships(found).items()],
            "web": self.paths.url(urls.pretty(urls.person(pid))), PREFIX + "party": shown.party,
        })

    def membership(self, pid: str, slug: str, role: str | None, found: list[Appearance]) -> dict[str, Any]:
        """A person's place in a body, as the attendance lists show it: the role, and the first and last meeting
        listing them so (the archive does not know the formal term)."""
        return _prune({
            "id": self.paths.url(self.paths.membership(pid, slug, role)), "type": OPARL + "Membership",
            "person": self.paths.url(self.paths.person(pid)), "organization": self.paths.url(self.paths.organization(slug)),
            "role": role, PREFIX + "firstMeeting": found[0].meeting.meta.when.isoformat(),
            PREFIX + "lastMeeting": found[-1].meeting.meta.when.isoformat(),
        })

    # --- lists, bulk files, and every file with what makes it ---

    def page(self, output: str, objects: list[dict[str, Any]], previous: str | None, following: str | None, first: str) -> dict[str, Any]:
        """One page of an OParl object list; `previous`/`following` are the output paths of the pages beside it."""
        links = {"first": self.paths.url(first), "prev": previous and self.paths.url(previous),
                 "next": following and self.paths.url(following)}
        return {"data": objects, "links": {key: url for key, url in links.items() if url}}

    def builders(self) -> dict[str, Callable[[], Any]]:
        """Every data file by output path, each made when called (only what a rebuild needs is made)."""
        layout = self.layout
        out: dict[str, Callable[[], Any]] = {DATA + "system.json": self.system}
        out[DATA + "bodies.json"] = lambda: self.page(DATA + "bodies.json", [self.body(o) for o in layout.orgs], None, None,
                                                      DATA + "bodies.json")
        for org in layout.orgs:
            out[self.paths.body(org)] = partial(self.body, org)
            out[self.paths.body(org, "papers")] = partial(self.page, self.paths.body(org, "papers"), [], None, None,
                                                          self.paths.body(org, "papers"))
            out[self.paths.body(org, "organizations")] = partial(self._organizations, org)
            out[self.paths.body(org, "people")] = partial(self._people, org)
            pages = layout.meeting_pages(org)
            for n, (path, year) in enumerate(pages):
                before, after = pages[n - 1][0] if n else None, pages[n + 1][0] if n + 1 < len(pages) else None
                out[path] = partial(self._meeting_page, org, year, path, before, after, pages[0][0])
                out[self.paths.bulk(org, year)] = partial(self._bulk, org, year)
        for slug in sorted(self.site.content.bodies):
            out[self.paths.organization(slug)] = partial(self.organization, slug)
        for meeting in layout.meetings:
            out[self.paths.meeting(meeting)] = partial(self.meeting, meeting)
            for n, item in enumerate(meeting.items):
                out[self.paths.item(meeting, item)] = partial(lambda m, i: self.meeting(m)["agendaItem"][i], meeting, n)
            if meeting.meta.place:
                out[self.paths.location(meeting)] = partial(lambda m: self.meeting(m)["location"], meeting)
            for document in self.documents(meeting):
                out[self.paths.document(document)] = partial(self.document, document)
        for info in self.site.bilag.values():
            out[self.paths.file(info)] = partial(self.file, info)
        for pid, found in self.people.items():
            out[self.paths.person(pid)] = partial(self.person, pid)
            for (slug, role), mine in memberships(found).items():
                out[self.paths.membership(pid, slug, role)] = partial(self.membership, pid, slug, role, mine)
        return out

    def _organizations(self, org: str) -> dict[str, Any]:
        path = self.paths.body(org, "organizations")
        return self.page(path, [self.organization(slug) for slug in self.layout.bodies_of[org]], None, None, path)

    def _people(self, org: str) -> dict[str, Any]:
        path = self.paths.body(org, "people")
        return self.page(path, [self.person(pid) for pid in self.layout.people_of[org]], None, None, path)

    def _meeting_page(self, org: str, year: int, path: str, before: str | None, after: str | None, first: str) -> dict[str, Any]:
        return self.page(path, [self.meeting(m) for m in self.layout.by_year[org][year]], before, after, first)

    def _bulk(self, org: str, year: int) -> dict[str, Any]:
        """A year of an organisation in one file: its Body, its råd and udvalg, the year's meetings (agenda items
        embedded) and their public bilag. People are in the Body's `person` list (they span years)."""
        meetings = self.layout.by_year[org][year]
        bilag = {info.rel: info for m in meetings for doc in self.documents(m) for item in doc.items
                 for info in self.files_of_item.get((doc.path, item.number), [])}
        return {"body": self.body(org), "organization": [self.organization(slug) for slug in self.layout.bodies_of[org]],
                "meeting": [self.meeting(m) for m in meetings], "file": [self.file(info) for _, info in sorted(bilag.items())]}


@dataclass
class Layout:
    """Which data files a site has: its organisations, their bodies, meetings by year and people."""

    orgs: list[str]
    bodies_of: dict[str, list[str]]  # organisation -> its bodies' slugs
    meetings: list[Meeting]  # oldest first, a meeting once: the document its page shows (its referat, if it has one)
    agendas: dict[str, Meeting]  # meeting identity -> its agenda version (a dagsorden whose meeting has a referat)
    by_year: dict[str, dict[int, list[Meeting]]]  # organisation -> year -> its meetings that year, oldest first
    people_of: dict[str, list[str]]  # organisation -> ids of the people its meetings name

    def meeting_pages(self, org: str) -> list[tuple[str, int | None]]:
        """The pages of an organisation's meeting list, one per year, oldest first: the first at the address
        the Body names (`meetings.json`), the others at `meetings/<year>.json`. A new meeting changes only the
        page of its year (and a new year the page before it)."""
        years = sorted(self.by_year.get(org, {}))
        if not years:
            return [(Paths.body(org, "meetings"), None)]
        return [(Paths.body(org, "meetings") if n == 0 else f"{DATA}bodies/{org}/meetings/{year}.json", year)
                for n, year in enumerate(years)]


def layout(site: Site) -> Layout:
    content = site.content
    bodies_of: dict[str, list[str]] = defaultdict(list)
    for slug, body in sorted(content.bodies.items()):
        bodies_of[body.meta.organisation].append(slug)
    meetings = sorted((m for m in content.meetings if not m.agenda_version),
                      key=lambda m: (m.meta.date, m.meta.sequence or 1, m.meta.home, m.meta.kind))
    agendas = {m.identity: m for m in content.meetings if m.agenda_version}
    by_year: dict[str, dict[int, list[Meeting]]] = defaultdict(lambda: defaultdict(list))
    for meeting in meetings:
        for org in dict.fromkeys(content.bodies[slug].meta.organisation for slug in meeting.meta.bodies):
            by_year[org][meeting.meta.date.year].append(meeting)
    people_of: dict[str, list[str]] = defaultdict(list)
    for pid, found in people_of_site(site).items():
        for org in dict.fromkeys(content.bodies[s].meta.organisation for a in found for s in a.meeting.meta.bodies):
            people_of[org].append(pid)
    return Layout(sorted(bodies_of), dict(bodies_of), meetings, agendas, by_year, people_of)


def memberships(found: list[Appearance]) -> dict[tuple[str, str | None], list[Appearance]]:
    """A person's appearances by (body, role), in the order first seen."""
    grouped: dict[tuple[str, str | None], list[Appearance]] = {}
    for appearance in found:
        for slug in appearance.meeting.meta.bodies:
            grouped.setdefault((slug, appearance.shown_role), []).append(appearance)
    return grouped


def data_builders(site: Site, bilag_text: dict[str, str | None]) -> dict[str, Callable[[], bytes]]:
    """Every open-data file of the site (output path -> a function making its JSON bytes), from the public site only."""
    return {path: partial(_encode, make) for path, make in _Export(site, bilag_text).builders().items()}


def data_files(site: Site, bilag_text: dict[str, str | None]) -> dict[str, bytes]:
    """Every open-data file of the site, made."""
    return {path: make() for path, make in data_builders(site, bilag_text).items()}


def _encode(make: Callable[[], Any]) -> bytes:
    """Compact JSON, UTF-8: the same object always gives the same bytes."""
    return (json.dumps(make(), ensure_ascii=False, separators=(",", ":")) + "\n").encode()
