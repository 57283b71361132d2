"""Read content/ into the content model, recording every problem on the way."""

from __future__ import annotations

import difflib
import hashlib
import multiprocessing
import os
import re
from concurrent.futures import ProcessPoolExecutor
from functools import partial
from pathlib import Path
from typing import TypeVar

from .attendance import check_attendance, check_votes
from .characters import check_characters
from .errors import Problem, Problems
from .files import walk
from .i18n import Language, _, message_language, messages_in
from .frontmatter import FrontMatterError, SplitFile, split
from .buildcache import DiskCache
from .config import Vocabulary
from .decisions import decided_by
from .document import ITEM_HEADING_RE, ITEM_MARKERS, STRAY_MARKER_RE, Block, normalise_heading, parse_document, parse_meeting, plain, shown
from .markdown import slugify
from urllib.parse import unquote

from .public import Fragment, _is_public_link, published_fragments, published_front_matter, scan_cpr
from .model import (
    ITEM_NUMBER_HINT,
    AgendaItem,
    Body,
    BodyMeta,
    Content,
    ItemMeta,
    LinkRef,
    Meeting,
    MeetingMeta,
    Page,
    PageMeta,
    Section,
    Strategy,
    StrategyMeta,
    item_order,
    item_parents,
)
from .validation import validate

BILAG_DIR = "bilag"
M = TypeVar("M", BodyMeta, MeetingMeta, StrategyMeta, PageMeta)


def _read(path: Path, rel: str, problems: Problems) -> SplitFile | None:
    """Read a UTF-8 content file and split off its front matter."""
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[: exc.start].count(b"\n") + 1
        problems.error(
            rel, line,
            _("file is not UTF-8 text (byte {byte} on this line; probably saved as Latin-1 or Windows-1252); "
              "save it with UTF-8 encoding", byte=f"0x{exc.object[exc.start]:02x}"),
        )
        return None
    text = text.removeprefix("\ufeff")
    if check_characters(text, rel, problems):
        return None  # nothing of a file with invisible characters is published
    text = text.replace("\r\n", "\n")
    try:
        return split(text)
    except FrontMatterError as exc:
        problems.error(rel, exc.line, exc.message)
        return exc.split_file  # the body, when it could be found, is still checked (front_failed)


def parse_meeting_body(
    rel: str, body: str, body_line: int, meta: MeetingMeta, vocabulary: Vocabulary, problems: Problems,
    item_lines: dict[str, int] | None = None,
) -> tuple[str, list[AgendaItem], list[LinkRef]]:
    """The meeting grammar over the one parse: intro, then `## <number>. <title> {markers}` items with `###` sections."""
    parse, spans = parse_meeting(rel, body, body_line, problems)
    lines = body.split("\n")
    intro_html = ""
    items: list[AgendaItem] = []
    current: AgendaItem | None = None
    seen_numbers: dict[str, int] = {}
    for block, _start, _end in spans:
        source = "\n".join(lines[block.line - body_line + (block.kind != "intro"): block.end_line - body_line])
        if block.kind == "intro":
            intro_html = block.html
        elif block.kind == "item":
            current = _item(rel, block, meta, items, seen_numbers, problems)
            if current is not None:
                current.intro_html = block.html
                current.intro_source = source if current.closed else ""
                items.append(current)
        elif current is None:
            if not any(b.kind == "item" and b.line < block.line for b, _start, _end in spans):
                problems.error(rel, block.line, _("section heading (###) before the first item; start an item with '## <number>. <title>'"))
            # else: its item heading could not be read, which was reported already
        else:
            _section(rel, block, current, vocabulary, source, problems)
    for item, following in zip(items, [*items[1:], None]):
        item.end_line = following.line if following else body_line + len(lines)
        if item.public_decision and not any(section.decision for section in item.sections):
            problems.error(rel, item.line, _("item is marked {lukket offentlig-beslutning} but has no decision section "
                                             "({sections}); add one, or write {lukket}", sections=", ".join(vocabulary.decisions)))
    _check_closed_titles(rel, items, parse.links, problems)
    for number in meta.items:
        if number not in seen_numbers:
            problems.error(rel, item_lines.get(number, 1) if item_lines else 1,
                           _("'items.{number}' in the front matter, but there is no item {number} in the text", number=number))
    return intro_html, items, parse.links


