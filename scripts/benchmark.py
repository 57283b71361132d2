#!/usr/bin/env python3
"""Measure build and rebuild times and memory on a generated archive.

    python scripts/benchmark.py --meetings 1000

Generates the archive (scripts/generate_archive.py) unless --root points at one,
then reports: check, full build (and the leak gate's part of it), the preview's first build, a rebuild with
nothing changed, and a rebuild after editing one meeting; plus peak memory.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "scripts"))

from generate_archive import generate  # noqa: E402

from raadsarkiv import fingerprints  # noqa: E402
from raadsarkiv.bilagtext import CACHE_DIR  # noqa: E402
from raadsarkiv.pipeline import build, check  # noqa: E402
from raadsarkiv.rebuild import Rebuilder  # noqa: E402


def timed(label: str, action):  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    result = action()
    print(f"{label:<38} {time.perf_counter() - started:7.2f} s")
    return result


def main() -> int:
    """Command line entry."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--meetings", type=int, default=1000)
    parser.add_argument("--root", type=Path, help="an existing project to measure instead of generating one")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="raadsarkiv-bench-"))
    try:
        root = args.root or timed(f"generate {args.meetings} meetings", lambda: generate(work / "archive", args.meetings))
        meetings = sorted((root / "content" / "meetings").rglob("*.md"))
        print(f"{len(meetings)} meeting files, {sum(p.stat().st_size for p in meetings) / len(meetings) / 1000:.1f} kB each on average")
        checked = timed("check", lambda: check(root))
        assert checked.ok, [p.format() for p in checked.problems[:5]]
        timed("build (full, into a fresh folder)", lambda: build(root, work / "output"))
        # The leak gate runs inside every build; measured on its own here too.
        gate = timed("  of which leak gate: fingerprints", lambda: fingerprints.gate(
            root, checked.content, checked.private_bilag, checked.bilag_text))
        leaks = timed("  of which leak gate: scan output", lambda: gate.scan(work / "output", text_cache=root / CACHE_DIR))
        assert leaks == [], leaks[:3]
        preview = Rebuilder(root, work / "preview")
        timed("preview: first build", preview.build)
        result = timed("preview: rebuild, nothing changed", preview.build)
        target = meetings[len(meetings) // 2]
        original = target.read_text(encoding="utf-8")
        target.write_text(original.replace("### Beslutning\n\n", "### Beslutning\n\nRettet. ", 1), encoding="utf-8")
        try:
            result = timed("preview: rebuild after editing 1 meeting", preview.build)
        finally:
            target.write_text(original, encoding="utf-8")
        print(f"  rendered {result.rendered} page(s), wrote {len(result.written)} file(s)")
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"peak memory (RSS)                      {peak:7.0f} MB")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
