"""What a CPR number looks like, and masking it: no message or log ever repeats a whole one."""

from __future__ import annotations

import re

# DDMMYY-XXXX, with a plausible day and month; a dash, any other hyphen or a space may separate the parts.
CPR_RE = re.compile(r"(?<!\d)(?:0[1-9]|[12]\d|3[01])(?:0[1-9]|1[0-2])\d{2}[-\u2010\u2011\u2012\u2013\u2014\u2212 \u00a0]?\d{4}(?!\d)")


def digits(value: str) -> str:
    return re.sub(r"\D", "", value)


def mask(number: str) -> str:
    """'010170-1234' -> '010170-XXXX'."""
    return f"{digits(number)[:6]}-XXXX"


def mask_all(text: str) -> str:
    """Text with every CPR-like number masked."""
    return CPR_RE.sub(lambda match: mask(match.group(0)), text)
