"""Drafts (`draft: true`) and embargo (`publish_after`): valid, checked, and absent from every output until due."""

from __future__ import annotations

import datetime as dt
import gzip
import json
import os
import subprocess
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

import feedparser
import pytest
from icalendar import Calendar

from conftest import REPO, copy_project
from raadsarkiv import embargo
from raadsarkiv.errors import BuildFailed
from raadsarkiv.pipeline import build, check, render_site
from test_incremental_build import full_build, tree

COPENHAGEN = ZoneInfo("Europe/Copenhagen")
DRAFT = "content/meetings/eksempeludvalget/2024-09-09-dagsorden.md"
EMBARGOED = "content/meetings/eksempeludvalget/2024-10-07-dagsorden.md"  # publish_after: 2099-01-01T12:00
HELD = {DRAFT: "udvalg/eksempeludvalget/2024-09-09-dagsorden/", EMBARGOED: "udvalg/eksempeludvalget/2024-10-07-dagsorden/"}
# Text of each held-back meeting, and its unique marker (also in test_safety.py's secrets).
HELD_TEXT = ["KLADDE-MARKOER-D4V7", "Udkast til ny pulje for foreningslivets", "EMBARGO-MARKOER-E8B3", "sprogcentrets aftenhold"]
MEETING = "content/meetings/eksempeludvalget/2024-01-22-referat.md"
MEETING_PAGE = "udvalg/eksempeludvalget/2024-01-22-referat/"
NOON = dt.datetime(2024, 1, 22, 12, 0, tzinfo=COPENHAGEN)


def every_text(site: Path) -> dict[str, str]:
    """Every file of the output as text (Pagefind's gzip'd files unpacked), by its relative path."""
    texts = {}
    for path in site.rglob("*"):
        if path.is_file() and not path.suffix == ".pdf":
            data = path.read_bytes()
            texts[path.relative_to(site).as_posix()] = (gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data).decode("utf-8", "replace")
    return texts


def test_the_sample_holds_a_draft_and_an_embargoed_meeting() -> None:
    for path in HELD:
        assert (REPO / path).is_file()
    assert "draft: true" in (REPO / DRAFT).read_text(encoding="utf-8")
    assert "publish_after: 2099-01-01T12:00" in (REPO / EMBARGOED).read_text(encoding="utf-8")


def test_held_back_meetings_are_in_no_output(sample_site: Path) -> None:
    """Not a page, nor in a list, the sitemap, a feed, a calendar or the search index."""
    for page in HELD.values():
        assert not (sample_site / page).exists()
    found = {needle: sorted(rel for rel, text in every_text(sample_site).items() if needle in text)
             for needle in [*HELD_TEXT, *HELD.values(), "2024-09-09", "2024-10-07", "9. september 2024", "7. oktober 2024"]}
    assert found == {needle: [] for needle in found}
    assert any(rel.startswith("pagefind/fragment/") for rel in every_text(sample_site))  # the index was searched too
    for feed in ("feed.xml", "udvalg/eksempeludvalget/feed.xml"):
        links = {e.link for e in feedparser.parse((sample_site / feed).read_bytes()).entries}
        assert links and not any(link.endswith(tuple(HELD.values())) for link in links)
    events = Calendar.from_ical((sample_site / "udvalg/eksempeludvalget/kalender.ics").read_bytes()).walk("VEVENT")
    assert events and not {e.decoded("DTSTART").date() if isinstance(e.decoded("DTSTART"), dt.datetime) else e.decoded("DTSTART")
                           for e in events} & {dt.date(2024, 9, 9), dt.date(2024, 10, 7)}


