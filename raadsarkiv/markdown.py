"""Markdown to sanitized HTML, collecting links (with their lines) and heading anchors.

Links are left as the editor wrote them; views.py rewrites them to site URLs
once the linker has resolved every one.
"""

from __future__ import annotations

import re
import unicodedata
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

import markdown
import nh3
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

# What survives sanitizing raw HTML in Markdown (documented in docs/content-format.md).
ALLOWED_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "strong", "em", "b", "i", "u", "s", "sub", "sup",
    "small", "abbr", "cite", "q", "code", "pre", "kbd", "blockquote", "ul", "ol", "li", "dl", "dt", "dd",
    "a", "img", "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td", "span", "div",
    "figure", "figcaption", "del", "ins", "mark",
}
ALLOWED_ATTRIBUTES = {
    "*": {"lang", "title"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "h2": {"id"}, "h3": {"id"}, "h4": {"id"}, "h5": {"id"}, "h6": {"id"},
    "th": {"scope", "colspan", "rowspan", "style"},
    "td": {"colspan", "rowspan", "style"},
    "abbr": {"title"},
    "ol": {"start"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}

# `[text](href){lukket}`: a marker in braces right after a link.
LINK_MARKER_RE = re.compile(r"(\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\))[ \t]*\{([^}\n]*)\}")

_TRANSLIT = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "Æ": "ae", "Ø": "oe", "Å": "aa"})


def slugify(text: str, separator: str = "-") -> str:
    """A stable ASCII anchor: 'Målsætning 1: Job' -> 'maalsaetning-1-job'."""
    text = unicodedata.normalize("NFKD", text.translate(_TRANSLIT).lower())
    text = text.encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", separator, text).strip(separator)


@dataclass
class Rendered:
    """Sanitized HTML and what was found in it."""

    html: str
    hrefs: list[tuple[str, str, bool]] = field(default_factory=list)  # href, text, is_image
    anchors: set[str] = field(default_factory=set)
    headings: list[tuple[int, str, str]] = field(default_factory=list)
    images_without_alt: list[str] = field(default_factory=list)


class _Collect(Treeprocessor):
    """Collect links, images and heading ids; turn 'Tabel …' paragraphs into captions."""

    def run(self, root: ET.Element) -> None:
        found: Rendered = self.md.found  # type: ignore[attr-defined]
        parents = {child: parent for parent in root.iter() for child in parent}
        for element in list(root.iter()):
            if element.tag == "a" and element.get("href") is not None:
                found.hrefs.append((element.get("href", ""), "".join(element.itertext()).strip(), False))
            elif element.tag == "img":
                found.hrefs.append((element.get("src", ""), element.get("alt", ""), True))
                if not element.get("alt", "").strip():
                    found.images_without_alt.append(element.get("src", ""))
            elif element.tag in {"h2", "h3", "h4", "h5", "h6"} and element.get("id"):
                found.anchors.add(element.get("id", ""))
                found.headings.append((int(element.tag[1]), element.get("id", ""), "".join(element.itertext())))
            elif element.tag == "table":
                _caption_from_previous_paragraph(element, parents.get(element))
                for header in element.iter("th"):
                    header.set("scope", "col")


def _caption_from_previous_paragraph(table: ET.Element, parent: ET.Element | None) -> None:
    """A paragraph starting with 'Tabel' right before a table becomes its <caption>."""
    if parent is None:
        return
    siblings = list(parent)
    index = siblings.index(table)
    if index == 0:
        return
    previous = siblings[index - 1]
    if previous.tag != "p" or not "".join(previous.itertext()).strip().startswith("Tabel"):
        return
    caption = ET.Element("caption")
    caption.text, caption.tail = previous.text, None
    caption.extend(list(previous))
    parent.remove(previous)
    table.insert(0, caption)


class _CollectExtension(Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (Markdown's API)
        md.treeprocessors.register(_Collect(md), "raadsarkiv-collect", 0)


def _make(with_heading_ids: bool) -> markdown.Markdown:
    extensions: list = ["tables", "fenced_code", "sane_lists", "attr_list", "md_in_html", _CollectExtension()]
    if with_heading_ids:
        extensions.append("toc")
    return markdown.Markdown(
        extensions=extensions,
        extension_configs={"toc": {"slugify": slugify, "permalink": False}} if with_heading_ids else {},
        output_format="html",
    )


_INSTANCES: dict[bool, markdown.Markdown] = {}


def strip_link_markers(text: str) -> tuple[str, list[tuple[str, list[str], int]]]:
    """Remove `{…}` markers after links; return the text and (href, words, line offset)."""
    markers: list[tuple[str, list[str], int]] = []

    def take(match: re.Match[str]) -> str:
        line = text.count("\n", 0, match.start())
        markers.append((match.group(2), match.group(3).replace(",", " ").split(), line))
        return match.group(1)

    return LINK_MARKER_RE.sub(take, text), markers


def to_html(text: str, heading_ids: bool = False) -> Rendered:
    """Convert Markdown to sanitized HTML; `heading_ids` gives headings stable ids."""
    md = _INSTANCES.get(heading_ids)
    if md is None:
        md = _INSTANCES[heading_ids] = _make(heading_ids)
    found = Rendered("")
    md.found = found  # type: ignore[attr-defined]
    raw_html = md.reset().convert(text)
    found.html = wrap_tables(sanitize(raw_html))
    return found


TABLE_RE = re.compile(r"<table>(\s*<caption>(.*?)</caption>)?", re.S)
TAG_RE = re.compile(r"<[^>]+>")


def wrap_tables(html: str) -> str:
    """Put each table in a named, focusable scroll region so keyboard users can scroll wide tables."""

    def open_region(match: re.Match[str]) -> str:
        name = " ".join(TAG_RE.sub("", match.group(2) or "Tabel").split()).replace('"', "&quot;")
        return f'<div class="table-scroll" role="region" tabindex="0" aria-label="{name}">' + match.group(0)

    return TABLE_RE.sub(open_region, html).replace("</table>", "</table></div>")


def sanitize(html: str) -> str:
    """Remove every element, attribute and URL scheme not explicitly allowed."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=None,
        filter_style_properties={"text-align"},
        strip_comments=True,
    )


def find_line(lines: list[str], needle: str, start: int = 0) -> int:
    """0-based index of the first line containing `needle` (or `start` if none does)."""
    for index in range(start, len(lines)):
        if needle in lines[index]:
            return index
    for index in range(0, min(start, len(lines))):
        if needle in lines[index]:
            return index
    return start
