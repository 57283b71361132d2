"""Safety of the output: closed content never reaches output/, builds are deterministic and atomic."""

from __future__ import annotations

import gzip
import hashlib
import io
import os
import re
import shutil
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import REPO, copy_project
from raadsarkiv.cli import main
from raadsarkiv.writer import MARKER, MARKER_TEXT, write_site

# Unique strings planted in the sample archive's closed parts (content/meetings/eksempeludvalget/
# 2024-01-22-referat.md and its bilag PDFs): a closed item, its bilag, a closed bilag of an open
# item, and the case text of a closed item whose decision is public.
SECRETS = ["HEMMELIG-PUNKT-Q7X2", "HEMMELIG-BILAG-K9P4", "HEMMELIG-LUKKETBILAG-Z3M8", "HEMMELIG-SAGSFREMSTILLING-W5R1",
           "HEMMELIG-AFSTEMNING-K3P9", "HEMMELIG-UNDERPUNKT-K4T8",  # a closed sub-item (16.2) of 2024-05-13-referat.md
           # A draft (draft: true) and a meeting under embargo until 2099 (publish_after) of content/meetings/eksempeludvalget/.
           "KLADDE-MARKOER-D4V7", "EMBARGO-MARKOER-E8B3"]
PUBLIC = "OFFENTLIG-BESLUTNING-M2N6"  # the publishable decision of that closed item
CLOSED_BILAG = ["personalesag.pdf", "notat-enkeltsag.pdf"]


def _inflate(data: bytes) -> list[bytes]:
    """Every way `data` might hide compressed bytes: gzip members and zlib streams found anywhere in it."""
    found: list[bytes] = []
    if data[:2] == b"\x1f\x8b":
        try:
            found.append(gzip.decompress(data))
        except (OSError, EOFError, zlib.error):
            pass
    for match in re.finditer(rb"\x78[\x01\x5e\x9c\xda]", data):  # zlib headers (PDF FlateDecode streams etc.)
        try:
            found.append(zlib.decompressobj().decompress(data[match.start():]))
        except zlib.error:
            pass
    return found


def _pdf_text(data: bytes) -> str:
    """All text pypdf can extract from a PDF."""
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)


def readable_forms(path: Path) -> list[bytes]:
    """The file's raw bytes, everything decompressed from it, and the text of a PDF."""
    data = path.read_bytes()
    forms = [data, *_inflate(data)]
    forms += [inner for form in forms[1:] for inner in _inflate(form)]  # gzip inside zlib and the like
    if data.startswith(b"%PDF"):
        forms.append(_pdf_text(data).encode("utf-8"))
    return forms


def find_strings(root: Path, needles: list[str]) -> dict[str, list[str]]:
    """Where in the tree each needle occurs (case-insensitively, also as its unique last part)."""
    hits: dict[str, list[str]] = {needle: [] for needle in needles}
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        for form in readable_forms(path):
            lowered = form.lower()
            for needle in needles:
                token = needle.lower().rsplit("-", 1)[1].encode()
                if needle.lower().encode() in lowered or re.search(rb"(?<![a-z0-9])" + token + rb"(?![a-z0-9])", lowered):
                    hits[needle].append(path.relative_to(root).as_posix())
    return {needle: sorted(set(paths)) for needle, paths in hits.items()}


def tree(root: Path) -> dict[str, str]:
    """Relative path -> sha256 of every file under root."""
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*")) if p.is_file()
    }


def test_secrets_are_in_the_input() -> None:
    """The markers really are in the sample's closed parts, so their absence from output means something."""
    found = find_strings(REPO / "content", SECRETS + [PUBLIC])
    assert all(found.values()), found
    assert found["HEMMELIG-BILAG-K9P4"] == ["bilag/eksempeludvalget/2024-01-22/personalesag.pdf"]
    assert found["HEMMELIG-LUKKETBILAG-Z3M8"] == ["bilag/eksempeludvalget/2024-01-22/notat-enkeltsag.pdf"]


def test_scanner_finds_strings_in_compressed_and_pdf_files(tmp_path: Path) -> None:
    """The scan looks inside gzip, zlib and PDF text, so a clean result is not a blind spot."""
    (tmp_path / "index.pf_fragment").write_bytes(gzip.compress(b"pagefind_dcd{\"content\":\"hemmelig punkt q7x2\"}"))
    (tmp_path / "blob.bin").write_bytes(b"\x00\x01" + zlib.compress(b"HEMMELIG-SAGSFREMSTILLING-W5R1") + b"\xff")
    shutil.copy(REPO / "content/bilag/eksempeludvalget/2024-01-22/personalesag.pdf", tmp_path / "x.pdf")
    found = find_strings(tmp_path, SECRETS)
    assert found["HEMMELIG-PUNKT-Q7X2"] == ["index.pf_fragment"]
    assert found["HEMMELIG-SAGSFREMSTILLING-W5R1"] == ["blob.bin"]
    assert found["HEMMELIG-BILAG-K9P4"] == ["x.pdf"]


