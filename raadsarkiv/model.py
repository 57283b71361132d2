"""The content model: front-matter schemas (pydantic) and parsed content (no I/O)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Annotated, ClassVar, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ModelWrapValidatorHandler,
    PlainValidator,
    PrivateAttr,
    StrictBool,
    StrictInt,
    StrictStr,
    WithJsonSchema,
    model_validator,
)
from pydantic_core import PydanticCustomError

from .clock import DATETIME_HINT, DATETIME_PATTERN, parse_datetime
from .decisions import DecidedBy
from .i18n import N_, _

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
TIME_RE = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
PERIOD_RE = re.compile(r"^\d{4}(-\d{4})?$")
# An agenda item's number: 3, a sub-item 3a, or 3.1 (3.1.2 …); numbers may run across a year with gaps (61, 62, 64).
ITEM_NUMBER = r"\d+(?:\.\d+)*[a-z]?"
ITEM_NUMBER_RE = re.compile(f"^{ITEM_NUMBER}$")
ITEM_NUMBER_HINT = N_("a whole number, optionally with a letter or a sub-number: 3, 3a, 3.1")  # translated where shown


def _date(value: object) -> dt.date:
    """Accept a YAML date or an ISO `YYYY-MM-DD` string; nothing else."""
    if isinstance(value, dt.datetime):
        raise ValueError(_("expected a date written YYYY-MM-DD, without a time"))
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise ValueError(_("'{value}' is not a real date; expected YYYY-MM-DD", value=value)) from None
    raise ValueError(_("expected a date written YYYY-MM-DD, e.g. 2023-10-10"))


def date_precision(value: object) -> Literal["day", "month", "year"]:
    """How much of a meeting's date is known: `2014` (year), `2014-03` (month) or a whole date (day)."""
    if isinstance(value, int) and not isinstance(value, bool) and 1000 <= value <= 9999 or isinstance(value, str) and re.fullmatch(r"\d{4}", value):
        return "year"
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}", value):
        return "month"
    return "day"


def _meeting_date(value: object) -> dt.date:
    """A meeting's date: YYYY-MM-DD, or only YYYY-MM or YYYY when no more is known (kept as its first day, for sorting)."""
    precision = date_precision(value)
    if precision == "day":
        return _date(value)
    text = str(value)
    try:
        return dt.date(int(text[:4]), int(text[5:7]) if precision == "month" else 1, 1)
    except ValueError:
        raise ValueError(_("'{value}' is not a real month; expected YYYY-MM, e.g. 2014-03", value=text)) from None


def _sequence(value: int) -> int:
    if value < 2:  # its own error type: not a YAML type trap (validation.py), the number is read as meant
        raise PydanticCustomError("sequence", _("{value} is not a later meeting of the day: leave `sequence` out for the body's "
                                                "first meeting that day, and write sequence: 2 for its second (3 for a third)",
                                                value=value).replace("{", "{{").replace("}", "}}"))
    return value


def _time(value: str) -> str:
    if not TIME_RE.match(value):
        raise ValueError(_("'{value}' is not a time; expected \"HH:MM\" in quotes, e.g. \"17:00\"", value=value))
    return value


def _slug(value: str) -> str:
    if not SLUG_RE.match(value):
        raise ValueError(_("'{value}' is not a slug; expected lowercase a-z, 0-9 and '-' (æ→ae, ø→oe, å→aa)", value=value))
    return value


def _bodies(value: object) -> object:
    """`body:` is one body slug, or a list of body slugs for a joint meeting (fællesmøde)."""
    example = "body: [integrationsraadet-aalborg, eksempeludvalget]"
    if isinstance(value, str):
        parts = [part.strip() for part in re.split(r"[,;]", value) if part.strip()]
        if len(parts) > 1:
            raise ValueError(_("'{value}' is not one body; for a joint meeting (fællesmøde) write the bodies as a list: {example}",
                               value=value, example=f"body: [{', '.join(parts)}]"))
        return _slug(value)
    if isinstance(value, list):
        if not value:
            raise ValueError(_("the list of bodies is empty; write one body slug, or several for a joint meeting: {example}", example=example))
        for entry in value:
            if not isinstance(entry, str):
                raise ValueError(_("every entry of the list must be a body slug (a file name in content/bodies/ without .md), "
                                   "got {got}; e.g. {example}", got=f"{type(entry).__name__} {entry!r}", example=example))
            _slug(entry)
        twice = sorted({entry for entry in value if value.count(entry) > 1})
        if twice:
            raise ValueError(_("body '{body}' is listed twice; list each body of a joint meeting once", body=twice[0]))
        return value
    raise ValueError(_("expected a body slug, or for a joint meeting (fællesmøde) a list of body slugs: {example}", example=example))


