"""Shared fixtures: the sample archive built once, a local HTTP server, a headless Chromium."""

from __future__ import annotations

import contextlib
import http.server
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from raadsarkiv.init import init_site
from raadsarkiv.pipeline import build
from raadsarkiv.theme import THEME

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def copy_project(target: Path) -> Path:
    """A copy of the sample archive's inputs (content, config) to build elsewhere; the theme is the package's."""
    shutil.copytree(REPO / "content", target / "content")
    shutil.copy(REPO / "site_config.yaml", target / "site_config.yaml")
    return target


def override(root: Path, rel: str) -> Path:
    """Give the site `root` its own copy of the default theme's file `rel` (`templates/base.html`,
    `static/style.css`), which replaces the theme's; returns it, for the test to change."""
    target = root / rel
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(THEME / rel, target)
    return target


THEMED_LOGO = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 40 40"><circle cx="20" cy="20" r="18" fill="#005a8c"/></svg>\n'
THEMED_COLOURS = '  colours:\n    link: "#00507a"\n    accent: "#7a0050"\n  logo: logo.svg\n'


def themed_archive(target: Path) -> Path:
    """A new archive (`raadsarkiv init`) with a logo and colours set in its site_config.yaml (and the footer
    `init` writes there); returns its folder, not built."""
    init_site(target)
    config = target / "site_config.yaml"
    text = config.read_text(encoding="utf-8")
    assert "\n  colours: {}\n" in text
    config.write_text(text.replace("\n  colours: {}\n", "\n" + THEMED_COLOURS, 1), encoding="utf-8")
    (target / "static").mkdir()
    (target / "static/logo.svg").write_text(THEMED_LOGO, encoding="utf-8")
    return target


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample archive, built once per test session; returns its output folder."""
    root = copy_project(tmp_path_factory.mktemp("sample"))
    build(root, root / "output")
    return root / "output"


@contextlib.contextmanager
def serve(directory: Path, prefix: str = "/") -> Iterator[str]:
    """Serve `directory` on 127.0.0.1 (free port) under URL path `prefix`; yields the base URL."""

    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
            super().__init__(*args, directory=str(directory), **kwargs)

        def translate_path(self, path: str) -> str:
            if not path.startswith(prefix):
                return str(directory / "__outside_prefix__")
            return super().translate_path("/" + path[len(prefix):])

        def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
            not_found = directory / "404.html"
            if code == 404 and not_found.exists():
                body = not_found.read_bytes()
                self.send_response(404)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                return
            super().send_error(code, message, explain)

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{prefix}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def site_url(sample_site: Path) -> Iterator[str]:
    """The sample archive served at the root of a local HTTP server."""
    with serve(sample_site) as url:
        yield url


@pytest.fixture(scope="session")
def browser(sample_site: Path) -> Iterator[object]:
    """Debian's headless Chromium driven by Playwright (never `playwright install`).

    Depends on sample_site so the archive is built before Playwright's event loop runs
    (a build that indexes with Pagefind uses asyncio.run, which fails inside a running loop).
    """
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser):  # type: ignore[no-untyped-def]
    """A fresh browser page (Danish locale), closed after the test."""
    context = browser.new_context(locale="da-DK")
    tab = context.new_page()
    yield tab
    context.close()
