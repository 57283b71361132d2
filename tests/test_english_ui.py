"""The sample archive with `language: en`: an English interface (labels, dates, <html lang>, Pagefind) around
Danish content marked lang="da", valid HTML, and the same accessibility checks as the Danish site."""

from __future__ import annotations

import json
import re
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from a11y_browser import PAGE_TYPES, axe_violations, horizontal_overflow, show_search_results
from a11y_checks import RULES, Node, language, parse
from conftest import REPO, copy_project, serve
from raadsarkiv.i18n import LOCALE_DIR
from raadsarkiv.pipeline import build
from test_html_validity import BROKEN, run_vnu

sys.path.insert(0, str(REPO / "scripts"))
import update_catalogues  # noqa: E402
MEETING = "udvalg/eksempeludvalget/2024-01-22-referat/index.html"
LONG_MEETING = "udvalg/integrationsraadet-aalborg/2023-10-10-referat/index.html"


@pytest.fixture(scope="session")
def english_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample archive with an English interface, built once per session; its output folder."""
    root = copy_project(tmp_path_factory.mktemp("english"))
    config = root / "site_config.yaml"
    config.write_text("language: en\n" + config.read_text(encoding="utf-8"), encoding="utf-8")
    build(root, root / "output")
    return root / "output"


@pytest.fixture(scope="session")
def english_pages(english_site: Path) -> dict[str, Node]:
    return {
        path.relative_to(english_site).as_posix(): parse(path.read_text(encoding="utf-8"))
        for path in sorted(english_site.rglob("*.html")) if path.relative_to(english_site).parts[0] != "pagefind"
    }


@pytest.fixture(scope="session")
def english_url(english_site: Path) -> Iterator[str]:
    with serve(english_site) as url:
        yield url


def outside_danish(node: Node) -> str:
    """The text of a page outside the elements marked lang="da" (what the interface itself says)."""
    parts: list[str] = []
    for child in node.children:
        if isinstance(child, str):
            parts.append(child)
        elif child.attrs.get("lang") != "da" and child.tag not in ("script", "style", "title"):
            parts.append(outside_danish(child))
    return " ".join(" ".join(parts).split())


def test_every_page_says_english_and_pagefind_indexes_english(english_site: Path, english_pages: dict[str, Node]) -> None:
    assert len(english_pages) > 20
    for path, doc in english_pages.items():
        assert language(doc, path, expected="en") == [], path
    entry = json.loads((english_site / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert list(entry["languages"]) == ["en"]


def test_labels_dates_and_times_are_english(english_site: Path) -> None:
    html = (english_site / MEETING).read_text(encoding="utf-8")
    assert "<h1>Minutes: Eksempeludvalget" in html
    assert '<span class="label label-closed">Closed item</span>' in html and "Open item" in html
    assert "Monday 22 January 2024" in html  # the weekday date, Babel in English
    assert "<dt>Time</dt><dd>16:00–17:45</dd>" in html  # start: "16:00", end: "17:45"
    assert "Back to top" in html and "Lukket punkt" not in html and "Til toppen" not in html
    home = (english_site / "index.html").read_text(encoding="utf-8")
    assert "Latest meetings" in home and re.search(r"The archive holds \d+ meetings, \d+ strategies and \d+ public attachments\.", home)
    bilag = (english_site / "bilag/index.html").read_text(encoding="utf-8")
    assert re.search(r'<span class="filinfo">\(PDF, [\d.]+ (kB|MB)\)</span>', (english_site / LONG_MEETING).read_text(encoding="utf-8"))
    assert "public attachments, by council or committee and by year." in bilag


def test_danish_content_is_marked_lang_da(english_site: Path, english_pages: dict[str, Node]) -> None:
    """Item titles, section headings and texts, and a page's text, are Danish inside an English page."""
    doc = english_pages[LONG_MEETING]
    headings = [n for n in doc.iter() if n.tag == "h3" and n.attrs.get("id", "").endswith("-beslutning")]
    assert headings and all(h.attrs.get("lang") == "da" for h in headings)
    item_titles = [n for n in doc.iter() if n.tag == "h2" and n.attrs.get("id", "").startswith("punkt-")]
    assert item_titles and all(any(c.attrs.get("lang") == "da" for c in t.iter() if c is not t) for t in item_titles)
    about = english_pages["om/index.html"]
    assert any(n.tag == "div" and n.attrs.get("lang") == "da" and "arkiv" in n.text() for n in about.iter())


def _danish_interface_words() -> list[str]:
    """The Danish translations of the interface's own phrases (several words, so no name matches by chance)."""
    catalogue = update_catalogues.read(LOCALE_DIR / "da" / "LC_MESSAGES" / "messages.po", "da")
    phrases = []
    for message in catalogue:
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for string in strings:
            plain = re.sub(r"\{\w+\}", "", string or "").strip(" .:,()")
            if len(plain.split()) >= 2 and not any(word in plain for word in ("HH", "MMMM", "'")):
                phrases.append(plain)
    return phrases


def test_no_danish_interface_text_outside_danish_content(english_pages: dict[str, Node]) -> None:
    phrases = _danish_interface_words()
    assert "Lukket punkt" in phrases and "Til toppen" in phrases  # the catalogue was read
    found = [(path, phrase) for path, doc in english_pages.items() for phrase in phrases if phrase in outside_danish(doc)]
    assert found == []


@pytest.mark.parametrize("rule", [rule for rule in RULES if rule is not language], ids=lambda r: r.__name__)
def test_accessibility_rule_holds_on_every_english_page(rule, english_pages: dict[str, Node]) -> None:  # type: ignore[no-untyped-def]
    problems = [f"{path}: {problem}" for path, doc in english_pages.items() for problem in rule(doc, path)]
    assert not problems, "\n".join(problems)


def test_every_english_page_is_valid_html(english_site: Path, tmp_path: Path) -> None:
    site = shutil.copytree(english_site, tmp_path / "site")
    (site / "zz-known-broken.html").write_text(BROKEN, encoding="utf-8")
    by_file: dict[str, list[str]] = {}
    for m in run_vnu(site):
        by_file.setdefault(m.get("url", "").split("/site/", 1)[-1], []).append(f"line {m.get('lastLine', '?')}: {m['message']}")
    assert "zz-known-broken.html" in by_file, "vnu did not report the known-broken page"
    del by_file["zz-known-broken.html"]
    assert not by_file, "\n".join(f"{name}: {msg}" for name, msgs in sorted(by_file.items()) for msg in msgs)


@pytest.mark.parametrize("width", [1280, 320])
@pytest.mark.parametrize("page_type", PAGE_TYPES)
def test_no_axe_violations_in_english(browser, english_url: str, page_type: str, width: int) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(locale="en-GB", viewport={"width": width, "height": 900})
    try:
        page = context.new_page()
        page.goto(english_url + PAGE_TYPES[page_type])
        if page_type == "search":
            assert show_search_results(page), "the English search page shows no results"
        violations = axe_violations(page)
        assert not violations, f"{page_type} at {width} px:\n" + "\n".join(violations)
        if width == 320:
            assert horizontal_overflow(page) <= 0, f"{page_type} at 320 px scrolls sideways"
    finally:
        context.close()
