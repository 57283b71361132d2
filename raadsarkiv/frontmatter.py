"""Split a content file into YAML front matter and Markdown, keeping line numbers.

YAML is loaded with PyYAML's safe loader, but anchors and aliases are refused
(alias expansion is a memory bomb), lists and mappings may be nested at most
MAX_DEPTH levels deep (PyYAML composes recursively: `x: [[[[…` would otherwise
exhaust the stack), and every key's line is remembered so that validation errors
can point at the right line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.events import AliasEvent, CollectionStartEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .i18n import N_, _

Path = tuple[str | int, ...]


@dataclass
class FrontMatter:
    """Parsed front matter with the source line of every key and item."""

    data: dict[str, Any]
    lines: dict[Path, int] = field(default_factory=dict)
    raw: dict[Path, str] = field(default_factory=dict)  # text of plain (unquoted) scalars
    start_line: int = 1

    def line_of(self, path: Path) -> int:
        """The line of a key path, or of its nearest parent that has one."""
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.start_line


@dataclass
class SplitFile:
    """A content file split in two: front matter and Markdown body."""

    front: FrontMatter
    body: str
    body_line: int  # the 1-based line in the file where `body` starts
    lines: list[str] = field(default_factory=list)  # the whole file, for line-based checks
    front_failed: bool = False  # the front matter could not be read (reported): only the body can be checked


class FrontMatterError(Exception):
    """A content file whose front matter cannot be read; carries the line, and the rest of the file
    (`split_file`, with empty front matter) when the body could still be found after the closing `---`."""

    def __init__(self, line: int, message: str, split_file: SplitFile | None = None) -> None:
        super().__init__(message)
        self.line = line
        self.message = message
        self.split_file = split_file


# Lists and mappings inside each other, counting the top-level mapping as 1. Real front
# matter needs 4 at most; the limit keeps PyYAML's recursive composer (and everything
# that walks the data afterwards) far from Python's recursion limit.
MAX_DEPTH = 20


def too_deep(what: str, over_limit: bool = True) -> str:
    """The message for YAML nested deeper than MAX_DEPTH (or too deep for Python's stack)."""
    if over_limit:
        return _("{what} is nested more than {limit} levels deep; no key needs that many levels: look for stray [ or { "
                 "(put text that starts with [ or { in quotes) or a list indented too far", what=_(what), limit=MAX_DEPTH)
    return _("{what} is nested too deeply to be read; no key needs that many levels: look for stray [ or { "
             "(put text that starts with [ or { in quotes) or a list indented too far", what=_(what))


class _NoAliasLoader(yaml.SafeLoader):
    """Safe loader that refuses anchors and aliases, and nesting deeper than MAX_DEPTH."""

    what = N_("front matter")  # how messages name the YAML being read

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: Node | None, index: Any) -> Node:  # type: ignore[override]
        event = self.peek_event()
        if isinstance(event, AliasEvent) or getattr(event, "anchor", None):
            raise FrontMatterError(
                event.start_mark.line + 1,
                _("YAML anchors and aliases (&name, *name) are not allowed; write the value out"),
            )
        if not isinstance(event, CollectionStartEvent):
            return super().compose_node(parent, index)
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise FrontMatterError(event.start_mark.line + 1, too_deep(self.what))
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_yaml_timestamp(self, node: ScalarNode) -> Any:  # type: ignore[override]
        """A date-like value that is not a real date (2023-02-30) is an error with a line, not a crash."""
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError as exc:
            raise FrontMatterError(
                node.start_mark.line + 1,
                _("'{value}' is not a real date ({reason}); expected YYYY-MM-DD, e.g. 2023-10-10", value=node.value, reason=_(str(exc))),
            ) from None


_NoAliasLoader.add_constructor("tag:yaml.org,2002:timestamp", _NoAliasLoader.construct_yaml_timestamp)

