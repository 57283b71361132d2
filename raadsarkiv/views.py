"""What templates see: one view per page, made from the linked public site.

Every link in a view is already relative to the page it appears on, so
templates never compute URLs and never see anything that is not public.
"""

from __future__ import annotations

import datetime as dt
import re
import weakref
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from html import escape
from typing import Any

from babel.dates import format_date, format_time
from babel.numbers import format_decimal

from . import urls
from .attendance import ABSENCE_LABEL, ROLE_LABEL, attendance_groups, item_votes
from .linker import BilagInfo, ItemRef, Site, neighbours
from .document import render_links, text_of
from .i18n import N_, UI
from .clock import local
from .model import Meeting, Publishable, When, item_order
from .people import Appearance, latest, people
from .public import CLOSED_BILAG_LABEL
from .theme import colour_css

# Labels are msgids (English), translated into the site's language (site_config.yaml `language:`) where shown.
KIND_LABEL = {"referat": N_("Minutes"), "dagsorden": N_("Agenda")}
# What the search filter "Type" and a search result call a page.
# The search filter "Type" and the type under each result, capitalised as the pages write them.
SEARCH_KIND = {**KIND_LABEL, "strategi": N_("Strategy"), "bilag": N_("Attachment"), "side": N_("Page")}
BODY_TYPE = {"råd": N_("council"), "udvalg": N_("committee"), "byråd": N_("city council"), "bestyrelse": N_("board"),
             "andet": N_("other body")}
STRATEGY_STATUS = {"gældende": N_("in force"), "udløbet": N_("expired"), "udkast": N_("draft"), "ukendt": N_("unknown")}
NAV = [
    (N_("Front page"), urls.HOME), (N_("Councils and committees"), urls.BODY_INDEX), (N_("Strategies"), urls.STRATEGY_INDEX),
    (N_("Attachments"), urls.BILAG_INDEX), (N_("Search"), urls.SEARCH),
]
# Translators: Babel (CLDR) date patterns: d day, MMMM month name, MMM short month, EEEE weekday, y year; text in '…' is literal.
DATE_PATTERNS = {"long": N_("d MMMM y"), "weekday": N_("EEEE d MMMM y"), "short": N_("d MMM y")}


@dataclass(frozen=True)
class PageView:
    """A page to render: where it goes, with which template and context."""

    output: str
    template: str
    context: dict[str, Any]


def ui_of(site: Site) -> UI:
    """The site's interface language."""
    return UI(site.config.language)


def file_size(size: int, ui: UI) -> str:
    """A file size in the site's language: '512 byte', '45 kB', '1,2 MB' (English: '512 bytes', '1.2 MB')."""
    if size < 1000:
        return ui.ngettext("{n} byte", "{n} bytes", size)
    if size < 1_000_000:
        return f"{format_decimal(round(size / 1000), locale=ui.locale)} kB"
    return f"{format_decimal(round(size / 1_000_000, 1), locale=ui.locale)} MB"


def bilag_label(info: BilagInfo, ui: UI) -> str:
    """'PDF, 45 kB': what a bilag link says about the file."""
    return f"{info.type}, {file_size(info.size, ui)}"


def long_date(value: dt.date | When, ui: UI, style: str = "long") -> str:
    """'10. oktober 2023' ('10 October 2023'); style 'weekday': 'tirsdag den 10. oktober 2023', 'short': '10. okt. 2023'.
    The templates' `date` filter (render.py).

    A meeting's date (model.When) may be known only to the month ('marts 2014') or year ('2014'), and the
    body's second meeting that day says so: '13. maj 2024 (2. møde)'.
    """
    pattern = ui.gettext(DATE_PATTERNS[style])
    if not isinstance(value, When):
        return format_date(value, pattern, locale=ui.locale)
    text = format_date(value.date, {"year": "y", "month": "LLLL y"}.get(value.precision, pattern), locale=ui.locale)
    return ui.gettext("{date} (meeting {number})", date=text, number=value.sequence) if value.sequence else text


def summary(text: str, limit: int = 200) -> str:
    """A page's meta description: the text on one line, cut at a word before `limit` characters."""
    text = " ".join(text[: limit * 4].split())  # a bilag's text may be long: only its start can matter
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:.–-")
    return f"{cut}…"


def lead_text(html: str) -> str:
    """The text of a rendered document's first paragraph (else all its text): what a meta description quotes."""
    match = re.search(r"<p\b[^>]*>(.*?)</p>", html, re.S)
    return text_of(match.group(1) if match else html).strip()


def clock(start: str | None, end: str | None, ui: UI) -> str | None:
    """Times of day: 'kl. 16.00–17.30' in Danish (a full stop between hours and minutes), '16:00–17:30' in English;
    None without a start."""
    if start is None:
        return None
    # Translators: a Babel (CLDR) time pattern: HH hours, mm minutes.
    pattern = ui.gettext("HH:mm")

    def time(value: str) -> str:
        return format_time(dt.time.fromisoformat(value), pattern, locale=ui.locale)

    # Translators: the time a meeting started (a time of day: 16:00).
    return ui.gettext("{start}–{end}", start=time(start), end=time(end)) if end else ui.gettext("{start}", start=time(start))


def meeting_name(site: Site, meeting: Meeting) -> str:
    """'Referat: Integrationsrådet, Aalborg Kommune, 10. oktober 2023': what tells a meeting's page from others."""
    ui = ui_of(site)
    organisations = joined(sorted({site.config.organisations[o].name for o in _organisations(site, meeting)}), ui)
    kind = ui.gettext(KIND_LABEL[meeting.meta.kind])
    return f"{kind}: {bodies_name(site, meeting)}, {organisations}, {long_date(meeting.meta.when, ui)}"


def meeting_summary(site: Site, meeting: Meeting) -> str:
    """What a meeting is, in one line: its name, the number of items and their titles (public for closed items too).
    The meeting page's meta description and its feed entry's summary."""
    titles = "; ".join(item.title for item in meeting.items)
    count = ui_of(site).ngettext("{n} item", "{n} items", len(meeting.items))
    return f"{meeting_name(site, meeting)}. {count}: {titles}"


