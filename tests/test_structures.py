"""The structures real minutes have (issue 10): sub-items, joint meetings, two meetings a day, dates known
only to the month or year, closed bilag without a file, `---` in an item, heading levels, shared case numbers.

Each is in the sample archive; the tests build it (conftest.sample_site) and look at the real pages.
"""

from __future__ import annotations

import re
from pathlib import Path

from test_pages import Page, read, section

SUB_ITEMS = "udvalg/eksempeludvalget/2024-05-13-referat/index.html"


def test_sub_items_and_running_numbers_keep_their_numbers_and_order(sample_site: Path) -> None:
    html = read(sample_site, SUB_ITEMS)
    toc = re.search(r'<ol class="toc-items">(.*?)</ol>', html, re.S)
    assert toc
    numbers = re.findall(r'<span class="item-number">([^<]+)</span>', toc.group(1))
    assert numbers == ["13.", "14.", "14a.", "16.", "16.1", "16.2"]  # as written: gaps, a letter, sub-numbers
    assert re.findall(r'href="#(punkt-[^"]+)"', toc.group(1)) == ["punkt-13", "punkt-14", "punkt-14a", "punkt-16", "punkt-16-1", "punkt-16-2"]
    ids = Page(html).ids
    assert {"punkt-14a", "punkt-14a-beslutning", "punkt-16-1", "punkt-16-1-beslutning"} <= ids
    assert '<h2 id="punkt-14a"><span class="item-number">14a.</span> Tillægspunkt: Høringssvar' in html
    assert "27.12.00-P20-2-24" in section(html, "punkt-14a")  # front matter `items: {14a: …}`
    assert "2024-001207" in section(html, "punkt-16-1")


def test_a_closed_sub_item_stays_closed(sample_site: Path) -> None:
    html = read(sample_site, SUB_ITEMS)
    closed = section(html, "punkt-16-2")
    assert "Lukket punkt" in closed and "Tilskud til enkeltperson" in closed
    assert 'id="punkt-16-2-' not in html and "Bevilget som indstillet" not in html
    assert "2024-001210" not in html and "00.30.10-S00-2-24" not in html  # its case metadata
    assert "Taget til efterretning" in section(html, "punkt-16-1")  # the open sub-item beside it


JOINT = "udvalg/eksempeludvalget/2024-06-10-referat/index.html"


def test_a_joint_meeting_is_shown_as_one_meeting_of_both_bodies(sample_site: Path) -> None:
    html = read(sample_site, JOINT)
    assert "<h1>Referat: Fællesmøde mellem Eksempeludvalget og Integrationsrådet" in html
    assert "<title>Referat: Fællesmøde mellem Eksempeludvalget og Integrationsrådet, Aalborg Kommune, 10. juni 2024 – " in html
    assert re.search(r'<dt>Fællesmøde</dt><dd><a href="\.\./\.\./\.\./udvalg/eksempeludvalget/index\.html">Eksempeludvalget</a> og '
                     r'<a href="\.\./\.\./\.\./udvalg/integrationsraadet-aalborg/index\.html">Integrationsrådet</a></dd>', html)
    # search: one page, filed under both bodies
    assert re.findall(r'data-pagefind-filter="Råd og udvalg">([^<]+)<', html) == [
        "Eksempeludvalget", "Integrationsrådet (Aalborg Kommune)"]  # the organisation where another has the name
    # previous/next meeting in each body
    assert 'aria-label="Andre møder i Eksempeludvalget"' in html and 'aria-label="Andre møder i Integrationsrådet"' in html
    assert re.search(r'href="[./]*udvalg/eksempeludvalget/2024-05-13-referat-2/index\.html">Forrige møde: 13\. maj 2024 \(2\. møde\)', html)
    assert re.search(r'href="[./]*udvalg/integrationsraadet-aalborg/2023-10-10-referat/index\.html">Forrige møde: 10\. oktober 2023', html)
    for body, other in (("eksempeludvalget", "Integrationsrådet"), ("integrationsraadet-aalborg", "Eksempeludvalget")):
        listing = read(sample_site, f"udvalg/{body}/index.html")
        assert re.search(rf'2024-06-10-referat/index\.html">Referat 10\. juni 2024 \(fællesmøde med {other}\)</a>', listing), body
    council_previous = read(sample_site, "udvalg/integrationsraadet-aalborg/2023-10-10-referat/index.html")
    assert re.search(r'href="[./]*udvalg/eksempeludvalget/2024-06-10-referat/index\.html" rel="next">Næste møde: 10\. juni 2024', council_previous)
    # the item it links to lists it, named as the joint meeting
    mentioned = section(read(sample_site, SUB_ITEMS), "punkt-14a")
    assert re.search(r'href="[./]*udvalg/eksempeludvalget/2024-06-10-referat/index\.html#punkt-2">Fællesmøde mellem Eksempeludvalget og Integrationsrådet '
                     r'\(Aalborg Kommune\), 10\. juni 2024, pkt\. 2', mentioned)


