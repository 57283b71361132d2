"""A meeting's life (issue 10): its dagsorden and its referat are one meeting.

The sample archive has the dagsorden and the referat of Eksempeludvalget's meeting of 22 January 2024
(content/meetings/eksempeludvalget/2024-01-22-{dagsorden,referat}.md). The tests build it
(conftest.sample_site) and look at the real pages, lists, redirects and search index.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from conftest import copy_project
from test_pages import read, section
from test_safety import readable_forms

MEETING = "udvalg/eksempeludvalget/2024-01-22-referat/index.html"
AGENDA_VERSION = "udvalg/eksempeludvalget/2024-01-22-referat/dagsorden/index.html"
OLD_AGENDA = "udvalg/eksempeludvalget/2024-01-22-dagsorden/index.html"
AGENDA_ONLY = "udvalg/eksempeludvalget/2024-01-15-dagsorden/index.html"  # a meeting with only its dagsorden


def links(html: str) -> list[str]:
    """Every href, without the leading ../ (relative to the output root for comparison)."""
    return [re.sub(r"^(\.\./)+", "", href) for href in re.findall(r'href="([^"]+)"', html)]


def test_the_meeting_page_shows_the_referat_and_links_its_agenda_version(sample_site: Path) -> None:
    html = read(sample_site, MEETING)
    assert "<h1>Referat: Eksempeludvalget" in html and "data-pagefind-body" in html
    assert re.search(r'<dt>Dagsorden</dt><dd><a href="(\.\./)+udvalg/eksempeludvalget/2024-01-22-referat/dagsorden/index\.html">', html)
    assert AGENDA_VERSION in links(html)


def test_the_agenda_version_is_a_page_of_its_own_not_indexed(sample_site: Path) -> None:
    html = read(sample_site, AGENDA_VERSION)
    assert "<h1>Dagsorden: Eksempeludvalget" in html
    assert "<title>Dagsorden: Eksempeludvalget, Aalborg Kommune, 22. januar 2024 – Rådsarkiv</title>" in html
    note = re.search(r'<div class="note" role="note"><p><strong>Dagsordenen til mødet\.</strong>(.*?)</div>', html, re.S)
    assert note and MEETING in links(note.group(1))  # back to the meeting's page
    assert "data-pagefind-body" not in html and "data-pagefind-filter" not in html  # search finds the meeting once
    assert '<nav class="pager"' not in html  # previous/next link meetings, on the meeting's page
    # its breadcrumbs lead to the meeting's page
    crumbs = re.search(r'<nav class="breadcrumbs".*?</nav>', html, re.S)
    assert crumbs and MEETING in links(crumbs.group(0)) and '<li aria-current="page">Dagsorden</li>' in crumbs.group(0)
    # its own items and bilag, and its closed items closed
    assert "Sekretariatet udsender hermed et" in section(html, "punkt-2")
    assert "bilag/eksempeludvalget/2024-01-22/forslag-til-program-pdf/forslag-til-program.pdf" in links(section(html, "punkt-2"))
    assert "Lukket punkt" in section(html, "punkt-3") and "HEMMELIG-DAGSORDEN-D4G8" not in html


def test_the_agendas_old_address_redirects_to_the_meeting(sample_site: Path) -> None:
    html = read(sample_site, OLD_AGENDA)
    target = re.search(r'<meta http-equiv="refresh" content="0; url=([^"]+)">', html)
    assert target and re.sub(r"^(\.\./)+", "", target.group(1)) == MEETING
    assert '<meta name="robots" content="noindex">' in html
    assert MEETING in links(html) and AGENDA_VERSION in links(html)
    assert "data-pagefind-body" not in html
    assert "2024-01-22-dagsorden/" not in read(sample_site, "sitemap.xml")
    assert "udvalg/eksempeludvalget/2024-01-22-referat/dagsorden/" in read(sample_site, "sitemap.xml")


def test_a_meeting_with_only_its_dagsorden_keeps_its_address(sample_site: Path) -> None:
    html = read(sample_site, AGENDA_ONLY)
    assert "<h1>Dagsorden: Eksempeludvalget" in html and "data-pagefind-body" in html
    assert not (sample_site / "udvalg/eksempeludvalget/2024-01-15-referat").exists()


def test_lists_have_one_entry_per_meeting(sample_site: Path) -> None:
    body = read(sample_site, "udvalg/eksempeludvalget/index.html")
    assert [href for href in links(body) if "2024-01-22" in href] == [MEETING]
    assert re.search(r">Referat 22\. januar 2024</a>", body)
    home = read(sample_site, "index.html")
    latest = re.search(r'<ul class="meeting-list">(.*?)</ul>', home, re.S)
    assert latest and [href for href in links(latest.group(1)) if "2024-01-22" in href] == [MEETING]
    meetings = {p.parent for p in (sample_site / "udvalg").glob("*/*/index.html")}
    redirects = {p for p in meetings if 'http-equiv="refresh"' in (p / "index.html").read_text(encoding="utf-8")}
    assert f"Arkivet rummer {len(meetings - redirects)} møder" in home  # agenda versions lie one level deeper
    bodies = read(sample_site, "udvalg/index.html")
    count = len([p for p in meetings - redirects if p.parent.name == "eksempeludvalget"])
    assert re.search(rf'Eksempeludvalget</a>.*?{count} møder', bodies, re.S)


def test_previous_and_next_link_meetings_not_documents(sample_site: Path) -> None:
    agenda_only = read(sample_site, AGENDA_ONLY)
    following = re.search(r'<li class="pager-next"><a href="([^"]+)"', agenda_only)
    assert following and re.sub(r"^(\.\./)+", "", following.group(1)) == MEETING
    minutes = read(sample_site, MEETING)
    previous = re.search(r'<li class="pager-prev"><a href="([^"]+)"', minutes)
    assert previous and re.sub(r"^(\.\./)+", "", previous.group(1)) == AGENDA_ONLY
    assert not [href for page in (agenda_only, minutes) for href in links(page) if href.startswith(OLD_AGENDA.removesuffix("index.html"))]


def test_a_case_is_not_linked_to_its_own_meetings_other_document(sample_site: Path) -> None:
    """Item 2 of the dagsorden and of the referat have the same case number: one meeting, so not 'Samme sag i andre møder'."""
    case = section(read(sample_site, MEETING), "punkt-2")
    assert AGENDA_ONLY + "#punkt-2" in links(case)
    assert not [href for href in links(case) if "2024-01-22" in href and "bilag/" not in href]


def test_the_bilag_of_both_documents_stay_reachable(sample_site: Path) -> None:
    agenda_bilag = read(sample_site, "bilag/eksempeludvalget/2024-01-22/forslag-til-program-pdf/index.html")
    assert AGENDA_VERSION + "#punkt-2" in links(agenda_bilag)
    listed = read(sample_site, "bilag/eksempeludvalget/2024/index.html")
    assert links(listed).count("bilag/eksempeludvalget/2024-01-22/forslag-til-program-pdf/index.html") == 1
    assert links(listed).count("bilag/eksempeludvalget/2024-01-22/program-debataften-pdf/index.html") == 1


def test_search_finds_the_meeting_once(sample_site: Path) -> None:
    urls = []
    for fragment in (sample_site / "pagefind/fragment").iterdir():
        for form in readable_forms(fragment)[1:]:
            urls += re.findall(rb'"url":"([^"]+)"', form)
    meeting_urls = [url.decode() for url in urls if url.startswith(b"/udvalg/eksempeludvalget/2024-01-22")]
    assert meeting_urls == ["/udvalg/eksempeludvalget/2024-01-22-referat/"]


def test_an_item_closed_only_in_one_document_is_an_error_and_counts_as_closed(tmp_path: Path) -> None:
    from raadsarkiv.pipeline import check

    root = copy_project(tmp_path / "project")
    agenda = root / "content/meetings/eksempeludvalget/2024-01-22-dagsorden.md"
    title = "## 2. Debataften om mangfoldige arbejdspladser – program og økonomi (eksempel)"
    agenda.write_text(agenda.read_text(encoding="utf-8").replace(title, f"{title} {{lukket}}"), encoding="utf-8")
    checked = check(root)
    errors = [p.format() for p in checked.problems if p.severity == "error"]
    assert errors == [
        "content/meetings/eksempeludvalget/2024-01-22-referat.md:69: item 2 is closed in the meeting's dagsorden "
        "(content/meetings/eksempeludvalget/2024-01-22-dagsorden.md:26) but open here; an item closed in one of a "
        "meeting's documents is closed in both: write {lukket} after its title here too ('## 2. Debataften om "
        "mangfoldige arbejdspladser – program og økonomi (eksempel) {lukket}'), or open it in the dagsorden"
    ]
    assert checked.site is not None
    minutes = next(m for m in checked.site.content.meetings if m.path.endswith("2024-01-22-referat.md"))
    item = next(i for i in minutes.items if i.number == "2")
    assert item.closed and item.sections == [] and item.intro_html == ""


# --- lists and search name what tells meetings apart (issue 10) ----------------------------------------------------


def _fragments(site: Path) -> list[dict]:
    """Pagefind's record of every indexed page (its compressed fragment files, unpacked)."""
    found = []
    for fragment in (site / "pagefind/fragment").iterdir():
        for form in readable_forms(fragment)[1:]:
            if form.startswith(b"pagefind_dcd"):
                found.append(json.loads(form[len(b"pagefind_dcd"):]))
    return found


