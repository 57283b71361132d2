"""Resolve every link, check identities and collisions, and compute backlinks.

`check` validates links of the full content (closed parts too, so an editor
hears about a broken link anywhere); `link` builds the linked site from the
public content only.
"""

from __future__ import annotations

import fnmatch
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import PurePosixPath

from . import urls
from .config import SiteConfig
from .i18n import _
from .documents import by_identity
from .embargo import Withheld
from .errors import Problems
from .history import FileHistory
from .model import AgendaItem, Content, LinkRef, Meeting
from .refs import BadRef, parse_href

BILAG_TYPES = {
    ".pdf": "PDF", ".docx": "Word", ".doc": "Word", ".xlsx": "Excel", ".xls": "Excel", ".pptx": "PowerPoint",
    ".odt": "ODT", ".ods": "ODS", ".txt": "tekst", ".csv": "CSV", ".png": "PNG-billede", ".jpg": "JPEG-billede",
    ".jpeg": "JPEG-billede", ".zip": "ZIP",
}


@dataclass(frozen=True)
class Entry:
    """A content file that can be linked to: where it is published, and its anchors."""

    kind: str  # meeting | strategy | page | body
    key: str
    output: str
    anchors: frozenset[str]


@dataclass(frozen=True)
class Target:
    """A resolved link: an external URL or an output path (plus anchor)."""

    external: str | None = None
    output: str = ""
    anchor: str = ""
    kind: str = ""
    key: str = ""  # content path of the target entry, or bilag path


@dataclass(frozen=True)
class ItemRef:
    """A pointer to one agenda item of one meeting."""

    meeting: Meeting
    item: AgendaItem


@dataclass
class BilagInfo:
    """A public bilag file: where it comes from, what it is, who refers to it."""

    rel: str
    title: str
    size: int
    type: str
    referrers: list[ItemRef] = field(default_factory=list)

    @cached_property  # read for every link to the bilag, on every page: computed once
    def page(self) -> str:
        return urls.bilag_page(self.rel)

    @cached_property
    def file(self) -> str:
        return urls.bilag_file(self.rel)


@dataclass
class Site:
    """The linked, public site: what views are made from."""

    config: SiteConfig
    content: Content
    index: dict[str, Entry]
    targets: dict[tuple[str, str], Target]  # (source file, href) -> target
    links: dict[str, dict[int, LinkRef]]  # source file -> its public links by number (document.py placeholders)
    bilag: dict[str, BilagInfo]
    meetings_by_body: dict[str, list[Meeting]]
    strategy_refs: dict[str, list[ItemRef]]
    item_refs: dict[tuple[str, str], list[ItemRef]]  # (meeting path, item number) -> items linking to it
    cases: dict[str, list[ItemRef]]  # urls.case_slug(case number) -> items filed under it, oldest meeting first
    other_document: dict[str, Meeting] = field(default_factory=dict)  # meeting path -> the meeting's other document
    shared_names: frozenset[str] = frozenset()  # body names that more than one organisation uses: lists add the organisation
    history: dict[str, FileHistory] = field(default_factory=dict)  # content file -> its first and last commit (history.py)
    withheld: dict[str, Withheld] = field(default_factory=dict)  # the preview only: drafts and embargoed files it shows, marked


def build_index(content: Content) -> dict[str, Entry]:
    """Every linkable content file by its content-relative path."""
    index: dict[str, Entry] = {}
    for slug, body in content.bodies.items():
        index[body.path.removeprefix("content/")] = Entry("body", slug, urls.body(slug), frozenset())
    for meeting in content.meetings:
        index[meeting.path.removeprefix("content/")] = Entry("meeting", meeting.path, urls.meeting(meeting), frozenset(meeting.anchors))
    for slug, strategy in content.strategies.items():
        index[strategy.path.removeprefix("content/")] = Entry("strategy", slug, urls.strategy(slug), frozenset(strategy.anchors))
    for slug, page in content.pages.items():
        index[page.path.removeprefix("content/")] = Entry("page", slug, urls.page(slug), frozenset(page.anchors))
    return index


