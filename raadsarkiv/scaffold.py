"""`python build.py new meeting|strategy|body`: start a content file that already passes `check`.

A new meeting copies what the body's latest meeting has in common with the
next one: time, place, the standing items (those that recur in the body's
meetings) and the sections the body uses. Guidance is written as HTML
comments, which are never published. A referat for a date that already has a
dagsorden starts from that dagsorden's items.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from .config import DEFAULT_SECTIONS, load_config
from .errors import Problems
from .frontmatter import FrontMatterError, split
from .document import ITEM_HEADING_RE, normalise_heading, parse_meeting
from .model import SLUG_RE

KINDS = ("referat", "dagsorden")
BODY_TYPES = ("råd", "udvalg", "byråd", "bestyrelse", "andet")
DEFAULT_ITEMS = ["Godkendelse af dagsorden", "Eventuelt"]


class ScaffoldError(Exception):
    """A `new` command that cannot be carried out; the message says why and what to do."""


@dataclass
class Outline:
    """What a body's existing meetings have in common."""

    front: dict[str, str]  # start, end, place of the latest meeting
    items: list[tuple[str, list[str]]]  # standing items (title, sections) in the order of the latest meeting
    sections: list[str]  # the sections the body's items usually have, in their usual order


def _sections(root: Path) -> list[str]:
    config = load_config(root, Problems())
    return list(config.sections) if config else DEFAULT_SECTIONS


def _bodies(root: Path) -> list[str]:
    folder = root / "content" / "bodies"
    return sorted(path.stem for path in folder.glob("*.md")) if folder.is_dir() else []


def _parse(path: Path) -> tuple[dict, list[tuple[str, list[str]]]]:
    """Front matter and (item title, section names) of a meeting file; empty if unreadable."""
    try:
        parts = split(path.read_text(encoding="utf-8").replace("\r\n", "\n"))
    except (OSError, UnicodeDecodeError, FrontMatterError):
        return {}, []
    items: list[tuple[str, list[str]]] = []
    _, blocks = parse_meeting(str(path), parts.body, parts.body_line, Problems())
    for block, _, _ in blocks:
        item = ITEM_HEADING_RE.match(normalise_heading(block.heading)) if block.kind == "item" else None
        if item:
            items.append(((item.group("title") or "").strip(), []))
        elif block.kind == "section" and items:
            items[-1][1].append(normalise_heading(block.heading))
    return parts.front.data, items


def _for_kind(sections: list[str], kind: str, vocabulary: list[str]) -> list[str]:
    """An agenda has no decisions yet; minutes always have one."""
    if kind == "dagsorden":
        return [name for name in sections if name != "Beslutning"] or [name for name in vocabulary if name == "Indstilling"]
    if "Beslutning" in vocabulary and "Beslutning" not in sections:
        return [*sections, "Beslutning"]
    return sections


def outline(root: Path, body: str, kind: str) -> Outline:
    """Learn the body's usual time, place, standing items and sections from its meetings."""
    vocabulary = _sections(root)
    canonical = {name.casefold(): name for name in vocabulary}
    files = sorted((root / "content" / "meetings" / body).glob("*.md"))
    parsed = [_parse(path) for path in files]
    counts = Counter(title.casefold() for _, items in parsed for title in {t for t, _ in items})
    positions: dict[str, list[float]] = {}
    for _, items in parsed:
        for _, names in items:
            for index, name in enumerate(names):
                if name.casefold() in canonical:
                    positions.setdefault(canonical[name.casefold()], []).append(index / max(len(names) - 1, 1))
    usual = sorted(positions, key=lambda name: (sum(positions[name]) / len(positions[name]), vocabulary.index(name)))
    sections = usual or [name for name in vocabulary if name in ("Sagsfremstilling", "Indstilling", "Beslutning")] or vocabulary[:1]
    latest_front, latest_items = parsed[-1] if parsed else ({}, [])
    front = {key: str(latest_front[key]) for key in ("start", "end", "place") if isinstance(latest_front.get(key), str)}
    standing = [
        (title, _for_kind([canonical[n.casefold()] for n in names if n.casefold() in canonical], kind, vocabulary))
        for title, names in latest_items if counts[title.casefold()] > 1
    ] if len(parsed) > 1 else []
    defaults = [(title, _for_kind(["Beslutning"], kind, vocabulary) or sections[:1]) for title in DEFAULT_ITEMS]
    return Outline(front, standing or defaults, _for_kind(sections, kind, vocabulary))


def _check_slug(value: str, what: str) -> None:
    if not SLUG_RE.match(value):
        raise ScaffoldError(f"'{value}' is not a valid {what}; use lowercase a-z, 0-9 and '-' (æ→ae, ø→oe, å→aa)")


def _date(value: str) -> dt.date:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise ScaffoldError(f"'{value}' is not a date; write it YYYY-MM-DD, e.g. 2024-03-07")
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ScaffoldError(f"'{value}' is not a real date; write it YYYY-MM-DD, e.g. 2024-03-07") from None


def _write_new(path: Path, text: str) -> None:
    """Create `path`; never overwrite an existing file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8") as handle:
            handle.write(text)
    except FileExistsError:
        raise ScaffoldError(f"{path} already exists; nothing was changed (edit that file, or pick another name)") from None


def _yaml_text(value: str) -> str:
    """A YAML scalar in double quotes."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _section_hint(name: str, body: str, date: dt.date) -> str:
    if name == "Bilag":
        return f"<!-- - [Bilagets titel](../../bilag/{body}/{date.isoformat()}/filnavn.pdf) -->"
    return f"<!-- Skriv punktets {name.lower()} her, eller slet overskriften. -->"


