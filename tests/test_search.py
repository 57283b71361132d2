"""Search: the Pagefind index of the sample archive, queried for real in Chromium, and the search page."""

from __future__ import annotations

import gzip
import json
import re
import shutil
import subprocess
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pypdf
import pytest
from fpdf import FPDF

from conftest import copy_project, serve
from raadsarkiv import bilagtext, search
from raadsarkiv.cli import main
from raadsarkiv.errors import BuildFailed, Problems
from raadsarkiv.pipeline import build, check
from raadsarkiv.search import bundle_problem
from raadsarkiv.writer import MARKER, MARKER_TEXT

GRANT_PAGE = "bilag/integrationsraadet-broenderslev/2018-05-24/ansoegning-integrationsambassadoer-pdf/"
GRANT_PDF = "bilag/integrationsraadet-broenderslev/2018-05-24/ansoegning-integrationsambassadoer.pdf"
AALBORG_MINUTES = "udvalg/integrationsraadet-aalborg/2023-10-10-referat/"
AALBORG_BODY = "Integrationsrådet (Aalborg Kommune)"
CLOSED_MARKERS = ["HEMMELIG-PUNKT-Q7X2", "HEMMELIG-BILAG-K9P4", "HEMMELIG-LUKKETBILAG-Z3M8", "HEMMELIG-SAGSFREMSTILLING-W5R1",
                  "HEMMELIG-AFSTEMNING-K3P9"]

# Pagefind's JS API, the way a browser uses it; `base` is the site root relative to the loaded page.
SEARCH_JS = """async ([base, term, options]) => {
  const pagefind = await import(new URL(base + 'pagefind/pagefind.js', location.href).href);
  await pagefind.init();
  const search = await pagefind.search(term, options);
  const results = [];
  for (const result of search.results) {
    const data = await result.data();
    results.push({url: data.url, meta: data.meta, filters: data.filters, excerpt: data.excerpt,
                  sub_results: data.sub_results.map(s => ({url: s.url, title: s.title}))});
  }
  return results;
}"""


def pagefind_search(page, term: str, options: dict[str, Any] | None = None, base: str = "") -> list[dict[str, Any]]:  # type: ignore[no-untyped-def]
    """Run a Pagefind query in the loaded page and return every result's data."""
    return page.evaluate(SEARCH_JS, [base, term, options or {}])


@pytest.fixture
def home(page, site_url: str):  # type: ignore[no-untyped-def]
    """A browser page on the sample archive's home page."""
    page.goto(site_url)
    return page


# --- the index on disk ---------------------------------------------------------------------------


def test_every_build_ends_with_one_danish_index(sample_site: Path) -> None:
    entry = json.loads((sample_site / "pagefind" / "pagefind-entry.json").read_text())
    assert list(entry["languages"]) == ["da"]
    pages = [p for p in sample_site.rglob("*.html") if "pagefind" not in p.parts]
    assert pages and all('<html lang="da">' in p.read_text(encoding="utf-8") for p in pages)
    # Meetings, strategies, bilag and plain pages are indexed; listings, home, search and 404 are not.
    indexed = entry["languages"]["da"]["page_count"]
    bodies = [p for p in pages if "data-pagefind-body" in p.read_text(encoding="utf-8")]
    assert indexed == len(bodies) >= 10
    assert "data-pagefind-body" not in (sample_site / "soeg" / "index.html").read_text(encoding="utf-8")
    assert (sample_site / "pagefind" / "pagefind-component-ui.js").is_file()


def _readable(path: Path) -> str:
    """A file's content as text: gzip (Pagefind's index) decompressed, PDF text extracted."""
    data = path.read_bytes()
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    if data[:5] == b"%PDF-":
        return "\n".join(p.extract_text() or "" for p in pypdf.PdfReader(path).pages)
    return data.decode("utf-8", errors="replace")


