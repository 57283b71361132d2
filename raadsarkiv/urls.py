"""The one place where output paths are decided.

Every path is relative to the output root and names a file (`…/index.html`), so
pages link to each other with relative links that work at a domain root, under a
sub-path and when opened from disk.
"""

from __future__ import annotations

import hashlib
import posixpath
import unicodedata
from functools import lru_cache
from pathlib import PurePosixPath
from urllib.parse import quote as _quote

from .model import Meeting

HOME = "index.html"
NOT_FOUND = "404.html"
BILAG_INDEX = "bilag/index.html"
# Public bilag not attached to any agenda item (linked from strategies, pages, body descriptions or a meeting's
# introduction). Two levels deep, so it can never be the page of a body and year (bilag_list: three levels).
BILAG_OTHER = "bilag/oevrige/index.html"
STRATEGY_INDEX = "strategier/index.html"
BODY_INDEX = "udvalg/index.html"
SEARCH = "soeg/index.html"
SITEMAP = "sitemap.xml"
FEED = "feed.xml"  # Atom feed of the whole archive (feeds.py); each body has one too (body_feed)
CALENDAR = "kalender.ics"  # iCalendar file of every meeting (calendars.py); each body has one too (body_calendar)
ROBOTS = "robots.txt"
STYLESHEET = "static/style.css"
FAVICON = "favicon.ico"  # a copy of static/favicon.ico at the site's root
# The accessibility statement (a content page) and the conventional /was address redirecting to it.
STATEMENT_SLUG = "tilgaengelighed"
WAS = "was/index.html"
AGENDA_VERSION = "dagsorden"  # a meeting's agenda version: `<meeting page>/dagsorden/`

# Top-level folders the engine uses; a page slug may not take one of them.
RESERVED = {"udvalg", "bilag", "strategier", "soeg", "static", "pagefind", "index", "404", "sitemap", "robots", "was",
            "sager", "personer", "data"}


def body(slug: str) -> str:
    return f"udvalg/{slug}/index.html"


def body_feed(slug: str) -> str:
    return f"udvalg/{slug}/{FEED}"


def body_calendar(slug: str) -> str:
    return f"udvalg/{slug}/{CALENDAR}"


def _meeting_folder(m: Meeting, kind: str) -> str:
    extra = f"-{m.meta.sequence}" if m.meta.sequence else ""  # the body's second (third …) meeting that day
    return f"udvalg/{m.meta.home}/{m.meta.when.isoformat()}-{kind}{extra}"  # 2014-03-referat: month only


def meeting(m: Meeting) -> str:
    """A meeting document's page. A dagsorden whose meeting has a referat (its agenda version) lies under the referat's page."""
    if m.agenda_version:
        return f"{_meeting_folder(m, 'referat')}/{AGENDA_VERSION}/index.html"
    return f"{_meeting_folder(m, m.meta.kind)}/index.html"


def minutes_folder(m: Meeting) -> str:
    """The folder of the meeting's page once it has a referat, 'udvalg/<body>/<date>-referat[-2]', for either of its
    documents and whether the referat exists yet or not: a name for the meeting that does not change (opendata.py)."""
    return _meeting_folder(m, "referat")


def agenda_redirect(m: Meeting) -> str:
    """Where an agenda version was published before its meeting had a referat: a redirect to the meeting's page."""
    return f"{_meeting_folder(m, 'dagsorden')}/index.html"


def strategy(slug: str) -> str:
    return f"strategier/{slug}/index.html"


def page(slug: str) -> str:
    return f"{slug}/index.html"


CASE_SLUG_MAX = 100
_CASE_KEEP = frozenset("abcdefghijklmnopqrstuvwxyz0123456789-.")


def case_slug(number: str) -> str:
    """A case number as one safe, stable path segment: `24.00.00-G01-1-24` -> `24.00.00-g01-1-24`.

    Letters are lower-cased (case numbers differing only in case are one case), a-z, 0-9, '-' and '.' are
    kept, and every other character (`/`, space, æ …) becomes `_` plus the hex of its UTF-8 bytes
    (`2015/0004938` -> `2015_2f0004938`): distinct numbers never share a slug, and a slug never starts or
    ends with '.' (no `..` segment, no hidden folder, nothing Windows refuses).
    """
    text = unicodedata.normalize("NFC", number.strip()).lower()
    out = "".join(c if c in _CASE_KEEP else "".join(f"_{b:02x}" for b in c.encode()) for c in text)
    if out.startswith("."):
        out = "_2e" + out[1:]
    if out.endswith("."):
        out = out[:-1] + "_2e"
    if len(out) > CASE_SLUG_MAX:  # a folder name: file systems allow 255 bytes; the digest keeps it distinct
        out = f"{out[:CASE_SLUG_MAX - 9]}_{hashlib.blake2b(out.encode(), digest_size=4).hexdigest()}"
    return out


def case(number: str) -> str:
    """The page of a case: every item filed under the case number, `sager/<case_slug>/index.html`."""
    return f"sager/{case_slug(number)}/index.html"


def person(person_id: str) -> str:
    """A member's page (structured attendance): `personer/<id>/index.html`; ids are slugs (model.Slug)."""
    return f"personer/{person_id}/index.html"


@lru_cache(maxsize=1 << 16)  # asked for again by every page that links the bilag: compute each path once
def bilag_page(rel: str) -> str:
    """`bilag/x/2023-10-10/plan.pdf` -> `bilag/x/2023-10-10/plan-pdf/index.html`."""
    path = PurePosixPath(rel)
    return str(path.with_name(f"{path.stem}-{path.suffix.lstrip('.').lower()}") / "index.html")


def bilag_list(body_slug: str, year: int) -> str:
    """The list of a body's bilag from one year: `bilag/<body>/<year>/index.html`.

    It never collides with a bilag's own page or file: those always lie in a folder named
    `<stem>-<ext>` (bilag_page), and a year has no '-'; a date folder (`2023-10-10`) is not a year.
    """
    return f"bilag/{body_slug}/{year:04d}/index.html"


@lru_cache(maxsize=1 << 16)
def bilag_file(rel: str) -> str:
    """The published copy of a bilag file sits beside its page."""
    return posixpath.join(posixpath.dirname(bilag_page(rel)), PurePosixPath(rel).name)


def sitemap_part(number: int) -> str:
    """`sitemap-1.xml`, `sitemap-2.xml` …: the files a sitemap index (sitemap.xml) lists on a large site."""
    return f"sitemap-{number}.xml"


def root_of(path: str) -> str:
    """The relative prefix from a page back to the output root: '', '../', '../../' …"""
    return "../" * path.count("/")


def pretty(path: str) -> str:
    """The public URL path of a page: `udvalg/x/index.html` -> `udvalg/x/`."""
    return path.removesuffix("index.html")


def absolute(base_url: str, path: str) -> str:
    """The public address of an output path (a page's is its folder), percent-encoded."""
    return quote(base_url + pretty(path))


def quote(url: str) -> str:
    """Percent-encode what may not stand in a URL (spaces, non-ASCII); reserved characters and escapes stay."""
    return _quote(url, safe="/#%:?=&~+@!$,;*'()[]")
