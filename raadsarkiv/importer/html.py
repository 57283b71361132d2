"""HTML pages of agenda systems via BeautifulSoup: headings keep their level, block elements become lines,
links to files next to the page are remembered as bilag."""

from __future__ import annotations

from pathlib import Path

from bs4 import BeautifulSoup, NavigableString, Tag

from .source import Line, Source

BLOCKS = {"p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "dt", "dd", "br", "section", "article",
          "header", "footer", "blockquote", "pre", "table", "ul", "ol", "dl", "main", "nav", "caption"}
SKIP = {"script", "style", "noscript", "template", "head", "svg", "button", "form", "select"}


class _Walker:
    def __init__(self) -> None:
        self.lines: list[Line] = []
        self.parts: list[str] = []
        self.level: int | None = None
        self.links: list[tuple[str, str, int]] = []
        self.line = 1  # the source line of the block being read (html.parser knows each tag's line)

    def flush(self) -> None:
        text = " ".join("".join(self.parts).split())
        if text:
            self.lines.append(Line(text, self.line, self.level))
            self.lines.append(Line("", self.line))
        self.parts = []

    def walk(self, node: Tag) -> None:
        for child in node.children:
            if isinstance(child, NavigableString):
                if type(child) is NavigableString:  # not a comment, doctype or CDATA
                    self.parts.append(str(child))
                continue
            if not isinstance(child, Tag) or child.name in SKIP:
                continue
            name = child.name
            if name in BLOCKS:
                self.flush()
                self.line = child.sourceline or self.line
            if name in {"h1", "h2", "h3", "h4", "h5", "h6"}:
                self.level = int(name[1])
                self.walk(child)
                self.flush()
                self.level = None
                continue
            if name == "li":
                self.parts.append("• ")
            if name in {"td", "th"} and self.parts:
                self.parts.append(" | ")
            if name == "a" and child.get("href"):
                href = str(child["href"]).strip()
                label = " ".join(child.get_text(" ").split())
                self.links.append((label, href, self.line))
            self.walk(child)
            if name in BLOCKS:
                self.flush()


def read_html(path: Path) -> Source:
    data = path.read_bytes()
    soup = BeautifulSoup(data, "html.parser")  # lenient; anything it still refuses is reported by read_source
    walker = _Walker()
    walker.walk(soup.body or soup)
    walker.flush()
    return Source(path, walker.lines, links=walker.links)