def _check_closed_titles(rel: str, items: list[AgendaItem], links: list[LinkRef], problems: Problems) -> None:
    """A closed bilag listed by title only (`- Titel {lukket}`) belongs in an item's Bilag section."""
    by_number = {item.number: item for item in items}
    for link in links:
        if not link.no_file:
            continue
        item = by_number.get(link.item) if link.item is not None else None
        section = max((s for s in item.sections if s.line <= link.line), key=lambda s: s.line, default=None) if item else None
        if section is None or section.name.casefold() != "bilag":
            problems.error(rel, link.line, _("'- {title} {lukket}' lists a closed bilag by its title, which works only in an "
                                             "item's Bilag section (### Bilag); for a public bilag, link its file: "
                                             "'- [Titel](../../bilag/…/fil.pdf)'", title=shown(link.text[:60])))


def _item(
    rel: str, block: Block, meta: MeetingMeta, items: list[AgendaItem], seen: dict[str, int], problems: Problems,
) -> AgendaItem | None:
    """An item from its heading; every heading at item level must be one, with exact markers or none."""
    text = normalise_heading(block.heading)
    match = ITEM_HEADING_RE.match(text)
    if match is None:
        if "{" in text or "}" in text:
            problems.error(rel, block.line, _("item heading '{heading}' has something in braces that is not a marker; the "
                                              "marker goes last, exactly {lukket} or {lukket offentlig-beslutning}: "
                                              "'## 3. Titel {lukket}'", heading=shown(text)))
            # Still an item (closed, as any marker makes it), so its sections and anchors cause no further errors.
            match = ITEM_HEADING_RE.match(re.sub(r"\s*\{.*$", " {lukket}", text))
            if match is None:
                return None
        else:
            problems.error(rel, block.line, _("item heading '{heading}' must be '## <number>. <title>', where the number is "
                                              "{hint}; e.g. '## 3. Godkendelse af referat' or '## 3a. Tillægspunkt'",
                                              heading=shown(text), hint=_(ITEM_NUMBER_HINT)))
            return None
    number, title = match.group("number"), (match.group("title") or "").strip()
    words = (match.group("markers") or "").replace(",", " ").split()
    if match.group("markers") is not None and not words:
        problems.error(rel, block.line, _("empty marker {}; expected {lukket} or {lukket offentlig-beslutning}"))
    for word in words:
        if word not in ITEM_MARKERS:
            problems.error(rel, block.line, _("unknown item marker '{marker}'; expected {lukket} or {lukket offentlig-beslutning}",
                                              marker="{" + shown(word) + "}"))
    if "offentlig-beslutning" in words and "lukket" not in words:
        problems.error(rel, block.line, _("marker 'offentlig-beslutning' is only meaningful on a closed item: "
                                          "write {lukket offentlig-beslutning}"))
    if not title:
        problems.error(rel, block.line, _("item has no title; expected '## <number>. <title>'"))
    elif STRAY_MARKER_RE.search(plain(title)):
        problems.error(rel, block.line, _("item title '{title}' says 'lukket' in brackets, which is not a marker (the item "
                                          "would be published); write {lukket} after the title: '## 3. Titel {lukket}'",
                                          title=shown(title)))
    if number in seen:
        problems.error(rel, block.line, _("item number {number} is used twice (also on line {line})", number=number, line=seen[number]))
    elif items and item_order(number) <= item_order(items[-1].number):
        problems.error(rel, block.line, _("item number {number} comes after {previous}; numbers must increase "
                                          "(3, 3a, 3b, 3.1, 3.2, 4 …; gaps are fine)", number=number, previous=items[-1].number))
    seen.setdefault(number, block.line)
    # Any marker at all closes the item: an unknown one is an error, and until it is fixed the item is never open.
    closed = bool(words) or match.group("markers") is not None
    parent = next((item for item in reversed(items) if item.closed and item.number in item_parents(number)), None)
    if parent is not None and not closed:
        problems.error(rel, block.line, _("item {number} is a sub-item of closed item {parent} (line {line}) but is not "
                                          "marked closed; write {lukket} after its title too ('## {number} {title} {lukket}'), "
                                          "or open item {parent}", number=number, parent=parent.number, line=parent.line,
                                          title=shown(title[:40])))
        closed = True  # until it is fixed, the sub-item of a closed item is never open
    return AgendaItem(
        number=number,
        title=title,
        line=block.line,
        closed=closed,
        public_decision=words == ["lukket", "offentlig-beslutning"] or sorted(words) == ["lukket", "offentlig-beslutning"],
        meta=meta.items.get(number, ItemMeta()),
    )


