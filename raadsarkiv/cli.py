"""Command line: `build` (default), `check`, `serve`, `new`, `import`, `schema` and `init`. Exit 1 on content errors, never a traceback.

The `raadsarkiv` command (and `python -m raadsarkiv`); the sample archive's build.py calls the same `main`.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from . import __version__
from . import clock
from .errors import BuildFailed, Problem
from .init import CI_CHOICES, InitError, init_site
from .formats import FORMATS, report as report_as
from .i18n import LANGUAGES, _, set_message_language
from .pipeline import build, check
from .search import SearchIndexFailed
from .writer import UnsafeOutput


def report(problems: list[Problem]) -> None:
    """Print every problem as `path:line: message`, then a summary."""
    report_as(problems, "text", action="build")


def _prefix(root: Path) -> str:
    """The project folder relative to the working directory ('' when they are the same), for CI annotations."""
    relative = os.path.relpath(root.resolve(), Path.cwd().resolve())
    return "" if relative == "." else Path(relative).as_posix()


def _parser(prog: str) -> argparse.ArgumentParser:
    # --lang is accepted before and after the command; SUPPRESS keeps a subcommand from resetting it.
    language = argparse.ArgumentParser(add_help=False)
    language.add_argument("--lang", choices=LANGUAGES, default=argparse.SUPPRESS,
                          help=_("language of messages: da (Danish) or en (English); default: from the environment's "
                                 "locale (LANGUAGE, LC_ALL, LC_MESSAGES, LANG), English if it is English, else Danish"))
    parser = argparse.ArgumentParser(prog=prog, description=_("Build the Rådsarkiv static archive."), parents=[language])
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--site", "--root", dest="root", type=Path, default=Path.cwd(),
                        help=_("the site folder (with content/ and site_config.yaml); default: the current folder"))
    commands = parser.add_subparsers(dest="command", parser_class=_with_parents([language]))
    init_cmd = commands.add_parser("init", help=_("start a new archive in a new or empty folder"))
    init_cmd.add_argument("folder", type=Path, help=_("the folder to create, e.g. mit-arkiv"))
    init_cmd.add_argument("--ci", choices=CI_CHOICES, default="github",
                          help=_("the publishing pipeline to write: github (GitHub Actions and Pages, default) or gitlab "
                                 "(GitLab CI and Pages)"))
    format_help = _("how to print problems: text (default), github (GitHub Actions annotations) or json")
    build_cmd = commands.add_parser("build", help=_("validate and write the site to output/ (default)"))
    build_cmd.add_argument("--output", type=Path, default=None, help=_("output folder (default: ROOT/output)"))
    build_cmd.add_argument("--format", choices=FORMATS, default="text", help=format_help)
    build_cmd.add_argument("--full", action="store_true",
                           help=_("rebuild everything, ignoring what the last build into the same folder left in .cache/build/"))
    check_cmd = commands.add_parser("check", help=_("validate content without writing anything"))
    check_cmd.add_argument("--format", choices=FORMATS, default="text", help=format_help)
    serve_cmd = commands.add_parser("serve", help=_("live preview: build, serve and rebuild on every save"))
    serve_cmd.add_argument("--host", default="127.0.0.1", help=_("address to listen on (default: 127.0.0.1, this computer only)"))
    serve_cmd.add_argument("--port", type=int, default=8000, help=_("port (default: 8000)"))
    commands.add_parser("schema", help=_("copy the JSON Schemas for front matter and site_config.yaml into schema/, for editors' tools"))
    new_cmd = commands.add_parser("new", help=_("create a new meeting, body or strategy file"))
    kinds = new_cmd.add_subparsers(dest="what", required=True)
    meeting = kinds.add_parser("meeting", help=_("a new meeting: content/meetings/BODY/DATE-KIND[-SEQUENCE].md"))
    meeting.add_argument("--body", required=True, help=_("the body's slug (file name in content/bodies/ without .md)"))
    meeting.add_argument("--date", required=True, help=_("meeting date, YYYY-MM-DD"))
    meeting.add_argument("--kind", choices=("referat", "dagsorden"), default="referat")
    meeting.add_argument("--sequence", type=int, default=None,
                         help=_("2 for the body's second meeting that day (3 for a third): DATE-KIND-2.md with `sequence: 2`"))
    body = kinds.add_parser("body", help=_("a new council or committee: content/bodies/SLUG.md"))
    body.add_argument("slug", help=_("file name without .md: lowercase a-z, 0-9 and '-'"))
    body.add_argument("--name", required=True, help=_("the body's name, e.g. Integrationsrådet"))
    body.add_argument("--organisation", required=True, help=_("an organisation id from site_config.yaml"))
    body.add_argument("--type", default="udvalg", help=_("råd, udvalg, byråd, bestyrelse or andet (default: udvalg)"))
    strategy = kinds.add_parser("strategy", help=_("a new strategy: content/strategies/SLUG.md"))
    strategy.add_argument("slug", help=_("file name without .md: lowercase a-z, 0-9 and '-'"))
    strategy.add_argument("--title", required=True)
    strategy.add_argument("--organisation", required=True, help=_("an organisation id from site_config.yaml"))
    importer = commands.add_parser("import", help=_("turn published minutes (PDF, Word, HTML, text) into meeting files"))
    importer.add_argument("paths", nargs="+", type=Path, metavar="FILE_OR_FOLDER", help=_("documents, or folders of them"))
    importer.add_argument("--body", required=True, help=_("the body's slug (file name in content/bodies/ without .md)"))
    importer.add_argument("--date", default=None, help=_("meeting date YYYY-MM-DD (default: from the document or file name)"))
    importer.add_argument("--kind", choices=("referat", "dagsorden"), default=None,
                          help=_("default: from the document or file name, else referat"))
    importer.add_argument("--force", action="store_true", help=_("replace existing meeting files (a summary of the changes is shown)"))
    return parser


def _with_parents(parents: list[argparse.ArgumentParser]) -> type[argparse.ArgumentParser]:
    """An ArgumentParser class whose instances (every subcommand's) also take the `parents`' options."""

    class Parser(argparse.ArgumentParser):
        def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
            super().__init__(*args, **{"parents": parents, **kwargs})

    return Parser


def _import(root: Path, args: argparse.Namespace) -> int:
    from .importer.command import Options, import_paths, parse_date

    try:
        date = parse_date(args.date) if args.date else None
    except argparse.ArgumentTypeError as exc:
        print(_("error: --date: {problem}", problem=exc), file=sys.stderr)
        return 2
    return import_paths(root, list(args.paths), Options(args.body, date, args.kind, args.force))


def _init(args: argparse.Namespace, prog: str) -> int:
    try:
        created = init_site(args.folder, args.ci)
    except InitError as exc:
        print(_("error: {problem}", problem=exc), file=sys.stderr)
        return 1
    print(_("Created a new archive in {folder} ({count} files). Next:", folder=args.folder, count=len(created)))
    print(f"  cd {args.folder}\n  {prog} serve      # " + _("preview it on http://localhost:8000/"))
    print(f"  {prog} build      # " + _("write the site to output/"))
    print(_("Then fill in site_config.yaml and content/pages/tilgaengelighed.md; README.md says what goes where."))
    return 0


def _new(root: Path, args: argparse.Namespace, prog: str) -> int:
    from .scaffold import ScaffoldError, new_body, new_meeting, new_strategy

    try:
        if args.what == "meeting":
            created = new_meeting(root, args.body, args.date, args.kind, args.sequence)
        elif args.what == "body":
            created = new_body(root, args.slug, args.name, args.organisation, args.type)
        else:
            created = new_strategy(root, args.slug, args.title, args.organisation)
    except ScaffoldError as exc:
        print(_("error: {problem}", problem=exc), file=sys.stderr)
        return 1
    for path in created:
        shown = path.relative_to(root) if path.is_relative_to(root) else path
        print(_("Created {path}", path=f"{shown}{'/' if path.is_dir() else ''}"))
    print(_("Fill it in, then preview it with `{serve}` or check it with `{check}`.", serve=f"{prog} serve", check=f"{prog} check"))
    return 0


def main(argv: list[str] | None = None, prog: str = "raadsarkiv") -> int:
    """Entry point of the `raadsarkiv` command; `prog` is how it was called, shown in help and hints."""
    # The language first (from --lang wherever it stands, else the environment), so that --help speaks it too.
    early = argparse.ArgumentParser(add_help=False)
    early.add_argument("--lang", default=None)
    chosen = early.parse_known_args(argv)[0].lang
    set_message_language(chosen if chosen in LANGUAGES else None)  # a wrong one is refused by the full parser below
    args = _parser(prog).parse_args(argv)
    root: Path = args.root
    if args.command == "init":
        return _init(args, prog)
    if args.command == "serve":
        from .serve import serve

        return serve(root, args.host, args.port)
    if args.command == "new":
        return _new(root, args, prog)
    if args.command == "import":
        return _import(root, args)
    if args.command == "schema":
        from .schema import write

        for path in write(root):
            print(_("Wrote {path}", path=path.relative_to(root)))
        return 0
    fmt = getattr(args, "format", "text")
    try:
        now = clock.now()  # what embargoes (publish_after) are compared with; RAADSARKIV_NOW fixes it
    except ValueError as exc:
        print(_("error: {problem}", problem=exc), file=sys.stderr)
        return 2
    if args.command == "check":
        checked = check(root, now=now)
        report_as(checked.problems, fmt, _prefix(root))
        if checked.ok and fmt == "text":
            print(_("No errors."))
        return 0 if checked.ok else 1
    out = getattr(args, "output", None) or root / "output"
    started = time.perf_counter()
    try:
        built = build(root, out, incremental=not getattr(args, "full", False), now=now)
    except BuildFailed as failed:
        report_as(failed.problems, fmt, _prefix(root), action="build")
        return 1
    except UnsafeOutput as exc:
        print(_("error: {problem}", problem=exc), file=sys.stderr)
        return 2
    except SearchIndexFailed as exc:
        print(_("error: {problem}; the previous output was left as it was.", problem=exc), file=sys.stderr)
        return 1
    report_as(built.problems, fmt, _prefix(root), action="build")
    if fmt != "json":
        seconds = time.perf_counter() - started
        if built.unchanged:
            print(_("Nothing changed since the last build of {folder}; left it as it was ({seconds} s).",
                    folder=out, seconds=f"{seconds:.2f}"))
        else:
            print(_("Built {folder} in {seconds} s: {rendered} page(s) rendered, {reused} unchanged file(s) kept.",
                    folder=out, seconds=f"{seconds:.2f}", rendered=built.rendered, reused=built.reused))
    return 0