def resolve(link: LinkRef, index: dict[str, Entry], bilag_files: set[str]) -> Target:
    """Resolve one link; raises BadRef with an explanation if it cannot be."""
    ref = parse_href(link.source, link.href)
    if ref.external:
        return Target(external=ref.external)
    source = link.source.removeprefix("content/")
    if not ref.path:
        entry = index.get(source)
        if entry is None or ref.anchor not in entry.anchors:
            raise BadRef(_("anchor '{anchor}' does not exist in this file", anchor=f"#{ref.anchor}"))
        return Target(output=entry.output, anchor=ref.anchor, kind=entry.kind, key=source)
    if ref.path.startswith("bilag/"):
        if ref.path not in bilag_files:
            raise BadRef(_("bilag file {file} does not exist; add the file or correct the link", file=f"content/{ref.path}"))
        return Target(output=urls.bilag_file(ref.path), anchor=ref.anchor, kind="bilag", key=ref.path)
    entry = index.get(ref.path)
    if entry is None:
        raise BadRef(_("link to {file}, which does not exist; link to a .md file under content/ or a file under content/bilag/",
                       file=f"content/{ref.path}"))
    if ref.anchor and ref.anchor not in entry.anchors:
        known = ", ".join(sorted(entry.anchors)[:8])
        raise BadRef(_("anchor '{anchor}' does not exist in {file}; existing anchors include: {known}",
                       anchor=f"#{ref.anchor}", file=f"content/{ref.path}", known=known))
    return Target(output=entry.output, anchor=ref.anchor, kind=entry.kind, key=ref.path)


def _all_links(content: Content) -> list[LinkRef]:
    links = [link for meeting in content.meetings for link in meeting.links]
    links += [link for strategy in content.strategies.values() for link in strategy.links]
    links += [link for page in content.pages.values() for link in page.links]
    links += [link for body in content.bodies.values() for link in body.links]
    return links


def check(content: Content, config: SiteConfig, problems: Problems) -> None:
    """Validate identities, references and output paths of the full content."""
    index = build_index(content)
    for link in _all_links(content):
        if link.no_file:
            continue  # a closed bilag listed by title: nothing to resolve
        try:
            resolve(link, index, content.bilag_files)
        except BadRef as exc:
            if not _target_failed(link, content.failed):
                problems.error(link.source, link.line, str(exc))
    organisations = ", ".join(sorted(config.organisations))
    for owner in [*content.bodies.values(), *content.strategies.values()]:
        if owner.meta.organisation not in config.organisations:
            problems.error(
                owner.path, owner.lines.get("organisation", 1),
                _("unknown organisation '{organisation}'; expected one of: {organisations} "
                  "(the ids under `organisations:` in site_config.yaml)", organisation=owner.meta.organisation, organisations=organisations),
            )
    same: dict[tuple, list[Meeting]] = defaultdict(list)
    for meeting in content.meetings:
        for position, body in enumerate(meeting.meta.bodies):
            same[(body, *meeting.key[1:])].append(meeting)
            if body not in content.bodies and f"bodies/{body}.md" not in content.failed:
                valid = ", ".join(sorted(content.bodies)) or _("(none: add one in content/bodies/)")
                problems.error(
                    meeting.path, meeting.lines.get(f"body.{position}", meeting.lines.get("body", 1)),
                    _("unknown body '{body}'; expected the name of a file in content/bodies/ without .md: {valid}", body=body, valid=valid),
                )
    twins: dict[str, set[str]] = defaultdict(set)
    for meetings in same.values():
        for meeting in meetings:
            twins[meeting.path] |= {m.path for m in meetings if m is not meeting}
    for meeting in content.meetings:
        if twins[meeting.path]:
            problems.error(
                meeting.path, meeting.lines.get("date", 1),
                _("another meeting has the same body, date and kind ({files}); a body has one referat and one dagsorden per "
                  "date: correct `date` or `kind`, or merge the files; if the body met twice that day, add `sequence: 2` to the "
                  "later meeting", files=", ".join(sorted(twins[meeting.path]))),
            )
    for meeting in content.meetings:
        numbers = [meta.case_number for meta in meeting.meta.items.values() if meta.case_number]
        for pattern in meeting.meta.shared_case_numbers:
            if not any(fnmatch.fnmatchcase(number, pattern) for number in numbers):
                problems.warning(
                    meeting.path, meeting.lines.get("shared_case_numbers", 1),
                    _("'shared_case_numbers': '{pattern}' matches no case number of this file's items "
                      "(items.<number>.case_number: {numbers}); correct it, or remove it",
                      pattern=pattern, numbers=", ".join(sorted(set(numbers))) or _("none")),
                )
    for meeting in content.meetings:
        if meeting.meta.home in content.bodies:  # an unknown body is reported above
            _check_file_name(meeting, problems)
    for slug, page in content.pages.items():
        if slug in urls.RESERVED:
            problems.error(
                page.path, 1,
                _("page name '{name}' is reserved for the site's own pages ({reserved}); rename the file",
                  name=slug, reserved=", ".join(sorted(urls.RESERVED))),
            )
    _check_collisions(content, problems)


# A meeting file's name: <date>-<kind>[-<sequence>].md, the date as precise as written (2024-05-13, 2014-03, 2014).
MEETING_FILE_RE = re.compile(r"(?P<date>\d{4}(?:-\d{2}){0,2})-(?P<kind>referat|dagsorden)(?:-(?P<sequence>\d+))?")


