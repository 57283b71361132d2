"""The sample archive opens in a real browser, at the root and under a sub-path."""

import re
from pathlib import Path

from conftest import serve


def test_home_page_in_chromium(page, site_url: str) -> None:
    page.goto(site_url)
    assert page.locator("h1").inner_text() == "Rådsarkiv"
    assert page.locator("html").get_attribute("lang") == "da"
    page.get_by_role("link", name="Udvalg og råd").first.click()
    assert page.locator("h1").inner_text() == "Udvalg og råd"


def test_site_works_under_a_sub_path(page, sample_site: Path) -> None:
    with serve(sample_site, "/raadsarkiv/") as url:
        page.goto(url)
        page.get_by_role("link", name="Strategier").first.click()
        assert page.url.startswith(url + "strategier/")
        response = page.goto(url + "static/style.css")
        assert response is not None and response.status == 200


def test_an_old_agenda_link_keeps_its_fragment(page, site_url: str) -> None:
    """The dagsorden's old address redirects to the meeting; an old link to one of its items
    (#punkt-2) lands on that item, not at the top of the page."""
    page.goto(site_url + "udvalg/eksempeludvalget/2024-01-22-dagsorden/#punkt-2")
    page.wait_for_url(re.compile(r"/udvalg/eksempeludvalget/2024-01-22-referat/(index\.html)?#punkt-2$"))
    assert page.locator("h1").inner_text().startswith("Referat: Eksempeludvalget")
