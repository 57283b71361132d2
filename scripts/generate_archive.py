#!/usr/bin/env python3
"""Generate a large, valid archive for measuring build and rebuild times.

    python scripts/generate_archive.py --meetings 1000 --out bench-archive

The result is a complete project folder (content/,
site_config.yaml): the sample archive plus generated bodies and meetings of
about 18 KB of Markdown each, with case numbers shared between meetings and
links to strategies and to other meetings. The same arguments always give the
same files.

Bilag: 0-3 per item, about 9 per meeting, each a distinct PDF written as plain
PDF bytes (no library): most have a text layer of 1-2 pages (readable), about
15 % have none, like scans (a page with only an image, or a page with no
content stream). Closed content: item 7 of every meeting is `{lukket}`, item 8
of about one meeting in five is `{lukket offentlig-beslutning}`, and about one
bilag in twelve of an open item is linked `{lukket}`; bilag of closed items are
closed too. Every closed text holds words found nowhere else (a per-item code
every few words), and every PDF differs in bytes from every other, so the leak
gate has real closed content to look for and none of it is ever published.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BODIES = 10
SECTIONS = ["Resume", "Sagsfremstilling", "Økonomi", "Indstilling", "Beslutning"]
WORDS = (
    "integration beskæftigelse uddannelse borgere kommune rådet udvalget handleplan indsats målsætning "
    "virksomheder praktik sprog dansk forening frivillige netværk sagsbehandling økonomi budget "
    "evaluering opfølgning høring strategi beslutning indstilling forvaltningen sekretariatet "
    "orientering drøftelse godkendelse ansøgning tilskud projekt samarbejde nærmiljø boligområde "
    "unge familier job mentor kursus vejledning ledighed kvartal status rapport analyse"
).split()
STRATEGY_LINK = "../../strategies/aalborg-integrationsstrategi-2023-2026.md#maalsaetning-{n}"
BILAG_PER_ITEM = (0, 1, 2, 3)
BILAG_WEIGHTS = (35, 30, 20, 15)  # 1.15 per item, 9.2 per meeting of 8 items
BILAG_TITLES = ["Notat", "Budgetoversigt", "Høringssvar", "Handleplan", "Evaluering", "Ansøgning", "Statusrapport", "Skrivelse"]


def paragraph(rng: random.Random, sentences: int) -> str:
    """A paragraph of Danish-looking sentences, wrapped at about 80 characters."""
    text = []
    for _ in range(sentences):
        words = [rng.choice(WORDS) for _ in range(rng.randint(8, 16))]
        text.append(" ".join(words).capitalize() + ".")
    out, line = [], ""
    for word in " ".join(text).split():
        if len(line) + len(word) > 78:
            out.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return "\n".join([*out, line])


def secret_paragraph(rng: random.Random, sentences: int, code: str) -> str:
    """Closed text: like paragraph(), but every 4th word is a code unique to the closed item.

    Any 7 words in a row then hold a word found in no public text, so the leak gate
    fingerprints every stretch of closed text and never drops one as shared with public text.
    """
    words = paragraph(rng, sentences).split(" ")
    for at in range(0, len(words), 4):
        words.insert(at, f"{code}{at}")
    return " ".join(words)


def _pdf_string(text: str) -> bytes:
    """A PDF literal string in WinAnsiEncoding (æøå are in cp1252)."""
    data = text.encode("cp1252", errors="replace")
    return b"(" + data.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def pdf_bytes(pages: list[list[str]] | None, unique: str, image: bytes | None = None) -> bytes:
    """A minimal valid PDF: pages of text lines (Helvetica), or one page with only an image, or one with no content.

    `unique` goes into a comment, so no two generated files have the same bytes
    (the leak gate finds a closed bilag's bytes under any name).
    """
    contents: list[bytes | None] = []
    if pages:
        for lines in pages:
            ops = [b"BT /F1 10 Tf 14 TL 56 780 Td"]
            ops += [_pdf_string(line) + b" '" for line in lines]
            ops.append(b"ET")
            contents.append(b"\n".join(ops))
    elif image is not None:
        contents.append(b"q 400 0 0 500 100 170 cm /Im1 Do Q")
    else:
        contents.append(None)
    # 1 catalog, 2 pages, 3 font, 4 image (maybe), then page/content pairs
    first = 5
    kids = []
    body: dict[int, bytes] = {}
    for n, content in enumerate(contents):
        page_id = first + 2 * n
        kids.append(page_id)
        resources = b"<< /Font << /F1 3 0 R >> >>" if pages else (b"<< /XObject << /Im1 4 0 R >> >>" if image is not None else b"<< >>")
        contents_ref = f" /Contents {page_id + 1} 0 R".encode() if content is not None else b""
        body[page_id] = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources " + resources + contents_ref + b" >>"
        if content is not None:
            body[page_id + 1] = f"<< /Length {len(content)} >>\nstream\n".encode() + content + b"\nendstream"
    body[1] = b"<< /Type /Catalog /Pages 2 0 R >>"
    body[2] = f"<< /Type /Pages /Kids [{' '.join(f'{k} 0 R' for k in kids)}] /Count {len(kids)} >>".encode()
    body[3] = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
    if image is not None:
        side = int(len(image) ** 0.5)
        body[4] = (f"<< /Type /XObject /Subtype /Image /Width {side} /Height {side} /ColorSpace /DeviceGray "
                   f"/BitsPerComponent 8 /Length {len(image)} >>\nstream\n").encode() + image + b"\nendstream"
    else:
        body[4] = b"<< >>"
    top = max(body)
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n% " + unique.encode("ascii") + b"\n")
    offsets = [0] * (top + 1)
    for number in range(1, top + 1):
        offsets[number] = len(out)
        out += f"{number} 0 obj\n".encode() + body.get(number, b"null") + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {top + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets[1:])
    out += f"trailer\n<< /Size {top + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def bilag_pdf(rng: random.Random, unique: str, code: str | None) -> bytes:
    """One bilag: 85 % readable (1-2 pages of text; `code` words in it when closed), else no text layer."""
    roll = rng.random()
    if roll < 0.08:
        return pdf_bytes(None, unique, image=rng.randbytes(32 * 32))  # a "scan": one image, no text
    if roll < 0.15:
        return pdf_bytes(None, unique)  # a page with no content stream
    pages = []
    for _ in range(rng.choice([1, 1, 2])):
        text = secret_paragraph(rng, 8, code) if code else paragraph(rng, 8)
        pages.append(text.split("\n"))
    return pdf_bytes(pages, unique)


def body_slug(index: int) -> str:
    return f"genereret-udvalg-{index:02d}"


def meeting_dates(count: int) -> list[tuple[str, dt.date]]:
    """(body, date) for each meeting: bodies take turns, one meeting a week each."""
    start = dt.date(2005, 1, 3)
    return [(body_slug(i % BODIES), start + dt.timedelta(days=7 * (i // BODIES) + i % BODIES % 5)) for i in range(count)]


def meeting_text(rng: random.Random, index: int, body: str, date: dt.date, previous: tuple[str, dt.date] | None) -> tuple[str, dict[str, bytes]]:
    """One meeting file (~18 KB) and its bilag files (name -> bytes)."""
    case = f"{date.year}-{index // 3:05d}"
    public_decision = rng.random() < 0.2  # item 8 is {lukket offentlig-beslutning}
    front = [
        "---",
        f"body: {body}",
        f"date: {date.isoformat()}",
        "kind: referat",
        'start: "16:00"',
        'end: "18:00"',
        "place: Rådhuset, mødelokale 2",
        "present:",
        *[f"  - Medlem {n} Eksempelsen" for n in range(1, 8)],
        "absent:",
        "  - name: Medlem 8 Eksempelsen",
        "    substitute: Stedfortræder Eksempelsen",
        "items:",
        "  2:",
        f'    case_number: "{case}"',
        '    kle: "27.00.00-A00"',
        "  7:",
        f'    case_number: "{date.year}-L{index:06d}"',
        "---",
        "",
        "Genereret referat til måling af byggetider.",
        "",
    ]
    bilag: dict[str, bytes] = {}
    items: list[str] = []
    for number in range(1, 9):
        closed = number == 7 or (number == 8 and public_decision)
        marker = " {lukket}" if number == 7 else " {lukket offentlig-beslutning}" if closed else ""
        code = f"lk{index:05d}n{number}w" if closed else None  # words only this closed item has
        title = f"{rng.choice(WORDS).capitalize()} og {rng.choice(WORDS)} ({number})"
        items.append(f"## {number}. {title}{marker}\n")
        for section in SECTIONS:
            secret = code is not None and not (number == 8 and section == "Beslutning")
            text = secret_paragraph(rng, rng.choice([3, 4]), code) if secret and code else paragraph(rng, rng.choice([3, 4]))
            items.append(f"### {section}\n\n{text}\n")
        if number == 2:
            items.append(f"Sagen hører under [målsætning {index % 3 + 1}]({STRATEGY_LINK.format(n=index % 3 + 1)}).\n")
        if number == 3 and previous is not None:
            other_body, other_date = previous
            items.append(
                f"Se også [{other_body}, {other_date.isoformat()}, pkt. 4](../{other_body}/{other_date.isoformat()}-referat.md#punkt-4).\n"
            )
        links = []
        for n in range(rng.choices(BILAG_PER_ITEM, BILAG_WEIGHTS)[0]):
            name = f"bilag-{index:05d}-{number}-{n + 1}.pdf"
            closed_link = not closed and rng.random() < 1 / 12
            secret_code = code or (f"lb{index:05d}n{number}b{n}w" if closed_link else None)
            bilag[name] = bilag_pdf(rng, f"{body}/{date.isoformat()}/{name}", secret_code)
            title = f"{rng.choice(BILAG_TITLES)} {number}.{n + 1}"
            links.append(f"- [{title}](../../bilag/{body}/{date.isoformat()}/{name}){' {lukket}' if closed_link else ''}\n")
        if links:
            items.append("### Bilag\n\n" + "".join(links))
    return "\n".join(front) + "\n".join(items), bilag


def generate(out: Path, meetings: int, seed: int = 1) -> Path:
    """Write the sample archive plus `meetings` generated meetings into `out` (replacing it)."""
    if out.exists():
        if not (out / "site_config.yaml").exists():
            sys.exit(f"{out} exists and is not a generated archive; refusing to replace it")
        shutil.rmtree(out)
    shutil.copytree(REPO / "content", out / "content")
    shutil.copy(REPO / "site_config.yaml", out / "site_config.yaml")
    rng = random.Random(seed)
    for index in range(BODIES):
        path = out / "content/bodies" / f"{body_slug(index)}.md"
        path.write_text(
            f"---\nname: Genereret udvalg {index + 1}\norganisation: aalborg\ntype: udvalg\n---\n\n{paragraph(rng, 3)}\n",
            encoding="utf-8",
        )
    schedule = meeting_dates(meetings)
    for index, (body, date) in enumerate(schedule):
        previous = schedule[index - 1] if index else None
        text, bilag = meeting_text(rng, index, body, date, previous)
        folder = out / "content/meetings" / body
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{date.isoformat()}-referat.md").write_text(text, encoding="utf-8")
        bilag_dir = out / "content/bilag" / body / date.isoformat()
        bilag_dir.mkdir(parents=True, exist_ok=True)
        for name, data in bilag.items():
            (bilag_dir / name).write_bytes(data)
    return out


def main() -> int:
    """Command line entry."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--meetings", type=int, default=1000)
    parser.add_argument("--out", type=Path, default=REPO / "bench-archive")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    out = generate(args.out, args.meetings, args.seed)
    print(f"Generated {args.meetings} meetings in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
