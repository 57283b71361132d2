"""Hostile input never crashes the build: deep YAML nesting, control characters, odd URLs."""

from __future__ import annotations

import pytest

from raadsarkiv.errors import Problems
from raadsarkiv.frontmatter import MAX_DEPTH, FrontMatterError, parse_yaml, split
from raadsarkiv.model import MeetingMeta
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