def test_closed_markers_appear_nowhere_in_output(sample_site: Path) -> None:
    index_files = list((sample_site / "pagefind").rglob("*.pf_*"))
    assert index_files and all(f.read_bytes()[:2] == b"\x1f\x8b" for f in index_files)
    assert "phonerkampagne" in "".join(_readable(f) for f in index_files)  # the check can see real words
    for path in sample_site.rglob("*"):
        if path.is_file():
            text = _readable(path)
            for marker in CLOSED_MARKERS:
                assert marker not in text, f"{marker} leaked into {path}"


def test_bilag_page_carries_its_pdf_text_and_links_to_its_items(sample_site: Path) -> None:
    html = (sample_site / GRANT_PAGE / "index.html").read_text(encoding="utf-8")
    body = html[html.index("data-pagefind-body"):]
    assert "Tekst fra bilaget" in body and "phonerkampagne" in body and "Sønderbro" in body
    assert '<span data-pagefind-filter="Type">Bilag</span>' in html
    assert re.search(r'<a href="[^"]*udvalg/integrationsraadet-broenderslev/2018-05-24-referat/index\.html#punkt-\d+"', body)


# --- bilag text extraction -----------------------------------------------------------------------


def _pdf(path: Path, text: str | None) -> None:
    """A one-page PDF with `text`, or with only a drawn box (like a scan: no text layer)."""
    pdf = FPDF()
    pdf.add_page()
    if text is None:
        pdf.rect(20, 20, 100, 60, style="F")
    else:
        pdf.set_font("helvetica", size=12)
        pdf.multi_cell(0, 8, text)
    path.parent.mkdir(parents=True, exist_ok=True)
    pdf.output(str(path))


