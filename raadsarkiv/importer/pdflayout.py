"""Layout cleanup for text taken out of PDF pages: running headers and footers, page numbers,
hyphenation at line ends, table-of-contents pages. Works on plain lists of lines, one list per page."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from ..i18n import _

PAGE_NUMBER_RE = re.compile(r"^(?:side|page|s\.)?\s*\d{1,4}(?:\s*(?:af|/|of)\s*\d{1,4})?$|^-\s*\d{1,4}\s*-$", re.IGNORECASE)
DOT_LEADER_RE = re.compile(r"\S.*?(?:\.{3,}|…+|\s{3,})\s*\d{1,4}$")
TOC_ENTRY_RE = re.compile(r"\S.*\s\d{1,4}$")
HYPHEN_END_RE = re.compile(r"[A-Za-zÆØÅæøåÉéÜüÖöÄä]-$")
# After "Beskæftigelses-" a line may start with "og Uddannelsesudvalget": the hyphen is Danish, not a line break.
KEEP_HYPHEN_BEFORE = {"og", "eller", "samt", "som", "til", "and", "or"}
EDGE = 3  # how many lines at the top and bottom of a page may be a running header or footer


@dataclass
class Cleaned:
    """The pages' lines after cleanup, and what was done (for the report)."""

    pages: list[list[str]]
    set_aside: list[tuple[int, str]] = field(default_factory=list)  # (page, line) of table-of-contents pages
    notes: list[str] = field(default_factory=list)


def _shape(line: str) -> str:
    """A line with its digits blurred, so 'Side 3 af 9' and 'Side 4 af 9' are the same running footer."""
    return re.sub(r"\d+", "#", line.strip().casefold())


def _edges(page: list[str]) -> list[int]:
    """Indexes of the non-blank lines at the top and bottom of a page."""
    filled = [index for index, line in enumerate(page) if line.strip()]
    return sorted(set(filled[:EDGE] + filled[-EDGE:]))


def _running(pages: list[list[str]], keep: Callable[[str], bool]) -> set[str]:
    """Shapes of lines found at the top or bottom of at least half the pages (and at least two);
    never a line `keep` says is structure (an "Åben" or "Beslutning" line may well start every page)."""
    if len(pages) < 2:
        return set()
    counts = Counter(shape for page in pages for shape in {_shape(page[i]) for i in _edges(page) if not keep(page[i])})
    return {shape for shape, count in counts.items() if count >= max(2, (len(pages) + 1) // 2)}


def _is_toc(page: list[str], toc_title: Callable[[str], bool]) -> bool:
    filled = [line.strip() for line in page if line.strip()]
    if len(filled) < 3:
        return False
    leaders = sum(bool(DOT_LEADER_RE.fullmatch(line)) for line in filled)
    entries = sum(bool(TOC_ENTRY_RE.fullmatch(line)) for line in filled)
    titled = any(toc_title(line) for line in filled[:3])
    return leaders >= max(3, len(filled) // 2) or (titled and entries >= (len(filled) - 1) * 0.6)


def dehyphenate(lines: list[str]) -> list[str]:
    """Join a word broken at a line end ('integrations-' + 'ydelse') with the next line."""
    out: list[str] = []
    for line in lines:
        if out and HYPHEN_END_RE.search(out[-1]) and line[:1].islower():
            first, _space, rest = line.partition(" ")
            if first.casefold() in KEEP_HYPHEN_BEFORE:
                out[-1] = f"{out[-1]} {line}"
            else:
                out[-1] = out[-1][:-1] + first + (f" {rest}" if rest else "")
            continue
        out.append(line)
    return out


def clean(pages: list[list[str]], toc_title: Callable[[str], bool], keep: Callable[[str], bool] = lambda _: False) -> Cleaned:
    pages = [[re.sub(r"[ \t\u00a0]{2,}", " ", line).strip() for line in page] for page in pages]
    result = Cleaned([])
    running = _running(pages, keep)
    seen: set[str] = set()
    removed_running = removed_numbers = 0
    for number, page in enumerate(pages, start=1):
        if _is_toc(page, toc_title):
            result.set_aside += [(number, line) for line in page if line]
            result.notes.append(_("page {number} looks like a table of contents; its lines were set aside (kept in the introduction)",
                                  number=number))
            result.pages.append([])
            continue
        edges = set(_edges(page))
        kept = []
        for index, line in enumerate(page):
            if index in edges and PAGE_NUMBER_RE.match(line):
                removed_numbers += 1
                continue
            if index in edges and _shape(line) in running:
                if _shape(line) in seen:  # the first one stays: it often names the body and date
                    removed_running += 1
                    continue
                seen.add(_shape(line))
            kept.append(line)
        result.pages.append(kept)
    if removed_numbers:
        result.notes.append(_("{count} page number line(s) removed", count=removed_numbers))
    if removed_running:
        result.notes.append(_("{count} repeated running header/footer line(s) removed ({kinds} kind(s), the first of each kept)",
                              count=removed_running, kinds=len(running)))
    return result