def _item_number(value: str) -> str:
    if not ITEM_NUMBER_RE.match(value):
        raise ValueError(_("'{value}' is not an item number; expected {hint}", value=value, hint=_(ITEM_NUMBER_HINT)))
    return value


def item_anchor(number: str) -> str:
    """An item's anchor: item 3 is `punkt-3`, 3a `punkt-3a`, 3.1 `punkt-3-1`."""
    return "punkt-" + number.replace(".", "-")


def item_parents(number: str) -> list[str]:
    """The items a sub-item belongs to: 3a -> [3], 3.1.2 -> [3.1, 3], 3.1a -> [3.1, 3]; a whole number has none."""
    parts = number.rstrip("abcdefghijklmnopqrstuvwxyz").split(".")
    own = [".".join(parts)] if number[-1].isalpha() else []
    return own + [".".join(parts[:length]) for length in range(len(parts) - 1, 0, -1)]


def item_order(number: str) -> tuple[int, ...]:
    """A sort key for item numbers: 3 < 3a < 3b < 3.1 < 3.2 < 4 (a letter counts after the number's own parts)."""
    letter = number[-1] if number[-1].isalpha() else ""
    parts = tuple(int(part) for part in number.rstrip(letter).split("."))
    return (*parts, 0, ord(letter) - ord("a") + 1) if letter else parts


def _period(value: str) -> str:
    if not PERIOD_RE.match(value):
        raise ValueError(_("'{value}' is not a period; expected \"YYYY\" or \"YYYY-YYYY\" in quotes", value=value))
    return value


Date = Annotated[dt.date, BeforeValidator(_date)]
# An aware point in time; written without a UTC offset it is Danish time (clock.py).
Moment = Annotated[dt.datetime, BeforeValidator(parse_datetime), WithJsonSchema(
    {"type": "string", "pattern": DATETIME_PATTERN, "description": DATETIME_HINT})]
MeetingDate = Annotated[dt.date, BeforeValidator(_meeting_date), WithJsonSchema(
    {"oneOf": [{"type": "string", "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$"}, {"type": "integer", "minimum": 1000, "maximum": 9999}]})]
# WithJsonSchema only shapes the exported JSON Schema (editors' tools); validation stays the functions above.
Time = Annotated[StrictStr, AfterValidator(_time), WithJsonSchema({"type": "string", "pattern": TIME_RE.pattern})]
Slug = Annotated[StrictStr, AfterValidator(_slug), WithJsonSchema({"type": "string", "pattern": SLUG_RE.pattern})]
Text = Annotated[StrictStr, Field(min_length=1)]
ItemNumber = Annotated[StrictStr, AfterValidator(_item_number), WithJsonSchema({"type": "string", "pattern": ITEM_NUMBER_RE.pattern})]


