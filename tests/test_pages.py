"""Integration: the sample archive built once; assertions on the pages a citizen sees."""

from __future__ import annotations

import posixpath
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

import pytest

from conftest import REPO, copy_project

MEETINGS = "udvalg"
AALBORG = "udvalg/integrationsraadet-aalborg/2023-10-10-referat/index.html"
BRONDERSLEV = "udvalg/integrationsraadet-broenderslev/2018-05-24-referat/index.html"
BUU = "udvalg/beskaeftigelses-og-uddannelsesudvalget-broenderslev/2018-05-16-referat/index.html"
EXAMPLE_AGENDA = "udvalg/eksempeludvalget/2024-01-15-dagsorden/index.html"
EXAMPLE_MINUTES = "udvalg/eksempeludvalget/2024-01-22-referat/index.html"
EXAMPLE_COUNCIL = "udvalg/eksempelbyraadet/2024-01-30-referat/index.html"
STRATEGY = "strategier/aalborg-integrationsstrategi-2023-2026/index.html"
BILAG_PAGE = "bilag/integrationsraadet-aalborg/2023-10-10/handleplan-maalsaetning-1-pdf/index.html"


class Page(HTMLParser):
    """The parts of an HTML page the tests look at: links, ids, text, headings."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str]] = []  # (attribute value, tag)
        self.ids: set[str] = set()
        self.text_parts: list[str] = []
        self.h1 = 0
        self.feed(html)
        self.text = re.sub(r"\s+", " ", "".join(self.text_parts))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(values["id"] or "")
        for name in ("href", "src"):
            if values.get(name) is not None and tag != "base":
                self.links.append((values[name] or "", tag))
        self.h1 += tag == "h1"

    def handle_data(self, data: str) -> None:
        self.text_parts.append(data)


def read(site: Path, rel: str) -> str:
    return (site / rel).read_text(encoding="utf-8")


def page(site: Path, rel: str) -> Page:
    return Page(read(site, rel))


def section(html: str, anchor: str) -> str:
    """The HTML of one agenda item (`<section … aria-labelledby="punkt-N">`)."""
    match = re.search(rf'<section[^>]*aria-labelledby="{anchor}".*?</section>', html, re.S)
    assert match, f"no section {anchor}"
    return match.group(0)


def test_every_page_type_exists(sample_site: Path) -> None:
    for rel in [
        "index.html", "404.html", "sitemap.xml", "robots.txt", "udvalg/index.html",
        "udvalg/integrationsraadet-aalborg/index.html", AALBORG, BILAG_PAGE, "bilag/index.html",
        "strategier/index.html", STRATEGY, "om/index.html", "tilgaengelighed/index.html", "soeg/index.html",
        "static/style.css",
    ]:
        assert (sample_site / rel).is_file(), rel


def test_every_page_is_danish_with_one_h1_and_no_template_leaks(sample_site: Path) -> None:
    for path in sorted(sample_site.rglob("*.html")):
        html = path.read_text(encoding="utf-8")
        rel = path.relative_to(sample_site).as_posix()
        assert '<html lang="da"' in html, rel
        assert page(sample_site, rel).h1 == 1, rel
        for leak in ("built-in method", "object at 0x", "Undefined", "{{", "{%", "None</"):
            assert leak not in html, (rel, leak)


def test_meeting_page_items_labels_and_anchors(sample_site: Path) -> None:
    html = read(sample_site, EXAMPLE_MINUTES)
    parsed = Page(html)
    assert {"punkt-1", "punkt-2", "punkt-2-beslutning", "punkt-2-oekonomi", "punkt-4-beslutning"} <= parsed.ids
    assert re.search(r'<h2 id="punkt-2"><span class="item-number">2\.</span> Debataften', html)
    assert "Åbent punkt" in section(html, "punkt-2")
    assert "Lukket punkt" in section(html, "punkt-3") and "Åbent punkt" not in section(html, "punkt-3")
    assert "Personalesag (eksempel)" in section(html, "punkt-3")
    assert 'id="punkt-3-' not in html  # a closed item has no sections
    assert "Udvalget godkendte købet" in section(html, "punkt-4")  # the publishable decision
    assert "Forhandlingerne" not in html
    aalborg = Page(read(sample_site, AALBORG))
    assert {"punkt-4", "punkt-4-beslutning", "punkt-4-bilag"} <= aalborg.ids
    assert "10. oktober 2023" in aalborg.text


def test_meeting_page_bilag_links_state_type_and_size(sample_site: Path) -> None:
    item = section(read(sample_site, AALBORG), "punkt-4")
    links = re.findall(r'<a href="([^"]+\.pdf)"[^>]*>(.*?)</a>', item, re.S)
    assert links
    for href, text in links:
        assert re.search(r"\(PDF, \d+ kB\)", text), text
    example = section(read(sample_site, EXAMPLE_MINUTES), "punkt-2")
    assert "Notat om enkeltsag" in example and "ikke offentligt" in example
    assert "notat-enkeltsag" not in example


def test_closed_bilag_link_becomes_a_labelled_span(sample_site: Path) -> None:
    """The element, not prose: the link marked {lukket} is a span with the label, and no <a> holds its text."""
    example = section(read(sample_site, EXAMPLE_MINUTES), "punkt-2")
    assert '<span class="lukket-bilag">Notat om enkeltsag <em>(lukket bilag, ikke offentligt)</em></span>' in example
    assert not re.search(r"<a [^>]*>[^<]*Notat om enkeltsag", example)


def test_absent_members_and_substitutes(sample_site: Path) -> None:
    text = page(sample_site, BRONDERSLEV).text
    assert "Martin Bech (stedfortræder Klaus Riis Klæstrup mødt)" in text
    assert "Abeer Abo Kalefh (udeblev uden afbud)" in text
    assert "torsdag den 24. maj 2018" in text


def attendance(html: str) -> dict[str, list[str]]:
    """The meeting page's attendance: each group's heading and the text of its list items."""
    block = html[html.index('<h2 id="deltagere">'):html.index('<nav class="toc"')]
    groups = re.findall(r'<h3 id="[^"]+">([^<]+)</h3>\s*<ul class="people">(.*?)</ul>', block, re.S)
    return {heading: [Page(li).text.strip() for li in re.findall(r"<li>(.*?)</li>", items, re.S)] for heading, items in groups}


def test_attendance_is_grouped_by_role_and_presence(sample_site: Path) -> None:
    """Structured attendance: members, observers and staff present, then the absent, each with role, party and reason."""
    groups = attendance(read(sample_site, EXAMPLE_MINUTES))
    assert list(groups) == ["Til stede", "Observatører", "Fra administrationen", "Fraværende"]
    assert groups["Til stede"] == [
        "Lise Eksempel (A), formand", "Ahmad Eksempel (V), næstformand", "Karen Eksempel (A), stedfortræder for Jens Eksempel",
    ]
    assert groups["Observatører"] == ["Mette Eksempel, observatør"]
    assert groups["Fra administrationen"] == ["Peter Eksempel, referent"]
    assert groups["Fraværende"] == ["Jens Eksempel (A): afbud, stedfortræder Karen Eksempel mødt"]
    # The minutes of Brønderslev name only the absent: no empty groups, absence given as a value reads as the minutes did.
    assert list(attendance(read(sample_site, BRONDERSLEV))) == ["Fraværende"]
    assert 'id="deltagere"' not in read(sample_site, AALBORG)  # those minutes name no one: no heading without a list


def test_vote_and_minority_follow_the_decision(sample_site: Path) -> None:
    """A vote stated in the minutes is data: shown right after the item's decision, before its bilag."""
    item = section(read(sample_site, EXAMPLE_MINUTES), "punkt-2")
    decision, vote, minority, bilag = (item.index(s) for s in (
        'id="punkt-2-beslutning"', '<div class="vote">', '<p class="minority">', 'id="punkt-2-bilag"'))
    assert decision < vote < minority < bilag
    text = Page(item).text
    assert re.search(r"Afstemning om indstillingen: vedtaget\s*For\s*A\s*Imod\s*V\b", text), text
    assert "Et mindretal (V) stemte imod, idet udgifterne" in text
    assert "Mindretal (V):" not in text  # the remark names the minority already
    assert "Forlod mødet under punktet: Karen Eksempel" in Page(section(read(sample_site, EXAMPLE_MINUTES), "punkt-5")).text