def last_changed(site: Site, path: str) -> dt.date | None:
    """The day (Danish time) of the last commit that changed a content file, or None without git history."""
    found = site.history.get(path)
    return local(found.last).date() if found else None


def _record(site: Site, path: str, meta: Publishable) -> dict[str, Any]:
    """What a meeting, strategy or page says about itself: "Senest ændret" (history.py), its corrections
    (rettelser), and in the preview only, that it is a draft or under embargo (embargo.py)."""
    held = site.withheld.get(path)
    ui = ui_of(site)
    notice = None
    if held is not None and held.draft:
        notice = ui.gettext("Draft: the page is shown only in the preview and is not published until the draft is finished (draft: true).")
    elif held is not None and held.until is not None:
        until = local(held.until)
        # Translators: {time} is a time of day (the translation of "HH:mm"): 'kl. 12.00'.
        notice = ui.gettext("Under embargo: the page is published on {date} at {time} (publish_after).", date=long_date(until.date(), ui),
                            time=format_time(until.time(), ui.gettext("HH:mm"), locale=ui.locale))
    return {
        "changed": last_changed(site, path),
        "corrections": [{"date": c.date, "note": c.note} for c in meta.rettelser],
        "held": notice,
    }


def _held_label(site: Site, path: str) -> str | None:
    """In the preview, what a list says of a draft or embargoed meeting (a build never lists one)."""
    held = site.withheld.get(path)
    if held is None:
        return None
    ui = ui_of(site)
    # Translators: a label after a meeting in a list of the preview.
    return ui.gettext("unpublished draft") if held.draft else ui.gettext("under embargo")


def subscriptions(site: Site, link: Linker, slug: str | None = None) -> dict[str, str]:
    """Where to follow a body's meetings (or, without `slug`, the whole archive's): its Atom feed and its
    calendar, as links from this page and as the public addresses a calendar program subscribes to."""
    feed = urls.body_feed(slug) if slug else urls.FEED
    calendar = urls.body_calendar(slug) if slug else urls.CALENDAR
    address = urls.absolute(str(site.config.base_url), calendar)
    return {
        "feed_url": link.to(feed), "feed_address": urls.absolute(str(site.config.base_url), feed),
        "calendar_url": link.to(calendar), "calendar_address": address,
        "webcal": "webcal://" + address.split("://", 1)[1],
    }


def _alternates(subscribe: dict[str, str], title: str) -> list[dict[str, str]]:
    """`<link rel="alternate">` of a page followed by a feed."""
    return [{"type": "application/atom+xml", "title": title, "url": subscribe["feed_url"]}]


class Linker:
    """Relative links from one page: to other pages, and inside Markdown fragments."""

    def __init__(self, site: Site, page: str) -> None:
        self.site = site
        self.page = page
        self.root = urls.root_of(page)

    def to(self, output: str, anchor: str = "") -> str:
        """The relative link to an output path (and anchor) from this page, percent-encoded."""
        if output == self.page and anchor:
            return f"#{urls.quote(anchor)}"
        return urls.quote(self.root + output + (f"#{anchor}" if anchor else ""))

    def fragment(self, source: str, html: str) -> str:
        """Put the editor's links into a rendered fragment (document.py placeholders), resolved to site URLs.

        A link that is not public (marked {lukket}) keeps its text and gets the closed-bilag label, never an href.
        """
        links = self.site.links.get(source, {})

        def render(index: int, kind: str) -> tuple[str, str]:
            ref = links.get(index)
            if ref is None:
                label = escape(ui_of(self.site).gettext(CLOSED_BILAG_LABEL))
                return ('<span class="lukket-bilag">', f" <em>({label})</em></span>") if kind == "a" else ("", "")
            target = self.site.targets.get((source, ref.href))
            if target is None:
                return "", ""  # unreachable after check(); never emit a broken link
            url = target.external or self.to(target.output, target.anchor)
            title = f' title="{escape(ref.title)}"' if ref.title else ""
            if kind == "i":
                return f'<img src="{escape(url)}" alt="{escape(ref.text)}"{title}>', ""
            if target.kind == "bilag" and target.key in self.site.bilag:
                label = bilag_label(self.site.bilag[target.key], ui_of(self.site))
                public = urls.quote(str(self.site.config.base_url) + target.output)  # printed after the link
                return (f'<a href="{escape(url)}" class="bilag" data-url="{escape(public)}"{title}>',
                        f' <span class="filinfo">({label})</span></a>')
            return f'<a href="{escape(url)}"{title}>', "</a>"

        return render_links(html, render)


def _footer(site: Site, to: Any) -> dict[str, Any]:
    """Footer links: the accessibility statement first and always (when it exists), then other pages."""
    pages = site.content.pages
    statement = pages.get(urls.STATEMENT_SLUG)
    return {
        "statement_url": to(urls.page(urls.STATEMENT_SLUG)) if statement else None,
        "footer_pages": [(p.meta.title, to(urls.page(slug))) for slug, p in sorted(pages.items()) if slug != urls.STATEMENT_SLUG],
    }


@dataclass(frozen=True)
class _Chrome:
    """What every page's header and footer link to, the same for every page of a site: made once per site.

    Paths are percent-encoded already; a page only puts its own root ('../../') in front,
    which is what Linker.to gives (quoting leaves '../' as it is).
    """

    nav: tuple[tuple[str, str, str], ...]  # (label, output path, encoded path)
    statement: str | None
    footer_pages: tuple[tuple[str, str], ...]  # (title, encoded path)
    colour_css: str | None  # theme.colour_css: the site's colours
    logo: str | None  # encoded path of the logo (theme.logo), under static/
    organisation_footer: tuple[tuple[str, ...], tuple[tuple[str, str], ...]]  # theme.footer: (lines, (label, url) links)


# The last site's (a build renders one site, the preview one per rebuild); a weak reference,
# so that a site no longer used is not kept in memory for it.
_chrome_cache: list[tuple[weakref.ref[Site], _Chrome]] = []


