"""The content model: front-matter schemas (pydantic) and parsed content (no I/O)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Annotated, ClassVar, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, PlainValidator, StrictStr, WithJsonSchema
from pydantic_core import PydanticCustomError

from .decisions import DecidedBy

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
TIME_RE = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
PERIOD_RE = re.compile(r"^\d{4}(-\d{4})?$")


def _date(value: object) -> dt.date:
    """Accept a YAML date or an ISO `YYYY-MM-DD` string; nothing else."""
    if isinstance(value, dt.datetime):
        raise ValueError("expected a date written YYYY-MM-DD, without a time")
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"'{value}' is not a real date; expected YYYY-MM-DD") from None
    raise ValueError("expected a date written YYYY-MM-DD, e.g. 2023-10-10")


def _time(value: str) -> str:
    if not TIME_RE.match(value):
        raise ValueError(f"'{value}' is not a time; expected \"HH:MM\" in quotes, e.g. \"17:00\"")
    return value


def _slug(value: str) -> str:
    if not SLUG_RE.match(value):
        raise ValueError(f"'{value}' is not a slug; expected lowercase a-z, 0-9 and '-' (æ→ae, ø→oe, å→aa)")
    return value


def _period(value: str) -> str:
    if not PERIOD_RE.match(value):
        raise ValueError(f"'{value}' is not a period; expected \"YYYY\" or \"YYYY-YYYY\" in quotes")
    return value


Date = Annotated[dt.date, BeforeValidator(_date)]
# WithJsonSchema only shapes the exported JSON Schema (editors' tools); validation stays the functions above.
Time = Annotated[StrictStr, AfterValidator(_time), WithJsonSchema({"type": "string", "pattern": TIME_RE.pattern})]
Slug = Annotated[StrictStr, AfterValidator(_slug), WithJsonSchema({"type": "string", "pattern": SLUG_RE.pattern})]
Text = Annotated[StrictStr, Field(min_length=1)]


class Strict(BaseModel):
    """Base for front matter: unknown keys are errors, values are not coerced."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class BodyMeta(Strict):
    """Front matter of `content/bodies/<slug>.md`: a council or committee."""

    name: Text = Field(description="The body's name, e.g. Integrationsrådet")
    organisation: Slug = Field(description="Id of an organisation in site_config.yaml")
    type: Literal["råd", "udvalg", "byråd", "bestyrelse", "andet"] = Field(description="Kind of body")
    reviewed_cpr: list[StrictStr] = Field(default=[], description="Reviewed CPR-like strings that may be published")


ROLES = ("formand", "næstformand", "medlem", "stedfortræder", "observatør", "referent", "fra administrationen")
ABSENCES = ("afbud", "uden afbud", "forfald")
Role = Literal["formand", "næstformand", "medlem", "stedfortræder", "observatør", "referent", "fra administrationen"]
AbsenceKind = Literal["afbud", "uden afbud", "forfald"]


def _name_only(value: object) -> object:
    """A person may be written as just a name: `- Anna Lynge` means `- name: Anna Lynge`."""
    return {"name": value} if isinstance(value, str) else value


class Person(Strict):
    """Someone named in a meeting's attendance: a name, and what the minutes say about them."""

    accepts_name: ClassVar[bool] = True  # validation.py: "expected a name, or a mapping with keys …"

    name: Text = Field(description="The name as the minutes publish it")
    id: Slug | None = Field(
        default=None, description="Stable person id across meetings, e.g. anna-lynge; default: the name as a slug",
    )
    role: Role | None = Field(default=None, description=" | ".join(ROLES))
    party: Text | None = Field(default=None, description="Party or list, e.g. A, V, Ø, as the minutes write it")


class Attendee(Person):
    """A member (or staff member) who was present."""


class Absentee(Person):
    """A member who was absent, why (as a value), and who met instead."""

    absence: AbsenceKind | None = Field(default=None, description=" | ".join(ABSENCES))
    substitute: Text | None = Field(default=None, description="Who met instead (stedfortræder)")
    note: Text | None = Field(default=None, description="Any other remark the minutes make, e.g. 'deltog fra punkt 3'")


