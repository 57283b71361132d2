"""One parse per Markdown file: structure, markers, links and HTML all come from one token stream.

markdown-it-py (CommonMark) parses a file once. The same tokens decide what is an
agenda item or a section (every heading that renders at item level is one), which
links there are (every CommonMark form: inline, reference, autolink, angle
brackets, titles) and their `{lukket}` markers, and what HTML is rendered. There is
no second pass of regular expressions over the source or over the HTML.

Links are not rendered as `<a>` here: the target is only known once every file is
loaded. Each link is rendered as an unforgeable placeholder (`\\ufdd0a3\\ufdd1` …
`\\ufdd0/a3\\ufdd1`, Unicode noncharacters that content files may not contain), and
`render_links` replaces the placeholders by the link, or by the "closed bilag"
label, once the public site is known.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from markdown_it import MarkdownIt
from markdown_it.token import Token

from .cpr import mask_all
from .i18n import _
from .errors import Problems
from .markdown import sanitize, slugify, wrap_tables
from .model import ITEM_NUMBER, LinkRef

ITEM_MARKERS = ("lukket", "offentlig-beslutning")
LINK_MARKERS = ("lukket",)
OPEN, CLOSE = "\ufdd0", "\ufdd1"
PLACEHOLDER_RE = re.compile(f"{OPEN}(/?)([ai])(\\d+){CLOSE}")
# `{…}` holding a marker word, after normalising (see `plain`): a marker the parse did not take.
STRAY_MARKER_RE = re.compile(r"\{[^{}]*(?:lukket|offentlig)|(?:lukket|offentlig)[^{}]*\}|[(\[<]\s*lukket\s*[)\]>]")
ITEM_HEADING_RE = re.compile(r"^(?P<number>" + ITEM_NUMBER + r")\.?(?:\s+(?P<title>[^{}]*?))?\s*(?:\{(?P<markers>[^{}]*)\})?$")
LINK_MARKER_RE = re.compile(r"^[ \t]*\{(?P<words>[^{}\n]*)\}")
CLOSED_TITLE_RE = re.compile(r"[ \t]+\{lukket\}[ \t]*$")  # `- Notat om enkeltsag {lukket}`: a closed bilag without a file
RAW_TAG_RE = re.compile(r"<\s*(a|img|h[1-6]|base|form)\b", re.I)
HASH_WITHOUT_SPACE_RE = re.compile(r"^\s*#{1,6}[^\s#]")
# Where an HTML comment ends as the sanitizer (an HTML5 parser) reads it: `-->`, also `--!>`, and `<!-->` / `<!--->`
# are empty comments. A wider guess would skip text that is published.
COMMENT_RE = re.compile(r"<!--(?:-?>|.*?(?:--!?>|$))", re.S)
HEADING_ID_RE = re.compile(r"\s*\{#([a-z0-9][a-z0-9_-]*)\}\s*$")
HEADING_IN_CODE_RE = re.compile(r"^\s*#{1,6}\s*\d")

_MD = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
# Every link becomes a token, `javascript:` ones too: refs.parse_href then refuses them with a message,
# where markdown-it would quietly show them as text. Only checked links are ever rendered as <a>.
_MD.validateLink = lambda url: True


def _marking_references(rule: Callable) -> Callable:
    """An inline link/image rule that marks the token it made when it used a reference definition ([text][label])."""

    def marked(state, silent: bool) -> bool:  # type: ignore[no-untyped-def]
        before = len(state.tokens)
        if not rule(state, silent):
            return False
        if not silent and state.src[state.pos - 1] == "]":  # [text](href) ends with ')', every reference form with ']'
            for token in state.tokens[before:]:
                if token.type in ("link_open", "image"):
                    token.meta["reference"] = True
                    break
        return True

    return marked


for _name in ("link", "image"):
    _MD.inline.ruler.at(_name, _marking_references(_MD.inline.ruler.__rules__[_MD.inline.ruler.__find__(_name)].fn))


def shown(text: str) -> str:
    """Source text quoted in a message, with CPR-like numbers masked: messages never repeat a whole CPR number."""
    return mask_all(text)


def plain(text: str) -> str:
    """Text as a reader sees it: no invisible format characters, compatibility forms folded, lower case."""
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    return unicodedata.normalize("NFKC", text).casefold()


@dataclass
class Block:
    """A run of top-level tokens rendered together: a meeting's intro, an item's intro, or a section."""

    kind: str  # intro | item | section
    line: int  # file line of the heading (or of the body's start for the intro)
    heading: str = ""  # the heading's text as written
    end_line: int = 0
    html: str = ""


@dataclass
class Parsed:
    """A file's Markdown, parsed once."""

    html: str  # the whole document (pages, strategies, bodies)
    blocks: list[Block]  # meetings: split at ## and ### headings
    links: list[LinkRef]  # in document order; placeholder number = index
    anchors: set[str] = field(default_factory=set)
    headings: list[tuple[int, str, str]] = field(default_factory=list)  # level, id, text


