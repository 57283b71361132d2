"""Hostile input never crashes the build: deep YAML nesting, control characters, odd URLs."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from conftest import REPO
from raadsarkiv.characters import MAX_REPORTED, check_characters, find_control_characters
from raadsarkiv.config import SiteConfig, load_config
from raadsarkiv.errors import Problem, Problems
from raadsarkiv.frontmatter import MAX_DEPTH, FrontMatterError, parse_yaml, split
from raadsarkiv.loader import _read
from raadsarkiv.model import MeetingMeta
from raadsarkiv.pipeline import check, render_site, sitemap
from raadsarkiv.render import make_environment
from raadsarkiv.theme import template_folders
from raadsarkiv.serve import source_line
from raadsarkiv.validation import validate


def _nested(depth: int) -> str:
    """A flow list `depth` levels deep."""
    return "[" * depth + "]" * depth


@pytest.mark.parametrize(
    "text, line",
    [
        ("a: 1\nx: " + _nested(350), 3),  # flow lists
        ("a: 1\nx: " + "{a: " * 350 + "}" * 350, 3),  # flow mappings
        ("x: " + "[" * 3000, 2),  # never closed
        ("x:\n" + "".join("  " * i + "-\n" for i in range(350)), 2 + MAX_DEPTH),  # block lists, one per line
        ("x:\n" + "".join(" " * i + "a:\n" for i in range(1, 400)), 2 + MAX_DEPTH),  # block mappings
        ("x:\n  " + "- " * 350 + "1", 3),  # compact block lists on one line
    ],
)
def test_deep_nesting_is_an_error_with_its_line(text: str, line: int) -> None:
    """Nesting beyond MAX_DEPTH is refused at the line where it goes too deep, not a RecursionError."""
    with pytest.raises(FrontMatterError) as caught:
        parse_yaml(text, first_line=2)
    assert caught.value.line == line
    assert f"nested more than {MAX_DEPTH} levels deep" in caught.value.message


def test_nesting_up_to_the_limit_is_read() -> None:
    """MAX_DEPTH levels, the top-level mapping included, are fine."""
    front = parse_yaml("x: " + _nested(MAX_DEPTH - 1))
    assert front.data["x"] == eval(_nested(MAX_DEPTH - 1))  # noqa: S307 (a literal)
    with pytest.raises(FrontMatterError):
        parse_yaml("x: " + _nested(MAX_DEPTH))


def test_recursion_error_is_still_a_front_matter_error() -> None:
    """With a stack too small even for MAX_DEPTH, the RecursionError becomes a message with a real line."""
    import sys

    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(60)
    try:
        with pytest.raises(FrontMatterError) as caught:
            parse_yaml("a: 1\nb: 2\nx: " + _nested(MAX_DEPTH - 1), first_line=2)
    finally:
        sys.setrecursionlimit(limit)
    assert caught.value.line == 4
    assert "nested too deeply" in caught.value.message


def test_validation_of_deeply_nested_data_reports_not_crashes() -> None:
    """pydantic on the deepest data the loader lets through gives ordinary problems."""
    deep = _nested(MAX_DEPTH - 1)
    text = (
        f"---\nbody: testudvalget\ndate: 2024-03-05\nkind: referat\npresent: {deep}\n"
        f"absent: {deep}\nitems: {deep}\nextra: {deep}\n---\n"
    )
    problems = Problems()
    assert validate(MeetingMeta, split(text).front, "m.md", problems) is None
    lines = [p.format() for p in problems.errors]
    assert lines and all(line.startswith(("m.md:5:", "m.md:6:", "m.md:7:", "m.md:8:")) for line in lines), lines


# --- control characters and noncharacters -------------------------------------------------


@pytest.mark.parametrize(
    "char", ["\x00", "\x08", "\x0b", "\x0c", "\x0e", "\x1b", "\x1f", "\x7f", "\x80", "\x96", "\x9f",
             "\ufdd0", "\ufdef", "\ufffe", "\uffff", "\U0001fffe", "\U0010ffff"],
)
def test_forbidden_characters_are_found_with_line_and_column(char: str) -> None:
    assert find_control_characters(f"---\ntitle: x\n---\n\nab{char}c\n") == [(5, 3, char)]


def test_allowed_characters_are_not_found() -> None:
    """Tab, LF, CRLF, a BOM, ordinary non-ASCII text and the characters next to the forbidden ranges."""
    text = "a\tb\r\nÆøå – “x” \u00a0 \ufdcf \ufdf0 \ufffd \U0001f600 \U0001fffd\n"
    assert find_control_characters(text) == []


def test_lone_carriage_return_is_found_but_crlf_is_not() -> None:
    assert find_control_characters("a\r\nb\rc\r\n\rd") == [(2, 2, "\r"), (3, 1, "\r")]


def test_lines_and_columns_of_several_characters() -> None:
    text = "\x01\n\nxx\x02y\x03\n\x7f"
    assert find_control_characters(text) == [(1, 1, "\x01"), (3, 3, "\x02"), (3, 5, "\x03"), (4, 1, "\x7f")]


def test_messages_name_the_code_point_and_column() -> None:
    problems = Problems()
    assert check_characters("ok\nx\x1by\n\x96\n\ufdd0\nz\r", "p.md", problems)
    assert [p.format() for p in problems.errors] == [
        "p.md:2: control character U+001B (ESC) in the text at column 2; delete it (it is invisible, often pasted "
        "from another program)",
        "p.md:3: control character U+0096 (SPA) in the text at column 1; it usually stands for a dash, quote or "
        "letter that was converted with the wrong encoding (Windows-1252 read as Latin-1): delete it and type the "
        "intended character",
        "p.md:4: noncharacter U+FDD0 in the text at column 1; delete it (it is not text and is reserved for "
        "internal use)",
        "p.md:5: carriage return U+000D (CR) in the text at column 2 without a line feed after it (old Mac line "
        "endings); save the file with LF (or CRLF) line endings",
    ]


def test_many_characters_are_summarised() -> None:
    problems = Problems()
    check_characters("\x1b\n" * (MAX_REPORTED + 5), "p.md", problems)
    assert len(problems.errors) == MAX_REPORTED + 1
    assert problems.errors[-1].format() == (
        f"p.md:{MAX_REPORTED + 1}: 5 more control characters or noncharacters from this line on; delete them all"
    )


def test_utf16_is_one_problem() -> None:
    problems = Problems()
    check_characters("---\ntitle: x\n---\n".encode("utf-16-le").decode("utf-8"), "p.md", problems)
    assert [p.format() for p in problems.errors] == [
        "p.md:1: file is UTF-16 text, not UTF-8 (it is full of NUL characters); save it with UTF-8 encoding"
    ]


def test_file_with_control_character_is_not_loaded(tmp_path: Path) -> None:
    """The loader reports the character and returns nothing of the file; CRLF files load as before."""
    bad = tmp_path / "bad.md"
    bad.write_bytes(b"---\r\ntitle: Om\r\n---\r\n\r\nEt \x1b[31mtestarkiv.\r\n")
    problems = Problems()
    assert _read(bad, "content/pages/bad.md", problems) is None
    assert [p.format() for p in problems.errors] == [
        "content/pages/bad.md:5: control character U+001B (ESC) in the text at column 4; delete it (it is "
        "invisible, often pasted from another program)"
    ]
    good = tmp_path / "good.md"
    good.write_bytes(b"\xef\xbb\xbf---\r\ntitle: Om\r\n---\r\n\r\nEt\ttestarkiv.\r\n")
    problems = Problems()
    split_file = _read(good, "content/pages/good.md", problems)
    assert not problems.errors and split_file is not None
    assert split_file.front.data == {"title": "Om"} and split_file.body == "\nEt\ttestarkiv.\n"


@pytest.mark.parametrize(
    "config, expected",
    [
        (b"title: Test\x00arkiv\n", "site_config.yaml:2: control character U+0000 (NUL) in the text at column 12"),
        (b"title: Test\rarkiv\n", "site_config.yaml:2: carriage return U+000D (CR) in the text at column 12"),
        (b"title: x\nextra: " + b"[" * 3000 + b"\n",
         "site_config.yaml:3: site_config.yaml is nested more than 20 levels deep"),
    ],
)
def test_site_config_is_checked_too(tmp_path: Path, config: bytes, expected: str) -> None:
    (tmp_path / "site_config.yaml").write_bytes(b"# settings\n" + config)
    problems = Problems()
    assert load_config(tmp_path, problems) is None
    assert [p.format() for p in problems.errors][0].startswith(expected)
    assert len(problems.errors) == 1


def test_site_config_with_crlf_and_bom_is_read(tmp_path: Path) -> None:
    text = (REPO / "tests" / "fixtures" / "minimal" / "site_config.yaml").read_text(encoding="utf-8")
    (tmp_path / "site_config.yaml").write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode())
    problems = Problems()
    config = load_config(tmp_path, problems)
    assert config is not None and not problems.errors
    assert config.title == "Testarkiv"


# --- sitemap.xml ------------------------------------------------------------------------------


def _config(base_url: str) -> SiteConfig:
    return SiteConfig(
        base_url=base_url, organisations={"k": {"name": "K"}},
        accessibility={"responsible": "K", "contact_email": "web@example.dk"},
    )


def test_sitemap_addresses_are_percent_encoded() -> None:
    """A bilag file name with spaces, æøå, & or % becomes a valid URL; '/' stays."""
    pages = [
        "index.html",
        "bilag/testudvalget/2024-03-05/Handleplan æ 1-pdf/index.html",
        "bilag/testudvalget/2024-03-05/R&D 100%-pdf/index.html",
    ]
    locs = re.findall(r"<loc>(.*?)</loc>", sitemap(_config("https://example.dk/råd arkiv/"), pages).decode())
    assert locs == [
        "https://example.dk/r%C3%A5d%20arkiv/",
        "https://example.dk/r%C3%A5d%20arkiv/bilag/testudvalget/2024-03-05/Handleplan%20%C3%A6%201-pdf/",
        "https://example.dk/r%C3%A5d%20arkiv/bilag/testudvalget/2024-03-05/R%26D%20100%25-pdf/",
    ]
    assert all(re.fullmatch(r"[A-Za-z0-9:/.%_~-]+", loc) for loc in locs)


def test_sitemap_of_a_built_site_with_an_odd_bilag_name(tmp_path: Path) -> None:
    """End to end: the bilag page of 'Handleplan æ 1.pdf' is in sitemap.xml, encoded; robots.txt points at it."""
    root = tmp_path / "project"
    shutil.copytree(REPO / "tests" / "fixtures" / "minimal", root)
    folder = root / "content" / "bilag" / "testudvalget" / "2024-03-05"
    (folder / "handleplan.pdf").rename(folder / "Handleplan æ 1.pdf")
    meeting = root / "content" / "meetings" / "testudvalget" / "2024-03-05-referat.md"
    text = meeting.read_text(encoding="utf-8")
    meeting.write_text(text.replace("(../../bilag/testudvalget/2024-03-05/handleplan.pdf)",
                                    "(<../../bilag/testudvalget/2024-03-05/Handleplan æ 1.pdf>)"), encoding="utf-8")
    checked = check(root)
    assert checked.ok and checked.site is not None, checked.problems
    files, _ = render_site(root, checked.site, env=make_environment(template_folders(root)))
    locs = re.findall(r"<loc>(.*?)</loc>", files["sitemap.xml"].decode())
    assert "https://example.dk/arkiv/bilag/testudvalget/2024-03-05/Handleplan%20%C3%A6%201-pdf/" in locs
    assert all(re.fullmatch(r"[A-Za-z0-9:/.%_~-]+", loc) for loc in locs), locs
    assert "Sitemap: https://example.dk/arkiv/sitemap.xml\n" in files["robots.txt"].decode()


def test_preview_shows_invisible_characters_on_the_right_line(tmp_path: Path) -> None:
    """The live preview's error page quotes the line the loader counted, with the character made visible."""
    (tmp_path / "om.md").write_bytes(b"---\r\ntitle: Om\r\n---\rx\r\nEt \x1btestarkiv.\r\n")
    assert source_line(tmp_path, Problem("om.md", 4, "…")) == "Et ⟨U+001B⟩testarkiv."
    assert source_line(tmp_path, Problem("om.md", 3, "…")) == "---⟨U+000D⟩x"
