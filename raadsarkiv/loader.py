"""Read content/ into the content model, recording every problem on the way."""

from __future__ import annotations

import difflib
import hashlib
import multiprocessing
import os
import re
from concurrent.futures import ProcessPoolExecutor
from functools import partial
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from .characters import check_characters
from .errors import Problem, Problems
from .frontmatter import FrontMatterError, SplitFile, split
from .markdown import Rendered, find_line, slugify, strip_link_markers, to_html
from .privacy import scan_cpr
from .model import (
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
)
from .validation import validate

ITEM_RE = re.compile(r"^##[ \t]+(?P<number>[^\s.{]+)\.?(?:[ \t]+(?P<title>.*?))??(?:[ \t]*\{(?P<markers>[^}]*)\})?[ \t]*#*[ \t]*$")
SECTION_RE = re.compile(r"^###[ \t]+(?P<name>.+?)[ \t]*#*[ \t]*$")
FENCE_RE = re.compile(r"^[ \t]{0,3}(```|~~~)")
ITEM_MARKERS = {"lukket", "offentlig-beslutning"}
LINK_MARKERS = {"lukket"}
BILAG_DIR = "bilag"


def _read(path: Path, rel: str, problems: Problems) -> SplitFile | None:
    """Read a UTF-8 content file and split off its front matter."""
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[: exc.start].count(b"\n") + 1
        problems.error(
            rel, line,
            f"file is not UTF-8 text (byte 0x{exc.object[exc.start]:02x} on this line; probably saved as Latin-1 or "
            "Windows-1252); save it with UTF-8 encoding",
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
        return None


def _links(
    rel: str, body: str, file_line: Callable[[int], int], rendered_hrefs: list[tuple[str, str, bool]],
    markers: list[tuple[str, list[str], int]], item: int | None,
) -> list[LinkRef]:
    """Pair the links Markdown found with the lines they are on and their markers (on the same line)."""
    lines = body.split("\n")
    refs: list[LinkRef] = []
    cursor = 0
    for href, text, is_image in rendered_hrefs:
        index = find_line(lines, f"]({href}", cursor)
        if index >= len(lines) or f"]({href}" not in lines[index]:
            index = find_line(lines, href, cursor)
        cursor = index
        closed = any(m_href == href and "lukket" in words and at == index for m_href, words, at in markers)
        refs.append(LinkRef(rel, file_line(index), href, text, closed=closed, item=item, image=is_image))
    return refs


def _check_markers(
    rel: str, file_line: Callable[[int], int], markers: list[tuple[str, list[str], int]], problems: Problems,
) -> None:
    """Report unknown words in `{…}` markers after links."""
    for href, words, offset in markers:
        for word in words:
            if word not in LINK_MARKERS:
                problems.error(
                    rel, file_line(offset),
                    f"unknown marker '{{{word}}}' after link to {href}; expected {{lukket}} or no marker",
                )


def _document(
    rel: str, body: str, first_line: int, problems: Problems, item: int | None = None, heading_ids: bool = False,
    line_map: list[int] | None = None,
) -> tuple[Rendered, list[LinkRef]]:
    """Render a piece of Markdown and collect its links; `line_map` maps its lines to the file's, if not contiguous."""

    def file_line(index: int) -> int:
        return line_map[min(index, len(line_map) - 1)] if line_map else first_line + index

    stripped, markers = strip_link_markers(body)
    _check_markers(rel, file_line, markers, problems)
    rendered = to_html(stripped, heading_ids=heading_ids)
    links = _links(rel, stripped, file_line, rendered.hrefs, markers, item)
    for src in rendered.images_without_alt:
        line = file_line(find_line(stripped.split("\n"), src))
        problems.warning(rel, line, f"image {src} has no alt text; describe what it shows between the brackets: ![Kort over Aalborg]({src})")
    return rendered, links


def _split_lines(body: str) -> list[tuple[int, str, bool]]:
    """Lines with their 0-based index and whether they are inside a fenced code block."""
    out = []
    fenced = False
    for index, line in enumerate(body.split("\n")):
        if FENCE_RE.match(line):
            fenced = not fenced
            out.append((index, line, True))
            continue
        out.append((index, line, fenced))
    return out


BLOCK_MARK = "RAADSARKIVBLOCK{}X"
BLOCK_SPLIT_RE = re.compile(r"<p>RAADSARKIVBLOCK(\d+)X</p>\n?")


def _render_blocks(
    rel: str, body: str, body_line: int, spans: list[tuple[int, int]], problems: Problems,
) -> tuple[list[str], list[LinkRef]]:
    """Render a meeting's blocks (intro, items, sections) in one Markdown pass.

    Each block is preceded by a marker paragraph; the HTML is split at the markers.
    One pass instead of one per section roughly halves the cost of a meeting.
    """
    lines = body.split("\n")
    marked: list[str] = []
    for number, (start, end) in enumerate(spans):
        marked += ["", BLOCK_MARK.format(number), "", *lines[start:end]]
    rendered, links = _document(rel, "\n".join(marked), 0, problems, line_map=_file_lines(spans, body_line))
    pieces = BLOCK_SPLIT_RE.split(rendered.html)
    numbers = pieces[1::2]
    if numbers != [str(n) for n in range(len(spans))]:
        # A block swallowed a marker (e.g. an unclosed raw HTML element): render one by one.
        pieces = ["", *(x for n, (s, e) in enumerate(spans) for x in (str(n), to_html("\n".join(lines[s:e])).html))]
    htmls = [html.strip() for html in pieces[2::2]]
    return htmls, links


def _file_lines(spans: list[tuple[int, int]], body_line: int) -> list[int]:
    """For each line of the marked text, the line of the file it came from."""
    out: list[int] = []
    for start, end in spans:
        out += [body_line + start] * 3 + [body_line + index for index in range(start, end)]
    return out or [body_line]


def _item_at(items: list[AgendaItem], line: int) -> int | None:
    """The number of the item a line belongs to (None for the introduction)."""
    found = None
    for item in items:
        if item.line <= line:
            found = item.number
    return found


def parse_meeting_body(
    rel: str, body: str, body_line: int, meta: MeetingMeta, sections: list[str], problems: Problems,
) -> tuple[str, list[AgendaItem], list[LinkRef]]:
    """Split a meeting's Markdown into intro, items and sections; render each."""
    vocabulary = {name.casefold(): name for name in sections}
    lines = body.split("\n")
    # Blocks: (kind, start index, header match)
    blocks: list[tuple[str, int, re.Match[str] | None]] = [("intro", 0, None)]
    for index, line, fenced in _split_lines(body):
        if fenced:
            continue
        if re.match(r"^#[ \t]", line):
            problems.error(rel, body_line + index, "level-1 heading (#) in a meeting; items are '## <number>. <title>' and the page title comes from the front matter")
        elif line.startswith("## "):
            match = ITEM_RE.match(line)
            if not match or not match.group("number").isdigit():
                problems.error(rel, body_line + index, f"item heading '{line.strip()}' must be '## <number>. <title>', e.g. '## 3. Godkendelse af referat'")
                continue
            blocks.append(("item", index, match))
        elif line.startswith("### "):
            blocks.append(("section", index, SECTION_RE.match(line)))
    blocks.append(("end", len(lines), None))

    spans = [(start if kind == "intro" else start + 1, end) for (kind, start, _), (_, end, _) in zip(blocks, blocks[1:])]
    htmls, links = _render_blocks(rel, body, body_line, spans, problems)
    intro_html = ""
    items: list[AgendaItem] = []
    current: AgendaItem | None = None
    seen_numbers: dict[int, int] = {}
    for (kind, start, match), (content_start, end), html in zip(blocks, spans, htmls):
        line_no = body_line + start
        if kind == "intro":
            intro_html = html
            continue
        if kind == "item":
            assert match is not None
            number = int(match.group("number"))
            title = (match.group("title") or "").strip()
            words = (match.group("markers") or "").replace(",", " ").split()
            for word in words:
                if word not in ITEM_MARKERS:
                    problems.error(rel, line_no, f"unknown item marker '{{{word}}}'; expected {{lukket}} or {{lukket offentlig-beslutning}}")
            if "offentlig-beslutning" in words and "lukket" not in words:
                problems.error(rel, line_no, "marker 'offentlig-beslutning' is only meaningful on a closed item: write {lukket offentlig-beslutning}")
            if not title:
                problems.error(rel, line_no, "item has no title; expected '## <number>. <title>'")
            if number in seen_numbers:
                problems.error(rel, line_no, f"item number {number} is used twice (also on line {seen_numbers[number]})")
            elif items and number < items[-1].number:
                problems.error(rel, line_no, f"item number {number} comes after {items[-1].number}; numbers must increase")
            seen_numbers.setdefault(number, line_no)
            bad_marker = any(word not in ITEM_MARKERS for word in words)
            current = AgendaItem(
                number=number,
                title=title,
                line=line_no,
                # An unknown marker is an error; until fixed, treat the item as closed, never open.
                closed="lukket" in words or bad_marker,
                public_decision="offentlig-beslutning" in words and "lukket" in words,
                meta=meta.items.get(number, ItemMeta()),
            )
            items.append(current)
            current.intro_html = html
            continue
        # A section
        if current is None:
            problems.error(rel, line_no, "section heading (###) before the first item; start an item with '## <number>. <title>'")
            continue
        raw_name = match.group("name") if match else ""
        name = vocabulary.get(raw_name.casefold())
        if name is None:
            close = difflib.get_close_matches(raw_name.casefold(), list(vocabulary), n=1)
            hint = f"did you mean '{vocabulary[close[0]]}'? " if close else ""
            problems.error(
                rel, line_no,
                f"unknown section '{raw_name}'; {hint}expected one of: {', '.join(sections)} "
                "(add other names to `sections` in site_config.yaml)",
            )
            name = raw_name
        anchor = f"{current.anchor}-{slugify(name)}"
        if any(section.anchor == anchor for section in current.sections):
            problems.error(rel, line_no, f"section '{name}' appears twice in item {current.number}")
        current.sections.append(Section(name, anchor, line_no, html))
    for item, following in zip(items, [*items[1:], None]):
        item.end_line = following.line if following else body_line + len(lines)
    links = [replace(link, item=_item_at(items, link.line)) for link in links]
    for number in meta.items:
        if number not in seen_numbers:
            problems.error(rel, 1, f"'items.{number}' in the front matter, but there is no item {number} in the text")
    return intro_html, items, links


def load_content(root: Path, sections: list[str], problems: Problems, cache: LoadCache | None = None) -> Content:
    """Load every content file under root/content; problems are recorded, not raised."""
    content_dir = root / "content"
    content = Content()
    if cache is not None:
        cache.start()
    if not content_dir.is_dir():
        problems.error("content", 1, "there is no content/ folder")
        return content
    jobs: list[Job] = []
    for path in sorted(content_dir.rglob("*")):
        rel = path.relative_to(content_dir).as_posix()
        shown = f"content/{rel}"
        if path.is_dir() or any(part.startswith(".") for part in path.relative_to(content_dir).parts):
            continue
        if path.is_symlink():
            problems.error(shown, 1, "symbolic links are not allowed in content/; copy the file instead")
            continue
        top = rel.split("/", 1)[0]
        if top == BILAG_DIR:
            content.bilag_files.add(rel)
            continue
        if path.suffix != ".md":
            problems.warning(shown, 1, "not a Markdown (.md) file outside content/bilag/; it is not published")
            continue
        if top not in LOADERS or rel.count("/") == 0:
            problems.error(shown, 1, "content files belong in content/bodies, content/meetings, content/strategies or content/pages")
            continue
        jobs.append((path, shown, rel))
    results = cache.load_many(jobs, sections) if cache is not None else load_files(jobs, sections)
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


def _load_one(job: Job, sections: list[str]) -> Loaded:
    """Load one Markdown content file into a Content of its own, with its problems."""
    path, shown, rel = job
    part, found = Content(), Problems()
    split_file = _read(path, shown, found)
    loaded = split_file is not None and LOADERS[rel.split("/", 1)[0]](shown, rel, split_file, part, sections, found)
    if not loaded:
        part.failed.add(rel)  # reported already; later stages must not report it again as missing
    return part, found.all()


def load_files(jobs: list[Job], sections: list[str]) -> list[Loaded]:
    """Load files in order; in worker processes (one per core) when there are many."""
    workers = min(os.cpu_count() or 1, 8)
    if len(jobs) < PARALLEL_MIN_FILES or workers < 2:
        return [_load_one(job, sections) for job in jobs]
    # forkserver: safe in a process with threads (the live preview), and cheap after the first start.
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("forkserver")) as pool:
        return list(pool.map(partial(_load_one, sections=sections), jobs, chunksize=max(1, len(jobs) // (workers * 8))))


class LoadCache:
    """Per-file load results, reused while a file's bytes and the section vocabulary stay the same.

    The live preview keeps one across rebuilds so that only edited files are parsed again.
    """

    def __init__(self) -> None:
        self._entries: dict[str, tuple[bytes, Loaded]] = {}
        self.digests: dict[str, bytes] = {}  # shown path -> digest, for the files of the latest load

    def load_many(self, jobs: list[Job], sections: list[str]) -> list[Loaded]:
        """Load files, from the cache where unchanged; results in the order of `jobs`."""
        missing: list[Job] = []
        for job in jobs:
            path, shown, _ = job
            try:
                data = path.read_bytes()
            except FileNotFoundError:
                continue  # removed while loading (a git checkout); the watcher will ask for another build
            digest = hashlib.blake2b(data + "\0".join(sections).encode(), digest_size=16).digest()
            self.digests[shown] = digest
            entry = self._entries.get(shown)
            if entry is None or entry[0] != digest:
                missing.append(job)
        for job, loaded in zip(missing, load_files(missing, sections)):
            self._entries[job[1]] = (self.digests[job[1]], loaded)
        return [self._entries[shown][1] for _, shown, _ in jobs if shown in self.digests]

    def start(self) -> None:
        """Forget which files the previous load saw (entries stay for reuse)."""
        self.digests = {}

    def finish(self) -> None:
        """Drop entries of files the latest load did not see (deleted or renamed)."""
        self._entries = {shown: entry for shown, entry in self._entries.items() if shown in self.digests}


def _key_lines(split_file: SplitFile) -> dict[str, int]:
    """The line of every top-level front-matter key."""
    return {str(path[0]): line for path, line in split_file.front.lines.items() if len(path) == 1}


def _slug_of(shown: str, rel: str, problems: Problems) -> str | None:
    slug = Path(rel).stem
    if not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", slug):
        problems.error(shown, 1, f"file name '{slug}' is not a slug; use lowercase a-z, 0-9 and '-' (æ→ae, ø→oe, å→aa)")
        return None
    return slug


def _closed_spans(items: list[AgendaItem]) -> list[range]:
    """Line ranges that are never published: closed items, less a publishable decision."""
    spans: list[range] = []
    for item in items:
        if not item.closed:
            continue
        start = item.line + 1
        for section, following in zip(item.sections, [*item.sections[1:], None]):
            end = following.line if following else item.end_line
            if item.public_decision and section.name == "Beslutning":
                spans.append(range(start, section.line + 1))
                start = end
        spans.append(range(start, item.end_line))
    return spans


def _load_body(shown: str, rel: str, split_file: SplitFile, content: Content, sections: list[str], problems: Problems) -> bool:
    meta = validate(BodyMeta, split_file.front, shown, problems)
    scan_cpr(shown, split_file.lines, [], meta.reviewed_cpr if meta else [], problems)
    slug = _slug_of(shown, rel, problems)
    if meta and slug:
        rendered, links = _document(shown, split_file.body, split_file.body_line, problems)
        content.bodies[slug] = Body(slug, shown, meta, rendered.html, links, _key_lines(split_file))
        return True
    return False


def _load_meeting(shown: str, rel: str, split_file: SplitFile, content: Content, sections: list[str], problems: Problems) -> bool:
    meta = validate(MeetingMeta, split_file.front, shown, problems)
    if meta is None:
        return False
    intro, items, links = parse_meeting_body(shown, split_file.body, split_file.body_line, meta, sections, problems)
    scan_cpr(shown, split_file.lines, _closed_spans(items), meta.reviewed_cpr, problems)
    if not items:
        problems.error(shown, split_file.body_line, "meeting has no items; add at least one '## 1. <title>' heading")
    content.meetings.append(Meeting(shown, meta, intro, items, links, _key_lines(split_file)))
    return True


def _load_strategy(shown: str, rel: str, split_file: SplitFile, content: Content, sections: list[str], problems: Problems) -> bool:
    meta = validate(StrategyMeta, split_file.front, shown, problems)
    scan_cpr(shown, split_file.lines, [], meta.reviewed_cpr if meta else [], problems)
    slug = _slug_of(shown, rel, problems)
    if meta and slug:
        _check_headings(shown, split_file, problems)
        rendered, links = _document(shown, split_file.body, split_file.body_line, problems, heading_ids=True)
        content.strategies[slug] = Strategy(
            slug, shown, meta, rendered.html, rendered.anchors, rendered.headings, links, _key_lines(split_file)
        )
        return True
    return False


def _load_page(shown: str, rel: str, split_file: SplitFile, content: Content, sections: list[str], problems: Problems) -> bool:
    meta = validate(PageMeta, split_file.front, shown, problems)
    scan_cpr(shown, split_file.lines, [], meta.reviewed_cpr if meta else [], problems)
    slug = _slug_of(shown, rel, problems)
    if meta and slug:
        _check_headings(shown, split_file, problems)
        rendered, links = _document(shown, split_file.body, split_file.body_line, problems, heading_ids=True)
        content.pages[slug] = Page(slug, shown, meta, rendered.html, rendered.anchors, links)
        return True
    return False


def _check_headings(shown: str, split_file: SplitFile, problems: Problems) -> None:
    """No level-1 headings (the title is the h1), and no skipped levels."""
    level = 1
    for index, line, fenced in _split_lines(split_file.body):
        match = re.match(r"^(#{1,6})[ \t]", line)
        if fenced or not match:
            continue
        new = len(match.group(1))
        where = split_file.body_line + index
        if new == 1:
            problems.error(shown, where, "level-1 heading (#): the page title comes from `title:`; start sections with ##")
        elif new > level + 1:
            problems.error(shown, where, f"heading level {new} follows level {level}; do not skip levels (use {'#' * (level + 1)})")
        level = new


LOADERS = {"bodies": _load_body, "meetings": _load_meeting, "strategies": _load_strategy, "pages": _load_page}
