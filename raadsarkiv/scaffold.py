"""`python build.py new meeting|strategy|body`: start a content file that passes `check` once it is filled in.

A new meeting copies what the body's latest meeting has in common with the
next one: time, place, the standing items (those that recur in the body's
meetings) and the sections the body uses. Guidance is written as HTML
comments, which are never published. A referat for a date that already has a
dagsorden starts as a copy of it (`referat_from_agenda`): read with the build's own
loader and meeting grammar, copied from its source lines, with a decision section added.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import yaml

from .config import DEFAULT_SECTIONS, Vocabulary, load_config
from .i18n import _, ngettext
from .errors import Problem, Problems
from .frontmatter import FrontMatterError, SplitFile, split
from .document import ITEM_HEADING_RE, normalise_heading, parse_meeting
from .loader import _load_meeting, _read
from .model import SLUG_RE, AgendaItem, Content, Meeting
from .unfilled import PLACEHOLDER_TITLE

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
    _parse_unused, blocks = parse_meeting(str(path), parts.body, parts.body_line, Problems())
    for block, _start, _end in blocks:
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
    counts = Counter(title.casefold() for _front, items in parsed for title in {t for t, _names in items})
    positions: dict[str, list[float]] = {}
    for _front, items in parsed:
        for _title, names in items:
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


def _check_slug(value: str) -> None:
    if not SLUG_RE.match(value):
        raise ScaffoldError(_("'{value}' is not a valid name for the file (slug); use lowercase a-z, 0-9 and '-' (æ→ae, ø→oe, å→aa)",
                              value=value))


def _date(value: str) -> dt.date:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise ScaffoldError(_("'{value}' is not a date; write it YYYY-MM-DD, e.g. 2024-03-07", value=value))
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ScaffoldError(_("'{value}' is not a real date; write it YYYY-MM-DD, e.g. 2024-03-07", value=value)) from None


def _write_new(path: Path, text: str) -> None:
    """Create `path`; never overwrite an existing file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8") as handle:
            handle.write(text)
    except FileExistsError:
        raise ScaffoldError(_("{file} already exists; nothing was changed (edit that file, or pick another name)", file=path)) from None


def _yaml_text(value: str) -> str:
    """A YAML scalar in double quotes."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _section_hint(name: str, body: str, date: dt.date) -> str:
    if name == "Bilag":
        return f"<!-- - [Bilagets titel](../../bilag/{body}/{date.isoformat()}/filnavn.pdf) -->"
    return f"<!-- Skriv punktets {name.lower()} her, eller slet overskriften. -->"


def meeting_text(body: str, date: dt.date, kind: str, plan: Outline, sequence: int | None = None) -> str:
    """The text of a new meeting file."""
    lines = ["---", f"body: {body}", f"date: {date.isoformat()}", f"kind: {kind}"]
    lines += [f"sequence: {sequence}                 # the body's meeting number {sequence} that day"] if sequence else []
    for key in ("start", "end"):
        lines.append(f"{key}: {_yaml_text(plan.front[key])}" if key in plan.front else f'# {key}: "16:00"')
    lines.append(f"place: {_yaml_text(plan.front['place'])}" if "place" in plan.front else "# place: Rådhuset, mødelokale 1")
    lines += [
        *PRESENCE_HINTS["present"],
        *PRESENCE_HINTS["absent"],
        "---",
        "",
        "<!-- Ét punkt pr. '## <nummer>. <titel>'. Et lukket punkt: '## 3. Titel {lukket}'.",
        "     Bilag lægges i content/bilag/" + f"{body}/{date.isoformat()}/ og linkes under '### Bilag'. -->",
        "",
    ]
    new_item = (PLACEHOLDER_TITLE, plan.sections)  # unfilled.py: `check` reports it until the editor writes a title
    items = [*plan.items[:-1], new_item, plan.items[-1]] if len(plan.items) > 1 else [*plan.items, new_item]
    for number, (title, sections) in enumerate(items, start=1):
        lines += [f"## {number}. {title}", ""]
        for name in sections:
            lines += [f"### {name}", "", _section_hint(name, body, date), ""]
    return "\n".join(lines)


PRESENCE_HINTS = {
    "start": ['# start: "16:00"'],
    "end": ['# end: "18:00"'],
    "place": ["# place: Rådhuset, mødelokale 1"],
    "present": [
        "# present:                 # hvem deltog: et navn, eller name/role/party",
        "#   - name: Navn Navnesen",
        "#     role: formand         # formand | næstformand | medlem | stedfortræder | observatør | referent | fra administrationen",
    ],
    "absent": [
        "# absent:                  # hvem var fraværende, hvorfor, og hvem mødte i stedet",
        "#   - name: Navn Navnesen",
        "#     absence: afbud        # afbud | uden afbud | forfald",
        "#     substitute: Navn Navnesen",
    ],
}
# Keys of the dagsorden that describe the agenda rather than the meeting: carried over as comments.
AGENDA_ONLY = {
    "source": "# Dagsordenens kilde (source); skriv referatets kilde her i stedet:",
    "note": "# Dagsordenens bemærkning (note); gælder den også referatet, så slet '# ' foran linjerne:",
}


def _vocabulary(root: Path) -> Vocabulary:
    config = load_config(root, Problems())
    return config.vocabulary if config else Vocabulary()


def decision_section(vocabulary: Vocabulary) -> str | None:
    """The name a new decision section gets: the first of `sections` that is a decision section."""
    return next((name for name in vocabulary.sections if vocabulary.is_decision(name)), None)


def _load(shown: str, split_file: SplitFile | None, vocabulary: Vocabulary, problems: Problems) -> Meeting | None:
    """A meeting file through the build's own loader (front matter model, meeting grammar, CPR scan)."""
    if split_file is None:
        return None
    content = Content()
    _load_meeting(shown, shown.removeprefix("content/"), split_file, content, vocabulary, problems)
    return content.meetings[0] if content.meetings else None


