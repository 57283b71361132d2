"""axe-core (WCAG 2.0/2.1/2.2 A and AA, best practice) on every page type, in both colour schemes,
at 1280 and 320 px wide, at 200 % zoom and with 200 % text size; narrow views must reflow."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from a11y_browser import PAGE_TYPES, axe_violations, horizontal_overflow, show_search_results

# name: (browser context options, text zoom factor)
MODES: dict[str, tuple[dict[str, Any], int]] = {
    "1280-light": ({"viewport": {"width": 1280, "height": 900}, "color_scheme": "light"}, 1),
    "320-light": ({"viewport": {"width": 320, "height": 640}, "color_scheme": "light"}, 1),
    "1280-dark": ({"viewport": {"width": 1280, "height": 900}, "color_scheme": "dark"}, 1),
    # Browser zoom 200 % on a 1280 px window: 640 CSS px at device scale 2.
    "zoom-200": ({"viewport": {"width": 640, "height": 450}, "device_scale_factor": 2, "color_scheme": "light"}, 1),
    # Text-only zoom 200 % (WCAG 1.4.4), on a 1280 px window.
    "text-200": ({"viewport": {"width": 1280, "height": 900}, "color_scheme": "light"}, 2),
}


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("page_type", PAGE_TYPES)
def test_no_axe_violations(browser, site_url: str, page_type: str, mode: str) -> None:  # type: ignore[no-untyped-def]
    options, text_zoom = MODES[mode]
    context = browser.new_context(locale="da-DK", **options)
    try:
        page = context.new_page()
        page.goto(site_url + PAGE_TYPES[page_type])
        if text_zoom != 1:
            page.evaluate(f"() => {{ document.documentElement.style.fontSize = '{100 * text_zoom}%'; }}")
        if page_type == "search":
            show_search_results(page)
        violations = axe_violations(page)
        assert not violations, f"{page_type} at {mode}:\n" + "\n".join(violations)
        if not mode.startswith("1280") or text_zoom != 1:
            assert horizontal_overflow(page) <= 0, f"{page_type} at {mode} scrolls sideways: it does not reflow"
    finally:
        context.close()


def test_search_results_are_part_of_the_check_once_pagefind_is_built(sample_site: Path, page, site_url: str) -> None:  # type: ignore[no-untyped-def]
    """When the build writes a Pagefind index, the search page must show results for the axe run above."""
    page.goto(site_url + PAGE_TYPES["search"])
    shown = show_search_results(page)
    assert shown == (sample_site / "pagefind").is_dir(), "search page and Pagefind bundle disagree"


def test_meeting_page_has_an_open_and_a_closed_item(page, site_url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(site_url + PAGE_TYPES["meeting-open-and-closed"])
    assert page.locator(".item .label-open").count() >= 1
    assert page.locator(".item .label-closed").count() >= 1


def test_meeting_prints_without_navigation_and_with_bilag_addresses(page, site_url: str) -> None:  # type: ignore[no-untyped-def]
    page.emulate_media(media="print", color_scheme="dark")
    page.goto(site_url + PAGE_TYPES["meeting-open-and-closed"])
    for hidden in (".site-header", ".site-footer", ".toc", ".breadcrumbs", ".pager", ".to-top"):
        assert all(not element.is_visible() for element in page.locator(hidden).all()), f"{hidden} is printed"
    bilag = page.locator("main a.bilag").first
    printed = bilag.evaluate("a => getComputedStyle(a, '::after').content")
    assert "https://raadsarkiv.example.dk/bilag/eksempeludvalget/2024-01-22/" in printed
    assert page.locator("body").evaluate("b => getComputedStyle(b).color") == "rgb(0, 0, 0)"
