"""Word .docx via python-docx: paragraphs in order, heading levels from the paragraph styles, tables row by row."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import docx
from docx.document import Document
from docx.opc.exceptions import PackageNotFoundError
from docx.table import Table
from docx.text.paragraph import Paragraph

from .source import ImportFailed, Line, Source
from ..i18n import _

# "Heading 2", "Overskrift 2" (Danish Word), "Title"
HEADING_STYLE_RE = re.compile(r"^(?:heading|overskrift)\s*(\d)$", re.IGNORECASE)


def _level(paragraph: Paragraph) -> int | None:
    name = paragraph.style.name if paragraph.style is not None else ""
    if name.casefold() == "title":
        return 1
    found = HEADING_STYLE_RE.match(name or "")
    return int(found.group(1)) if found else None


def _is_list(paragraph: Paragraph) -> bool:
    name = (paragraph.style.name if paragraph.style is not None else "") or ""
    return "list" in name.casefold() or "liste" in name.casefold() or paragraph._p.pPr is not None and paragraph._p.pPr.numPr is not None


def _blocks(document: Document) -> list[Paragraph | Table]:
    """Paragraphs and tables in document order."""
    return list(document.iter_inner_content())


def read_docx(path: Path) -> Source:
    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise ImportFailed(f"{path}:1: " + _("cannot read the Word file ({problem}); expected a .docx saved by Word or LibreOffice",
                                             problem=exc)) from None
    lines: list[Line] = []
    for block in _blocks(document):
        rows: list[tuple[str, int | None]]
        if isinstance(block, Table):
            rows = [(" | ".join(cell.text.strip() for cell in row.cells), None) for row in block.rows]
        else:
            text = block.text.strip()
            if text and _is_list(block) and not text.startswith(("•", "-", "–")):
                text = f"• {text}"
            rows = [(part, _level(block)) for part in text.split("\n")]
        for text, level in rows:
            lines.append(Line(text.strip(), len(lines) + 1, level if text.strip() else None))
        lines.append(Line("", len(lines) + 1))  # a paragraph ends here
    return Source(path, lines)
