"""Pages citizens can tell apart: titles, meta descriptions, a favicon, and Danish usage on the built site."""

from __future__ import annotations

import posixpath
import re
import shutil
from pathlib import Path

from conftest import REPO, THEME
from raadsarkiv.pipeline import build

AALBORG = "udvalg/integrationsraadet-aalborg/2023-10-10-referat/index.html"
EXAMPLE_MINUTES = "udvalg/eksempeludvalget/2024-01-22-referat/index.html"
TITLE_RE = re.compile(r"<title>(.*?)</title>")
DESCRIPTION_RE = re.compile(r'<meta name="description" content="([^"]*)">')


def pages(site: Path) -> dict[str, str]:
    """Every HTML page but the /was/ redirect (it only forwards to the accessibility statement)."""
    return {p.relative_to(site).as_posix(): p.read_text(encoding="utf-8") for p in sorted(site.rglob("*.html"))
            if p.relative_to(site).as_posix() != "was/index.html"}


def test_titles_say_what_distinguishes_each_page(sample_site: Path) -> None:
    titles = {rel: TITLE_RE.findall(html) for rel, html in pages(sample_site).items()}
    assert all(len(found) == 1 for found in titles.values())
    flat = {rel: found[0] for rel, found in titles.items()}
    assert flat[AALBORG] == "Referat: Integrationsrådet, Aalborg Kommune, 10. oktober 2023 – Rådsarkiv"
    assert flat["udvalg/integrationsraadet-aalborg/index.html"] == "Integrationsrådet, Aalborg Kommune – Rådsarkiv"
    assert flat["index.html"].startswith("Rådsarkiv") and flat["index.html"] != "Rådsarkiv – Rådsarkiv"
    duplicates = {title for title in flat.values() if list(flat.values()).count(title) > 1}
    assert not duplicates


def test_every_page_has_a_description_of_its_own_content(sample_site: Path) -> None:
    descriptions = {rel: DESCRIPTION_RE.findall(html) for rel, html in pages(sample_site).items()}
    for rel, found in descriptions.items():
        assert len(found) == 1 and 20 <= len(found[0]) <= 210, (rel, found)
    assert descriptions[AALBORG][0].startswith("Referat: Integrationsrådet, Aalborg Kommune, 10. oktober 2023. 12 punkter: "
                                               "Godkendelse af dagsorden; ")
    closed_minutes = descriptions[EXAMPLE_MINUTES][0]
    assert "Personalesag (eksempel)" in closed_minutes and "HEMMELIG" not in closed_minutes  # titles only


def test_favicon_is_linked_and_at_the_root(sample_site: Path) -> None:
    assert (sample_site / "favicon.ico").read_bytes() == (THEME / "static/favicon.ico").read_bytes()
    for rel, html in pages(sample_site).items():
        icons = re.findall(r'<link rel="icon" href="([^"]+)"', html)
        assert icons, rel
        for href in icons:
            target = href if href.startswith("/") else posixpath.normpath(posixpath.join(posixpath.dirname(rel), href))
            if not href.startswith("/"):  # 404.html links from the site's root path
                assert (sample_site / target).is_file(), (rel, href)


def test_times_are_written_the_danish_way(sample_site: Path) -> None:
    html = (sample_site / EXAMPLE_MINUTES).read_text(encoding="utf-8")
    assert "<dt>Tidspunkt</dt><dd>kl. 16.00–17.45</dd>" in html


def _minimal_site(tmp_path: Path, without_strategy: bool = False) -> Path:
    root = shutil.copytree(REPO / "tests/fixtures/minimal", tmp_path / "project")
    strategy = root / "content/strategies/teststrategi.md"
    strategy.write_text(strategy.read_text(encoding="utf-8").replace("status: gældende\n", ""), encoding="utf-8")
    if without_strategy:
        strategy.unlink()
        meeting = root / "content/meetings/testudvalget/2024-03-05-referat.md"
        text = meeting.read_text(encoding="utf-8").replace("[teststrategien](../../strategies/teststrategi.md#maal-1)", "teststrategien")
        meeting.write_text(text, encoding="utf-8")
    build(root, root / "output")
    return root / "output"


def test_counts_of_one_are_singular_and_no_status_shows_nothing(tmp_path: Path) -> None:
    site = _minimal_site(tmp_path)
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "Arkivet rummer 1 møde, 1 strategi og 1 offentligt bilag." in home
    strategy = (site / "strategier/teststrategi/index.html").read_text(encoding="utf-8")
    assert "Status" not in strategy and "ukendt" not in strategy.lower()


def test_no_strategies_heading_without_strategies(tmp_path: Path) -> None:
    home = (_minimal_site(tmp_path, without_strategy=True) / "index.html").read_text(encoding="utf-8")
    assert "<h2>Strategier</h2>" not in home and "0 strategier" in home
