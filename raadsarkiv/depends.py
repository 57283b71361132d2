"""Which pages depend on which content files: what a rebuild must render again.

Every page is listed with the content files whose data it shows (`content/…`
paths). A page must be rendered again when one of those files changed, in the
old site or in the new one (so moved and deleted meetings are covered too), or
when its list of files differs between the two (a bilag moved to another list).
Settings, templates and page titles (the footer of every page) touch
everything (`signature`): then `affected` answers None, meaning "all pages".
The live preview (rebuild.py) and `build` (pipeline.py, incremental.py) both use it.

The declarations are checked against what pages really read: tests/test_depends.py records
every read of a meeting, body, strategy, page or bilag while each page is rendered, and fails
on a file a page reads but whose page does not declare it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

from . import opendata, urls
from .i18n import catalogue_digest
from .incremental import stat_digest
from .documents import by_identity
from .linker import ItemRef, Site, neighbours
from .loader import LoadCache
from .model import Content, LinkRef, Meeting
from .views import bilag_lists, bilag_place, case_pages, people_of

EVERYTHING = "*"
MEETING = "meeting:"  # a meeting's identity, a pseudo-file of `source_digests`: which documents (dagsorden, referat) it has


def _bodies(site: Site, meeting: Meeting) -> set[str]:
    """The files of a meeting's bodies (all of them, for a joint meeting): pages naming the meeting show their names."""
    return {site.content.bodies[slug].path for slug in meeting.meta.bodies if slug in site.content.bodies}


def identity(meeting: Meeting) -> str:
    """A meeting's identity as a dependency (see `source_digests`): its documents' addresses depend on which exist."""
    return MEETING + meeting.identity


def _meeting(meeting: Meeting) -> set[str]:
    """A meeting document linked from a page: its file, and which documents its meeting has (they decide its address)."""
    return {meeting.path, identity(meeting)}


def _item_ref(site: Site, ref: ItemRef) -> set[str]:
    """An item shown on another page: its meeting and the meeting's bodies (for the name)."""
    return _meeting(ref.meeting) | _bodies(site, ref.meeting)


def _links(site: Site, links: Iterable[LinkRef]) -> set[str]:
    """Files a page's links point to: their address or a bilag's size can change."""
    found: set[str] = set()
    meetings = {m.path: m for m in site.content.meetings}
    for link in links:
        target = site.targets.get((link.source, link.href))
        if target is not None and not target.external and target.key:
            path = target.key if target.key.startswith("content/") else f"content/{target.key}"
            found |= _meeting(meetings[path]) if path in meetings else {path}
    return found


def dependencies(site: Site) -> dict[str, set[str]]:
    """For every page of the site, the content files it shows data from."""
    content = site.content
    every_meeting = {m.path for m in content.meetings}
    every_body = {b.path for b in content.bodies.values()}
    every_bilag = {f"content/{rel}" for rel in site.bilag}
    deps: dict[str, set[str]] = {
        urls.HOME: {EVERYTHING},
        urls.BODY_INDEX: every_body | every_meeting,
        urls.STRATEGY_INDEX: {s.path for s in content.strategies.values()},
        urls.BILAG_INDEX: every_meeting | every_body | every_bilag,
        urls.SEARCH: set(),
        urls.NOT_FOUND: set(),
    }
    for slug, body in content.bodies.items():
        meetings = site.meetings_by_body.get(slug, [])
        deps[urls.body(slug)] = {body.path} | {m.path for m in meetings} | _links(site, body.links)
        deps[urls.body(slug)] |= {path for m in meetings if len(m.meta.bodies) > 1 for path in _bodies(site, m)}  # "fællesmøde med …"
    for meeting in content.meetings:
        found = _meeting(meeting) | _links(site, meeting.links) | _bodies(site, meeting)
        other = site.other_document.get(meeting.path)  # the link between the meeting's page and its agenda version
        found |= _meeting(other) if other else set()
        for slug in [] if meeting.agenda_version else meeting.meta.bodies:  # a previous and next meeting in each body
            found |= {m.path for m in neighbours(site, meeting, slug) if m is not None}
        for item in meeting.items:
            for ref in site.cases.get(urls.case_slug(item.meta.case_number), []) if item.meta.case_number else []:
                found |= _item_ref(site, ref)
            for ref in site.item_refs.get((meeting.path, item.number), []):
                found |= _item_ref(site, ref)
        deps[urls.meeting(meeting)] = found
        if meeting.agenda_version:  # the agenda's address before its meeting had a referat: a redirect
            deps[urls.agenda_redirect(meeting)] = _meeting(meeting) | (_meeting(other) if other else set()) | _bodies(site, meeting)
    for slug, strategy in content.strategies.items():
        found = {strategy.path} | _links(site, strategy.links)
        for ref in site.strategy_refs.get(strategy.path.removeprefix("content/"), []):
            found |= _item_ref(site, ref)
        deps[urls.strategy(slug)] = found
    for info in site.bilag.values():
        found = {f"content/{info.rel}"}
        for ref in info.referrers:
            found |= _item_ref(site, ref)
        deps[info.page] = found
    for slug, page in content.pages.items():
        deps[urls.page(slug)] = {page.path} | _links(site, page.links)
    deps[urls.FEED] = deps[urls.CALENDAR] = every_meeting | every_body  # every meeting, with its bodies' names
    for slug, body in content.bodies.items():  # a body's feed and calendar: its meetings (joint ones name every body)
        deps[urls.body_feed(slug)] = deps[urls.body_calendar(slug)] = (
            {body.path} | {m.path for m in site.meetings_by_body.get(slug, [])}
            | {path for m in site.meetings_by_body.get(slug, []) for path in _bodies(site, m)})
    deps |= _bilag_list_dependencies(site)
    for refs in case_pages(site).values():  # each item of the case: its meeting and the meeting's bodies
        deps[urls.case(refs[0].item.meta.case_number or "")] = {path for ref in refs for path in _item_ref(site, ref)}
    for pid, found in people_of(site).items():  # the meetings naming the person, and their bodies (for the names)
        deps[urls.person(pid)] = {f for a in found for f in _meeting(a.meeting)} | {p for a in found for p in _bodies(site, a.meeting)}
    if urls.STATEMENT_SLUG in content.pages:
        deps[urls.WAS] = set()  # the /was/ redirect shows only the footer and the statement's address
    return deps | _data_dependencies(site)


