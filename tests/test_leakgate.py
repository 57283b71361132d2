"""The leak gate finds closed content in a finished output folder, and nothing else."""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import zlib
from pathlib import Path

import pytest
from fpdf import FPDF

from raadsarkiv.leakgate import ClosedFile, Gate, Leak, Secret, source_words, words

MEETING = "content/meetings/oekonomiudvalget/2024-01-22-referat.md"
ITEM = f"{MEETING}, item 3 (closed)"
VALUE = f"{MEETING}, front matter guests (closed)"
BILAG = "content/bilag/oekonomiudvalget/2024-01-22/lejekontrakt.pdf"
PAGE = "udvalg/oekonomiudvalget/2024-01-22-referat/index.html"

BOILERPLATE = "Direktionen indstiller, at Økonomiudvalget godkender sagen og oversender den til byrådet til endelig beslutning."
CLOSED = (
    "### Sagsfremstilling\n\n"
    "Kommunen har modtaget et tilbud fra **Ejendomsselskabet Nordhavn** om køb af grunden på Havnevej 12 "
    "for 14,5 mio. kr., se [lejekontrakten](../../bilag/oekonomiudvalget/2024-01-22/lejekontrakt.pdf){lukket}.\n\n"
    f"### Indstilling\n\n{BOILERPLATE}\n"
)
PLANTED = "Kommunen har modtaget et tilbud fra Ejendomsselskabet Nordhavn om køb af grunden"
OPEN_ITEM = f"### Sagsfremstilling\n\nBudgetopfølgningen viser et mindreforbrug.\n\n### Indstilling\n\n{BOILERPLATE}\n"
BILAG_TEXT = "Lejekontrakt mellem Ejendomsselskabet Nordhavn og kommunen om lejemålet på Havnevej tolv"


def pdf(text: str) -> bytes:
    document = FPDF()
    document.add_page()
    document.set_font("helvetica", size=11)
    document.multi_cell(0, 6, text)
    return bytes(document.output())


CLOSED_PDF = pdf(BILAG_TEXT)


def page(body: str) -> str:
    return (
        '<!doctype html><html lang="da"><head><meta charset="utf-8"><title>Økonomiudvalget 22. januar 2024</title>'
        '<meta name="description" content="Referat af mødet i Økonomiudvalget"></head>'
        f'<body><main data-pagefind-body><h1>Referat</h1><h2>1. Budgetopfølgning</h2>{body}</main></body></html>'
    )


def make_gate() -> Gate:
    secrets = [
        Secret(ITEM, MEETING, 40, CLOSED),
        Secret(VALUE, MEETING, 7, "Jens Peter Hansen", kind="value"),
        Secret(f"{MEETING}, front matter case (closed)", MEETING, 8, "Økonomiudvalget", kind="value"),  # public: no fingerprint
        Secret(f"{MEETING}, item 4 (closed)", MEETING, 60, "Udsat."),  # too short to fingerprint
    ]
    files = [ClosedFile(f"{BILAG} (closed bilag)", BILAG, hashlib.sha256(CLOSED_PDF).hexdigest(), BILAG_TEXT, len(CLOSED_PDF))]
    public = [OPEN_ITEM, "3. Køb af grund {lukket}", "Økonomiudvalget", page("")]
    return Gate.build(secrets, files, public)


def write(folder: Path, rel: str, data: bytes | str) -> None:
    path = folder / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode() if isinstance(data, str) else data)


def fragment(content: str) -> bytes:
    """A Pagefind fragment: gzip of a signature and JSON."""
    record = {"url": "/udvalg/x/", "content": content, "word_count": 40, "filters": {}, "meta": {"title": "Referat"}}
    return gzip.compress(b"pagefind_dcd" + json.dumps(record, ensure_ascii=False).encode())


