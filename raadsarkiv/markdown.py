"""HTML hygiene for rendered Markdown: the sanitizer's allow-list, table regions, and anchors (slugify).

Parsing and rendering happen once per file in document.py.
"""

from __future__ import annotations

import re
import unicodedata

import nh3

# What survives sanitizing raw HTML in Markdown (documented in docs/content-format.md).
# No <a> or <img>: links and images exist only as placeholders for checked links (document.py).
ALLOWED_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "strong", "em", "b", "i", "u", "s", "sub", "sup",
    "small", "abbr", "cite", "q", "code", "pre", "kbd", "blockquote", "ul", "ol", "li", "dl", "dt", "dd",
    "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td", "span", "div",
    "figure", "figcaption", "del", "ins", "mark",
}
ALLOWED_ATTRIBUTES = {
    "*": {"lang", "title", "dir"},
    "h2": {"id"}, "h3": {"id"}, "h4": {"id"}, "h5": {"id"}, "h6": {"id"},
    "th": {"scope", "colspan", "rowspan", "style"},
    "td": {"colspan", "rowspan", "style"},
    "abbr": {"title"},
    "ol": {"start"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}


_TRANSLIT = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "Æ": "ae", "Ø": "oe", "Å": "aa"})


def slugify(text: str, separator: str = "-") -> str:
    """A stable ASCII anchor: 'Målsætning 1: Job' -> 'maalsaetning-1-job'."""
    text = unicodedata.normalize("NFKD", text.translate(_TRANSLIT).lower())
    text = text.encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", separator, text).strip(separator)


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
