"""Incremental rebuilds render only what depends on an edit, and end with the same files as a full build."""

from __future__ import annotations

import filecmp
import shutil
from pathlib import Path

from conftest import copy_project
from raadsarkiv.pipeline import build
from raadsarkiv.rebuild import Rebuilder
from raadsarkiv.writer import MARKER

MEETING = "content/meetings/eksempeludvalget/2024-01-22-referat.md"


def same_tree(a: Path, b: Path) -> list[str]:
    """Paths that differ between two folders (empty when identical)."""
    diff = filecmp.dircmp(a, b)
    out = [f"{a}/{n}" for n in diff.left_only + diff.right_only + diff.diff_files + diff.funny_files]
    for name in diff.common_dirs:
        out += same_tree(a / name, b / name)
    return out


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
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
    assert result.written == ["udvalg/eksempeludvalget/2024-01-22-referat/index.html"]
    assert result.rendered < first.rendered / 2

    edit(root / MEETING, "date: 2024-01-22", "date: 2024-01-29")  # the page moves; neighbours and lists follow
    assert preview.build().ok
    edit(root / "content/bodies/eksempeludvalget.md", "name: Eksempeludvalget", "name: Eksempeludvalget (omdøbt)")
    assert preview.build().ok
    edit(root / "content/pages/om.md", "title: Om arkivet", "title: Om dette arkiv")  # in every footer
    assert preview.build().rendered == first.rendered
    (root / "content/meetings/eksempeludvalget/2024-01-15-dagsorden.md").unlink()  # a shared case loses a meeting
    assert preview.build().ok

    build(root, tmp_path / "full")
    shutil.rmtree(tmp_path / "full" / "pagefind")  # the preview builds no search index
    (tmp_path / "full" / MARKER).unlink()  # nor the marker of a build's output folder
    assert same_tree(tmp_path / "preview", tmp_path / "full") == []

    snapshot = {p: p.read_bytes() for p in (tmp_path / "preview").rglob("*") if p.is_file()}
    edit(root / MEETING, "kind: referat", "kind: referatt")
    failed = preview.build()
    assert not failed.ok and failed.written == []
    assert {p: p.read_bytes() for p in (tmp_path / "preview").rglob("*") if p.is_file()} == snapshot  # last good build kept
