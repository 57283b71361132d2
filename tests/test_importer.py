"""`python build.py import`: the seeds, in every format, against the sample archive's hand-made meeting files.

The corpus is generated here (tests/importer_corpus.py). Every imported file must pass
`check`; the imported structure is compared with the hand-made file and the rates are
printed (run with -s to see them) and asserted.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from conftest import REPO, copy_project
from importer_corpus import published_blocks, seed_blocks, write_all

from raadsarkiv.importer.command import Options, import_paths
from raadsarkiv.model import Meeting
from raadsarkiv.pipeline import check

SEEDS = REPO.parent / "shared" / "seeds"  # ../shared/seeds/, beside the project here and in CI
# seed file -> (body, hand-made meeting file)
CASES = {
    "broenderslev-integrationsraadet-referat-2018-05-24": ("integrationsraadet-broenderslev", "2018-05-24-referat.md"),
    "aalborg-integrationsraadet-referat-2023-10-10": ("integrationsraadet-aalborg", "2023-10-10-referat.md"),
}
EXAMPLE = ("eksempeludvalget", "2024-01-22-referat.md")
FORMATS = ("text", "pdf-plain", "pdf-running", "pdf-toc", "docx", "html")


def run(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(REPO / "build.py"), "--root", str(root), "import", *args],
                          capture_output=True, text=True)


@dataclass
class Structure:
    items: dict[int, tuple[str, tuple[str, ...], bool]]  # number -> (title, section names, closed)
    public_decision: dict[int, bool]
    absent: list[tuple[str, str | None, str | None]]  # name, substitute, absence
    present: list[tuple[str, str | None]]  # name, role
    case_numbers: dict[int, tuple[str | None, str | None, str | None]]


def structure(meeting: Meeting) -> Structure:
    return Structure(
        {item.number: (item.title, tuple(s.name for s in item.sections), item.closed) for item in meeting.items},
        {item.number: item.public_decision for item in meeting.items},
        [(a.name, a.substitute, a.absence) for a in meeting.meta.absent],
        [(p.name, p.role) for p in meeting.meta.present],
        {n: (m.case_number, m.kle, m.document_number) for n, m in meeting.meta.items.items() if m.case_number or m.kle or m.document_number},
    )


def meetings(root: Path) -> dict[str, Meeting]:
    checked = check(root)
    assert checked.content is not None
    errors = [p.format() for p in checked.problems if p.severity == "error"]
    assert not errors, errors
    return {meeting.path: meeting for meeting in checked.content.meetings}


@pytest.fixture(scope="module")
def hand_made(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Structure]:
    found = meetings(copy_project(tmp_path_factory.mktemp("hand-made")))
    return {path: structure(meeting) for path, meeting in found.items()}


@dataclass
class Tally:
    items: int = 0
    found: int = 0
    titles: int = 0
    titled: int = 0  # hand-made items whose title the source carries
    titles_right_of_titled: int = 0
    sections: int = 0
    sections_found: int = 0
    closed: int = 0
    closed_as_open: int = 0

    def add(self, want: Structure, got: Structure, source_text: str, decisions: dict[int, bool]) -> None:
        for number, (title, sections, closed) in want.items.items():
            if closed:  # a closed item's sections are not imported; with a public decision, its decision is
                sections = tuple(name for name in sections if decisions.get(number) and name.startswith("Beslutning"))
            self.items += 1
            self.sections += len(sections)
            self.closed += closed
            if number not in got.items:
                self.closed_as_open += closed
                continue
            got_title, got_sections, got_closed = got.items[number]
            self.found += 1
            self.titles += got_title == title
            if title in source_text:
                self.titled += 1
                self.titles_right_of_titled += got_title == title
            self.sections_found += sum(1 for name in set(sections) if name in got_sections)
            self.closed_as_open += closed and not got_closed

    def rates(self) -> dict[str, float]:
        return {
            "items found": self.found / self.items,
            "titles exactly right": self.titles / self.items,
            "titles right (of titles the source has)": self.titles_right_of_titled / max(self.titled, 1),
            "sections found": self.sections_found / max(self.sections, 1),
        }


def _import_all(root: Path, files: dict[str, Path], body: str) -> None:
    lines: list[str] = []
    assert import_paths(root, [files[name] for name in files], Options(body), lines.append) == 0, "\n".join(lines)


def test_the_seeds_are_there() -> None:
    assert all((SEEDS / f"{stem}.txt").is_file() for stem in CASES), f"the seeds are expected in {SEEDS}"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("corpus")
    for stem in CASES:
        text = (SEEDS / f"{stem}.txt").read_text(encoding="utf-8")
        made = write_all(seed_blocks(text), folder, stem, running="Integrationsrådet – Referat")
        shutil.copyfile(SEEDS / f"{stem}.txt", made["text"])  # the real export, not a rewrite of it
    _, front, body = (REPO / "content/meetings" / EXAMPLE[0] / EXAMPLE[1]).read_text(encoding="utf-8").split("---\n", 2)
    write_all(published_blocks(body, yaml.safe_load(front)), folder, "eksempeludvalget-referat-2024-01-22", running="Eksempeludvalget – Referat 22. januar 2024")
    return folder


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_imports_and_matches_the_hand_made_files(fmt: str, corpus: Path, hand_made: dict[str, Structure],
                                                               tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")
    tally = Tally()
    cases = {**CASES, "eksempeludvalget-referat-2024-01-22": EXAMPLE}
    for stem, (body, name) in cases.items():
        (root / "content/meetings" / body / name).unlink()
        source = next((corpus / fmt).glob(f"{stem}.*"))
        lines: list[str] = []
        code = import_paths(root, [source], Options(body), lines.append)
        assert code == 0, "\n".join(lines)
        assert (root / "content/meetings" / body / name).is_file(), "\n".join(lines)
    got = meetings(root)
    for stem, (body, name) in cases.items():
        path = f"content/meetings/{body}/{name}"
        source_text = (SEEDS / f"{stem}.txt").read_text(encoding="utf-8") if stem in CASES else (REPO / path).read_text(encoding="utf-8")
        want = hand_made[path]
        have = structure(got[path])
        tally.add(want, have, source_text, want.public_decision)
        assert have.absent == want.absent, (fmt, stem)
        assert have.present == want.present, (fmt, stem)
        assert have.case_numbers == want.case_numbers, (fmt, stem)
    rates = tally.rates()
    print(f"\n{fmt}: " + ", ".join(f"{name} {rate:.0%}" for name, rate in rates.items())
          + f"; closed items {tally.closed}, imported as open {tally.closed_as_open}")
    assert rates["items found"] >= 0.95
    assert rates["titles right (of titles the source has)"] >= 0.90
    assert rates["sections found"] >= 0.90
    assert tally.closed and tally.closed_as_open == 0
    imported = (root / "content/meetings" / EXAMPLE[0] / EXAMPLE[1]).read_text(encoding="utf-8")
    assert "HEMMELIG" not in imported  # a closed item's text is never imported
    assert "OFFENTLIG-BESLUTNING-M2N6" in imported  # … but a public decision is


# --- behaviour ---------------------------------------------------------------------------------

MINUTES = """Testudvalget - Referat
Dato: 5. marts 2024
Tidspunkt: Kl. 16.00-18.00
Sted: Rådhuset, mødelokale 2
Afbud: Anna Andersen, Bo Berg (stedfortræder Carl Clausen mødt)

