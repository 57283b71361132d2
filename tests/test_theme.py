"""The default theme in the package, a site's overrides of single files, and the theme settings of site_config.yaml."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import copy_project, override
from raadsarkiv.errors import BuildFailed
from raadsarkiv.pipeline import build, check
from raadsarkiv.theme import COLOUR_PROPERTIES, THEME_STATIC, THEME_TEMPLATES, contrast

LOGO = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="10" height="10" fill="#005a8c"/></svg>\n'
THEME_SETTINGS = """
theme:
  colours:
    accent: "#005A8C"
    link: "#005a8c"
  logo: kommune-logo.svg
  footer:
    lines:
      - Aalborg Kommune · Boulevarden 13 · 9000 Aalborg
    links:
      - label: aalborg.dk
        url: https://www.aalborg.dk/
"""


def _configure(root: Path, settings: str) -> None:
    with (root / "site_config.yaml").open("a", encoding="utf-8") as config:
        config.write(settings)


def _read(out: Path, rel: str) -> str:
    return (out / rel).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def themed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample archive with its own home page template and static file, and a logo, colours and footer
    set in site_config.yaml; returns its output folder."""
    root = copy_project(tmp_path_factory.mktemp("themed"))
    (root / "templates").mkdir()
    (root / "templates/home.html").write_text(
        '{% extends "theme/home.html" %}\n{% block main %}\n<p class="egen">Velkommen til vores arkiv.</p>\n{{ super() }}\n{% endblock %}\n',
        encoding="utf-8")
    (root / "static").mkdir(exist_ok=True)
    (root / "static/kommune-logo.svg").write_bytes(LOGO)
    _configure(root, THEME_SETTINGS)
    build(root, root / "output")
    return root / "output"


def test_an_overridden_template_is_used_and_the_rest_comes_from_the_theme(themed: Path, sample_site: Path) -> None:
    home = _read(themed, "index.html")
    assert '<p class="egen">Velkommen til vores arkiv.</p>' in home
    # The site's home.html extends the theme's (`theme/home.html`): the theme's main block follows.
    theme_main = _read(sample_site, "index.html").split("<main", 1)[1].split(">", 1)[1].split("</main>")[0]
    assert theme_main.strip() in home
    meeting = _read(themed, "udvalg/eksempeludvalget/2024-01-22-referat/index.html")
    assert "egen" not in meeting and "Lukket punkt" in meeting  # the theme's meeting.html
    # Both extend the theme's base.html: same header and footer.
    for page in (home, meeting):
        assert '<a class="skip-link" href="#indhold">Gå til indhold</a>' in page
        assert "Tilgængelighedserklæring</a>" in page


def test_logo_colours_and_footer_come_from_the_settings(themed: Path) -> None:
    meeting = _read(themed, "udvalg/eksempeludvalget/2024-01-22-referat/index.html")
    assert '<img class="site-logo" src="../../../static/kommune-logo.svg" alt="">Rådsarkiv</a>' in meeting
    assert (themed / "static/kommune-logo.svg").read_bytes() == LOGO
    style = re.search(r"<style>(.*?)</style>", meeting, re.S)
    assert style is not None
    assert style.group(1) == "@media screen and (prefers-color-scheme: light) { :root { --link: #005a8c; --accent: #005a8c; } }"
    footer = meeting[meeting.index("<footer"):]
    assert "<p>Aalborg Kommune · Boulevarden 13 · 9000 Aalborg</p>" in footer
    assert '<a href="https://www.aalborg.dk/">aalborg.dk</a>' in footer


def test_theme_static_files_are_published_beside_the_sites_own(themed: Path) -> None:
    assert (themed / "static/style.css").read_bytes() == (THEME_STATIC / "style.css").read_bytes()
    assert (themed / "static/search.js").is_file()


def test_a_sites_static_file_replaces_the_themes(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")
    css = override(root, "static/style.css")
    css.write_text("body { color: #000; }\n", encoding="utf-8")
    build(root, root / "output")
    assert _read(root / "output", "static/style.css") == "body { color: #000; }\n"


def test_a_site_without_settings_or_overrides_has_no_logo_colours_or_organisation_footer(sample_site: Path) -> None:
    home = _read(sample_site, "index.html")
    assert "<style>" not in home and "site-logo" not in home and "organisation-footer" not in home


def test_a_logo_that_is_not_a_static_file_is_an_error(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")
    _configure(root, "\ntheme:\n  logo: logo.png\n")
    with pytest.raises(BuildFailed) as failed:
        build(root, root / "output")
    line = (root / "site_config.yaml").read_text(encoding="utf-8").splitlines().index("  logo: logo.png") + 1
    assert [p.format() for p in failed.value.problems if p.severity == "error"] == [
        f"site_config.yaml:{line}: theme.logo: there is no file static/logo.png; put the logo in the site's static/ "
        "folder and give its name there, e.g. logo: logo.svg"
    ]
    assert not (root / "output").exists()


def test_a_colour_pair_below_wcag_aa_is_a_warning(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")
    _configure(root, '\ntheme:\n  colours:\n    link: "#7fa7d0"\n')
    checked = check(root)
    assert checked.ok  # a warning: the site is still built
    warnings = [p.message for p in checked.problems if p.path == "site_config.yaml"]
    assert "theme.colours: link #7fa7d0 on background #ffffff has a contrast of 2.5:1, less than the 4.5:1 WCAG AA asks; choose a darker or lighter colour" in warnings
    assert any(w.startswith("theme.colours: link #7fa7d0 on panel #f3f5f7") for w in warnings)


@pytest.mark.parametrize("value, expected", [
    ("blue", "'blue' is not a colour"),
    ("#12345", "'#12345' is not a colour"),
])
def test_a_colour_that_is_not_rrggbb_is_an_error(tmp_path: Path, value: str, expected: str) -> None:
    root = copy_project(tmp_path / "project")
    _configure(root, f'\ntheme:\n  colours:\n    accent: "{value}"\n')
    checked = check(root)
    assert not checked.ok
    assert any(expected in p.message and p.path == "site_config.yaml" for p in checked.problems), checked.problems


def test_a_static_name_that_differs_from_the_themes_only_in_case_is_an_error(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")
    (root / "static").mkdir()
    (root / "static/Style.css").write_text("body{}", encoding="utf-8")
    problems = [p.format() for p in check(root).problems]
    assert ("static/Style.css:1: name differs from the default theme's static/style.css only in upper/lower case or accents; "
            "name it static/style.css to replace the theme's file, or choose another name") in problems


def test_the_contrast_check_knows_the_themes_own_colours() -> None:
    """COLOUR_PROPERTIES holds the light-scheme values of the theme's stylesheet, which pass WCAG AA."""
    css = (THEME_STATIC / "style.css").read_text(encoding="utf-8")
    light = css[css.index(":root {"):css.index("}", css.index(":root {"))]
    declared = dict(re.findall(r"(--[a-z-]+):\s*(#[0-9a-f]{6})", light))
    for prop, value in COLOUR_PROPERTIES.values():
        assert declared[prop] == value, prop
    assert round(contrast("#ffffff", "#000000"), 2) == 21.0
    assert round(contrast("#777777", "#ffffff"), 2) == 4.48  # the classic just-failing grey


def test_every_theme_template_is_in_the_package() -> None:
    names = {path.name for path in THEME_TEMPLATES.glob("*.html")}
    assert {"base.html", "home.html", "meeting.html", "body.html", "page.html", "404.html"} <= names
