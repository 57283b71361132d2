"""A new archive (`raadsarkiv init`) with a logo, colours and footer from its settings, in Chromium: the colours
apply to the light scheme only, and the pages stay free of axe-core violations in both schemes and at 320 px."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator

import pytest

from a11y_browser import axe_violations, horizontal_overflow
from conftest import REPO, serve, themed_archive

PAGES = {"home": "", "meeting": "udvalg/byraadet/2025-01-28-referat/"}


@pytest.fixture(scope="module")
def themed_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    site = themed_archive(tmp_path_factory.mktemp("themed") / "arkiv")
    # In a process of its own: Pagefind's indexing runs an event loop, which Playwright's would be in the way of.
    built = subprocess.run([sys.executable, "-m", "raadsarkiv", "--site", str(site), "build"], capture_output=True,
                           text=True, env={"PYTHONPATH": str(REPO)}, timeout=300)
    assert built.returncode == 0, built.stderr
    with serve(site / "output") as url:
        yield url


def _colours(browser, url: str, scheme: str) -> dict[str, str]:  # type: ignore[no-untyped-def]
    context = browser.new_context(color_scheme=scheme)
    try:
        page = context.new_page()
        page.goto(url)
        return page.evaluate("""() => ({
            link: getComputedStyle(document.querySelector('.main-nav a')).color,
            button: getComputedStyle(document.querySelector('.header-search button')).backgroundColor,
            logo: String(document.querySelector('.site-logo').getBoundingClientRect().height),
        })""")
    finally:
        context.close()


def test_configured_colours_apply_to_the_light_scheme_only(browser, themed_url: str) -> None:  # type: ignore[no-untyped-def]
    light = _colours(browser, themed_url, "light")
    assert light["link"] == "rgb(0, 80, 122)" and light["button"] == "rgb(122, 0, 80)"
    assert float(light["logo"]) > 20  # the logo is shown, at the theme's size
    dark = _colours(browser, themed_url, "dark")
    assert dark["link"] == "rgb(140, 196, 255)" and dark["button"] == "rgb(140, 196, 255)"  # the theme's dark colours


@pytest.mark.parametrize("scheme, width", [("light", 1280), ("dark", 1280), ("light", 320)])
@pytest.mark.parametrize("name", PAGES)
def test_a_themed_site_has_no_axe_violations(browser, themed_url: str, name: str, scheme: str, width: int) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(locale="da-DK", color_scheme=scheme, viewport={"width": width, "height": 800})
    try:
        page = context.new_page()
        page.goto(themed_url + PAGES[name])
        violations = axe_violations(page)
        assert not violations, f"{name}, {scheme}, {width} px:\n" + "\n".join(violations)
        if width == 320:
            assert horizontal_overflow(page) <= 0, f"{name} at 320 px scrolls sideways"
    finally:
        context.close()
