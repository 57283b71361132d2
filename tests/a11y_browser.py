"""Browser helpers for the accessibility tests: one page per page type, axe, the search page with results."""

from __future__ import annotations

from typing import Any

from axe_playwright_python.sync_playwright import Axe

# One page of every page type in the sample archive (output paths; the 404 page is served for a missing path).
PAGE_TYPES = {
    "home": "",
    "bodies": "udvalg/",
    "body": "udvalg/integrationsraadet-aalborg/",
    "meeting-open-and-closed": "udvalg/eksempeludvalget/2024-01-22-referat/",
    "meeting-long": "udvalg/integrationsraadet-aalborg/2023-10-10-referat/",
    "meeting-agenda-version": "udvalg/eksempeludvalget/2024-01-22-referat/dagsorden/",
    "bilag": "bilag/integrationsraadet-broenderslev/2018-05-24/ansoegning-integrationsambassadoer-pdf/",
    "bilag-index": "bilag/",
    "bilag-list": "bilag/integrationsraadet-aalborg/2023/",
    "strategy-index": "strategier/",
    "strategy": "strategier/aalborg-integrationsstrategi-2023-2026/",
    "search": "soeg/",
    "about": "om/",
    "statement": "tilgaengelighed/",
    "404": "findes-ikke/",
    "case": "sager/24.00.00-g01-1-24/",
    "person": "personer/karen-eksempel/",
    "body-with-members": "udvalg/eksempeludvalget/",
}
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
SEARCH_QUERY = "integration"
_AXE = Axe()

PAGEFIND_PRESENT = """() => !!document.querySelector('script[src*="pagefind"], link[href*="pagefind"]')
  || [...document.querySelectorAll('*')].some(e => e.localName.startsWith('pagefind-'))"""
RESULT_LINKS = """() => [...document.querySelectorAll('main a[href]')]
  .filter(a => /(udvalg|bilag|strategier)\\//.test(a.getAttribute('href'))).length"""


def axe_violations(page: Any) -> list[str]:
    """axe-core violations on the current page, one readable line per failing node."""
    results = _AXE.run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]})
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {node['target']}: {node.get('failureSummary', '').strip()}"
        for v in results.response["violations"]
        for node in v["nodes"]
    ]


def show_search_results(page: Any) -> bool:
    """On the search page: if the Pagefind UI is there, search and wait for result links; True if shown."""
    page.wait_for_load_state("networkidle")
    if not page.evaluate(PAGEFIND_PRESENT):
        return False
    before = page.evaluate(RESULT_LINKS)
    field = page.locator("main input[type=search], main input[type=text], main input:not([type]), main [role=searchbox]").first
    field.fill(SEARCH_QUERY)
    page.wait_for_function(f"() => ({RESULT_LINKS})() > {before}", timeout=15_000)
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(300)  # let result excerpts settle before checking them
    return True


def horizontal_overflow(page: Any) -> int:
    """How many CSS pixels the page is wider than the viewport (0 = reflows without sideways scrolling)."""
    return int(page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth"))
