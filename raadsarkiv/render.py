"""Jinja2 environment and Danish formatting; pages are rendered to bytes, never written here."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from babel.dates import format_date
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from .views import DANISH, PageView

DATE_PATTERNS = {"long": "d. MMMM y", "weekday": "EEEE 'den' d. MMMM y", "short": "d. MMM y"}


def date_da(value: dt.date, style: str = "long") -> str:
    """Danish dates: '10. oktober 2023'; style 'weekday': 'tirsdag den 10. oktober 2023'."""
    return format_date(value, DATE_PATTERNS[style], locale=DANISH)


def make_environment(templates: Path) -> Environment:
    """Autoescaping, StrictUndefined, and only sanitized fragments marked safe (`|html`)."""
    env = Environment(
        loader=FileSystemLoader(str(templates)),
        autoescape=select_autoescape(["html", "xml"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["date_da"] = date_da
    # Fragments reaching templates were sanitized by nh3 in markdown.py and links rewritten by views.py.
    env.filters["html"] = Markup
    return env


def render(env: Environment, view: PageView) -> bytes:
    """Render one page to UTF-8 bytes."""
    return env.get_template(view.template).render(view.context).encode("utf-8")
