"""What axe cannot check, checked on every generated page: headings, bilag links, tables, language, links, images."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from a11y_checks import RULES, Node, parse

Rule = Callable[[Node, str], list[str]]


@pytest.fixture(scope="session")
def pages(sample_site: Path) -> dict[str, Node]:
    """Every generated HTML page (the Pagefind bundle aside), parsed, by output path."""
    found = {
        path.relative_to(sample_site).as_posix(): parse(path.read_text(encoding="utf-8"))
        for path in sorted(sample_site.rglob("*.html"))
        if path.relative_to(sample_site).parts[0] != "pagefind"
    }
    assert len(found) > 20
    return found


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.__name__)
def test_rule_holds_on_every_page(rule: Rule, pages: dict[str, Node]) -> None:
    problems = [f"{path}: {problem}" for path, doc in pages.items() for problem in rule(doc, path)]
    assert not problems, "\n".join(problems)


def test_the_rules_had_something_to_check(pages: dict[str, Node]) -> None:
    """The sample has bilag links, tables and a passage in English, so the rules above are not vacuous."""
    links = [a for path, doc in pages.items() for a in doc.iter() if a.tag == "a" and "bilag" in a.attrs.get("class", "")]
    tables = [t for doc in pages.values() for t in doc.iter() if t.tag == "table"]
    english = [n for n in pages["tilgaengelighed/index.html"].iter() if n.attrs.get("lang") == "en"]
    assert len(links) >= 5 and len(tables) >= 3
    assert english and english[0].text() == "Web Content Accessibility Guidelines"


def test_statement_page_names_the_configured_responsible_and_contact(pages: dict[str, Node]) -> None:
    text = pages["tilgaengelighed/index.html"].text()
    hrefs = {a.attrs.get("href") for a in pages["tilgaengelighed/index.html"].iter() if a.tag == "a"}
    assert "Ansvarlig for webstedet Aalborg Kommune" in text
    assert "mailto:webredaktion@example.dk" in hrefs and "https://www.aalborg.dk/kontakt" in hrefs


def test_every_footer_links_to_the_statement(pages: dict[str, Node]) -> None:
    missing = []
    for path, doc in pages.items():
        footer = next(n for n in doc.iter() if n.tag == "footer")
        links = [a for a in footer.iter() if a.tag == "a" and a.text() == "Tilgængelighedserklæring"]
        href = links[0].attrs["href"] if links else ""
        if not (href.endswith("tilgaengelighed/index.html") or href.endswith("tilgaengelighed/")):
            missing.append(path)
    assert not missing, f"footer without a link to the accessibility statement: {missing}"


def test_was_redirects_to_the_statement(sample_site: Path, page, site_url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(site_url + "was/")
    page.wait_for_url("**/tilgaengelighed/index.html")
    assert page.locator("h1").inner_text() == "Tilgængelighedserklæring"
    assert "was/index.html" not in (sample_site / "sitemap.xml").read_text()


BAD = {
    "one_h1": "<html lang='da'><h1>A</h1><h1>B</h1></html>",
    "heading_levels": "<html lang='da'><h1>A</h1><h3>C</h3></html>",
    "bilag_links_state_file_info": "<a href='../bilag/x/2024-01-01/plan.pdf'>Plan</a>",
    "tables_have_caption_and_headers": "<table><tr><td>1</td></tr></table>",
    "language": "<html lang='en'><p lang='dansk!'>x</p></html>",
    "link_texts": "<a href='a.html'>Læs mere</a> <a href='b.html'>klik her</a>",
    "images_have_alt": "<img src='a.png'><img src='b.png' alt=''>",
}
GOOD = {
    "one_h1": "<h1>A</h1><h2>B</h2>",
    "heading_levels": "<h1>A</h1><h2>B</h2><h3>C</h3><h2>D</h2>",
    "bilag_links_state_file_info": "<a href='../bilag/x/2024-01-01/plan.pdf'>Plan <span>(PDF, 1,2 MB)</span></a><a href='../bilag/index.html'>Bilag</a><a href='../bilag/x/2024/index.html'>2024</a><a href='../bilag/oevrige/index.html'>Øvrige bilag</a>",
    "tables_have_caption_and_headers": "<table><caption>Tabel 1</caption><tr><th>a</th></tr></table>",
    "language": "<html lang='da'><p lang='en-GB'>x</p></html>",
    "link_texts": "<a href='a.html'>Læs mere om lukkede punkter</a>",
    "images_have_alt": "<img src='a.png' alt='Kort'><img src='b.png' alt='' role='presentation'>",
}


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.__name__)
def test_rule_catches_bad_markup_and_accepts_good(rule: Rule) -> None:
    assert rule(parse(BAD[rule.__name__]), "udvalg/index.html")
    assert rule(parse(GOOD[rule.__name__]), "udvalg/index.html") == []