def _data_dependencies(site: Site) -> dict[str, set[str]]:
    """The open data (opendata.py): every file under data/ with the content files its objects show.

    A meeting object shows its meeting (the document its page shows, and its agenda version: the
    invitation and its bilag) and its bodies (names), whether each item's case has a page (the case's
    meetings) and its public bilag (the file, and every meeting linking it). A bilag's File names the
    agenda items linking it as the items of their meeting's main document (the referat's). A list page
    or bulk file of a year shows its meetings; it also names the pages beside it, so the years
    around it are part of its dependencies (a marker: a new year re-renders its neighbours).
    """
    content = site.content
    paths = opendata.Paths
    layout = opendata.layout(site)
    people = people_of(site)
    main = {m.identity: m for m in layout.meetings}  # the document each meeting's object is made of
    files_of: dict[str, set[str]] = {}
    for info in site.bilag.values():
        files_of[info.rel] = {f"content/{info.rel}"} | {
            f for r in info.referrers for m in (r.meeting, main.get(r.meeting.identity, r.meeting)) for f in _meeting(m)}
    meeting_deps: dict[str, set[str]] = {}
    for meeting in layout.meetings:
        agenda = layout.agendas.get(meeting.identity)
        documents = [meeting] + ([agenda] if agenda else [])
        found = _meeting(meeting) | _bodies(site, meeting)  # _meeting: its address depends on its meeting's documents
        for item in meeting.items:
            if item.meta.case_number:
                found |= {f for ref in site.cases.get(urls.case_slug(item.meta.case_number), []) for f in _meeting(ref.meeting)}
        for document in documents:
            found |= _meeting(document)
            for link in document.links:
                target = site.targets.get((link.source, link.href))
                if target is not None and target.kind == "bilag" and target.key in files_of:
                    found |= files_of[target.key]
        meeting_deps[meeting.path] = found
    person_deps = {pid: {f for a in found for f in _meeting(a.meeting)} | {p for a in found for p in _bodies(site, a.meeting)}
                   for pid, found in people.items()}
    every_body = {body.path for body in content.bodies.values()}
    deps: dict[str, set[str]] = {f"{opendata.DATA}system.json": set(), f"{opendata.DATA}bodies.json": every_body}
    for org in layout.orgs:
        bodies = {content.bodies[slug].path for slug in layout.bodies_of[org]}
        deps[paths.body(org)] = deps[paths.body(org, "papers")] = deps[paths.body(org, "organizations")] = bodies
        deps[paths.body(org, "people")] = {f for pid in layout.people_of.get(org, []) for f in person_deps[pid]}
        pages = layout.meeting_pages(org)
        for n, (path, year) in enumerate(pages):
            meetings = layout.by_year.get(org, {}).get(year, []) if year is not None else []
            found = {f for m in meetings for f in meeting_deps[m.path]}
            around = f"data-years:{pages[n - 1][1] if n else ''}:{pages[n + 1][1] if n + 1 < len(pages) else ''}"
            deps[path] = found | {around}
            if year is not None:
                deps[paths.bulk(org, year)] = found | bodies
    for slug, body in content.bodies.items():
        deps[paths.organization(slug)] = {body.path}
    for meeting in layout.meetings:
        deps[paths.meeting(meeting)] = meeting_deps[meeting.path]
        for item in meeting.items:
            deps[paths.item(meeting, item)] = meeting_deps[meeting.path]
        if meeting.meta.place:
            deps[paths.location(meeting)] = meeting_deps[meeting.path]
        agenda = layout.agendas.get(meeting.identity)
        for document in [meeting] + ([agenda] if agenda else []):
            deps[paths.document(document)] = _meeting(document) | _bodies(site, document)
    for info in site.bilag.values():
        deps[paths.file(info)] = files_of[info.rel]
    for pid, found in people.items():
        deps[paths.person(pid)] = person_deps[pid]
        for slug, role in opendata.memberships(found):
            deps[paths.membership(pid, slug, role)] = person_deps[pid]
    return deps