Indledende bemærkning fra sekretariatet.

Pkt. 1 Godkendelse af dagsorden
Sagsnr.: 2024-001122
J.nr.: 00.01.00-A00
Dok.nr.: 2024-445566

BESLUTNING

Godkendt.

Punkt 2: Budget 2025
Sagsfremstilling
Budgettet blev gen-
nemgået af direktionen.
1. januar 2025 træder det i kraft.
Beslutning fra Økonomiudvalget
Anbefales.

3. Personalesag
Lukket punkt
Sagsfremstilling
HEMMELIG-TEKST-A1 om en medarbejder.
Beslutning
Taget til efterretning.

4. Lukket dagsordenpunkt: Salg af grund
Sagsfremstilling
HEMMELIG-TEKST-B2 om prisen.

LUKKEDE PUNKTER

5. Klagesag

6. Erstatningssag

Åbne punkter

7. Eventuelt
Beslutning
Intet.
"""


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "project")


def _write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_patterns_closed_items_metadata_and_attendance(root: Path, tmp_path: Path) -> None:
    source = _write(tmp_path / "in", "testudvalget.txt", MINUTES)
    result = run(root, str(source), "--body", "eksempeludvalget")
    assert result.returncode == 0, result.stdout + result.stderr
    text = (root / "content/meetings/eksempeludvalget/2024-03-05-referat.md").read_text(encoding="utf-8")
    assert 'start: "16:00"\nend: "18:00"\nplace: "Rådhuset, mødelokale 2"' in text
    assert '  - name: "Anna Andersen"\n    absence: "afbud"\n  - name: "Bo Berg"\n    absence: "afbud"\n    substitute: "Carl Clausen"' in text
    assert '  1:\n    case_number: "2024-001122"\n    kle: "00.01.00-A00"\n    document_number: "2024-445566"' in text
    assert "## 1. Godkendelse af dagsorden\n\n### Beslutning\n\nGodkendt." in text
    assert "## 2. Budget 2025\n\n### Sagsfremstilling\n\nBudgettet blev gennemgået af direktionen.\n1\\. januar 2025" in text
    assert "### Beslutning fra Økonomiudvalget" in text
    for closed in ("## 3. Personalesag {lukket}", "## 4. Salg af grund {lukket}", "## 5. Klagesag {lukket}", "## 6. Erstatningssag {lukket}"):
        assert closed + "\n" in text
    assert "## 7. Eventuelt\n" in text and "{lukket}" not in text.split("## 7.")[1]
    assert "HEMMELIG" not in text and "Taget til efterretning" not in text
    assert "Indledende bemærkning fra sekretariatet." in text.split("## 1.")[0]  # unplaced: kept in the introduction
    assert "item 3 is closed: only its title imported" in result.stdout
    assert "`check`: no errors in this file" in result.stdout


def test_a_cpr_number_stops_the_import_of_that_file(root: Path, tmp_path: Path) -> None:
    source = _write(tmp_path / "in", "2024-03-05-referat.txt", "1. Godkendelse af dagsorden\nBeslutning\nBorger 010203-1234 klagede.\n")
    result = run(root, str(source), "--body", "eksempeludvalget")
    assert result.returncode == 1
    assert f"{source}:3: '010203-XXXX' looks like a CPR number" in result.stdout
    assert "1234" not in result.stdout + result.stderr
    assert not (root / "content/meetings/eksempeludvalget/2024-03-05-referat.md").exists()


def test_never_overwrites_without_force_and_twice_gives_the_same_file(root: Path, tmp_path: Path) -> None:
    source = _write(tmp_path / "in", "referat.txt", MINUTES)
    target = root / "content/meetings/eksempeludvalget/2024-03-05-referat.md"
    assert run(root, str(source), "--body", "eksempeludvalget").returncode == 0
    first = target.read_bytes()
    again = run(root, str(source), "--body", "eksempeludvalget")
    assert again.returncode == 0 and "(unchanged)" in again.stdout and target.read_bytes() == first
    target.write_text(first.decode().replace("Godkendt.", "Godkendt med rettelser."), encoding="utf-8")
    edited = target.read_bytes()
    refused = run(root, str(source), "--body", "eksempeludvalget")
    assert refused.returncode == 1 and "(exists)" in refused.stdout and "--force" in refused.stdout
    assert target.read_bytes() == edited
    forced = run(root, str(source), "--body", "eksempeludvalget", "--force")
    assert forced.returncode == 0 and "(replaced)" in forced.stdout
    assert "changes: +1 -1 line(s); changed: item 1" in forced.stdout
    assert target.read_bytes() == first


def test_options_override_and_name_date_kind(root: Path, tmp_path: Path) -> None:
    source = _write(tmp_path / "in", "udvalg-dagsorden-2024-04-02.txt", "1. Godkendelse af dagsorden\nIndstilling\nGodkendes.\n")
    assert run(root, str(source), "--body", "eksempeludvalget").returncode == 0
    assert (root / "content/meetings/eksempeludvalget/2024-04-02-dagsorden.md").is_file()
    result = run(root, str(source), "--body", "eksempeludvalget", "--date", "2024-04-03", "--kind", "referat")
    assert result.returncode == 0 and "the file name says 2024-04-02, but 2024-04-03 was used" in result.stdout
    assert (root / "content/meetings/eksempeludvalget/2024-04-03-referat.md").is_file()
    undated = _write(tmp_path / "in2", "noget.txt", "1. Godkendelse af dagsorden\nBeslutning\nGodkendt.\n")
    failed = run(root, str(undated), "--body", "eksempeludvalget")
    assert failed.returncode == 1 and "no meeting date in the document or the file name; give it with --date" in failed.stdout


def test_a_folder_with_bilag_html_links_and_named_files(root: Path, tmp_path: Path) -> None:
    folder = tmp_path / "eksport"
    (folder / "filer").mkdir(parents=True)
    (folder / "filer" / "Mødeplan 2024.pdf").write_bytes(b"%PDF-1.4 stand-in")
    (folder / "notat.pdf").write_bytes(b"%PDF-1.4 stand-in 2")
    (folder / "hemmeligt.pdf").write_bytes(b"%PDF-1.4 closed")
    _write(folder, "2024-05-01-referat.html", """<html><body><h1>Referat</h1>
