"""`python build.py new …`: files that pass `check` once filled in (and not before: unfilled.py); never an
overwrite; clear errors."""

from __future__ import annotations

import gzip
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO, copy_project
from raadsarkiv.config import Vocabulary
from raadsarkiv.errors import Problems
from raadsarkiv.loader import load_content
from raadsarkiv.pipeline import build, check


def run(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(REPO / "build.py"), "--root", str(root), *args], capture_output=True, text=True)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "project")


def fill_in(path: Path, decision: str = "Godkendt.") -> None:
    """Do what an editor does with a new meeting: a title for the placeholder item, each guiding comment replaced."""
    text = path.read_text(encoding="utf-8").replace("## 2. Titel på punktet", "## 2. Orientering fra formanden")
    text = re.sub(r"^<!-- Skriv beslutningen her\..*-->$", decision, text, flags=re.M)
    path.write_text(re.sub(r"^<!-- .* -->$", "Ikke relevant.", text, flags=re.M), encoding="utf-8")


def errors(root: Path) -> list[str]:
    return [p.format() for p in check(root).problems if p.severity == "error"]


def test_new_meeting_passes_check_once_filled_in(root: Path) -> None:
    result = run(root, "new", "meeting", "--body", "eksempeludvalget", "--date", "2024-02-05")
    assert result.returncode == 0, result.stderr
    path = root / "content/meetings/eksempeludvalget/2024-02-05-referat.md"
    text = path.read_text(encoding="utf-8")
    assert text.startswith("---\nbody: eksempeludvalget\ndate: 2024-02-05\nkind: referat\n")
    assert 'start: "16:00"' in text and "place:" in text  # the body's usual time and place
    assert "## 1. Godkendelse af dagsorden" in text and "Eventuelt" in text  # standing items
    assert "### Beslutning" in text
    assert (root / "content/bilag/eksempeludvalget/2024-02-05").is_dir()  # this body keeps bilag per meeting
    lines = text.split("\n")
    shown = "content/meetings/eksempeludvalget/2024-02-05-referat.md"
    expected = [f"{shown}:{lines.index('## 2. Titel på punktet') + 1}: item 2 still has the title 'Titel på punktet' that "
                "`new meeting` wrote; write the item's title, or delete the item"]
    expected += [f"{shown}:{number}: section 'Beslutning' of item " for number, line in enumerate(lines, 1) if line == "### Beslutning"]
    found = errors(root)
    assert len(found) == len(expected) and all(any(e.startswith(x) for e in found) for x in expected), found  # unfilled: refused
    assert all("is empty; a referat says what was decided" in e for e in found if "section '" in e)
    warned = [p.line for p in check(root).problems if p.path == shown and p.severity == "warning"]
    assert warned == [n for n, line in enumerate(lines, 1) if line.startswith("### ") and line != "### Beslutning"]
    fill_in(path)
    checked = check(root)
    assert checked.ok, [p.format() for p in checked.problems]
    assert any(m.path.endswith("2024-02-05-referat.md") for m in checked.site.content.meetings)


def test_referat_starts_from_the_days_dagsorden(root: Path) -> None:
    result = run(root, "new", "meeting", "--body", "eksempeludvalget", "--date", "2024-01-15", "--kind", "referat")
    assert result.returncode == 0, result.stderr
    path = root / "content/meetings/eksempeludvalget/2024-01-15-referat.md"
    text = path.read_text(encoding="utf-8")
    assert "## 2. Debataften om mangfoldige arbejdspladser (eksempel)" in text
    lines = text.split("\n")
    # Each item got an empty decision section: a referat that says nothing of a decision does not pass check.
    assert errors(root) == [
        f"content/meetings/eksempeludvalget/2024-01-15-referat.md:{lines.index('### Beslutning', lines.index(heading)) + 1}: "
        f"section 'Beslutning' of item {heading[3]} is empty; a referat says what was decided: write the decision "
        "(e.g. 'Godkendt.'), or delete the heading if the item had no decision"
        for heading in lines if heading.startswith("## ")
    ]
    fill_in(path)
    assert check(root).ok