class _Parse:
    """The parse of one file: tokens, line numbers, and the problems found in them."""

    def __init__(self, rel: str, body: str, first_line: int, problems: Problems, meeting: bool) -> None:
        self.rel, self.first_line, self.problems, self.meeting = rel, first_line, problems, meeting
        self.lines = body.split("\n")
        self.env: dict = {}
        self.tokens = _MD.parse(body, self.env)
        self.links: list[LinkRef] = []

    def line(self, token: Token, offset: int = 0) -> int:
        """The file line of a block token (plus line `offset` inside it)."""
        return self.first_line + (token.map[0] if token.map else 0) + offset

    def error(self, line: int, message: str) -> None:
        self.problems.error(self.rel, line, message)

    # --- checks on every token ---------------------------------------------------------

    def check_blocks(self) -> None:
        """What CommonMark renders differently from what the editor meant is an error, never a guess."""
        headings = {id(self.tokens[i + 1]) for i, t in enumerate(self.tokens) if t.type == "heading_open" and t.tag in ("h2", "h3")}
        for position, token in enumerate(self.tokens):
            if token.type == "inline" and self.meeting and self._in_list_item(position):
                self._take_closed_title(token)
            if token.type in ("fence", "code_block"):
                self._check_code(token)
            elif token.type == "html_block":
                self._check_raw_html(token.content, self.line(token))
                if token.content.lstrip().startswith("<!--") and not re.search(r"--!?>", token.content):
                    self.error(self.line(token), _("HTML comment opened here is never closed with -->; everything after it "
                                                   "would silently disappear from the page"))
                # Comments are never published (the sanitizer removes them): a marker in one is just a note.
                self._check_stray_marker(COMMENT_RE.sub(lambda m: "\n" * m.group(0).count("\n"), token.content), self.line(token))
            elif token.type == "inline":
                self._check_inline(token, in_heading=self.meeting and id(token) in headings)
            elif token.type == "heading_open" and self.meeting and token.tag in ("h1", "h2", "h3") and token.level > 0:
                self.error(self.line(token), _("heading inside a quote or list; in a meeting, {hashes} headings start at the "
                                               "beginning of a line", hashes="#" * int(token.tag[1])))
            elif token.type == "paragraph_open" and token.map:
                for offset, text in enumerate(self.lines[token.map[0]:token.map[1]]):
                    if HASH_WITHOUT_SPACE_RE.match(text):
                        self.error(self.line(token, offset), _("'{text}' looks like a heading but is not one: put a space after "
                                                               "the #, e.g. '## 3. Godkendelse af referat'", text=shown(text.strip()[:80])))

    def _in_list_item(self, position: int) -> bool:
        """Whether the inline token at `position` is the first paragraph of a bullet list item (`- text`)."""
        item = self.tokens[position - 2] if position >= 2 else None
        return item is not None and item.type == "list_item_open" and item.markup in ("-", "*", "+") \
            and self.tokens[position - 1].type == "paragraph_open"  # a bullet list: `3. Titel {lukket}` is no bilag

    def _take_closed_title(self, token: Token) -> None:
        """`- Notat om enkeltsag {lukket}`: a closed bilag listed by its title only (no file, never a link).

        The title is wrapped in a link without a target, marked {lukket}: it is rendered as any closed
        bilag's link (title and label, no href), and the loader checks it stands in a Bilag section.
        """
        children = token.children or []
        if not children or children[-1].type != "text" or any(c.type in ("link_open", "image") for c in children):
            return
        match = CLOSED_TITLE_RE.search(children[-1].content)
        title = "".join(c.content for c in _walk(children) if c.type in ("text", "code_inline"))
        if match is None or not title[: len(title) - len(match.group(0))].strip():
            return
        children[-1].content = children[-1].content[: match.start()]
        opening, closing = Token("link_open", "a", 1), Token("link_close", "a", -1)
        opening.attrs = {"href": ""}
        opening.meta["no_file"] = True
        closing.meta["markers"] = (["lukket"], self.line(token, token.content.count("\n")))
        token.children = [opening, *children, closing]

    def _check_code(self, token: Token) -> None:
        start = self.line(token)
        if token.type == "fence" and token.map:
            last = self.lines[token.map[1] - 1].strip() if token.map[1] - 1 > token.map[0] else ""
            if not last.startswith(token.markup):
                self.error(start, _("code block opened with {fence} is never closed; close it with a {fence} line "
                                    "(everything after it would be shown as code)", fence=token.markup))
        for offset, text in enumerate(token.content.split("\n")):
            if self.meeting and HEADING_IN_CODE_RE.match(text):
                self.error(start + offset + (token.type == "fence"),
                           _("an item heading inside a code block (indented 4 spaces, or after an unclosed ``` line); "
                             "start headings at the beginning of the line"))
        self._check_stray_marker(token.content, start)

    def _check_raw_html(self, html: str, line: int) -> None:
        match = RAW_TAG_RE.search(html)
        if match:
            self.error(line, _("raw HTML <{tag}> is not allowed; write links as [text](file), images as ![alt](file) and "
                               "headings with #, so the build can check them", tag=match.group(1).lower()))

    def _check_stray_marker(self, text: str, line: int) -> None:
        for offset, row in enumerate(text.split("\n")):
            if STRAY_MARKER_RE.search(plain(row)):
                index = line + offset - self.first_line
                quoted = self.lines[index] if 0 <= index < len(self.lines) and "{" in self.lines[index] else row
                self.error(line + offset, _("'{text}' has a marker that is not where a marker works: write {lukket} right after "
                                            "an item title ('## 3. Titel {lukket}') or right after a link ('[Bilag](fil.pdf){lukket}'), "
                                            "with nothing else in the braces", text=shown(quoted.strip()[:80])))

    def _check_inline(self, token: Token, in_heading: bool) -> None:
        """Take `{lukket}` after links; refuse raw links and markers anywhere else."""
        offset = 0
        children = token.children or []
        for index, child in enumerate(children):
            if child.type in ("softbreak", "hardbreak"):
                offset += 1
            elif child.type == "html_inline":
                self._check_raw_html(child.content, self.line(token, offset))
            elif child.type == "link_close" and index + 1 < len(children) and children[index + 1].type == "text":
                following = children[index + 1]
                match = LINK_MARKER_RE.match(following.content)
                if match:
                    following.content = following.content[match.end():]
                    child.meta["markers"] = (match.group("words").replace(",", " ").split(), self.line(token, offset))
            if child.type in ("text", "code_inline") and not in_heading:
                self._check_stray_marker(child.content, self.line(token, offset))

    # --- links -------------------------------------------------------------------------

    def collect_links(self, item_of: Callable[[int], str | None]) -> None:
        """Number every link and image in document order; `item_of(token index)` says which item it is in."""
        for position, token in enumerate(self.tokens):
            if token.type != "inline":
                continue
            offset = 0
            stack: list[tuple[Token, int]] = []
            for child in token.children or []:
                if child.type in ("softbreak", "hardbreak"):
                    offset += 1
                elif child.type == "link_open":
                    child.meta["index"] = len(self.links)
                    stack.append((child, len(self.links)))
                    self.links.append(LinkRef("", 0, "", ""))  # filled in at link_close
                elif child.type == "link_close" and stack:
                    opening, number = stack.pop()
                    child.meta["index"] = number
                    words, line = child.meta.get("markers", ([], self.line(token, offset)))
                    for word in words:
                        if word not in LINK_MARKERS:
                            self.error(line, _("unknown marker '{marker}' after link to {target}; expected {lukket} or no marker",
                                               marker="{" + word + "}", target=shown(str(opening.attrs.get("href", "")))))
                    self.links[number] = LinkRef(
                        self.rel, self.line(token, offset), str(opening.attrs.get("href", "")),
                        _text_between(token.children or [], opening, child), closed=bool(words),
                        item=item_of(position), title=str(opening.attrs.get("title", "")) or None, index=number,
                        no_file=bool(opening.meta.get("no_file")),
                    )
                elif child.type == "image":
                    child.meta["index"] = len(self.links)
                    alt = "".join(c.content for c in _walk(child.children or []) if c.type in ("text", "code_inline"))
                    src = str(child.attrs.get("src", ""))
                    if not alt.strip():
                        self.problems.warning(self.rel, self.line(token, offset),
                                              _("image {file} has no alt text; describe what it shows between the brackets: "
                                                "{example}", file=src, example=f"![Kort over Aalborg]({src})"))
                    self.links.append(LinkRef(self.rel, self.line(token, offset), src, alt, item=item_of(position), image=True,
                                              title=str(child.attrs.get("title", "")) or None, index=len(self.links)))

    # --- rendering ---------------------------------------------------------------------

    def render(self, start: int, end: int) -> str:
        """Sanitized HTML of tokens[start:end], with link placeholders."""
        tokens = _captions(self.tokens[start:end], self.env)
        return wrap_tables(sanitize(_MD.renderer.render(tokens, _MD.options, self.env))).strip()


