"""Pagefind indexing of a written (staged) site folder.

Which pages are indexed, and with which filters, meta and sort keys, is decided
by the templates (`data-pagefind-*` attributes); this module only runs Pagefind.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

from .i18n import _

BUNDLE = "pagefind"


class SearchIndexFailed(Exception):
    """Pagefind could not index the site; the build must not publish it."""


def _index(site: Path, language: str) -> int:
    """Run Pagefind's own command on the folder; the number of pages it indexed.

    The command, not the Python service API: the service's backend is terminated as soon as
    it answers "written", and under load that cut files short (a 128 KiB
    pagefind-component-ui.js, an empty CSS file). A process that exits by itself has
    finished writing.
    """
    command = [
        sys.executable, "-m", "pagefind", "--site", str(site), "--output-path", str(site / BUNDLE),
        # Every page says <html lang="…"> in the interface language; forcing it too guarantees a single index (one
        # language's stemming, and Pagefind's own interface texts in that language).
        "--force-language", language,
    ]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=3600, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise SearchIndexFailed(_("search indexing of {folder} with Pagefind failed: {problem}", folder=site, problem=exc)) from exc
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip().splitlines()[-5:]
        raise SearchIndexFailed(_("search indexing of {folder} with Pagefind failed (exit {code}): {problem}",
                                  folder=site, code=result.returncode, problem=" / ".join(detail)))
    match = re.search(r"Indexed (\d+) pages?", result.stdout)
    return int(match.group(1)) if match else 0


def index_site(site: Path, language: str = "da") -> int:
    """Index every HTML page under `site` into `site/pagefind/` in `language` (the site's interface language,
    which every page's <html lang> states); return the number of pages indexed.

    The bundle is verified before it can be published (see `bundle_problem`); a broken one is
    made again once, and if it is still broken the build fails.
    """
    site = site.resolve()
    for attempt in (1, 2):
        pages = _index(site, language)
        if pages == 0:
            raise SearchIndexFailed(_("search indexing of {folder} found no pages to index (is data-pagefind-body missing?)", folder=site))
        problem = bundle_problem(site / BUNDLE)
        if problem is None:
            return pages
        shutil.rmtree(site / BUNDLE, ignore_errors=True)
    raise SearchIndexFailed(_("Pagefind wrote a broken search bundle twice: {problem}", problem=problem))


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
