"""Unit tests of single stages: front matter, validation messages, Markdown, hrefs, CPR guard."""

from __future__ import annotations

import datetime as dt

import pytest

from raadsarkiv.errors import Problems
from raadsarkiv.frontmatter import FrontMatterError, parse_yaml, split
from raadsarkiv.document import parse_document
from raadsarkiv.markdown import slugify
from raadsarkiv.model import MeetingMeta
from raadsarkiv.public import Fragment, scan_cpr
from raadsarkiv.refs import BadRef, Ref, parse_href
from raadsarkiv.validation import validate

MEETING = "meetings/x/2023-10-10-referat.md"


# --- frontmatter ------------------------------------------------------------------------

def test_split_keeps_line_numbers() -> None:
    parsed = split("---\nbody: x\ndate: 2023-10-10\nitems:\n  4:\n    kle: a\n---\n\n## 1. Titel\n")
    assert parsed.front.data["date"] == dt.date(2023, 10, 10)
    assert parsed.front.line_of(("body",)) == 2
    assert parsed.front.data["items"] == {"4": {"kle": "a"}}  # keys are text: item numbers may be 3a or 3.10
    assert parsed.front.line_of(("items", "4", "kle")) == 6
    assert parsed.front.line_of(("items", "4", "missing")) == 5  # nearest parent
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
        "m.md:7: unknown key 'plase'; did you mean 'place'? allowed keys here: body, date, kind, sequence, start, end, place, "
        "present, absent, note, source, items, shared_case_numbers, draft, publish_after, rettelser, reviewed_cpr",
    ]


def test_missing_keys_say_what_to_add() -> None:
    assert _messages("body: x\n") == [
        "m.md:2: missing required key 'date'; add `date: YYYY-MM-DD`",
        "m.md:2: missing required key 'kind'; add `kind: referat | dagsorden`",
    ]


def test_nested_errors_point_into_the_list() -> None:
    messages = _messages("body: x\ndate: 2023-10-10\nkind: referat\nabsent:\n  - name: A\n    substitut: B\n")
    assert messages == ["m.md:7: unknown key 'absent[0].substitut'; did you mean 'substitute'? allowed keys here: name, id, role, party, absence, substitute, note"]


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


def _parse(text: str) -> tuple:
    problems = Problems()
    parsed = parse_document("content/pages/x.md", text, 5, problems)
    return parsed, [p.format() for p in problems.all()]


def test_table_caption_from_tabel_paragraph() -> None:
    html = _parse("Tabel 1: Beskæftigelse\n\n| A | B |\n|---|---|\n| 1 | 2 |\n")[0].html
    assert "<caption>Tabel 1: Beskæftigelse</caption>" in html
    assert '<th scope="col">A</th>' in html
    assert "<p>Tabel 1" not in html


def test_raw_html_is_sanitized_and_raw_links_refused() -> None:
    parsed, problems = _parse('<script>alert(1)</script><a href="javascript:alert(1)" onclick="x">a</a>\n\n[b](../x.md#y) ![](i.png)')
    assert "<script" not in parsed.html and "onclick" not in parsed.html and "javascript:" not in parsed.html
    assert [(link.href, link.text, link.image, link.line) for link in parsed.links] == [("../x.md#y", "b", False, 7), ("i.png", "", True, 7)]
    assert problems == [
        "content/pages/x.md:5: raw HTML <a> is not allowed; write links as [text](file), images as ![alt](file) and headings with #, so the build can check them",
        "content/pages/x.md:7: warning: image i.png has no alt text; describe what it shows between the brackets: ![Kort over Aalborg](i.png)",
    ]


def test_link_markers_every_link_form() -> None:
    text = (
        "- [Notat](../../bilag/a.pdf){lukket}\n- [Titel](<../../bilag/b c.pdf> 'x'){lukket}\n"
        "- [Ref][r]{lukket} and [(p)](../../bilag/(p).pdf)\n\n[r]: ../../bilag/r.pdf \"t\"\n"
    )
    parsed, problems = _parse(text)
    assert problems == []
    assert [(link.href, link.closed, link.line, link.title) for link in parsed.links] == [
        ("../../bilag/a.pdf", True, 5, None), ("../../bilag/b%20c.pdf", True, 6, "x"),
        ("../../bilag/r.pdf", True, 7, "t"), ("../../bilag/(p).pdf", False, 7, None),
    ]
    assert "{" not in parsed.html


@pytest.mark.parametrize("text", [
    "[a](b.pdf)\u00a0{lukket}", "[a](b.pdf) x {lukket}", "[a](b.pdf)\n{lukket}", "## Overskrift {lukket}",
    "tekst {LUKKET} tekst", "[a](b.pdf) <!-- x --> {lukket}", "`{lukket}`", "```\n[a](b.pdf){lukket}\n```",
])
def test_markers_where_they_do_not_work_are_errors(text: str) -> None:
    assert any("has a marker that is not where a marker works" in p for p in _parse(text)[1])


@pytest.mark.parametrize("text, word", [("[a](b.pdf){\u200blukket}", "\u200blukket"), ("[a](b.pdf){lukket.}", "lukket.")])
def test_odd_words_in_link_markers_are_unknown_markers(text: str, word: str) -> None:
    parsed, problems = _parse(text)
    assert problems == [f"content/pages/x.md:5: unknown marker '{{{word}}}' after link to b.pdf; expected {{lukket}} or no marker"]
    assert parsed.links[0].closed  # until fixed, never treated as open


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


# --- CPR ----------------------------------------------------------------------------------

def _cpr(lines: list[str], reviewed: list[str] = []) -> list[str]:
    problems = Problems()
    html = "".join(f"<p>{line}</p>" for line in lines)
    scan_cpr("p.md", [Fragment(html, 1, len(lines) + 1)], lines, reviewed, problems)
    return [f"{p.line}:{p.message.split(' looks')[0]}" for p in problems.all()]


def test_scan_cpr_finds_both_forms_masked() -> None:
    assert _cpr(["x 010203-1234 y", "0102031234", "311299-0000."]) == ["1:'010203-XXXX'", "2:'010203-XXXX'", "3:'311299-XXXX'"]


def test_scan_cpr_reads_the_rendered_text() -> None:
    assert _cpr(["010203&#45;1234", "0102<strong>03</strong>-1234", "CPR-010203-1234", "010203 1234"]) == [
        "1:'010203-XXXX'", "2:'010203-XXXX'", "3:'010203-XXXX'", "4:'010203-XXXX'"]


def test_scan_cpr_ignores_non_dates_longer_numbers_and_reviewed() -> None:
    assert _cpr(["321299-1234", "011399-1234", "12345678901", "2023-012345", "tlf. 98 76 54 32"]) == []
    assert _cpr(["010203-1234"], reviewed=["010203-1234"]) == []
    assert _cpr(["010203-1234 og 0102031234 og 020304-1234"], reviewed=["010203-1234"]) == ["1:'020304-XXXX'"]


def test_no_message_repeats_a_whole_cpr_number() -> None:
    """Problems mask CPR-like numbers in every message, whichever stage wrote it (here: a link error)."""
    problems = Problems()
    problems.error("content/x.md", 3, "bilag file content/bilag/x/010170-1234.pdf does not exist")
    problems.warning("content/x.md", 4, "see 010170 1234")
    assert [p.format() for p in problems.all()] == [
        "content/x.md:3: bilag file content/bilag/x/010170-XXXX.pdf does not exist",
        "content/x.md:4: warning: see 010170-XXXX",
    ]
