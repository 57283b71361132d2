"""Invisible characters that have no place in content files.

Refused, anywhere in a content file or site_config.yaml:

- C0 control characters other than tab and line feed (U+0000–U+0008, U+000B, U+000C,
  U+000E–U+001F), DEL (U+007F) and the C1 controls (U+0080–U+009F): invisible, usually
  pasted from a terminal, a PDF or text decoded with the wrong encoding;
- a carriage return (CR) that is not followed by a line feed (old Mac line endings; CRLF
  is allowed and normalised to LF);
- Unicode noncharacters (U+FDD0–U+FDEF and the last two code points of every plane,
  U+FFFE, U+FFFF, U+1FFFE, …): the engine uses U+FDD0–U+FDEF internally as placeholders
  that content must not be able to forge.

Lines and columns are 1-based; lines are separated by LF, columns count characters.
"""

from __future__ import annotations

import re

from .errors import Problems
from .i18n import _

_C0_NAMES = (
    "NUL SOH STX ETX EOT ENQ ACK BEL BS HT LF VT FF CR SO SI "
    "DLE DC1 DC2 DC3 DC4 NAK SYN ETB CAN EM SUB ESC FS GS RS US"
).split()
_C1_NAMES = (
    "PAD HOP BPH NBH IND NEL SSA ESA HTS HTJ VTS PLD PLU RI SS2 SS3 "
    "DCS PU1 PU2 STS CCH MW SPA EPA SOS SGCI SCI CSI ST OSC PM APC"
).split()

_NONCHARACTERS = "\ufdd0-\ufdef" + "".join(
    f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(17)
)
FORBIDDEN = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f{_NONCHARACTERS}]|\r(?!\n)")

MAX_REPORTED = 10  # per file; the rest are counted in one more problem


def find_control_characters(text: str) -> list[tuple[int, int, str]]:
    """(line, column, character) of every forbidden character in `text`, in order."""
    found: list[tuple[int, int, str]] = []
    line, line_start, counted_to = 1, 0, 0
    for match in FORBIDDEN.finditer(text):
        start = match.start()
        newlines = text.count("\n", counted_to, start)
        if newlines:
            line += newlines
            line_start = text.rindex("\n", counted_to, start) + 1
        counted_to = start
        found.append((line, start - line_start + 1, match.group()))
    return found


def char_name(char: str) -> str:
    """The usual abbreviation of a control character, or 'noncharacter'."""
    code = ord(char)
    if code < 0x20:
        return _C0_NAMES[code]
    if code == 0x7F:
        return "DEL"
    if 0x80 <= code <= 0x9F:
        return _C1_NAMES[code - 0x80]
    return "noncharacter"


def describe(char: str, column: int) -> str:
    """What is wrong with one forbidden character at `column`, and what to do."""
    code = ord(char)
    name = char_name(char)
    shown = f"U+{code:04X}{'' if name == 'noncharacter' else f' ({name})'}"
    if char == "\r":
        return _("carriage return {char} in the text at column {column} without a line feed after it (old Mac line endings); "
                 "save the file with LF (or CRLF) line endings", char=shown, column=column)
    if 0x80 <= code <= 0x9F:
        return _("control character {char} in the text at column {column}; it usually stands for a dash, quote or letter "
                 "that was converted with the wrong encoding (Windows-1252 read as Latin-1): delete it and type the intended "
                 "character", char=shown, column=column)
    if name == "noncharacter":
        return _("noncharacter {char} in the text at column {column}; delete it (it is not text and is reserved for internal use)",
                 char=shown, column=column)
    return _("control character {char} in the text at column {column}; delete it (it is invisible, often pasted from another "
             "program)", char=shown, column=column)


def check_characters(text: str, path: str, problems: Problems) -> bool:
    """Report every forbidden character in `text` (a whole file) as an error; True if there were any.

    A file that is mostly NUL characters is UTF-16 (each ASCII character followed by a
    NUL byte), which is one problem, not thousands.
    """
    found = find_control_characters(text)
    if not found:
        return False
    if text.count("\x00") * 4 > len(text):
        problems.error(path, 1, _("file is UTF-16 text, not UTF-8 (it is full of NUL characters); save it with UTF-8 encoding"))
        return True
    for line, column, char in found[:MAX_REPORTED]:
        problems.error(path, line, describe(char, column))
    if len(found) > MAX_REPORTED:
        line = found[MAX_REPORTED][0]
        problems.error(
            path, line,
            _("{count} more control characters or noncharacters from this line on; delete them all", count=len(found) - MAX_REPORTED),
        )
    return True