def _chrome(site: Site) -> _Chrome:
    if _chrome_cache and _chrome_cache[0][0]() is site:
        return _chrome_cache[0][1]
    footer = _footer(site, urls.quote)
    ui = ui_of(site)
    chrome = _Chrome(
        tuple((ui.gettext(label), target, urls.quote(target)) for label, target in NAV),
        footer["statement_url"], tuple(footer["footer_pages"]),
        colour_css(site.config.theme.colours),
        urls.quote(f"static/{site.config.theme.logo}") if site.config.theme.logo else None,
        (tuple(site.config.theme.footer.lines), tuple((link.label, str(link.url)) for link in site.config.theme.footer.links)),
    )
    _chrome_cache[:] = [(weakref.ref(site), chrome)]
    return chrome


def _common(
    site: Site, page: str, title: str, description: str, head_title: str | None = None, **extra: Any,
) -> dict[str, Any]:
    """What every page has. `head_title` (default: `title`) goes before ' – <site title>' in <title>;
    `description` is the page's meta description (a summary of its own content)."""
    root = urls.root_of(page)
    chrome = _chrome(site)
    return {
        "site": site.config,
        "page_path": page,
        "title": title,
        "head_title": f"{head_title or title} – {site.config.title}",
        "meta_description": summary(description),
        "root": root,
        "nav": [(label, root + encoded, target == page) for label, target, encoded in chrome.nav],
        "statement_url": root + chrome.statement if chrome.statement is not None else None,
        "footer_pages": [(name, root + encoded) for name, encoded in chrome.footer_pages],
        "colour_css": chrome.colour_css,
        "logo_url": root + chrome.logo if chrome.logo is not None else None,
        "organisation_footer": chrome.organisation_footer,
        "alternates": [],  # feeds that follow the page (home, body pages): <link rel="alternate">
        **extra,
    }


def body_label(site: Site, slug: str) -> str:
    """A body's name as lists show it: 'Eksempeludvalget', or 'Integrationsrådet (Aalborg Kommune)' where another
    organisation has a body of that name (linker.Site.shared_names)."""
    body = site.content.bodies[slug]
    if body.meta.name not in site.shared_names:
        return body.meta.name
    return f"{body.meta.name} ({site.config.organisations[body.meta.organisation].name})"


def search_meta(site: Site, kind: str, bodies: list[str], organisations: list[str], date: dt.date | When | None) -> dict[str, Any]:
    """What the search index learns about a page: filters (kind, bodies, organisations, year) and its date."""
    names = [site.config.organisations[slug].name for slug in organisations]
    return {
        "kind": ui_of(site).gettext(SEARCH_KIND[kind]),
        "bodies": sorted({body_label(site, slug) for slug in bodies}),
        "organisations": sorted(set(names)),
        "year": date.year if date else None,
        "date": date,
    }


def joined(names: list[str], ui: UI) -> str:
    """'A', 'A og B', 'A, B og C' ('A, B and C')."""
    return names[0] if len(names) == 1 else ui.gettext("{names} and {last}", names=", ".join(names[:-1]), last=names[-1])


def bodies_name(site: Site, meeting: Meeting, listed: bool = False) -> str:
    """Who met: the body's name, or for a joint meeting 'Fællesmøde mellem A og B'. `listed`: as a list of
    meetings of several bodies names them, with the organisation where another has a body of that name."""
    names = [body_label(site, slug) if listed else site.content.bodies[slug].meta.name for slug in meeting.meta.bodies]
    ui = ui_of(site)
    return names[0] if len(names) == 1 else ui.gettext("Joint meeting of {bodies}", bodies=joined(names, ui))


def _organisations(site: Site, meeting: Meeting) -> list[str]:
    return [site.content.bodies[slug].meta.organisation for slug in meeting.meta.bodies]


def _item_ref(link: Linker, site: Site, ref: ItemRef) -> dict[str, Any]:
    return {
        "url": link.to(urls.meeting(ref.meeting), ref.item.anchor),
        "body": bodies_name(site, ref.meeting, listed=True),
        "date": ref.meeting.meta.when,
        "kind": ref.meeting.meta.kind,
        "number": ref.item.number,
        "title": ref.item.title,
    }


def number_label(number: str) -> str:
    """An item number as a heading shows it: '3.', '3a.', but '3.1' (a sub-number ends without a dot)."""
    return number if "." in number else f"{number}."


def _meeting_facts(meeting: Meeting, ui: UI) -> dict[str, Any]:
    """What a meeting page shows about the meeting itself, named one by one."""
    meta = meeting.meta
    return {
        "date": meta.when, "kind": meta.kind, "time": clock(meta.start, meta.end, ui), "place": meta.place,
        "note": meta.note, "source": meta.source, "attendance": attendance_groups(meta.present, meta.absent, ui),
    }


def _pagers(site: Site, link: Linker, meeting: Meeting) -> list[dict[str, Any]]:
    """Previous and next meeting of each of the meeting's bodies (one body, or each body of a joint meeting).
    An agenda version has none: it links to its meeting's page, which has them."""
    pagers = []
    if meeting.agenda_version:
        return pagers
    for slug in meeting.meta.bodies:
        previous, following = neighbours(site, meeting, slug)
        if previous or following:
            pagers.append({
                "body": site.content.bodies[slug].meta.name,
                "previous": previous and {"url": link.to(urls.meeting(previous)), "date": previous.meta.when, "kind": previous.meta.kind},
                "next": following and {"url": link.to(urls.meeting(following)), "date": following.meta.when, "kind": following.meta.kind},
            })
    return pagers


