"""Pagefind indexing of a written (staged) site folder.

Which pages are indexed, and with which filters, meta and sort keys, is decided
by the templates (`data-pagefind-*` attributes); this module only runs Pagefind.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from pagefind.index import IndexConfig, PagefindIndex

BUNDLE = "pagefind"
LANGUAGE = "da"


class SearchIndexFailed(Exception):
    """Pagefind could not index the site; the build must not publish it."""


async def _index(site: Path) -> int:
    config: IndexConfig = {
        # Every page says <html lang="da">; forcing it too guarantees a single Danish index with stemming.
        "force_language": LANGUAGE,
        # Paths are resolved against the working directory by the backend: give absolute ones.
        "output_path": str(site / BUNDLE),
    }
    async with PagefindIndex(config=config) as index:
        result = await index.add_directory(str(site))
        return int(result["page_count"])


def index_site(site: Path) -> int:
    """Index every HTML page under `site` into `site/pagefind/`; return the number of pages indexed."""
    site = site.resolve()
    try:
        # A thread of its own: the caller may already run an event loop (a server, Playwright in tests).
        with ThreadPoolExecutor(max_workers=1) as pool:
            pages = pool.submit(asyncio.run, _index(site)).result()
    except Exception as exc:  # the Pagefind backend reports every failure as a bare Exception
        raise SearchIndexFailed(f"search indexing of {site} with Pagefind failed: {exc}") from exc
    if pages == 0:
        raise SearchIndexFailed(f"search indexing of {site} found no pages to index (is data-pagefind-body missing?)")
    return pages