def test_lists_name_the_organisation_only_where_two_have_a_body_of_that_name(sample_site: Path) -> None:
    home = read(sample_site, "index.html")
    latest = re.search(r'<ul class="meeting-list">(.*?)</ul>', home, re.S)
    assert latest
    entries = re.findall(r">([^<]+)</a>", latest.group(1))
    assert "Integrationsrådet (Aalborg Kommune): referat 10. oktober 2023" in entries
    assert "Integrationsrådet (Brønderslev Kommune): referat 24. maj 2018" in entries
    assert "Eksempeludvalget: referat 22. januar 2024" in entries  # the only body of that name
    bilag = read(sample_site, "bilag/integrationsraadet-aalborg/2023-10-10/handleplan-maalsaetning-1-pdf/index.html")
    assert re.search(r">Integrationsrådet \(Aalborg Kommune\), 10\. oktober 2023, pkt\. 4", bilag)


def test_search_filters_and_types_are_written_as_the_pages_write_them(sample_site: Path) -> None:
    types, bodies = set(), set()
    for path in sample_site.rglob("*.html"):
        html = path.read_text(encoding="utf-8")
        types |= set(re.findall(r'data-pagefind-filter="Type">([^<]+)<', html))
        types |= set(re.findall(r'data-pagefind-meta="type">([^<]+)<', html))
        bodies |= set(re.findall(r'data-pagefind-filter="Råd og udvalg">([^<]+)<', html))
    assert types == {"Referat", "Dagsorden", "Strategi", "Bilag", "Side"}
    assert bodies == {"Eksempeludvalget", "Eksempelbyrådet", "Beskæftigelses- og Uddannelsesudvalget",
                      "Integrationsrådet (Aalborg Kommune)", "Integrationsrådet (Brønderslev Kommune)"}
    meeting = next(f for f in _fragments(sample_site) if f["url"] == "/udvalg/eksempeludvalget/2024-01-22-referat/")
    assert meeting["filters"]["Type"] == ["Referat"] and meeting["meta"]["type"] == "Referat"


