"""Incremental rebuilds render only what depends on an edit, and end with the same files as a full build."""

from __future__ import annotations

from pathlib import Path

from conftest import copy_project
from raadsarkiv.pipeline import check, render_site
from raadsarkiv.rebuild import Rebuilder

MEETING = "content/meetings/eksempeludvalget/2024-01-22-referat.md"


def edit(path: Path, old: str, new: str, last: bool = False) -> None:
    """Replace the first (or `last`) occurrence of `old` in a file."""
    text = path.read_text(encoding="utf-8")
    assert old in text
    if last:
        head, _, tail = text.rpartition(old)
        path.write_text(head + new + tail, encoding="utf-8")
    else:
        path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_incremental_equals_full_build(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")
    preview = Rebuilder(root, tmp_path / "preview")
    first = preview.build()
    assert first.ok and first.rendered > 20

    assert preview.build().written == []  # nothing changed, nothing written

    edit(root / MEETING, "Udgifterne til lokale", "Udgifterne til leje af lokale")
    result = preview.build()
    assert result.ok
    assert result.written == [  # the page, and the open data that holds the edited item's text
        "data/agendaitems/eksempeludvalget/2024-01-22-referat/2.json", "data/bodies/aalborg/bulk/2024.json",
        "data/bodies/aalborg/meetings/2024.json", "data/meetings/eksempeludvalget/2024-01-22-referat.json",
        "udvalg/eksempeludvalget/2024-01-22-referat/index.html",
    ]
    assert result.rendered < first.rendered / 2

    edit(root / MEETING, "date: 2024-01-22", "date: 2024-01-29")  # the page moves; neighbours and lists follow
    assert preview.build().ok
    edit(root / "content/bodies/eksempeludvalget.md", "name: Eksempeludvalget", "name: Eksempeludvalget (omdøbt)")
    assert preview.build().ok
    edit(root / "content/pages/om.md", "title: Om arkivet", "title: Om dette arkiv")  # in every footer
    # every page again; one fewer than at first: the moved referat left its dagsorden, whose old address was a redirect
    assert preview.build().rendered == first.rendered - 1
    (root / "content/meetings/eksempeludvalget/2024-01-15-dagsorden.md").unlink()  # a shared case loses a meeting
    assert preview.build().ok

    written = {p.relative_to(tmp_path / "preview").as_posix(): p.read_bytes() for p in (tmp_path / "preview").rglob("*") if p.is_file()}
    assert written == _expected_files(root)

    snapshot = {p: p.read_bytes() for p in (tmp_path / "preview").rglob("*") if p.is_file()}
    edit(root / MEETING, "kind: referat", "kind: referatt")
    failed = preview.build()
    assert not failed.ok and failed.written == []
    assert {p: p.read_bytes() for p in (tmp_path / "preview").rglob("*") if p.is_file()} == snapshot  # last good build kept


def _expected_files(root: Path) -> dict[str, bytes]:
    """What a full build of the preview writes (drafts and embargoed files included, marked; without the
    search index): every page and every copied file."""
    checked = check(root, preview=True)
    assert checked.ok and checked.site is not None, [p.format() for p in checked.problems]
    files, copies = render_site(root, checked.site, bilag_text=checked.bilag_text)
    return files | {rel: source.read_bytes() for rel, source in copies.items()}


def test_preview_equals_full_build_after_each_single_edit(tmp_path: Path) -> None:
    """Every content file of the sample edited in turn: after each edit the preview holds exactly a full build."""
    root = copy_project(tmp_path / "project")
    preview = Rebuilder(root, tmp_path / "preview")
    assert preview.build().ok
    sources = sorted(p for p in (root / "content").rglob("*.md"))
    assert len(sources) > 10
    for number, path in enumerate(sources):
        path.write_text(path.read_text(encoding="utf-8") + f"\nRedigeret afsnit nummer {number}.\n", encoding="utf-8")
        result = preview.build()
        assert result.ok, [p.format() for p in result.problems]
        expected = _expected_files(root)
        written = {p.relative_to(tmp_path / "preview").as_posix(): p.read_bytes()
                   for p in (tmp_path / "preview").rglob("*") if p.is_file()}
        assert sorted(written) == sorted(expected), path
        changed = [rel for rel in expected if written[rel] != expected[rel]]
        assert changed == [], f"after editing {path.relative_to(root)}: stale {changed}"


def test_preview_follows_bilag_between_list_pages(tmp_path: Path) -> None:
    """Edits that move a bilag to another list page (views.bilag_lists), add a year or empty one, or add the
    list of other bilag: after each, the preview holds exactly a full build."""
    root = copy_project(tmp_path / "project")
    preview = Rebuilder(root, tmp_path / "preview")
    assert preview.build().ok
    meetings = root / "content/meetings"
    aalborg_bilag = "../../bilag/integrationsraadet-aalborg/2023-10-10/handleplan-maalsaetning-1.pdf"
    program = "- [Program for debataften om mangfoldige arbejdspladser (eksempel)](../../bilag/eksempeludvalget/2024-01-22/program-debataften.pdf)\n"
    new_bilag = root / "content/bilag/eksempeludvalget/2024-01-22/aarsberetning.pdf"
    edits = [
        # a meeting moves to another year: its body gets a second year, and the other year's page lists both years
        lambda: edit(meetings / "eksempeludvalget/2024-01-15-dagsorden.md", "date: 2024-01-15", "date: 2023-12-15"),
        # an earlier meeting of another body links a bilag: it moves to that body's list
        lambda: edit(meetings / "integrationsraadet-broenderslev/2018-05-24-referat.md", "ansoegning-integrationsambassadoer.pdf)\n",
                     f"ansoegning-integrationsambassadoer.pdf)\n- [Handleplan 1]({aalborg_bilag})\n"),
        # a body's only year moves: one list page goes, another comes
        lambda: edit(meetings / "integrationsraadet-aalborg/2023-10-10-referat.md", "date: 2023-10-10", "date: 2022-10-10"),
        # a new bilag linked only from a page: the list of other bilag appears
        lambda: (new_bilag.write_bytes(b"%PDF-1.4\n% aarsberetning\n"),
                 edit(root / "content/pages/om.md", "\n", "\n\n[Årsberetning](../bilag/eksempeludvalget/2024-01-22/aarsberetning.pdf)\n", last=True)),
        # an agenda item links it too: it moves to the body's list, and the list of other bilag goes
        lambda: edit(meetings / "eksempeludvalget/2024-01-22-referat.md", program,
                     program + "- [Årsberetning](../../bilag/eksempeludvalget/2024-01-22/aarsberetning.pdf)\n"),
        lambda: edit(meetings / "eksempeludvalget/2024-01-22-referat.md",
                     "- [Årsberetning](../../bilag/eksempeludvalget/2024-01-22/aarsberetning.pdf)\n", ""),
        lambda: edit(root / "content/bodies/integrationsraadet-broenderslev.md", "name: Integrationsrådet", "name: Integrationsrådet i Brønderslev"),
        lambda: edit(meetings / "integrationsraadet-broenderslev/2018-05-24-referat.md", f"- [Handleplan 1]({aalborg_bilag})\n", ""),
    ]
    seen: set[str] = set()
    for number, change in enumerate(edits):
        change()
        result = preview.build()
        assert result.ok, (number, [p.format() for p in result.problems])
        expected = _expected_files(root)
        written = {p.relative_to(tmp_path / "preview").as_posix(): p.read_bytes()
                   for p in (tmp_path / "preview").rglob("*") if p.is_file()}
        assert sorted(written) == sorted(expected), number
        assert [rel for rel in expected if written[rel] != expected[rel]] == [], f"edit {number}: stale pages"
        seen |= {rel for rel in expected if rel.startswith("bilag/") and rel.count("/") <= 3 and not rel.endswith(".pdf") and "-pdf/" not in rel}
    assert {"bilag/eksempeludvalget/2023/index.html", "bilag/integrationsraadet-aalborg/2022/index.html",
            "bilag/oevrige/index.html"} <= seen  # the edits really moved bilag between list pages


def test_preview_follows_a_joint_meeting(tmp_path: Path) -> None:
    """A joint meeting (fællesmøde) is on each of its bodies' pages: edits to it, or to any of its bodies, re-render
    every page that shows it; after each edit the preview holds exactly a full build."""
    root = copy_project(tmp_path / "project")
    preview = Rebuilder(root, tmp_path / "preview")
    assert preview.build().ok
    joint = root / "content/meetings/eksempeludvalget/2024-06-10-referat.md"
    council = root / "content/bodies/integrationsraadet-aalborg.md"
    edits = [
        lambda: edit(council, "name: Integrationsrådet", "name: Integrationsrådet i Aalborg"),  # the other body's name
        lambda: edit(joint, "date: 2024-06-10", "date: 2023-09-04"),  # moves before the council's 2023-10-10 meeting
        lambda: edit(joint, "body: [eksempeludvalget, integrationsraadet-aalborg]", "body: eksempeludvalget"),  # no longer joint
        lambda: edit(joint, "body: eksempeludvalget", "body: [eksempeludvalget, integrationsraadet-broenderslev]"),
        lambda: edit(joint, "body: [eksempeludvalget, integrationsraadet-broenderslev]",
                     "body: [eksempeludvalget, integrationsraadet-aalborg, integrationsraadet-broenderslev]"),
    ]
    for number, change in enumerate(edits):
        change()
        result = preview.build()
        assert result.ok, (number, [p.format() for p in result.problems])
        expected = _expected_files(root)
        written = {p.relative_to(tmp_path / "preview").as_posix(): p.read_bytes()
                   for p in (tmp_path / "preview").rglob("*") if p.is_file()}
        assert sorted(written) == sorted(expected), number
        assert [rel for rel in expected if written[rel] != expected[rel]] == [], f"edit {number}: stale pages"
    council_page = (tmp_path / "preview/udvalg/integrationsraadet-broenderslev/index.html").read_text(encoding="utf-8")
    assert "fællesmøde med Eksempeludvalget og Integrationsrådet i Aalborg" in council_page