def meeting_text(body: str, date: dt.date, kind: str, plan: Outline, items: list[tuple[str, list[str]]] | None = None) -> str:
    """The text of a new meeting file."""
    lines = ["---", f"body: {body}", f"date: {date.isoformat()}", f"kind: {kind}"]
    for key in ("start", "end"):
        lines.append(f"{key}: {_yaml_text(plan.front[key])}" if key in plan.front else f'# {key}: "16:00"')
    lines.append(f"place: {_yaml_text(plan.front['place'])}" if "place" in plan.front else "# place: Rådhuset, mødelokale 1")
    lines += [
        "# present:                 # hvem deltog",
        "#   - Navn Navnesen",
        "# absent:                  # hvem var fraværende, og hvem mødte i stedet",
        "#   - name: Navn Navnesen",
        "#     substitute: Navn Navnesen",
        "---",
        "",
        "<!-- Ét punkt pr. '## <nummer>. <titel>'. Et lukket punkt: '## 3. Titel {lukket}'.",
        "     Bilag lægges i content/bilag/" + f"{body}/{date.isoformat()}/ og linkes under '### Bilag'. -->",
        "",
    ]
    if items is None:
        new_item = ("Titel på punktet", plan.sections)
        items = [*plan.items[:-1], new_item, plan.items[-1]] if len(plan.items) > 1 else [*plan.items, new_item]
    for number, (title, sections) in enumerate(items, start=1):
        lines += [f"## {number}. {title}", ""]
        for name in sections:
            lines += [f"### {name}", "", _section_hint(name, body, date), ""]
    return "\n".join(lines)


def new_meeting(root: Path, body: str, date: str, kind: str = "referat") -> list[Path]:
    """Create content/meetings/<body>/<date>-<kind>.md (and the bilag folder); returns what was created."""
    bodies = _bodies(root)
    if body not in bodies:
        valid = ", ".join(bodies) or "(none yet: create one with `python build.py new body`)"
        raise ScaffoldError(f"unknown body '{body}'; valid bodies: {valid}")
    if kind not in KINDS:
        raise ScaffoldError(f"unknown kind '{kind}'; expected referat or dagsorden")
    day = _date(date)
    path = root / "content" / "meetings" / body / f"{day.isoformat()}-{kind}.md"
    if path.exists():
        raise ScaffoldError(f"{path.relative_to(root)} already exists; nothing was changed")
    plan = outline(root, body, kind)
    items = None
    agenda = path.with_name(f"{day.isoformat()}-dagsorden.md")
    if kind == "referat" and agenda.exists():
        _, agenda_items = _parse(agenda)
        decision = ["Beslutning"] if "Beslutning" in _sections(root) else []
        items = [(title, [s for s in names if s != "Beslutning"] + decision) for title, names in agenda_items] or None
    _write_new(path, meeting_text(body, day, kind, plan, items))
    created = [path]
    if (root / "content" / "bilag" / body).is_dir():
        folder = root / "content" / "bilag" / body / day.isoformat()
        if not folder.exists():
            folder.mkdir(parents=True)
            created.append(folder)
    return created


def new_body(root: Path, slug: str, name: str, organisation: str, body_type: str = "udvalg") -> list[Path]:
    """Create content/bodies/<slug>.md."""
    _check_slug(slug, "body name for the file (slug)")
    config = load_config(root, Problems())
    organisations = sorted(config.organisations) if config else []
    if organisation not in organisations:
        raise ScaffoldError(f"unknown organisation '{organisation}'; valid organisations: {', '.join(organisations) or '(none in site_config.yaml)'}")
    if body_type not in BODY_TYPES:
        raise ScaffoldError(f"unknown type '{body_type}'; expected one of: {', '.join(BODY_TYPES)}")
    path = root / "content" / "bodies" / f"{slug}.md"
    text = (
        f"---\nname: {_yaml_text(name)}\norganisation: {organisation}\ntype: {body_type}\n---\n\n"
        f"<!-- Skriv et par linjer om, hvad {name} er og gør. Teksten vises øverst på siden. -->\n"
    )
    _write_new(path, text)
    return [path]


def new_strategy(root: Path, slug: str, title: str, organisation: str) -> list[Path]:
    """Create content/strategies/<slug>.md with a vision and one goal with a stable anchor."""
    _check_slug(slug, "strategy name for the file (slug)")
    config = load_config(root, Problems())
    organisations = sorted(config.organisations) if config else []
    if organisation not in organisations:
        raise ScaffoldError(f"unknown organisation '{organisation}'; valid organisations: {', '.join(organisations) or '(none in site_config.yaml)'}")
    path = root / "content" / "strategies" / f"{slug}.md"
    text = "\n".join([
        "---",
        f"title: {_yaml_text(title)}",
        f"organisation: {organisation}",
        "# owner: Kommunen, forvaltningen",
        '# period: "2024-2027"',
        "# adopted: 2024-01-31",
        "status: udkast                 # gældende | udløbet | udkast | ukendt",
        "---",
        "",
        "## Vision {#vision}",
        "",
        "<!-- Strategiens vision. -->",
        "",
        "## Målsætning 1 {#maalsaetning-1}",
        "",
        "<!-- Målsætningen, indsatser og evaluering. Møder linker hertil med",
        f"     ../../strategies/{slug}.md#maalsaetning-1 -->",
        "",
    ])
    _write_new(path, text)
    return [path]
