"""Plain text (e.g. copied from a web page): one Line per line."""

from __future__ import annotations

from pathlib import Path

from .source import ImportFailed, Source, lines_of


def read_text(path: Path) -> Source:
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ImportFailed(f"{path}:{line}: not UTF-8 text (byte 0x{data[exc.start]:02x}); save it as UTF-8 and import again") from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return Source(path, lines_of(text))