def test_search_sub_results_name_the_item(sample_site: Path) -> None:
    """Pagefind makes a sub-result of each heading with an id: a section's heading carries its item's number."""
    meeting = next(f for f in _fragments(sample_site) if f["url"] == "/udvalg/eksempeludvalget/2024-01-22-referat/")
    headings = {anchor["id"]: anchor["text"] for anchor in meeting["anchors"]}
    assert headings["punkt-2"].startswith("2. Debataften")
    assert headings["punkt-2-beslutning"] == "Beslutning (pkt. 2)"
    assert headings["punkt-2-samme-sag"] == "Samme sag i andre møder (pkt. 2)"
    # on the page the number is for screen readers only: the heading reads as before
    assert '<h3 id="punkt-2-beslutning">Beslutning<span class="visually-hidden"> (pkt. 2)</span></h3>' in read(sample_site, MEETING)


def test_links_to_the_dagsorden_lead_to_the_agenda_version_and_shared_bilag_are_listed_with_the_referat(tmp_path: Path) -> None:
    from raadsarkiv.pipeline import check, render_site

    root = copy_project(tmp_path / "project")
    agenda = root / "content/meetings/eksempeludvalget/2024-01-22-dagsorden.md"
    program = "- [Program for debataften (eksempel)](../../bilag/eksempeludvalget/2024-01-22/program-debataften.pdf)\n"
    agenda.write_text(agenda.read_text(encoding="utf-8").replace("## 3. Personalesag", f"{program}\n## 3. Personalesag"),
                      encoding="utf-8")
    about = root / "content/pages/om.md"
    about.write_text(about.read_text(encoding="utf-8") + "\n[Dagsordenen 22. januar 2024, pkt. 2]"
                     "(../meetings/eksempeludvalget/2024-01-22-dagsorden.md#punkt-2)\n", encoding="utf-8")
    checked = check(root)
    assert checked.ok and checked.site is not None, [p.format() for p in checked.problems]
    files, _ = render_site(root, checked.site, bilag_text=checked.bilag_text)
    assert AGENDA_VERSION + "#punkt-2" in links(files["om/index.html"].decode())
    listed = files["bilag/eksempeludvalget/2024/index.html"].decode()
    row = re.search(r'<tr><td><a href="[^"]*program-debataften-pdf/index\.html">.*?</tr>', listed, re.S)
    assert row and MEETING + "#punkt-2" in links(row.group(0)) and ">Referat <time" in row.group(0)
    bilag = files["bilag/eksempeludvalget/2024-01-22/program-debataften-pdf/index.html"].decode()
    assert MEETING + "#punkt-2" in links(bilag) and AGENDA_VERSION + "#punkt-2" not in links(bilag)  # the meeting's item once
    agenda_page = files[AGENDA_VERSION].decode()  # the agenda version still links it
    assert "bilag/eksempeludvalget/2024-01-22/program-debataften-pdf/program-debataften.pdf" in links(section(agenda_page, "punkt-2"))


