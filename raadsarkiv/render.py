"""Jinja2 environment and Danish formatting; pages are rendered to bytes, never written here."""

from __future__ import annotations

import datetime as dt
import gc
import multiprocessing
import os
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from jinja2 import (
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    PrefixLoader,
    StrictUndefined,
    TemplateError,
    select_autoescape,
)
from markupsafe import Markup

from .model import When
from .theme import THEME_TEMPLATES
from .views import PageView, long_date

DATE_PATTERNS = {"long": "d. MMMM y", "weekday": "EEEE 'den' d. MMMM y", "short": "d. MMM y"}


def date_da(value: dt.date | When, style: str = "long") -> str:
    """Danish dates: '10. oktober 2023'; style 'weekday': 'tirsdag den 10. oktober 2023'.

    A meeting's date (model.When) may be known only to the month ('marts 2014') or year ('2014'), and the
    body's second meeting that day says so: '19. februar 2024 (2. møde)'.
    """
    return long_date(value, DATE_PATTERNS[style])


def make_environment(folders: Sequence[Path]) -> Environment:
    """Autoescaping, StrictUndefined, and only sanitized fragments marked safe (`|html`).

    `folders` are searched in order, the first match wins: theme.template_folders(root), the
    site's templates/ before the theme's, so a site overrides a template by its name. The theme's
    own templates are also reachable as `theme/<name>`, so a site's `base.html` can extend
    `theme/base.html` and replace only some of its blocks (docs/theming.md).
    """
    env = Environment(
        loader=ChoiceLoader([
            FileSystemLoader([str(folder) for folder in folders]),
            PrefixLoader({"theme": FileSystemLoader(str(THEME_TEMPLATES))}),
        ]),
        autoescape=select_autoescape(["html", "xml"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["date_da"] = date_da
    # Fragments reaching templates were sanitized by nh3 in markdown.py and links rewritten by views.py.
    env.filters["html"] = Markup
    return env


def render(env: Environment, view: PageView) -> bytes:
    """Render one page to UTF-8 bytes."""
    return env.get_template(view.template).render(view.context).encode("utf-8")


# Below this many pages, starting worker processes costs more than it saves (as loader.PARALLEL_MIN_FILES):
# a page takes about 0.5 ms, and starting the workers and sending the pages back costs about 0.1-0.2 s of CPU.
PARALLEL_MIN_PAGES = 400
_FORKED: tuple[Environment, dict[str, Callable[[], PageView]]] | None = None  # for forked render workers


def render_pages(
    env: Environment, builders: dict[str, Callable[[], PageView]], outputs: list[str], parallel: bool = False,
) -> dict[str, bytes]:
    """Render the pages `outputs` (keys of `builders`, views.page_builders) to bytes, in that order.

    With `parallel`, many pages and more than one processor, the pages are rendered in forked
    worker processes: they share the environment (templates compiled here first) and the site
    the builders hold, without pickling either; only page paths go out and bytes come back.
    `fork` is safe only in a process without other threads, so with threads running (the live
    preview's server) or without `fork` (not POSIX), pages are rendered here, one by one.
    The result is the same either way: a page that fails in a worker is rendered again here,
    so its error is raised here exactly as without workers.
    """
    workers = min(os.cpu_count() or 1, 8, len(outputs))
    if (not parallel or len(outputs) < PARALLEL_MIN_PAGES or workers < 2 or threading.active_count() > 1
            or "fork" not in multiprocessing.get_all_start_methods() or not _compile_templates(env)):
        return {output: render(env, builders[output]()) for output in outputs}
    global _FORKED
    _FORKED = (env, builders)
    gc.freeze()  # the workers' garbage collector then leaves the shared site alone: no copying of its memory pages
    try:
        size = -(-len(outputs) // (workers * 8))  # small chunks, so a worker that finishes early takes more
        chunks = [outputs[start:start + size] for start in range(0, len(outputs), size)]
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
            parts = list(pool.map(_render_forked, chunks))
    finally:
        _FORKED = None
        gc.unfreeze()
    files: dict[str, bytes] = {}
    for chunk, part in zip(chunks, parts):
        for output, data in zip(chunk, part):
            files[output] = data if data is not None else render(env, builders[output]())  # raises its error here
    return files


def _compile_templates(env: Environment) -> bool:
    """Compile every template before forking, so workers share them; False if one does not compile.

    Without this, each worker would compile every template again.

    A template that does not compile is left to rendering here, where its error (with its
    line) is raised just as without workers, and only if a page uses it.
    """
    try:
        for name in env.list_templates():
            env.get_template(name)
    except (TemplateError, UnicodeDecodeError):  # not a template at all (an image, say) falls back too
        return False
    return True


def _render_forked(outputs: list[str]) -> list[bytes | None]:
    """In a forked worker: render pages; None for one that fails (rendered again by the parent)."""
    assert _FORKED is not None
    env, builders = _FORKED
    rendered: list[bytes | None] = []
    for output in outputs:
        try:
            rendered.append(render(env, builders[output]()))
        except Exception:  # noqa: BLE001 - the parent renders it again and raises the real error
            rendered.append(None)
    return rendered