PresentEntry = Annotated[Attendee, BeforeValidator(_name_only, json_schema_input_type=Text | Attendee)]
AbsentEntry = Annotated[Absentee, BeforeValidator(_name_only, json_schema_input_type=Text | Absentee)]


def _names(value: object) -> object:
    """One name (or party) alone means a list of one."""
    return [value] if isinstance(value, str) else value


def _vote_side(value: object) -> int | list[str]:
    """A number of votes, or who voted so: parties or names (one alone, or a list)."""
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    value = _names(value)
    if isinstance(value, list) and value and all(isinstance(v, str) and v.strip() for v in value):
        return [v.strip() for v in value]
    # A custom error type: its message is shown as it is (a number here is not a YAML trap to put in quotes).
    raise PydanticCustomError(
        "vote_side",
        "expected a number of votes (e.g. 5) or the parties or names that voted so (e.g. [A, V] or one '- name' line "
        "each; put a name in quotes if YAML reads it as something else)",
    )


Names = Annotated[list[Text], BeforeValidator(_names, json_schema_input_type=Text | list[Text])]
VoteSide = Annotated[
    int | list[str],
    PlainValidator(_vote_side, json_schema_input_type=Annotated[int, Field(ge=0)] | Text | list[Text]),
]


class Vote(Strict):
    """One vote on an item, as the minutes state it: by count, by party or by name."""

    subject: Text | None = Field(default=None, description="What was voted on, e.g. 'Indstillingen', 'Ændringsforslag fra V'")
    for_: VoteSide | None = Field(default=None, alias="for", description="Votes for: a number, or parties or names")
    against: VoteSide | None = Field(default=None, description="Votes against: a number, or parties or names")
    abstaining: VoteSide | None = Field(default=None, description="Abstaining (undlod at stemme): a number, or parties or names")
    result: Literal["vedtaget", "forkastet"] | None = Field(default=None, description="vedtaget | forkastet")


class Minority(Strict):
    """A minority's remark, as the minutes write it: 'Et mindretal (O) stemte imod, idet …'."""

    who: Names = Field(description="The parties or names of the minority")
    remark: Text = Field(description="The remark as the minutes write it")


class ItemMeta(Strict):
    """Case metadata for one agenda item, keyed by its number in `items:`."""

    case_number: Text | None = Field(default=None, description="Sagsnr.; items with the same one are the same case")
    kle: Text | None = Field(default=None, description="KLE journal number (j.nr.)")
    document_number: Text | None = Field(default=None, description="Dok.nr.")
    guests: list[Text] = Field(default=[], description="People taking part in the item (deltager under punktet)")
    votes: list[Vote] = Field(default=[], description="Votes on the item, where the minutes state them")
    minority: list[Minority] = Field(default=[], description="Minority remarks (Et mindretal (…) stemte imod)")
    left: Names = Field(default=[], description="Members who left the meeting during the item (forlod mødet under punktet)")


class MeetingMeta(Strict):
    """Front matter of a meeting file (agenda or minutes)."""

    body: Slug = Field(description="Slug of the body (file name in content/bodies/)")
    date: Date
    kind: Literal["referat", "dagsorden"]
    start: Time | None = Field(default=None, description='Start time, quoted "HH:MM"')
    end: Time | None = Field(default=None, description='End time, quoted "HH:MM"')
    place: Text | None = None
    present: list[PresentEntry] = Field(default=[], description="Who took part: names, or mappings with name, id, role, party")
    absent: list[AbsentEntry] = Field(
        default=[], description="Who was absent: names, or mappings with name, id, role, party, absence, substitute, note",
    )
    note: Text | None = Field(default=None, description="Editorial note shown on the page (Bemærkning)")
    source: Text | None = Field(default=None, description="Where the original was published")
    items: dict[int, ItemMeta] = Field(default={}, description="Case metadata per item number")
    reviewed_cpr: list[StrictStr] = []