def _walk(tokens: list[Token]) -> Iterator[Token]:
    for token in tokens:
        yield token
        yield from _walk(token.children or [])


def _text_between(children: list[Token], opening: Token, closing: Token) -> str:
    inside = children[children.index(opening) + 1: children.index(closing)]
    return "".join(c.content for c in _walk(inside) if c.type in ("text", "code_inline")).strip()


def _captions(tokens: list[Token], env: dict) -> list[Token]:
    """A paragraph starting with 'Tabel' right before a table becomes its <caption>; header cells get scope."""
    out: list[Token] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        is_caption = (
            token.type == "paragraph_open" and index + 3 < len(tokens) and tokens[index + 3].type == "table_open"
            and tokens[index + 1].content.strip().startswith("Tabel")
        )
        if is_caption:
            caption = Token("html_block", "", 0)
            inner = _MD.renderer.renderInline(tokens[index + 1].children or [], _MD.options, env)
            caption.content = f"<caption>{inner}</caption>\n"
            out += [tokens[index + 3], caption]
            index += 4
            continue
        if token.type == "th_open":
            token.attrSet("scope", "col")
        out.append(token)
        index += 1
    return out


def _render_link_open(renderer: object, tokens: list[Token], idx: int, options: dict, env: dict) -> str:
    return f"{OPEN}a{tokens[idx].meta['index']}{CLOSE}"