def _front_matter_lines(split_file: SplitFile) -> list[str]:
    """The dagsorden's front matter as written, with `kind: referat`; source and note become comments."""
    front, lines = split_file.front, split_file.lines
    close = split_file.body_line - 1  # the file line of the closing ---
    keys = sorted((line, str(path[0])) for path, line in front.lines.items() if len(path) == 1)
    starts = [line for line, _ in keys]
    if len(set(starts)) != len(starts):  # flow style ({body: …, date: …}): write the keys out one per line
        data = {key: ("referat" if key == "kind" else value) for key, value in front.data.items() if key not in AGENDA_ONLY}
        out = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, default_flow_style=False).rstrip("\n").split("\n")
    else:
        out = lines[1: starts[0] - 1] if starts else []  # comments before the first key
        for (start, key), end in zip(keys, [*starts[1:], close]):
            block = lines[start - 1: end - 1]
            if key == "kind":
                out.append("kind: referat")
            elif key in AGENDA_ONLY:
                out += [AGENDA_ONLY[key], *(f"# {line}" if line.strip() else line for line in block)]
            else:
                out += block
    for key, hint in PRESENCE_HINTS.items():
        if key not in front.data:
            out += hint
    return ["---", *out, "---"]


def _decision_hint(item: AgendaItem) -> str:
    if item.closed and not item.public_decision:
        return "<!-- Skriv beslutningen her. Punktet er lukket: beslutningen offentliggøres ikke. -->"
    return "<!-- Skriv beslutningen her. -->"


def _strip_blank(lines: list[str]) -> list[str]:
    while lines and not lines[-1].strip():
        lines = lines[:-1]
    return lines


def _item_lines(item: AgendaItem, source: list[str], decision: str | None) -> list[str]:
    """The item's Markdown as written (heading and markers included); a decision section added if it has none."""

    def lines(start: int, end: int) -> list[str]:
        return source[start - 1: end - 1]

    if decision is None or any(section.decision for section in item.sections):
        return lines(item.line, item.end_line)
    last = item.sections[-1] if item.sections else None
    cut = last.line if last is not None and last.name.casefold() == "bilag" else item.end_line  # the decision goes before Bilag
    before = _strip_blank(lines(item.line, cut))
    return [*before, "", f"### {decision}", "", _decision_hint(item), "", *lines(cut, item.end_line)]


def _shape(meeting: Meeting) -> list[tuple]:
    return [(i.number, i.title, i.closed, i.public_decision, i.meta) for i in meeting.items]


