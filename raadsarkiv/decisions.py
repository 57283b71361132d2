"""Who decided, and when: the body and date in a decision heading ('Beslutning fra Byrådet 17-12-2015').

Minutes that follow a case through several bodies give each body's decision its own section:
"Beslutning fra Økonomiudvalget 10-12-2015", then "Beslutning fra Byrådet 17-12-2015". The body
and date are read from the heading as written; a date that cannot be read is a warning, never
a guess.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from .i18n import N_, _

MONTHS = {
    "januar": 1, "februar": 2, "marts": 3, "april": 4, "maj": 5, "juni": 6, "juli": 7, "august": 8,
    "september": 9, "oktober": 10, "november": 11, "december": 12,
}
ABBREVIATIONS = {name[:3]: number for name, number in MONTHS.items()} | {"sept": 9}

# '… fra <body>' with a date at the end: 10-12-2015, 10.12.2015, 10/12/2015, 2015-12-10, 10. december 2015, 10. dec. 2015
HEADING_RE = re.compile(r"^(?P<prefix>.*?\bfra)\s+(?P<rest>\S.*)$", re.IGNORECASE)
DATE_TAIL_RE = re.compile(
    r"^(?P<body>.*?)[\s,]+(?:den\s+|d\.\s*)?"
    r"(?:(?P<numeric>\d{1,4}[-./]\d{1,2}[-./]\d{1,4})|(?P<day>\d{1,2})\.?\s+(?P<month>[^\W\d]+)\.?\s+(?P<year>\d{4}))\s*$",
    re.IGNORECASE,
)
EXPECTED = N_("write it as DD-MM-YYYY (e.g. 17-12-2015), YYYY-MM-DD or '17. december 2015'")


@dataclass(frozen=True)
class DecidedBy:
    """The body (as the heading names it) and, if the heading gives one, the date of a decision."""

    prefix: str  # 'Beslutning fra'
    body: str
    date: dt.date | None = None


def decided_by(name: str) -> tuple[DecidedBy | None, str | None]:
    """The body and date a decision section's name states, and a problem with its date (or None)."""
    heading = HEADING_RE.match(name)
    if heading is None:
        return None, None
    prefix, rest = heading.group("prefix"), heading.group("rest").strip()
    tail = DATE_TAIL_RE.match(rest)
    if tail is None or not tail.group("body").strip():
        dateish = re.search(r"\d+[-./]\d+\S*\s*$|\b\d{1,2}\.?\s+[^\W\d]+\.?\s*\d{2,4}\s*$", rest)
        problem = _("'{date}' at the end looks like a date that cannot be read; {expected}",
                    date=dateish.group(0).strip(), expected=_(EXPECTED)) if dateish else None
        return DecidedBy(prefix, rest), problem
    body = tail.group("body").strip().rstrip(",")
    date, problem = _date(tail)
    return DecidedBy(prefix, body, date), problem


def _date(tail: re.Match[str]) -> tuple[dt.date | None, str | None]:
    numeric = tail.group("numeric")
    if numeric:
        fields = re.split(r"[-./]", numeric)
        if len(fields[0]) == 4:
            year, month, day = (int(f) for f in fields)
        elif len(fields[2]) == 4:
            day, month, year = (int(f) for f in fields)
        else:
            return None, _("the date '{date}' has no four-digit year; {expected}", date=numeric, expected=_(EXPECTED))
        written = numeric
    else:
        word = tail.group("month").casefold()
        month = MONTHS.get(word) or ABBREVIATIONS.get(word)
        written = f"{tail.group('day')}. {tail.group('month')} {tail.group('year')}"
        if month is None:
            return None, _("'{month}' in '{date}' is not a Danish month name; {expected}",
                           month=tail.group("month"), date=written, expected=_(EXPECTED))
        day, year = int(tail.group("day")), int(tail.group("year"))
    try:
        return dt.date(year, month, day), None
    except ValueError:
        return None, _("'{date}' is not a real date; {expected}", date=written, expected=_(EXPECTED))