class Strict(BaseModel):
    """Base for front matter: unknown keys are errors, values are not coerced."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Correction(Strict):
    """A correction (rettelse) of a published file: when, and what was corrected."""

    date: Date = Field(description="When the correction was made, YYYY-MM-DD")
    note: Text = Field(description="What was corrected, as readers should read it, e.g. 'Punkt 3: beslutningen var gengivet forkert.'")


# When a meeting, strategy or page is published (embargo.py), and its corrections: the same three keys in each.
Draft = Annotated[StrictBool, Field(description="true: a draft (kladde), left out of `build`; the preview shows it")]
PublishAfter = Annotated[Moment | None, Field(
    description="Left out of `build` until this time (Danish time unless an offset is given), e.g. 2024-01-22T12:00")]
Corrections = Annotated[list[Correction], Field(description="Corrections made after publishing: date and note, oldest first")]


class BodyMeta(Strict):
    """Front matter of `content/bodies/<slug>.md`: a council or committee."""

    name: Text = Field(description=N_("The body's name, e.g. Integrationsrådet"))
    organisation: Slug = Field(description=N_("Id of an organisation in site_config.yaml"))
    type: Literal["råd", "udvalg", "byråd", "bestyrelse", "andet"] = Field(description="Kind of body")
    reviewed_cpr: list[StrictStr] = Field(default=[], description="Reviewed CPR-like strings that may be published")


ROLES = ("formand", "næstformand", "medlem", "stedfortræder", "observatør", "referent", "fra administrationen")
ABSENCES = ("afbud", "uden afbud", "forfald")
Role = Literal["formand", "næstformand", "medlem", "stedfortræder", "observatør", "referent", "fra administrationen"]
AbsenceKind = Literal["afbud", "uden afbud", "forfald"]


PERSON_ID_MAX = 80  # a person id names a folder, /personer/<id>/ (attendance.name_id keeps derived ids as short)


def _person_id(value: str) -> str:
    if len(value) > PERSON_ID_MAX:
        raise ValueError(_("'{value}…' has {length} characters; a person id has at most {limit} (it names the folder of "
                           "the member page, /personer/<id>/): shorten it", value=value[:24], length=len(value), limit=PERSON_ID_MAX))
    return value


PersonId = Annotated[StrictStr, AfterValidator(_slug), AfterValidator(_person_id),
                     WithJsonSchema({"type": "string", "pattern": SLUG_RE.pattern, "maxLength": PERSON_ID_MAX})]


def _name_only(value: object) -> object:
    """A person may be written as just a name: `- Anna Lynge` means `- name: Anna Lynge`."""
    return {"name": value} if isinstance(value, str) else value


class Person(Strict):
    """Someone named in a meeting's attendance: a name, and what the minutes say about them."""

    accepts_name: ClassVar[bool] = True  # validation.py: "expected a name, or a mapping with keys …"

    name: Text = Field(description=N_("The name as the minutes publish it"))
    id: PersonId | None = Field(
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
        _("expected a number of votes (e.g. 5) or the parties or names that voted so (e.g. [A, V] or one '- name' line "
          "each; put a name in quotes if YAML reads it as something else)"),
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

    who: Names = Field(description=N_("The parties or names of the minority"))
    remark: Text = Field(description=N_("The remark as the minutes write it"))


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

    body: Annotated[
        str | list[str], BeforeValidator(_bodies),
        WithJsonSchema({"oneOf": [{"type": "string", "pattern": SLUG_RE.pattern},
                                  {"type": "array", "items": {"type": "string", "pattern": SLUG_RE.pattern}, "minItems": 1}]}),
    ] = Field(description=N_("Slug of the body (file name in content/bodies/), or a list of them for a joint meeting"))
    date: MeetingDate = Field(description=N_("YYYY-MM-DD; YYYY-MM or YYYY when only the month or year is known"))
    kind: Literal["referat", "dagsorden"]
    sequence: Annotated[StrictInt, AfterValidator(_sequence), WithJsonSchema({"type": "integer", "minimum": 2})] | None = Field(
        default=None, description="2 for the body's second meeting that day (3 for a third …); omit for the first")
    start: Time | None = Field(default=None, description='Start time, quoted "HH:MM"')
    end: Time | None = Field(default=None, description='End time, quoted "HH:MM"')
    place: Text | None = None
    present: list[PresentEntry] = Field(default=[], description="Who took part: names, or mappings with name, id, role, party")
    absent: list[AbsentEntry] = Field(
        default=[], description="Who was absent: names, or mappings with name, id, role, party, absence, substitute, note",
    )
    note: Text | None = Field(default=None, description="Editorial note shown on the page (Bemærkning)")
    source: Text | None = Field(default=None, description="Where the original was published")
    items: dict[ItemNumber, ItemMeta] = Field(default={}, description="Case metadata per item number (4, 3a, 3.1)")
    shared_case_numbers: list[Text] = Field(
        default=[],
        description="Case numbers that items of this file share with unrelated items (a whole year filed under one case): "
                    "shown on the items, but not linked as one case; '*' matches any text (as in site_config.yaml)",
    )
    draft: Draft = False
    publish_after: PublishAfter = None
    rettelser: Corrections = []
    reviewed_cpr: list[StrictStr] = []

    _precision: Literal["day", "month", "year"] = PrivateAttr("day")

    @model_validator(mode="wrap")
    @classmethod
    def _keep_precision(cls, data: object, handler: ModelWrapValidatorHandler[MeetingMeta]) -> MeetingMeta:
        """Remember how much of `date` was written: the validated `date` is a whole date (its first day)."""
        meta = handler(data)
        if isinstance(data, dict):
            meta._precision = date_precision(data.get("date"))
        return meta

    @property
    def precision(self) -> Literal["day", "month", "year"]:
        return self._precision

    @property
    def when(self) -> When:
        """The date as it is shown and published: as precise as written, and which of the day's meetings."""
        return When(self.date, self.precision, self.sequence)

    @property
    def bodies(self) -> list[str]:
        """Every body of the meeting: one, or several for a joint meeting (fællesmøde)."""
        return [self.body] if isinstance(self.body, str) else list(self.body)

    @property
    def home(self) -> str:
        """The body the meeting is filed and published under: the first listed."""
        return self.bodies[0]


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
    draft: Draft = False
    publish_after: PublishAfter = None
    rettelser: Corrections = []
    reviewed_cpr: list[StrictStr] = []


class PageMeta(Strict):
    """Front matter of a plain page."""

    title: Text
    description: Text | None = None
    draft: Draft = False
    publish_after: PublishAfter = None
    rettelser: Corrections = []
    reviewed_cpr: list[StrictStr] = []


Publishable = MeetingMeta | StrategyMeta | PageMeta  # front matter with draft, publish_after and rettelser


# --- Parsed content (plain data, filled by the loader) ---------------------------------


@dataclass(frozen=True, order=True)
class When:
    """A meeting's date as shown: a day, or only a month or year (an old export), and its number that day."""

    date: dt.date  # the first day of the month or year when only that is known: used for sorting only
    precision: Literal["day", "month", "year"] = "day"
    sequence: int | None = None  # 2 for the body's second meeting that day

    @property
    def year(self) -> int:
        return self.date.year

    def isoformat(self) -> str:
        """'2023-10-10', '2014-03' or '2014': as much as is known (a valid HTML <time> value)."""
        return {"year": f"{self.date.year:04d}", "month": self.date.isoformat()[:7]}.get(self.precision, self.date.isoformat())

    def toordinal(self) -> int:
        return self.date.toordinal()


@dataclass(frozen=True)
class LinkRef:
    """A link or image in Markdown, as the editor wrote it."""

    source: str  # content-relative path of the file it is in, e.g. meetings/x/2023-10-10-referat.md
    line: int
    href: str
    text: str
    closed: bool = False  # a `{lukket}` marker followed the link
    item: str | None = None  # number of the agenda item it is in
    image: bool = False
    title: str | None = None  # the link's title ("…" after the target), shown as a tooltip
    index: int = -1  # its number in the file (document order): the placeholder in the rendered HTML
    no_file: bool = False  # a closed bilag listed by title only (`- Titel {lukket}` in a Bilag section): no target


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

    number: str  # as written: "3", "3a", "3.1"
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
        return item_anchor(self.number)


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
    # A dagsorden whose meeting has a referat too (documents.py): published as the meeting's agenda version.
    agenda_version: bool = False

    @property
    def key(self) -> tuple[str, str, str, int]:
        """The document's identity: (home) body, date (as precise as written), kind, and which of the day's meetings."""
        return (self.meta.home, self.meta.when.isoformat(), self.meta.kind, self.meta.sequence or 1)

    @property
    def identity(self) -> str:
        """The meeting's identity, shared by its documents (dagsorden, referat): 'eksempeludvalget/2024-01-22/1'."""
        return f"{self.meta.home}/{self.meta.when.isoformat()}/{self.meta.sequence or 1}"

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