def test_pdf_text_is_cached_by_file_hash(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rel = "bilag/x/2024-01-01/notat.pdf"
    _pdf(tmp_path / "content" / rel, "Kommunen bygger en skatepark ved havnen.")
    site = SimpleNamespace(bilag={rel: None})
    parsed: list[Path] = []
    real_extract = bilagtext.extract_pdf

    def counting_extract(path: Path) -> str:
        parsed.append(path)
        return real_extract(path)

    monkeypatch.setattr(bilagtext, "extract_pdf", counting_extract)
    first = bilagtext.bilag_texts(tmp_path, site, Problems())  # type: ignore[arg-type]
    assert "skatepark" in (first[rel] or "") and len(parsed) == 1
    assert len(list((tmp_path / ".cache" / "bilagtext").glob("*.json"))) == 1
    assert bilagtext.bilag_texts(tmp_path, site, Problems()) == first  # type: ignore[arg-type]
    assert len(parsed) == 1  # unchanged file: served from the cache
    _pdf(tmp_path / "content" / rel, "Nu en anden tekst om en cykelsti.")
    second = bilagtext.bilag_texts(tmp_path, site, Problems())  # type: ignore[arg-type]
    assert len(parsed) == 2 and "cykelsti" in (second[rel] or "")


def test_unchanged_pdfs_are_not_hashed_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The stat index: an unchanged file is not read at all; a touched one is hashed (not extracted);
    a damaged index is ignored."""
    rel = "bilag/x/2024-01-01/notat.pdf"
    _pdf(tmp_path / "content" / rel, "Kommunen bygger en skatepark ved havnen.")
    site = SimpleNamespace(bilag={rel: None})
    hashed: list[Path] = []
    real_hash = bilagtext.file_hash
    monkeypatch.setattr(bilagtext, "file_hash", lambda path: hashed.append(path) or real_hash(path))
    first = bilagtext.bilag_texts(tmp_path, site, Problems())  # type: ignore[arg-type]
    assert len(hashed) == 1
    assert bilagtext.bilag_texts(tmp_path, site, Problems()) == first and len(hashed) == 1  # type: ignore[arg-type]
    (tmp_path / "content" / rel).write_bytes((tmp_path / "content" / rel).read_bytes())  # same bytes, new stat
    monkeypatch.setattr(bilagtext, "extract_pdf", lambda path: pytest.fail("extracted again"))
    assert bilagtext.bilag_texts(tmp_path, site, Problems()) == first and len(hashed) == 2  # type: ignore[arg-type]
    for entry in (tmp_path / bilagtext.INDEX_DIR).glob("*.bin"):
        entry.write_bytes(b"damaged")
    assert bilagtext.bilag_texts(tmp_path, site, Problems()) == first and len(hashed) == 3  # type: ignore[arg-type]


def test_cpr_number_inside_a_public_pdf_stops_check_until_reviewed(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")
    _pdf(root / "content" / GRANT_PDF, "Ansoeger: Jens Hansen, cpr 010203-1234.")
    problems = check(root).problems
    errors = [p for p in problems if p.severity == "error"]
    assert [(p.path, p.line) for p in errors] == [(f"content/{GRANT_PDF}", 1)]
    assert "'010203-XXXX'" in errors[0].message and "reviewed_cpr" in errors[0].message and "010203-1234" not in errors[0].message
    with pytest.raises(BuildFailed):
        build(root, root / "output")
    assert not (root / "output").exists()
    meeting = root / "content/meetings/integrationsraadet-broenderslev/2018-05-24-referat.md"
    text = meeting.read_text(encoding="utf-8")
    meeting.write_text(text.replace("---\n", '---\nreviewed_cpr: ["010203-1234"]\n', 1), encoding="utf-8")
    assert check(root).ok


def test_closed_bilag_text_is_never_read(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")
    checked = check(root)
    assert checked.ok
    closed = "bilag/eksempeludvalget/2024-01-22/notat-enkeltsag.pdf"
    assert closed in checked.private_bilag and closed not in checked.bilag_text
    assert GRANT_PDF in checked.bilag_text


def test_unreadable_and_scanned_pdfs_do_not_break_the_build(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")
    (root / "content" / GRANT_PDF).write_bytes(b"%PDF-1.4\nthis is not really a PDF\n")
    scanned = "bilag/integrationsraadet-broenderslev/2018-05-24/opfoelgning-beskaeftigelsesplan-2018-1-kvartal.pdf"
    _pdf(root / "content" / scanned, None)
    checked = build(root, root / "output")
    warnings = [p for p in checked.problems if p.severity == "warning" and p.path == f"content/{GRANT_PDF}"]
    assert warnings and "could not read the text of this PDF" in warnings[0].message
    grant = (root / "output" / GRANT_PAGE / "index.html").read_text(encoding="utf-8")
    assert "Tekst fra bilaget" not in grant and "phonerkampagne" not in grant
    scanned_page = (root / "output" / "bilag/integrationsraadet-broenderslev/2018-05-24/opfoelgning-beskaeftigelsesplan-2018-1-kvartal-pdf/index.html")
    assert "ingen tekst, der kan læses maskinelt" in scanned_page.read_text(encoding="utf-8")


def test_failed_indexing_fails_the_build_and_keeps_the_previous_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = copy_project(tmp_path / "project")
    out = root / "output"
    out.mkdir()
    (out / MARKER).write_bytes(MARKER_TEXT)  # made by an earlier build
    (out / "previous.txt").write_text("the last good site")

    def broken_pagefind(command, **kwargs):  # type: ignore[no-untyped-def]
        return subprocess.CompletedProcess(command, 1, "", "Error: backend exploded\n")

    monkeypatch.setattr(search.subprocess, "run", broken_pagefind)
    with pytest.raises(search.SearchIndexFailed, match="backend exploded"):
        build(root, out)
    assert main(["--root", str(root), "build"]) == 1
    assert "search indexing" in capsys.readouterr().err
    assert sorted(p.name for p in out.iterdir()) == [MARKER, "previous.txt"]
    assert sorted(p.name for p in root.iterdir() if p.name.startswith(".output")) == []


# --- queries in a real browser -------------------------------------------------------------------


def test_a_word_only_in_the_grant_pdf_finds_its_bilag_page(home) -> None:  # type: ignore[no-untyped-def]
    for word in ("phonerkampagne", "Sønderbro"):
        results = pagefind_search(home, word)
        assert [r["url"] for r in results] == ["/" + GRANT_PAGE]
        assert f"<mark>{word}</mark>" in results[0]["excerpt"]


def test_handleplan_finds_the_aalborg_minutes_item(home) -> None:  # type: ignore[no-untyped-def]
    results = {r["url"]: r for r in pagefind_search(home, "handleplan")}
    minutes = results["/" + AALBORG_MINUTES]
    assert minutes["meta"]["body"] == AALBORG_BODY and minutes["meta"]["date"] == "2023-10-10"
    # The hit lands on the item's anchor (a sub-result), not just the top of the page.
    assert any(s["url"] == f"/{AALBORG_MINUTES}#punkt-4" for s in minutes["sub_results"])


def test_danish_stemming_finds_inflected_forms(home) -> None:  # type: ignore[no-untyped-def]
    marked = {m.lower() for r in pagefind_search(home, "strategi") for m in re.findall(r"<mark>(\w+)", r["excerpt"])}
    assert {"strategien", "strategier"} <= marked
    assert {r["url"] for r in pagefind_search(home, "strategierne")} == {r["url"] for r in pagefind_search(home, "strategi")}


def test_filter_by_body_returns_only_that_bodys_pages(home) -> None:  # type: ignore[no-untyped-def]
    everything = pagefind_search(home, "handleplan")
    filtered = pagefind_search(home, "handleplan", {"filters": {"Råd og udvalg": AALBORG_BODY}})
    assert 0 < len(filtered) < len(everything)
    assert all(r["filters"]["Råd og udvalg"] == [AALBORG_BODY] for r in filtered)
    assert "/" + AALBORG_MINUTES in {r["url"] for r in filtered}
    kinds = pagefind_search(home, "handleplan", {"filters": {"Type": "Referat", "År": "2023"}})
    assert [r["url"] for r in kinds] == ["/" + AALBORG_MINUTES]


def test_closed_items_return_nothing(home) -> None:  # type: ignore[no-untyped-def]
    assert pagefind_search(home, "Personalesag")  # the closed item's title is public…
    for marker in CLOSED_MARKERS:  # …its text and its bilag are not
        assert pagefind_search(home, marker) == []
        assert pagefind_search(home, marker.lower()) == []


def test_results_sort_by_date(home) -> None:  # type: ignore[no-untyped-def]
    newest = [r["meta"]["date"] for r in pagefind_search(home, "integrationsrådet", {"sort": {"date": "desc"}}) if "date" in r["meta"]]
    oldest = [r["meta"]["date"] for r in pagefind_search(home, "integrationsrådet", {"sort": {"date": "asc"}}) if "date" in r["meta"]]
    assert len(set(newest)) >= 3
    assert newest == sorted(newest, reverse=True) and oldest == sorted(oldest)


# --- the search page -----------------------------------------------------------------------------


def _tab_to(page, selector: str, limit: int = 60) -> None:  # type: ignore[no-untyped-def]
    """Press Tab until the element matching `selector` has focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement && document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"could not reach {selector} with the Tab key")