def test_a_strategy_lists_the_meetings_item_once(tmp_path: Path) -> None:
    """Item 2 of the dagsorden and of the referat both link the strategy: it was treated at one meeting, listed once."""
    from raadsarkiv.pipeline import check, render_site

    root = copy_project(tmp_path / "project")
    agenda = root / "content/meetings/eksempeludvalget/2024-01-22-dagsorden.md"
    goal = "[målsætning 2](../../strategies/aalborg-integrationsstrategi-2023-2026.md#maalsaetning-2)"
    agenda.write_text(agenda.read_text(encoding="utf-8").replace("debataften om mangfoldige arbejdspladser. Sekretariatet",
                      f"debataften om mangfoldige arbejdspladser ({goal}). Sekretariatet"), encoding="utf-8")
    checked = check(root)
    assert checked.ok and checked.site is not None, [p.format() for p in checked.problems]
    files, _ = render_site(root, checked.site, bilag_text=checked.bilag_text)
    strategy = files["strategier/aalborg-integrationsstrategi-2023-2026/index.html"].decode()
    treated = [href for href in links(strategy) if href.startswith("udvalg/eksempeludvalget/2024-01-22")]
    assert treated == [MEETING + "#punkt-2"]


def test_a_bilag_linked_outside_items_names_the_meeting_once(tmp_path: Path) -> None:
    """A bilag that the introductions of both documents link is listed under "Øvrige bilag" with the meeting once."""
    from raadsarkiv.pipeline import check, render_site

    root = copy_project(tmp_path / "project")
    link = "\n[Årsberetning 2023](../../bilag/eksempeludvalget/2024-01-22/aarsberetning.pdf)\n"
    (root / "content/bilag/eksempeludvalget/2024-01-22/aarsberetning.pdf").write_bytes(b"%PDF-1.4\n% aarsberetning\n")
    for kind in ("dagsorden", "referat"):
        path = root / f"content/meetings/eksempeludvalget/2024-01-22-{kind}.md"
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("\n## 1. ", f"{link}\n## 1. ", 1), encoding="utf-8")
    checked = check(root)
    assert checked.ok and checked.site is not None, [p.format() for p in checked.problems]
    files, _ = render_site(root, checked.site, bilag_text=checked.bilag_text)
    other = files["bilag/oevrige/index.html"].decode()
    assert [href for href in links(other) if href.startswith("udvalg/eksempeludvalget/")] == [MEETING]
