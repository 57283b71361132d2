"""The leak gate: the last check before the staging folder replaces output/.

Everything that could leak closed content is removed early (privacy.redact), and
no stage after it ever sees a closed item or bilag. The gate does not trust that:
it scans every file of the finished site for fingerprints of closed content, and
any hit stops the build, naming the output file and the closed item.

Fingerprints
    Texts are normalised alike on both sides: HTML comments dropped, tags stripped
    (inline tags such as <em> join, block tags separate), JSON escapes and HTML
    entities decoded, soft hyphens and zero-width characters dropped, NFKC,
    casefold; a word is a run of letters/digits (so whitespace, NBSP and
    punctuation only separate words). Closed Markdown loses its link targets,
    `{…}` markers and emphasis marks first, as rendering would.

    A closed text of at least K = 7 words is fingerprinted by its 7-word shingles
    that occur in no public text (open items, titles, page text, boilerplate), so
    a closed item that shares a formula with open items does not trip on the
    formula. Why 7: Danish case-work formulas ("Direktionen indstiller, at
    udvalget godkender …") run to 5–6 words and are mostly in public texts anyway;
    7 words by chance in both a closed text and an unrelated page is practically
    impossible (plagiarism detection uses 5–8 word n-grams for that reason), while
    a typical Danish administrative sentence (15–20 words), a meta description or a
    search excerpt still holds one or more complete shingles, so any leaked
    sentence is found.

    Shorter closed texts are matched whole (as an exact word sequence) when
    distinctive: >= 3 words and >= 20 characters. Front-matter values
    (kind="value": case numbers, guest names) are matched whole at >= 2 words or
    >= 6 characters. Either only if absent from every public text.

    A closed bilag is found by its SHA-256 wherever it is in the output, under any
    name; its extracted text is fingerprinted like a closed text.

Scan
    Every regular file under the folder (symlinks are not followed). gzip/zlib
    data (Pagefind's pf_fragment, pf_index, pf_meta, pf_filter, …) is decompressed
    first; ZIP containers (docx, xlsx, odt) are opened member by member. Text
    files are read as UTF-8 (errors replaced), iCalendar files unfolded and unescaped; markup (HTML, XML, SVG, feeds) is
    read twice: as text with tags stripped, and as its attribute values and
    comments (meta descriptions, alt, title, data-pagefind-meta). PDFs: their text
    layer (pypdf, or the bilag text cache by hash) plus their raw printable
    strings; other binary files: their printable strings.

    Matching is C-speed: 7-word shingles are looked up in a set, and the short
    phrases with Aho-Corasick (pyahocorasick) over the normalised word stream, run
    only on texts that hold a phrase's longest word.

    Every shingle of a closed text is fingerprinted, but the scan looks up only every
    2nd shingle of the output (STRIDE): any 8 closed words in a row are still found,
    at half the cost. Closed texts under 8 words are matched whole, at every word.

Cost: `python scripts/bench_leakgate.py --dir /dev/shm` (1,000 meeting pages of ~35 KB,
    9,000 bilag pages, 1,000 gzip'd Pagefind fragments: 58 MB on disk, 64 M characters
    of text to scan; 3,000 closed items of 150 words + 500 front-matter values;
    6,000 public texts). On the shared 2-core development machine, Python 3.11, while
    other builds ran (load 4-6): Gate.build 2.5-3.0 s, +160 MB peak memory (432,000
    shingles); Gate.scan 4.4-6.1 s CPU (0.3-0.5 s of it reading the files). Where the
    scan's time goes: tokenising (the word regex, ~40 %), the set probes (~35 %),
    casefold/decode/tag stripping (~15 %). That is above the 2 s aimed at; see
    the notes in the branch's report for what would bring it under.
"""

from __future__ import annotations

import gzip
import hashlib
import html
import io
import logging
import multiprocessing
import os
import re
import sys
import unicodedata
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import ahocorasick

from . import bilagtext
from .errors import Problem
from .i18n import _

K = 7  # words per shingle
STRIDE = 2  # the scan looks up every 2nd shingle of the output: any K + STRIDE - 1 = 8 closed words in a row are found
WHOLE = K + STRIDE - 1  # closed texts shorter than this are matched whole, at every word
MIN_TEXT_WORDS, MIN_TEXT_CHARS = 3, 20  # a closed text shorter than K words is used whole from here
MIN_VALUE_WORDS, MIN_VALUE_CHARS = 2, 6  # a front-matter value is used whole from here (either)
MIN_STRING = 6  # printable runs shorter than this in binary files are noise
MAX_DEPTH = 3  # nesting of compressed/zipped data that is opened

