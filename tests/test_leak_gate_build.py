"""The leak gate inside the build: a planted leak stops the build and output/ stays as it was."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import copy_project
from raadsarkiv import public
from raadsarkiv.errors import BuildFailed
from raadsarkiv.pipeline import build

MEETING = "content/meetings/eksempeludvalget/2024-01-22-referat.md"
AGENDA = "content/meetings/eksempeludvalget/2024-01-22-dagsorden.md"  # the same meeting's agenda version
CLOSED_SENTENCE = "Sagen vedrører en medarbejders ansættelsesforhold og behandles for lukkede døre."


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


@pytest.fixture()
def built(tmp_path: Path) -> tuple[Path, Path, dict[str, bytes]]:
    root = copy_project(tmp_path / "project")
    assert CLOSED_SENTENCE in (root / MEETING).read_text(encoding="utf-8")  # item 3 is closed in the sample
    out = root / "output"
    build(root, out)
    return root, out, _snapshot(out)


def test_a_closed_sentence_copied_into_a_static_file_stops_the_build(built: tuple[Path, Path, dict[str, bytes]]) -> None:
    root, out, before = built
    (root / "static").mkdir()
    (root / "static" / "noter.txt").write_text(f"Husk: {CLOSED_SENTENCE}\n", encoding="utf-8")
    with pytest.raises(BuildFailed) as failure:
        build(root, out)
    messages = [p.format() for p in failure.value.problems]
    lines = (root / MEETING).read_text(encoding="utf-8").split("\n")
    # The problem points at the closed section holding the sentence: the last ### heading above it.
    line = max(n for n, text in enumerate(lines[: lines.index(CLOSED_SENTENCE)], 1) if text.startswith("### "))
    assert messages == [
        f"{MEETING}:{line}: closed content leaked into output/static/noter.txt: {MEETING}, item 3 (closed); "
        "the build was stopped and output/ left as it was"
    ]
    assert _snapshot(out) == before


def test_a_redaction_bug_is_caught_by_the_gate(built: tuple[Path, Path, dict[str, bytes]], monkeypatch: pytest.MonkeyPatch) -> None:
    """Switch redaction off (closed items keep their sections): the gate finds them in pages and the search index."""
    root, out, before = built
    monkeypatch.setattr(public, "public_sections", lambda item: item.sections)
    with pytest.raises(BuildFailed) as failure:
        # Not incremental: the content is unchanged, and a patched function does not change the engine's
        # digest (its source files) the way a real code change does, so an incremental build would keep the output.
        build(root, out, incremental=False)
    leaked_into = {p.message.split("leaked into output/")[1].split(":")[0] for p in failure.value.problems}
    assert "udvalg/eksempeludvalget/2024-01-22-referat/index.html" in leaked_into
    assert any(path.startswith("pagefind/fragment/") for path in leaked_into)
    # the sample's closed items: 2024-01-22-referat.md and its dagsorden, and the closed sub-item 16.2 of 2024-05-13-referat.md
    assert {p.path for p in failure.value.problems} == {
        MEETING, AGENDA, "content/meetings/eksempeludvalget/2024-05-13-referat.md"}
    assert _snapshot(out) == before


def test_a_closed_bilag_copied_under_another_name_stops_the_build(built: tuple[Path, Path, dict[str, bytes]]) -> None:
    root, out, before = built
    closed = root / "content/bilag/eksempeludvalget/2024-01-22/personalesag.pdf"
    (root / "static").mkdir()
    (root / "static" / "dokument.pdf").write_bytes(closed.read_bytes())
    with pytest.raises(BuildFailed) as failure:
        build(root, out)
    messages = {p.message.split(";")[0] for p in failure.value.problems}
    assert "closed content leaked into output/static/dokument.pdf: closed bilag content/bilag/eksempeludvalget/2024-01-22/personalesag.pdf" in messages
    assert all("output/static/dokument.pdf" in message for message in messages)
    assert _snapshot(out) == before


def test_an_item_closed_only_in_the_dagsorden_is_caught_by_the_gate(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Switch off the rule that an item closed in one of a meeting's documents is closed in both (documents.py):
    item 2, closed only in the dagsorden, is published from the referat; the gate knows the rule itself and stops the build."""
    from raadsarkiv import documents

    root = copy_project(tmp_path / "project")
    out = root / "output"
    title = "## 2. Debataften om mangfoldige arbejdspladser – program og økonomi (eksempel)"
    agenda = (root / AGENDA).read_text(encoding="utf-8")
    (root / AGENDA).write_text(agenda.replace(title, f"{title} {{lukket}}"), encoding="utf-8")
    monkeypatch.setattr(documents, "_closed_as_in", lambda item, *args: item)
    with pytest.raises(BuildFailed) as failure:
        build(root, out)
    leaks = {(p.path, p.message.split("leaked into output/")[1].split(":")[0]) for p in failure.value.problems}
    assert (MEETING, "udvalg/eksempeludvalget/2024-01-22-referat/index.html") in leaks
    assert f"{MEETING}, item 2 (closed)" in {p.message.split(": ", 1)[1].split(";")[0] for p in failure.value.problems}
    assert not out.exists()
