"""`build` into a folder it built before redoes only what changed, and ends byte-identical to a full build."""

from __future__ import annotations

import hashlib
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import copy_project, override
from raadsarkiv import i18n, incremental
from raadsarkiv.errors import BuildFailed
from raadsarkiv.pipeline import build

MEETING = "content/meetings/eksempeludvalget/2024-01-22-referat.md"
MEETING_PAGE = "udvalg/eksempeludvalget/2024-01-22-referat/index.html"
AGENDA = "content/meetings/eksempeludvalget/2024-01-22-dagsorden.md"  # the same meeting's dagsorden
OPEN_SENTENCE = "Debataftenen foreslås holdt i april 2024 med oplæg fra to virksomheder og en\npaneldebat"
# Pagefind writes these in a different order on every run (Pagefind/pagefind#638), as in test_safety.py.
UNSTABLE = re.compile(r"pagefind/(filter/.*|pagefind\.[^/]*\.pf_meta|pagefind-entry\.json)")


def tree(folder: Path) -> dict[str, str]:
    """Relative path -> sha256 of every file under `folder`, without Pagefind's unstable files."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not UNSTABLE.fullmatch(p.relative_to(folder).as_posix())
    }


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def full_build(root: Path, out: Path) -> dict[str, str]:
    shutil.rmtree(out, ignore_errors=True)
    build(root, out, incremental=False)
    return tree(out)


EDITS: list[tuple[str, Callable[[Path], object]]] = [
    ("edit one meeting's text", lambda root: edit(root / MEETING, "Udgifterne til lokale", "Udgifterne til leje af lokale")),
    ("move a meeting to another date (file renamed)", lambda root: (
        edit(root / MEETING, "date: 2024-01-22", "date: 2024-01-29"),
        (root / MEETING).rename(root / "content/meetings/eksempeludvalget/2024-01-29-referat.md"))),
    ("publish the referat of a meeting that had only its dagsorden (the agenda moves under it)", lambda root: (
        lambda agenda: agenda.with_name("2024-01-15-referat.md").write_text(
            agenda.read_text(encoding="utf-8").replace("kind: dagsorden", "kind: referat"), encoding="utf-8"))(
        root / "content/meetings/eksempeludvalget/2024-01-15-dagsorden.md")),
    ("delete a meeting's dagsorden (its referat stays)", lambda root: (
        root / "content/meetings/eksempeludvalget/2024-01-15-dagsorden.md").unlink()),
    ("rename a body", lambda root: edit(root / "content/bodies/eksempeludvalget.md", "name: Eksempeludvalget", "name: Eksempeludvalget (omdøbt)")),
    ("change a page title (every footer)", lambda root: edit(root / "content/pages/om.md", "title: Om arkivet", "title: Om dette arkiv")),
    ("override a theme template", lambda root: edit(override(root, "templates/base.html"), "</footer>", "<p>Ny linje i sidefoden.</p></footer>")),
    ("change the overriding template", lambda root: edit(root / "templates/base.html", "Ny linje", "Anden linje")),
    ("change the settings", lambda root: edit(root / "site_config.yaml", "\ntitle: Rådsarkiv\n", "\ntitle: Rådsarkivet\n")),
    ("switch the interface to English", lambda root: (root / "site_config.yaml").write_text(
        "language: en\n" + (root / "site_config.yaml").read_text(encoding="utf-8"), encoding="utf-8")),
    ("override a theme static file", lambda root: (lambda css: css.write_text(
        css.read_text(encoding="utf-8") + "\n/* ændret */\n", encoding="utf-8"))(override(root, "static/style.css"))),
    ("remove the overrides (back to the theme)", lambda root: (
        (root / "templates/base.html").unlink(), (root / "static/style.css").unlink())),
    # case pages, member pages, a body's members table and the open data (tests/test_cases_and_members.py, test_opendata.py)
    ("take an item out of a case (its page goes: one item is left)", lambda root: edit(
        root / "content/meetings/eksempelbyraadet/2024-01-30-referat.md", '"24.00.00-G01-1-24"', '"24.00.00-G01-9-24"')),
    ("change a member's party and role in one meeting", lambda root: edit(
        root / "content/meetings/eksempeludvalget/2024-06-10-referat.md", "    role: formand\n    party: A", "    role: medlem\n    party: F")),
    ("a meeting's dagsorden gets attendance and loses a bilag link (one Meeting in the open data)", lambda root: (
        edit(root / AGENDA, "kind: dagsorden\n", "kind: dagsorden\npresent:\n  - name: Dagsorden Deltager\n"),
        edit(root / AGENDA, "- [Forslag til program for debataften (eksempel)](../../bilag/eksempeludvalget/2024-01-22/"
                           "forslag-til-program.pdf)", "- Forslag til program (fjernet)"))),
    ("replace a bilag by another file of the same size", lambda root: (
        lambda pdf: pdf.write_bytes(pdf.read_bytes().replace(b"Program", b"Pregram", 1)))(
        root / "content/bilag/eksempeludvalget/2024-01-22/program-debataften.pdf")),
]


def test_incremental_build_equals_a_full_build_after_each_edit(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")
    out, reference = root / "output", tmp_path / "reference"
    first = build(root, out)
    assert not first.unchanged and first.reused == 0 and first.rendered > 20
    again = build(root, out)
    assert again.unchanged and again.problems == [p for p in first.problems if p.severity != "error"]
    (root / MEETING).touch()  # the bytes are the same: nothing to render, every file kept
    touched = build(root, out)
    assert not touched.unchanged and touched.rendered == 0 and touched.reused > 50
    for what, change in EDITS:
        change(root)
        before = {p: p.stat().st_ino for p in out.rglob("*.html")}
        built = build(root, out)
        assert not built.unchanged, what
        assert tree(out) == full_build(root, reference), what
        if what == "edit one meeting's text":
            assert built.rendered < first.rendered / 2
            rewritten = {p.relative_to(out).as_posix() for p in out.rglob("*.html") if before.get(p) != p.stat().st_ino}
            assert rewritten == {MEETING_PAGE}  # every other page is the same file (a hard link), not a new copy
        assert build(root, out).unchanged, what


def test_a_changed_catalogue_renders_every_page_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The interface's translations are part of what a build depends on: a new wording reaches every page."""
    root = copy_project(tmp_path / "project")
    out, reference = root / "output", tmp_path / "reference"
    build(root, out)
    locale = shutil.copytree(i18n.LOCALE_DIR, tmp_path / "locale")
    po = locale / "da" / "LC_MESSAGES" / "messages.po"
    po.write_text(po.read_text(encoding="utf-8").replace('msgstr "Til toppen"', 'msgstr "Tilbage til toppen"'), encoding="utf-8")
    monkeypatch.setattr(i18n, "LOCALE_DIR", locale)
    i18n.translations.cache_clear()
    try:
        built = build(root, out)
        assert not built.unchanged and built.rendered > 20
        assert "Tilbage til toppen" in (out / MEETING_PAGE).read_text(encoding="utf-8")
        assert tree(out) == full_build(root, reference)
    finally:
        i18n.translations.cache_clear()


