"""The bad-input corpus: `build.py check` on each case in tests/bad/ prints the expected problems.

Each case folder holds only the files that differ from tests/fixtures/minimal/ (a
complete, valid tiny project), plus:

- `expected.txt`: one `path:line: text` per problem the check must print: a printed
  line must start with `path:line: ` and contain `text`. The case must print exactly
  these problems, no more. Empty means "no problems".
- `remove.txt` (optional): paths of base files to delete.
- files ending in `.latin1` are re-encoded from UTF-8 to Latin-1 (written without the
  suffix), so the corpus stays readable while testing non-UTF-8 input.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
BASE = TESTS / "fixtures" / "minimal"
BAD = TESTS / "bad"
CASES = sorted(p.name for p in BAD.iterdir() if p.is_dir())
PROBLEM_LINE = re.compile(r"^(?P<path>[^\s:]+):(?P<line>\d+): (?P<message>.*)$")


def make_project(case: Path, target: Path) -> Path:
    """The base fixture with the case's files merged in."""
    shutil.copytree(BASE, target)
    for rel in (case / "remove.txt").read_text().split() if (case / "remove.txt").exists() else []:
        (target / rel).unlink()
    for path in sorted(case.rglob("*")):
        rel = path.relative_to(case)
        if path.is_dir() or rel.as_posix() in ("expected.txt", "remove.txt"):
            continue
        dest = target / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        if path.suffix == ".latin1":
            dest.with_suffix("").write_bytes(path.read_text(encoding="utf-8").encode("latin-1"))
        else:
            shutil.copyfile(path, dest)
    return target


def run(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    """Run build.py as an editor would, capturing everything it prints."""
    return subprocess.run(
        [sys.executable, str(REPO / "build.py"), *args], cwd=cwd, capture_output=True, text=True, timeout=120
    )


def expected_lines(case: Path) -> list[tuple[str, str]]:
    """(`path:line: ` prefix, message text) for each expected problem."""
    out = []
    for raw in (case / "expected.txt").read_text(encoding="utf-8").splitlines():
        if raw.strip():
            match = PROBLEM_LINE.match(raw)
            assert match, f"bad line in {case.name}/expected.txt: {raw!r}"
            out.append((f"{match['path']}:{match['line']}: ", match["message"]))
    return out


def test_base_fixture_is_valid(tmp_path: Path) -> None:
    """The base every case is merged onto has no problems at all (so each case shows one rule)."""
    root = shutil.copytree(BASE, tmp_path / "base")  # a copy: check writes its build cache into the project
    result = run("--root", str(root), "check")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""


def test_corpus_is_not_empty() -> None:
    assert len(CASES) >= 30


@pytest.fixture(scope="module")
def checked(tmp_path_factory: pytest.TempPathFactory) -> dict[str, subprocess.CompletedProcess[str]]:
    """`build.py check` on every case, run in parallel (each is a separate process)."""
    roots = {name: make_project(BAD / name, tmp_path_factory.mktemp(name) / "project") for name in CASES}
    with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2)) as pool:
        results = pool.map(lambda name: run("--root", str(roots[name]), "check"), CASES)
        return dict(zip(CASES, results))


@pytest.mark.parametrize("name", CASES)
def test_bad_input(name: str, checked: dict[str, subprocess.CompletedProcess[str]]) -> None:
    """check prints exactly the expected problems, exits non-zero on errors, never a traceback."""
    case = BAD / name
    result = checked[name]
    output = result.stdout + result.stderr
    assert "Traceback" not in output, output
    printed = [line for line in result.stderr.splitlines() if PROBLEM_LINE.match(line)]
    expected = expected_lines(case)
    unmatched = list(printed)
    for prefix, text in expected:
        hits = [line for line in unmatched if line.startswith(prefix) and text in line]
        assert hits, f"expected {prefix}…{text}… in:\n{output}"
        unmatched.remove(hits[0])
    assert not unmatched, "unexpected problems:\n" + "\n".join(unmatched)
    has_errors = any(": warning: " not in line for line in printed)
    assert result.returncode == (1 if has_errors else 0), output
    if has_errors:
        assert re.search(rf"^{len(printed) - sum(': warning: ' in p for p in printed)} error\(s\)", result.stderr, re.M)


def test_warning_only_case_still_builds(tmp_path: Path) -> None:
    """An image without alt text is a warning: the build writes the site and exits 0."""
    root = make_project(BAD / "image-without-alt", tmp_path / "project")
    result = run("--root", str(root), "build")
    assert result.returncode == 0, result.stderr
    assert "warning: image" in result.stderr
    assert (root / "output" / "om" / "index.html").exists()


def test_all_errors_are_reported_at_once() -> None:
    """The three-error case names three different files: nothing stops at the first error."""
    files = {prefix.split(":")[0] for prefix, _ in expected_lines(BAD / "three-errors-three-files")}
    assert len(files) == 3


def test_failed_build_writes_nothing(tmp_path: Path) -> None:
    """`build` on bad input exits 1, prints the problem and leaves no output folder behind."""
    root = make_project(BAD / "unknown-body", tmp_path / "project")
    result = run("--root", str(root), "build")
    assert result.returncode == 1
    assert "unknown body 'testudvalg'" in result.stderr
    # Nothing but the build cache (parsed files, reused by the next run): no output, no staging folder.
    assert sorted(p.name for p in root.iterdir()) == [".cache", "content", "site_config.yaml"]