def meeting_view(site: Site, meeting: Meeting) -> PageView:
    page = urls.meeting(meeting)
    body = site.content.bodies[meeting.meta.home]
    name = bodies_name(site, meeting)
    ui = ui_of(site)
    kind = ui.gettext(KIND_LABEL[meeting.meta.kind])
    context = _common(site, page, f"{kind}: {name}", meeting_summary(site, meeting),
                      head_title=meeting_name(site, meeting))
    link = Linker(site, page)
    items = []
    for item in meeting.items:  # public items (public.redact): a closed one holds only what may be shown
        case = item.meta.case_number
        refs = site.cases.get(urls.case_slug(case), []) if case else []
        related = [r for r in refs if r.meeting.identity != meeting.identity]  # other meetings only (not the meeting's other document)
        items.append({
            "number": item.number,
            "label": number_label(item.number),
            "title": item.title,
            "anchor": item.anchor,
            "closed": item.closed,
            "intro": link.fragment(meeting.path, item.intro_html),
            "sections": [
                {"name": s.name, "anchor": s.anchor, "html": link.fragment(meeting.path, s.html),
                 "decided_by": s.decided_by and {"prefix": s.decided_by.prefix, "body": s.decided_by.body, "date": s.decided_by.date}}
                for s in item.sections
            ],
            "case_number": item.meta.case_number,
            "case_url": link.to(urls.case(case)) if case and len(refs) >= CASE_MIN_ITEMS else None,
            "kle": item.meta.kle,
            "document_number": item.meta.document_number,
            "guests": list(item.meta.guests),
            **item_votes(item.meta, ui),  # votes, minority remarks, members who left: shown after the last decision section
            "votes_after": next((s.anchor for s in reversed(item.sections) if s.decision), None),
            "case": [_item_ref(link, site, r) for r in related],
            "mentioned_in": [_item_ref(link, site, r) for r in site.item_refs.get((meeting.path, item.number), [])],
        })
    facts = _meeting_facts(meeting, ui)
    for group in facts["attendance"]:  # each person links to their member page (views.person_view)
        for person in group["people"]:
            person["url"] = link.to(urls.person(person.pop("id")))
    other = site.other_document.get(meeting.path)  # the meeting's agenda version, or (on it) the meeting's referat
    context.update(
        meeting=facts,
        agenda_version=meeting.agenda_version,
        other_document=other and {"url": link.to(urls.meeting(other)), "kind": ui.gettext(KIND_LABEL[other.meta.kind])},
        kind_label=kind,
        body={"name": name},
        home={"name": body.meta.name},
        body_url=link.to(urls.body(body.slug)),
        joint=[{"name": site.content.bodies[slug].meta.name, "url": link.to(urls.body(slug))}
               for slug in meeting.meta.bodies] if len(meeting.meta.bodies) > 1 else [],
        organisation={"name": joined(sorted({site.config.organisations[o].name for o in _organisations(site, meeting)}), ui)},
        intro=link.fragment(meeting.path, meeting.intro_html),
        items=items,
        pagers=_pagers(site, link, meeting),
        record=_record(site, meeting.path, meeting.meta),
    )
    if not meeting.agenda_version:  # the meeting is found in search once, by its referat
        context["search_meta"] = search_meta(site, meeting.meta.kind, meeting.meta.bodies, _organisations(site, meeting), meeting.meta.when)
    return PageView(page, "meeting.html", context)


def agenda_redirect_view(site: Site, agenda: Meeting, minutes: Meeting) -> PageView:
    """The address a dagsorden had before its meeting's referat was published: a redirect to the meeting's page."""
    page = urls.agenda_redirect(agenda)
    link = Linker(site, page)
    ui = ui_of(site)
    context = _common(site, page, f"{ui.gettext(KIND_LABEL[agenda.meta.kind])}: {bodies_name(site, agenda)}, {long_date(agenda.meta.when, ui)}",
                      ui.gettext("Redirects to the meeting's page, which now shows the minutes."))
    context.update(
        target=link.to(urls.meeting(minutes)),
        message=ui.gettext("The minutes of the meeting have been published and have replaced the agenda at this address. "
                           "You are sent on to the meeting's page automatically."),
        link_text=ui.gettext("go to the meeting's page with the minutes"),
        also={"url": link.to(urls.meeting(agenda)), "text": ui.gettext("See the agenda of the meeting")},
    )
    return PageView(page, "redirect.html", context)


def agenda_redirects(site: Site) -> dict[str, tuple[Meeting, Meeting]]:
    """The redirect page of every agenda version (by output path), with the agenda and its meeting's referat."""
    return {urls.agenda_redirect(m): (m, site.other_document[m.path])
            for m in sorted(site.content.meetings, key=lambda m: m.path) if m.agenda_version}


def body_view(site: Site, slug: str) -> PageView:
    page = urls.body(slug)
    body = site.content.bodies[slug]
    organisation = site.config.organisations[body.meta.organisation].name
    ui = ui_of(site)
    described = lead_text(body.html) or ui.gettext("Meetings of {body}, {organisation}: minutes and agendas.",
                                                   body=body.meta.name, organisation=organisation)
    context = _common(site, page, body.meta.name, described, head_title=f"{body.meta.name}, {organisation}")
    link = Linker(site, page)
    years: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for meeting in reversed(site.meetings_by_body.get(slug, [])):
        others = [site.content.bodies[other].meta.name for other in meeting.meta.bodies if other != slug]
        years[meeting.meta.date.year].append({
            "url": link.to(urls.meeting(meeting)), "date": meeting.meta.when, "kind": ui.gettext(KIND_LABEL[meeting.meta.kind]),
            "item_count": len(meeting.items), "joint_with": joined(others, ui) if others else None,
            "held": _held_label(site, meeting.path),
        })
    subscribe = subscriptions(site, link, slug)
    context.update(
        members=body_members(site, link, slug),
        body={"name": body.meta.name, "type": ui.gettext(BODY_TYPE[body.meta.type])}, description=link.fragment(body.path, body.html),
        organisation={"name": site.config.organisations[body.meta.organisation].name}, years=sorted(years.items(), reverse=True),
        subscribe=subscribe, alternates=_alternates(subscribe, ui.gettext("New meetings of {body} ({organisation})", body=body.meta.name, organisation=organisation)),
    )
    return PageView(page, "body.html", context)