def test_two_meetings_of_one_body_on_one_day_have_their_own_pages(sample_site: Path) -> None:
    first = read(sample_site, "udvalg/eksempeludvalget/2024-05-13-referat/index.html")
    second = read(sample_site, "udvalg/eksempeludvalget/2024-05-13-referat-2/index.html")
    assert "<title>Referat: Eksempeludvalget, Aalborg Kommune, 13. maj 2024 – " in first
    assert "<title>Referat: Eksempeludvalget, Aalborg Kommune, 13. maj 2024 (2. møde) – " in second
    assert '<span class="h1-date">13. maj 2024 (2. møde)</span></h1>' in second
    assert '<time datetime="2024-05-13">mandag den 13. maj 2024 (2. møde)</time>' in second
    listing = read(sample_site, "udvalg/eksempeludvalget/index.html")
    order = re.findall(r'eksempeludvalget/(2024-05-13-referat[^/]*)/index\.html">Referat 13\. maj 2024( \(2\. møde\))?</a>', listing)
    assert order == [("2024-05-13-referat-2", " (2. møde)"), ("2024-05-13-referat", "")]  # newest first: the later meeting first
    # previous/next run through both, in the day's order
    assert re.search(r'href="[./]*udvalg/eksempeludvalget/2024-05-13-referat-2/index\.html" rel="next">Næste møde: 13\. maj 2024 \(2\. møde\)', first)
    assert re.search(r'href="[./]*udvalg/eksempeludvalget/2024-05-13-referat/index\.html" rel="prev">Forrige møde: 13\. maj 2024<', second)


MONTH_ONLY = "udvalg/eksempeludvalget/2014-03-referat/index.html"


def test_a_date_known_only_to_the_month_is_shown_and_filed_as_such(sample_site: Path) -> None:
    html = read(sample_site, MONTH_ONLY)
    assert '<span class="h1-date">marts 2014</span></h1>' in html
    assert "<title>Referat: Eksempeludvalget, Aalborg Kommune, marts 2014 – " in html
    assert '<dd><time datetime="2014-03">marts 2014</time></dd>' in html
    assert "1. marts" not in html and "2014-03-01" not in html
    assert '<span data-pagefind-filter="År">2014</span>' in html  # the year filter
    assert '<span data-pagefind-meta="date" data-pagefind-sort="date">2014-03</span>' in html
    listing = read(sample_site, "udvalg/eksempeludvalget/index.html")
    assert re.search(r'<h2 id="aar-2014">2014</h2>\s*<ul class="meeting-list">\s*<li><a href="[^"]*2014-03-referat/index\.html">Referat marts 2014</a>', listing)
    assert not (sample_site / "udvalg/eksempeludvalget/2014-03-01-referat").exists()


