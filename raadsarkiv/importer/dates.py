"""Danish dates and times as minutes write them: '24. maj 2018', '10.10.2023', 'Kl. 16.00-18.00'."""

from __future__ import annotations

import datetime as dt
import re

MONTHS = {
    "januar": 1, "februar": 2, "marts": 3, "april": 4, "maj": 5, "juni": 6, "juli": 7, "august": 8,
    "september": 9, "oktober": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9, "okt": 10, "nov": 11, "dec": 12,
}
WORD_DATE_RE = re.compile(r"(?<!\d)(\d{1,2})\.?\s+([a-zæøå]+)\.?\s+(\d{4})(?!\d)", re.IGNORECASE)
ISO_DATE_RE = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")
NUMERIC_DATE_RE = re.compile(r"(?<!\d)(\d{1,2})[./-](\d{1,2})[./-](\d{4})(?!\d)")
TIME_RE = re.compile(r"(?<!\d)([01]?\d|2[0-3])[.:]([0-5]\d)(?!\d)")


def _make(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def find_date(text: str) -> dt.date | None:
    """The first date written in `text`, or None."""
    candidates: list[tuple[int, dt.date]] = []
    for match in WORD_DATE_RE.finditer(text):
        month = MONTHS.get(match.group(2).casefold())
        date = _make(int(match.group(3)), month, int(match.group(1))) if month else None
        if date:
            candidates.append((match.start(), date))
    for match in ISO_DATE_RE.finditer(text):
        date = _make(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        if date:
            candidates.append((match.start(), date))
    for match in NUMERIC_DATE_RE.finditer(text):
        date = _make(int(match.group(3)), int(match.group(2)), int(match.group(1)))
        if date:
            candidates.append((match.start(), date))
    return min(candidates)[1] if candidates else None


def find_times(text: str) -> list[str]:
    """Times written in `text` as "HH:MM": 'Kl. 16.00-18.00' -> ['16:00', '18:00']."""
    return [f"{int(hour):02d}:{minute}" for hour, minute in TIME_RE.findall(text)]
