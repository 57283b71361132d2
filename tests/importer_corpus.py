"""A corpus for the importer's tests, generated here (no committed binaries).

The seeds in ../shared/seeds/ are real text exports of published minutes. They are
turned into blocks (heading or paragraph, as the export shows them) and written out
as text, as PDFs in several layouts (fpdf2), as .docx with heading styles
(python-docx) and as HTML. A hand-made meeting file of the sample archive is also
"published" the way agenda systems print minutes, with closed items, case numbers
and attendance, to test what the seeds lack.
"""

from __future__ import annotations

import re
from pathlib import Path

import docx
from fpdf import FPDF

Block = tuple[str, str]  # (kind, text): kind is h1, h2, h3 or p

SHORT_HEADING_RE = re.compile(r"^[A-ZÆØÅ][^.:()\d,]*$")
ITEM_RE = re.compile(r"^\d+\.\s\S")


def seed_blocks(text: str) -> list[Block]:
    """A text export's paragraphs; a short line on its own that looks like a heading becomes one."""
    blocks: list[Block] = []
    for paragraph in re.split(r"\n\s*\n", text.replace("\r\n", "\n")):
        lines = [line.strip() for line in paragraph.split("\n") if line.strip()]
        for line in lines if len(lines) > 1 else lines[:1]:
            if ITEM_RE.match(line) and len(line) < 120 and len(lines) == 1:
                blocks.append(("h2", line))
            elif len(lines) == 1 and len(line) <= 40 and len(line.split()) <= 4 and SHORT_HEADING_RE.match(line):
                blocks.append(("h3", line))
            else:
                blocks.append(("p", line))
    return blocks


def _plain_link(text: str) -> str:
    return re.sub(r"\[([^\]]*)\]\([^)]*\)(\s*\{lukket\})?", r"\1", text)


def published_blocks(markdown: str, front: dict) -> list[Block]:
    """A hand-made meeting file as an agenda system prints it: labels for metadata, closed items labelled."""
    date = front["date"]
    months = ["januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september", "oktober", "november", "december"]
    blocks: list[Block] = [("h1", f"Referat – {front['body']}"), ("p", f"Dato: {date.day}. {months[date.month - 1]} {date.year}")]
    if front.get("start"):
        end = f"-{front['end'].replace(':', '.')}" if front.get("end") else ""
        blocks.append(("p", f"Tidspunkt: Kl. {front['start'].replace(':', '.')}{end}"))
    if front.get("place"):
        blocks.append(("p", f"Sted: {front['place']}"))
    def person(entry: str | dict, *keys: str) -> str:
        if isinstance(entry, str):
            return entry
        remarks = [entry[key] for key in keys if entry.get(key)]
        if entry.get("substitute"):
            remarks.append(f"stedfortræder {entry['substitute']} mødt")
        return entry["name"] + (f" ({', '.join(remarks)})" if remarks else "")

    if front.get("present"):
        blocks.append(("p", "Til stede: " + "; ".join(person(entry, "role", "party") for entry in front["present"])))
    if front.get("absent"):
        blocks.append(("p", "Fraværende:"))
        blocks += [("p", person(entry, "party", "absence", "note")) for entry in front["absent"]]
    items = front.get("items") or {}
    paragraph: list[str] = []

    def flush() -> None:
        if paragraph:
            blocks.append(("p", _plain_link(" ".join(paragraph))))
            paragraph.clear()

    for line in markdown.split("\n"):
        heading = re.match(r"^## (\d+)\. (.*?)(?:\s*\{(lukket(?: offentlig-beslutning)?)\})?$", line)
        if heading:
            flush()
            number, title, marker = int(heading.group(1)), heading.group(2), heading.group(3)
            blocks.append(("h2", f"{number}. {title}"))
            if marker:
                blocks.append(("p", "Lukket punkt"))
            if marker == "lukket offentlig-beslutning":
                blocks.append(("p", "Beslutningen er offentlig."))
            meta = items.get(number) or {}
            for label, key in (("Sagsnr.", "case_number"), ("J.nr.", "kle"), ("Dok.nr.", "document_number")):
                if meta.get(key):
                    blocks.append(("p", f"{label}: {meta[key]}"))
        elif line.startswith("### "):
            flush()
            blocks.append(("h3", line[4:].strip()))
        elif not line.strip() or line.startswith("<!--"):
            flush()
        elif line.startswith("- "):
            flush()
            paragraph.append("• " + line[2:])
        else:
            paragraph.append(line.strip())
    flush()
    return blocks


# --- writers -------------------------------------------------------------------------------


def to_text(blocks: list[Block]) -> str:
    return "\n\n".join(text for _, text in blocks) + "\n"