def bodies_view(site: Site) -> PageView:
    ui = ui_of(site)
    context = _common(site, urls.BODY_INDEX, ui.gettext("Councils and committees"),
                      ui.gettext("Every council and committee in the archive with its meetings, minutes and agendas, "
                                 "by organisation."))
    link = Linker(site, urls.BODY_INDEX)
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for slug, body in sorted(site.content.bodies.items(), key=lambda kv: (kv[1].meta.organisation, kv[1].meta.name)):
        meetings = site.meetings_by_body.get(slug, [])
        groups[site.config.organisations[body.meta.organisation].name].append({
            "url": link.to(urls.body(slug)), "name": body.meta.name, "type": ui.gettext(BODY_TYPE[body.meta.type]), "count": len(meetings),
            "latest": meetings[-1].meta.when if meetings else None,
        })
    context.update(groups=sorted(groups.items()))
    return PageView(urls.BODY_INDEX, "bodies.html", context)


def home_view(site: Site) -> PageView:
    ui = ui_of(site)
    context = _common(site, urls.HOME, site.config.title, site.config.tagline or
                      ui.gettext("Minutes, agendas, strategies and attachments of councils and committees."))
    # The front page is the site itself: its title is not '<site> – <site>'.
    context["head_title"] = f"{site.config.title} – {site.config.tagline}" if site.config.tagline else site.config.title
    link = Linker(site, urls.HOME)
    meetings = [m for m in site.content.meetings if not m.agenda_version]  # a meeting once: by its referat
    latest = sorted(meetings, key=lambda m: (m.meta.date, m.meta.sequence or 1, m.meta.home), reverse=True)[:10]
    subscribe = subscriptions(site, link)
    context.update(
        latest=[{
            "url": link.to(urls.meeting(m)), "date": m.meta.when, "kind": ui.gettext(KIND_LABEL[m.meta.kind]),
            "body": bodies_name(site, m, listed=True),
        } for m in latest],
        bodies=[
            {"url": link.to(urls.body(slug)), "name": b.meta.name, "organisation": site.config.organisations[b.meta.organisation].name}
            for slug, b in sorted(site.content.bodies.items(), key=lambda kv: (kv[1].meta.organisation, kv[1].meta.name))
        ],
        strategies=[{"url": link.to(urls.strategy(slug)), "title": s.meta.title} for slug, s in sorted(site.content.strategies.items())],
        counts={"meetings": len(meetings), "bilag": len(site.bilag), "strategies": len(site.content.strategies)},
        subscribe=subscribe, alternates=_alternates(subscribe, ui.gettext("New meetings in {title}", title=site.config.title)),
    )
    return PageView(urls.HOME, "home.html", context)


def strategy_view(site: Site, slug: str) -> PageView:
    page = urls.strategy(slug)
    strategy = site.content.strategies[slug]
    organisation = site.config.organisations[strategy.meta.organisation].name
    context = _common(site, page, strategy.meta.title, lead_text(strategy.html) or strategy.meta.title,
                      head_title=f"{strategy.meta.title}, {organisation}")
    link = Linker(site, page)
    refs = sorted(site.strategy_refs.get(strategy.path.removeprefix("content/"), []), key=lambda r: (r.meeting.meta.date, item_order(r.item.number)))
    meta = strategy.meta
    status = ui_of(site).gettext(STRATEGY_STATUS[meta.status]) if meta.status else None
    context.update(
        strategy={"title": meta.title, "owner": meta.owner, "period": meta.period, "adopted": meta.adopted,
                  "status": status, "source": meta.source},
        organisation={"name": site.config.organisations[meta.organisation].name},
        html=link.fragment(strategy.path, strategy.html),
        toc=[(level, anchor, text) for level, anchor, text in strategy.headings if level == 2],
        treated_in=[_item_ref(link, site, r) for r in refs],
        search_meta=search_meta(site, "strategi", [], [strategy.meta.organisation], strategy.meta.adopted),
        record=_record(site, strategy.path, strategy.meta),
    )
    return PageView(page, "strategy.html", context)


def strategy_index_view(site: Site) -> PageView:
    ui = ui_of(site)
    context = _common(site, urls.STRATEGY_INDEX, ui.gettext("Strategies"),
                      ui.gettext("Strategies and policies in the archive, with the meetings that dealt with them."))
    link = Linker(site, urls.STRATEGY_INDEX)
    context.update(strategies=[{
        "url": link.to(urls.strategy(slug)), "title": s.meta.title, "period": s.meta.period,
        "status": ui.gettext(STRATEGY_STATUS[s.meta.status]) if s.meta.status else None,
        "organisation": site.config.organisations[s.meta.organisation].name,
    } for slug, s in sorted(site.content.strategies.items(), key=lambda kv: kv[1].meta.title)])
    return PageView(urls.STRATEGY_INDEX, "strategy_index.html", context)


def bilag_view(site: Site, info: BilagInfo, text: str | None) -> PageView:
    page = info.page
    ref = info.referrers[0] if info.referrers else None
    ui = ui_of(site)
    meeting_at = f"{bodies_name(site, ref.meeting)}, {long_date(ref.meeting.meta.when, ui)}" if ref else ""
    if ref:
        described = ui.gettext("Attachment ({label}) to {meeting}, item {number}: {title}.", label=bilag_label(info, ui),
                               meeting=meeting_at, number=ref.item.number, title=ref.item.title)
        head = ui.gettext("Attachment: {title} ({meeting})", title=info.title, meeting=meeting_at)
    else:
        described = ui.gettext("Attachment ({label}).", label=bilag_label(info, ui))
        head = ui.gettext("Attachment: {title}", title=info.title)
    context = _common(site, page, info.title, f"{described} {text or ''}", head_title=head)
    link = Linker(site, page)
    first = info.referrers[0].meeting if info.referrers else None
    context.update(
        bilag={"title": info.title},
        file_url=link.to(info.file),
        public_file_url=urls.quote(str(site.config.base_url) + info.file),
        file_name=info.file.rsplit("/", 1)[-1],
        label=bilag_label(info, ui),
        referrers=[_item_ref(link, site, r) for r in info.referrers],
        text=text,
        search_meta=search_meta(
            site, "bilag", [slug for r in info.referrers for slug in r.meeting.meta.bodies],
            [organisation for r in info.referrers for organisation in _organisations(site, r.meeting)],
            first.meta.when if first else None,
        ),
    )
    return PageView(page, "bilag.html", context)