AGENDA = """---
body: eksempeludvalget
date: 2024-03-04
kind: dagsorden
start: "16:00"
end: "18:00"
place: Mødelokale 2
source: https://example.dk/dagsorden/2024-03-04
items:
  62:
    case_number: "81.00.00-G01-3-24"
    kle: "81.00.00-G01"
    guests:
      - Hanne Hemmelig, personalechef
  64:
    case_number: "82.00.00-P20-1-24"
reviewed_cpr: []
---

Dagsorden for Eksempeludvalgets møde.

## 61. Godkendelse af dagsorden

### Indstilling

Sekretariatet indstiller, at dagsordenen godkendes.

### Bilag

- [Handleplan for debataften](../../bilag/eksempeludvalget/2024-03-04/handleplan.pdf)
- [Notat om en enkeltsag](../../bilag/eksempeludvalget/2024-03-04/notat.pdf) {lukket}

## 62. Personalesag {lukket}

Punktet handler om en navngiven medarbejder.

### Sagsfremstilling

Fortrolig sagsfremstilling om medarbejderens forhold.

### Bilag

- [Personalesagen](../../bilag/eksempeludvalget/2024-03-04/personalesag.pdf)

## 64. Køb af ejendom {lukket offentlig-beslutning}

### Sagsfremstilling

Fortrolig sagsfremstilling om købesummen.

### Beslutning

<!-- Beslutningen skrives på mødet. -->
"""
CANARY = "KANARIEFUGL-7f3a lukket beslutning"
PUBLIC_DECISION = "Udvalget godkendte købet af ejendommen."


def _agenda(root: Path) -> Path:
    folder = root / "content/bilag/eksempeludvalget/2024-03-04"
    folder.mkdir(parents=True)
    shutil.copy(root / "content/bilag/eksempeludvalget/2024-01-15/udkast-handleplan-debataften.pdf", folder / "handleplan.pdf")
    (folder / "notat.pdf").write_bytes(b"%PDF-1.4 closed")
    (folder / "personalesag.pdf").write_bytes(b"%PDF-1.4 closed")
    path = root / "content/meetings/eksempeludvalget/2024-03-04-dagsorden.md"
    path.write_text(AGENDA, encoding="utf-8")
    return path


def _item_text(text: str, number: int) -> str:
    """The Markdown of item `number` (up to the next item heading)."""
    start = text.index(f"\n## {number}. ")
    following = text.find("\n## ", start + 1)
    return text[start: following if following != -1 else len(text)]


def test_referat_from_dagsorden_keeps_numbers_markers_metadata_and_text(root: Path) -> None:
    _agenda(root)
    assert check(root).ok
    result = run(root, "new", "meeting", "--body", "eksempeludvalget", "--date", "2024-03-04", "--kind", "referat")
    assert result.returncode == 0, result.stderr
    text = (root / "content/meetings/eksempeludvalget/2024-03-04-referat.md").read_text(encoding="utf-8")
    assert "\nkind: referat\n" in text and "kind: dagsorden" not in text
    # Headings exactly as written: running numbers with a gap, and both markers.
    assert "\n## 61. Godkendelse af dagsorden\n" in text
    assert "\n## 62. Personalesag {lukket}\n" in text
    assert "\n## 64. Køb af ejendom {lukket offentlig-beslutning}\n" in text
    assert "\n## 1. " not in text
    # The text and sections of every item, as written, with a decision section added where there was none.
    agenda_body = AGENDA.split("---\n", 2)[2]
    for number in (61, 62, 64):
        for line in _item_text(agenda_body, number).splitlines():
            assert line in text.splitlines(), (number, line)
    assert "- [Notat om en enkeltsag](../../bilag/eksempeludvalget/2024-03-04/notat.pdf) {lukket}" in text
    assert "Dagsorden for Eksempeludvalgets møde." in text
    assert _item_text(text, 61).count("### Beslutning") == 1
    assert _item_text(text, 61).index("### Beslutning") < _item_text(text, 61).index("### Bilag")  # before the bilag
    assert _item_text(text, 62).count("### Beslutning") == 1
    assert _item_text(text, 64).count("### Beslutning") == 1  # it had one already
    assert "# source: https://example.dk/dagsorden/2024-03-04" in text  # the agenda's source, kept as a comment

    fill_in(root / "content/meetings/eksempeludvalget/2024-03-04-referat.md")
    checked = check(root)
    assert checked.ok, [p.format() for p in checked.problems]
    content = load_content(root, Vocabulary(), Problems())  # as loaded, before closed content is redacted
    meetings = {m.meta.kind: m for m in content.meetings if str(m.meta.date) == "2024-03-04"}
    agenda, referat = meetings["dagsorden"], meetings["referat"]
    assert [i.number for i in referat.items] == ["61", "62", "64"]
    assert [(i.closed, i.public_decision) for i in referat.items] == [(False, False), (True, False), (True, True)]
    assert referat.meta.items == agenda.meta.items and referat.meta.items["62"].kle == "81.00.00-G01"
    assert (referat.meta.start, referat.meta.end, referat.meta.place) == (agenda.meta.start, agenda.meta.end, agenda.meta.place)
    assert referat.meta.source is None


