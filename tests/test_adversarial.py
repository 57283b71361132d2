"""The adversarial corpus: editors' near-misses must never put closed content or a CPR number in output/.

Each folder in tests/adversarial/ is one case, applied as edits to a copy of the sample
archive (conftest.copy_project): its files (mostly one extra meeting,
content/meetings/eksempeludvalget/2024-02-05-referat.md) are copied over the copy, and
`case.yaml` says what must happen:

- `canary`: a unique word planted in closed content. It must not occur in any byte of
  output/: raw files, gzip/zlib-decompressed data (Pagefind's index and fragments) and the
  text of copied PDFs.
- `pdfs`: PDF files to generate (path: text) before building, e.g. a closed bilag whose
  text holds the canary.
- `closed_bilag`: files whose bytes must not be copied to output/ (compared by hash).
- `cpr`: a CPR number in the case; the whole number must not appear in stdout/stderr.
- `expect`: `build` (the build succeeds, with no errors) or `check` (`build.py check` fails;
  tests/test_bad_input.py and test_safety.py prove a failing check writes nothing).
- `errors`: for `check`, exactly the problems printed, each `path:line: part of the message`.
- `public`: strings that must be in output/ (the decision that is published, a positive control).
- `html`: output file -> substrings its text must contain (e.g. a resolved href).

The builds run in parallel, each in its own process, as an editor runs `build.py`.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone
from pathlib import Path

import pytest
import yaml

from conftest import REPO, copy_project
from test_safety import readable_forms

ADVERSARIAL = Path(__file__).resolve().parent / "adversarial"
CASES = sorted(p.name for p in ADVERSARIAL.iterdir() if (p / "case.yaml").is_file())
PROBLEM_LINE = re.compile(r"^(?P<path>\S[^:]*):(?P<line>\d+): (?P<message>.*)$")


def spec_of(name: str) -> dict:
    return yaml.safe_load((ADVERSARIAL / name / "case.yaml").read_text(encoding="utf-8"))


def make_pdf(path: Path, text: str) -> None:
    """A one-page PDF whose text layer holds `text` (fpdf2 compresses the page stream)."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_creation_date(datetime(2024, 1, 1, tzinfo=timezone.utc))
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    pdf.multi_cell(0, 8, text)
    path.parent.mkdir(parents=True, exist_ok=True)
    pdf.output(str(path))


def make_case(name: str, target: Path) -> Path:
    """The sample archive with the case's files copied over it and its PDFs generated."""
    root = copy_project(target)
    case = ADVERSARIAL / name
    for path in sorted(case.rglob("*")):
        rel = path.relative_to(case)
        if path.is_file() and rel.as_posix() != "case.yaml":
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, root / rel)
    for rel, text in (spec_of(name).get("pdfs") or {}).items():
        make_pdf(root / rel, text)
    return root


def build(root: Path, command: str = "build") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(REPO / "build.py"), "--root", str(root), command],
        capture_output=True, text=True, timeout=300,
    )


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, subprocess.CompletedProcess[str]]]:
    """Every case built (or, for `expect: check`, checked) once, in parallel (each run is a separate process)."""

    folders = {name: tmp_path_factory.mktemp(name) for name in CASES}  # in this thread: mktemp is not thread-safe

    def one(name: str) -> tuple[Path, subprocess.CompletedProcess[str]]:
        root = make_case(name, folders[name] / "project")
        command = "build" if spec_of(name)["expect"] == "build" else "check"
        result = build(root, command)
        return root, result

    with ThreadPoolExecutor(max_workers=2 * (os.cpu_count() or 2)) as pool:
        return dict(zip(CASES, pool.map(one, CASES)))


def occurrences(root: Path, needle: str) -> list[str]:
    """Files under root in which `needle` occurs (case-insensitively) raw, decompressed or as PDF text."""
    token = needle.lower().encode()
    return sorted(
        path.relative_to(root).as_posix() for path in root.rglob("*")
        if path.is_file() and any(token in form.lower() for form in readable_forms(path))
    )