def bilag_place(info: BilagInfo) -> tuple[str, int] | None:
    """Where a bilag is listed: the body and year of the first meeting whose agenda item links it,
    or None (urls.BILAG_OTHER) when no agenda item does."""
    if not info.referrers:
        return None
    meeting = info.referrers[0].meeting
    return meeting.meta.home, meeting.meta.date.year


def bilag_lists(site: Site) -> dict[str, list[BilagInfo]]:
    """Every bilag list page by output path, with the bilag it lists; each public bilag is on exactly one."""
    lists: dict[str, list[BilagInfo]] = defaultdict(list)
    for info in site.bilag.values():
        place = bilag_place(info)
        lists[urls.bilag_list(*place) if place else urls.BILAG_OTHER].append(info)
    return dict(sorted(lists.items()))


_SiteIndex = Callable[[Site], Any]


def _per_site(make: _SiteIndex) -> _SiteIndex:
    """Cache an index over the whole site (for the latest site only): made once, before any page, not once
    per page. Pages then read only their own part of it, as depends.py declares (tests/test_depends.py)."""
    cache: list[tuple[weakref.ref[Site], Any]] = []

    def cached(site: Site) -> Any:
        if cache and cache[0][0]() is site:
            return cache[0][1]
        value = make(site)
        cache[:] = [(weakref.ref(site), value)]
        return value

    return cached


@_per_site
def _bilag_years(site: Site) -> dict[str, dict[int, int]]:
    """For every body with bilag: the number of bilag listed for each year."""
    years: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for info in site.bilag.values():
        place = bilag_place(info)
        if place:
            years[place[0]][place[1]] += 1
    return years


@_per_site
def _sources_of_bilag(site: Site) -> dict[str, list[str]]:
    """For every bilag, the content files with a public link to it, in a stable order; a meeting once
    (an agenda version is left out when its meeting's referat links the bilag too)."""
    sources: dict[str, set[str]] = defaultdict(set)
    for (source, _href), target in site.targets.items():
        if target.kind == "bilag":
            sources[target.key].add(source)
    agendas = {m.path for m in site.content.meetings if m.agenda_version}
    return {rel: sorted(path for path in found if not (path in agendas and site.other_document[path].path in found))
            for rel, found in sources.items()}


def _source(site: Site, link: Linker, meetings: dict[str, Meeting], source: str) -> dict[str, Any]:
    """A file linking a bilag, as a list shows it: the meeting (with its date), strategy, page or body."""
    entry = site.index[source.removeprefix("content/")]
    content = site.content
    ui = ui_of(site)
    date = None
    if entry.kind == "meeting":
        meeting = meetings[source]
        title, date = f"{ui.gettext(KIND_LABEL[meeting.meta.kind])}: {bodies_name(site, meeting, listed=True)}", meeting.meta.when
    elif entry.kind == "strategy":
        title = ui.gettext("Strategy: {title}", title=content.strategies[entry.key].meta.title)
    elif entry.kind == "body":
        title = ui.gettext("Councils and committees: {name}", name=content.bodies[entry.key].meta.name)
    else:
        title = content.pages[entry.key].meta.title
    return {"title": title, "date": date, "url": link.to(entry.output)}


def bilag_index_view(site: Site) -> PageView:
    """`bilag/`: every body with public bilag, its count and a link to each year's list; then the other bilag."""
    ui = ui_of(site)
    context = _common(site, urls.BILAG_INDEX, ui.gettext("Attachments"),
                      ui.gettext("Every public attachment in the archive, by council or committee and by year."))
    link = Linker(site, urls.BILAG_INDEX)
    bodies = []
    counts = _bilag_years(site)
    for slug, body in sorted(site.content.bodies.items(), key=lambda kv: (kv[1].meta.organisation, kv[1].meta.name, kv[0])):
        if slug not in counts:
            continue
        years = counts[slug]
        bodies.append({
            "name": body.meta.name, "organisation": site.config.organisations[body.meta.organisation].name,
            "count": sum(years.values()),
            "years": [{"year": year, "count": n, "url": link.to(urls.bilag_list(slug, year))} for year, n in sorted(years.items(), reverse=True)],
        })
    others = sum(1 for info in site.bilag.values() if bilag_place(info) is None)
    context.update(
        bodies=bodies, total=len(site.bilag),
        other={"url": link.to(urls.BILAG_OTHER), "count": others} if others else None,
    )
    return PageView(urls.BILAG_INDEX, "bilag_index.html", context)


def _bilag_link(link: Linker, info: BilagInfo) -> dict[str, Any]:
    return {"url": link.to(info.page), "title": info.title, "label": bilag_label(info, ui_of(link.site))}


def bilag_list_view(site: Site, slug: str, year: int, infos: list[BilagInfo]) -> PageView:
    """`bilag/<body>/<year>/`: the public bilag of one body's meetings in one year, newest first."""
    page = urls.bilag_list(slug, year)
    body = site.content.bodies[slug]
    organisation = site.config.organisations[body.meta.organisation].name
    ui = ui_of(site)
    context = _common(site, page, ui.gettext("Attachments: {body} {year}", body=body.meta.name, year=year),
                      ui.gettext("Public attachments of meetings of {body} ({organisation}) in {year}, newest first.",
                                 body=body.meta.name, organisation=organisation, year=year),
                      head_title=ui.gettext("Attachments: {body}, {organisation}, {year}", body=body.meta.name,
                                            organisation=organisation, year=year))
    link = Linker(site, page)
    rows = []
    for info in infos:
        ref = info.referrers[0]
        rows.append({
            **_bilag_link(link, info),
            "date": ref.meeting.meta.when, "kind": ui.gettext(KIND_LABEL[ref.meeting.meta.kind]), "number": ref.item.number,
            "item_title": ref.item.title, "item_url": link.to(urls.meeting(ref.meeting), ref.item.anchor),
        })
    rows.sort(key=lambda r: (-r["date"].toordinal(), r["kind"], item_order(r["number"]), r["title"], r["url"]))
    years = sorted(_bilag_years(site)[slug].items(), reverse=True)
    context.update(
        body={"name": body.meta.name}, organisation={"name": site.config.organisations[body.meta.organisation].name},
        year=year, rows=rows, index_url=link.to(urls.BILAG_INDEX),
        years=[{"year": y, "count": n, "url": link.to(urls.bilag_list(slug, y)), "current": y == year} for y, n in years],
    )
    return PageView(page, "bilag_list.html", context)