def test_votes_of_closed_items_are_not_published(sample_site: Path) -> None:
    """Item 3 is closed and has a vote with a minority remark in the front matter: none of it is shown."""
    html = read(sample_site, EXAMPLE_MINUTES)
    for number in (3, 4):  # closed, and closed with a public decision
        assert 'class="vote"' not in section(html, f"punkt-{number}")
    assert "HEMMELIG-AFSTEMNING-K3P9" not in html


def test_each_body_deciding_on_an_item_is_shown_with_its_date(sample_site: Path) -> None:
    """'Beslutning fra Eksempeludvalget 22-01-2024', then '… Eksempelbyrådet 30. januar 2024': body and date, clearly."""
    item = section(read(sample_site, EXAMPLE_COUNCIL), "punkt-12")
    headings = re.findall(r'<h3 id="([^"]+)" class="decided-by">(.*?)</h3>', item)
    assert [(anchor, Page(html).text) for anchor, html in headings] == [
        # the item's number, unseen, names the item in search results (Pagefind's sub-results)
        ("punkt-12-beslutning-fra-eksempeludvalget-22-01-2024", "Beslutning fra Eksempeludvalget, 22. januar 2024 (pkt. 12)"),
        ("punkt-12-beslutning-fra-eksempelbyraadet-30-januar-2024", "Beslutning fra Eksempelbyrådet, 30. januar 2024 (pkt. 12)"),
    ]
    assert '<time datetime="2024-01-22">' in headings[0][1] and '<time datetime="2024-01-30">' in headings[1][1]
    # The vote (by count) follows the last decision, the council's.
    assert item.index('class="vote"') > item.index('id="punkt-12-beslutning-fra-eksempelbyraadet')
    assert re.search(r"For\s*25\s*Imod\s*4\s*Undlod at stemme\s*2", Page(item).text)


