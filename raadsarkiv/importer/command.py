"""`python build.py import FILE_OR_FOLDER… --body SLUG`: read minutes, write meeting files, report, check."""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import os
import re
import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ..config import Vocabulary, load_config
from ..i18n import _
from ..cpr import CPR_RE, mask
from ..errors import Problems
from ..markdown import slugify
from .dates import find_date
from .meeting import ImportedMeeting
from .patterns import Patterns
from .patterns import patterns as make_patterns
from .report import STATUSES, FileReport, render
from .source import ImportFailed, Source
from .structure import recognise

TEXT_SUFFIXES = {".txt", ".text", ".md"}
READERS = {".pdf": "pdf", ".docx": "docx", ".html": "html", ".htm": "html", **{suffix: "text" for suffix in TEXT_SUFFIXES}}
KINDS = ("referat", "dagsorden")


@dataclass
class Options:
    body: str
    date: dt.date | None = None
    kind: str | None = None
    force: bool = False


def read_source(path: Path, patterns: Patterns, vocabulary: Vocabulary | None = None) -> Source:
    """The document's lines, by its file type."""
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        known = ", ".join(sorted(READERS))
        if path.suffix:
            raise ImportFailed(f"{path}:1: " + _("cannot import a {suffix} file; expected one of: {known}", suffix=path.suffix, known=known))
        raise ImportFailed(f"{path}:1: " + _("cannot import a file without a suffix; expected one of: {known}", known=known))
    try:
        return _read(path, reader, patterns, vocabulary or Vocabulary())
    except ImportFailed:
        raise
    except Exception as exc:  # noqa: BLE001 - a third-party parser's own error on a damaged file: reported, never a traceback
        raise ImportFailed(f"{path}:1: " + _("cannot read this {kind} file ({problem}); expected a file that opens in its usual "
                                             "program", kind=reader, problem=f"{type(exc).__name__}: {exc}")) from None


def _read(path: Path, reader: str, patterns: Patterns, words: Vocabulary) -> Source:
    if reader == "pdf":
        from .pdf import read_pdf

        def structure(text: str) -> bool:
            return bool(words.name(text.strip().rstrip(":")) or any(
                patterns.match(kind, text) for kind in ("open_markers", "closed_markers", "item_headings")))

        return read_pdf(path, lambda text: patterns.match("table_of_contents", text) is not None, structure)
    if reader == "docx":
        from .word import read_docx

        return read_docx(path)
    if reader == "html":
        from .html import read_html

        return read_html(path)
    from .text import read_text

    return read_text(path)


def stop_on_cpr(source: Source) -> None:
    """A suspected CPR number stops the import of the file: nothing of it is written."""
    for line in [*source.lines, *source.set_aside]:
        found = CPR_RE.search(line.text)
        if found:
            raise ImportFailed(
                f"{source.where(line)}: " + _("'{number}' looks like a CPR number (its last four digits are hidden here); nothing "
                                              "of this file was imported. Remove the number from the source, or if it is not "
                                              "personal data, import a copy without it and add it back by hand with `reviewed_cpr:`",
                                              number=mask(found.group(0)))
            )


def _date_and_kind(path: Path, meeting: ImportedMeeting, options: Options) -> tuple[dt.date, str, list[str]]:
    """Option, else the document, else the file name; disagreements are reported."""
    notes: list[str] = []
    from_name = find_date(path.stem.replace("_", "-"))
    name_kind = next((kind for kind in KINDS if kind in path.stem.casefold()), None)
    date = options.date or meeting.date or from_name
    if date is None:
        raise ImportFailed(f"{path}:1: " + _("no meeting date in the document or the file name; give it with --date YYYY-MM-DD"))
    if meeting.date is not None and meeting.date != date:
        notes.append(_("the document says {other}, but {date} was used: check the date", other=meeting.date.isoformat(), date=date.isoformat()))
    if from_name is not None and from_name != date:
        notes.append(_("the file name says {other}, but {date} was used: check the date", other=from_name.isoformat(), date=date.isoformat()))
    kind = options.kind or meeting.kind or name_kind
    if kind is None:
        kind = "referat"
        notes.append(_("neither the document nor the file name says referat or dagsorden; written as referat: check it"))
    return date, kind, notes


def _bilag_name(path: Path) -> str:
    return f"{slugify(path.stem) or 'bilag'}{path.suffix.lower()}"


