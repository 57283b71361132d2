"""The sample archive opens in a real browser, at the root and under a sub-path."""

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