def test_closed_content_never_reaches_output(sample_site: Path) -> None:
    """No byte of output/ (raw, decompressed or PDF text) contains a closed marker; the public decision is there."""
    found = find_strings(sample_site, SECRETS + [PUBLIC])
    assert {needle: found[needle] for needle in SECRETS} == {needle: [] for needle in SECRETS}
    assert "udvalg/eksempeludvalget/2024-01-22-referat/index.html" in found[PUBLIC]


def test_closed_bilag_files_are_not_copied(sample_site: Path) -> None:
    """Neither a file with a closed bilag's name nor one with its bytes is in output/."""
    names = {p.name for p in sample_site.rglob("*")}
    assert not names & set(CLOSED_BILAG)
    assert not any("personalesag" in name or "notat-enkeltsag" in name for name in names)
    closed = {hashlib.sha256((REPO / "content/bilag/eksempeludvalget/2024-01-22" / n).read_bytes()).hexdigest() for n in CLOSED_BILAG}
    assert not closed & set(tree(sample_site).values())


def test_closed_items_show_number_title_and_label_only(sample_site: Path) -> None:
    html = (sample_site / "udvalg/eksempeludvalget/2024-01-22-referat/index.html").read_text(encoding="utf-8")
    assert "Personalesag (eksempel)" in html
    assert "Lukket punkt" in html
    assert "Taget til efterretning" not in html  # the closed item's decision (not marked publishable)
    assert "Notat om enkeltsag" in html and "ikke offentligt" in html  # a closed bilag: title only


def _build(root: Path, out: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(REPO / "build.py"), "--root", str(root), "build", "--output", str(out)],
        capture_output=True, text=True, timeout=300, env={**os.environ, **env},
    )


def test_builds_are_byte_identical(sample_site: Path, tmp_path: Path) -> None:
    """Other folder, other hash seed, other time zone, fresh file times: the same bytes."""
    root = copy_project(tmp_path / "elsewhere")
    for path in root.rglob("*"):
        os.utime(path, (1_000_000_000, 1_000_000_000))
    result = _build(root, root / "output", PYTHONHASHSEED="12345", TZ="Pacific/Auckland")
    assert result.returncode == 0, result.stderr
    result2 = _build(root, tmp_path / "second", PYTHONHASHSEED="0", TZ="America/Los_Angeles")
    assert result2.returncode == 0, result2.stderr
    reference = stable_tree(sample_site)
    assert stable_tree(root / "output") == reference
    assert stable_tree(tmp_path / "second") == reference


def stable_tree(root: Path) -> dict[str, str]:
    """Relative path -> sha256 of every file under root, except Pagefind's filter and meta files.

    Pagefind (1.5) writes those in a different order on every run (upstream: Pagefind/pagefind#638);
    its fragments and word index, which hold the indexed text, are stable and compared.
    """
    unstable = re.compile(r"pagefind/(filter/.*|pagefind\.[^/]*\.pf_meta|pagefind-entry\.json)")
    return {rel: digest for rel, digest in tree(root).items() if not unstable.fullmatch(rel)}


def test_failed_build_leaves_previous_output_untouched(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = copy_project(tmp_path / "project")
    out = root / "output"
    assert main(["--root", str(root), "build"]) == 0
    before = tree(out)
    meeting = root / "content/meetings/eksempeludvalget/2024-01-22-referat.md"
    meeting.write_text(meeting.read_text(encoding="utf-8").replace("kind: referat", "kind: referatt"), encoding="utf-8")
    capsys.readouterr()
    assert main(["--root", str(root), "build"]) == 1
    assert "kind" in capsys.readouterr().err
    assert tree(out) == before
    # Besides output/, only the bilag text cache (git-ignored .cache/, see docs/search.md) may appear.
    assert sorted(p.name for p in root.iterdir()) == [".cache", "content", "output", "site_config.yaml"]


def test_failure_while_writing_restores_previous_output(tmp_path: Path) -> None:
    """An error half-way through writing (here: a vanished source file) keeps the old site and no staging folder."""
    out = tmp_path / "output"
    write_site(tmp_path, out, {"index.html": b"old"}, {})
    with pytest.raises(FileNotFoundError):
        write_site(tmp_path, out, {"index.html": b"new", "a/b.html": b"x"}, {"bilag/x.pdf": tmp_path / "missing.pdf"})
    assert tree(out) == {"index.html": hashlib.sha256(b"old").hexdigest(), MARKER: hashlib.sha256(MARKER_TEXT).hexdigest()}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["output"]


@pytest.mark.parametrize("where", [".", "content", "content/pages", ".."])
def test_build_refuses_dangerous_output_folders(where: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = copy_project(tmp_path / "project")
    before = tree(root)
    assert main(["--root", str(root), "build", "--output", str(root / where)]) == 2
    assert "refusing to write" in capsys.readouterr().err
    assert tree(root) == before