def test_an_output_changed_by_hand_is_repaired(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")
    out = root / "output"
    build(root, out)
    expected = tree(out)
    (out / MEETING_PAGE).write_text("changed by hand", encoding="utf-8")
    (out / "extra.html").write_text("left behind", encoding="utf-8")
    (out / "robots.txt").unlink()
    built = build(root, out)
    assert not built.unchanged and built.rendered == 1
    assert tree(out) == expected


def test_a_damaged_state_is_ignored(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")
    out = root / "output"
    build(root, out)
    expected = tree(out)
    states = list((root / incremental.STATE_CACHE).glob("*.bin"))
    assert len(states) == 1
    states[0].write_bytes(states[0].read_bytes()[:-10] + b"0123456789")
    edit(root / MEETING, "Udgifterne til lokale", "Udgifterne til lokale")  # same bytes
    built = build(root, out)
    assert not built.unchanged and built.reused == 0  # a full build
    assert tree(out) == expected


def test_text_closed_later_is_found_in_files_that_did_not_change(tmp_path: Path) -> None:
    """A sentence of an open item copied into a static file is allowed; once the item is closed the gate has
    new fingerprints, so it scans every file again, the unchanged static file included."""
    root = copy_project(tmp_path / "project")
    out = root / "output"
    (root / "static").mkdir()
    (root / "static/noter.txt").write_text(OPEN_SENTENCE.replace("\n", " ") + ".\n", encoding="utf-8")
    build(root, out)
    published = tree(out)
    for document in (MEETING, AGENDA):  # an item closed in one of a meeting's documents must be closed in both
        edit(root / document, "## 2. Debataften om mangfoldige arbejdspladser – program og økonomi (eksempel)",
             "## 2. Debataften om mangfoldige arbejdspladser – program og økonomi (eksempel) {lukket}")
    with pytest.raises(BuildFailed) as failure:
        build(root, out)
    assert any("leaked into output/static/noter.txt" in p.message for p in failure.value.problems)
    assert tree(out) == published  # the output was left as it was


def test_full_build_ignores_the_state(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")
    out = root / "output"
    build(root, out)
    built = build(root, out, incremental=False)
    assert not built.unchanged and built.reused == 0 and built.rendered > 20


def _tables(gate: object) -> tuple:
    return gate.shingles, gate.phrases, gate.hashes, gate.sizes, gate.owners  # type: ignore[attr-defined]


def test_the_remembered_gate_equals_a_gate_made_from_scratch(tmp_path: Path) -> None:
    """fingerprints.gate reuses, per unchanged public file, what it shares with the closed content. After each
    edit (open text, closed text, text shared between open and closed items, a file removed) the gate must be
    exactly the one made without that memory."""
    from raadsarkiv import fingerprints
    from raadsarkiv.depends import source_digests
    from raadsarkiv.loader import LoadCache
    from raadsarkiv.pipeline import check

    root = copy_project(tmp_path / "project")
    closed_sentence = "Sagen vedrører en medarbejders ansættelsesforhold og behandles for lukkede døre."
    edits = [
        lambda: None,
        lambda: edit(root / MEETING, "Udgifterne til lokale", "Udgifterne til leje af lokale"),
        # an open item says what the closed item says: those shingles are forgotten …
        lambda: edit(root / MEETING, "## 5. Eventuelt\n", f"## 5. Eventuelt\n\n{closed_sentence}\n"),
        # … and looked for again once the open item no longer says it
        lambda: edit(root / MEETING, f"## 5. Eventuelt\n\n{closed_sentence}\n", "## 5. Eventuelt\n"),
        lambda: [edit(root / document, "## 2. Debataften om mangfoldige arbejdspladser – program og økonomi (eksempel)",
                      "## 2. Debataften om mangfoldige arbejdspladser – program og økonomi (eksempel) {lukket}")
                 for document in (MEETING, AGENDA)],
        lambda: (root / "content/meetings/eksempeludvalget/2024-01-15-dagsorden.md").unlink(),
    ]
    for number, change in enumerate(edits):
        change()
        cache = LoadCache()
        checked = check(root, cache)
        assert checked.ok and checked.content is not None, [p.format() for p in checked.problems]
        sources = source_digests(root, cache, checked.content)
        remembered = fingerprints.gate(root, checked.content, checked.private_bilag, checked.bilag_text, sources)
        fresh = fingerprints.gate(root, checked.content, checked.private_bilag, checked.bilag_text)
        assert _tables(remembered) == _tables(fresh), f"edit {number}"
        assert remembered.digest() == fresh.digest()
    assert (root / fingerprints.PUBLIC_TEXT_CACHE).is_dir()


def test_a_redaction_bug_in_an_incremental_build_is_caught(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An edit re-renders one meeting; with redaction switched off its closed items reach that page and the
    new search index. The gate is unchanged (the edit shares nothing with closed text), so it scans only new
    files, and those must include the page and the index."""
    from raadsarkiv import pipeline, public

    root = copy_project(tmp_path / "project")
    out = root / "output"
    build(root, out)
    published = tree(out)
    gate = incremental.load_state(root, out).gate  # type: ignore[union-attr]
    scans: list[set[str] | None] = []
    real_scan = pipeline.fingerprints.Gate.scan
    monkeypatch.setattr(pipeline.fingerprints.Gate, "scan", lambda self, folder, text_cache=None, only=None: (
        scans.append(only), real_scan(self, folder, text_cache, only))[1])
    (root / MEETING).write_text((root / MEETING).read_text(encoding="utf-8").replace(
        "### Beslutning\n\nIntet.\n", "### Beslutning\n\nIntet. Formanden takkede for et godt møde.\n"), encoding="utf-8")
    # Closed items keep their sections, but not their lists of bilag (which would change the closed bilag,
    # and with them the gate): the gate stays the one that passed the output.
    monkeypatch.setattr(public, "public_sections", lambda item: [s for s in item.sections if s.name != "Bilag"])
    with pytest.raises(BuildFailed) as failure:
        build(root, out)
    leaked_into = {p.message.split("leaked into output/")[1].split(":")[0] for p in failure.value.problems}
    assert MEETING_PAGE in leaked_into and any(path.startswith("pagefind/fragment/") for path in leaked_into)
    assert tree(out) == published
    assert scans[0] is not None and len(scans[0]) < len(published) / 2  # the same gate: only new files were scanned
    assert incremental.load_state(root, out).gate == gate  # type: ignore[union-attr]
