"""What may be published: closed items, closed bilag and CPR-like numbers.

`redact` is the one place where closed content is removed. Everything after it
(linking, views, templates, search) only ever sees the public content.
"""

from __future__ import annotations

import html
import re
from dataclasses import replace

from .errors import Problems
from .model import AgendaItem, Content, ItemMeta, LinkRef, Meeting, Section
from .refs import bilag_path

# DDMMYY-XXXX with or without the dash, with a plausible day and month.
CPR_RE = re.compile(r"(?<![\d-])(?:0[1-9]|[12]\d|3[01])(?:0[1-9]|1[0-2])\d{2}-?\d{4}(?![\d-])")
CLOSED_BILAG_LABEL = "lukket bilag, ikke offentligt"


def scan_cpr(path: str, lines: list[str], skip: list[range], reviewed: list[str], problems: Problems) -> None:
    """Report text that looks like a CPR number, unless listed in `reviewed_cpr`."""
    text = "\n".join(lines)
    for match in CPR_RE.finditer(text):  # one pass over the file; line numbers only for hits
        number = text.count("\n", 0, match.start()) + 1
        if match.group(0) in reviewed or any(number in span for span in skip):
            continue
        problems.error(
            path, number,
            f"'{match.group(0)}' looks like a CPR number; remove it, or if it is not personal data "
            f"add it to the front matter: reviewed_cpr: [\"{match.group(0)}\"]",
        )


def scan_bilag_cpr(texts: dict[str, str | None], reviewed: dict[str, set[str]], problems: Problems) -> None:
    """Report CPR-like numbers in the text of public bilag (it is published on their pages and in search).

    `reviewed` holds, per bilag, the `reviewed_cpr` of the files that link to it.
    """
    for rel, text in sorted(texts.items()):
        for match in CPR_RE.finditer(text or ""):
            if match.group(0) in reviewed.get(rel, set()):
                continue
            problems.error(
                f"content/{rel}", 1,
                f"the text of this bilag contains '{match.group(0)}', which looks like a CPR number; remove it from "
                f"the file, or if it is not personal data add reviewed_cpr: [\"{match.group(0)}\"] to the front "
                "matter of the meeting that links the bilag",
            )


def _in_public_part(item: AgendaItem | None, line: int) -> bool:
    """Open items are public; of a closed item only a publishable decision is."""
    if item is None or not item.closed:
        return True
    if not item.public_decision:
        return False
    for section, following in zip(item.sections, [*item.sections[1:], None]):
        end = following.line if following else item.end_line
        if section.name == "Beslutning" and section.line <= line < end:
            return True
    return False


def _unlink(fragment: str, hrefs: set[str]) -> str:
    """Replace links to closed bilag by their title and a 'not public' label."""
    if not hrefs:
        return fragment

    def replace_link(match: re.Match[str]) -> str:
        if html.unescape(match.group(1)) not in hrefs:
            return match.group(0)
        return f'<span class="lukket-bilag">{match.group(2)} <em>({CLOSED_BILAG_LABEL})</em></span>'

    return re.sub(r'<a href="([^"]*)">(.*?)</a>', replace_link, fragment, flags=re.S)


def _public_item(item: AgendaItem, closed_hrefs: set[str]) -> AgendaItem:
    """A closed item keeps number and title, and its decision only if marked publishable."""
    if not item.closed:
        if not closed_hrefs:
            return item  # nothing to hide; items are never changed after loading, so sharing is safe
        sections = [replace(s, html=_unlink(s.html, closed_hrefs)) for s in item.sections]
        return replace(item, sections=sections, intro_html=_unlink(item.intro_html, closed_hrefs))
    decision: list[Section] = [
        replace(s, html=_unlink(s.html, closed_hrefs)) for s in item.sections if item.public_decision and s.name == "Beslutning"
    ]
    return replace(item, sections=decision, intro_html="", meta=ItemMeta())


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
        by_number = {item.number: item for item in meeting.items}
        public_links: list[LinkRef] = []
        closed_hrefs: set[str] = set()
        for link in meeting.links:
            bilag = bilag_path(meeting.path, link.href)
            public = _in_public_part(by_number.get(link.item) if link.item else None, link.line)
            if public and not link.closed:
                public_links.append(link)
                if bilag:
                    public_refs.setdefault(bilag, link)
            elif bilag:
                private_bilag.add(bilag)
                if link.closed:
                    closed_hrefs.add(link.href)
        items = [_public_item(item, closed_hrefs) for item in meeting.items]
        meetings.append(replace(meeting, items=items, links=public_links))
    for link in _other_links(content):
        bilag = bilag_path(link.source, link.href)
        if link.closed:
            problems.error(
                link.source, link.line,
                "{lukket} after a link only works in a meeting item; a page, strategy or body cannot show a closed "
                "bilag: remove the link, or the marker if the bilag is public",
            )
        elif bilag:
            public_refs.setdefault(bilag, link)
    for bilag in sorted(private_bilag & set(public_refs)):
        link = public_refs[bilag]
        problems.error(
            link.source, link.line,
            f"bilag content/{bilag} is linked here as public, but it is closed elsewhere (in a closed item or "
            "marked {lukket}); a closed bilag must never be published: mark this link {lukket} too",
        )
    public = replace(content, meetings=meetings, bilag_files=content.bilag_files - private_bilag)
    return public, private_bilag
