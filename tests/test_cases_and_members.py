"""Case pages (/sager/<case>/) and member pages (/personer/<id>/), built from the public content only."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

from conftest import copy_project
from raadsarkiv import urls
from raadsarkiv.pipeline import build, check
from raadsarkiv.render import make_environment, render
from raadsarkiv.theme import template_folders
from raadsarkiv.views import case_pages, page_builders, people_of
from test_safety import SECRETS

CASE = "sager/24.00.00-g01-1-24/index.html"


def main_text(page: Path) -> str:
    """The visible text of a page's <main>, on one line per block."""
    main = re.search(r"<main\b.*?</main>", page.read_text(encoding="utf-8"), re.S)
    assert main, page
    text = html.unescape(re.sub(r"<[^>]+>", " ", main.group(0)))
    return re.sub(r"\s+", " ", text)


def hrefs(page: Path) -> list[str]:
    return re.findall(r'href="([^"#]*)', page.read_text(encoding="utf-8"))


def test_case_slugs_are_safe_stable_and_distinct() -> None:
    assert urls.case_slug("24.00.00-G01-1-24") == "24.00.00-g01-1-24"
    assert urls.case_slug("2015/0004938") == "2015_2f0004938"
    assert urls.case_slug(" 13/4205 ") == "13_2f4205"
    assert urls.case_slug("..") == "_2e_2e"
    assert urls.case_slug("Sag æ 1.") == "sag_20_c3_a6_201_2e"
    numbers = ["2015/0004938", "2015_2f0004938", "2015-0004938", "2015.0004938", "2015 0004938", "a/b", "a_2fb", ".x", "_2ex"]
    slugs = [urls.case_slug(n) for n in numbers]
    assert len(set(slugs)) == len(numbers)  # distinct numbers never share a page
    for slug in slugs:
        assert re.fullmatch(r"[a-z0-9_][a-z0-9._-]*", slug) and not slug.endswith("."), slug
    assert urls.case_slug("24.00.00-G01-1-24") == urls.case_slug("24.00.00-g01-1-24")  # one case, whatever the case of letters


def test_case_page_shows_the_case_across_bodies_as_a_timeline(sample_site: Path) -> None:
    text = main_text(sample_site / CASE).replace(" :", ":")  # "<time>…</time>:"
    steps = [
        "15. januar 2024: Eksempeludvalget Dagsorden, pkt. 2. Debataften om mangfoldige arbejdspladser (eksempel) "
        "Dagsorden: endnu ingen beslutning.",
        "22. januar 2024: Eksempeludvalget Referat, pkt. 2. Debataften om mangfoldige arbejdspladser – program og økonomi "
        "(eksempel) Beslutning Godkendt.",
        "30. januar 2024: Eksempelbyrådet Referat, pkt. 12. Debataften om mangfoldige arbejdspladser – økonomi (eksempel) "
        "Beslutning fra Eksempeludvalget, 22. januar 2024 Anbefales. Beslutning fra Eksempelbyrådet, 30. januar 2024 Godkendt.",
    ]
    positions = [text.find(step) for step in steps]
    assert -1 not in positions, text
    assert positions == sorted(positions)  # oldest first
    assert "Sag 24.00.00-G01-1-24" in text
    links = hrefs(sample_site / CASE)
    for meeting in ("eksempeludvalget/2024-01-15-dagsorden", "eksempeludvalget/2024-01-22-referat", "eksempelbyraadet/2024-01-30-referat"):
        assert f"../../udvalg/{meeting}/index.html" in links
    sitemap = (sample_site / "sitemap.xml").read_text(encoding="utf-8")
    assert "https://raadsarkiv.example.dk/sager/24.00.00-g01-1-24/" in sitemap


def test_items_link_to_their_case_page(sample_site: Path) -> None:
    for meeting in ("eksempeludvalget/2024-01-15-dagsorden", "eksempeludvalget/2024-01-22-referat", "eksempelbyraadet/2024-01-30-referat"):
        page = sample_site / "udvalg" / meeting / "index.html"
        assert "../../../sager/24.00.00-g01-1-24/index.html" in hrefs(page), meeting
        assert "Sagens forløb: sag 24.00.00-G01-1-24" in main_text(page)


