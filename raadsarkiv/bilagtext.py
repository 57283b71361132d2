"""The text of public PDF bilag, extracted with pypdf and cached by file hash.

Only bilag in `site.bilag` (the public ones) are ever read: closed bilag are
removed by public.redact before a Site exists, so their text cannot reach a
page or the search index.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
from pathlib import Path

import pypdf

from .buildcache import DiskCache
from .i18n import _
from .errors import Problems
from .incremental import stat_digest
from .linker import Site

# Bump when the extraction or clean-up below changes, so old cache entries are not reused.
EXTRACTOR_VERSION = f"1-pypdf-{pypdf.__version__}"
CACHE_DIR = Path(".cache") / "bilagtext"
INDEX_DIR = Path(".cache") / "bilagindex"  # file stat -> text, for the files of the latest run
# Characters that are not allowed in HTML text (C0 controls except tab/newline, and noncharacters).
CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\ufffe\uffff]")
BLANK_LINES_RE = re.compile(r"\n\s*\n+")


def file_hash(path: Path) -> str:
    """SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


def clean(text: str) -> str:
    """Tidy extracted text: no control characters, no trailing spaces, no empty paragraphs."""
    text = CONTROL_RE.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    lines = "\n".join(line.rstrip() for line in text.split("\n"))
    return BLANK_LINES_RE.sub("\n", lines).strip()


def extract_pdf(path: Path) -> str:
    """The text layer of a PDF, one paragraph (separated by a blank line) per page; '' if it has none."""
    logger = logging.getLogger("pypdf")  # pypdf logs its own warnings; we report problems ourselves
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        reader = pypdf.PdfReader(path)
        if reader.is_encrypted:
            reader.decrypt("")  # many "protected" PDFs open with an empty password; raises if not
        pages = [clean(page.extract_text() or "") for page in reader.pages]
    finally:
        logger.setLevel(level)
    return "\n\n".join(page for page in pages if page)


def _read_entry(cache: Path, key: str) -> dict:
    """A cache entry of this extractor version ({} if there is none or it is unreadable)."""
    try:
        entry = json.loads((cache / f"{key}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return entry if isinstance(entry, dict) and entry.get("version") == EXTRACTOR_VERSION else {}


def _read_cache(cache: Path, key: str) -> str | None:
    """The cached text of a file, if that is what the cache holds."""
    text = _read_entry(cache, key).get("text")
    return text if isinstance(text, str) else None


def _write_cache(cache: Path, key: str, text: str | None = None, error: str | None = None) -> None:
    """Store an entry (the text, or why there is none) atomically; a cache that cannot be written only costs time."""
    entry = {"version": EXTRACTOR_VERSION, **({"text": text} if error is None else {"error": error})}
    try:
        cache.mkdir(parents=True, exist_ok=True)
        tmp = cache / f".{key}.{os.getpid()}.tmp"
        tmp.write_text(json.dumps(entry, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, cache / f"{key}.json")
    except OSError:
        pass


def bilag_texts(root: Path, site: Site, problems: Problems, store: bool = True) -> dict[str, str | None]:
    """Text of every public PDF bilag by content path: '' for no text layer, None if unreadable or not a PDF.

    Results are cached by file hash, failures too (with their message), so an unreadable PDF is
    opened once, not on every run. An index in .cache/bilagindex/ remembers each file's text by its
    stat (size, mtime, inode, ctime), so an unchanged file is neither hashed nor looked up again;
    a file whose stat changed is hashed and found by its hash as before. With `store=False`
    nothing is written to the cache.
    """
    cache = root / CACHE_DIR
    index_store = DiskCache(root / INDEX_DIR)
    index_key = DiskCache.key(b"bilag-text-index", EXTRACTOR_VERSION.encode())
    index = index_store.get(index_key)
    known: dict[str, tuple[bytes, str | None, str | None]] = index if isinstance(index, dict) else {}
    seen: dict[str, tuple[bytes, str | None, str | None]] = {}
    texts: dict[str, str | None] = {}
    for rel in sorted(site.bilag):
        if not rel.lower().endswith(".pdf"):
            continue
        path = root / "content" / rel
        stamp = stat_digest(path)
        hit = known.get(rel)
        if hit is not None and hit[0] == stamp:
            text, error = hit[1], hit[2]
        else:
            text, error = _text_by_hash(cache, path, store)
        seen[rel] = (stamp, text, error)
        if error is not None:
            problems.warning(f"content/{rel}", 1, _("could not read the text of this PDF ({reason}); its page is published "
                                                    "without text and search will not find words inside it", reason=error))
        texts[rel] = text if error is None else None
    if store and seen != known:
        index_store.put(index_key, seen)
    return texts


def _text_by_hash(cache: Path, path: Path, store: bool) -> tuple[str | None, str | None]:
    """A PDF's text or the error that stopped its extraction: from the cache by the file's hash, else extracted."""
    key = file_hash(path)
    entry = _read_entry(cache, key)
    text = entry["text"] if isinstance(entry.get("text"), str) else None
    error = entry["error"] if text is None and isinstance(entry.get("error"), str) else None
    if text is None and error is None:
        try:
            text = extract_pdf(path)
        except Exception as exc:  # pypdf raises many kinds of errors on broken files
            error = f"{type(exc).__name__}: {exc}"
        if store:
            _write_cache(cache, key, text, error)
    return text, error