def bilag_other_view(site: Site, infos: list[BilagInfo]) -> PageView:
    """`bilag/oevrige/`: public bilag that no agenda item links, with the pages that do link them."""
    page = urls.BILAG_OTHER
    ui = ui_of(site)
    context = _common(site, page, ui.gettext("Other attachments"),
                      ui.gettext("Public attachments that strategies, pages and descriptions of committees link to, "
                                 "but no agenda item."))
    link = Linker(site, page)
    sources = _sources_of_bilag(site)
    meetings = {m.path: m for m in site.content.meetings}
    rows = []
    for info in infos:
        linked = [_source(site, link, meetings, source) for source in sources.get(info.rel, [])]
        rows.append({**_bilag_link(link, info), "sources": sorted(linked, key=lambda s: (s["title"], s["date"].toordinal() if s["date"] else 0, s["url"]))})
    rows.sort(key=lambda r: (r["title"], r["url"]))
    context.update(rows=rows, index_url=link.to(urls.BILAG_INDEX))
    return PageView(page, "bilag_other.html", context)


def _bilag_list_builders(site: Site) -> dict[str, Callable[[], PageView]]:
    _bilag_years(site), _sources_of_bilag(site)  # the indexes the list pages share, made once here
    builders: dict[str, Callable[[], PageView]] = {}
    for page, infos in bilag_lists(site).items():
        place = bilag_place(infos[0])
        builders[page] = partial(bilag_list_view, site, *place, infos) if place else partial(bilag_other_view, site, infos)
    return builders


def page_view(site: Site, slug: str) -> PageView:
    page = urls.page(slug)
    content = site.content.pages[slug]
    context = _common(site, page, content.meta.title, content.meta.description or lead_text(content.html) or content.meta.title)
    context.update(html=Linker(site, page).fragment(content.path, content.html), description=content.meta.description,
                   search_meta=search_meta(site, "side", [], [], None), record=_record(site, content.path, content.meta),
                   accessibility=site.config.accessibility if slug == urls.STATEMENT_SLUG else None)
    return PageView(page, "page.html", context)


def was_view(site: Site) -> PageView:
    """`/was/`: a static redirect to the accessibility statement, the address Danish public sites use."""
    ui = ui_of(site)
    context = _common(site, urls.WAS, ui.gettext("Accessibility statement"),
                      ui.gettext("Redirects to the site's accessibility statement."))
    context.update(target=Linker(site, urls.WAS).to(urls.page(urls.STATEMENT_SLUG)),
                   message=ui.gettext("The accessibility statement of the site is at another address. You are sent on automatically."),
                   link_text=ui.gettext("go to the accessibility statement"))
    return PageView(urls.WAS, "redirect.html", context)


def search_view(site: Site) -> PageView:
    ui = ui_of(site)
    context = _common(site, urls.SEARCH, ui.gettext("Search the archive"),
                      ui.gettext("Search minutes, agendas, strategies and the text of public attachments."))
    link = Linker(site, urls.SEARCH)
    context.update(bodies_url=link.to(urls.BODY_INDEX), bilag_url=link.to(urls.BILAG_INDEX))
    return PageView(urls.SEARCH, "search.html", context)


def not_found_view(site: Site) -> PageView:
    # 404.html is served for any missing path, so its links must be absolute.
    ui = ui_of(site)
    context = _common(site, urls.NOT_FOUND, ui.gettext("Page not found"),
                      ui.gettext("The page is not in the archive. Search the archive, or go to the front page."))
    base = site.config.base_path
    context["root"] = base
    context["nav"] = [(ui.gettext(label), base + urls.pretty(target), False) for label, target in NAV]
    context.update(_footer(site, lambda target: base + urls.pretty(target)))
    context.update(home_url=base, search_url=base + "soeg/")
    return PageView(urls.NOT_FOUND, "404.html", context)


# --- cases and members ------------------------------------------------------------------------------

CASE_MIN_ITEMS = 2  # a case page shows a case number that at least this many public items share


def case_pages(site: Site) -> dict[str, list[ItemRef]]:
    """Every case with a page, by urls.case_slug: its items, oldest meeting first (linker.link)."""
    return {slug: refs for slug, refs in sorted(site.cases.items()) if len(refs) >= CASE_MIN_ITEMS}


def case_view(site: Site, refs: list[ItemRef]) -> PageView:
    """`sager/<case>/`: every public item filed under one case number, across bodies and years, with each decision."""
    number = refs[0].item.meta.case_number or ""
    page = urls.case(number)
    ui = ui_of(site)
    bodies = joined(sorted({bodies_name(site, r.meeting) for r in refs}), ui)
    title = ui.gettext("Case {number}", number=number)
    described = ui.gettext("{case}: {title}. Dealt with in {bodies}, {count} items from {first} to {last}.", case=title,
                           title=refs[0].item.title, bodies=bodies, count=len(refs),
                           first=long_date(refs[0].meeting.meta.when, ui), last=long_date(refs[-1].meeting.meta.when, ui))
    context = _common(site, page, title, described, head_title=f"{title}: {refs[0].item.title}")
    link = Linker(site, page)
    steps = []
    for ref in refs:
        decisions = [{"name": s.name, "html": link.fragment(ref.meeting.path, s.html),
                      "decided_by": s.decided_by and {"prefix": s.decided_by.prefix, "body": s.decided_by.body, "date": s.decided_by.date}}
                     for s in ref.item.sections if s.decision]
        steps.append({**_item_ref(link, site, ref), "kind_label": ui.gettext(KIND_LABEL[ref.meeting.meta.kind]),
                      "label": number_label(ref.item.number), "decisions": decisions})
    context.update(case={"number": number, "title": refs[0].item.title, "bodies": bodies}, steps=steps)
    return PageView(page, "case.html", context)