def test_the_preview_shows_them_marked(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")
    checked = check(root, preview=True)
    assert checked.ok and checked.site is not None and checked.withheld == {}
    files, _ = render_site(root, checked.site, bilag_text=checked.bilag_text)
    draft = files[HELD[DRAFT] + "index.html"].decode()
    assert "KLADDE-MARKOER-D4V7" in draft and "Kladde: siden vises kun i forhåndsvisningen" in draft
    embargoed = files[HELD[EMBARGOED] + "index.html"].decode()
    assert "Under embargo: siden offentliggøres 1. januar 2099 kl. 12.00" in embargoed
    body = files["udvalg/eksempeludvalget/index.html"].decode()
    assert '<span class="label label-held">kladde</span>' in body and '<span class="label label-held">under embargo</span>' in body
    public = check(root)
    assert set(public.withheld) == set(HELD)
    assert public.release == dt.datetime(2099, 1, 1, 12, 0, tzinfo=COPENHAGEN)  # the embargoed one; a draft is released by nothing


def _embargo(root: Path, value: str = "2024-01-22T12:00") -> None:
    path = root / MEETING
    path.write_text(path.read_text(encoding="utf-8").replace("kind: referat\n", f"kind: referat\npublish_after: {value}\n", 1),
                    encoding="utf-8")


def test_an_embargo_ends_at_its_time_even_in_a_build_with_nothing_changed(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")
    _embargo(root)  # Danish time: 11:00 UTC in January
    out = root / "output"
    before = build(root, out, now=NOON - dt.timedelta(minutes=1))
    assert not before.unchanged and not (out / MEETING_PAGE).exists()
    assert MEETING_PAGE not in (out / "sitemap.xml").read_text(encoding="utf-8")
    assert build(root, out, now=NOON - dt.timedelta(seconds=1)).unchanged  # still before: nothing to do
    after = build(root, out, now=NOON)  # no file changed, but the embargo has ended
    assert not after.unchanged and (out / MEETING_PAGE / "index.html").exists()
    assert MEETING_PAGE in (out / "sitemap.xml").read_text(encoding="utf-8")
    assert tree(out) == full_build(root, tmp_path / "reference")
    assert build(root, out, now=NOON + dt.timedelta(days=1)).unchanged


def test_an_embargo_with_an_offset_is_that_moment(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")
    _embargo(root, "2024-01-22T11:00Z")  # = 12:00 in Copenhagen
    assert MEETING in check(root, now=NOON - dt.timedelta(seconds=1)).withheld
    assert MEETING not in check(root, now=NOON).withheld


def test_the_command_line_reads_a_fixed_time(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")
    _embargo(root)

    def run(now: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, str(REPO / "build.py"), "--root", str(root), "build", "--output", str(root / "output")],
                              capture_output=True, text=True, timeout=300, env={**os.environ, "RAADSARKIV_NOW": now})

    assert run("2024-01-22T11:59").returncode == 0 and not (root / "output" / MEETING_PAGE).exists()
    assert run("2024-01-22 12:00").returncode == 0 and (root / "output" / MEETING_PAGE).exists()
    bad = run("22-01-2024 12:00")
    assert bad.returncode == 2 and "RAADSARKIV_NOW: expected a date and time in Danish time" in bad.stderr


@pytest.mark.parametrize("value, message", [
    ("2024-01-22", "'publish_after': '2024-01-22' has no time of day; expected a date and time in Danish time, YYYY-MM-DDTHH:MM"),
    ("2024-01-22T25:00", "'publish_after': '2024-01-22T25:00' is not a real date and time; expected a date and time"),
    ("snart", "'publish_after': expected a date and time in Danish time, YYYY-MM-DDTHH:MM, e.g. 2024-01-22T12:00"),
])
def test_a_bad_publish_after_is_an_error_on_its_line(tmp_path: Path, value: str, message: str) -> None:
    root = copy_project(tmp_path / "project")
    _embargo(root, value)
    problems = [p.format() for p in check(root).problems if p.severity == "error"]
    line = (root / MEETING).read_text(encoding="utf-8").split("\n").index(f"publish_after: {value}") + 1
    assert len(problems) == 1 and problems[0].startswith(f"{MEETING}:{line}: {message}"), problems


def test_draft_must_be_true_or_false(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")
    path = root / DRAFT
    path.write_text(path.read_text(encoding="utf-8").replace("draft: true", 'draft: "ja"'), encoding="utf-8")
    problems = [p.format() for p in check(root).problems if p.severity == "error"]
    line = path.read_text(encoding="utf-8").split("\n").index('draft: "ja"') + 1
    assert problems == [f"{DRAFT}:{line}: 'draft': Input should be a valid boolean"], problems


def test_a_link_to_a_held_back_file_is_an_error(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")
    page = root / "content/pages/om.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nSe [næste møde](../meetings/eksempeludvalget/2024-09-09-dagsorden.md).\n",
                    encoding="utf-8")
    errors = [p for p in check(root).problems if p.severity == "error"]
    assert [p.path for p in errors] == ["content/pages/om.md"]
    assert f"link to {DRAFT}, which is not published: it is a draft (draft: true)" in errors[0].message
    assert check(root, preview=True).ok  # the preview shows the draft, so the link works there


def test_a_bilag_only_a_draft_links_is_not_published(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")
    folder = root / "content/bilag/eksempeludvalget/2024-09-09"
    folder.mkdir()
    (folder / "puljeudkast.txt").write_text("Puljeudkast til foreningernes arbejde med nyankomne familier, kun til udvalget\n",
                                            encoding="utf-8")
    path = root / DRAFT
    path.write_text(path.read_text(encoding="utf-8") + "\n### Bilag\n\n- [Puljeudkast](../../bilag/eksempeludvalget/2024-09-09/puljeudkast.txt)\n",
                    encoding="utf-8")
    checked = check(root)
    assert checked.ok, [p.format() for p in checked.problems]
    assert "bilag/eksempeludvalget/2024-09-09/puljeudkast.txt" in checked.private_bilag  # fingerprinted by the gate
    assert not any("not linked from any" in p.message for p in checked.problems)
    build(root, root / "output")
    assert not list((root / "output").rglob("puljeudkast*"))


def test_publishing_held_back_files_by_mistake_is_caught_by_the_leak_gate(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Mutation: the site is made from all the content, held-back files included. The gate was told which files
    were held back, fingerprinted their text, and stops the build, naming both files and leaving output/ as it was."""
    root = copy_project(tmp_path / "project")
    out = root / "output"
    build(root, out)
    before = tree(out)
    monkeypatch.setattr(embargo, "without", lambda content, held: content)
    (root / DRAFT).write_text((root / DRAFT).read_text(encoding="utf-8").replace("Kladdetekst:", "Kladdetekst (ny):"), encoding="utf-8")
    for incremental in (True, False):  # an edit of the draft, built incrementally; and a full build
        with pytest.raises(BuildFailed) as failed:
            build(root, out, incremental=incremental)
        leaks = {(p.path, p.message.split(" leaked into output/", 1)[1].split(":", 1)[0]) for p in failed.value.problems}
        for path, page in HELD.items():
            assert (path, page + "index.html") in leaks
            assert (path, "feed.xml") in leaks and (path, "kalender.ics") in leaks
        assert tree(out) == before


def test_a_closed_item_of_a_released_meeting_stays_closed(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")
    _embargo(root)
    build(root, root / "output", now=NOON)
    html = (root / "output" / MEETING_PAGE / "index.html").read_text(encoding="utf-8")
    assert "Personalesag (eksempel)" in html and "HEMMELIG-PUNKT-Q7X2" not in html
    assert not any("HEMMELIG-PUNKT-Q7X2" in text for text in every_text(root / "output").values())


def test_the_schema_describes_the_new_keys() -> None:
    schema = json.loads((REPO / "raadsarkiv/schemas/meeting.schema.json").read_text(encoding="utf-8"))
    assert {"draft", "publish_after", "rettelser"} <= schema["properties"].keys()
    for kind in ("page", "strategy"):
        assert "publish_after" in json.loads((REPO / f"raadsarkiv/schemas/{kind}.schema.json").read_text(encoding="utf-8"))["properties"]


def test_a_draft_page_is_in_no_footer_until_published(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")
    (root / "content/pages/nyhedsbrev.md").write_text(
        "---\ntitle: Nyhedsbrev om arkivet\ndraft: true\n---\n\nTilmeld dig nyhedsbrevet om nye referater i arkivet.\n", encoding="utf-8")
    build(root, root / "output")
    assert not (root / "output/nyhedsbrev").exists()
    assert "Nyhedsbrev om arkivet" not in (root / "output/index.html").read_text(encoding="utf-8")
    checked = check(root, preview=True)
    assert checked.site is not None
    files, _ = render_site(root, checked.site, bilag_text=checked.bilag_text)
    assert "Nyhedsbrev om arkivet" in files["index.html"].decode()  # the preview's footer
    assert "Kladde: siden vises kun i forhåndsvisningen" in files["nyhedsbrev/index.html"].decode()