def test_shared_case_numbers_make_no_case(sample_site: Path) -> None:
    """The site setting (00.01.00-A00-1-24, on three items) and a file's own `shared_case_numbers`
    (00.01.00-A00-1-14, on both items of the 2014 meeting) show the number, but link nothing."""
    cases = sorted(p.parent.name for p in (sample_site / "sager").glob("*/index.html"))
    assert cases == ["24.00.00-g01-1-24"]
    for meeting in ("eksempeludvalget/2014-03-referat", "eksempeludvalget/2024-05-13-referat"):
        page = sample_site / "udvalg" / meeting / "index.html"
        text = main_text(page)
        assert "Sagsnr. 00.01.00-A00-1-" in text and "Sagens forløb" not in text and "Samme sag i andre møder" not in text


def test_the_per_file_flag_is_what_keeps_the_case_out(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")
    meeting = root / "content/meetings/eksempeludvalget/2014-03-referat.md"
    text = meeting.read_text(encoding="utf-8")
    assert 'shared_case_numbers: ["00.01.00-A00-1-14"]\n' in text
    meeting.write_text(text.replace('shared_case_numbers: ["00.01.00-A00-1-14"]\n', ""), encoding="utf-8")
    checked = check(root)
    assert checked.ok and checked.site is not None
    assert set(case_pages(checked.site)) == {"24.00.00-g01-1-24", "00.01.00-a00-1-14"}
    meeting.write_text(text.replace('["00.01.00-A00-1-14"]', '["00.01.00-A00-*"]'), encoding="utf-8")  # a pattern works too
    checked = check(root)
    assert checked.site is not None and set(case_pages(checked.site)) == {"24.00.00-g01-1-24"}


def test_a_closed_item_is_no_part_of_a_case(tmp_path: Path) -> None:
    """A closed item's case number is private metadata: the case page lists only the open items sharing it."""
    root = copy_project(tmp_path / "project")
    meeting = root / "content/meetings/eksempeludvalget/2024-06-10-referat.md"
    text = meeting.read_text(encoding="utf-8")
    # the closed sub-item 16.2 of 2024-05-13 is filed under 00.30.10-S00-2-24; file two open items under it too
    meeting.write_text(text.replace("kind: referat\n", 'kind: referat\nitems:\n  2:\n    case_number: "00.30.10-S00-2-24"\n'
                                    '  3:\n    case_number: "00.30.10-S00-2-24"\n', 1), encoding="utf-8")
    checked = check(root)
    assert checked.ok and checked.site is not None
    refs = case_pages(checked.site)["00.30.10-s00-2-24"]
    assert [(r.meeting.meta.date.isoformat(), r.item.number) for r in refs] == [("2024-06-10", "2"), ("2024-06-10", "3")]
    builders = page_builders(checked.site, checked.bilag_text)
    page = render(make_environment(template_folders(root)), builders["sager/00.30.10-s00-2-24/index.html"]()).decode()
    assert "Tilskud til enkeltperson" not in page and "16.2" not in page


def test_member_pages_show_attendance_absence_and_substitutes(sample_site: Path) -> None:
    karen = main_text(sample_site / "personer/karen-eksempel/index.html")
    assert "Referat: Eksempeludvalget, 22. januar 2024 stedfortræder (for Jens Eksempel)" in karen
    assert "Referat: Fællesmøde mellem Eksempeludvalget og Integrationsrådet, 10. juni 2024" in karen
    assert "Mødte som stedfortræder" in karen and "Intet fravær." in karen
    jens = main_text(sample_site / "personer/jens-eksempel/index.html")
    assert "Referat: Eksempeludvalget, 22. januar 2024 afbud Karen Eksempel" in jens
    assert "parti eller liste: A" in jens
    abeer = main_text(sample_site / "personer/abeer-abo-kalefh/index.html")
    assert "Referat: Integrationsrådet, 24. maj 2018 udeblev uden afbud –" in abeer
    klaus = main_text(sample_site / "personer/klaus-riis-klaestrup/index.html")
    assert "Referat: Integrationsrådet, 24. maj 2018 Martin Bech" in klaus  # named only in `substitute:`, still a person
    lise = main_text(sample_site / "personer/lise-eksempel/index.html")
    assert "22. januar 2024 formand" in lise
    assert "../../udvalg/eksempeludvalget/2024-01-22-referat/index.html" in hrefs(sample_site / "personer/lise-eksempel/index.html")
    sitemap = (sample_site / "sitemap.xml").read_text(encoding="utf-8")
    assert "https://raadsarkiv.example.dk/personer/karen-eksempel/" in sitemap
    # and back: the meeting page's attendance links each person to their page
    meeting = sample_site / "udvalg/eksempeludvalget/2024-01-22-referat/index.html"
    assert {"../../../personer/karen-eksempel/index.html", "../../../personer/jens-eksempel/index.html",
            "../../../personer/mette-eksempel-observatoer/index.html"} <= set(hrefs(meeting))


def test_a_body_page_shows_its_members_over_time(sample_site: Path) -> None:
    page = sample_site / "udvalg/eksempeludvalget/index.html"
    text = main_text(page)
    assert "Medlemmer og deltagere" in text
    rows = re.findall(r"<tr><th scope=\"row\">(.*?)</tr>", page.read_text(encoding="utf-8"))
    names = [html.unescape(re.sub(r"<[^>]+>", "", row.split("</th>")[0])) for row in rows]
    assert names[:2] == ["Lise Eksempel", "Ahmad Eksempel"]
    assert set(names) == {"Lise Eksempel", "Ahmad Eksempel", "Karen Eksempel", "Mette Eksempel", "Peter Eksempel", "Jens Eksempel"}
    lise = html.unescape(re.sub(r"<[^>]+>", " ", rows[0]))
    assert re.sub(r"\s+", " ", lise).strip() == "Lise Eksempel A formand 22. jan. 2024 10. jun. 2024 4 0"
    assert "../../personer/lise-eksempel/index.html" in hrefs(page)
    aalborg = main_text(sample_site / "udvalg/integrationsraadet-aalborg/index.html")
    assert "Lise Eksempel" in aalborg  # the joint meeting lists its attendance under both bodies
    assert "Medlemmer og deltagere" not in main_text(sample_site / "udvalg/beskaeftigelses-og-uddannelsesudvalget-broenderslev/index.html")


def test_people_come_from_the_attendance_only(tmp_path: Path) -> None:
    """Names in a closed item's votes or `left` (and in open items' votes) never make a member page."""
    root = copy_project(tmp_path / "project")
    meeting = root / "content/meetings/eksempeludvalget/2024-01-22-referat.md"
    text = meeting.read_text(encoding="utf-8")
    meeting.write_text(text.replace("  5:\n    left: [Karen Eksempel]\n",
                                    "  5:\n    left: [Karen Eksempel]\n  3.1:\n    left: [Hemmelig Hansen]\n", 1)
                       .replace("## 4. Køb af ejendom", "## 3.1 Underpunkt (eksempel) {lukket}\n\n### Beslutning\n\nIntet.\n\n"
                                "## 4. Køb af ejendom", 1), encoding="utf-8")
    checked = check(root)
    assert checked.ok and checked.site is not None, [p.format() for p in checked.problems if p.severity == "error"]
    people = people_of(checked.site)
    assert "hemmelig-hansen" not in people
    assert set(people) == {
        "abeer-abo-kalefh", "ahmad-eksempel", "emilly-leilah-kanyi-pedersen", "jens-eksempel", "kamomo-kasigwa-ruhinduka",
        "karen-eksempel", "klaus-riis-klaestrup", "lise-eksempel", "martin-bech", "mette-eksempel-observatoer",
        "peter-eksempel", "simon-n-mukonkole", "thaer-saleh",
    }


def test_no_closed_content_on_case_and_member_pages(sample_site: Path) -> None:
    pages = [*(sample_site / "sager").rglob("*.html"), *(sample_site / "personer").rglob("*.html")]
    assert len(pages) == 14
    for page in pages:
        text = page.read_text(encoding="utf-8")
        for secret in SECRETS:
            assert secret not in text, page
        assert "Personalesag" not in text and "Køb af ejendom" not in text, page  # closed items are in no case or person page


def test_names_and_case_numbers_that_make_no_plain_slug_still_build(tmp_path: Path) -> None:
    """A name without a letter a-z ('李明', '—'), a very long name and a very long case number give stable,
    distinct, short folder names: the build never fails on them."""
    root = copy_project(tmp_path / "project")
    meeting = root / "content/meetings/eksempeludvalget/2024-06-10-referat.md"
    long_name, long_case = "Anna " + "Langnavn" * 40, "SAG/" + "æ" * 150
    text = meeting.read_text(encoding="utf-8")
    meeting.write_text(text.replace("  - Jens Eksempel\n", f"  - Jens Eksempel\n  - 李明\n  - 李\n  - \"—\"\n  - {long_name}\n", 1)
                       .replace("kind: referat\n", f'kind: referat\nitems:\n  2:\n    case_number: "{long_case}"\n'
                                f'  3:\n    case_number: "{long_case}"\n', 1), encoding="utf-8")
    out = root / "output"
    build(root, out)
    ids = sorted(p.parent.name for p in (out / "personer").glob("*/index.html"))
    odd = [i for i in ids if i.startswith("person-") or i.startswith("anna-langnavn")]
    assert len(odd) == 4 and all(len(i) <= 80 for i in odd), odd
    assert "李明" in main_text(out / "personer" / next(i for i in odd if (out / "personer" / i / "index.html").read_text(
        encoding="utf-8").count("李明")) / "index.html")
    cases = [p.parent.name for p in (out / "sager").glob("*/index.html")]
    long_slug = next(c for c in cases if c.startswith("sag_2f"))
    assert len(long_slug) == 100 and urls.case_slug(long_case) == long_slug
    assert (out / "data/persons" / f"{odd[0]}.json").is_file()


def test_a_meeting_counts_once_though_its_dagsorden_has_attendance_too(tmp_path: Path) -> None:
    """The referat's attendance counts for a meeting that has both documents; a dagsorden's only while its
    meeting has no referat (member pages, body pages and the open data's Person and Membership)."""
    root = copy_project(tmp_path / "project")
    meetings = root / "content/meetings/eksempeludvalget"
    for name, attendance in (
        ("2024-01-22-dagsorden.md", ("present:\n  - name: Lise Eksempel\n    role: formand\n    party: A\n"
                                     "  - name: Dagsorden Deltager\n    party: B\nabsent:\n  - name: Ahmad Eksempel\n    absence: afbud\n")),
        ("2024-01-15-dagsorden.md", "present:\n  - name: Lise Eksempel\n    role: formand\n    party: A\n"),  # no referat
    ):
        path = meetings / name
        path.write_text(path.read_text(encoding="utf-8").replace("kind: dagsorden\n", "kind: dagsorden\n" + attendance, 1),
                        encoding="utf-8")
    out = root / "output"
    build(root, out)
    checked = check(root)
    assert checked.ok and checked.site is not None
    people = people_of(checked.site)
    assert "dagsorden-deltager" not in people  # only in the agenda version's attendance
    assert [(a.meeting.meta.date.isoformat(), a.meeting.meta.kind) for a in people["lise-eksempel"]][:2] == [
        ("2024-01-15", "dagsorden"), ("2024-01-22", "referat")]
    assert [a.status for a in people["ahmad-eksempel"]].count("absent") == 0  # absent only in the agenda version
    assert not (out / "personer/dagsorden-deltager").exists()
    lise = main_text(out / "personer/lise-eksempel/index.html")
    assert lise.count("22. januar 2024") == 1 and "Dagsorden: Eksempeludvalget, 15. januar 2024 formand" in lise
    page = out / "udvalg/eksempeludvalget/index.html"
    rows = re.findall(r"<tr><th scope=\"row\">(.*?)</tr>", page.read_text(encoding="utf-8"))
    row = re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", rows[0]))).strip()
    assert row == "Lise Eksempel A formand 15. jan. 2024 10. jun. 2024 5 0"  # the sample's 4 and the agenda-only meeting
    person = json.loads((out / "data/persons/lise-eksempel.json").read_text(encoding="utf-8"))
    assert person["membership"][0]["raadsarkiv:firstMeeting"] == "2024-01-15"
    meeting = json.loads((out / "data/meetings/eksempeludvalget/2024-01-22-referat.json").read_text(encoding="utf-8"))
    assert "https://raadsarkiv.example.dk/data/persons/dagsorden-deltager.json" not in meeting["participant"]
    agenda_only = json.loads((out / "data/meetings/eksempeludvalget/2024-01-15-referat.json").read_text(encoding="utf-8"))
    assert agenda_only["participant"] == ["https://raadsarkiv.example.dk/data/persons/lise-eksempel.json"]