def test_previous_and_next_meeting_of_the_body(sample_site: Path) -> None:
    minutes, agenda = read(sample_site, EXAMPLE_MINUTES), read(sample_site, EXAMPLE_AGENDA)
    assert re.search(r'<a href="[./]*udvalg/eksempeludvalget/2024-01-15-dagsorden/index\.html" rel="prev">Forrige møde: 15\. januar 2024', minutes)
    assert re.search(r'<a href="[./]*udvalg/eksempeludvalget/2024-01-22-referat/index\.html" rel="next">Næste møde: 22\. januar 2024', agenda)
    # the sample's later meetings of the body (2024-05-13) and its meeting known only to the month (marts 2014)
    assert re.search(r'<a href="[./]*udvalg/eksempeludvalget/2024-05-13-referat/index\.html" rel="next">Næste møde: 13\. maj 2024<', minutes)
    assert re.search(r'<a href="[./]*udvalg/eksempeludvalget/2014-03-referat/index\.html" rel="prev">Forrige møde: marts 2014<', agenda)


def test_cross_link_and_backlink_between_bodies(sample_site: Path) -> None:
    item4 = section(read(sample_site, BRONDERSLEV), "punkt-4")
    assert re.search(r'href="[./]*udvalg/beskaeftigelses-og-uddannelsesudvalget-broenderslev/2018-05-16-referat/index\.html#punkt-7"', item4)
    item7 = section(read(sample_site, BUU), "punkt-7")
    omtalt = item7[item7.index("Omtalt i"):]
    assert re.search(r'href="[./]*udvalg/integrationsraadet-broenderslev/2018-05-24-referat/index\.html#punkt-4">Integrationsrådet \(Brønderslev Kommune\), 24\. maj 2018, pkt\. 4', omtalt)


