"""Closed means closed, on the file system: no symbolic links followed, no twin names, no output folder that is not ours.

See docs/content-format.md, "File-system rules".
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from conftest import REPO, copy_project, override
from raadsarkiv import writer
from raadsarkiv.cli import main
from raadsarkiv.errors import Problems
from raadsarkiv.files import walk
from raadsarkiv.pipeline import build, check, render_site
from raadsarkiv.writer import MARKER, UnsafeOutput, copy_file, write_files, write_site

BILAG = "content/bilag/eksempeludvalget/2024-01-22"


def tree(root: Path) -> dict[str, str]:
    """Relative path -> sha256 of every file under root (symbolic links are listed, not followed)."""
    found = {}
    for folder, dirs, names in os.walk(root):
        for name in names + [d for d in dirs if os.path.islink(os.path.join(folder, d))]:
            path = Path(folder, name)
            rel = path.relative_to(root).as_posix()
            found[rel] = f"-> {os.readlink(path)}" if path.is_symlink() else hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def errors(root: Path) -> list[str]:
    return [p.format() for p in check(root).problems if p.severity == "error"]


def run_check(root: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(["--root", str(root), "check"])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


@pytest.fixture
def root(tmp_path: Path) -> Path:
    root = copy_project(tmp_path / "project")
    override(root, "static/style.css")  # a site with a static/ folder of its own
    return root


# --- symbolic links --------------------------------------------------------------------------------


def test_symlinked_file_in_content_is_an_error(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (root / "content/pages/kopi.md").symlink_to("om.md")
    code, output = run_check(root, capsys)
    assert code == 1
    assert "content/pages/kopi.md:1: symbolic link (to om.md) is not allowed in content/ and is not followed; copy the file instead" in output
    assert "Traceback" not in output


def test_symlinked_folder_in_content_is_an_error_and_never_read(root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    outside = tmp_path / "outside"
    (outside / "2024-02-01").mkdir(parents=True)
    (outside / "2024-02-01" / "fortroligt.pdf").write_bytes(b"%PDF-1.4 secret")
    (outside / "hemmelig.md").write_text("---\ntitle: x\n---\n", encoding="utf-8")
    (root / "content/bilag/eksempeludvalget/mere").symlink_to(outside, target_is_directory=True)
    (root / "content/pages/mere").symlink_to(outside, target_is_directory=True)
    code, output = run_check(root, capsys)
    assert code == 1
    assert f"content/bilag/eksempeludvalget/mere:1: symbolic link (to {outside}) is not allowed in content/" in output
    assert f"content/pages/mere:1: symbolic link (to {outside}) is not allowed in content/" in output
    assert "fortroligt" not in output and "hemmelig" not in output  # never looked inside
    assert main(["--root", str(root), "build"]) == 1
    assert not (root / "output").exists()


def test_static_symlink_to_environ_is_an_error_and_never_copied(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (root / "static/env.txt").symlink_to("/proc/self/environ")
    (root / "static/fonts").symlink_to("/etc", target_is_directory=True)
    code, output = run_check(root, capsys)
    assert code == 1  # check fails, not only build
    assert "static/env.txt:1: symbolic link (to /proc/self/environ) is not allowed in static/ and is not followed" in output
    assert "static/fonts:1: symbolic link (to /etc) is not allowed in static/ and is not followed; copy the folder instead" in output
    result = subprocess.run(
        [sys.executable, str(REPO / "build.py"), "--root", str(root), "build"],
        capture_output=True, text=True, timeout=300, env={**os.environ, "RAADSARKIV_TEST_SECRET": "ENVIRON-LEAK-7Q3"},
    )
    assert result.returncode == 1 and "static/env.txt:1: symbolic link" in result.stderr + result.stdout
    assert not (root / "output").exists()


def test_render_site_and_copy_refuse_symlinks_themselves(root: Path, tmp_path: Path) -> None:
    """Defence in depth: a link that appears after the check is still never followed."""
    checked = check(root)
    assert checked.ok and checked.site is not None
    (root / "static/env.txt").symlink_to("/proc/self/environ")
    with pytest.raises(UnsafeOutput, match="static/env.txt"):
        render_site(root, checked.site)  # walks static/ again, as the preview's callers without static_files do
    files, copies = render_site(root, checked.site, static_files=checked.static_files)
    assert "static/env.txt" not in copies  # only what the checked walk returned
    stage = tmp_path / "stage"
    stage.mkdir()
    with pytest.raises(UnsafeOutput, match="symbolic link"):
        write_files(stage, {}, {"static/env.txt": root / "static/env.txt"})
    assert tree(stage) == {}


def test_special_files_are_errors_and_never_block(root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    os.mkfifo(root / "static/pipe")
    code, output = run_check(root, capsys)
    assert code == 1
    assert "static/pipe:1: not a regular file or folder (a pipe, socket or device); remove it" in output
    with pytest.raises(UnsafeOutput, match="not a regular file"):
        copy_file(root / "static/pipe", tmp_path / "copy")  # returns at once instead of waiting for a writer
    assert not (tmp_path / "copy").exists()


def test_symlinked_static_folder_is_an_error(root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.move(root / "static", tmp_path / "real-static")
    (root / "static").symlink_to(tmp_path / "real-static", target_is_directory=True)
    code, output = run_check(root, capsys)
    assert code == 1
    assert f"static:1: symbolic link (to {tmp_path / 'real-static'}); it is not followed" in output


def test_walk_keeps_the_order_and_the_hidden_rule_of_before(root: Path) -> None:
    """The same files, in the same order, as the rglob walk it replaced (hidden names skipped in content/)."""
    (root / "content/pages/.utkast.md").write_text("draft", encoding="utf-8")
    (root / "content/.git").mkdir()
    (root / "content/.git/config").write_text("x", encoding="utf-8")
    content = root / "content"
    before = [
        p.relative_to(content).as_posix() for p in sorted(content.rglob("*"))
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(content).parts)
    ]
    problems = Problems()
    assert [rel for _, rel in walk(content, "content", problems)] == before
    assert problems.all() == []
    (root / "static/.well-known").mkdir()
    (root / "static/.well-known/security.txt").write_text("Contact: mailto:x@example.dk\n", encoding="utf-8")
    assert ".well-known/security.txt" in [rel for _, rel in walk(root / "static", "static", problems, include_hidden=True)]


# --- twin names and NFC ----------------------------------------------------------------------------


def test_names_differing_only_in_case_are_an_error_naming_both(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copy(root / "content/pages/om.md", root / "content/pages/Om.md")
    (root / "static/Style.css").write_text("body{}", encoding="utf-8")
    code, output = run_check(root, capsys)
    assert code == 1
    assert "content/pages/Om.md:1: name differs from content/pages/om.md only in upper/lower case or Unicode normalisation" in output
    assert "content/pages/om.md:1: name differs from content/pages/Om.md only" in output
    assert "static/Style.css:1: name differs from static/style.css only" in output


def test_folders_differing_only_in_case_are_an_error(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (root / "content/bilag/Eksempeludvalget").mkdir()
    (root / "content/bilag/Eksempeludvalget/andet.pdf").write_bytes(b"%PDF-1.4")
    code, output = run_check(root, capsys)
    assert code == 1
    assert "content/bilag/Eksempeludvalget:1: name differs from content/bilag/eksempeludvalget only" in output


def test_nfc_and_nfd_twins_are_an_error_and_nfd_names_are_refused(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    nfc, nfd = unicodedata.normalize("NFC", "årsplan.pdf"), unicodedata.normalize("NFD", "årsplan.pdf")
    assert nfc != nfd
    (root / BILAG / nfc).write_bytes(b"%PDF-1.4 a")
    (root / BILAG / nfd).write_bytes(b"%PDF-1.4 b")
    if len(os.listdir(root / BILAG)) != len(set(os.listdir(root / BILAG))) or not (root / BILAG / nfd).exists():
        pytest.skip("this file system normalises names itself")
    code, output = run_check(root, capsys)
    assert code == 1
    assert f"{BILAG}/{nfd}:1: name differs from {BILAG}/{nfc} only in upper/lower case or Unicode normalisation" in output
    assert f"{BILAG}/{nfd}:1: name is not in Unicode NFC form" in output
    assert f"{BILAG}/{nfc}:1: name is not in Unicode NFC form" not in output


def test_a_lone_nfd_name_is_an_error(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    nfd = unicodedata.normalize("NFD", "måde.pdf")
    (root / BILAG / nfd).write_bytes(b"%PDF-1.4")
    code, output = run_check(root, capsys)
    assert code == 1
    assert f"{BILAG}/{nfd}:1: name is not in Unicode NFC form" in output and "rename it" in output


# --- the output folder -----------------------------------------------------------------------------


@pytest.mark.parametrize("where", ["docs", "templates", "templates/sub", ".git", "tests", "static", "raadsarkiv"])
def test_build_refuses_the_projects_own_folders(where: str, root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for name in ("docs", ".git", "tests", "raadsarkiv"):
        (root / name).mkdir()
        (root / name / "keep.txt").write_text("precious", encoding="utf-8")
    before = tree(root)
    assert main(["--root", str(root), "build", "--output", str(root / where)]) == 2
    assert "refusing to write the site to" in capsys.readouterr().err
    assert tree(root) == before


def test_build_refuses_a_folder_it_did_not_make(root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "notes.txt").write_text("mine", encoding="utf-8")
    (site / ".git").mkdir()
    assert main(["--root", str(root), "build", "--output", str(site)]) == 2
    err = capsys.readouterr().err
    assert "the folder is not empty and no build made it (it has no .raadsarkiv-output file)" in err
    assert "Traceback" not in err
    assert sorted(p.name for p in site.iterdir()) == [".git", "notes.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["project", "site"]  # no staging folder either
    (tmp_path / "file").write_text("x", encoding="utf-8")
    assert main(["--root", str(root), "build", "--output", str(tmp_path / "file")]) == 2
    assert "it is a file, not a folder" in capsys.readouterr().err


def test_build_accepts_new_empty_and_marked_folders(root: Path, tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    build(root, empty)
    assert (empty / MARKER).is_file() and (empty / "index.html").is_file()
    (empty / "index.html").write_text("changed", encoding="utf-8")
    build(root, empty)  # marked: replaced
    assert "changed" not in (empty / "index.html").read_text(encoding="utf-8")
    build(root, tmp_path / "new" / "deeper")
    assert (tmp_path / "new" / "deeper" / MARKER).is_file()


def test_an_old_unmarked_output_folder_is_accepted_only_if_it_looks_built(root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = root / "output"
    build(root, out)
    (out / MARKER).unlink()  # as built before the marker existed
    build(root, out)
    assert (out / MARKER).is_file()
    (out / MARKER).unlink()
    (out / "notes.txt").write_text("not from a build", encoding="utf-8")
    assert main(["--root", str(root), "build"]) == 2
    assert "delete it once yourself" in capsys.readouterr().err
    assert (out / "notes.txt").is_file()
    shutil.copytree(out, tmp_path / "site")  # the same shape, but not the default name: strict
    (tmp_path / "site" / "notes.txt").unlink()
    assert main(["--root", str(root), "build", "--output", str(tmp_path / "site")]) == 2


def test_a_symlinked_output_is_refused(root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    real = tmp_path / "www" / "site"
    build(root, real)
    before = tree(real)
    link = root / "output"
    link.symlink_to(real, target_is_directory=True)
    assert main(["--root", str(root), "build"]) == 2
    err = capsys.readouterr().err
    assert "is a symbolic link" in err and f"--output {real}" in err
    assert link.is_symlink() and tree(real) == before
    (tmp_path / "dangling").symlink_to(tmp_path / "nowhere")
    assert main(["--root", str(root), "build", "--output", str(tmp_path / "dangling")]) == 2
    assert (tmp_path / "dangling").is_symlink()


def _dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_leftovers_of_killed_builds_are_removed(root: Path, tmp_path: Path) -> None:
    dead = _dead_pid()
    (tmp_path / f".output.tmp-{dead}").mkdir()
    (tmp_path / f".output.tmp-{dead}" / "index.html").write_text("half", encoding="utf-8")
    (tmp_path / f".output.old-{dead}").symlink_to(tmp_path / "gone")  # a dangling entry
    (tmp_path / f".output.old-{os.getpid()}").mkdir()  # our own id: no other build can own it
    living = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        (tmp_path / f".output.tmp-{living.pid}").mkdir()  # a build still running: kept
        (tmp_path / ".other.tmp-1").mkdir()  # another output folder's: kept
        (tmp_path / "project/keep").mkdir()
        write_site(tmp_path, tmp_path / "output", {"index.html": b"x"}, {})
        assert sorted(p.name for p in tmp_path.iterdir()) == sorted([f".output.tmp-{living.pid}", ".other.tmp-1", "output", "project"])
        assert not (tmp_path / "gone").exists()
    finally:
        living.kill()
        living.wait()


# --- the swap (mutation-checked, see the fs-safety branch's report) ---------------------------------


def test_successful_builds_leave_no_staging_or_old_folders(tmp_path: Path) -> None:
    out = tmp_path / "output"
    write_site(tmp_path, out, {"index.html": b"one"}, {})
    write_site(tmp_path, out, {"index.html": b"two"}, {})
    assert sorted(p.name for p in tmp_path.iterdir()) == ["output"]
    assert (out / "index.html").read_bytes() == b"two"


def test_failed_swap_puts_the_previous_site_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The old site was moved aside, then moving the new one in failed: the old one must come back."""
    out = tmp_path / "output"
    write_site(tmp_path, out, {"index.html": b"old"}, {})
    real_replace = os.replace

    def failing_replace(src: str | Path, dst: str | Path) -> None:
        if Path(src).name.startswith(".output.tmp-"):
            raise OSError("disk full (simulated)")
        real_replace(src, dst)

    monkeypatch.setattr(writer.os, "replace", failing_replace)
    with pytest.raises(OSError, match="simulated"):
        write_site(tmp_path, out, {"index.html": b"new"}, {})
    monkeypatch.undo()
    assert (out / "index.html").read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["output"]


@pytest.mark.parametrize("rel", ["../escape.html", "a/../../escape.html", "ABSOLUTE", ""])
def test_writer_never_writes_outside_the_stage(rel: str, tmp_path: Path) -> None:
    rel = str(tmp_path / "escape.html") if rel == "ABSOLUTE" else rel
    stage = tmp_path / "stage"
    stage.mkdir()
    with pytest.raises(UnsafeOutput, match="outside the output folder"):
        write_files(stage, {rel: b"x"}, {})
    source = tmp_path / "source.pdf"
    source.write_bytes(b"%PDF")
    with pytest.raises(UnsafeOutput, match="outside the output folder"):
        write_files(stage, {}, {rel: source})
    assert sorted(p.name for p in tmp_path.iterdir()) == ["source.pdf", "stage"]
    assert list(stage.iterdir()) == []