def _output_texts(out: Path) -> dict[str, str]:
    """Every file under out/, as text; gzip-compressed files (Pagefind's index) unpacked."""
    texts = {}
    for path in out.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            if data[:2] == b"\x1f\x8b":
                data = gzip.decompress(data)
            texts[path.relative_to(out).as_posix()] = data.decode("utf-8", errors="replace")
    return texts


def test_decision_typed_into_a_closed_item_of_the_new_referat_is_not_published(root: Path, tmp_path: Path) -> None:
    _agenda(root)
    assert run(root, "new", "meeting", "--body", "eksempeludvalget", "--date", "2024-03-04").returncode == 0
    path = root / "content/meetings/eksempeludvalget/2024-03-04-referat.md"
    text = path.read_text(encoding="utf-8")
    closed, public = _item_text(text, 62), _item_text(text, 64)
    text = text.replace(closed, closed.replace("### Beslutning\n", f"### Beslutning\n\n{CANARY}\n", 1))
    text = text.replace(public, public.replace("### Beslutning\n", f"### Beslutning\n\n{PUBLIC_DECISION}\n", 1))
    assert CANARY in _item_text(text, 62) and PUBLIC_DECISION in _item_text(text, 64)
    path.write_text(text, encoding="utf-8")
    fill_in(path)

    out = tmp_path / "out"
    build(root, out)
    texts = _output_texts(out)
    assert any(name.startswith("pagefind/") for name in texts)
    assert not [name for name, content in texts.items() if "KANARIEFUGL" in content]
    assert not [name for name, content in texts.items() if "Fortrolig sagsfremstilling" in content or "Hanne Hemmelig" in content]
    assert [name for name, content in texts.items() if name.endswith(".html") and PUBLIC_DECISION in content]
    assert "personalesag.pdf" not in " ".join(texts) and "notat.pdf" not in " ".join(texts)


def test_referat_refuses_a_dagsorden_with_errors(root: Path) -> None:
    path = _agenda(root)
    path.write_text(AGENDA.replace("## 62. Personalesag {lukket}", "## 62. Personalesag {lukkt}"), encoding="utf-8")
    line = AGENDA.splitlines().index("## 62. Personalesag {lukket}") + 1
    result = run(root, "new", "meeting", "--body", "eksempeludvalget", "--date", "2024-03-04")
    assert result.returncode == 1
    assert f"content/meetings/eksempeludvalget/2024-03-04-dagsorden.md:{line}: unknown item marker '{{lukkt}}'" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (root / "content/meetings/eksempeludvalget/2024-03-04-referat.md").exists()


def test_new_dagsorden_body_and_strategy_pass_check_once_filled_in(root: Path) -> None:
    assert run(root, "new", "body", "nyt-udvalg", "--name", "Nyt Udvalg", "--organisation", "odense").returncode == 0
    assert run(root, "new", "meeting", "--body", "nyt-udvalg", "--date", "2025-01-06", "--kind", "dagsorden").returncode == 0
    assert run(root, "new", "strategy", "ny-strategi", "--title", "Strategi: ny", "--organisation", "aalborg").returncode == 0
    text = (root / "content/meetings/nyt-udvalg/2025-01-06-dagsorden.md").read_text(encoding="utf-8")
    assert "### Beslutning" not in text  # an agenda has no decisions yet
    shown = "content/meetings/nyt-udvalg/2025-01-06-dagsorden.md"
    line = text.split("\n").index("## 2. Titel på punktet") + 1
    assert errors(root) == [f"{shown}:{line}: item 2 still has the title 'Titel på punktet' that `new meeting` wrote; "
                            "write the item's title, or delete the item"]
    # an empty section of a dagsorden is a warning (its decision section, if it has one, is written at the meeting)
    assert [p.line for p in check(root).problems if p.path == shown and p.severity == "warning"] == [
        number for number, row in enumerate(text.split("\n"), 1) if row.startswith("### ")]
    fill_in(root / shown)
    checked = check(root)
    assert checked.ok, [p.format() for p in checked.problems]
    assert "nyt-udvalg" in checked.site.content.bodies and "ny-strategi" in checked.site.content.strategies