class StrategyMeta(Strict):
    """Front matter of a strategy file."""

    title: Text
    organisation: Slug
    owner: Text | None = None
    period: Annotated[StrictStr, AfterValidator(_period), WithJsonSchema({"type": "string", "pattern": PERIOD_RE.pattern})] | None = None
    adopted: Date | None = None
    status: Literal["gældende", "udløbet", "udkast", "ukendt"] | None = Field(
        default=None, description="gældende | udløbet | udkast | ukendt; without it the page shows no status",
    )
    source: Text | None = None
    reviewed_cpr: list[StrictStr] = []


class PageMeta(Strict):
    """Front matter of a plain page."""

    title: Text
    description: Text | None = None
    reviewed_cpr: list[StrictStr] = []


# --- Parsed content (plain data, filled by the loader) ---------------------------------


@dataclass(frozen=True)
class LinkRef:
    """A link or image in Markdown, as the editor wrote it."""

    source: str  # content-relative path of the file it is in, e.g. meetings/x/2023-10-10-referat.md
    line: int
    href: str
    text: str
    closed: bool = False  # a `{lukket}` marker followed the link
    item: int | None = None  # number of the agenda item it is in
    image: bool = False
    title: str | None = None  # the link's title ("…" after the target), shown as a tooltip
    index: int = -1  # its number in the file (document order): the placeholder in the rendered HTML


@dataclass
class Section:
    """One `###` section of an agenda item."""

    name: str
    anchor: str
    line: int
    html: str  # sanitized HTML; links are placeholders until the public site is rendered (document.py)
    decision: bool = False  # a decision section (site_config.yaml `decision_sections`)
    source: str = ""  # the Markdown as written; kept for closed items only (the leak gate's fingerprints)
    decided_by: DecidedBy | None = None  # body and date a decision heading names ('Beslutning fra Byrådet 17-12-2015')


@dataclass
class AgendaItem:
    """A numbered agenda item."""

    number: int
    title: str
    line: int
    end_line: int = 0  # first line after the item
    closed: bool = False
    public_decision: bool = False
    sections: list[Section] = field(default_factory=list)
    intro_html: str = ""
    meta: ItemMeta = field(default_factory=ItemMeta)
    intro_source: str = ""  # the Markdown as written; kept for closed items only (the leak gate's fingerprints)

    @property
    def anchor(self) -> str:
        return f"punkt-{self.number}"


@dataclass
class Body:
    slug: str
    path: str
    meta: BodyMeta
    html: str
    links: list[LinkRef] = field(default_factory=list)
    lines: dict[str, int] = field(default_factory=dict)  # front-matter key -> line, for messages


@dataclass
class Meeting:
    path: str
    meta: MeetingMeta
    intro_html: str
    items: list[AgendaItem]
    links: list[LinkRef]
    lines: dict[str, int] = field(default_factory=dict)  # front-matter key -> line, for messages

    @property
    def key(self) -> tuple[str, dt.date, str]:
        """The meeting's identity: body, date, kind."""
        return (self.meta.body, self.meta.date, self.meta.kind)

    @property
    def anchors(self) -> set[str]:
        found = {"indhold"}
        for item in self.items:
            found.add(item.anchor)
            found.update(section.anchor for section in item.sections)
        return found


@dataclass
class Strategy:
    slug: str
    path: str
    meta: StrategyMeta
    html: str
    anchors: set[str]
    headings: list[tuple[int, str, str]]  # level, id, text
    links: list[LinkRef]
    lines: dict[str, int] = field(default_factory=dict)  # front-matter key -> line, for messages


@dataclass
class Page:
    slug: str
    path: str
    meta: PageMeta
    html: str
    anchors: set[str]
    links: list[LinkRef]


@dataclass
class Content:
    """Everything loaded from content/."""

    bodies: dict[str, Body] = field(default_factory=dict)
    meetings: list[Meeting] = field(default_factory=list)
    strategies: dict[str, Strategy] = field(default_factory=dict)
    pages: dict[str, Page] = field(default_factory=dict)
    bilag_files: set[str] = field(default_factory=set)  # content-relative paths under bilag/
    failed: set[str] = field(default_factory=set)  # content-relative paths of files that exist but have errors