@pytest.fixture
def clean(tmp_path: Path) -> Path:
    """An output folder with only public content (boilerplate shared with the closed item included)."""
    out = tmp_path / "output"
    write(out, PAGE, page(f"<h3>Sagsfremstilling</h3><p>Budgetopfølgningen viser et mindreforbrug.</p>"
                          f"<h3>Indstilling</h3><p>{BOILERPLATE}</p><h2>3. Køb af grund</h2><p>Lukket punkt.</p>"))
    write(out, "pagefind/fragment/da_abc.pf_fragment", fragment(f"Budgetopfølgningen viser et mindreforbrug. {BOILERPLATE}"))
    write(out, "pagefind/pagefind-entry.json", json.dumps({"version": "1.5.2", "languages": {"da": {"hash": "x"}}}))
    write(out, "pagefind/pagefind.da_1.pf_index", gzip.compress(b"pagefind_dcd\x00\x01budget\x00kommune"))
    write(out, "bilag/oekonomiudvalget/2024-01-22/budget.pdf", pdf("Budget 2024 for kommunen, offentligt bilag."))
    write(out, "static/logo.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    write(out, "sitemap.xml", '<?xml version="1.0"?><urlset><url><loc>https://x.dk/udvalg/</loc></url></urlset>')
    return out


def test_clean_output_has_no_leaks(clean: Path) -> None:
    assert make_gate().scan(clean) == []


def test_boilerplate_shared_with_public_text_is_no_fingerprint(clean: Path) -> None:
    gate = make_gate()
    # The closed item's own sentence of boilerplate, alone, in a page of its own: still no leak.
    write(clean, "side/index.html", page(f"<p>{BOILERPLATE}</p>"))
    assert gate.scan(clean) == []
    assert not any(s in gate.shingles for s in zip(*(source_words(BOILERPLATE)[i:] for i in range(7))))
    # …but the closed part right before it is.
    write(clean, "side/index.html", page(f"<p>grunden på Havnevej 12 for 14,5 mio. kr., se lejekontrakten. {BOILERPLATE}</p>"))
    assert [(leak.output, leak.secret) for leak in gate.scan(clean)] == [("side/index.html", ITEM)]


def test_closed_sentence_in_html_with_entities_and_tags(clean: Path) -> None:
    write(clean, PAGE, page("<p>Kommun&#101;n har modtaget et <em>tilbud</em> fra <strong>Ejendomsselskabet Nordhavn</strong> om "
                            "k&#xF8;b af gr<em>und</em>en</p>"))
    assert make_gate().scan(clean) == [Leak(PAGE, ITEM, MEETING, 40)]


def test_closed_sentence_in_attribute_and_comment(clean: Path) -> None:
    write(clean, PAGE, page(f'<p title="{PLANTED}">Åbent punkt</p>'))
    write(clean, "om/index.html", page(f"<!-- {PLANTED} --><p>Om arkivet</p>"))
    assert make_gate().scan(clean) == [Leak("om/index.html", ITEM, MEETING, 40), Leak(PAGE, ITEM, MEETING, 40)]


def test_closed_sentence_in_pagefind_fragment(clean: Path) -> None:
    rel = "pagefind/fragment/da_abc.pf_fragment"
    write(clean, rel, fragment(f"Budgetopfølgningen viser et mindreforbrug.\n{PLANTED} på Havnevej 12."))
    assert make_gate().scan(clean) == [Leak(rel, ITEM, MEETING, 40)]


def test_closed_sentence_in_zlib_data(clean: Path) -> None:
    rel = "pagefind/filter/da_x.pf_filter"
    write(clean, rel, zlib.compress(b"pagefind_dcd" + PLANTED.encode()))
    assert make_gate().scan(clean) == [Leak(rel, ITEM, MEETING, 40)]


def test_closed_bilag_under_another_name_is_found_by_hash(clean: Path) -> None:
    rel = "bilag/oekonomiudvalget/2024-01-22/bilag-2.pdf"
    write(clean, rel, CLOSED_PDF)
    assert make_gate().scan(clean) == [Leak(rel, f"{BILAG} (closed bilag)", BILAG, 1)]


def test_closed_bilag_text_in_another_pdf_and_page(clean: Path) -> None:
    write(clean, "bilag/x/other.pdf", pdf(f"Forside\n{BILAG_TEXT}\nSide 2"))
    write(clean, "bilag/x/other/index.html", page(f"<pre>{BILAG_TEXT.upper()}</pre>"))
    label = f"{BILAG} (closed bilag)"
    assert [(leak.output, leak.secret) for leak in make_gate().scan(clean)] == [
        ("bilag/x/other.pdf", label), ("bilag/x/other/index.html", label)]


@pytest.mark.parametrize("variant", [
    PLANTED.upper(),
    PLANTED.replace(" ", "\n   \t"),
    PLANTED.replace(" ", "\u00a0"),
    PLANTED.replace(" ", "&nbsp;"),
    PLANTED.replace("Ejendomsselskabet", "Ejendoms\u00adselskabet").replace("modtaget", "mod&shy;taget"),
    PLANTED.replace("ø", "o\u0338"),  # decomposed ø: NFKC composes it
    PLANTED.replace("Kommunen", "KOMMUNEN,").replace("tilbud", "tilbud –"),
])
def test_variants_still_match(clean: Path, variant: str) -> None:
    write(clean, PAGE, page(f"<p>{variant}</p>"))
    assert make_gate().scan(clean) == [Leak(PAGE, ITEM, MEETING, 40)]


def test_short_front_matter_value_matches_whole(clean: Path) -> None:
    write(clean, PAGE, page("<p>Gæster: jens  peter HANSEN.</p>"))
    assert make_gate().scan(clean) == [Leak(PAGE, VALUE, MEETING, 7)]
    write(clean, PAGE, page("<p>Gæster: Jens Peter Hansenberg.</p>"))  # whole words only
    assert make_gate().scan(clean) == []


def test_symlinks_are_not_followed(clean: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    write(elsewhere, "closed.html", page(f"<p>{PLANTED}</p>"))
    os.symlink(elsewhere, clean / "link")
    os.symlink(elsewhere / "closed.html", clean / "closed.html")
    assert make_gate().scan(clean) == []


def test_message_names_output_file_and_closed_item() -> None:
    leak = Leak(PAGE, ITEM, MEETING, 40)
    assert leak.message() == (f"closed content leaked into output/{PAGE}: {ITEM}; the build was stopped and output/ left as it was")
    assert leak.problem().path == MEETING and leak.problem().line == 40


def test_words_normalisation() -> None:
    assert words("Kø<em>b</em> af&nbsp;GRUND<br>på Havne\u00advej, 12") == ["køb", "af", "grund", "på", "havnevej", "12"]
    assert source_words("[lejekontrakten](../x.pdf){lukket} **fed**") == ["lejekontrakten", "fed"]


@pytest.mark.parametrize("start", range(12))
def test_any_eight_closed_words_in_a_row_are_found(clean: Path, start: int) -> None:
    """The scan looks up every 2nd shingle: 8 words in a row at any offset still hold one it looks up."""
    closed = source_words(CLOSED)[start:start + 8]
    for padding in ("", "ord "):  # both word parities
        write(clean, PAGE, page(f"<p>Åbent punkt: {padding}{' '.join(closed)}. Slut.</p>"))
        assert make_gate().scan(clean) == [Leak(PAGE, ITEM, MEETING, 40)], (padding, closed)


def test_short_closed_text_is_matched_whole(clean: Path) -> None:
    label = f"{MEETING}, item 5 (closed)"
    gate = Gate.build([Secret(label, MEETING, 70, "Sagen om Havnevej sendes tilbage til forvaltningen.")], [], [])
    for padding in ("", "ord "):
        write(clean, PAGE, page(f"<p>{padding}sagen om havnevej sendes tilbage til forvaltningen</p>"))
        assert gate.scan(clean) == [Leak(PAGE, label, MEETING, 70)]
