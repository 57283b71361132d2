"""Unit tests of single stages: front matter, validation messages, Markdown, hrefs, CPR guard."""

from __future__ import annotations

import datetime as dt

import pytest

from raadsarkiv.errors import Problems
from raadsarkiv.frontmatter import FrontMatterError, parse_yaml, split
from raadsarkiv.markdown import slugify, strip_link_markers, to_html
from raadsarkiv.model import MeetingMeta
from raadsarkiv.privacy import scan_cpr
from raadsarkiv.refs import BadRef, Ref, parse_href
from raadsarkiv.validation import validate

MEETING = "meetings/x/2023-10-10-referat.md"


# --- frontmatter ------------------------------------------------------------------------

def test_split_keeps_line_numbers() -> None:
    parsed = split("---\nbody: x\ndate: 2023-10-10\nitems:\n  4:\n    kle: a\n---\n\n## 1. Titel\n")
    assert parsed.front.data["date"] == dt.date(2023, 10, 10)
    assert parsed.front.line_of(("body",)) == 2
    assert parsed.front.line_of(("items", 4, "kle")) == 6
    assert parsed.front.line_of(("items", 4, "missing")) == 5  # nearest parent
    assert parsed.body_line == 8
    assert parsed.body.split("\n")[1] == "## 1. Titel"


@pytest.mark.parametrize(
    "text, line, message",
    [
        ("body: x\n", 1, "must start with a `---` line"),
        ("---\nbody: x\n", 1, "front matter is not closed"),
        ("---\na: &x 1\nb: *x\n---\n", 2, "anchors and aliases"),
        ("---\nname: [a\nb: c\n---\n", 3, "flow sequence that starts on line 2"),
        ("---\ndate: 2023-02-30\n---\n", 2, "'2023-02-30' is not a real date"),
        ("---\n- a\n---\n", 2, "must be a mapping"),
    ],
)
def test_split_errors_carry_the_line(text: str, line: int, message: str) -> None:
    with pytest.raises(FrontMatterError) as caught:
        split(text)
    assert caught.value.line == line
    assert message in caught.value.message


def test_raw_text_is_kept_for_plain_scalars_only() -> None:
    front = parse_yaml('a: 17:00\nb: "17:00"\nc: no\n')
    assert front.data == {"a": 1020, "b": "17:00", "c": False}
    assert front.raw == {("a",): "17:00", ("c",): "no"}


# --- validation messages ----------------------------------------------------------------

def _messages(yaml_text: str) -> list[str]:
    problems = Problems()
    validate(MeetingMeta, parse_yaml(yaml_text, first_line=2), "m.md", problems)
    return [p.format() for p in problems.all()]


def test_every_field_error_at_once_with_its_line() -> None:
    messages = _messages("body: x\ndate: 2023-10-10\nkind: referatt\nstart: 17:00\nend: \"25:00\"\nplase: y\n")
    assert messages == [
        "m.md:4: 'kind': expected 'referat' or 'dagsorden'",
        "m.md:5: 'start': YAML reads the unquoted value 17:00 as int 1020, not as text; put it in quotes: start: \"17:00\"",
        "m.md:6: 'end': '25:00' is not a time; expected \"HH:MM\" in quotes, e.g. \"17:00\"",
        "m.md:7: unknown key 'plase'; did you mean 'place'? allowed keys here: body, date, kind, start, end, place, "
        "present, absent, note, source, items, reviewed_cpr",
    ]


def test_missing_keys_say_what_to_add() -> None:
    assert _messages("body: x\n") == [
        "m.md:2: missing required key 'date'; add `date: YYYY-MM-DD`",
        "m.md:2: missing required key 'kind'; add `kind: referat | dagsorden`",
    ]


def test_nested_errors_point_into_the_list() -> None:
    messages = _messages("body: x\ndate: 2023-10-10\nkind: referat\nabsent:\n  - name: A\n    substitut: B\n")
    assert messages == ["m.md:7: unknown key 'absent[0].substitut'; did you mean 'substitute'? allowed keys here: name, substitute, note"]


def test_site_config_errors_inside_a_mapping_of_ids() -> None:
    from raadsarkiv.config import SiteConfig

    problems = Problems()
    text = "base_url: https://x.dk/\norganisations:\n  a:\n    nam: A\naccessibility:\n  responsible: x\n"
    validate(SiteConfig, parse_yaml(text), "site_config.yaml", problems)
    assert [p.format() for p in problems.all()] == [
        "site_config.yaml:3: missing required key 'organisations.a.name'; add `name: …`",
        "site_config.yaml:4: unknown key 'organisations.a.nam'; did you mean 'name'? allowed keys here: name, url",
        "site_config.yaml:5: missing required key 'accessibility.contact_email'; add `contact_email: …`",
    ]


