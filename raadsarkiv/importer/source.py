"""What every reader produces: the source's text as lines, with headings and links the format marks."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


class ImportFailed(Exception):
    """A file that cannot be imported; the message names the file, the line and what is expected."""


@dataclass(frozen=True)
class Line:
    """One line (or paragraph) of the source. `number` is its line in the text the reader made, for messages."""

    text: str
    number: int
    heading: int | None = None  # 1-6 where the source marks a heading (Word styles, HTML <h1>-<h6>)
    page: int | None = None  # PDF page, for messages


@dataclass
class Source:
    """A document read into lines; `links` are (link text, target, line) of the links it carries (HTML)."""

    path: Path
    lines: list[Line]
    links: list[tuple[str, str, int]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what the reader did: headers removed, pages set aside …
    set_aside: list[Line] = field(default_factory=list)  # lines kept out of recognition (a table of contents)

    def where(self, line: Line) -> str:
        page = f" (page {line.page})" if line.page else ""
        return f"{self.path}:{line.number}{page}"

