"""Live preview: `python build.py serve` builds, serves, watches and reloads open pages.

The site is built into a temporary folder (removed on exit) and served from
there; HTML responses get a small live-reload script that long-polls
`/__raadsarkiv/reload` and reloads the page when a new build is ready. While the
content has errors, pages show the list of errors instead; the last good build
stays in the folder and is shown again as soon as the errors are fixed.
"""

from __future__ import annotations

import contextlib
import html
import http.server
import json
import shutil
import signal
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from watchdog.events import (
    DirCreatedEvent,
    DirDeletedEvent,
    DirMovedEvent,
    FileClosedEvent,
    FileCreatedEvent,
    FileDeletedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver
from watchdog.observers.polling import PollingObserver

from .characters import FORBIDDEN
from .config import CONFIG_FILE
from .errors import Problem
from .rebuild import Rebuilder, Result
from .theme import THEME_STATIC, THEME_TEMPLATES

QUIET = 0.15  # seconds without file events before a rebuild starts
WATCHED_EVENTS = {"created", "modified", "deleted", "moved", "closed"}
# The kinds of event the operating system is asked for. Not "opened" or "closed without writing": every
# rebuild reads every content file, and at 10,000 meetings those reads alone overflowed the inotify queue
# (16,384 events by default), and each overflow made watchdog re-add all its watches, in a loop.
EVENT_FILTER = [
    FileCreatedEvent, FileModifiedEvent, FileDeletedEvent, FileMovedEvent, FileClosedEvent,
    DirCreatedEvent, DirDeletedEvent, DirMovedEvent,
]
WATCHED_FOLDERS = ("content", "templates", "static")
POLL_SECONDS = 1.0  # how often the fallback watcher looks at every file
RELOAD_PATH = "/__raadsarkiv/reload"
STATUS_PATH = "/__raadsarkiv/status"
RELOAD_SCRIPT = """<script>
(function () {
  var build = %s;
  function poll() {
    fetch("%s?build=" + encodeURIComponent(build), {cache: "no-store"})
      .then(function (r) { return r.json(); })
      .then(function (d) { if (d.build !== build) { location.reload(); } else { poll(); } })
      .catch(function () { setTimeout(poll, 1000); });
  }
  poll();
})();
</script>
"""


class Preview:
    """The state the server shows: the latest build's outcome and a build number pages wait on."""

    def __init__(self, root: Path, folder: Path) -> None:
        self.root = root
        self.folder = folder
        self.rebuilder = Rebuilder(root, folder)
        self.session = f"{int(time.time())}"
        self.generation = 0
        self.rebuilds = 0
        self.problems: list[Problem] = []
        self.ok = False
        self.changed = threading.Condition()

    @property
    def build_id(self) -> str:
        return f"{self.session}-{self.generation}"

    def rebuild(self) -> Result:
        """Build once; wake waiting pages if what they show has changed."""
        result = self.rebuilder.build()
        with self.changed:
            self.rebuilds += 1
            if result.written or result.ok != self.ok or result.problems != self.problems:
                self.generation += 1
            self.ok, self.problems = result.ok, result.problems
            self.changed.notify_all()
        return result

    def wait(self, build: str, timeout: float) -> str:
        """Block until the build number differs from `build` (or timeout); return the current one."""
        with self.changed:
            self.changed.wait_for(lambda: self.build_id != build, timeout)
            return self.build_id

    def wake(self) -> None:
        """Release every waiting request (shutdown)."""
        with self.changed:
            self.session += "-stopped"
            self.changed.notify_all()


def source_line(root: Path, problem: Problem) -> str | None:
    """The text of the line a problem points at, if it can be read.

    Lines are split at LF only, as the loader counts them (read_text would also split at a
    stray CR), and invisible characters are shown as ⟨U+001B⟩ so the editor can find them.
    """
    try:
        lines = (root / problem.path).read_bytes().decode("utf-8", errors="replace").split("\n")
    except (OSError, ValueError):
        return None
    if not 0 < problem.line <= len(lines):
        return None
    line = lines[problem.line - 1].removesuffix("\r")
    return FORBIDDEN.sub(lambda match: f"⟨U+{ord(match.group()):04X}⟩", line)


def error_page(root: Path, problems: list[Problem], build_id: str, has_good_build: bool) -> bytes:
    """A page listing every error as `path:line: message`, with the line it points at."""
    errors = [p for p in problems if p.severity == "error"]
    warnings = [p for p in problems if p.severity == "warning"]
    items = []
    for problem in errors + warnings:
        line = source_line(root, problem)
        code = f"<pre>{problem.line}: {html.escape(line)}</pre>" if line and line.strip() else ""
        items.append(f'<li class="{problem.severity}"><code>{html.escape(problem.format())}</code>{code}</li>')
    good = (
        '<p><a href="?seneste-gode">Vis den seneste gode version af siden</a> (fra før fejlen).</p>'
        if has_good_build else ""
    )
    body = f"""<!doctype html>
<html lang="da">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Fejl i indholdet – forhåndsvisning</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 60rem; padding: 0 1rem; line-height: 1.5; color: #1a1a1a; }}
h1 {{ color: #a00000; }}
li {{ margin-bottom: 1rem; }}
li.error code {{ color: #a00000; }}
code, pre {{ font-size: 1rem; white-space: pre-wrap; word-break: break-word; }}
pre {{ background: #f3f3f3; padding: .5rem; margin: .25rem 0 0; }}
</style>
</head>
<body>
<main>
<h1>Fejl i indholdet</h1>
<p>Arkivet kunne ikke bygges: {len(errors)} fejl{f' og {len(warnings)} advarsel(er)' if warnings else ''}.
Ret fejlene nedenfor og gem filen. Siden opdaterer sig selv, når fejlene er rettet.</p>
<ol>
{''.join(items)}
</ol>
{good}
</main>
{RELOAD_SCRIPT % (json.dumps(build_id), RELOAD_PATH)}</body>
</html>
"""
    return body.encode("utf-8")


def make_handler(preview: Preview) -> type[http.server.SimpleHTTPRequestHandler]:
    """A request handler serving the preview folder with live reload and the error page."""

    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
            super().__init__(*args, directory=str(preview.folder), **kwargs)

        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            url = urlsplit(self.path)
            if url.path == RELOAD_PATH:
                build = parse_qs(url.query).get("build", [""])[0]
                self._send(200, "application/json", json.dumps({"build": preview.wait(build, 25)}).encode())
                return
            if url.path == STATUS_PATH:
                status = {"build": preview.build_id, "ok": preview.ok, "rebuilds": preview.rebuilds,
                          "problems": [p.format() for p in preview.problems]}
                self._send(200, "application/json", json.dumps(status).encode())
                return
            target = Path(self.translate_path(url.path))
            if target.is_dir():
                if not url.path.endswith("/"):
                    self.send_response(301)
                    self.send_header("Location", url.path + "/" + (f"?{url.query}" if url.query else ""))
                    self.end_headers()
                    return
                target = target / "index.html"
            if target.suffix == ".html" or not target.exists():
                self._page(target, "seneste-gode" in parse_qs(url.query, keep_blank_values=True))
                return
            super().do_GET()

        def _page(self, target: Path, last_good: bool) -> None:
            """An HTML page (or 404) with the reload script; the error page while the build fails."""
            has_good = (preview.folder / "index.html").exists()
            if not preview.ok and not (last_good and has_good):
                self._send(500, "text/html; charset=utf-8", error_page(preview.root, preview.problems, preview.build_id, has_good))
                return
            status = 200
            if not target.is_file():
                status, target = 404, preview.folder / "404.html"
            page = target.read_bytes() if target.is_file() else b"<!doctype html><title>404</title><p>Siden findes ikke.</p>"
            script = (RELOAD_SCRIPT % (json.dumps(preview.build_id), RELOAD_PATH)).encode()
            at = page.rfind(b"</body>")
            page = page[:at] + script + page[at:] if at >= 0 else page + script
            self._send(status, "text/html; charset=utf-8", page)

        def _send(self, status: int, kind: str, body: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def end_headers(self) -> None:
            self.send_header("Cache-Control", "no-store")  # a preview must never show a stale file
            super().end_headers()

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass  # the terminal shows builds and errors, not every request

    return Handler


class Watcher(FileSystemEventHandler):
    """Collects file events; the build loop waits for a quiet moment, then rebuilds once."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self.pending = threading.Event()
        self.last_event = 0.0

    def relevant(self, event: FileSystemEvent) -> bool:
        """Writes, creations, deletions and moves of files we build from (not reads, not editor temp files)."""
        if event.event_type not in WATCHED_EVENTS:
            return False
        for raw in (event.src_path, getattr(event, "dest_path", "") or ""):
            path = Path(raw if isinstance(raw, str) else raw.decode())
            if not raw:
                continue
            name = path.name
            if name.endswith(("~", ".swp", ".swx", ".tmp")) or name.startswith(".#"):
                continue
            if path.parent == self.root and name != CONFIG_FILE:
                continue
            return True
        return False

    def on_any_event(self, event: FileSystemEvent) -> None:
        if self.relevant(event):
            self.last_event = time.monotonic()
            self.pending.set()


def _schedule(observer: BaseObserver, root: Path, watcher: Watcher, event_filter: list[type[FileSystemEvent]] | None) -> None:
    """Watch content/, templates/ and static/ with everything in them, the project folder itself (site_config.yaml),
    and the default theme's folders (someone working on the theme sees its changes too)."""
    for folder in [root / name for name in WATCHED_FOLDERS] + [THEME_TEMPLATES, THEME_STATIC]:
        if folder.is_dir():
            observer.schedule(watcher, str(folder), recursive=True, event_filter=event_filter)
    observer.schedule(watcher, str(root), recursive=False, event_filter=event_filter)


def watch(root: Path, watcher: Watcher, native: type[BaseObserver] = Observer) -> BaseObserver:
    """Start watching the project: with the operating system's notifications (inotify on Linux) if it
    can watch every folder, else by looking at every file every POLL_SECONDS, saying why."""
    observer = native()
    try:
        _schedule(observer, root, watcher, EVENT_FILTER)
        observer.start()
        return observer
    except OSError as exc:
        with contextlib.suppress(Exception):
            observer.stop()
        reason = exc.strerror or str(exc)
        print(
            f"warning: cannot watch {root} for changes with the operating system's notifications ({reason}); "
            f"looking at every file every {POLL_SECONDS:g} s instead, which is slower. On Linux, allow more watched "
            "folders: sudo sysctl fs.inotify.max_user_watches=524288 (and fs.inotify.max_user_instances=512)",
            flush=True,
        )
    poller = PollingObserver(timeout=POLL_SECONDS)
    _schedule(poller, root, watcher, None)  # polling only sees what changed; no filter needed
    poller.start()
    return poller


def build_loop(preview: Preview, watcher: Watcher, stop: threading.Event) -> None:
    """Rebuild after each burst of file events, once the files have been quiet for QUIET seconds."""
    while not stop.is_set():
        if not watcher.pending.wait(0.2):
            continue
        while time.monotonic() - watcher.last_event < QUIET and not stop.is_set():
            time.sleep(QUIET / 3)
        watcher.pending.clear()
        if stop.is_set():
            break
        announce()
        report(preview.rebuild())


def announce() -> None:
    """The line a build starts with (VS Code's background problem matcher waits for it)."""
    print(f"[{time.strftime('%H:%M:%S')}] Building…", flush=True)


def report(result: Result) -> None:
    """Every problem as path:line: message, then one summary line."""
    for problem in result.problems:
        print(problem.format(), flush=True)
    stamp = time.strftime("%H:%M:%S")
    if result.ok:
        print(f"[{stamp}] Built in {result.seconds:.2f} s: {result.rendered} page(s) rendered, {len(result.written)} file(s) changed.", flush=True)
    else:
        errors = sum(p.severity == "error" for p in result.problems)
        print(f"[{stamp}] {errors} error(s); the browser shows them, and the last good build is kept.", flush=True)


def serve(root: Path, host: str = "127.0.0.1", port: int = 8000) -> int:
    """Build, serve on host:port, rebuild on every change until Ctrl-C; leaves no files behind."""
    root = root.resolve()
    folder = Path(tempfile.mkdtemp(prefix="raadsarkiv-serve-"))
    observer: BaseObserver | None = None
    server: http.server.ThreadingHTTPServer | None = None
    stop = threading.Event()
    # Ctrl-C and SIGTERM stop the preview even if the parent started us with SIGINT ignored
    # (as non-interactive shells do for background jobs, and so CI).
    previous_int = signal.signal(signal.SIGINT, signal.default_int_handler)
    previous_term = signal.signal(signal.SIGTERM, signal.default_int_handler)
    preview = Preview(root, folder)
    try:
        server = http.server.ThreadingHTTPServer((host, port), make_handler(preview))
        server.daemon_threads = True
        announce()
        report(preview.rebuild())
        watcher = Watcher(root)
        observer = watch(root, watcher)
        loop = threading.Thread(target=build_loop, args=(preview, watcher, stop), daemon=True)
        loop.start()
        shown_host = "localhost" if host in ("127.0.0.1", "::1") else host
        print(f"Preview on http://{shown_host}:{server.server_address[1]}/ (Ctrl-C stops it). Watching {root}.", flush=True)
        server.serve_forever()
    except KeyboardInterrupt:
        print("\nStopping.", flush=True)
    except OSError as exc:
        print(f"error: cannot serve on {host}:{port}: {exc.strerror or exc}; try another --port", flush=True)
        return 2
    finally:
        stop.set()
        if server is not None:
            preview.wake()
            server.server_close()
        if observer is not None and observer.is_alive():
            observer.stop()
            observer.join(timeout=5)
        shutil.rmtree(folder, ignore_errors=True)
        signal.signal(signal.SIGTERM, previous_term)
        signal.signal(signal.SIGINT, previous_int)
    return 0