<h2>1. Mødeplan</h2><h3>Beslutning</h3><p>Godkendt.</p><h3>Bilag</h3>
<ul><li><a href="filer/M%C3%B8deplan%202024.pdf">Mødeplan 2024</a></li><li><a href="https://example.dk/x">Ekstern</a></li></ul>
<h2>2. Personalesag</h2><p>Lukket punkt</p><p><a href="hemmeligt.pdf">Notat</a></p></body></html>""")
    _write(folder, "2024-06-01-referat.txt", "1. Orientering\nBeslutning\nTaget til efterretning.\nBilag\nnotat.pdf\n")
    (folder / "regneark.xlsx").write_bytes(b"PK")
    result = run(root, str(folder), "--body", "eksempeludvalget")
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"Not imported (not minutes this command reads, and no document names them as bilag): {folder / 'regneark.xlsx'}" in result.stdout
    assert "[1/2] 2024-05-01-referat.html" in result.stdout and "[2/2] 2024-06-01-referat.txt" in result.stdout
    assert "Summary: 2 written of 2 file(s)" in result.stdout
    may = (root / "content/meetings/eksempeludvalget/2024-05-01-referat.md").read_text(encoding="utf-8")
    assert "- [Mødeplan 2024](../../bilag/eksempeludvalget/2024-05-01/moedeplan-2024.pdf)" in may
    assert (root / "content/bilag/eksempeludvalget/2024-05-01/moedeplan-2024.pdf").read_bytes() == b"%PDF-1.4 stand-in"
    assert not (root / "content/bilag/eksempeludvalget/2024-05-01/hemmeligt.pdf").exists()  # a closed item's bilag
    assert "bilag hemmeligt.pdf belongs to closed item 2; not copied" in result.stdout
    june = (root / "content/meetings/eksempeludvalget/2024-06-01-referat.md").read_text(encoding="utf-8")
    assert "- [notat](../../bilag/eksempeludvalget/2024-06-01/notat.pdf)" in june


def test_pdf_layout_cleanup(corpus: Path) -> None:
    from raadsarkiv.importer.command import read_source
    from raadsarkiv.importer.patterns import patterns

    stem = "broenderslev-integrationsraadet-referat-2018-05-24"
    running = read_source(corpus / "pdf-running" / f"{stem}.pdf", patterns())
    texts = [line.text for line in running.lines]
    assert sum("udskrevet fra dagsordenssystemet" in text for text in texts) == 1  # the first one kept
    assert not any(text.startswith("Side ") and " af " in text for text in texts)
    words = " ".join(texts)
    assert "integrationsydelsesmodtagere" in words and not any(t.endswith(("integrations-", "integrationsydel-")) for t in texts)
    toc = read_source(corpus / "pdf-toc" / f"{stem}.pdf", patterns())
    assert toc.set_aside and toc.set_aside[0].text == "Indholdsfortegnelse"
    assert not any(line.text.strip("- ").isdigit() for line in toc.lines)


@pytest.mark.parametrize(("name", "data", "expected"), [
    ("broken.pdf", b"not a pdf at all", "cannot read the PDF"),
    ("broken.docx", b"PK not a zip", "cannot read the Word file"),
    ("latin1.txt", "1. Godkendelse\nBeslutning\nGodkendt på mødet i Århus.\n".encode("latin-1"), "not UTF-8 text"),
    ("notes.rtf", b"{\\rtf1}", "cannot import a .rtf"),
    ("2024-01-01-referat.txt", b"Ingen punkter her.\n", "no agenda items found"),
])
def test_bad_input_is_reported_not_raised(root: Path, tmp_path: Path, name: str, data: bytes, expected: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    result = run(root, str(path), "--body", "eksempeludvalget")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert f"{path}:" in result.stdout and expected in result.stdout


def test_patterns_come_from_site_config(root: Path, tmp_path: Path) -> None:
    config = root / "site_config.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "import:\n  item_headings:\n    - 'Sag (?P<number>\\d+) - (?P<title>.+)'\n"
                      "  section_aliases:\n    Sagsbeskrivelse: Sagsfremstilling\n", encoding="utf-8")
    source = _write(tmp_path / "in", "2024-02-02-referat.txt", "Sag 12 - Ny legeplads\nSagsbeskrivelse\nEn legeplads.\nBeslutning\nGodkendt.\n")
    result = run(root, str(source), "--body", "eksempeludvalget")
    assert result.returncode == 0, result.stdout + result.stderr
    text = (root / "content/meetings/eksempeludvalget/2024-02-02-referat.md").read_text(encoding="utf-8")
    assert "## 12. Ny legeplads\n\n### Sagsfremstilling\n\nEn legeplads.\n\n### Beslutning" in text
    config.write_text(config.read_text(encoding="utf-8").replace("(?P<number>\\d+)", "(?P<nummer>\\d+)"), encoding="utf-8")
    checked = check(root)
    assert any("site_config.yaml" in p.path and "needs the named group(s) (?P<number>…)" in p.message for p in checked.problems)


def test_headings_without_sections_and_titles_on_the_next_line(root: Path, tmp_path: Path) -> None:
    source = _write(tmp_path / "in", "2024-09-09-referat.txt", """Referat