def meeting_file_name(meeting: Meeting) -> str:
    """The name a meeting's file has: `2024-05-13-referat-2.md` for the body's second meeting that day."""
    meta = meeting.meta
    return f"{meta.when.isoformat()}-{meta.kind}{f'-{meta.sequence}' if meta.sequence else ''}.md"


def _check_file_name(meeting: Meeting, problems: Problems) -> None:
    """A meeting's file lies in its home body's folder, and its name agrees with `date`, `kind` and `sequence`."""
    parts = PurePosixPath(meeting.path).parts  # content/meetings/<folder>/<name>.md
    folder, name, home, bodies = parts[2], parts[-1], meeting.meta.home, meeting.meta.bodies
    expected = meeting_file_name(meeting)
    if folder != home:
        where = _("a joint meeting's file belongs in the folder of its first body, content/meetings/{home}/ (its page is "
                  "published under it); move the file there, or list '{folder}' first in `body`", home=home, folder=folder
                  ) if folder in bodies else _(
                  "the file is in content/meetings/{folder}/, but the meeting's body is '{home}'; move it to "
                  "content/meetings/{home}/{expected}, or correct `body`", folder=folder, home=home, expected=expected)
        problems.error(meeting.path, meeting.lines.get("body", 1), where)
    match = MEETING_FILE_RE.fullmatch(PurePosixPath(name).stem)
    if match is None or name == expected:
        return  # a name of another form (a copy, `…-kopi.md`) is the editor's own
    written = int(match["sequence"]) if match["sequence"] else None
    if meeting.meta.sequence and written != meeting.meta.sequence:
        problems.error(meeting.path, meeting.lines.get("sequence", 1),
                       _("'sequence': {sequence}, but the file name '{name}' does not end in '-{sequence}'; rename the file "
                         "to {expected}, as the meeting's address ends so", sequence=meeting.meta.sequence, name=name, expected=expected))
    elif written and not meeting.meta.sequence:
        problems.error(meeting.path, meeting.lines.get("kind", 1),
                       _("the file name '{name}' ends in '-{written}' (the body's meeting number {written} that day), but the "
                         "front matter has no `sequence: {written}`; add it, or rename the file to {expected}",
                         name=name, written=written, expected=expected))
    else:
        problems.warning(meeting.path, meeting.lines.get("date", 1),
                         _("the file name '{name}' does not match the front matter (date {date}, kind {kind}); rename the "
                           "file to {expected}, the address its page has", name=name, date=meeting.meta.when.isoformat(),
                           kind=meeting.meta.kind, expected=expected))


def _target_failed(link: LinkRef, failed: set[str]) -> bool:
    """Whether a link points at a file that exists but could not be loaded (its errors are reported)."""
    try:
        return parse_href(link.source, link.href).path in failed
    except BadRef:
        return False


def _check_collisions(content: Content, problems: Problems) -> None:
    """Two inputs must never write the same output file."""
    writers: dict[str, list[str]] = defaultdict(list)
    for entry_path, entry in build_index(content).items():
        writers[entry.output].append(f"content/{entry_path}")
    for rel in content.bilag_files:
        writers[urls.bilag_page(rel)].append(f"content/{rel}")
    meetings = {meeting.path for meeting in content.meetings}
    for output, sources in writers.items():
        if len(sources) > 1 and not set(sources) <= meetings:  # meetings: reported as the same identity
            for source in sources:
                problems.error(source, 1, _("would be published at the same address as {others} ({address}); rename one",
                                             others=", ".join(s for s in sources if s != source), address=output))


