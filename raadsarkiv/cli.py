"""Command line: `build` (default) and `check`. Exit 1 on content errors, never a traceback."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from .errors import BuildFailed, Problem
from .pipeline import build, check
from .writer import UnsafeOutput


def report(problems: list[Problem]) -> None:
    """Print every problem as `path:line: message`, then a summary."""
    errors = [p for p in problems if p.severity == "error"]
    warnings = [p for p in problems if p.severity == "warning"]
    for problem in errors + warnings:
        print(problem.format(), file=sys.stderr)
    if errors:
        print(f"{len(errors)} error(s), {len(warnings)} warning(s): nothing was written.", file=sys.stderr)
    elif warnings:
        print(f"{len(warnings)} warning(s).", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    """Entry point for build.py."""
    parser = argparse.ArgumentParser(prog="build.py", description="Build the Rådsarkiv static archive.")
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="project folder (with content/ and site_config.yaml)")
    commands = parser.add_subparsers(dest="command")
    build_cmd = commands.add_parser("build", help="validate and write the site to output/ (default)")
    build_cmd.add_argument("--output", type=Path, default=None, help="output folder (default: ROOT/output)")
    commands.add_parser("check", help="validate content without writing anything")
    args = parser.parse_args(argv)
    root: Path = args.root
    if args.command == "check":
        checked = check(root)
        report(checked.problems)
        if checked.ok:
            print("No errors.")
        return 0 if checked.ok else 1
    out = getattr(args, "output", None) or root / "output"
    started = time.perf_counter()
    try:
        checked = build(root, out)
    except BuildFailed as failed:
        report(failed.problems)
        return 1
    except UnsafeOutput as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    report(checked.problems)
    print(f"Built {out} in {time.perf_counter() - started:.2f} s.")
    return 0
