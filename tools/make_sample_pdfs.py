#!/usr/bin/env python3
"""Generate the sample archive's PDF bilag (attachments) with fpdf2.

Two kinds of PDF are written under content/bilag/:

1. The grant application from the source material, rendered from the
   hand-cleaned text in tools/sample_pdfs/ansoegning-integrationsambassadoer.txt.
2. Stand-ins for bilag that meetings link to but the source material does not
   contain, one per entry of tools/sample_pdfs.yaml:

       - path: content/bilag/<body-slug>/<YYYY-MM-DD>/<file>.pdf
         title: Title of the bilag
         text: |
           Paragraphs, separated by blank lines.

   Each stand-in starts with a line saying that it is a stand-in.

The text sources use a small line-based markup:

    # Title, ## Section, ### Field, #### Sub-heading    headings (bold)
    - item                                             bullet
    > text                                             form guidance (italic, grey);
                                                       "> - item" is a guidance bullet
    | cell | cell |                                    table row; consecutive rows form
                                                       one table, the first row is its header;
                                                       a plain line right above is its caption
    (blank line)                                       paragraph break
    anything else                                      one paragraph, wrapped

The output is byte-identical on every run: the creation date is fixed, the
file id is derived from the content, and nothing random is written. (The bytes
do depend on the fpdf2 version and the DejaVu font files installed.) A PDF
whose bytes did not change is not rewritten, so its modification time stays.

Usage:
    .venv/bin/python tools/make_sample_pdfs.py          # write the PDFs
    .venv/bin/python tools/make_sample_pdfs.py --check  # exit 1 if any PDF is out of date
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass
from datetime import datetime, timezone
from itertools import takewhile
from pathlib import Path

import yaml
from fpdf import FPDF
from fpdf.enums import XPos, YPos
from fpdf.fonts import FontFace

REPO = Path(__file__).resolve().parent.parent
TOOLS = REPO / "tools"
BILAG_DIR = REPO / "content" / "bilag"
STAND_INS_FILE = TOOLS / "sample_pdfs.yaml"
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")

# Fixed so that every run gives the same bytes (fpdf2 would use "now").
CREATION_DATE = datetime(2024, 1, 1, 12, 0, 0, tzinfo=timezone.utc)

STAND_IN_NOTICE = "Eksempel: dette er en stand-in for et bilag, som ikke findes i kildematerialet."

# Layout, in millimetres and points.
FONT = "DejaVu"
BODY_SIZE = 10.5
LINE_HEIGHT = 5.2
PARAGRAPH_GAP = 2.5
BULLET_INDENT = 4.0
BULLET_WIDTH = 5.0
TABLE_ROW_HEIGHT = LINE_HEIGHT + 0.8
HEADING_SIZES = {1: 16.0, 2: 13.5, 3: 11.5, 4: 10.5}
GUIDANCE_GREY = 90  # grey level of form guidance text (0 = black)

# File and folder names under content/bilag/ (see docs/content-format.md).
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


@dataclass(frozen=True)
class PdfSpec:
    """One PDF to generate: where it goes, its metadata and its marked-up text."""

    path: Path  # absolute path under BILAG_DIR
    title: str
    author: str
    text: str


class BilagPdf(FPDF):
    """An A4 document in DejaVu Sans with "Side n af m" in the footer."""

    def __init__(self, title: str, author: str) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.add_font(FONT, "", FONT_DIR / "DejaVuSans.ttf")
        self.add_font(FONT, "B", FONT_DIR / "DejaVuSans-Bold.ttf")
        self.add_font(FONT, "I", FONT_DIR / "DejaVuSans-Oblique.ttf")
        self.set_margins(left=22, top=20, right=22)
        self.set_auto_page_break(auto=True, margin=20)
        # Metadata: fixed date, Danish language, title shown by PDF readers.
        self.set_creation_date(CREATION_DATE)
        self.set_lang("da")
        self.set_title(title)
        self.set_author(author)
        self.set_creator("Rådsarkiv: tools/make_sample_pdfs.py")
        self.set_display_mode(zoom="fullwidth")
        self.add_page()

    def footer(self) -> None:
        self.set_y(-13)
        self.set_font(FONT, "", 8.5)
        self.set_text_color(GUIDANCE_GREY)
        # "{nb}" is replaced by the total number of pages when the PDF is written.
        self.cell(0, 5, f"Side {self.page_no()} af {{nb}}", align="C")
        self.set_text_color(0)


def render_markup(pdf: BilagPdf, text: str) -> None:
    """Render marked-up text (see the module docstring) at the current position."""
    lines = text.strip("\n").splitlines()
    i = 0
    while i < len(lines):
        line = lines[i].rstrip()
        if line.startswith("|"):
            # Collect every consecutive table row.
            rows: list[list[str]] = []
            while i < len(lines) and lines[i].startswith("|"):
                rows.append([cell.strip() for cell in lines[i].strip().strip("|").split("|")])
                i += 1
            render_table(pdf, rows)
            continue
        next_line = lines[i + 1] if i + 1 < len(lines) else ""
        if line and line[0] not in "#>-" and next_line.startswith("|"):
            # A plain line directly above a table is its caption: keep them on one page.
            table_rows = len(list(takewhile(lambda row: row.startswith("|"), lines[i + 1 :])))
            if pdf.will_page_break(LINE_HEIGHT + (table_rows + 1) * TABLE_ROW_HEIGHT):
                pdf.add_page()
            render_line(pdf, line, style="B")
        elif not line:
            pdf.ln(PARAGRAPH_GAP)
        elif match := re.match(r"(#{1,4}) (.+)", line):
            render_heading(pdf, len(match.group(1)), match.group(2))
        elif line.startswith("> "):
            pdf.set_text_color(GUIDANCE_GREY)
            render_line(pdf, line[2:], style="I")
            pdf.set_text_color(0)
        else:
            render_line(pdf, line, style="")
        i += 1


def render_heading(pdf: BilagPdf, level: int, text: str) -> None:
    """A bold heading, kept on the same page as the first lines after it."""
    size = HEADING_SIZES[level]
    if pdf.will_page_break(size + 4 * LINE_HEIGHT):
        pdf.add_page()
    pdf.ln(PARAGRAPH_GAP if level > 1 else 0)
    pdf.set_font(FONT, "B", size)
    pdf.multi_cell(0, size * 0.5, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT, align="L")
    pdf.ln(1.5)


def render_line(pdf: BilagPdf, text: str, style: str) -> None:
    """One paragraph or, for text starting with "- ", one bullet item."""
    pdf.set_font(FONT, style, BODY_SIZE)
    if text.startswith("- "):
        pdf.set_x(pdf.l_margin + BULLET_INDENT)
        pdf.cell(BULLET_WIDTH, LINE_HEIGHT, "•")
        text = text[2:]
    # multi_cell wraps the text (ragged right: justified text is harder to read)
    # and keeps later lines at the starting x.
    pdf.multi_cell(0, LINE_HEIGHT, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT, align="L")


def render_table(pdf: BilagPdf, rows: list[list[str]]) -> None:
    """A table with a bold header row; numbers are right-aligned."""
    columns = len(rows[0])
    if any(len(row) != columns for row in rows):
        raise ValueError(f"table rows have different numbers of cells: {rows}")
    first_width, other_width = 55.0, 22.0
    pdf.set_font(FONT, "", BODY_SIZE)
    pdf.ln(1)
    with pdf.table(
        width=first_width + other_width * (columns - 1),
        col_widths=(first_width, *[other_width] * (columns - 1)),
        text_align=("LEFT", *["RIGHT"] * (columns - 1)),
        align="LEFT",
        line_height=TABLE_ROW_HEIGHT,
        headings_style=FontFace(emphasis="BOLD"),
        first_row_as_headings=True,
    ) as table:
        for row in rows:
            table_row = table.row()
            for cell in row:
                table_row.cell(cell)
    pdf.ln(PARAGRAPH_GAP)


def build_pdf(spec: PdfSpec) -> bytes:
    """The PDF's bytes; the same spec always gives the same bytes."""
    pdf = BilagPdf(spec.title, spec.author)
    render_markup(pdf, spec.text)
    return bytes(pdf.output())