def test_a_year_only_date_is_a_year_everywhere(tmp_path: Path) -> None:
    """`date: 2014`: shown as '2014', published at …/2014-referat/, in the year filter, never as 1 January."""
    import datetime as dt

    from raadsarkiv.i18n import UI
    from raadsarkiv.model import MeetingMeta, When
    from raadsarkiv.views import long_date

    meta = MeetingMeta.model_validate({"body": "x", "date": 2014, "kind": "referat"})
    assert (meta.date, meta.precision, meta.when.isoformat()) == (dt.date(2014, 1, 1), "year", "2014")
    assert long_date(meta.when, UI("da")) == long_date(meta.when, UI("da"), "weekday") == "2014"
    assert long_date(When(dt.date(2014, 3, 1), "month"), UI("da")) == "marts 2014"
    assert long_date(When(dt.date(2014, 3, 1), "month"), UI("en")) == "March 2014"
    assert MeetingMeta.model_validate({"body": "x", "date": "2014", "kind": "referat"}).when.isoformat() == "2014"

    from conftest import copy_project
    from raadsarkiv.pipeline import build

    root = copy_project(tmp_path / "project")
    month = root / "content/meetings/eksempeludvalget/2014-03-referat.md"
    month.rename(month.with_name("2014-referat.md"))
    text = month.with_name("2014-referat.md").read_text(encoding="utf-8").replace("date: 2014-03", "date: 2014")
    month.with_name("2014-referat.md").write_text(text, encoding="utf-8")
    build(root, root / "output")
    html = read(root / "output", "udvalg/eksempeludvalget/2014-referat/index.html")
    assert '<span class="h1-date">2014</span></h1>' in html and '<time datetime="2014">2014</time>' in html
    assert "1. januar 2014" not in html and '<span data-pagefind-filter="År">2014</span>' in html


def test_a_closed_bilag_listed_by_title_has_no_file_and_no_link(sample_site: Path) -> None:
    item = section(read(sample_site, SUB_ITEMS), "punkt-14a")
    bilag = re.search(r'<h3 id="punkt-14a-bilag">Bilag<span class="visually-hidden"> \(pkt\. 14a\)</span></h3>\s*<ul>\s*(<li>.*?</li>)\s*</ul>', item, re.S)
    assert bilag, item
    assert bilag.group(1) == ('<li><span class="lukket-bilag">Henvendelse fra borger om boligplacering (modtaget pr. mail) '
                              '<em>(lukket bilag, ikke offentligt)</em></span></li>')
    assert "{lukket}" not in item


def test_a_case_number_shared_by_a_whole_year_does_not_link_items(sample_site: Path) -> None:
    """site_config.yaml `shared_case_numbers`: the number is shown, but the items are not one case."""
    html = read(sample_site, SUB_ITEMS)
    for anchor in ("punkt-13", "punkt-14"):
        item = section(html, anchor)
        assert "<dt>Sagsnr.</dt><dd>00.01.00-A00-1-24</dd>" in item
        assert "Samme sag" not in item
    assert "Samme sag" not in read(sample_site, "udvalg/eksempeludvalget/2024-05-13-referat-2/index.html")
    assert "Samme sag i andre møder" in section(read(sample_site, "udvalg/eksempeludvalget/2024-01-22-referat/index.html"), "punkt-2")


def test_same_case_lists_only_other_meetings(tmp_path: Path) -> None:
    """Without the setting the shared number is a case, but "Samme sag i andre møder" never lists the meeting's own items."""
    from conftest import copy_project
    from raadsarkiv.pipeline import build

    root = copy_project(tmp_path / "project")
    config = root / "site_config.yaml"
    config.write_text(re.sub(r"shared_case_numbers:\n(  - .*\n)+", "", config.read_text(encoding="utf-8")), encoding="utf-8")
    build(root, root / "output")
    item = section(read(root / "output", SUB_ITEMS), "punkt-13")
    assert '<h3 id="punkt-13-samme-sag">Samme sag i andre møder<span class="visually-hidden"> (pkt. 13)</span></h3>' in item
    listed = re.findall(r'<li><a href="([^"]+)">', item.split("samme-sag")[1])
    assert listed == ["../../../udvalg/eksempeludvalget/2024-05-13-referat-2/index.html#punkt-1"]  # not item 14 beside it