def _render_link_close(renderer: object, tokens: list[Token], idx: int, options: dict, env: dict) -> str:
    return f"{OPEN}/a{tokens[idx].meta['index']}{CLOSE}"


def _render_image(renderer: object, tokens: list[Token], idx: int, options: dict, env: dict) -> str:
    return f"{OPEN}i{tokens[idx].meta['index']}{CLOSE}"


_MD.add_render_rule("link_open", _render_link_open)
_MD.add_render_rule("link_close", _render_link_close)
_MD.add_render_rule("image", _render_image)


def _heading_text(tokens: list[Token], position: int) -> str:
    return "".join(c.content for c in _walk(tokens[position + 1].children or []) if c.type in ("text", "code_inline"))


def parse_document(rel: str, body: str, first_line: int, problems: Problems, heading_ids: bool = True) -> Parsed:
    """A page, strategy or body text: one HTML document; headings get stable, unique ids."""
    parse = _Parse(rel, body, first_line, problems, meeting=False)
    parse.check_blocks()
    anchors: set[str] = set()
    headings: list[tuple[int, str, str]] = []
    level = 1
    for position, token in enumerate(parse.tokens):
        if token.type != "heading_open":
            continue
        new = int(token.tag[1])
        if token.level == 0:
            if new == 1:
                parse.error(parse.line(token), _("level-1 heading (#): the page title comes from `title:`; start sections with ##"))
            elif new > level + 1:
                parse.error(parse.line(token), skipped_level(new, level))
            level = new
        if heading_ids:
            explicit = _explicit_id(parse.tokens[position + 1])
            text = _heading_text(parse.tokens, position).strip()
            anchor = explicit or _unique(slugify(text) or "afsnit", anchors)
            if explicit in anchors:
                parse.error(parse.line(token), _("heading id '{id}' is used twice in this file; make it unique", id=f"#{explicit}"))
            token.attrSet("id", anchor)
            anchors.add(anchor)
            headings.append((new, anchor, text))
    parse.collect_links(lambda position: None)
    return Parsed(parse.render(0, len(parse.tokens)), [], parse.links, anchors, headings)


