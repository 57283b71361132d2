"""Accessibility checks axe cannot do, on generated HTML: a tiny DOM from the stdlib parser plus rules.

Each rule takes a parsed page (and its path in the output) and returns problems as text,
so tests can run them over every generated page and over known-bad snippets alike.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
HEADING = re.compile(r"^h([1-6])$")
# "(PDF, 27 kB)": what every bilag link must say about the file.
FILE_INFO = re.compile(r"\([A-ZÆØÅ0-9]+, [\d.,]+ (byte|kB|MB)\)")
VAGUE_LINK_TEXT = {"klik her", "læs mere", "her", "link", "mere", "læs her", "se mere", "klik"}
LANG_TAG = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")


@dataclass
class Node:
    """An element: tag, attributes, children (Nodes and strings)."""

    tag: str
    attrs: dict[str, str]
    children: list[Node | str] = field(default_factory=list)

    def iter(self) -> Iterator[Node]:
        """This element and every element below it, in document order."""
        yield self
        for child in self.children:
            if isinstance(child, Node):
                yield from child.iter()

    def text(self) -> str:
        """The element's text with whitespace collapsed (img alt counts as text)."""
        parts: list[str] = []
        for child in self.children:
            if isinstance(child, str):
                parts.append(child)
            elif child.tag == "img":
                parts.append(child.attrs.get("alt", ""))
            else:
                parts.append(child.text())
        return " ".join(" ".join(parts).split())


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].children.append(Node(tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self.stack) - 1, 0, -1):
            if self.stack[index].tag == tag:
                del self.stack[index:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse(html: str) -> Node:
    """Parse an HTML document into Nodes."""
    builder = _Builder()
    builder.feed(html)
    builder.close()
    return builder.root


def one_h1(doc: Node, path: str = "") -> list[str]:
    """Exactly one h1."""
    count = sum(1 for n in doc.iter() if n.tag == "h1")
    return [] if count == 1 else [f"{count} h1 elements, expected exactly one"]


def heading_levels(doc: Node, path: str = "") -> list[str]:
    """Headings start at h1 and never skip a level going down."""
    problems, previous = [], 0
    for node in doc.iter():
        match = HEADING.match(node.tag)
        if not match:
            continue
        level = int(match.group(1))
        if level > previous + 1:
            problems.append(f"<{node.tag}> {node.text()!r} follows h{previous}: skipped heading level")
        previous = level
    return problems


# The bilag index and the bilag list pages (a body's year, the other bilag): lists, not a bilag.
BILAG_LIST_PAGE = re.compile(r"bilag/(?:[^/]+/\d{4}/|oevrige/)?index\.html")


def _is_bilag_target(page_path: str, href: str) -> bool:
    """A link to a bilag file or a bilag's own page (not the bilag index or a bilag list page)."""
    if not href or href.startswith(("#", "http:", "https:", "mailto:", "tel:", "/")):
        return False
    target = posixpath.normpath(posixpath.join(posixpath.dirname(page_path), href.split("#")[0]))
    return target.startswith("bilag/") and not BILAG_LIST_PAGE.fullmatch(target)


def bilag_links_state_file_info(doc: Node, path: str) -> list[str]:
    """Every link to a bilag says its file type and size, e.g. '(PDF, 27 kB)'."""
    return [
        f"bilag link {a.text()!r} -> {a.attrs['href']} does not state file type and size"
        for a in doc.iter()
        if a.tag == "a" and _is_bilag_target(path, a.attrs.get("href", "")) and not FILE_INFO.search(a.text())
    ]


def tables_have_caption_and_headers(doc: Node, path: str = "") -> list[str]:
    """Every table has a non-empty caption and header cells."""
    problems = []
    for table in (n for n in doc.iter() if n.tag == "table"):
        captions = [n for n in table.iter() if n.tag == "caption" and n.text()]
        headers = [n for n in table.iter() if n.tag == "th"]
        if not captions:
            problems.append("table without a caption")
        if not headers:
            problems.append(f"table {captions[0].text() if captions else ''!r} without header cells (th)")
    return problems


def language(doc: Node, path: str = "", expected: str = "da") -> list[str]:
    """<html lang="da"> (the site's interface language, `expected`), and every other lang attribute is a well-formed language tag."""
    html = next((n for n in doc.iter() if n.tag == "html"), None)
    problems = [] if html is not None and html.attrs.get("lang") == expected else [f'<html> lacks lang="{expected}"']
    for node in doc.iter():
        lang = node.attrs.get("lang")
        if lang is not None and not LANG_TAG.match(lang):
            problems.append(f"<{node.tag} lang={lang!r}>: not a language tag")
    return problems


def link_texts(doc: Node, path: str = "") -> list[str]:
    """No link is empty or only 'klik her', 'læs mere' and the like."""
    problems = []
    for a in (n for n in doc.iter() if n.tag == "a" and "href" in n.attrs):
        text = (a.attrs.get("aria-label") or a.text()).strip().lower().rstrip(".:!")
        if not text:
            problems.append(f"link to {a.attrs['href']} has no text")
        elif text in VAGUE_LINK_TEXT:
            problems.append(f"link text {text!r} does not say where it goes ({a.attrs['href']})")
    return problems


def images_have_alt(doc: Node, path: str = "") -> list[str]:
    """Every img has alt text, or is marked decorative (alt="" with role=presentation or aria-hidden)."""
    problems = []
    for img in (n for n in doc.iter() if n.tag == "img"):
        alt = img.attrs.get("alt")
        decorative = alt == "" and (img.attrs.get("role") in {"presentation", "none"} or img.attrs.get("aria-hidden") == "true")
        if alt is None or (not alt.strip() and not decorative):
            problems.append(f"image {img.attrs.get('src', '')!r} has no alt text and is not marked decorative")
    return problems


RULES = [one_h1, heading_levels, bilag_links_state_file_info, tables_have_caption_and_headers, language, link_texts, images_have_alt]
