"""An unfilled meeting file must not pass `check`: what `new meeting` leaves for the editor to write.

`new meeting` (scaffold.py) writes a placeholder item title and sections holding only a guiding
HTML comment, which is never published. What is left of them is reported per kind of meeting:

- the placeholder title (PLACEHOLDER_TITLE) is an error in every meeting;
- an empty decision section is an error in a referat (minutes that say nothing of a decision are a
  false record) and expected in a dagsorden (the decision is written at the meeting);
- another empty section is a warning in both: it publishes a heading alone, untidy but not false
  (`import` leaves an empty Bilag section where the source named bilag it did not have).
"""

from __future__ import annotations

from .errors import Problems
from .model import Content, Meeting

PLACEHOLDER_TITLE = "Titel på punktet"  # the title scaffold.meeting_text gives the item it adds for the editor to fill


def check(content: Content, problems: Problems) -> None:
    """Report what the editor has still to fill in, in every meeting file."""
    for meeting in content.meetings:
        _check_meeting(meeting, problems)


def _check_meeting(meeting: Meeting, problems: Problems) -> None:
    minutes = meeting.meta.kind == "referat"
    for item in meeting.items:
        if item.title.strip().casefold() == PLACEHOLDER_TITLE.casefold():
            problems.error(meeting.path, item.line, f"item {item.number} still has the title '{PLACEHOLDER_TITLE}' that "
                           "`new meeting` wrote; write the item's title, or delete the item")
        for section in item.sections:
            if section.html.strip():  # a guiding comment is not rendered: only it left, the section is empty
                continue
            where = f"section '{section.name}' of item {item.number} is empty"
            if section.decision and minutes:
                problems.error(meeting.path, section.line, f"{where}; a referat says what was decided: write the decision "
                               "(e.g. 'Godkendt.'), or delete the heading if the item had no decision")
            elif not section.decision:  # a dagsorden's decision section is written at the meeting
                problems.warning(meeting.path, section.line, f"{where}; {_fill(section.name)} "
                                 "(an empty section is published as a heading alone)")


def _fill(name: str) -> str:
    return "link the bilag, or delete the heading" if name.casefold() == "bilag" else "write its text, or delete the heading"