def test_corpus_covers_every_category() -> None:
    prefixes = {name.split("-")[0] for name in CASES}
    assert {"heading", "refdef", "image", "marker", "cpr", "public", "raw", "comment", "control"} <= prefixes
    assert len(CASES) >= 60


def test_canaries_are_unique() -> None:
    """Each case plants its own canary, so a hit names the case; none is a prefix of another."""
    canaries = [spec_of(name)["canary"] for name in CASES if spec_of(name).get("canary")]
    assert len(canaries) == len(set(canaries))
    assert not [a for a in canaries for b in canaries if a != b and a in b]


@pytest.mark.parametrize("name", CASES)
def test_adversarial(name: str, built: dict[str, tuple[Path, subprocess.CompletedProcess[str]]]) -> None:
    spec = spec_of(name)
    root, result = built[name]
    printed = result.stdout + result.stderr
    assert "Traceback" not in printed, printed
    if spec.get("cpr"):
        assert spec["cpr"] not in printed and re.sub(r"\D", "", spec["cpr"]) not in re.sub(r"[^\dX\n]", "", printed), printed
    problems = [line for line in result.stderr.splitlines() if PROBLEM_LINE.match(line)]
    errors = [line for line in problems if ": warning: " not in line]
    out = root / "output"

    if spec["expect"] == "check":
        assert result.returncode == 1, printed
        unmatched = list(errors)
        for expected in spec["errors"]:
            match = PROBLEM_LINE.match(expected)
            assert match, f"bad expected line in {name}/case.yaml: {expected!r}"
            prefix = f"{match['path']}:{match['line']}: "
            hits = [line for line in unmatched if line.startswith(prefix) and match["message"] in line]
            assert hits, f"expected {expected!r} in:\n{printed}"
            unmatched.remove(hits[0])
        assert not unmatched, "unexpected errors:\n" + "\n".join(unmatched)
        return

    assert result.returncode == 0 and not errors, printed
    if spec.get("canary"):
        assert occurrences(out, spec["canary"]) == [], f"canary {spec['canary']} leaked"
    closed = {hashlib.sha256((root / rel).read_bytes()).hexdigest() for rel in spec.get("closed_bilag", [])}
    copied = {hashlib.sha256(p.read_bytes()).hexdigest() for p in out.rglob("*") if p.is_file()}
    assert not closed & copied, "a closed bilag file was copied to output/"
    for rel in spec.get("closed_bilag", []):
        stem = Path(rel).stem
        assert not [p for p in out.rglob("*") if stem in p.name], f"something named like {rel} is in output/"
    for text in spec.get("public", []):
        assert occurrences(out, text), f"{text!r} should be published"
    broken = [p.relative_to(out).as_posix() for p in out.rglob("*.html") if re.search(r'href="[^"]*\.md[#"]', p.read_text(encoding="utf-8"))]
    assert broken == [], "an editor's .md link reached the output unresolved"
    for page, parts in (spec.get("html") or {}).items():
        html = (out / page).read_text(encoding="utf-8")
        for part in parts:
            assert part in html, f"{part!r} not in {page}"


def test_positive_control_is_found_in_html_search_index_and_pdf(built: dict) -> None:
    """The leak scan is not blind: a public canary is found in the page, Pagefind's files and the copied PDF."""
    root, _ = built["control-public-canary"]
    found = occurrences(root / "output", spec_of("control-public-canary")["public"][0])
    assert "udvalg/eksempeludvalget/2024-02-05-referat/index.html" in found
    assert any(p.startswith("pagefind/fragment/") for p in found) and any(p.startswith("pagefind/index/") for p in found)
    pdf_text = occurrences(root / "output", spec_of("control-public-canary")["public"][1])
    assert "bilag/eksempeludvalget/2024-02-05/program-pdf/program.pdf" in pdf_text