# --- markdown ---------------------------------------------------------------------------

@pytest.mark.parametrize(
    "text, slug",
    [
        ("Målsætning 1: Flere i job", "maalsaetning-1-flere-i-job"),
        ("Økonomiske konsekvenser", "oekonomiske-konsekvenser"),
        ("Beslutning fra Byrådet", "beslutning-fra-byraadet"),
        ("  Café – 2023/24  ", "cafe-2023-24"),
    ],
)
def test_slugify(text: str, slug: str) -> None:
    assert slugify(text) == slug


def test_table_caption_from_tabel_paragraph() -> None:
    html = to_html("Tabel 1: Beskæftigelse\n\n| A | B |\n|---|---|\n| 1 | 2 |\n").html
    assert "<caption>Tabel 1: Beskæftigelse</caption>" in html
    assert '<th scope="col">A</th>' in html
    assert "<p>Tabel 1" not in html


def test_raw_html_is_sanitized_and_links_collected() -> None:
    rendered = to_html('<script>alert(1)</script><a href="javascript:alert(1)" onclick="x">a</a> [b](../x.md#y) ![](i.png)')
    assert "<script" not in rendered.html and "onclick" not in rendered.html and "javascript:" not in rendered.html
    assert ("../x.md#y", "b", False) in rendered.hrefs
    assert rendered.images_without_alt == ["i.png"]


def test_link_markers_are_stripped_and_reported() -> None:
    text, markers = strip_link_markers("intro\n- [Notat](../../bilag/a.pdf) {lukket}\n")
    assert text == "intro\n- [Notat](../../bilag/a.pdf)\n"
    assert markers == [("../../bilag/a.pdf", ["lukket"], 1)]


# --- refs -------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "href, ref",
    [
        ("https://example.dk/x", Ref(external="https://example.dk/x")),
        ("mailto:a@example.dk", Ref(external="mailto:a@example.dk")),
        ("#punkt-3", Ref(anchor="punkt-3")),
        ("../../bilag/x/2023-10-10/plan%20a.pdf", Ref(path="bilag/x/2023-10-10/plan a.pdf")),
        ("../y/2023-01-01-referat.md#punkt-7", Ref(path="meetings/y/2023-01-01-referat.md", anchor="punkt-7")),
    ],
)
def test_parse_href(href: str, ref: Ref) -> None:
    assert parse_href("content/" + MEETING, href) == ref


@pytest.mark.parametrize(
    "href, message",
    [
        ("javascript:alert(1)", "'javascript:' is not allowed"),
        ("JavaScript:alert(1)", "is not allowed"),
        ("data:text/html,x", "'data:' is not allowed"),
        ("/etc/passwd", "absolute path"),
        ("../../../etc/passwd", "leaves content/"),
        ("../../../content/bilag/x.pdf", "leaves content/"),
        ("//evil.example/x", "has no scheme"),
        ("  ", "empty link target"),
    ],
)
def test_parse_href_refuses(href: str, message: str) -> None:
    with pytest.raises(BadRef, match=message.replace("(", r"\(")):
        parse_href(MEETING, href)


# --- privacy ----------------------------------------------------------------------------

def _cpr(lines: list[str], reviewed: list[str] = [], skip: list[range] = []) -> list[str]:
    problems = Problems()
    scan_cpr("p.md", lines, skip, reviewed, problems)
    return [f"{p.line}:{p.message.split(' looks')[0]}" for p in problems.all()]


def test_scan_cpr_finds_both_forms() -> None:
    assert _cpr(["x 010203-1234 y", "0102031234", "311299-0000."]) == ["1:'010203-1234'", "2:'0102031234'", "3:'311299-0000'"]


def test_scan_cpr_ignores_non_dates_longer_numbers_and_reviewed() -> None:
    assert _cpr(["321299-1234", "011399-1234", "12345678901", "2023-012345", "tlf. 98 76 54 32"]) == []
    assert _cpr(["010203-1234"], reviewed=["010203-1234"]) == []
    assert _cpr(["010203-1234 og 0102031234"], reviewed=["010203-1234"]) == ["1:'0102031234'"]  # exact text only


def test_scan_cpr_skips_closed_spans() -> None:
    assert _cpr(["010203-1234", "020304-1234"], skip=[range(1, 2)]) == ["2:'020304-1234'"]
