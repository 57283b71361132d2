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
    bodies/<org>/{organizations,people,meetings,papers}.json   lists of the Body
    bodies/<org>/bulk.json                        everything of the Body in one file
    organizations/<body>.json                     Organization (a råd or udvalg)
    organizations/<body>/meetings.json            list of its meetings
    meetings/<body>/<date>-<kind>.json            Meeting, with its AgendaItems embedded
    agendaitems/<body>/<date>-<kind>/<number>.json AgendaItem
    locations/<body>/<date>-<kind>.json           Location (where the meeting has a place)
    files/<body>/<date>/<name>-<ext>.json         File (a public bilag)
    persons/<id>.json                             Person, with its Memberships embedded
    memberships/<id>/<body>[-<role>].json         Membership
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from typing import Any
from zoneinfo import ZoneInfo

from . import urls
from .document import text_of
from .linker import BilagInfo, Site
from .markdown import slugify
from .model import AgendaItem, Meeting
from .people import Appearance, appearances, latest
from .views import KIND_LABEL, Linker, case_pages, meeting_name, people_of

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


class _Paths:
    """Where each object lives: output paths under data/ and their absolute URLs."""

    def __init__(self, site: Site) -> None:
        self.base = str(site.config.base_url)

    def url(self, output: str) -> str:
        return urls.quote(self.base + output)

    @staticmethod
    def meeting_key(meeting: Meeting) -> str:
        return urls.pretty(urls.meeting(meeting)).removeprefix("udvalg/").rstrip("/")  # <body>/<date>-<kind>[-2]

    def meeting(self, meeting: Meeting) -> str:
        return f"{DATA}meetings/{self.meeting_key(meeting)}.json"

    def item(self, meeting: Meeting, item: AgendaItem) -> str:
        return f"{DATA}agendaitems/{self.meeting_key(meeting)}/{item.number}.json"

    def location(self, meeting: Meeting) -> str:
        return f"{DATA}locations/{self.meeting_key(meeting)}.json"

    @staticmethod
    def file(info: BilagInfo) -> str:
        return DATA + "files/" + urls.bilag_page(info.rel).removeprefix("bilag/").removesuffix("/index.html") + ".json"

    @staticmethod
    def body(org: str, part: str = "") -> str:
        return f"{DATA}bodies/{org}/{part}.json" if part else f"{DATA}bodies/{org}.json"

    @staticmethod
    def organization(slug: str, part: str = "") -> str:
        return f"{DATA}organizations/{slug}/{part}.json" if part else f"{DATA}organizations/{slug}.json"

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
    """The objects of one site, made once each."""

    def __init__(self, site: Site, bilag_text: dict[str, str | None]) -> None:
        self.site = site
        self.texts = bilag_text
        self.paths = _Paths(site)
        self.link = Linker(site, DATA + "index.json")  # fragments: only their text is used
        self.people = people_of(site)
        self.cases = {slug for slug in case_pages(site)}
        self.meetings = sorted(site.content.meetings, key=lambda m: (m.meta.date, m.meta.sequence or 1, m.meta.home, m.meta.kind))
        self.files_of_item: dict[tuple[str, str], list[BilagInfo]] = defaultdict(list)
        for info in site.bilag.values():
            for ref in info.referrers:
                self.files_of_item[(ref.meeting.path, ref.item.number)].append(info)

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
            "legislativeTerm": [], "web": str(config.base_url),
        }) | {"legislativeTerm": []}  # required, even empty: the archive knows no election periods

    def organization(self, slug: str) -> dict[str, Any]:
        body = self.site.content.bodies[slug]
        memberships = sorted({self.paths.membership(pid, slug, role) for pid, role in self._roles(slug)})
        return _prune({
            "id": self.paths.url(self.paths.organization(slug)), "type": OPARL + "Organization",
            "body": self.paths.url(self.paths.body(body.meta.organisation)), "name": body.meta.name,
            "classification": body.meta.type, "organizationType": "Gremium",
            "membership": [self.paths.url(path) for path in memberships],
            "meeting": self.paths.url(self.paths.organization(slug, "meetings")),
            "web": self.paths.url(urls.pretty(urls.body(slug))),
        })

    def _roles(self, slug: str) -> set[tuple[str, str | None]]:
        return {(pid, _role(a)) for pid, found in self.people.items() for a in found if slug in a.meeting.meta.bodies}

    def meeting(self, meeting: Meeting) -> dict[str, Any]:
        meta = meeting.meta
        exact = meta.precision == "day"
        return _prune({
            "id": self.paths.url(self.paths.meeting(meeting)), "type": OPARL + "Meeting",
            "name": meeting_name(self.site, meeting), "meetingState": MEETING_STATE[meta.kind],
            "start": _start(meta.date, meta.start) if exact else None, "end": _start(meta.date, meta.end) if exact else None,
            "location": self.location(meeting),
            "organization": [self.paths.url(self.paths.organization(slug)) for slug in meta.bodies],
            "participant": [self.paths.url(self.paths.person(pid)) for pid, a in appearances(meeting) if a.status == "present"],
            "agendaItem": [self.item(meeting, item) for item in meeting.items],
            "web": self.paths.url(urls.pretty(urls.meeting(meeting))),
            PREFIX + "date": meta.when.isoformat(), PREFIX + "kind": KIND_LABEL[meta.kind],
            PREFIX + "note": meta.note,
        })

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
            "auxiliaryFile": [self.file(info) for info in self.files_of_item.get((meeting.path, item.number), [])],
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
            "agendaItem": [self.paths.url(self.paths.item(r.meeting, r.item)) for r in info.referrers],
            "web": self.paths.url(urls.pretty(info.page)),
        })

    def person(self, pid: str) -> dict[str, Any]:
        found = self.people[pid]
        shown = latest(found)
        return _prune({
            "id": self.paths.url(self.paths.person(pid)), "type": OPARL + "Person",
            "body": self.paths.url(self.paths.body(self.org_of(found[0].meeting.meta.home))), "name": shown.name,
            "membership": [self.membership(pid, slug, role, mine) for (slug, role), mine in _memberships(found).items()],
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

    # --- lists and files ---

    def listing(self, output: str, objects: list[dict[str, Any]]) -> dict[str, Any]:
        """An OParl object list in one page (a static site has no query parameters)."""
        return {"data": objects, "pagination": {"totalElements": len(objects), "elementsPerPage": len(objects),
                                                "currentPage": 1, "totalPages": 1},
                "links": {"first": self.paths.url(output)}}

    def files(self) -> dict[str, Any]:
        """Every data file by output path, in a stable order."""
        out: dict[str, Any] = {DATA + "system.json": self.system()}
        content = self.site.content
        orgs = sorted({body.meta.organisation for body in content.bodies.values()})
        out[DATA + "bodies.json"] = self.listing(DATA + "bodies.json", [self.body(org) for org in orgs])
        meetings = {m.path: self.meeting(m) for m in self.meetings}
        persons = {pid: self.person(pid) for pid in self.people}
        files = {info.rel: self.file(info) for info in self.site.bilag.values()}
        for org in orgs:
            slugs = sorted(slug for slug, body in content.bodies.items() if body.meta.organisation == org)
            mine = [m for m in self.meetings if any(self.org_of(slug) == org for slug in m.meta.bodies)]
            people = [pid for pid, found in self.people.items() if any(self.org_of(s) == org for a in found for s in a.meeting.meta.bodies)]
            paths = {m.path for m in mine}
            bilag = [rel for rel, info in self.site.bilag.items() if any(r.meeting.path in paths for r in info.referrers)]
            lists = {
                "organizations": [self.organization(slug) for slug in slugs], "people": [persons[pid] for pid in people],
                "meetings": [meetings[m.path] for m in mine], "papers": [],
            }
            out[self.paths.body(org)] = self.body(org)
            for part, objects in lists.items():
                out[self.paths.body(org, part)] = self.listing(self.paths.body(org, part), objects)
            out[self.paths.body(org, "bulk")] = {
                "body": self.body(org), "organization": lists["organizations"], "person": lists["people"],
                "meeting": lists["meetings"], "file": [files[rel] for rel in bilag],
            }
        for slug in sorted(content.bodies):
            out[self.paths.organization(slug)] = self.organization(slug)
            path = self.paths.organization(slug, "meetings")
            out[path] = self.listing(path, [meetings[m.path] for m in self.site.meetings_by_body.get(slug, [])])
        for meeting in self.meetings:
            out[self.paths.meeting(meeting)] = meetings[meeting.path]
            for item, embedded in zip(meeting.items, meetings[meeting.path]["agendaItem"]):
                out[self.paths.item(meeting, item)] = embedded
            if meeting.meta.place:
                out[self.paths.location(meeting)] = meetings[meeting.path]["location"]
        for info in self.site.bilag.values():
            out[self.paths.file(info)] = files[info.rel]
        for pid, person in persons.items():
            out[self.paths.person(pid)] = person
            for (slug, role), embedded in zip(_memberships(self.people[pid]), person.get("membership", [])):
                out[self.paths.membership(pid, slug, role)] = embedded
        return out


def _role(appearance: Appearance) -> str | None:
    """The role a meeting gives a person: as written, or 'stedfortræder' for one who met for an absent member."""
    return appearance.role or ("stedfortræder" if appearance.substitute_for else None)


def _memberships(found: list[Appearance]) -> dict[tuple[str, str | None], list[Appearance]]:
    """A person's appearances by (body, role), in the order first seen."""
    grouped: dict[tuple[str, str | None], list[Appearance]] = {}
    for appearance in found:
        for slug in appearance.meeting.meta.bodies:
            grouped.setdefault((slug, _role(appearance)), []).append(appearance)
    return grouped


def data_files(site: Site, bilag_text: dict[str, str | None]) -> dict[str, bytes]:
    """Every open-data file of the site (output path -> JSON bytes), from the public site only."""
    return {path: (json.dumps(obj, ensure_ascii=False, indent=1) + "\n").encode()
            for path, obj in _Export(site, bilag_text).files().items()}
