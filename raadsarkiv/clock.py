"""The build's one notion of time: Danish local time, and the one place where "now" is read.

Only the embargo (`publish_after`, embargo.py) asks what time it is; nothing written to the
output depends on it. Tests pass `now=` to check()/build(); a command line run can be given a
fixed time with the environment variable RAADSARKIV_NOW (e.g. `RAADSARKIV_NOW=2024-01-22T12:00`).
"""

from __future__ import annotations

import datetime as dt
import os
import re
from zoneinfo import ZoneInfo

TIMEZONE = ZoneInfo("Europe/Copenhagen")
NOW_VARIABLE = "RAADSARKIV_NOW"
DATETIME_HINT = "a date and time in Danish time, YYYY-MM-DDTHH:MM, e.g. 2024-01-22T12:00 (or with a UTC offset: 2024-01-22T12:00+01:00)"
DATETIME_PATTERN = r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$"
_DATETIME_RE = re.compile(DATETIME_PATTERN)


def parse_datetime(value: object) -> dt.datetime:
    """A point in time as an editor writes it; without a UTC offset it is Danish time (Europe/Copenhagen).

    Accepts `2024-01-22T12:00`, `2024-01-22 12:00`, seconds, an offset (`+01:00`, `Z`), and what YAML
    itself reads as a timestamp. Raises ValueError with what is expected.
    """
    if isinstance(value, dt.datetime):
        moment = value
    elif isinstance(value, str) and _DATETIME_RE.match(value.strip()):
        try:
            moment = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            raise ValueError(f"'{value}' is not a real date and time; expected {DATETIME_HINT}") from None
    elif isinstance(value, dt.date) or isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        raise ValueError(f"'{value}' has no time of day; expected {DATETIME_HINT}")
    else:
        raise ValueError(f"expected {DATETIME_HINT}")
    return moment.replace(tzinfo=TIMEZONE) if moment.tzinfo is None else moment


def now(environ: dict[str, str] | None = None) -> dt.datetime:
    """The current time, or the fixed time RAADSARKIV_NOW gives (ValueError if it cannot be read)."""
    fixed = (os.environ if environ is None else environ).get(NOW_VARIABLE, "").strip()
    if fixed:
        try:
            return parse_datetime(fixed)
        except ValueError as exc:
            raise ValueError(f"{NOW_VARIABLE}: {exc}") from None
    return dt.datetime.now(TIMEZONE)


def local(moment: dt.datetime) -> dt.datetime:
    """A point in time as a Danish clock shows it."""
    return moment.astimezone(TIMEZONE)