def test_second_meeting_of_the_day_with_sequence(root: Path) -> None:
    """`--sequence 2` starts the body's second meeting that day: its file name and front matter agree; its referat
    starts from its own dagsorden, not the first meeting's."""
    taken = run(root, "new", "meeting", "--body", "eksempeludvalget", "--date", "2024-01-22")
    assert taken.returncode == 1 and "start that meeting with --sequence 2" in taken.stderr
    assert run(root, "new", "meeting", "--body", "eksempeludvalget", "--date", "2024-01-22", "--kind", "dagsorden",
               "--sequence", "2").returncode == 0
    agenda = root / "content/meetings/eksempeludvalget/2024-01-22-dagsorden-2.md"
    assert "\nsequence: 2 " in agenda.read_text(encoding="utf-8")
    fill_in(agenda)
    assert run(root, "new", "meeting", "--body", "eksempeludvalget", "--date", "2024-01-22", "--sequence", "2").returncode == 0
    minutes = root / "content/meetings/eksempeludvalget/2024-01-22-referat-2.md"
    text = minutes.read_text(encoding="utf-8")
    assert "\nsequence: 2 " in text and "## 2. Orientering fra formanden" in text  # a copy of the second meeting's agenda
    assert "Debataften" not in text  # not of the first meeting's
    fill_in(minutes)
    checked = check(root)
    assert checked.ok, [p.format() for p in checked.problems]
    assert not [p for p in checked.problems if "2024-01-22-" in p.path]  # the names agree with the front matter
    pages = {m.path: m.agenda_version for m in checked.site.content.meetings if "2024-01-22-" in m.path and m.meta.sequence}
    assert pages == {"content/meetings/eksempeludvalget/2024-01-22-dagsorden-2.md": True,
                     "content/meetings/eksempeludvalget/2024-01-22-referat-2.md": False}  # one meeting, its own pair
    result = run(root, "new", "meeting", "--body", "eksempeludvalget", "--date", "2024-01-22", "--sequence", "1")
    assert result.returncode == 1 and "leave it out for the body's first meeting that day" in result.stderr


def test_refuses_to_overwrite(root: Path) -> None:
    path = root / "content/meetings/eksempeludvalget/2024-01-22-referat.md"
    before = path.read_bytes()
    result = run(root, "new", "meeting", "--body", "eksempeludvalget", "--date", "2024-01-22")
    assert result.returncode == 1
    assert "already exists" in result.stderr and "Traceback" not in result.stderr
    assert path.read_bytes() == before
    assert run(root, "new", "body", "eksempeludvalget", "--name", "X", "--organisation", "aalborg").returncode == 1


@pytest.mark.parametrize("args, message", [
    (["--body", "eksempel-udvalget", "--date", "2024-02-05"], "unknown body 'eksempel-udvalget'; valid bodies: beskaeftigelses-og-uddannelsesudvalget-broenderslev, eksempelbyraadet, eksempeludvalget"),
    (["--body", "eksempeludvalget", "--date", "2024-02-30"], "'2024-02-30' is not a real date; write it YYYY-MM-DD"),
    (["--body", "eksempeludvalget", "--date", "5/2/2024"], "'5/2/2024' is not a date; write it YYYY-MM-DD"),
])
def test_clear_errors(root: Path, args: list[str], message: str) -> None:
    result = run(root, "new", "meeting", *args)
    assert result.returncode == 1
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert not list((root / "content/meetings").glob("*/2024-02-*"))