def to_html(blocks: list[Block], links: dict[str, str] | None = None) -> str:
    """An agenda system's page; `links` adds a link after the paragraph that contains the key."""
    from html import escape

    tag = {"h1": "h1", "h2": "h2", "h3": "h3", "p": "p"}
    body = ['<nav><a href="/">Forside</a> <a href="#top">Til toppen</a></nav>', "<main>"]
    for kind, text in blocks:
        if text.startswith("• "):
            body.append(f"<ul><li>{escape(text[2:])}</li></ul>")
        else:
            body.append(f'<{tag[kind]} class="x">{escape(text)}</{tag[kind]}>')
        for key, href in (links or {}).items():
            if key == text:
                body.append(f'<p><a href="{escape(href)}">{escape(key)}</a></p>')
    body.append("</main><footer><script>var x = 1;</script></footer>")
    return '<!doctype html><html lang="da"><head><meta charset="utf-8"><title>Referat</title></head><body>' + "\n".join(body) + "</body></html>\n"


def to_docx(blocks: list[Block], path: Path) -> None:
    document = docx.Document()
    for kind, text in blocks:
        if kind in {"h1", "h2", "h3"}:
            document.add_heading(text, level=int(kind[1]))
        elif text.startswith("• "):
            document.add_paragraph(text[2:], style="List Bullet")
        else:
            document.add_paragraph(text)
    document.save(str(path))


def _cp1252(text: str) -> str:
    return text.encode("cp1252", errors="replace").decode("cp1252")


def hyphenated(text: str, width: int) -> list[str]:
    """Wrap `text` at `width` characters, breaking long words at line ends with a hyphen, as typesetters do."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        if not line:
            line = word
        elif len(line) + 1 + len(word) <= width:
            line += " " + word
        else:
            room = width - len(line) - 2
            if len(word) >= 10 and room >= 4 and word.isalpha() and word.islower():
                lines.append(f"{line} {word[:room]}-")
                line = word[room:]
            else:
                lines.append(line)
                line = word
    if line:
        lines.append(line)
    return lines


class _Pdf(FPDF):
    def __init__(self, running: str | None, page_numbers: str | None) -> None:
        super().__init__()
        self.core_fonts_encoding = "windows-1252"
        self.running = running
        self.page_numbers = page_numbers

    def header(self) -> None:
        if self.running:
            self.set_font("Helvetica", size=8)
            self.cell(0, 5, _cp1252(self.running), new_x="LMARGIN", new_y="NEXT")
            self.ln(4)

    def footer(self) -> None:
        if self.page_numbers:
            self.set_y(-15)
            self.set_font("Helvetica", size=8)
            self.cell(0, 5, self.page_numbers.format(n=self.page_no(), total="{nb}"), align="C")


def to_pdf(blocks: list[Block], path: Path, layout: str, running: str = "Referat") -> None:
    """layout: 'plain' (paragraphs, no furniture), 'running' (running header, 'Side n af m' footer,
    narrow hyphenated lines), 'toc' (a table-of-contents page first, '- n -' page numbers)."""
    pdf = _Pdf(
        running=f"{running} – udskrevet fra dagsordenssystemet" if layout == "running" else None,
        page_numbers={"running": "Side {n} af {total}", "toc": "- {n} -"}.get(layout),
    )
    pdf.set_auto_page_break(True, margin=20)
    if layout == "toc":
        pdf.add_page()
        pdf.set_font("Helvetica", "B", 14)
        pdf.cell(0, 8, "Indholdsfortegnelse", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", size=10)
        for kind, text in blocks:
            if kind == "h2":
                pdf.cell(0, 6, _cp1252(f"{text[:70]} {'.' * 20} 2"), new_x="LMARGIN", new_y="NEXT")
    pdf.add_page()
    size = {"h1": 14, "h2": 12, "h3": 11, "p": 10}
    for kind, text in blocks:
        pdf.set_font("Helvetica", "B" if kind != "p" else "", size[kind])
        if layout == "running" and kind == "p":
            for row in hyphenated(text, 78):
                pdf.cell(0, 5, _cp1252(row), new_x="LMARGIN", new_y="NEXT")
        else:
            pdf.multi_cell(0, 5 if kind == "p" else 6, _cp1252(text), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
    pdf.output(str(path))


def write_all(blocks: list[Block], folder: Path, stem: str, running: str = "Referat") -> dict[str, Path]:
    """The same document in every format and layout: {'text': …, 'pdf-plain': …, …, 'docx': …, 'html': …}."""
    folder.mkdir(parents=True, exist_ok=True)
    out: dict[str, Path] = {}
    out["text"] = folder / "text" / f"{stem}.txt"
    for layout in ("plain", "running", "toc"):
        out[f"pdf-{layout}"] = folder / f"pdf-{layout}" / f"{stem}.pdf"
    out["docx"] = folder / "docx" / f"{stem}.docx"
    out["html"] = folder / "html" / f"{stem}.html"
    for path in out.values():
        path.parent.mkdir(parents=True, exist_ok=True)
    out["text"].write_text(to_text(blocks), encoding="utf-8")
    for layout in ("plain", "running", "toc"):
        to_pdf(blocks, out[f"pdf-{layout}"], layout, running)
    to_docx(blocks, out["docx"])
    out["html"].write_text(to_html(blocks), encoding="utf-8")
    return out

