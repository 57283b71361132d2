"""The live preview as an editor uses it: `build.py serve` in a subprocess on a copy of the project."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from conftest import REPO, copy_project, override

MEETING = "content/meetings/eksempeludvalget/2024-01-22-referat.md"
PAGE = "udvalg/eksempeludvalget/2024-01-22-referat/"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> tuple[int, str]:
    """Status and body of a GET, errors included."""
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8")


def wait_for(condition: Callable[[], bool], timeout: float = 15.0) -> float:
    """Poll until condition() holds; returns the seconds it took."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if condition():
            return time.monotonic() - started
        time.sleep(0.05)
    raise AssertionError("condition not met within the time limit")


class Server:
    def __init__(self, root: Path, tmp: Path) -> None:
        self.root = root
        self.tmp = tmp
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        env = {**os.environ, "TMPDIR": str(tmp), "PYTHONUNBUFFERED": "1"}
        self.process = subprocess.Popen(
            [sys.executable, str(REPO / "build.py"), "--root", str(root), "serve", "--port", str(self.port)],
            cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )
        wait_for(self._up, 60)

    def _up(self) -> bool:
        assert self.process.poll() is None, self.process.stdout.read() if self.process.stdout else ""
        try:
            return fetch(self.url + "__raadsarkiv/status")[0] == 200
        except OSError:
            return False

    def status(self) -> dict:
        return json.loads(fetch(self.url + "__raadsarkiv/status")[1])

    def stop(self) -> str:
        """Ctrl-C, as an editor stops it; returns everything it printed."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
        output, _ = self.process.communicate(timeout=20)
        return output


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    root = copy_project(tmp_path / "project")
    override(root, "templates/page.html")  # the preview watches a site's templates/ if it has one when it starts
    temp = tmp_path / "tmp"
    temp.mkdir()
    running = Server(root, temp)
    yield running
    running.stop()


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_edit_error_and_recovery(server: Server) -> None:
    meeting = server.root / MEETING
    status, page = fetch(server.url + PAGE)
    assert status == 200 and "Debataften om mangfoldige arbejdspladser" in page
    assert "/__raadsarkiv/reload" in page  # the live-reload script is in every page

    # An edit is served within seconds, without restarting anything.
    edit(meeting, "Udgifterne til lokale", "Udgifterne til FORHAANDSVISNING-7Q lokale")
    took = wait_for(lambda: "FORHAANDSVISNING-7Q" in fetch(server.url + PAGE)[1], 10)
    assert took < 5

    # A page waiting for the next build is told about it (this is what reloads open tabs).
    build = server.status()["build"]
    edit(meeting, "FORHAANDSVISNING-7Q", "FORHAANDSVISNING-8R")
    with urllib.request.urlopen(f"{server.url}__raadsarkiv/reload?build={build}", timeout=30) as response:
        assert json.loads(response.read())["build"] != build
    assert "FORHAANDSVISNING-8R" in fetch(server.url + PAGE)[1]

    # A mistake: every page becomes a readable list of errors as path:line: message.
    edit(meeting, "### Økonomi", "### Økonomii")
    wait_for(lambda: fetch(server.url + PAGE)[0] == 500)
    status, page = fetch(server.url + PAGE)
    assert "Errors in the content" in page  # English, as every test (conftest.py); Danish: test_messages_language.py
    line = meeting.read_text(encoding="utf-8").split("\n").index("### Økonomii") + 1
    assert f"{MEETING}:{line}: unknown section &#x27;Økonomii&#x27;" in page
    assert "### Økonomii" in page  # the offending line itself
    assert fetch(server.url)[0] == 500
    # The last good build is still there.
    status, page = fetch(server.url + PAGE + "?seneste-gode")
    assert status == 200 and "FORHAANDSVISNING-8R" in page
    assert not server.status()["ok"]

    # Fixing the file brings the page back by itself.
    edit(meeting, "### Økonomii", "### Økonomi")
    wait_for(lambda: fetch(server.url + PAGE)[0] == 200)
    assert "FORHAANDSVISNING-8R" in fetch(server.url + PAGE)[1]
    assert server.status()["ok"]


def test_burst_of_saves_is_one_rebuild(server: Server) -> None:
    meeting = server.root / MEETING
    before = server.status()["rebuilds"]
    text = meeting.read_text(encoding="utf-8")
    saved = []
    for n in range(20):
        meeting.write_text(text.replace("Udgifterne til lokale", f"Udgifterne (gemt {n}) til lokale"), encoding="utf-8")
        saved.append(time.monotonic())
        time.sleep(0.01)
    wait_for(lambda: "(gemt 19)" in fetch(server.url + PAGE)[1])
    time.sleep(1)
    # Saves 10 ms apart are one burst. On a starved machine this process itself may pause longer than the
    # preview's quiet time (0.15 s) between two saves: each such pause may rightly start one more rebuild.
    pauses = sum(1 for a, b in zip(saved, saved[1:]) if b - a > 0.15)
    assert server.status()["rebuilds"] - before <= 3 + pauses


def test_new_file_and_template_error(server: Server) -> None:
    # A new meeting made with `new` appears on its body's page once its placeholder title is filled in.
    subprocess.run(
        [sys.executable, str(REPO / "build.py"), "--root", str(server.root), "new", "meeting",
         "--body", "eksempeludvalget", "--date", "2024-03-04", "--kind", "dagsorden"], check=True, capture_output=True,
    )
    agenda = server.root / "content/meetings/eksempeludvalget/2024-03-04-dagsorden.md"
    agenda.write_text(agenda.read_text(encoding="utf-8").replace("Titel på punktet", "Orientering"), encoding="utf-8")
    wait_for(lambda: (lambda status, html: status == 200 and "2024-03-04-dagsorden" in html)(
        *fetch(server.url + "udvalg/eksempeludvalget/")))
    # A broken template is reported with its file and line, not a crash.
    template = server.root / "templates/page.html"
    good = template.read_text(encoding="utf-8")
    template.write_text(good + "\n{% if %}\n", encoding="utf-8")
    wait_for(lambda: fetch(server.url)[0] == 500)
    assert "templates/page.html:" in fetch(server.url)[1]
    template.write_text(good, encoding="utf-8")
    wait_for(lambda: fetch(server.url)[0] == 200)


def test_ctrl_c_leaves_nothing_behind(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")
    temp = tmp_path / "tmp"
    temp.mkdir()
    running = Server(root, temp)
    assert any(temp.iterdir())  # the preview folder lives in TMPDIR while serving
    output = running.stop()
    assert running.process.returncode == 0, output
    assert "Traceback" not in output
    assert list(temp.iterdir()) == []
    assert not (root / "output").exists()


def test_binds_to_localhost_only(server: Server) -> None:
    """By default nobody else on the network can reach the preview: it listens on 127.0.0.1 only."""
    listening = []
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        local, state = line.split()[1], line.split()[3]
        address, port = local.split(":")
        if int(port, 16) == server.port and state == "0A":  # 0A = LISTEN
            listening.append(address)
    assert listening == ["0100007F"]  # 127.0.0.1, little-endian hex
