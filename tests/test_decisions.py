"""Who decided and when, read from a decision heading: 'Beslutning fra Byrådet 17-12-2015'."""

from __future__ import annotations

import datetime as dt

import pytest

from raadsarkiv.decisions import decided_by


@pytest.mark.parametrize("heading, body, date", [
    ("Beslutning fra Økonomiudvalget 10-12-2015", "Økonomiudvalget", dt.date(2015, 12, 10)),
    ("Beslutning fra Byrådet 17.12.2015", "Byrådet", dt.date(2015, 12, 17)),
    ("Beslutning fra Byrådet 2015-12-17", "Byrådet", dt.date(2015, 12, 17)),
    ("Beslutning fra Byrådet, 17. december 2015", "Byrådet", dt.date(2015, 12, 17)),
    ("Beslutning fra Byrådet den 17. dec. 2015", "Byrådet", dt.date(2015, 12, 17)),
    ("Beslutning fra Beskæftigelses- og Uddannelsesudvalget", "Beskæftigelses- og Uddannelsesudvalget", None),
])
def test_body_and_date_in_the_forms_minutes_use(heading: str, body: str, date: dt.date | None) -> None:
    found, problem = decided_by(heading)
    assert problem is None
    assert found is not None and (found.prefix, found.body, found.date) == ("Beslutning fra", body, date)


@pytest.mark.parametrize("heading, says", [
    ("Beslutning fra Byrådet 32-12-2015", "'32-12-2015' is not a real date"),
    ("Beslutning fra Byrådet 17-12-15", "no four-digit year"),
    ("Beslutning fra Byrådet 17. decembr 2015", "'decembr' in '17. decembr 2015' is not a Danish month name"),
    ("Beslutning fra Byrådet 17-122015", "looks like a date that cannot be read"),
])
def test_a_date_that_cannot_be_read_is_reported_not_guessed(heading: str, says: str) -> None:
    found, problem = decided_by(heading)
    assert found is not None and found.date is None
    assert problem is not None and says in problem


def test_a_plain_decision_heading_names_no_body() -> None:
    assert decided_by("Beslutning") == (None, None)
