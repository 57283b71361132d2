"""Pagefind indexing of a written (staged) site folder.

Which pages are indexed, and with which filters, meta and sort keys, is decided
by the templates (`data-pagefind-*` attributes); this module only runs Pagefind.
"""

from __future__ import annotations

import asyncio
import json
import shutil
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
    """Index every HTML page under `site` into `site/pagefind/`; return the number of pages indexed.

    The bundle is verified before it can be published (see `bundle_problem`); a broken one is
    made again once, and if it is still broken the build fails.
    """
    site = site.resolve()
    for attempt in (1, 2):
        try:
            # A thread of its own: the caller may already run an event loop (a server, Playwright in tests).
            with ThreadPoolExecutor(max_workers=1) as pool:
                pages = pool.submit(asyncio.run, _index(site)).result()
        except Exception as exc:  # the Pagefind backend reports every failure as a bare Exception
            raise SearchIndexFailed(f"search indexing of {site} with Pagefind failed: {exc}") from exc
        if pages == 0:
            raise SearchIndexFailed(f"search indexing of {site} found no pages to index (is data-pagefind-body missing?)")
        problem = bundle_problem(site / BUNDLE)
        if problem is None:
            return pages
        shutil.rmtree(site / BUNDLE, ignore_errors=True)
    raise SearchIndexFailed(f"Pagefind wrote a broken search bundle twice: {problem}")


def bundle_problem(bundle: Path) -> str | None:
    """What is wrong with a written Pagefind bundle, or None: the entry file lists the indexes, and no file is empty.

    Pagefind has been seen to return before one of its files was written (an empty pagefind-ui.js).
    """
    try:
        entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
        languages = entry["languages"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        return f"pagefind-entry.json is missing or unreadable ({exc})"
    for language in languages.values():
        meta = bundle / f"pagefind.{language['hash']}.pf_meta"
        if not meta.is_file():
            return f"{meta.name}, listed in pagefind-entry.json, is missing"
    for path in sorted(bundle.rglob("*")):
        if path.is_file() and path.stat().st_size == 0:
            return f"{path.relative_to(bundle)} is empty"
    return None