def _local_file(page: Path, href: str) -> Path | None:
    """A link target that is a file next to the page (not a web address, an anchor or the page itself)."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or not parts.path or href.startswith(("#", "/")):
        return None
    target = (page.parent / unquote(parts.path)).resolve()
    if target == page.resolve() or not target.is_file() or target.is_symlink():
        return None
    return target


def find_bilag(source: Source, meeting: ImportedMeeting, siblings: list[Path]) -> list[tuple[int, str, Path]]:
    """(source line, title, file) of the bilag a source carries: HTML links to files beside it, files it names."""
    found: list[tuple[int, str, Path]] = []
    for label, href, number in source.links:
        target = _local_file(source.path, href)
        if target is not None:
            found.append((number, label or target.stem, target))
    named = {sibling.name.casefold(): sibling for sibling in siblings if sibling != source.path}
    for line in source.lines:
        for name, sibling in named.items():
            if name in line.text.casefold() and all(sibling != f for _line, _title, f in found):
                found.append((line.number, sibling.stem, sibling))
    return found


def attach_bilag(meeting: ImportedMeeting, bilag: list[tuple[int, str, Path]], report: FileReport) -> list[tuple[Path, str]]:
    """Give each bilag to the item it appears in; a closed item's bilag are not copied. Returns (file, new name)."""
    copies: list[tuple[Path, str]] = []
    for number, title, path in bilag:
        owners = [item for item in meeting.items if item.line <= number]
        if not owners:
            meeting.to_check.append(_("bilag {file} is linked before the first item; not copied: link it by hand", file=path.name))
            continue
        item = owners[-1]
        if item.closed:
            meeting.to_check.append(_("bilag {file} belongs to closed item {number}; not copied", file=path.name, number=item.number))
            continue
        name = _bilag_name(path)
        if all(existing != name for _title, existing in item.bilag):
            item.bilag.append((title, name))
            copies.append((path, name))
            report.bilag.append(_("{file} -> item {number}", file=path.name, number=item.number))
    return copies


def _same(a: Path, b: Path) -> bool:
    return a.stat().st_size == b.stat().st_size and hashlib.sha256(a.read_bytes()).digest() == hashlib.sha256(b.read_bytes()).digest()


def diff_summary(old: str, new: str) -> str:
    """'+12 -3 lines; items changed: 2, 5' for a replaced file."""
    added = removed = 0
    changed: set[str] = set()
    item = ""  # "": the front matter, before the first item
    old_lines, new_lines = old.splitlines(), new.splitlines()
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False).get_opcodes():
        for line in new_lines[:j1]:
            if line.startswith("## "):
                item = line[3:].split(".")[0]
        if tag != "equal":
            added += j2 - j1
            removed += i2 - i1
            changed.add(_("item {number}", number=item) if item else _("front matter"))
    return _("+{added} -{removed} line(s); changed: {what}", added=added, removed=removed,
             what=", ".join(sorted(changed)) or _("nothing"))


def import_file(root: Path, path: Path, options: Options, patterns: Patterns, vocabulary: Vocabulary,
                siblings: list[Path]) -> FileReport:
    report = FileReport(path)
    try:
        source = read_source(path, patterns, vocabulary)
        stop_on_cpr(source)
        meeting = recognise(source, patterns, vocabulary)
        meeting.unplaced = [(line.number, line.text) for line in source.set_aside if line.text.strip()] + meeting.unplaced
        report.reader_notes = source.notes
        report.meeting = meeting
        if not meeting.items:
            raise ImportFailed(f"{path}:1: " + _("no agenda items found (expected headings like '1. Godkendelse af dagsorden', "
                                                 "'Punkt 61: …', or 'Åben'/'Lukket' lines); add a pattern under "
                                                 "`import: item_headings:` in site_config.yaml"))
        meeting.date, meeting.kind, notes = _date_and_kind(path, meeting, options)
        meeting.to_check += notes
        copies = attach_bilag(meeting, find_bilag(source, meeting, siblings), report)
    except ImportFailed as exc:
        report.error = str(exc)
        report.status = "failed"
        return report
    from .writer import meeting_text

    text = meeting_text(meeting, options.body, path.name)
    target = root / "content" / "meetings" / options.body / f"{meeting.date.isoformat()}-{meeting.kind}.md"
    report.target = target
    if target.exists():
        old = target.read_text(encoding="utf-8")
        if old == text:
            report.status = "unchanged"
        elif not options.force:
            report.status = "exists"
            return report
        else:
            report.status = "replaced"
            report.diff = diff_summary(old, text)
    else:
        report.status = "written"
    folder = root / "content" / "bilag" / options.body / meeting.date.isoformat()
    for original, name in copies:
        destination = folder / name
        if destination.exists() and not _same(original, destination) and not options.force:
            meeting.to_check.append(_("bilag {file} exists and differs from {original}; not replaced (use --force)",
                                      file=destination.relative_to(root), original=original.name))
            continue
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(original, destination)
    if report.status != "unchanged":
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(f".{target.name}.tmp-{os.getpid()}")
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, target)
    return report