@_per_site
def people_of(site: Site) -> dict[str, list[Appearance]]:
    """Every person in the structured attendance of the public meetings, with their appearances (people.py)."""
    return people(site.content.meetings)


def _meeting_label(site: Site, meeting: Meeting) -> str:
    return f"{ui_of(site).gettext(KIND_LABEL[meeting.meta.kind])}: {bodies_name(site, meeting)}"


NOT_STATED = N_("not stated")  # an absence without a reason


def _role(ui: UI, role: str | None) -> str | None:
    """A role as the page names it, in the site's language (attendance.ROLE_LABEL)."""
    return ui.gettext(ROLE_LABEL[role]) if role in ROLE_LABEL else role


def person_view(site: Site, pid: str) -> PageView:
    """`personer/<id>/`: the meetings a person attended (with role), was absent from, and met at as a substitute."""
    page = urls.person(pid)
    found = people_of(site)[pid]
    name = latest(found).name
    ui = ui_of(site)
    bodies = joined(sorted({bodies_name(site, a.meeting) for a in found}), ui)
    context = _common(site, page, name, ui.gettext("{name} in the minutes of {bodies}: attendance and absence at the meetings.",
                                                   name=name, bodies=bodies), head_title=f"{name}, {bodies}")
    link = Linker(site, page)

    def row(a: Appearance) -> dict[str, Any]:
        return {"url": link.to(urls.meeting(a.meeting)), "date": a.meeting.meta.when,
                "meeting": _meeting_label(site, a.meeting), "name": a.name, "role": _role(ui, a.shown_role), "party": a.party,
                "substitute_for": a.substitute_for}

    context.update(
        person={"name": name, "parties": sorted({a.party for a in found if a.party}),
                "other_names": sorted({a.name for a in found} - {name})},
        attended=[row(a) for a in found if a.status == "present"],
        absent=[{**row(a), "absence": ui.gettext(ABSENCE_LABEL.get(a.absence or "", NOT_STATED)), "substitute": a.substitute}
                for a in found if a.status == "absent"],
        substituted=[row(a) for a in found if a.substitute_for],
    )
    return PageView(page, "person.html", context)


@_per_site
def _members_by_body(site: Site) -> dict[str, dict[str, list[Appearance]]]:
    """For every body, the people its meetings' attendance names, with their appearances there: made once, so a
    body page reads only its own meetings (depends.py)."""
    by_body: dict[str, dict[str, list[Appearance]]] = defaultdict(dict)
    for pid, found in people_of(site).items():
        for appearance in found:
            for slug in appearance.meeting.meta.bodies:
                by_body[slug].setdefault(pid, []).append(appearance)
    return by_body


def body_members(site: Site, link: Linker, slug: str) -> list[dict[str, Any]]:
    """A body's members over time, from the attendance of its own meetings: one row per person, first seen first
    (in a meeting, in the order its attendance lists them)."""
    out = []
    ui = ui_of(site)
    for pid, here in sorted(_members_by_body(site).get(slug, {}).items(), key=lambda kv: (kv[1][0].order, kv[0])):
        out.append({
            "url": link.to(urls.person(pid)), "name": latest(here).name, "party": latest(here).party,
            "roles": list(dict.fromkeys(_role(ui, a.shown_role) for a in here if a.shown_role)),
            "first": here[0].meeting.meta.when, "last": here[-1].meeting.meta.when,
            "present": sum(1 for a in here if a.status == "present"), "absent": sum(1 for a in here if a.status == "absent"),
        })
    return out


def page_builders(site: Site, bilag_text: dict[str, str | None]) -> dict[str, Callable[[], PageView]]:
    """Every HTML page of the site by output path, in a stable order; each view is made when called."""
    builders: dict[str, Callable[[], PageView]] = {
        urls.HOME: partial(home_view, site), urls.BODY_INDEX: partial(bodies_view, site),
        urls.STRATEGY_INDEX: partial(strategy_index_view, site), urls.BILAG_INDEX: partial(bilag_index_view, site),
        urls.SEARCH: partial(search_view, site), urls.NOT_FOUND: partial(not_found_view, site),
    }
    builders |= {urls.body(slug): partial(body_view, site, slug) for slug in sorted(site.content.bodies)}
    builders |= {urls.meeting(m): partial(meeting_view, site, m) for m in sorted(site.content.meetings, key=lambda m: m.path)}
    builders |= {page: partial(agenda_redirect_view, site, *pair) for page, pair in agenda_redirects(site).items()}
    builders |= {urls.strategy(slug): partial(strategy_view, site, slug) for slug in sorted(site.content.strategies)}
    builders |= _bilag_list_builders(site)
    builders |= {info.page: partial(bilag_view, site, info, bilag_text.get(info.rel)) for info in site.bilag.values()}
    builders |= {urls.page(slug): partial(page_view, site, slug) for slug in sorted(site.content.pages)}
    builders |= {urls.case(refs[0].item.meta.case_number or ""): partial(case_view, site, refs) for refs in case_pages(site).values()}
    builders |= {urls.person(pid): partial(person_view, site, pid) for pid in people_of(site)}
    _members_by_body(site)  # the index the body pages share, made once here
    if urls.STATEMENT_SLUG in site.content.pages:
        builders[urls.WAS] = partial(was_view, site)
    return builders


def all_views(site: Site, bilag_text: dict[str, str | None]) -> list[PageView]:
    """Every HTML page of the site, in a stable order."""
    return [build() for build in page_builders(site, bilag_text).values()]
