"""The build, in one order: load → validate → redact → link → bilag text (+ CPR scan) → render → write → index → leak gate → swap.

`check` is the first half of `build`: nothing is written until everything is valid.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote
from xml.sax.saxutils import escape

from jinja2 import Environment

from . import (
    calendars, clock, depends, documents, embargo, feeds, fingerprints, history, linker, opendata, public, search, theme, unfilled, urls,
)
from .bilagtext import CACHE_DIR, bilag_texts
from .i18n import _
from .buildcache import DiskCache
from .config import SiteConfig, Vocabulary, load_config
from .errors import BuildFailed, Problem, Problems
from .linker import Site
from .model import Content
from .depends import affected, changed, dependencies, signature, source_digests
from .incremental import (
    BuildState, bytes_digest, file_stat, input_digest, link_or_copy, load_state, output_stats, same_bytes, save_state,
)
from .loader import LoadCache, load_content
from .render import make_environment, render_pages
from .views import agenda_redirects, page_builders
from .writer import UnsafeOutput, check_output_dir, staged, write_files

# The sitemaps.org limits of one sitemap file: 50,000 URLs and 50 MiB (52,428,800 bytes) uncompressed.
# A site with more is written as a sitemap index (sitemap.xml) of numbered files. Read when called, so a test can lower them.
SITEMAP_MAX_URLS = 50_000
SITEMAP_MAX_BYTES = 52_428_800
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Run a build without Python's cyclic garbage collector. A build allocates millions of small objects
    while a large site is alive, and each full collection walks all of them: at 1,000 meetings that was
    40 % of a preview rebuild's CPU time. Nearly everything is freed by reference counting anyway; the
    collector runs again, normally, once the build is done."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


PARSE_CACHE = Path(".cache") / "parse"  # each content file, parsed and validated (buildcache.py)


@dataclass
class Checked:
    """The outcome of validating a project: problems, and the linked public site if valid."""

    problems: list[Problem]
    site: Site | None
    private_bilag: set[str]
    bilag_text: dict[str, str | None] = field(default_factory=dict)  # public PDF bilag: their text
    static_files: list[tuple[Path, str]] = field(default_factory=list)  # theme.static_files: (file, relative path), no symlinks
    content: Content | None = None  # everything loaded, closed parts and held-back files too: only the leak gate reads it
    withheld: dict[str, embargo.Withheld] = field(default_factory=dict)  # drafts and embargoed files left out (not by the preview)
    release: dt.datetime | None = None  # embargo.next_release: the site changes by itself then

    @property
    def ok(self) -> bool:
        return self.site is not None and not any(p.severity == "error" for p in self.problems)


def check(root: Path, cache: LoadCache | None = None, now: dt.datetime | None = None, preview: bool = False) -> Checked:
    """Load, validate and link everything under root. `cache` (the preview's) reuses unchanged files in memory.

    Drafts and files under embargo at `now` (default: clock.now()) are validated, then left out of
    the site (embargo.py); with `preview` they are kept in it, marked.
    Writes nothing but the build cache in .cache/ (parsed files, bilag text), which the next
    check, build or preview reuses for every file whose bytes did not change.
    """
    with gc_paused():
        return _check(root, cache, clock.now() if now is None else now, preview)


def _check(root: Path, cache: LoadCache | None, now: dt.datetime, preview: bool) -> Checked:
    problems = Problems()
    config = load_config(root, problems)
    disk = DiskCache(root / PARSE_CACHE)
    loaded = load_content(root, config.vocabulary if config else Vocabulary(), problems, cache, disk)
    # A dagsorden and its referat are one meeting. The leak gate reads the files as loaded, and states the rule again.
    content = documents.pair(loaded, problems)
    unfilled.check(loaded, problems)  # what `new meeting` left for the editor to write
    static_files = theme.static_files(root, problems)
    if config is None:
        return Checked(problems.all(), None, set())
    theme.check(root, config, static_files, problems)
    linker.check(content, config, problems)
    if urls.STATEMENT_SLUG not in content.pages:
        problems.warning(f"content/pages/{urls.STATEMENT_SLUG}.md", 1,
                         _("the accessibility statement (tilgængelighedserklæring) is missing; Danish law requires one, "
                           "linked from every page"))
    held = embargo.held_back(content, now)
    if not preview:
        embargo.check_links(content, held, problems)
    # A referat held back leaves its dagsorden the meeting's page until it is published: paired again (no new problems).
    shown = content if preview else documents.pair(embargo.without(content, held), Problems())
    published, private_bilag = public.redact(shown, problems)
    if not preview:
        private_bilag |= embargo.held_bilag(content, held)  # published by no public file: the gate fingerprints them
    sizes = {rel: (root / "content" / rel).stat().st_size for rel in published.bilag_files}
    site = linker.link(published, config, sizes)
    site.history, shallow = history.read(root)
    if shallow:
        problems.warning("(git)", 1, _(shallow))
    site.withheld = held if preview else {}
    texts = bilag_texts(root, site, problems)
    public.scan_bilag_cpr(texts, _reviewed_by_bilag(site), problems)
    unsure = any(path.startswith("meetings/") for path in content.failed)  # it may be linked from a broken file
    for rel in [] if unsure else sorted(content.bilag_files - private_bilag - set(site.bilag)):
        problems.warning(f"content/{rel}", 1, _("bilag file is not linked from any meeting item or page, so it is not published; link it from the item it "
                                                   "belongs to, or delete it"))
    return Checked(problems.all(), site, private_bilag, texts, static_files, loaded,
                   {} if preview else held, embargo.next_release(content, now))


def _reviewed_by_bilag(site: Site) -> dict[str, set[str]]:
    """For each bilag, the reviewed CPR-like strings of the files that link to it."""
    content = site.content
    files = [*content.meetings, *content.strategies.values(), *content.pages.values(), *content.bodies.values()]
    reviewed_by_file = {f.path: set(f.meta.reviewed_cpr) for f in files}
    reviewed: dict[str, set[str]] = {}
    for (source, _anchor), target in site.targets.items():
        if target.kind == "bilag":
            reviewed.setdefault(target.key, set()).update(reviewed_by_file.get(source, set()))
    return reviewed


def render_site(
    root: Path, site: Site, only: set[str] | None = None, env: Environment | None = None,
    bilag_text: dict[str, str | None] | None = None, static_files: list[tuple[Path, str]] | None = None,
    parallel: bool = False,
) -> tuple[dict[str, bytes], dict[str, Path]]:
    """Every output file: rendered pages as bytes, and files to copy.

    With `only`, just those pages are rendered (plus the sitemap files, robots.txt and the open data): the live preview's rebuild.
    `bilag_text` (from bilagtext.bilag_texts) puts the text of PDF bilag on their pages.
    `static_files` is Checked.static_files, the checked walk of static/ (the site's and the theme's); without it static/ is
    walked again, and anything the check would refuse (a symbolic link, …) raises UnsafeOutput.
    `parallel` lets render.render_pages use forked worker processes for many pages: the build
    passes it; the live preview does not (its server threads make `fork` unsafe, and a rebuild
    renders few pages), so the preview renders in its own process.
    """
    env = env or make_environment(theme.template_folders(root), site.config.language)
    builders = page_builders(site, bilag_text or {})
    files = render_pages(env, builders, [output for output in builders if only is None or output in only], parallel)
    events = calendars.EventCache(DiskCache(root / calendars.CACHE_DIR))
    files |= {output: make() for output, make in file_builders(site, events).items() if only is None or output in only}
    events.save(complete=only is None)
    unlisted = {urls.NOT_FOUND, urls.WAS, *agenda_redirects(site)}  # the 404 page and redirects are no pages of their own
    pages = sorted(p for p in builders if p.endswith(".html") and p not in unlisted)
    files |= sitemaps(site.config, pages, last_modified(site))
    files[urls.ROBOTS] = f"User-agent: *\nAllow: /\n\nSitemap: {site.config.base_url}{urls.SITEMAP}\n".encode()
    # The open data (data/*.json): like pages, only what changed (depends.py) is made again.
    files |= {path: make() for path, make in opendata.data_builders(site, bilag_text or {}).items() if only is None or path in only}
    content_dir = root / "content"
    copies = {info.file: content_dir / info.rel for info in site.bilag.values()}
    if static_files is None:
        problems = Problems()
        static_files = theme.static_files(root, problems)
        if problems.errors:
            raise UnsafeOutput(_("refusing to copy static/: {problem}", problem=problems.errors[0].format()))
    for path, rel in static_files:
        copies[f"static/{rel}"] = path
    if "static/favicon.ico" in copies:  # also where browsers and other clients look without being told: /favicon.ico
        copies[urls.FAVICON] = copies["static/favicon.ico"]
    return files, copies


def file_builders(site: Site, events: calendars.EventCache | None = None) -> dict[str, Callable[[], bytes]]:
    """The site's files that are not HTML pages, by output path: the Atom feeds and the calendars.
    Like pages, each has its dependencies in depends.py, and is made only when those changed."""
    return feeds.builders(site) | calendars.builders(site, events)


def last_modified(site: Site) -> dict[str, str]:
    """Each page's `<lastmod>`: when its own content file was last committed (history.py), in Danish time.
    Pages without a file of their own (lists, search) and files never committed have none."""
    found: dict[str, str] = {}
    sources = [(f"content/{rel}", entry.output) for rel, entry in site.index.items()]
    sources += [(f"content/{info.rel}", info.page) for info in site.bilag.values()]
    for path, page in sources:
        if path in site.history:
            found[page] = clock.local(site.history[path].last).isoformat()
    return found


def _loc(config: SiteConfig, path: str) -> str:
    """The public address of an output path, percent-encoded as UTF-8 (a bilag file name may hold spaces
    or æøå) and escaped for XML; base_url is already encoded by pydantic."""
    return escape(str(config.base_url) + quote(urls.pretty(path), safe="/"))


def _urlset(entries: list[str]) -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="{SITEMAP_NS}">\n' + "".join(entries) + "</urlset>\n"
    ).encode()


def _url(config: SiteConfig, page: str, lastmod: dict[str, str]) -> str:
    modified = f"<lastmod>{lastmod[page]}</lastmod>" if page in lastmod else ""
    return f"  <url><loc>{_loc(config, page)}</loc>{modified}</url>\n"


def sitemap(config: SiteConfig, pages: list[str], lastmod: dict[str, str] | None = None) -> bytes:
    """One sitemap file (`<urlset>`) with the public address of every page (and its `<lastmod>`, where known)."""
    return _urlset([_url(config, page, lastmod or {}) for page in pages])


def sitemaps(config: SiteConfig, pages: list[str], lastmod: dict[str, str] | None = None) -> dict[str, bytes]:
    """The sitemap files of a site: sitemap.xml alone while the pages fit in one file (SITEMAP_MAX_URLS,
    SITEMAP_MAX_BYTES); beyond that sitemap.xml is a `<sitemapindex>` of sitemap-1.xml, sitemap-2.xml, …,
    each within both limits, filled in the order of `pages`. robots.txt names sitemap.xml either way.
    `lastmod`: page -> its last change (last_modified), where known.
    """
    entries = [_url(config, page, lastmod or {}) for page in pages]
    overhead = len(_urlset([]))
    chunks: list[list[str]] = [[]]
    size = overhead
    for entry in entries:
        length = len(entry.encode())
        if chunks[-1] and (len(chunks[-1]) >= SITEMAP_MAX_URLS or size + length > SITEMAP_MAX_BYTES):
            chunks.append([])
            size = overhead
        chunks[-1].append(entry)
        size += length
    if len(chunks) == 1:
        return {urls.SITEMAP: _urlset(chunks[0])}
    files = {urls.sitemap_part(number): _urlset(chunk) for number, chunk in enumerate(chunks, start=1)}
    listed = "".join(f"  <sitemap><loc>{_loc(config, name)}</loc></sitemap>\n" for name in files)
    files[urls.SITEMAP] = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="{SITEMAP_NS}">\n' + listed + "</sitemapindex>\n"
    ).encode()
    return files


def source_extras(checked: Checked) -> dict[str, bytes]:
    """What a content file's digest (depends.source_digests) must also cover besides its bytes: its git
    dates (shown as "Senest ændret", in feeds and calendars) and whether it is held back (embargo.py), so
    that a commit, or an embargo ending, renders the pages that show the file again."""
    extras = {path: found.digest() for path, found in (checked.site.history if checked.site else {}).items()}
    for path in checked.withheld:
        extras[path] = extras.get(path, b"") + b":withheld"
    # Which documents of a meeting are published (a referat held back leaves its dagsorden the meeting's page).
    for key, found in documents.by_identity(checked.site.content.meetings if checked.site else []).items():
        extras[depends.MEETING + key] = repr(sorted((m.path, m.agenda_version) for m in found)).encode()
    return extras


@dataclass
class Built:
    """What a build did."""

    problems: list[Problem]  # warnings (a build with errors raises BuildFailed)
    rendered: int = 0  # pages rendered
    reused: int = 0  # files of the previous output kept as they were (hard links)
    unchanged: bool = False  # nothing had changed since the last build: the output was left as it was


def build(root: Path, out: Path, incremental: bool = True, now: dt.datetime | None = None) -> Built:
    """Validate, render, write and index the site; raise BuildFailed (writing nothing) on errors.

    The site is written and indexed in a staging folder that replaces `out` only when
    everything succeeded: a failed search index (search.SearchIndexFailed) or a leak leaves
    `out` as it was. With `incremental` (the default) and the state of an earlier build of
    `out` in .cache/build/, only what changed is redone (incremental.py); the result is the
    same as with `incremental=False`, which ignores (and replaces) that state.
    Drafts and files under embargo at `now` (default: clock.now()) are left out (embargo.py).
    """
    with gc_paused():
        return _build(root, out, incremental, clock.now() if now is None else now)


def _build(root: Path, out: Path, incremental: bool, now: dt.datetime) -> Built:
    check_output_dir(root, out)  # refuse an unsafe `out` before anything is read or written
    previous = load_state(root, out) if incremental else None
    inputs = input_digest(root, history.state(root))  # a commit changes dates without touching a file
    existing = output_stats(out) if previous is not None else {}
    if (previous is not None and previous.inputs == inputs and existing == previous.outputs
            and (previous.release is None or now < previous.release)):  # an embargo ending is a change too
        return Built(previous.problems, unchanged=True)
    cache = LoadCache()
    checked = check(root, cache, now)
    if not checked.ok or checked.site is None or checked.content is None:
        raise BuildFailed(checked.problems)
    site = checked.site
    deps = dependencies(site)
    sources = source_digests(root, cache, checked.content, source_extras(checked))
    new_signature = signature(site, theme.templates_digest(root))
    intact = {rel for rel, found in existing.items() if previous is not None and previous.outputs.get(rel) == found}
    only: set[str] | None = None
    if previous is not None:
        only = affected(previous.signature, new_signature, previous.deps, deps, changed(previous.sources, sources))
        if only is not None:
            only |= {page for page in deps if page not in intact}  # missing from the output, or changed there by hand
    files, copies = render_site(root, site, only, bilag_text=checked.bilag_text, static_files=checked.static_files, parallel=True)
    digests = {rel: bytes_digest(data) for rel, data in files.items()}
    copied = {rel: (str(source), file_stat(source)) for rel, source in copies.items()}
    # Unchanged files are linked from the current output instead of being written again.
    reuse = {page for page in deps if page not in files}  # not rendered: unchanged and intact (`only` above)
    if previous is not None:
        reuse |= {rel for rel, digest in digests.items() if rel in intact and previous.digests.get(rel) == digest}
        reuse |= {rel for rel, source in copied.items() if rel in intact and previous.copies.get(rel) == source}
        digests |= {page: previous.digests[page] for page in deps if page not in files}
    html = {rel: digest for rel, digest in digests.items() if rel.endswith(".html")}
    index_unchanged = previous is not None and html == {r: d for r, d in previous.digests.items() if r.endswith(".html")}
    bundle = {rel for rel in previous.outputs if rel.startswith(f"{search.BUNDLE}/")} if previous is not None else set()
    if not index_unchanged or not bundle or not bundle <= intact:
        bundle = set()
    same_gate_inputs = previous is not None and previous.signature == new_signature and previous.sources == sources
    # The gate is made from the content and the bilag: with neither changed it is the one that passed the output.
    gate = None if same_gate_inputs else fingerprints.gate(root, checked.content, checked.private_bilag, checked.bilag_text, sources, set(checked.withheld))
    gate_digest = previous.gate if previous is not None else b""
    with staged(root, out) as stage:
        made: set[Path] = set()
        for rel in sorted(reuse | bundle):
            if (stage / rel).parent not in made:
                (stage / rel).parent.mkdir(parents=True, exist_ok=True)
                made.add((stage / rel).parent)
            link_or_copy(out / rel, stage / rel)
        write_files(stage, {rel: data for rel, data in files.items() if rel not in reuse},
                    {rel: source for rel, source in copies.items() if rel not in reuse})
        if not bundle:
            search.index_site(stage, site.config.language)
        written = output_stats(stage)
        # Files the gate passed before (same bytes: the same file) need no new scan by the same gate.
        # A file written again with the bytes of an intact file of the current output (most of a new Pagefind
        # bundle: a fragment is named by its content) is no new file to the gate either.
        unscanned = {rel for rel, found in written.items() if previous is None or previous.outputs.get(rel) != found}
        unscanned -= {rel for rel in unscanned & intact if same_bytes(out / rel, stage / rel)}
        if gate is None and unscanned:
            gate = fingerprints.gate(root, checked.content, checked.private_bilag, checked.bilag_text, sources, set(checked.withheld))
        if gate is not None:
            gate_digest = gate.digest()
            scan_only = unscanned if previous is not None and gate_digest == previous.gate else None
            # The last stage before the swap: nothing of a closed item or bilag anywhere in the finished site.
            leaks = gate.scan(stage, text_cache=root / CACHE_DIR, only=scan_only)
            if leaks:
                raise BuildFailed([leak.problem() for leak in leaks])
    warnings = [problem for problem in checked.problems if problem.severity != "error"]
    save_state(root, out, BuildState(inputs, new_signature, deps, sources, digests, copied, written, gate_digest, warnings, checked.release))
    rendered = sum(1 for rel in files if rel.endswith(".html"))
    return Built(checked.problems, rendered, len(reuse | bundle))
