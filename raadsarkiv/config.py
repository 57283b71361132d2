"""Site settings (`site_config.yaml`)."""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

from pydantic import AfterValidator, AnyHttpUrl, Field, StrictStr, WithJsonSchema, field_validator

from .characters import check_characters
from .errors import Problems
from .frontmatter import FrontMatterError, parse_yaml
from .importer.patterns import ImportSettings
from .model import Strict, Text
from .validation import validate

DEFAULT_SECTIONS = [
    "Resume",
    "Sagsforløb",
    "Sagsfremstilling",
    "Indstilling",
    "Beslutning",
    "Personale",
    "Økonomi",
    "Bilag",
]

# The open data's licence unless site_config.yaml says otherwise (docs/open-data.md).
DEFAULT_DATA_LICENSE = "https://creativecommons.org/licenses/by/4.0/"

# Section names (or `*` patterns) that hold a decision: what {lukket offentlig-beslutning} publishes.
DEFAULT_DECISION_SECTIONS = ["Beslutning", "Beslutning fra *"]


@dataclass(frozen=True)
class Vocabulary:
    """The section headings a meeting item may have, and which of them hold a decision."""

    sections: tuple[str, ...] = tuple(DEFAULT_SECTIONS)
    decisions: tuple[str, ...] = tuple(DEFAULT_DECISION_SECTIONS)

    def name(self, written: str) -> str | None:
        """The section's name as configured (any capitalisation accepted), or None if unknown."""
        for name in self.sections:
            if name.casefold() == written.casefold():
                return name
        return written if self.is_decision(written) else None

    def is_decision(self, name: str) -> bool:
        return any(fnmatch.fnmatchcase(name.casefold(), pattern.casefold()) for pattern in self.decisions)


class Organisation(Strict):
    """A municipality or other organisation that owns bodies and strategies."""

    name: Text
    url: AnyHttpUrl | None = None


class Accessibility(Strict):
    """Who answers for the site's accessibility; shown on the accessibility statement."""

    responsible: Text
    contact_email: Text
    contact_url: AnyHttpUrl | None = None


COLOUR_RE = re.compile(r"#[0-9a-fA-F]{6}")


def _colour(value: str) -> str:
    if not COLOUR_RE.fullmatch(value):
        raise ValueError(f"'{value}' is not a colour; expected six hexadecimal digits after '#', e.g. '#0b4f9c' (quote it in YAML)")
    return value.lower()


Colour = Annotated[StrictStr, AfterValidator(_colour), WithJsonSchema({"type": "string", "pattern": "^#[0-9a-fA-F]{6}$"})]


class Colours(Strict):
    """The default theme's colours in the light scheme (the dark scheme and print keep the theme's own).

    Each is a CSS custom property of the theme's style.css (theme.COLOUR_PROPERTIES); unset ones keep
    the theme's colour. A text colour that fails WCAG AA contrast against its background is a warning.
    """

    text: Colour | None = Field(None, description="Body text (--fg)")
    background: Colour | None = Field(None, description="Page background (--bg)")
    muted: Colour | None = Field(None, description="Secondary text: dates, notes (--muted)")
    link: Colour | None = Field(None, description="Links (--link)")
    link_visited: Colour | None = Field(None, description="Visited links (--link-visited)")
    accent: Colour | None = Field(None, description="Buttons (with the background colour as their text) and marks (--accent)")
    panel: Colour | None = Field(None, description="Header, footer, table headings and fact boxes (--panel)")
    focus: Colour | None = Field(None, description="The focus outline (--focus)")


class FooterLink(Strict):
    label: Text
    url: AnyHttpUrl


class Footer(Strict):
    """The organisation's own footer, shown above the archive's footer links on every page."""

    lines: list[Text] = Field(default=[], description="Lines of text, e.g. the name, address and telephone number")
    links: list[FooterLink] = Field(default=[], description="Links, e.g. the municipality's website and its privacy policy")


class Theme(Strict):
    """The default theme's settings: colours, logo and footer, without a template of one's own (docs/theming.md)."""

    colours: Colours = Field(default_factory=Colours)
    logo: Text | None = Field(None, description="A file in static/ shown before the site title, e.g. logo.svg")
    footer: Footer = Field(default_factory=Footer)


class SiteConfig(Strict):
    """Site settings."""

    title: Text = "Rådsarkiv"
    tagline: Text | None = None
    base_url: AnyHttpUrl = Field(description="Public address, ending in /; may include a sub-path")
    organisations: dict[str, Organisation]
    sections: list[Text] = Field(default=DEFAULT_SECTIONS, min_length=1)
    decision_sections: list[Text] = Field(
        default=DEFAULT_DECISION_SECTIONS, min_length=1,
        description="Section names holding a decision; '*' matches any text, e.g. 'Beslutning fra *'",
    )
    shared_case_numbers: list[Text] = Field(
        default=[],
        description="Case numbers that many unrelated items share (a whole year filed under one case): shown on the items, "
                    "but never used to link them as one case; '*' matches any text, e.g. '00.01.00-A00-*'",
    )
    accessibility: Accessibility
    data_license: AnyHttpUrl = Field(
        default=AnyHttpUrl(DEFAULT_DATA_LICENSE),
        description="Licence of the open data under data/ (a URL, in the OParl System and Body objects); "
                    "default: Creative Commons Attribution 4.0 (CC BY 4.0)",
    )
    theme: Theme = Field(default_factory=Theme)
    import_: ImportSettings = Field(
        default_factory=ImportSettings, alias="import",
        description="Patterns `python build.py import` recognises minutes by (regular expressions); see docs/importing.md",
    )

    def is_shared_case(self, number: str, also: list[str] | None = None) -> bool:
        """Whether items with this case number are not one case: `shared_case_numbers` of the site, or
        `also` (a meeting file's own `shared_case_numbers`)."""
        return any(fnmatch.fnmatchcase(number, pattern) for pattern in [*self.shared_case_numbers, *(also or [])])

    @field_validator("base_url")
    @classmethod
    def _ends_with_slash(cls, value: AnyHttpUrl) -> AnyHttpUrl:
        if not str(value).endswith("/"):
            raise ValueError(f"base_url must end with '/', e.g. {value}/")
        return value

    @property
    def vocabulary(self) -> Vocabulary:
        return Vocabulary(tuple(self.sections), tuple(self.decision_sections))

    @property
    def base_path(self) -> str:
        """The URL path the site lives under: '/' or '/raadsarkiv/'."""
        return self.base_url.path or "/"


CONFIG_FILE = "site_config.yaml"


def load_config(root: Path, problems: Problems) -> SiteConfig | None:
    """Read and validate site_config.yaml; problems are recorded, not raised."""
    path = root / CONFIG_FILE
    try:
        text = path.read_bytes().decode("utf-8")  # not read_text: it would turn a stray CR into a line break
    except FileNotFoundError:
        problems.error(CONFIG_FILE, 1, "site_config.yaml is missing: this is not an archive folder; run the command in one (or give it with --site DIR), or start a new archive with `raadsarkiv init DIR`")
        return None
    except UnicodeDecodeError:
        problems.error(CONFIG_FILE, 1, "file is not UTF-8 text; save it as UTF-8")
        return None
    text = text.removeprefix("\ufeff")
    if check_characters(text, CONFIG_FILE, problems):
        return None
    text = text.replace("\r\n", "\n")
    try:
        front = parse_yaml(text, what=CONFIG_FILE)
    except FrontMatterError as exc:
        problems.error(CONFIG_FILE, exc.line, exc.message)
        return None
    return validate(SiteConfig, front, CONFIG_FILE, problems)
