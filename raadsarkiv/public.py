"""What may be published: the one definition of the public part of an item, redaction, and the CPR scan.

Public content is built by allow-list: a public item, section or meeting is a new
object made field by field from what may be shown, so a field added to the model
later stays private until it is named here. `redact` runs before linking: the
linked site, the views, the templates and the search index only ever see its result.
"""

from __future__ import annotations

from dataclasses import dataclass

from .cpr import CPR_RE, digits, mask
from .i18n import N_, _
from .document import text_of
from .errors import Problems
from .frontmatter import FrontMatter
from .model import AgendaItem, Content, ItemMeta, LinkRef, Meeting, Section
from .refs import bilag_path

CLOSED_BILAG_LABEL = N_("closed attachment, not public")  # a msgid: views.py shows it in the site's language


# --- the public part of an item ---------------------------------------------------------------


def public_sections(item: AgendaItem) -> list[Section]:
    """Open items: every section. Closed items: their decision sections if marked publishable, else nothing."""
    if not item.closed:
        return item.sections
    return [section for section in item.sections if item.public_decision and section.decision]


def public_intro(item: AgendaItem) -> str:
    """The text between an item's heading and its first section: public only for open items."""
    return "" if item.closed else item.intro_html


def _public_item(item: AgendaItem) -> AgendaItem:
    """A new item holding only what may be shown: number, title and label always; the rest only if public."""
    # Who decided and when is read from the heading, which is published with the section.
    sections = [Section(s.name, s.anchor, s.line, s.html, s.decision, decided_by=s.decided_by) for s in public_sections(item)]
    return AgendaItem(
        number=item.number,
        title=item.title,
        line=item.line,
        end_line=item.end_line,
        closed=item.closed,
        public_decision=item.public_decision,
        sections=sections,
        intro_html=public_intro(item),
        meta=ItemMeta() if item.closed else item.meta,
    )


def _is_public_link(items: dict[int, AgendaItem], link: LinkRef) -> bool:
    """A link is public if it is not marked {lukket} and sits in a public part of the meeting."""
    if link.closed:
        return False
    if link.item is None:
        return True
    item = items.get(link.item)
    if item is None:
        return False
    if not item.closed:
        return True
    return any(section.line <= link.line < _section_end(item, section) for section in public_sections(item))


def _section_end(item: AgendaItem, section: Section) -> int:
    following = [s.line for s in item.sections if s.line > section.line]
    return min(following) if following else item.end_line


def _public_meeting(meeting: Meeting, links: list[LinkRef]) -> Meeting:
    open_numbers = {item.number for item in meeting.items if not item.closed}
    meta = meeting.meta.model_copy(update={
        "items": {number: meta for number, meta in meeting.meta.items.items() if number in open_numbers},
    })
    return Meeting(meeting.path, meta, meeting.intro_html, [_public_item(item) for item in meeting.items], links, meeting.lines,
                   agenda_version=meeting.agenda_version)


def _other_links(content: Content) -> list[LinkRef]:
    """Links outside meetings (pages, strategies, bodies): always public."""
    links = [link for page in content.pages.values() for link in page.links]
    links += [link for strategy in content.strategies.values() for link in strategy.links]
    return links + [link for body in content.bodies.values() for link in body.links]


def redact(content: Content, problems: Problems) -> tuple[Content, set[str]]:
    """Return the public content and the set of bilag files that must not be published."""
    private_bilag: set[str] = set()
    public_refs: dict[str, LinkRef] = {}
    meetings: list[Meeting] = []
    for meeting in content.meetings:
        items = {item.number: item for item in meeting.items}
        public_links: list[LinkRef] = []
        for link in meeting.links:
            bilag = bilag_path(meeting.path, link.href)
            if _is_public_link(items, link):
                public_links.append(link)
                if bilag:
                    public_refs.setdefault(bilag, link)
            elif bilag:
                private_bilag.add(bilag)
        meetings.append(_public_meeting(meeting, public_links))
    for link in _other_links(content):
        bilag = bilag_path(link.source, link.href)
        if link.closed:
            problems.error(
                link.source, link.line,
                _("{lukket} after a link only works in a meeting item; a page, strategy or body cannot show a closed "
                  "bilag: remove the link, or the marker if the bilag is public"),
            )
        elif bilag:
            public_refs.setdefault(bilag, link)
    for bilag in sorted(private_bilag & set(public_refs)):
        link = public_refs[bilag]
        problems.error(
            link.source, link.line,
            _("bilag {file} is linked here as public, but it is closed elsewhere (in a closed item or marked {lukket}); "
              "a closed bilag must never be published: mark this link {lukket} too", file=f"content/{bilag}"),
        )
    public = Content(
        bodies=content.bodies, meetings=meetings, strategies=content.strategies, pages=content.pages,
        bilag_files=content.bilag_files - private_bilag, failed=content.failed,
    )
    return public, private_bilag