def link(content: Content, config: SiteConfig, bilag_sizes: dict[str, int]) -> Site:
    """Build the linked public site: resolved links, bilag, backlinks, cases."""
    index = build_index(content)
    targets: dict[tuple[str, str], Target] = {}
    bilag: dict[str, BilagInfo] = {}
    strategy_refs: dict[str, list[ItemRef]] = defaultdict(list)
    item_refs: dict[tuple[str, str], list[ItemRef]] = defaultdict(list)
    # A meeting's referat before its agenda version: a bilag both link is listed with the referat.
    meetings = sorted(content.meetings, key=lambda m: (m.meta.date, m.meta.sequence or 1, m.meta.home, m.agenda_version, m.meta.kind))
    by_path = {m.path.removeprefix("content/"): m for m in meetings}
    for link in _all_links(content):
        if link.no_file:
            continue
        try:
            target = resolve(link, index, content.bilag_files)
        except BadRef:
            continue  # reported by check()
        targets[(link.source, link.href)] = target
    for meeting in meetings:
        items = {item.number: item for item in meeting.items}
        for link in meeting.links:
            target = targets.get((link.source, link.href))
            item = items.get(link.item) if link.item is not None else None
            if target is None or item is None:
                continue
            ref = ItemRef(meeting, item)
            if target.kind == "bilag":
                info = bilag.get(target.key)
                if info is None:
                    info = bilag[target.key] = _bilag_info(target.key, link.text, bilag_sizes)
                _add(info.referrers, ref)
            elif target.kind == "strategy":
                _add(strategy_refs[target.key], ref)
            elif target.kind == "meeting" and target.key != meeting.path.removeprefix("content/"):
                linked = by_path.get(target.key)
                number = _item_at_anchor(linked, target.anchor) if linked else None
                if linked and number is not None:
                    _add(item_refs[(linked.path, number)], ref)
    for link in _all_links(content):  # bilag linked only from pages, strategies or bodies are published too
        target = targets.get((link.source, link.href))
        if target is not None and target.kind == "bilag" and target.key not in bilag:
            bilag[target.key] = _bilag_info(target.key, link.text, bilag_sizes)
    by_body: dict[str, list[Meeting]] = defaultdict(list)
    cases: dict[str, list[ItemRef]] = defaultdict(list)
    for meeting in meetings:
        if meeting.agenda_version:
            continue  # listed, paged and linked as a case by its meeting's referat
        for body in meeting.meta.bodies:  # a joint meeting is listed under each of its bodies
            by_body[body].append(meeting)
        for item in meeting.items:
            number = item.meta.case_number
            if number and not config.is_shared_case(number, meeting.meta.shared_case_numbers):
                cases[urls.case_slug(number)].append(ItemRef(meeting, item))
    public_links: dict[str, dict[int, LinkRef]] = defaultdict(dict)
    for link in _all_links(content):
        public_links[link.source][link.index] = link
    other_document = {m.path: other for group in by_identity(meetings).values()
                      if len(group) == 2 and any(m.agenda_version for m in group)
                      for m, other in (group, reversed(group))}
    for info in bilag.values():
        info.referrers = _once_per_meeting(info.referrers)
    strategy_refs = {key: _once_per_meeting(refs) for key, refs in strategy_refs.items()}
    item_refs = {key: _once_per_meeting(refs) for key, refs in item_refs.items()}
    organisations: dict[str, set[str]] = defaultdict(set)
    for body in content.bodies.values():
        organisations[body.meta.name].add(body.meta.organisation)
    shared_names = frozenset(name for name, found in organisations.items() if len(found) > 1)
    return Site(config, content, index, targets, dict(public_links), dict(sorted(bilag.items())), dict(by_body),
                dict(strategy_refs), dict(item_refs), dict(cases), other_document, shared_names)


def _once_per_meeting(refs: list[ItemRef]) -> list[ItemRef]:
    """A meeting's item listed once: an agenda version's item is left out where the referat's item of that number is listed."""
    minutes = {(ref.meeting.identity, ref.item.number) for ref in refs if not ref.meeting.agenda_version}
    return [ref for ref in refs if not (ref.meeting.agenda_version and (ref.meeting.identity, ref.item.number) in minutes)]


def _item_at_anchor(meeting: Meeting, anchor: str) -> str | None:
    """The number of the item an anchor belongs to (`punkt-3a`, `punkt-3-1-beslutning`), or None."""
    for item in meeting.items:
        if anchor == item.anchor or any(anchor == section.anchor for section in item.sections):
            return item.number
    return None


def _bilag_info(rel: str, title: str, sizes: dict[str, int]) -> BilagInfo:
    """A bilag's public description; its title is the text of the first link to it."""
    suffix = PurePosixPath(rel).suffix.lower()
    return BilagInfo(rel, title or PurePosixPath(rel).name, sizes.get(rel, 0), BILAG_TYPES.get(suffix, suffix.lstrip(".").upper()))


def _add(refs: list[ItemRef], ref: ItemRef) -> None:
    """Append a reference once: links of one item are consecutive, so a repeat can only be the last one."""
    if not refs or refs[-1].meeting.path != ref.meeting.path or refs[-1].item.number != ref.item.number:
        refs.append(ref)


def neighbours(site: Site, meeting: Meeting, body: str | None = None) -> tuple[Meeting | None, Meeting | None]:
    """The previous and next meeting of the same body (of `body`, for a joint meeting; default: its home body)."""
    siblings = site.meetings_by_body.get(body or meeting.meta.home, [])
    position = next(i for i, m in enumerate(siblings) if m.path == meeting.path)
    previous = siblings[position - 1] if position > 0 else None
    following = siblings[position + 1] if position + 1 < len(siblings) else None
    return previous, following