def skipped_level(new: int, level: int, meeting: bool = False) -> str:
    """The one message for a heading that skips a level (## then ####), in pages, strategies and meetings alike."""
    if meeting and level == 1:
        return _("heading level {new} follows level {level}; do not skip levels: before the first item, write a sub-heading "
                 "as bold text (**…**), since ## starts an item", new=new, level=level)
    if meeting and level == 2:
        return _("heading level {new} follows level {level}; do not skip levels (use {hashes}): in a meeting ### is a section "
                 "(### Sagsfremstilling …), so put the sub-heading inside one", new=new, level=level, hashes="#" * (level + 1))
    return _("heading level {new} follows level {level}; do not skip levels (use {hashes})", new=new, level=level, hashes="#" * (level + 1))


def _check_levels(parse: _Parse) -> None:
    """Top-level headings never skip a level: the page title (h1), items (##), sections (###), then free sub-headings."""
    level = 1
    for token in parse.tokens:
        if token.type == "heading_open" and token.level == 0:
            new = int(token.tag[1])
            if new > level + 1 and not (level == 1 and new == 3):  # a ### before the first item has its own error
                parse.error(parse.line(token), skipped_level(new, level, meeting=True))
            if new > 1:  # an h1 is refused (its own error) and does not reset the levels
                level = new


def _explicit_id(inline: Token) -> str | None:
    """A heading's own id, written last: `## Målsætning 1 {#maalsaetning-1}` (the id is removed from the text)."""
    children = inline.children or []
    match = HEADING_ID_RE.search(children[-1].content) if children and children[-1].type == "text" else None
    if match is None:
        return None
    children[-1].content = children[-1].content[: match.start()]
    return match.group(1)


def _unique(anchor: str, taken: set[str]) -> str:
    """'mål', 'mål_1', 'mål_2' … as Python-Markdown's toc did, so existing links keep working."""
    candidate, number = anchor, 0
    while candidate in taken:
        number += 1
        candidate = f"{anchor}_{number}"
    return candidate


def parse_meeting(rel: str, body: str, first_line: int, problems: Problems) -> tuple[_Parse, list[tuple[Block, int, int]]]:
    """A meeting body: blocks split at every top-level h2 (item) and h3 (section), rendered from the one parse.

    Returns the parse and (block, first token, end token) for each block; the meeting grammar
    (loader.py) gives blocks their meaning.
    """
    parse = _Parse(rel, body, first_line, problems, meeting=True)
    parse.check_blocks()
    starts: list[tuple[Block, int]] = [(Block("intro", first_line), 0)]
    for position, token in enumerate(parse.tokens):
        if token.type == "heading_open" and token.level == 0 and token.tag in ("h1", "h2", "h3"):
            if token.tag == "h1":
                parse.error(parse.line(token), _("level-1 heading (#) in a meeting; items are '## <number>. <title>' and the "
                                                 "page title comes from the front matter"))
                continue
            if any(c.type in ("link_open", "image") for c in parse.tokens[position + 1].children or []):
                parse.error(parse.line(token), _("a link or image in an item or section heading; put it in the text below the heading"))
            kind = "item" if token.tag == "h2" else "section"
            raw = parse.tokens[position + 1].content
            starts.append((Block(kind, parse.line(token), raw), position))
    spans: list[tuple[Block, int, int]] = []
    for (block, start), following in zip(starts, [*starts[1:], None]):
        end = following[1] if following else len(parse.tokens)
        block.end_line = following[0].line if following else first_line + len(parse.lines)
        spans.append((block, start if block.kind == "intro" else start + 3, end))  # skip heading open/inline/close

    item_at: dict[int, str | None] = {}
    current: str | None = None
    for block, start, end in spans:
        if block.kind == "item":
            match = ITEM_HEADING_RE.match(normalise_heading(block.heading))
            current = match.group("number") if match else f"?{block.line}"  # unparsable: never attributed to an open item
        for position in range(start, end):
            item_at[position] = current if block.kind != "intro" else None
    parse.collect_links(lambda position: item_at.get(position))
    _check_references(parse, spans)
    _check_rules(parse, spans)
    _check_levels(parse)
    for block, start, end in spans:
        block.html = parse.render(start, end)
    return parse, spans