def test_same_case_in_other_meetings(sample_site: Path) -> None:
    minutes = section(read(sample_site, EXAMPLE_MINUTES), "punkt-2")
    agenda = section(read(sample_site, EXAMPLE_AGENDA), "punkt-2")
    assert "Samme sag i andre møder" in minutes and "Samme sag i andre møder" in agenda
    assert re.search(r'href="[./]*udvalg/eksempeludvalget/2024-01-15-dagsorden/index\.html#punkt-2"', minutes)
    assert re.search(r'href="[./]*udvalg/eksempeludvalget/2024-01-22-referat/index\.html#punkt-2"', agenda)


def test_strategy_lists_meetings_that_treated_it(sample_site: Path) -> None:
    html = read(sample_site, STRATEGY)
    treated = html[html.index("Behandlet i møder"):]
    assert re.search(r'href="[./]*udvalg/integrationsraadet-aalborg/2023-10-10-referat/index\.html#punkt-4">Integrationsrådet \(Aalborg Kommune\), 10\. oktober 2023, pkt\. 4', treated)
    assert {"vision", "maalsaetning-1", "maalsaetning-2", "maalsaetning-3"} <= Page(html).ids
    assert re.search(r"<table>\s*<caption>Tabel 1", html)


def test_bilag_page_lists_its_items(sample_site: Path) -> None:
    html = read(sample_site, BILAG_PAGE)
    assert re.search(r'href="handleplan-maalsaetning-1\.pdf"|href="[./]*bilag/integrationsraadet-aalborg/2023-10-10/handleplan-maalsaetning-1-pdf/handleplan-maalsaetning-1\.pdf"', html)
    assert "(PDF, " in html
    assert re.search(r'href="[./]*udvalg/integrationsraadet-aalborg/2023-10-10-referat/index\.html#punkt-4">Integrationsrådet \(Aalborg Kommune\), 10\. oktober 2023, pkt\. 4', html)
    listed = read(sample_site, "bilag/integrationsraadet-aalborg/2023/index.html")
    assert "Udkast til handleplan for målsætning 1" in listed


def test_sitemap_and_robots_use_base_url(sample_site: Path) -> None:
    sitemap = read(sample_site, "sitemap.xml")
    locs = re.findall(r"<loc>(.*?)</loc>", sitemap)
    assert "https://raadsarkiv.example.dk/" in locs
    assert "https://raadsarkiv.example.dk/udvalg/integrationsraadet-aalborg/2023-10-10-referat/" in locs
    assert all(loc.startswith("https://raadsarkiv.example.dk/") for loc in locs)
    assert not any("404" in loc for loc in locs)
    # Every page but 404.html and the redirects (/was/ to the accessibility statement, an agenda's old address to its meeting).
    pages = [p for p in sample_site.rglob("*.html") if p.name != "404.html" and 'http-equiv="refresh"' not in p.read_text(encoding="utf-8")]
    assert "https://raadsarkiv.example.dk/udvalg/eksempeludvalget/2024-01-22-dagsorden/" not in locs
    assert len(locs) == len(set(locs)) == len(pages)
    assert "Sitemap: https://raadsarkiv.example.dk/sitemap.xml" in read(sample_site, "robots.txt")