def _files(paths: list[Path]) -> tuple[list[tuple[Path, list[Path]]], list[Path]]:
    """The documents to import, each with the files beside it (candidates for its bilag); and the files of
    a folder that are neither a document nor named by one (listed in the summary, never silently passed over)."""
    out: list[tuple[Path, list[Path]]] = []
    others: list[Path] = []
    for path in paths:
        if path.is_dir():
            files = sorted(p for p in path.iterdir() if p.is_file() and not p.name.startswith("."))
            documents = [p for p in files if p.suffix.lower() in READERS]
            named = {p for p in files for d in documents if d != p and _names(d, p)}
            out += [(document, files) for document in documents if document not in named]
            others += [p for p in files if p not in named and p.suffix.lower() not in READERS]
        else:
            siblings = sorted(p for p in path.parent.iterdir() if p.is_file()) if path.parent.is_dir() else []
            out.append((path, siblings))
    return out, others


def _names(document: Path, other: Path) -> bool:
    """Does `document` (a text or HTML file) name or link `other`? Then `other` is its bilag, not a meeting."""
    if document.suffix.lower() not in TEXT_SUFFIXES | {".html", ".htm"}:
        return False
    try:
        text = document.read_text(encoding="utf-8", errors="replace").casefold()
    except OSError:
        return False
    return other.name.casefold() in text


def import_paths(root: Path, paths: list[Path], options: Options, out: Callable[[str], None] = print) -> int:
    """Import every file (folders file by file); print a report per file and a summary. Exit code 0 if all passed."""
    problems = Problems()
    config = load_config(root, problems)
    if config is None:
        for problem in problems.all():
            print(problem.format(), file=sys.stderr)
        return 1
    if not (root / "content" / "bodies" / f"{options.body}.md").is_file():
        bodies = sorted(p.stem for p in (root / "content" / "bodies").glob("*.md"))
        print(_("error: unknown body '{body}'; expected one of: {valid} (create it first with `python build.py new body`)",
                body=options.body, valid=", ".join(bodies) or _("(none)")), file=sys.stderr)
        return 1
    missing = [str(path) for path in paths if not path.exists()]
    if missing:
        print(_("error: {paths}: no such file or folder", paths=", ".join(missing)), file=sys.stderr)
        return 1
    patterns = make_patterns(config.import_)
    files, others = _files(paths)
    if not files:
        print(_("error: no documents to import in {paths}; expected files ending in {suffixes}",
                paths=", ".join(map(str, paths)), suffixes=", ".join(sorted(READERS))), file=sys.stderr)
        return 1
    reports: list[FileReport] = []
    for index, (path, siblings) in enumerate(files, start=1):
        if len(files) > 1:
            out(f"[{index}/{len(files)}] {path.name}")
        reports.append(import_file(root, path, options, patterns, config.vocabulary, siblings))
    written = {report.target.resolve(): report for report in reports if report.target and report.status != "exists"}
    if written:
        from ..pipeline import check

        for problem in check(root).problems:
            report = written.get((root / problem.path).resolve())
            if report is not None:
                (report.problems if problem.severity == "error" else report.warnings).append(problem.format())
    for report in reports:
        out(render(report, root))
    counts = {status: sum(r.status == status for r in reports) for status in STATUSES}
    to_fix = sum(bool(r.problems) for r in reports)
    summary = _("Summary: {counts} of {total} file(s)", counts=", ".join(f"{count} {_(STATUSES[status])}" for status, count in counts.items() if count),
                total=len(reports))
    out(summary + (_("; {count} file(s) with problems for `check`", count=to_fix) if to_fix else ""))
    if others:
        out(_("Not imported (not minutes this command reads, and no document names them as bilag): {files}",
              files=", ".join(str(p) for p in others)))
    return 0 if all(report.ok for report in reports) else 1


def parse_date(value: str) -> dt.date:
    """--date: YYYY-MM-DD."""
    try:
        return dt.date.fromisoformat(value) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) else _bad_date(value)
    except ValueError:
        return _bad_date(value)


def _bad_date(value: str) -> dt.date:
    import argparse

    raise argparse.ArgumentTypeError(_("'{value}' is not a date; expected YYYY-MM-DD, e.g. 2023-10-10", value=value))