RECORD_ANNOUNCEMENTS = """() => {
  window.announced = [];
  new MutationObserver(() => {
    for (const region of document.querySelectorAll('[aria-live]')) {
      if (region.textContent.trim()) window.announced.push(region.textContent.trim());
    }
  }).observe(document.body, {subtree: true, childList: true, characterData: true});
}"""


def test_search_page_works_with_the_keyboard_alone(page, site_url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(site_url + AALBORG_MINUTES)
    _tab_to(page, "#header-q")
    page.keyboard.type("handleplan")
    page.keyboard.press("Enter")
    page.wait_for_url("**/soeg/index.html?q=handleplan")
    page.evaluate(RECORD_ANNOUNCEMENTS)  # live regions are emptied again shortly after speaking
    total = len(pagefind_search(page, "handleplan", base="../"))
    narrowed = len(pagefind_search(page, "handleplan", {"filters": {"Råd og udvalg": AALBORG_BODY}}, base="../"))
    summary = page.locator("pagefind-summary")
    summary.get_by_text(f"{total} resultater for handleplan").wait_for()
    assert page.locator("pagefind-input input").input_value() == "handleplan"
    assert page.get_by_role("searchbox", name="Søg på dette website").count() == 1  # labelled input

    # Narrow with a filter checkbox, by keyboard; the new count is announced in a live region.
    _tab_to(page, f'pagefind-filter-pane input[value="{AALBORG_BODY}"]')
    page.keyboard.press("Space")
    summary.get_by_text(f"{narrowed} resultater for handleplan").wait_for()
    page.wait_for_function("n => window.announced.includes(`${n} resultater for handleplan`)", arg=narrowed)
    page.keyboard.press("Space")  # and clear it again
    summary.get_by_text(f"{total} resultater for handleplan").wait_for()

    # Type a new query, arrow down into the results and follow one.
    _tab_to(page, "pagefind-input input")
    page.keyboard.press("Control+A")
    page.keyboard.type("phonerkampagne")
    page.locator(".pf-result-link").first.wait_for()
    page.wait_for_function("() => document.querySelectorAll('.pf-result-link').length === 1")
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.classList.contains('pf-result-link')")
    page.keyboard.press("Enter")
    page.wait_for_url("**/" + GRANT_PAGE)
    assert "phonerkampagne" in page.locator("main").inner_text()


def test_search_page_under_a_sub_path(page, sample_site: Path) -> None:  # type: ignore[no-untyped-def]
    with serve(sample_site, "/raadsarkiv/") as url:
        page.goto(url + "soeg/?q=phonerkampagne")
        link = page.locator(".pf-result-link").first
        link.wait_for()
        assert link.get_attribute("href") == "/raadsarkiv/" + GRANT_PAGE
        assert page.locator(".pf-result-meta").first.inner_text() == "Bilag · Integrationsrådet (Brønderslev Kommune) · 24. maj 2018"
        assert page.locator("pagefind-results").get_by_role("link", name="Tekst fra bilaget").get_attribute("href") == f"/raadsarkiv/{GRANT_PAGE}#tekst"
        link.click()
        page.wait_for_url(url + GRANT_PAGE)
        assert page.locator("h1").inner_text().startswith("Ansøgning om støtte")
        assert pagefind_search(page, "handleplan", base="../../../../")  # the JS API works there too


def test_search_page_without_javascript(browser, site_url: str) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(site_url + "soeg/?q=handleplan")
        main_text = page.locator("main").inner_text()
        assert "Søgningen kræver JavaScript" in main_text
        assert page.get_by_role("link", name="Udvalg og råd").last.get_attribute("href") == "../udvalg/index.html"
        assert page.get_by_role("link", name="oversigten over bilag").get_attribute("href") == "../bilag/index.html"
        assert not page.locator(".search-app").is_visible()
    finally:
        context.close()



def test_check_writes_only_the_build_cache(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")
    before = {p for p in root.rglob("*")}
    assert check(root).ok
    written = {p.relative_to(root).parts[:2] for p in set(root.rglob("*")) - before if p.is_file()}
    assert written == {(".cache", "bilagtext"), (".cache", "bilagindex"), (".cache", "parse")}  # CI's check fills the cache a build reuses
    assert not (root / "output").exists()


def test_an_unreadable_pdf_is_read_once_and_its_warning_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = copy_project(tmp_path / "project")
    (root / "content" / GRANT_PDF).write_bytes(b"%PDF-1.4 not really a pdf")
    first = [p.format() for p in check(root).problems if "could not read the text" in p.message]
    assert len(first) == 1
    monkeypatch.setattr(bilagtext, "extract_pdf", lambda path: pytest.fail(f"read again: {path}"))
    assert [p.format() for p in check(root).problems if "could not read the text" in p.message] == first


def test_a_broken_pagefind_bundle_is_recognised(sample_site: Path, tmp_path: Path) -> None:
    """An empty file or a missing index in the bundle is never published as it is (search.bundle_problem)."""
    bundle = tmp_path / "pagefind"
    shutil.copytree(sample_site / "pagefind", bundle)
    assert bundle_problem(bundle) is None
    (bundle / "pagefind-ui.js").write_bytes(b"")
    assert bundle_problem(bundle) == "pagefind-ui.js is empty"
    next(bundle.glob("pagefind.*.pf_meta")).unlink()
    assert "listed in pagefind-entry.json, is missing" in (bundle_problem(bundle) or "")
