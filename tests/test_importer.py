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

SEEDS = Path("/work/shared/seeds") if Path("/work/shared/seeds").is_dir() else REPO.parent / "shared" / "seeds"
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
    absent: list[tuple[str, str | None]]
    case_numbers: dict[int, tuple[str | None, str | None, str | None]]


def structure(meeting: Meeting) -> Structure:
    return Structure(
        {item.number: (item.title, tuple(s.name for s in item.sections), item.closed) for item in meeting.items},
        {item.number: item.public_decision for item in meeting.items},
        [(a.name, a.substitute) for a in meeting.meta.absent],
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
