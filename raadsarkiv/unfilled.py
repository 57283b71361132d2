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
from .i18n import _
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
            problems.error(meeting.path, item.line, _("item {number} still has the title '{title}' that `new meeting` wrote; "
                                                      "write the item's title, or delete the item", number=item.number, title=PLACEHOLDER_TITLE))
        for section in item.sections:
            if section.html.strip():  # a guiding comment is not rendered: only it left, the section is empty
                continue
            if section.decision and minutes:
                problems.error(meeting.path, section.line, _(
                    "section '{section}' of item {number} is empty; a referat says what was decided: write the decision "
                    "(e.g. 'Godkendt.'), or delete the heading if the item had no decision", section=section.name, number=item.number))
            elif not section.decision:  # a dagsorden's decision section is written at the meeting
                problems.warning(meeting.path, section.line, _empty(section.name, item.number))


def _empty(name: str, number: str) -> str:
    if name.casefold() == "bilag":
        return _("section '{section}' of item {number} is empty; link the bilag, or delete the heading "
                 "(an empty section is published as a heading alone)", section=name, number=number)
    return _("section '{section}' of item {number} is empty; write its text, or delete the heading "
             "(an empty section is published as a heading alone)", section=name, number=number)
