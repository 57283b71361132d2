#!/usr/bin/env python3
"""Generate a large, valid archive for measuring build and rebuild times.

    python scripts/generate_archive.py --meetings 1000 --out bench-archive

The result is a complete project folder (content/, templates/, static/,
site_config.yaml): the sample archive plus generated bodies and meetings of
about 17 KB of Markdown each, with bilag, closed items, case numbers shared
between meetings and links to strategies and to other meetings. The same
arguments always give the same files.
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
ONE_PAGE_PDF = REPO / "content/bilag/eksempeludvalget/2024-01-22/program-debataften.pdf"  # a public one: the leak gate finds a closed file under any name


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


def body_slug(index: int) -> str:
    return f"genereret-udvalg-{index:02d}"


def meeting_dates(count: int) -> list[tuple[str, dt.date]]:
    """(body, date) for each meeting: bodies take turns, one meeting a week each."""
    start = dt.date(2005, 1, 3)
    return [(body_slug(i % BODIES), start + dt.timedelta(days=7 * (i // BODIES) + i % BODIES % 5)) for i in range(count)]


def meeting_text(rng: random.Random, index: int, body: str, date: dt.date, previous: tuple[str, dt.date] | None) -> tuple[str, list[str]]:
    """One meeting file (~17 KB) and the bilag file names it links to."""
    case = f"{date.year}-{index // 3:05d}"
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
        "---",
        "",
        "Genereret referat til måling af byggetider.",
        "",
    ]
    bilag = [f"bilag-{index:05d}.pdf"]
    items: list[str] = []
    for number in range(1, 9):
        closed = number == 7
        title = f"{rng.choice(WORDS).capitalize()} og {rng.choice(WORDS)} ({number})"
        items.append(f"## {number}. {title}{' {lukket}' if closed else ''}\n")
        for section in SECTIONS:
            items.append(f"### {section}\n\n{paragraph(rng, rng.choice([3, 4]))}\n")
        if number == 2:
            items.append(f"Sagen hører under [målsætning {index % 3 + 1}]({STRATEGY_LINK.format(n=index % 3 + 1)}).\n")
        if number == 3 and previous is not None:
            other_body, other_date = previous
            items.append(
                f"Se også [{other_body}, {other_date.isoformat()}, pkt. 4](../{other_body}/{other_date.isoformat()}-referat.md#punkt-4).\n"
            )
        if number == 4:
            items.append("### Bilag\n\n" + "".join(
                f"- [Bilag {name.removesuffix('.pdf')}](../../bilag/{body}/{date.isoformat()}/{name})\n" for name in bilag
            ))
    return "\n".join(front) + "\n".join(items), bilag


def generate(out: Path, meetings: int, seed: int = 1) -> Path:
    """Write the sample archive plus `meetings` generated meetings into `out` (replacing it)."""
    if out.exists():
        if not (out / "site_config.yaml").exists():
            sys.exit(f"{out} exists and is not a generated archive; refusing to replace it")
        shutil.rmtree(out)
    for name in ("content", "templates", "static"):
        shutil.copytree(REPO / name, out / name)
    shutil.copy(REPO / "site_config.yaml", out / "site_config.yaml")
    rng = random.Random(seed)
    for index in range(BODIES):
        path = out / "content/bodies" / f"{body_slug(index)}.md"
        path.write_text(
            f"---\nname: Genereret udvalg {index + 1}\norganisation: aalborg\ntype: udvalg\n---\n\n{paragraph(rng, 3)}\n",
            encoding="utf-8",
        )
    pdf = ONE_PAGE_PDF.read_bytes()
    schedule = meeting_dates(meetings)
    for index, (body, date) in enumerate(schedule):
        previous = schedule[index - 1] if index else None
        text, bilag = meeting_text(rng, index, body, date, previous)
        folder = out / "content/meetings" / body
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{date.isoformat()}-referat.md").write_text(text, encoding="utf-8")
        bilag_dir = out / "content/bilag" / body / date.isoformat()
        bilag_dir.mkdir(parents=True, exist_ok=True)
        for name in bilag:
            (bilag_dir / name).write_bytes(pdf)
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