def _section(rel: str, block: Block, item: AgendaItem, vocabulary: Vocabulary, source: str, problems: Problems) -> None:
    written = normalise_heading(block.heading)
    name = vocabulary.name(written)
    if name is None:
        known = {n.casefold(): n for n in vocabulary.sections}
        close = difflib.get_close_matches(written.casefold(), list(known), n=1)
        values = {"section": shown(written), "sections": ", ".join(vocabulary.sections), "decisions": ", ".join(vocabulary.decisions)}
        if close:
            problems.error(rel, block.line, _("unknown section '{section}'; did you mean '{close}'? expected one of: {sections}, "
                                              "or a decision section ({decisions}) (add other names to `sections` in "
                                              "site_config.yaml)", close=known[close[0]], **values))
        else:
            problems.error(rel, block.line, _("unknown section '{section}'; expected one of: {sections}, or a decision section "
                                              "({decisions}) (add other names to `sections` in site_config.yaml)", **values))
        name = written
    anchor = f"{item.anchor}-{slugify(name)}"
    if any(section.anchor == anchor for section in item.sections):
        problems.error(rel, block.line, _("section '{section}' appears twice in item {number}", section=name, number=item.number))
    decision = vocabulary.is_decision(name)
    decided, problem = decided_by(name) if decision else (None, None)
    if problem:
        problems.warning(rel, block.line, _("decision section '{section}': {problem}", section=shown(name), problem=problem))
    item.sections.append(Section(name, anchor, block.line, block.html, decision, source if item.closed else "", decided))


def load_content(
    root: Path, vocabulary: Vocabulary, problems: Problems, cache: LoadCache | None = None, disk: DiskCache | None = None,
) -> Content:
    """Load every content file under root/content; problems are recorded, not raised."""
    content_dir = root / "content"
    content = Content()
    if cache is not None:
        cache.start()
    if not content_dir.is_dir() and not content_dir.is_symlink():
        problems.error("content", 1, _("there is no content/ folder"))
        return content
    jobs: list[Job] = []
    for path, rel in walk(content_dir, "content", problems):  # regular files only; symlinks are errors
        shown = f"content/{rel}"
        top = rel.split("/", 1)[0]
        if top == BILAG_DIR:
            content.bilag_files.add(rel)
            continue
        if path.suffix != ".md":
            problems.warning(shown, 1, _("not a Markdown (.md) file outside content/bilag/; it is not published"))
            continue
        if top not in LOADERS or rel.count("/") == 0:
            problems.error(shown, 1, _("content files belong in content/bodies, content/meetings, content/strategies or content/pages"))
            continue
        jobs.append((path, shown, rel))
    results = cache.load_many(jobs, vocabulary, disk) if cache is not None else load_files(jobs, vocabulary, disk)
    for part, found in results:
        content.bodies.update(part.bodies)
        content.meetings.extend(part.meetings)
        content.strategies.update(part.strategies)
        content.pages.update(part.pages)
        content.failed.update(part.failed)
        problems.extend(found)
    if cache is not None:
        cache.finish()
    return content


Job = tuple[Path, str, str]  # file, path as shown to editors, path relative to content/
Loaded = tuple[Content, list[Problem]]
# Below this many files, starting worker processes costs more than it saves.
PARALLEL_MIN_FILES = 200


def _load_one(job: Job, vocabulary: Vocabulary, language: Language | None = None) -> Loaded:
    """Load one Markdown content file into a Content of its own, with its problems.

    A worker process is told the message language (`language`): it does not share this process's setting."""
    if language is not None:
        with messages_in(language):
            return _load_one(job, vocabulary)
    path, shown, rel = job
    part, found = Content(), Problems()
    split_file = _read(path, shown, found)
    loaded = split_file is not None and LOADERS[rel.split("/", 1)[0]](shown, rel, split_file, part, vocabulary, found)
    if not loaded:
        part.failed.add(rel)  # reported already; later stages must not report it again as missing
    return part, found.all()


def load_files(jobs: list[Job], vocabulary: Vocabulary, disk: DiskCache | None = None) -> list[Loaded]:
    """Load files in order: from the persistent cache where a file is unchanged, else parse it.

    Parsing runs in worker processes (one per core) when many files need it.
    """
    results: list[Loaded | None] = [None] * len(jobs)
    keys: list[str] = []
    for index, (path, display, _rel) in enumerate(jobs):
        key = DiskCache.key(display.encode(), _bytes(path), repr(vocabulary).encode()) if disk else ""
        keys.append(key)
        if disk:
            hit = disk.get(key)
            if isinstance(hit, tuple) and len(hit) == 2 and isinstance(hit[0], Content):
                results[index] = hit
    missing = [index for index, result in enumerate(results) if result is None]
    for index, loaded in zip(missing, _parse_files([jobs[index] for index in missing], vocabulary)):
        results[index] = loaded
        if disk:
            disk.put(keys[index], loaded)
    return [result for result in results if result is not None]


def _bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError:
        return b""  # reported when the file is loaded