def application_spec() -> PdfSpec:
    """The grant application, from its hand-cleaned text source."""
    source = TOOLS / "sample_pdfs" / "ansoegning-integrationsambassadoer.txt"
    text = source.read_text(encoding="utf-8")
    title = next(line[2:] for line in text.splitlines() if line.startswith("# "))
    return PdfSpec(
        path=BILAG_DIR / "integrationsraadet-broenderslev" / "2018-05-24" / "ansoegning-integrationsambassadoer.pdf",
        title=title,
        author="Aalborg Kommune",
        text=text,
    )


def check_bilag_path(raw: object) -> tuple[Path | None, str | None]:
    """Resolve a stand-in's path; return (path, None) or (None, what is wrong)."""
    expected = "expected content/bilag/<body-slug>/<YYYY-MM-DD>/<file>.pdf"
    if not isinstance(raw, str) or not raw:
        return None, f"path must be a non-empty string, {expected}"
    parts = raw.split("/")
    if raw.startswith("/") or "\\" in raw or parts[:2] != ["content", "bilag"] or len(parts) < 3:
        return None, f"path {raw!r} is outside content/bilag/, {expected}"
    if not raw.endswith(".pdf"):
        return None, f"path {raw!r} does not end in .pdf, {expected}"
    names = parts[2:-1] + [parts[-1][: -len(".pdf")]]
    bad = [name for name in names if not SLUG.fullmatch(name)]
    if bad:
        return None, f"path {raw!r}: {bad[0]!r} is not a slug (a-z, 0-9 and '-' only; æ→ae, ø→oe, å→aa)"
    path = (REPO / raw).resolve()
    if not path.is_relative_to(BILAG_DIR.resolve()):  # e.g. a symlink pointing elsewhere
        return None, f"path {raw!r} resolves outside content/bilag/"
    return path, None