def _bilag_list_dependencies(site: Site) -> dict[str, set[str]]:
    """The bilag list pages (views.bilag_lists): what each shows, and where its bilag are placed.

    A body's year page shows the body's name, its bilag (title, size, the first meeting item
    linking each) and the years of all the body's bilag, so it depends on the body, on every
    bilag placed under the body, and on the first meeting linking each of them. A bilag that
    moves to another list changes these sets, which `affected` treats as a change.
    The list of other bilag shows the files linking each, by title (and a meeting's body and date).
    """
    content = site.content
    by_body: dict[str, set[str]] = {}
    for info in site.bilag.values():
        place = bilag_place(info)
        if place:
            by_body.setdefault(place[0], set()).update({f"content/{info.rel}", *_meeting(info.referrers[0].meeting)})
    sources: dict[str, set[str]] = {}
    for (source, _), target in site.targets.items():
        if target.kind == "bilag":
            sources.setdefault(target.key, set()).add(source)
    meetings = {m.path: m for m in content.meetings}
    deps: dict[str, set[str]] = {}
    for page, infos in bilag_lists(site).items():
        place = bilag_place(infos[0])
        if place:
            body = content.bodies.get(place[0])
            deps[page] = by_body[place[0]] | ({body.path} if body else set())
            continue
        found: set[str] = set()
        for info in infos:
            found |= {f"content/{info.rel}"} | sources.get(info.rel, set())
        for source in set(found) & meetings.keys():
            found |= _bodies(site, meetings[source]) | _meeting(meetings[source])
        deps[page] = found
    return deps


def _page_titles(site: Site) -> list[tuple[str, str]]:
    return [(slug, page.meta.title) for slug, page in sorted(site.content.pages.items())]


def signature(site: Site, templates: bytes) -> bytes:
    """What every page shows or is made with: the settings (the interface language among them), the page titles
    (in every footer), the body names that lists qualify with the organisation (linker.Site.shared_names), the
    templates (theme.templates_digest: the site's and the theme's) and the catalogue of the interface language.
    When it changes, every page is rendered again."""
    digest = hashlib.blake2b(templates + catalogue_digest(site.config.language), digest_size=16)
    digest.update(repr(site.config).encode() + b"\0" + repr(_page_titles(site)).encode())
    digest.update(b"\0" + repr(sorted(site.shared_names)).encode())  # which lists name a body's organisation
    return digest.digest()


def source_digests(root: Path, cache: LoadCache, content: Content, extras: dict[str, bytes] | None = None) -> dict[str, bytes]:
    """A digest of every content file: a Markdown file's bytes (from the load), a bilag file's stat
    (its size, mtime, inode and ctime: hashing every bilag on every build would cost more than it saves).
    `extras` adds what else of a file pages show (pipeline.source_extras: its git dates, whether it is held back)."""
    digests = dict(cache.digests)
    for key, documents in by_identity(content.meetings).items():
        digests[MEETING + key] = hashlib.blake2b(repr(sorted((m.path, m.meta.kind) for m in documents)).encode(), digest_size=16).digest()
    content_dir = root / "content"
    for rel in content.bilag_files:
        try:
            digests[f"content/{rel}"] = stat_digest(content_dir / rel)
        except OSError:
            digests[f"content/{rel}"] = b"?"
    for path, extra in (extras or {}).items():
        if path in digests:
            digests[path] += b"\0" + extra
    return digests


def changed(before: dict[str, bytes], after: dict[str, bytes]) -> set[str]:
    """Content files that are new, gone, or differ between two `source_digests`."""
    return {path for path in before.keys() | after.keys() if before.get(path) != after.get(path)}


def affected(
    old_signature: bytes, new_signature: bytes, before: dict[str, set[str]], after: dict[str, set[str]], changed: set[str]
) -> set[str] | None:
    """Pages to render again after `changed` content files changed; None means all of them.

    `before` and `after` are `dependencies()` of the old and the new site, the signatures their `signature()`.
    """
    if old_signature != new_signature:
        return None
    if not changed:
        return set()
    pages = set()
    for page, files in after.items():
        files = files | before.get(page, set())
        if EVERYTHING in files or files & changed or page not in before or before[page] != after[page]:
            pages.add(page)
    return pages