def _check_rules(parse: _Parse, spans: list[tuple[Block, int, int]]) -> None:
    """A `---` inside an item renders as a horizontal line, which looks like the line between items: warn."""
    for block, start, end in spans:
        for token in parse.tokens[start:end] if block.kind != "intro" else []:
            if token.type == "hr":
                written = parse.lines[token.map[0]].strip() if token.map else token.markup
                parse.problems.warning(parse.rel, parse.line(token), _("'{text}' inside an item is shown as a horizontal line, like "
                                                                       "the line between items; if the section does not apply, write "
                                                                       "'Ikke relevant' instead (or delete the line)", text=shown(written[:20])))


def _check_references(parse: _Parse, spans: list[tuple[Block, int, int]]) -> None:
    """A link may not take its target from a reference definition inside another block of a closed item.

    The definition's address and title are text of the closed item: used elsewhere, they would be published.
    """
    closed = [block.kind != "intro" and _is_closed_heading(spans, index) for index, (block, _start, _end) in enumerate(spans)]
    item_of = [max((i for i in range(index + 1) if spans[i][0].kind == "item"), default=-1) for index in range(len(spans))]

    def all_closed(where: int, index: int) -> bool:
        """Both in the same item, and nothing of it is published (plain {lukket})."""
        heading = normalise_heading(spans[item_of[where]][0].heading) if item_of[where] >= 0 else ""
        return item_of[where] == item_of[index] and "offentlig" not in heading
    definitions = [(parse.first_line + ref["map"][0], ref) for ref in parse.env.get("references", {}).values() if ref.get("map")]

    def span_of_line(line: int) -> int:
        return max((i for i, (block, _start, _end) in enumerate(spans) if block.line <= line), default=0)

    for index, (_block, start, end) in enumerate(spans):
        for token in parse.tokens[start:end]:
            for child in _walk(token.children or []) if token.type == "inline" else []:
                if child.type not in ("link_open", "image") or not child.meta.get("reference"):
                    continue
                href = str(child.attrs.get("href", child.attrs.get("src", "")))
                title = str(child.attrs.get("title", ""))
                for line, ref in definitions:
                    where = span_of_line(line)
                    if ref["href"] == href and (ref["title"] or "") == title and where != index and closed[where] and not all_closed(where, index):
                        number = parse.links[child.meta["index"]].line if "index" in child.meta else parse.line(token)
                        parse.error(number, _("this link uses the reference definition on line {line}, which is inside a closed "
                                              "item: its address and title would be published here; write the address in the link, "
                                              "or move the definition out of the closed item", line=line))


def _is_closed_heading(spans: list[tuple[Block, int, int]], index: int) -> bool:
    """Whether the block at `index` belongs to an item whose heading carries any marker (the loader's closed rule)."""
    for block, _start, _end in reversed(spans[: index + 1]):
        if block.kind == "item":
            match = ITEM_HEADING_RE.match(normalise_heading(block.heading))
            return match is None or match.group("markers") is not None  # unparsable: treated as closed, like its links
    return False


def normalise_heading(text: str) -> str:
    """An item heading as a reader sees it: invisible characters removed, any kind of space a space."""
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    return " ".join(unicodedata.normalize("NFKC", text).split())


def render_links(html: str, link: Callable[[int, str], tuple[str, str]]) -> str:
    """Replace link placeholders: `link(index, 'a'|'i')` gives the (opening, closing) HTML for a link, or the image."""

    def replace(match: re.Match[str]) -> str:
        closing, kind, index = match.group(1), match.group(2), int(match.group(3))
        opening, end = link(index, kind)
        return end if closing else opening

    return PLACEHOLDER_RE.sub(replace, html)


def text_of(html: str) -> str:
    """The text a reader sees in a rendered fragment: tags and placeholders removed, entities decoded.

    As a reader sees it: a line break inside a paragraph is a space, invisible format characters
    (zero-width space, soft hyphen) are gone and compatibility forms (full-width digits) are folded.
    """
    import html as html_module

    text = PLACEHOLDER_RE.sub("", html).replace("\n", " ")
    text = re.sub(r"</?(?:p|div|li|td|th|tr|h[1-6]|br|caption|table|ul|ol|dl|dt|dd|blockquote|pre|figure)\b[^>]*>", "\n", text)
    text = html_module.unescape(re.sub(r"<[^>]*>", "", text))
    # Ask for the category of each distinct character, not of every character: a page has few distinct ones.
    invisible = {ord(ch): None for ch in set(text) if unicodedata.category(ch) == "Cf"}
    return unicodedata.normalize("NFKC", text.translate(invisible) if invisible else text)
