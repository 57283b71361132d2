"""What an editor's link points to, decided from the href alone (no lookups)."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import unquote, urlsplit

from .i18n import _

SAFE_SCHEMES = {"http", "https", "mailto", "tel"}


@dataclass(frozen=True)
class Ref:
    """A parsed href: external URL, or a content-relative path plus anchor."""

    external: str | None = None
    path: str = ""  # content-relative, '' for a same-page anchor
    anchor: str = ""


class BadRef(ValueError):
    """An href that can never be valid; the message says what to write instead."""


@lru_cache(maxsize=1 << 17)  # every link is resolved by the check and again by the linker, and again on every preview rebuild
def parse_href(source: str, href: str) -> Ref:
    """Resolve `href`, written in the file `source` (path under content/), to a Ref."""
    if not href.strip():
        raise BadRef(_("empty link target; write the file the link goes to, e.g. ../../bilag/…/fil.pdf"))
    parts = urlsplit(href)
    if parts.scheme:
        if parts.scheme.lower() not in SAFE_SCHEMES:
            raise BadRef(_("link scheme '{scheme}' is not allowed; use https://, mailto: or a relative link", scheme=f"{parts.scheme}:"))
        return Ref(external=href)
    if parts.netloc:
        raise BadRef(_("link '{link}' has no scheme; write {address}", link=href, address=f"https://{parts.netloc}{parts.path}"))
    if not parts.path:
        return Ref(anchor=unquote(parts.fragment))
    if parts.path.startswith("/"):
        raise BadRef(_("absolute path '{path}'; write a relative link from this file, e.g. ../../bilag/…", path=parts.path))
    source_dir = posixpath.dirname(source.removeprefix("content/"))
    joined = posixpath.normpath(posixpath.join(source_dir, unquote(parts.path)))
    if joined == ".." or joined.startswith("../") or joined.startswith("/"):
        raise BadRef(_("link '{link}' leaves content/; link only to files inside content/", link=href))
    return Ref(path=joined, anchor=unquote(parts.fragment))


def bilag_path(source: str, href: str) -> str | None:
    """The content-relative bilag file a link points to, if it points into bilag/."""
    try:
        ref = parse_href(source, href)
    except BadRef:
        return None
    return ref.path if ref.path.startswith("bilag/") else None