MARKUP_EXTS = {".html", ".htm", ".xhtml", ".xml", ".svg", ".atom", ".rss"}
TEXT_EXTS = MARKUP_EXTS | {".txt", ".json", ".ics", ".css", ".js", ".mjs", ".csv", ".md", ".webmanifest", ".map", ".vtt", ".srt"}

COMMENT_RE = re.compile(r"<!--.*?(?:-->|$)", re.S)
INLINE_TAGS = "a|abbr|b|bdi|bdo|cite|code|data|del|dfn|em|i|ins|kbd|mark|q|s|samp|small|span|strong|sub|sup|time|u|var|wbr"
INLINE_TAG_RE = re.compile(rf"</?(?:{INLINE_TAGS})\b[^>]*>", re.I)
TAG_RE = re.compile(r"<[A-Za-z/!?][^>]*>")
ATTRIBUTE_RE = re.compile(r"""=\s*(?:"([^"]*)"|'([^']*)')""")
JSON_ESCAPE_RE = re.compile(r"\\(?:u([0-9a-fA-F]{4})|([nrtbf\"\\/]))")
JSON_SIMPLE = {"n": " ", "r": " ", "t": " ", "b": " ", "f": " ", '"': '"', "\\": "\\", "/": "/"}
INVISIBLE = ("\u00ad", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u034f")  # soft hyphen, zero-width …
WORD_RE = re.compile(r"[^\W_]+")
MD_LINK_TARGET_RE = re.compile(r"\]\([^)\n]*\)")
MD_REFERENCE_RE = re.compile(r"(?m)^ {0,3}\[[^\]\n]+\]:[ \t]*\S+.*$")
MD_MARKER_RE = re.compile(r"\{[^{}\n]*\}")
MD_EMPHASIS_RE = re.compile(r"[*`]+|~~")
PRINTABLE_RE = re.compile(rb"[\t\n\r\x20-\x7e\x80-\xff]{%d,}" % MIN_STRING)


@dataclass(frozen=True)
class Secret:
    """Closed text that must never reach the output."""

    label: str  # who it belongs to, for messages: "content/meetings/x/2024-01-22-referat.md, item 3 (closed)"
    path: str  # content file, for the Problem path
    line: int  # line of the closed item / front-matter key
    text: str  # the closed text (Markdown source or plain text) or a front-matter value
    kind: Literal["text", "value"] = "text"  # "value": a front-matter value, matched whole from 2 words / 6 characters


@dataclass(frozen=True)
class ClosedFile:
    """A closed bilag file."""

    label: str
    path: str  # content/bilag/… path
    sha256: str  # hash of the file's bytes
    text: str | None  # its extracted text, if any
    size: int | None = None  # its size in bytes: when every closed file has one, only output files of those sizes are hashed


@dataclass(frozen=True, order=True)
class Leak:
    """Closed content found in an output file."""

    output: str  # output-relative path of the file it was found in
    secret: str  # the Secret's or ClosedFile's label
    path: str
    line: int

    def message(self) -> str:
        return _("closed content leaked into {file}: {source}; the build was stopped and output/ left as it was",
                 file=f"output/{self.output}", source=self.secret)

    def problem(self) -> Problem:
        """As a build error at the closed item."""
        return Problem(self.path, max(self.line, 1), self.message())


def _json_unescape(match: re.Match[str]) -> str:
    if match.group(1):
        return chr(int(match.group(1), 16))
    return JSON_SIMPLE[match.group(2)]


def words(text: str) -> list[str]:
    """The normalised words of a text, HTML or plain: what fingerprints are made of."""
    if "\\" in text:
        text = JSON_ESCAPE_RE.sub(_json_unescape, text)
    if "<" in text:
        text = COMMENT_RE.sub(" ", text)
        text = INLINE_TAG_RE.sub("", text)
        text = TAG_RE.sub(" ", text)
    if "&" in text:
        text = html.unescape(text)
    for char in INVISIBLE:
        if char in text:
            text = text.replace(char, "")
    return WORD_RE.findall(unicodedata.normalize("NFKC", text).casefold())


def source_words(text: str) -> list[str]:
    """`words` of Markdown source (or plain text): link targets, `{…}` markers and emphasis marks dropped first."""
    text = MD_REFERENCE_RE.sub(" ", text)
    text = MD_LINK_TARGET_RE.sub("] ", text)
    text = MD_MARKER_RE.sub(" ", text)
    text = MD_EMPHASIS_RE.sub("", text)
    return words(text)


def _shingles(ws: list[str], stride: int = 1) -> Iterator[tuple[str, ...]]:
    """The K-word shingles of a word list, starting at every `stride`-th word."""
    return zip(*(ws[i::stride] for i in range(K)))


def _attributes(text: str) -> str:
    """Attribute values and comments of markup, one per line: text that tag stripping removes."""
    parts = [a or b for a, b in ATTRIBUTE_RE.findall(text)]
    parts += [c[4:] for c in COMMENT_RE.findall(text)]
    return "\n".join(parts)


def _strings(data: bytes) -> list[str]:
    """The printable runs of binary data, as Latin-1 (PDF strings) and, if not ASCII, as UTF-8 too."""
    raw = b"\n".join(PRINTABLE_RE.findall(data))
    if raw.isascii():
        return [raw.decode("ascii")]
    return [raw.decode("latin-1"), raw.decode("utf-8", errors="replace")]


def _walk(folder: Path) -> Iterator[Path]:
    """Every regular file under folder, in sorted order, without following symlinks."""
    with os.scandir(folder) as entries:
        for entry in sorted(entries, key=lambda e: e.name):
            if entry.is_dir(follow_symlinks=False):
                yield from _walk(Path(entry.path))
            elif entry.is_file(follow_symlinks=False):
                yield Path(entry.path)


def pdf_text(data: bytes, text_cache: Path | None = None) -> str:
    """The text layer of a PDF: from the bilag text cache (by hash) if there, else extracted with pypdf."""
    if text_cache is not None:
        cached = bilagtext._read_cache(text_cache, hashlib.sha256(data).hexdigest())
        if cached is not None:
            return cached
    logger = logging.getLogger("pypdf")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        import pypdf

        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            reader.decrypt("")
        parts = [page.extract_text() or "" for page in reader.pages]
        parts += [str(value) for value in (reader.metadata or {}).values()]
        return "\n\n".join(parts)
    except Exception:  # a broken PDF: its raw strings are still scanned
        return ""
    finally:
        logger.setLevel(level)


def _decompress(data: bytes) -> bytes | None:
    """gzip or zlib data, decompressed; None if it is neither."""
    if data[:2] == b"\x1f\x8b":
        try:
            return gzip.decompress(data)
        except (OSError, EOFError, zlib.error):
            return None
    if len(data) > 2 and data[0] == 0x78 and int.from_bytes(data[:2], "big") % 31 == 0:
        try:
            return zlib.decompress(data)
        except zlib.error:
            return None
    return None


def texts_of(name: str, data: bytes, text_cache: Path | None = None, depth: int = 0) -> Iterator[str]:
    """Every text in a file that closed content could hide in (see the module docstring)."""
    inner = _decompress(data) if depth < MAX_DEPTH else None
    if inner is not None:
        yield from texts_of(name.removesuffix(".gz"), inner, text_cache, depth + 1)
        return
    suffix = os.path.splitext(name)[1].lower()
    if data[:5] == b"%PDF-" or suffix == ".pdf":
        yield pdf_text(data, text_cache)
        yield from _strings(data)
        return
    if data[:4] == b"PK\x03\x04" and depth < MAX_DEPTH:
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                for info in archive.infolist():
                    if not info.is_dir():
                        yield from texts_of(info.filename, archive.read(info), text_cache, depth + 1)
            return
        except (zipfile.BadZipFile, OSError, NotImplementedError, RuntimeError, zlib.error):
            pass  # not a readable ZIP after all: scanned as binary below
    if suffix in TEXT_EXTS or b"\x00" not in data[:8192]:
        text = data.decode("utf-8", errors="replace")
        yield _unfold_ical(text) if suffix == ".ics" else text
        if suffix in MARKUP_EXTS or (suffix not in TEXT_EXTS and "<" in text):
            yield _attributes(text)
        return
    yield from _strings(data)


ICAL_FOLD_RE = re.compile(r"\r?\n[ \t]")
ICAL_ESCAPE_RE = re.compile(r"\\([nN,;\\])")


def _unfold_ical(text: str) -> str:
    """iCalendar text as it reads (RFC 5545 3.1, 3.3.11): long lines are folded anywhere, even inside a
    word, and `\\n` stands for a line break, which would otherwise join two words into one."""
    text = ICAL_FOLD_RE.sub("", text)
    return ICAL_ESCAPE_RE.sub(lambda m: " " if m.group(1) in "nN" else m.group(1), text)


class Gate:
    """Fingerprints of closed content, and a scan of an output folder for them."""

    def __init__(
        self,
        owners: list[tuple[str, str, int]],
        shingles: dict[tuple[str, ...], tuple[int, ...]],
        phrases: dict[str, tuple[int, ...]],
        hashes: dict[str, tuple[int, ...]],
        sizes: set[int] | None,
    ) -> None:
        self.owners = owners  # (label, path, line) by index
        self.shingles = shingles  # K-word shingle -> owners
        self.phrases = phrases  # " w1 w2 … " (shorter than K words) -> owners
        self.hashes = hashes  # sha256 -> owners
        self.sizes = sizes  # sizes of closed files, or None: hash every output file
        self._keys = set(shingles)
        self._digest: bytes | None = None
        self._automaton: ahocorasick.Automaton | None = None
        self._compile()

    def _compile(self) -> None:
        """The Aho-Corasick automaton of the short phrases."""
        self._automaton = None
        # A word of each phrase (its longest: the likeliest to be rare): a text without any of them
        # holds no phrase, and one set probe per word is much cheaper than the automaton.
        self._anchors = {max(phrase.split(), key=len) for phrase in self.phrases}
        if self.phrases:
            automaton = ahocorasick.Automaton()
            for phrase, who in self.phrases.items():
                automaton.add_word(phrase, (phrase, who))
            automaton.make_automaton()
            self._automaton = automaton

    @classmethod
    def build(cls, secrets: list[Secret], files: list[ClosedFile], public_texts: Iterable[str]) -> Gate:
        """Fingerprint closed texts and files, leaving out whatever also occurs in a public text."""
        owners: list[tuple[str, str, int]] = []
        shingles: dict[tuple[str, ...], list[int]] = {}
        phrases: dict[str, list[int]] = {}
        hashes: dict[str, list[int]] = {}
        texts: list[tuple[int, str, str]] = []
        for secret in secrets:
            owners.append((secret.label, secret.path, secret.line))
            texts.append((len(owners) - 1, secret.text, secret.kind))
        sizes: set[int] | None = set()
        for closed in files:
            owners.append((closed.label, closed.path, 1))
            hashes.setdefault(closed.sha256.lower(), []).append(len(owners) - 1)
            if closed.size is None:
                sizes = None
            elif sizes is not None:
                sizes.add(closed.size)
            if closed.text:
                texts.append((len(owners) - 1, closed.text, "text"))
        for owner, text, kind in texts:
            ws = [sys.intern(w) for w in source_words(text)]  # shingles share their words
            if len(ws) >= WHOLE:
                for shingle in _shingles(ws):
                    shingles.setdefault(shingle, []).append(owner)
                continue
            phrase = " ".join(ws)
            if kind == "value":
                distinctive = len(ws) >= MIN_VALUE_WORDS or len(phrase) >= MIN_VALUE_CHARS
            else:
                distinctive = len(ws) >= MIN_TEXT_WORDS and len(phrase) >= MIN_TEXT_CHARS
            if ws and distinctive:
                phrases.setdefault(f" {phrase} ", []).append(owner)
        gate = cls(owners, {s: tuple(o) for s, o in shingles.items()}, {p: tuple(o) for p, o in phrases.items()},
                   {h: tuple(o) for h, o in hashes.items()}, sizes)
        gate.forget(*gate.found(public_texts))
        return gate

    def found(self, texts: Iterable[str]) -> tuple[set[tuple[str, ...]], set[str]]:
        """The shingles and short phrases of this gate that occur in `texts` (the gate is not changed)."""
        shingles: set[tuple[str, ...]] = set()
        phrases: set[str] = set()
        for text in texts:
            ws = source_words(text)
            if len(ws) >= K and self._keys:
                shingles |= self._keys.intersection(_shingles(ws))
            phrases |= {phrase for phrase, _ in self._phrase_hits(ws)}
        return shingles, phrases

    def forget(self, shingles: Iterable[tuple[str, ...]], phrases: Iterable[str]) -> None:
        """Stop looking for these shingles and phrases (they also occur in public text)."""
        before = self.digest()
        forgotten = sorted("\0".join(shingle) for shingle in shingles if self.shingles.pop(shingle, None) is not None)
        self._keys.difference_update(tuple(shingle.split("\0")) for shingle in forgotten)
        dropped = sorted(phrase for phrase in phrases if self.phrases.pop(phrase, None) is not None)
        if dropped:
            self._compile()
        if forgotten or dropped:
            self._digest = hashlib.blake2b(before + "\n".join(forgotten).encode() + b"\1" + "\n".join(dropped).encode(),
                                           digest_size=16).digest()

    def digest(self) -> bytes:
        """A digest of what the gate looks for (not of whom it names): two gates with the same digest find
        leaks in exactly the same files, so a file one of them passed needs no scan by the other.

        Computed once per gate; `forget` derives the digest of the smaller gate from it and from what
        was forgotten (equal digests still mean equal tables; equal tables reached by forgetting
        different things may get different digests, which only costs a full scan)."""
        if self._digest is None:
            digest = hashlib.blake2b(digest_size=16)
            digest.update(repr(sorted(self.sizes) if self.sizes is not None else None).encode())
            for part in (sorted(map("\0".join, self._keys)), sorted(self.phrases), sorted(self.hashes)):
                digest.update("\n".join(part).encode() + b"\1")
            self._digest = digest.digest()
        return self._digest

    def _phrase_hits(self, ws: list[str]) -> Iterator[tuple[str, tuple[int, ...]]]:
        """The short phrases in a word stream, with their owners."""
        if self._automaton is None or not ws or self._anchors.isdisjoint(ws):
            return
        for _end, found in self._automaton.iter(f" {' '.join(ws)} "):
            yield found

    def _owners_in(self, text: str) -> set[int]:
        """The owners of every fingerprint in a text."""
        ws = words(text)
        hits: set[int] = set()
        if len(ws) >= K and self._keys:
            # Every shingle of the closed texts is known, so looking up every STRIDE-th shingle of
            # the output still finds any run of WHOLE closed words, at half the cost.
            for shingle in self._keys.intersection(_shingles(ws, STRIDE)):
                hits.update(self.shingles[shingle])
        for _phrase, who in self._phrase_hits(ws):
            hits.update(who)
        return hits

    def scan_file(self, rel: str, data: bytes, text_cache: Path | None = None) -> list[Leak]:
        """The leaks in one output file (`rel`: its output-relative path, `data`: its bytes)."""
        hits: set[int] = set()
        if self.hashes and (self.sizes is None or len(data) in self.sizes):
            hits.update(self.hashes.get(hashlib.sha256(data).hexdigest(), ()))
        if self._keys or self._automaton is not None:
            for text in texts_of(rel, data, text_cache):
                hits |= self._owners_in(text)
        return sorted({Leak(rel, *self.owners[owner]) for owner in hits})

    def scan(self, folder: Path, text_cache: Path | None = None, only: set[str] | None = None) -> list[Leak]:
        """Every leak in every file under `folder` (or in those of its files named in `only`), sorted by output file.

        `text_cache`: the bilag text cache (root / bilagtext.CACHE_DIR), so that the
        text of published PDF bilag is not extracted again; without it, pypdf reads every PDF.
        """
        paths = [path.relative_to(folder).as_posix() for path in _walk(folder)]
        if only is not None:
            paths = [rel for rel in paths if rel in only]
        workers = min(os.cpu_count() or 1, 8)
        if len(paths) < PARALLEL_MIN_FILES or workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
            return sorted(_scan_files(self, folder, paths, text_cache))
        # Forked workers share the built gate without copying it; each scans every n-th file.
        global _FORKED
        _FORKED = self
        try:
            with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
                parts = pool.map(_scan_forked, [(folder, paths[start::workers], text_cache) for start in range(workers)])
                return sorted(leak for part in parts for leak in part)
        finally:
            _FORKED = None


# Below this many output files, starting worker processes costs more than it saves.
PARALLEL_MIN_FILES = 400
_FORKED: Gate | None = None  # the gate, for forked scan workers


def _scan_files(gate: Gate, folder: Path, paths: list[str], text_cache: Path | None) -> list[Leak]:
    return [leak for rel in paths for leak in gate.scan_file(rel, (folder / rel).read_bytes(), text_cache)]


def _scan_forked(job: tuple[Path, list[str], Path | None]) -> list[Leak]:
    assert _FORKED is not None
    return _scan_files(_FORKED, *job)