YAML_HINT = N_("check the indentation, and put text that contains ': ' or ' #' or starts with [ { ' \" & * in quotes")
# What PyYAML says (in English) about the mistakes editors make most, and Python's words for an impossible date:
# marked here so that the catalogue translates them; anything else PyYAML says is shown as it is.
YAML_PROBLEMS = (
    N_("mapping values are not allowed here"), N_("could not find expected ':'"), N_("did not find expected key"),
    N_("did not find expected '-' indicator"), N_("found character '\\t' that cannot start any token"),
    N_("found undefined alias"), N_("while scanning a simple key"), N_("while parsing a block mapping"),
    N_("while parsing a block collection"), N_("while scanning a quoted scalar"), N_("found unexpected end of stream"),
    N_("while parsing a flow sequence"), N_("while parsing a flow mapping"), N_("expected ',' or ']', but got '<stream end>'"),
    N_("day is out of range for month"), N_("month must be in 1..12"),
)


def _walk(node: Node, path: Path, lines: dict[Path, int], raw: dict[Path, str]) -> None:
    """Record the line (and raw scalar text) of every key and list item."""
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, ScalarNode):
        if node.style is None:  # plain (unquoted) scalars only: those are the YAML 1.1 type traps
            raw[path] = node.value
    elif isinstance(node, MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, ScalarNode) else str(key_node)
            if isinstance(key_node, ScalarNode):
                key_node.tag = "tag:yaml.org,2002:str"  # a key is its text: `3.10:` is item 3.10, not the number 3.1
            key_path: Path = path + (key,)
            lines[key_path] = key_node.start_mark.line + 1
            _walk(value_node, key_path, lines, raw)
    elif isinstance(node, SequenceNode):
        for index, item in enumerate(node.value):
            _walk(item, path + (index,), lines, raw)


def parse_yaml(text: str, first_line: int = 1, what: str = _NoAliasLoader.what) -> FrontMatter:
    """Parse a YAML mapping; line numbers are shifted so they refer to the file.

    `what` names the YAML in messages ("front matter", "site_config.yaml").
    """
    loader = _NoAliasLoader(text)
    loader.what = what
    try:
        node = loader.get_single_node()
        if node is None:
            return FrontMatter({}, {}, {}, first_line)
        if not isinstance(node, MappingNode):
            raise FrontMatterError(node.start_mark.line + 1, _("front matter must be a mapping of `key: value` lines"))
        lines: dict[Path, int] = {}
        raw: dict[Path, str] = {}
        _walk(node, (), lines, raw)
        data = loader.construct_document(node)
    except FrontMatterError as exc:
        raise FrontMatterError(exc.line + first_line - 1, exc.message) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line + 1 if mark else 1) + first_line - 1
        detail = _(exc.problem or exc.context or "invalid YAML")
        if exc.context and exc.context_mark and exc.problem_mark and exc.context_mark.line != exc.problem_mark.line:
            detail += " " + _("({context} that starts on line {line})", context=_(exc.context), line=exc.context_mark.line + first_line)
        raise FrontMatterError(line, _("invalid YAML: {problem}; {hint}", problem=detail, hint=_(YAML_HINT))) from None
    except yaml.YAMLError as exc:
        raise FrontMatterError(first_line, _("invalid YAML: {problem}", problem=exc)) from None
    except RecursionError:  # a safety net only: MAX_DEPTH stops nesting long before this
        raise FrontMatterError(loader.line + first_line, too_deep(what, over_limit=False)) from None
    finally:
        loader.dispose()
    shift = first_line - 1
    return FrontMatter(
        data,
        {path: line + shift for path, line in lines.items()},
        raw,
        first_line,
    )


def split(text: str) -> SplitFile:
    """Split `---` front matter from the Markdown body of a content file."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        raise FrontMatterError(1, _("file must start with a `---` line that opens the front matter"))
    for index in range(1, len(lines)):
        if lines[index].strip() in ("---", "..."):
            body = "\n".join(lines[index + 1 :])
            try:
                front = parse_yaml("\n".join(lines[1:index]), first_line=2)
            except FrontMatterError as exc:  # the body can still be checked
                raise FrontMatterError(exc.line, exc.message, SplitFile(FrontMatter({}, start_line=2), body, index + 2, lines, True)) from None
            return SplitFile(front, body, index + 2, lines)
    raise FrontMatterError(1, _("front matter is not closed: add a `---` line after the last key"))