def referat_from_agenda(root: Path, agenda: Path, target: Path) -> str:
    """The text of a referat that starts from the day's dagsorden.

    The dagsorden is read by the build's own loader (the one meeting grammar), and must have
    no errors. Its front matter, intro and items are copied as written: item numbers, titles,
    markers ({lukket}, {lukket offentlig-beslutning}), case metadata, text and sections. Each
    item without a decision section gets an empty one. The result is loaded again before it is
    returned: it must have no errors, and every item must be as open or closed as in the dagsorden.
    """
    vocabulary = _vocabulary(root)
    shown = agenda.relative_to(root).as_posix()
    problems = Problems()
    split_file = _read(agenda, shown, problems)
    meeting = _load(shown, split_file, vocabulary, problems)
    if problems.errors or meeting is None or split_file is None:
        first = problems.errors[0] if problems.errors else Problem(shown, 1, _("could not be read"))
        count = len(problems.errors)
        raise ScaffoldError(ngettext(
            "cannot start the referat from {file}: it has {n} error, the first is\n  {problem}\nfix the dagsorden "
            "(`python build.py check` lists every error) and run the command again; nothing was written",
            "cannot start the referat from {file}: it has {n} errors, the first is\n  {problem}\nfix the dagsorden "
            "(`python build.py check` lists every error) and run the command again; nothing was written",
            count, file=shown, problem=first.format()))
    decision = decision_section(vocabulary)
    source = split_file.lines
    first_item = meeting.items[0].line if meeting.items else len(source) + 1
    intro = _strip_blank(source[split_file.body_line - 1: first_item - 1])
    lines = [*_front_matter_lines(split_file), *intro, ""] if intro else [*_front_matter_lines(split_file), ""]
    for item in meeting.items:
        lines += _item_lines(item, source, decision)
    text = "\n".join(_strip_blank(lines)) + "\n"

    made_shown = target.relative_to(root).as_posix()
    made_problems = Problems()
    try:
        made = _load(made_shown, split(text), vocabulary, made_problems)
    except FrontMatterError as exc:
        made, made_problems = None, Problems()
        made_problems.error(made_shown, exc.line, exc.message)
    wrong = made_problems.errors[0].format() if made_problems.errors else None
    if wrong is None and (made is None or _shape(made) != _shape(meeting)):
        wrong = _("its items (numbers, titles, markers, case metadata) differ from the dagsorden's")
    undecided = [item.number for item in made.items if not any(s.decision for s in item.sections)] if made and decision else []
    if wrong is None and undecided:
        wrong = _("item {number} would have no decision section: the added '{heading}' is not read as one; "
                  "is a <!-- comment in the dagsorden not closed with -->?", number=undecided[0], heading=f"### {decision}")
    if wrong is not None:
        raise ScaffoldError(_("cannot start the referat from {file}: the copy would not pass check ({problem}); nothing was written",
                              file=shown, problem=wrong))
    return text


def new_meeting(root: Path, body: str, date: str, kind: str = "referat", sequence: int | None = None) -> list[Path]:
    """Create content/meetings/<body>/<date>-<kind>[-<sequence>].md (and the bilag folder); returns what was created.

    A referat whose meeting has a dagsorden (the same date and sequence) starts as a copy of it."""
    bodies = _bodies(root)
    if body not in bodies:
        valid = ", ".join(bodies) or _("(none yet: create one with `python build.py new body`)")
        raise ScaffoldError(_("unknown body '{body}'; valid bodies: {valid}", body=body, valid=valid))
    if kind not in KINDS:
        raise ScaffoldError(_("unknown kind '{kind}'; expected referat or dagsorden", kind=kind))
    day = _date(date)
    if sequence is not None and sequence < 2:
        raise ScaffoldError(_("--sequence {sequence}: leave it out for the body's first meeting that day; "
                              "--sequence 2 starts its second (3 a third)", sequence=sequence))
    extra = f"-{sequence}" if sequence else ""
    path = root / "content" / "meetings" / body / f"{day.isoformat()}-{kind}{extra}.md"
    if path.exists():
        following = (sequence or 1) + 1
        raise ScaffoldError(_("{file} already exists; nothing was changed (edit that file, or if the body met again that day, "
                              "start that meeting with --sequence {following})", file=path.relative_to(root), following=following))
    agenda = path.with_name(f"{day.isoformat()}-dagsorden{extra}.md")
    if kind == "referat" and agenda.exists():
        text = referat_from_agenda(root, agenda, path)
    else:
        text = meeting_text(body, day, kind, outline(root, body, kind), sequence)
    _write_new(path, text)
    created = [path]
    if (root / "content" / "bilag" / body).is_dir():
        folder = root / "content" / "bilag" / body / day.isoformat()
        if not folder.exists():
            folder.mkdir(parents=True)
            created.append(folder)
    return created


def new_body(root: Path, slug: str, name: str, organisation: str, body_type: str = "udvalg") -> list[Path]:
    """Create content/bodies/<slug>.md."""
    _check_slug(slug)
    config = load_config(root, Problems())
    organisations = sorted(config.organisations) if config else []
    if organisation not in organisations:
        raise ScaffoldError(_("unknown organisation '{organisation}'; valid organisations: {valid}", organisation=organisation,
                              valid=", ".join(organisations) or _("(none in site_config.yaml)")))
    if body_type not in BODY_TYPES:
        raise ScaffoldError(_("unknown type '{type}'; expected one of: {types}", type=body_type, types=", ".join(BODY_TYPES)))
    path = root / "content" / "bodies" / f"{slug}.md"
    text = (
        f"---\nname: {_yaml_text(name)}\norganisation: {organisation}\ntype: {body_type}\n---\n\n"
        f"<!-- Skriv et par linjer om, hvad {name} er og gør. Teksten vises øverst på siden. -->\n"
    )
    _write_new(path, text)
    return [path]


def new_strategy(root: Path, slug: str, title: str, organisation: str) -> list[Path]:
    """Create content/strategies/<slug>.md with a vision and one goal with a stable anchor."""
    _check_slug(slug)
    config = load_config(root, Problems())
    organisations = sorted(config.organisations) if config else []
    if organisation not in organisations:
        raise ScaffoldError(_("unknown organisation '{organisation}'; valid organisations: {valid}", organisation=organisation,
                              valid=", ".join(organisations) or _("(none in site_config.yaml)")))
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