def stand_in_specs() -> tuple[list[PdfSpec], list[str]]:
    """Read tools/sample_pdfs.yaml; return the specs and every error found."""
    if not STAND_INS_FILE.exists():
        return [], []
    name = STAND_INS_FILE.relative_to(REPO)
    source = STAND_INS_FILE.read_text(encoding="utf-8")
    try:
        data = yaml.safe_load(source)
        # The composed node tree gives each entry's line number for error messages.
        root = yaml.compose(source, Loader=yaml.SafeLoader)
    except yaml.YAMLError as error:
        return [], [f"{name}: not valid YAML: {error}"]
    if data is None:
        return [], []
    if not isinstance(data, list):
        return [], [f"{name}:1: expected a list of {{path, title, text}} entries (or [])"]

    specs: list[PdfSpec] = []
    errors: list[str] = []
    for entry, node in zip(data, root.value):
        where = f"{name}:{node.start_mark.line + 1}"
        if not isinstance(entry, dict):
            errors.append(f"{where}: expected an entry with keys path, title, text")
            continue
        unknown = sorted(set(entry) - {"path", "title", "text"})
        missing = sorted({"path", "title", "text"} - set(entry))
        if unknown or missing:
            errors.append(f"{where}: unknown keys {unknown}, missing keys {missing}; expected path, title, text")
            continue
        path, problem = check_bilag_path(entry["path"])
        if problem:
            errors.append(f"{where}: {problem}")
            continue
        empty = [key for key in ("title", "text") if not isinstance(entry[key], str) or not entry[key].strip()]
        if empty:
            errors.append(f"{where}: {' and '.join(empty)} must be non-empty text")
            continue
        text = f"> {STAND_IN_NOTICE}\n\n# {entry['title']}\n\n{entry['text']}"
        specs.append(PdfSpec(path=path, title=entry["title"], author="Rådsarkiv (eksempel)", text=text))
    return specs, errors


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if any PDF is missing or out of date")
    args = parser.parse_args()

    stand_ins, errors = stand_in_specs()
    specs = [application_spec(), *stand_ins]
    seen: set[Path] = set()
    for spec in specs:
        if spec.path in seen:
            errors.append(f"{STAND_INS_FILE.relative_to(REPO)}: {spec.path.relative_to(REPO)} is listed twice")
        seen.add(spec.path)
    if errors:
        print("\n".join(errors), file=sys.stderr)
        print(f"{len(errors)} error(s); no PDF was written.", file=sys.stderr)
        return 1

    outdated = 0
    for spec in specs:
        data = build_pdf(spec)
        relative = spec.path.relative_to(REPO)
        if spec.path.exists() and spec.path.read_bytes() == data:
            print(f"unchanged  {relative}")
            continue
        outdated += 1
        if args.check:
            print(f"outdated   {relative}")
            continue
        spec.path.parent.mkdir(parents=True, exist_ok=True)
        spec.path.write_bytes(data)
        print(f"wrote      {relative} ({len(data):,} bytes)")
    return 1 if args.check and outdated else 0


if __name__ == "__main__":
    sys.exit(main())
