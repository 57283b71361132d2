"""PDF via pypdf's layout text extraction (keeps paragraph gaps as blank lines), then layout cleanup."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from pypdf import PdfReader
from pypdf.errors import PdfReadError

from .pdflayout import clean, dehyphenate
from ..i18n import _
from .source import ImportFailed, Line, Source


def read_pdf(path: Path, toc_title: Callable[[str], bool], keep: Callable[[str], bool] = lambda _: False) -> Source:
    """`toc_title` tells a table of contents' heading ("Indholdsfortegnelse"); `keep` tells structure lines
    (never removed as running headers)."""
    try:
        reader = PdfReader(path)
        if reader.is_encrypted:
            raise ImportFailed(f"{path}:1: " + _("the PDF is encrypted; save an unprotected copy and import that"))
        pages = [page.extract_text(extraction_mode="layout").split("\n") for page in reader.pages]
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise ImportFailed(f"{path}:1: " + _("cannot read the PDF ({problem}); expected a PDF with a text layer", problem=exc)) from None
    if not any(line.strip() for page in pages for line in page):
        raise ImportFailed(f"{path}:1: " + _("the PDF has no text layer (a scan?); run OCR on it first, then import the result"))
    cleaned = clean(pages, toc_title, keep)
    lines: list[Line] = []
    number = 0
    for page_number, page in enumerate(cleaned.pages, start=1):
        for text in dehyphenate(page):
            number += 1
            lines.append(Line(text, number, None, page_number))
        number += 1
        lines.append(Line("", number, None, page_number))
    source = Source(path, lines, notes=cleaned.notes)
    source.set_aside = [Line(text, 0, None, page) for page, text in cleaned.set_aside]
    return source