1. Godkendelse af dagsorden

Godkendt.

Pkt. 2
Valg af næstformand
Beslutning
Anna blev valgt.

3. Orientering Lukket

Fortrolig HEMMELIG-C3 orientering.

4. Eventuelt

Intet.
""")
    result = run(root, str(source), "--body", "eksempeludvalget")
    assert result.returncode == 0, result.stdout + result.stderr
    text = (root / "content/meetings/eksempeludvalget/2024-09-09-referat.md").read_text(encoding="utf-8")
    assert "## 1. Godkendelse af dagsorden\n\nGodkendt.\n\n## 2. Valg af næstformand\n\n### Beslutning" in text
    assert "## 3. Orientering {lukket}\n" in text and "HEMMELIG" not in text
    # a weak heading (no structure after it) never ends a closed item: its text could become public
    assert "## 4." not in text and "'4. Eventuelt' may start a new item, but it follows closed item 3" in result.stdout


def test_a_table_of_contents_list_is_not_taken_for_the_items(root: Path, tmp_path: Path) -> None:
    page = """<html><body><h1>Referat</h1><p>Dato: 3. april 2024</p>
<div><p>1. Godkendelse af dagsorden</p><p>2. Budget</p><p>3. Eventuelt</p></div>
<p>1. Godkendelse af dagsorden</p><p>Beslutning</p><p>Godkendt.</p>
<p>2. Budget</p><p>Indstilling</p><p>Drøftes.</p>
<p>3. Eventuelt</p><p>Beslutning</p><p>Intet.</p></body></html>"""
    source = _write(tmp_path / "in", "side.html", page)
    result = run(root, str(source), "--body", "eksempeludvalget")
    assert result.returncode == 0, result.stdout + result.stderr
    text = (root / "content/meetings/eksempeludvalget/2024-04-03-referat.md").read_text(encoding="utf-8")
    assert "## 1. Godkendelse af dagsorden\n\n### Beslutning\n\nGodkendt.\n\n## 2. Budget\n\n### Indstilling" in text
    assert "\n1. Godkendelse af dagsorden\n2. Budget\n3. Eventuelt\n-->" in text  # the list is kept, unplaced


def test_odd_text_never_raises(tmp_path: Path) -> None:
    import random

    from raadsarkiv.config import Vocabulary
    from raadsarkiv.importer.command import read_source
    from raadsarkiv.importer.patterns import patterns
    from raadsarkiv.importer.structure import recognise
    from raadsarkiv.importer.writer import meeting_text

    pieces = ["1. Titel", "Pkt. 2", "Lukket", "Åben", "Beslutning", "BILAG", "Fraværende:", "Afbud: A, B og C", "Sagsnr.:",
              "Dato: 31. februar 2024", "Kl. 25.99", "•", "{lukket}", "-->", "# x", "", "", "Lukkede punkter", "Til toppen",
              "Kontakt", "Indholdsfortegnelse", "3. lille", "Navn (stedfortræder)", "Beslutningen er offentlig.", "0. Nul"]
    rng = random.Random(11)
    for attempt in range(200):
        text = "\n".join(rng.choice(pieces) for _ in range(rng.randint(0, 40)))
        path = tmp_path / f"{attempt}.txt"
        path.write_text(text, encoding="utf-8")
        meeting = recognise(read_source(path, patterns()), patterns(), Vocabulary())
        if meeting.items:
            import datetime as dt

            meeting.date, meeting.kind = dt.date(2024, 1, 1), "referat"
            assert meeting_text(meeting, "eksempeludvalget", path.name).startswith("---\nbody: eksempeludvalget\n")