def _parse_files(jobs: list[Job], vocabulary: Vocabulary) -> list[Loaded]:
    workers = min(os.cpu_count() or 1, 8)
    if len(jobs) < PARALLEL_MIN_FILES or workers < 2:
        return [_load_one(job, vocabulary) for job in jobs]
    # forkserver: safe in a process with threads (the live preview), and cheap after the first start.
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("forkserver")) as pool:
        return list(pool.map(partial(_load_one, vocabulary=vocabulary, language=message_language()), jobs, chunksize=max(1, len(jobs) // (workers * 8))))


class LoadCache:
    """Per-file load results, reused while a file's bytes and the section vocabulary stay the same.

    The live preview keeps one across rebuilds so that only edited files are parsed again.
    """

    def __init__(self) -> None:
        self._entries: dict[str, tuple[bytes, Loaded]] = {}
        self.digests: dict[str, bytes] = {}  # shown path -> digest, for the files of the latest load

    def load_many(self, jobs: list[Job], vocabulary: Vocabulary, disk: DiskCache | None = None) -> list[Loaded]:
        """Load files, from the cache where unchanged; results in the order of `jobs`."""
        missing: list[Job] = []
        for job in jobs:
            path, shown, _rel = job
            try:
                data = path.read_bytes()
            except FileNotFoundError:
                continue  # removed while loading (a git checkout); the watcher will ask for another build
            digest = hashlib.blake2b(data + repr(vocabulary).encode(), digest_size=16).digest()
            self.digests[shown] = digest
            entry = self._entries.get(shown)
            if entry is None or entry[0] != digest:
                missing.append(job)
        for job, loaded in zip(missing, load_files(missing, vocabulary, disk)):
            self._entries[job[1]] = (self.digests[job[1]], loaded)
        return [self._entries[shown][1] for _path, shown, _rel in jobs if shown in self.digests]

    def start(self) -> None:
        """Forget which files the previous load saw (entries stay for reuse)."""
        self.digests = {}

    def finish(self) -> None:
        """Drop entries of files the latest load did not see (deleted or renamed)."""
        self._entries = {shown: entry for shown, entry in self._entries.items() if shown in self.digests}


def _key_lines(split_file: SplitFile) -> dict[str, int]:
    """The line of every top-level front-matter key, and of each body of a joint meeting (`body.1`)."""
    lines = {str(path[0]): line for path, line in split_file.front.lines.items() if len(path) == 1}
    lines |= {f"body.{path[1]}": line for path, line in split_file.front.lines.items() if len(path) == 2 and path[0] == "body"}
    return lines


def _slug_of(shown: str, rel: str, problems: Problems) -> str | None:
    slug = Path(rel).stem
    if not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", slug):
        problems.error(shown, 1, _("file name '{name}' is not a slug; use lowercase a-z, 0-9 and '-' (æ→ae, ø→oe, å→aa)", name=slug))
        return None
    return slug


def _meta(model: type[M], shown: str, split_file: SplitFile, problems: Problems) -> M | None:
    """The file's validated front matter, or None (reported) when it cannot be read or is wrong."""
    return None if split_file.front_failed else validate(model, split_file.front, shown, problems)


def _check_body_only(shown: str, split_file: SplitFile, vocabulary: Vocabulary, problems: Problems, kind: str) -> bool:
    """A file whose front matter is wrong: its body's errors are reported together with the front matter's.

    The body is parsed as its loader would (`kind`: meeting, body or document). Nothing that depends on the
    front matter is checked (item metadata, attendance, reviewed CPR numbers), so no follow-on errors
    appear; the file is not loaded (False)."""
    if kind == "meeting":
        parse_meeting_body(shown, split_file.body, split_file.body_line, MeetingMeta.model_construct(), vocabulary, problems)
    else:
        parse_document(shown, split_file.body, split_file.body_line, problems, heading_ids=kind != "body")
    return False


def _load_body(shown: str, rel: str, split_file: SplitFile, content: Content, vocabulary: Vocabulary, problems: Problems) -> bool:
    meta = _meta(BodyMeta, shown, split_file, problems)
    slug = _slug_of(shown, rel, problems)
    if meta and slug:
        parsed = parse_document(shown, split_file.body, split_file.body_line, problems, heading_ids=False)
        _scan_document(shown, split_file, parsed.html, meta.reviewed_cpr, problems, parsed.links)
        content.bodies[slug] = Body(slug, shown, meta, parsed.html, parsed.links, _key_lines(split_file))
        return True
    return _check_body_only(shown, split_file, vocabulary, problems, kind="body") if meta is None else False


def _load_meeting(shown: str, rel: str, split_file: SplitFile, content: Content, vocabulary: Vocabulary, problems: Problems) -> bool:
    meta = _meta(MeetingMeta, shown, split_file, problems)
    if meta is None:
        return _check_body_only(shown, split_file, vocabulary, problems, kind="meeting")
    check_attendance(shown, meta, split_file.front, problems)
    check_votes(shown, meta, split_file.front, problems)
    item_lines = {str(path[1]): line for path, line in split_file.front.lines.items() if len(path) == 2 and path[0] == "items"}
    intro, items, links = parse_meeting_body(shown, split_file.body, split_file.body_line, meta, vocabulary, problems, item_lines)
    first_item = items[0].line if items else split_file.body_line + split_file.body.count("\n") + 1
    fragments = published_fragments((intro, split_file.body_line, first_item), items)
    fragments += published_front_matter(split_file.front, {item.number for item in items if item.closed})
    by_number = {item.number: item for item in items}
    fragments += _link_fragments([link for link in links if _is_public_link(by_number, link)])
    scan_cpr(shown, fragments, split_file.lines, meta.reviewed_cpr, problems)
    if not items:
        problems.error(shown, split_file.body_line, _("meeting has no items; add at least one '## 1. <title>' heading"))
    content.meetings.append(Meeting(shown, meta, intro, items, links, _key_lines(split_file)))
    return True


def _load_strategy(shown: str, rel: str, split_file: SplitFile, content: Content, vocabulary: Vocabulary, problems: Problems) -> bool:
    meta = _meta(StrategyMeta, shown, split_file, problems)
    slug = _slug_of(shown, rel, problems)
    if meta and slug:
        parsed = parse_document(shown, split_file.body, split_file.body_line, problems)
        _scan_document(shown, split_file, parsed.html, meta.reviewed_cpr, problems, parsed.links)
        content.strategies[slug] = Strategy(
            slug, shown, meta, parsed.html, parsed.anchors, parsed.headings, parsed.links, _key_lines(split_file)
        )
        return True
    return _check_body_only(shown, split_file, vocabulary, problems, kind="document") if meta is None else False


def _load_page(shown: str, rel: str, split_file: SplitFile, content: Content, vocabulary: Vocabulary, problems: Problems) -> bool:
    meta = _meta(PageMeta, shown, split_file, problems)
    slug = _slug_of(shown, rel, problems)
    if meta and slug:
        parsed = parse_document(shown, split_file.body, split_file.body_line, problems)
        _scan_document(shown, split_file, parsed.html, meta.reviewed_cpr, problems, parsed.links)
        content.pages[slug] = Page(slug, shown, meta, parsed.html, parsed.anchors, parsed.links)
        return True
    return _check_body_only(shown, split_file, vocabulary, problems, kind="document") if meta is None else False


def _link_fragments(links: list[LinkRef]) -> list[Fragment]:
    """What a published link shows besides its text: its address, its title and an image's alt text."""
    return [
        Fragment(value, link.line, link.line + 1, is_html=False)
        for link in links for value in (unquote(link.href), link.title or "", link.text if link.image else "") if value
    ]


# A template's gap left for the municipality: "[Udfyldes af kommunen: telefonnummer og telefontid]".
PLACEHOLDER_RE = re.compile(r"\[\s*Udfyldes af[^\]]*\]?", re.IGNORECASE)


def _check_placeholders(shown: str, split_file: SplitFile, problems: Problems) -> None:
    """Warn about each placeholder still in the text (the sample's accessibility statement has some)."""
    for number, line in enumerate(split_file.lines, 1):
        for match in PLACEHOLDER_RE.finditer(line):
            text = match.group(0).strip()
            problems.warning(shown, number, _("placeholder '{placeholder}' is still in the text; replace it with your own "
                                              "information (the text in brackets is published as it is)",
                                              placeholder=text if text.endswith("]") else text + " …]"))


def _scan_document(
    shown: str, split_file: SplitFile, html: str, reviewed: list[str], problems: Problems, links: list[LinkRef] = (),  # type: ignore[assignment]
) -> None:
    """CPR scan of a page, strategy or body: all of it is published. Placeholders left in the text are warnings."""
    _check_placeholders(shown, split_file, problems)
    end = split_file.body_line + split_file.body.count("\n") + 1
    fragments = [Fragment(html, split_file.body_line, end), *published_front_matter(split_file.front, set()), *_link_fragments(links)]
    scan_cpr(shown, fragments, split_file.lines, reviewed, problems)


LOADERS = {"bodies": _load_body, "meetings": _load_meeting, "strategies": _load_strategy, "pages": _load_page}