def test_sitemap_under_a_sub_path(tmp_path: Path) -> None:
    """The minimal fixture has base_url https://example.dk/arkiv/: every address carries the sub-path."""
    root = tmp_path / "project"
    shutil.copytree(REPO / "tests/fixtures/minimal", root)
    result = subprocess.run([sys.executable, str(REPO / "build.py"), "--root", str(root), "build"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    locs = re.findall(r"<loc>(.*?)</loc>", read(root / "output", "sitemap.xml"))
    assert "https://example.dk/arkiv/udvalg/testudvalget/2024-03-05-referat/" in locs
    assert all(loc.startswith("https://example.dk/arkiv/") for loc in locs)
    assert "Sitemap: https://example.dk/arkiv/sitemap.xml" in read(root / "output", "robots.txt")
    broken = broken_links(root / "output", "/arkiv/")
    assert not broken, broken


def broken_links(site: Path, base_path: str) -> list[str]:
    """Every href/src in every page that does not lead to an existing file (and id)."""
    pages = {p.relative_to(site).as_posix(): page(site, p.relative_to(site).as_posix()) for p in site.rglob("*.html")}
    broken = []
    for rel, parsed in sorted(pages.items()):
        for href, tag in parsed.links:
            parts = urlsplit(href)
            if parts.scheme in ("http", "https", "mailto", "tel", "webcal"):  # webcal: a calendar subscription (body pages)
                continue
            assert not parts.scheme, f"{rel}: unexpected scheme in {href}"
            if parts.path.startswith("/"):  # absolute links (404 page): must live under the base path
                if not parts.path.startswith(base_path):
                    broken.append(f"{rel}: {href} is outside {base_path}")
                    continue
                target = posixpath.normpath(unquote(parts.path[len(base_path):]) or ".")
            elif parts.path:
                target = posixpath.normpath(posixpath.join(posixpath.dirname(rel), unquote(parts.path)))
            else:
                target = rel
            if parts.path.endswith("/") or target == ".":
                target = posixpath.join(target, "index.html").removeprefix("./")
            if target.startswith("../") or not (site / target).is_file():
                broken.append(f"{rel}: {href} -> {target} does not exist")
            elif parts.fragment and target.endswith(".html") and unquote(parts.fragment) not in pages[target].ids:
                broken.append(f"{rel}: {href} -> no id '{parts.fragment}' in {target}")
    return broken


def test_all_internal_links_resolve(sample_site: Path) -> None:
    broken = broken_links(sample_site, "/")
    assert not broken, "\n".join(broken)
    hrefs = [href for rel in ("index.html", AALBORG) for href, _ in page(sample_site, rel).links]
    assert len(hrefs) > 30  # the walk really looks at links


def test_link_walk_finds_broken_links(tmp_path: Path) -> None:
    """The walk above is able to fail: a missing file and a missing id are both reported."""
    (tmp_path / "a").mkdir()
    (tmp_path / "index.html").write_text('<h1 id="top">x</h1><a href="a/index.html#nope">a</a><a href="b/">b</a><a href="#top">t</a>')
    (tmp_path / "a/index.html").write_text('<a href="../index.html#top">home</a>')
    assert broken_links(tmp_path, "/") == [
        "index.html: a/index.html#nope -> no id 'nope' in a/index.html",
        "index.html: b/ -> b/index.html does not exist",
    ]


SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def _rendered_sample(tmp_path: Path) -> tuple[dict[str, bytes], list[str]]:
    """The sample's rendered files (no search index), and the public address of every sitemap-worthy page."""
    from raadsarkiv.pipeline import check, render_site

    root = copy_project(tmp_path / "project")
    checked = check(root)
    assert checked.ok and checked.site is not None
    files, _ = render_site(root, checked.site, bilag_text=checked.bilag_text)
    redirects = {p for p, data in files.items() if b'http-equiv="refresh"' in data}  # /was/, an agenda's old address
    pages = [p for p in files if p.endswith(".html") and p != "404.html" and p not in redirects]
    return files, ["https://raadsarkiv.example.dk/" + quote(p.removesuffix("index.html"), safe="/") for p in pages]


def test_small_site_has_one_sitemap_file(tmp_path: Path) -> None:
    files, expected = _rendered_sample(tmp_path)
    root = ET.fromstring(files["sitemap.xml"])
    assert root.tag == f"{SITEMAP_NS}urlset"
    assert sorted(loc.text or "" for loc in root.iter(f"{SITEMAP_NS}loc")) == sorted(expected)
    assert not [name for name in files if name.startswith("sitemap-")]


def test_large_site_gets_a_sitemap_index(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With the per-file limit lowered to 7 URLs, sitemap.xml is an index of files of at most 7 URLs,
    which together hold every page exactly once; robots.txt still names sitemap.xml."""
    from raadsarkiv import pipeline

    monkeypatch.setattr(pipeline, "SITEMAP_MAX_URLS", 7)
    files, expected = _rendered_sample(tmp_path)
    assert len(expected) > 3 * 7
    index = ET.fromstring(files["sitemap.xml"])  # parses: well-formed XML
    assert index.tag == f"{SITEMAP_NS}sitemapindex"
    listed = [loc.text or "" for loc in index.iter(f"{SITEMAP_NS}loc")]
    parts = sorted((name for name in files if re.fullmatch(r"sitemap-\d+\.xml", name)), key=lambda n: int(n[8:-4]))
    assert parts == [f"sitemap-{n}.xml" for n in range(1, len(parts) + 1)]
    assert listed == [f"https://raadsarkiv.example.dk/{name}" for name in parts]
    found: list[str] = []
    for name in parts:
        urlset = ET.fromstring(files[name])
        assert urlset.tag == f"{SITEMAP_NS}urlset"
        locs = [loc.text or "" for loc in urlset.iter(f"{SITEMAP_NS}loc")]
        assert 0 < len(locs) <= 7, name
        found += locs
    assert sorted(found) == sorted(expected) and len(found) == len(set(found))
    assert files["robots.txt"].decode().count("Sitemap:") == 1
    assert "Sitemap: https://raadsarkiv.example.dk/sitemap.xml\n" in files["robots.txt"].decode()
    monkeypatch.setattr(pipeline, "SITEMAP_MAX_URLS", 7)
    again, _ = _rendered_sample(tmp_path / "again")
    assert {n: again[n] for n in ["sitemap.xml", *parts]} == {n: files[n] for n in ["sitemap.xml", *parts]}  # deterministic


def test_sitemap_files_also_stay_under_the_byte_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    from raadsarkiv import pipeline
    from raadsarkiv.config import SiteConfig

    config = SiteConfig(base_url="https://example.dk/", organisations={"k": {"name": "K"}},
                        accessibility={"responsible": "K", "contact_email": "web@example.dk"})
    pages = [f"udvalg/u/2024-01-{day:02d}-referat/index.html" for day in range(1, 29)]
    monkeypatch.setattr(pipeline, "SITEMAP_MAX_BYTES", 400)
    files = pipeline.sitemaps(config, pages)
    assert len(files) > 3
    found = []
    for name, data in files.items():
        if name != "sitemap.xml":
            assert len(data) <= 400, name
            found += [loc.text for loc in ET.fromstring(data).iter(f"{SITEMAP_NS}loc")]
    assert found == [f"https://example.dk/{p.removesuffix('index.html')}" for p in pages]


# --- bilag list pages ---------------------------------------------------------------------------------

BILAG_LIST = re.compile(r"bilag/(?:[^/]+/\d{4}/|oevrige/)index\.html")


def _bilag_pages_linked_from(site: Path, rel: str) -> list[str]:
    """The bilag pages (`…-<ext>/index.html`) a page links to, as output paths."""
    found = []
    for href, _ in page(site, rel).links:
        target = posixpath.normpath(posixpath.join(posixpath.dirname(rel), unquote(urlsplit(href).path)))
        if re.fullmatch(r"bilag/.+-[a-z0-9]*/index\.html", target) and not BILAG_LIST.fullmatch(target):
            found.append(target)
    return found


def test_every_public_bilag_is_on_exactly_one_list_page(sample_site: Path) -> None:
    bilag_pages = sorted(p.relative_to(sample_site).as_posix() for p in (sample_site / "bilag").rglob("index.html")
                         if re.search(r"-pdf/index\.html$", p.as_posix()))
    lists = sorted(p.relative_to(sample_site).as_posix() for p in (sample_site / "bilag").rglob("index.html")
                   if BILAG_LIST.fullmatch(p.relative_to(sample_site).as_posix()))
    assert lists == [
        "bilag/eksempeludvalget/2024/index.html",
        "bilag/integrationsraadet-aalborg/2023/index.html",
        "bilag/integrationsraadet-broenderslev/2018/index.html",
    ]
    listed = [target for rel in lists for target in _bilag_pages_linked_from(sample_site, rel)]
    assert sorted(listed) == bilag_pages and len(bilag_pages) >= 8  # each exactly once
    everything = "".join(read(sample_site, rel) for rel in lists)
    for closed in ("notat-enkeltsag", "personalesag", "Notat om enkeltsag"):  # closed bilag of the sample
        assert closed not in everything
    assert "notat-enkeltsag" not in read(sample_site, "bilag/index.html")


def test_bilag_index_links_each_body_and_year(sample_site: Path) -> None:
    index = read(sample_site, "bilag/index.html")
    parsed = Page(index)
    assert parsed.h1 == 1 and "<caption>Offentlige bilag efter udvalg og råd</caption>" in index
    assert _bilag_pages_linked_from(sample_site, "bilag/index.html") == []  # no bilag itself: the lists do that
    hrefs = [href for href, _ in parsed.links]
    for rel in ("eksempeludvalget/2024", "integrationsraadet-aalborg/2023", "integrationsraadet-broenderslev/2018"):
        assert f"../bilag/{rel}/index.html" in hrefs
    assert re.search(r'<th scope="row">Integrationsrådet <span class="muted">\(Aalborg Kommune\)</span></th><td>5</td>', index)
    assert "oevrige" not in index  # every sample bilag belongs to an agenda item


def test_bilag_list_page_has_breadcrumbs_caption_and_items(sample_site: Path) -> None:
    html = read(sample_site, "bilag/integrationsraadet-aalborg/2023/index.html")
    assert '<nav class="breadcrumbs" aria-label="Brødkrummesti">' in html
    assert re.search(r'<li><a href="\.\./\.\./\.\./bilag/index\.html">Bilag</a></li>', html)
    assert "<h1>Bilag: Integrationsrådet 2023</h1>" in html
    assert "<caption>Bilag fra møder i Integrationsrådet i 2023, nyeste først</caption>" in html
    assert re.search(r'href="\.\./\.\./\.\./udvalg/integrationsraadet-aalborg/2023-10-10-referat/index\.html#punkt-4">Referat '
                     r'<time datetime="2023-10-10">10\. oktober 2023</time>, pkt\. 4</a>: Handleplaner', html)
    assert re.search(r"\(PDF, \d+ kB\)</span></a>", html)


def test_bilag_linked_only_from_pages_have_their_own_list(tmp_path: Path) -> None:
    """A bilag no agenda item links (here: from the about page and a strategy) is on bilag/oevrige/, with the pages that link it."""
    root = copy_project(tmp_path / "project")
    folder = root / "content/bilag/eksempeludvalget/2024-01-22"
    shutil.copy(folder / "program-debataften.pdf", folder / "aarsberetning-2023.pdf")
    link = "[Årsberetning 2023](../bilag/eksempeludvalget/2024-01-22/aarsberetning-2023.pdf)"
    about = root / "content/pages/om.md"
    about.write_text(about.read_text(encoding="utf-8") + f"\n\n{link}\n", encoding="utf-8")
    strategy = root / "content/strategies/odense-integrationsstrategi.md"
    strategy.write_text(strategy.read_text(encoding="utf-8") + f"\n\n{link}\n", encoding="utf-8")
    result = subprocess.run([sys.executable, str(REPO / "build.py"), "--root", str(root), "build"], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    site = root / "output"
    other = read(site, "bilag/oevrige/index.html")
    assert _bilag_pages_linked_from(site, "bilag/oevrige/index.html") == ["bilag/eksempeludvalget/2024-01-22/aarsberetning-2023-pdf/index.html"]
    assert Page(other).h1 == 1 and "<caption>Øvrige bilag efter titel</caption>" in other
    assert '<a href="../../om/index.html">Om arkivet</a>' in other
    assert re.search(r'<a href="\.\./\.\./strategier/odense-integrationsstrategi/index\.html">Strategi: ', other)
    assert '<a href="../bilag/oevrige/index.html">' in read(site, "bilag/index.html")
    lists = [p.relative_to(site).as_posix() for p in (site / "bilag").rglob("index.html") if BILAG_LIST.fullmatch(p.relative_to(site).as_posix())]
    assert sum(_bilag_pages_linked_from(site, rel).count("bilag/eksempeludvalget/2024-01-22/aarsberetning-2023-pdf/index.html") for rel in lists) == 1
    broken = broken_links(site, "/")
    assert not broken, broken
    locs = re.findall(r"<loc>(.*?)</loc>", read(site, "sitemap.xml"))
    assert "https://raadsarkiv.example.dk/bilag/oevrige/" in locs