# --- personal data in what is published ------------------------------------------------------


@dataclass(frozen=True)
class Fragment:
    """Published text of a file: rendered HTML (or a front-matter value) and the source lines it came from."""

    html: str
    first_line: int
    end_line: int
    is_html: bool = True


def published_fragments(meeting_intro: tuple[str, int, int] | None, items: list[AgendaItem]) -> list[Fragment]:
    """The rendered parts of a meeting that are published, by `public_sections` / `public_intro`."""
    out = [Fragment(*meeting_intro)] if meeting_intro else []
    for item in items:
        out.append(Fragment(item.title, item.line, item.line + 1, is_html=False))
        first = item.sections[0].line if item.sections else item.end_line
        if public_intro(item):
            out.append(Fragment(public_intro(item), item.line, first))
        for section in public_sections(item):
            out.append(Fragment(section.html, section.line, _section_end(item, section)))
    return out


def published_front_matter(front: FrontMatter, closed_items: set[int]) -> list[Fragment]:
    """Every front-matter text value that is shown, with its line (not `reviewed_cpr`, not closed items' metadata)."""
    out: list[Fragment] = []

    def walk(value: object, path: tuple) -> None:
        if path[:1] == ("reviewed_cpr",) or (path[:1] == ("items",) and len(path) > 1 and path[1] in closed_items):
            return
        if isinstance(value, dict):
            for key, child in value.items():
                walk(child, (*path, key))
        elif isinstance(value, list):
            for index, child in enumerate(value):
                walk(child, (*path, index))
        elif isinstance(value, str):
            line = front.line_of(path)
            out.append(Fragment(value, line, line + 1, is_html=False))

    walk(front.data, ())
    return out


def scan_cpr(path: str, fragments: list[Fragment], lines: list[str], reviewed: list[str], problems: Problems) -> None:
    """Report CPR-like numbers in what a file publishes: the rendered text, as a reader sees it, and shown values.

    The text is scanned after rendering (entities decoded, markup removed), so `&#45;`, `\\-` or
    `**…**` inside a number do not hide it. `lines` (the file) only serve to find the line of a hit.
    """
    allowed = {digits(value) for value in reviewed}
    for fragment in fragments:
        text = text_of(fragment.html) if fragment.is_html else fragment.html
        used: dict[int, int] = {}  # hits found per source line so far: repeated numbers get their own lines
        for match in CPR_RE.finditer(text):
            if digits(match.group(0)) in allowed:
                continue
            line = _line_of(match.group(0), fragment, used, lines)
            problems.error(
                path, line,
                _("'{number}' looks like a CPR number (its last four digits are hidden here); remove it, or if it is not "
                  "personal data list the whole number under `reviewed_cpr:` in the front matter", number=mask(match.group(0))),
            )


def _line_of(number: str, fragment: Fragment, used: dict[int, int], lines: list[str]) -> int:
    """The first source line of the fragment holding the number's first six digits once more than found so far."""
    head = digits(number)[:6]
    for line in range(fragment.first_line, max(fragment.end_line, fragment.first_line + 1)):
        if 0 < line <= len(lines) and digits(lines[line - 1]).count(head) > used.get(line, 0):
            used[line] = used.get(line, 0) + 1
            return line
    return fragment.first_line


def scan_bilag_cpr(texts: dict[str, str | None], reviewed: dict[str, set[str]], problems: Problems) -> None:
    """Report CPR-like numbers in the text of public bilag (it is published on their pages and in search).

    `reviewed` holds, per bilag, the `reviewed_cpr` of the files that link to it.
    """
    for rel, text in sorted(texts.items()):
        allowed = {digits(value) for value in reviewed.get(rel, set())}
        for match in CPR_RE.finditer(text or ""):
            if digits(match.group(0)) in allowed:
                continue
            problems.error(
                f"content/{rel}", 1,
                _("the text of this bilag contains '{number}', which looks like a CPR number (shown masked); remove it from "
                  "the file, or if it is not personal data add the whole number to reviewed_cpr in the front matter of "
                  "the meeting that links the bilag", number=mask(match.group(0))),
            )
