"""Plain text (e.g. copied from a web page): one Line per line."""

from __future__ import annotations

from pathlib import Path

from .pdflayout import dehyphenate
from ..i18n import _
from .source import ImportFailed, Line, Source


def read_text(path: Path) -> Source:
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ImportFailed(f"{path}:{line}: " + _("not UTF-8 text (byte {byte}); save it as UTF-8 and import again",
                                                   byte=f"0x{data[exc.start]:02x}")) from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # Text copied out of a PDF keeps its line-end hyphenation: joined like a PDF's (the line numbers stay the source's).
    lines: list[Line] = []
    for number, row in enumerate(text.split("\n"), start=1):
        joined = dehyphenate([lines[-1].text, row.rstrip()]) if lines and lines[-1].text else [row.rstrip()]
        if len(joined) == 1 and lines and lines[-1].text:
            lines[-1] = Line(joined[0], lines[-1].number)
        else:
            lines.append(Line(row.rstrip(), number))
    return Source(path, lines)
