"""Translations: the messages editors read (Danish by default, English on request) and the site's interface.

Every text is written in English in the source: that is the msgid. The Danish translations are in
one gettext catalogue, `raadsarkiv/locale/da/LC_MESSAGES/messages.po`, extracted with Babel
(`babel.cfg`, `scripts/update_catalogues.py`; see docs/translating.md). English needs no catalogue.

Two languages are chosen independently:

- the **message language** of `check`, `build`, `serve`, `new` and `import` (`--lang`, else the
  environment's locale: English when LANGUAGE, LC_ALL, LC_MESSAGES or LANG — the first one set —
  names English, Danish otherwise). Messages use `_()` and `ngettext()` below;
- the **UI language** of the site (`language:` in site_config.yaml), used by the templates
  (Jinja2's i18n extension, render.py) and the labels views.py computes, through `UI` below.

Catalogues are compiled in memory on first use (Babel's read_po and write_mo, then
gettext.GNUTranslations): no compiled .mo file is committed or installed, and an edited .po file
takes effect at once. Fuzzy entries are left out, so an unreviewed translation shows the English text.
"""

from __future__ import annotations

import contextlib
import gettext
import hashlib
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from io import BytesIO
from pathlib import Path
from typing import Literal

from babel import Locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from markupsafe import Markup, escape

Language = Literal["da", "en"]
LANGUAGES: tuple[Language, ...] = ("da", "en")
DEFAULT_LANGUAGE: Language = "da"
SOURCE_LANGUAGE: Language = "en"  # the language of the msgids: needs no catalogue
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "messages"
LOCALE_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")  # gettext's order

_chosen: Language | None = None  # set by the command line (--lang); None: from the environment
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def catalogue_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


@lru_cache(maxsize=None)
def translations(language: str) -> gettext.NullTranslations:
    """The compiled catalogue of a language (English: the msgids themselves)."""
    if language == SOURCE_LANGUAGE:
        return gettext.NullTranslations()
    with catalogue_path(language).open("rb") as po:
        catalogue = read_po(po, locale=language, domain=DOMAIN)
    compiled = BytesIO()
    write_mo(compiled, catalogue)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


def catalogue_digest(language: str) -> bytes:
    """A digest of a language's catalogue: what the pages say changes with it (depends.signature)."""
    path = catalogue_path(language)
    data = path.read_bytes() if language != SOURCE_LANGUAGE and path.is_file() else language.encode()
    return hashlib.blake2b(data, digest_size=16).digest()


def language_from_environment(environ: os._Environ[str] | dict[str, str] | None = None) -> Language:
    """English when the first locale variable set names English (`en`, `en_GB.UTF-8`, `en:da`); Danish otherwise."""
    environ = os.environ if environ is None else environ
    for name in LOCALE_VARIABLES:
        value = environ.get(name, "")
        if value:
            return "en" if value.split(":")[0].lower().startswith("en") else "da"
    return DEFAULT_LANGUAGE


def message_language() -> Language:
    """The language messages are printed in now."""
    return _chosen or language_from_environment()


def set_message_language(language: Language | None) -> None:
    """Choose the message language for this process (None: follow the environment)."""
    global _chosen
    _chosen = language


@contextlib.contextmanager
def messages_in(language: Language | None) -> Iterator[None]:
    """Print messages in `language` inside the block (a parse worker, a test)."""
    before = _chosen
    set_message_language(language)
    try:
        yield
    finally:
        set_message_language(before)


def fill(text: str, values: dict[str, object]) -> str:
    """Put named values into `{name}` placeholders; any other brace (a `{lukket}` marker) is left as written."""
    if not values:
        return text
    return _PLACEHOLDER.sub(lambda m: str(values[m[1]]) if m[1] in values else m[0], text)


def _(message: str, **values: object) -> str:
    """A message for editors in the message language, with `{name}` placeholders filled from `values`."""
    return fill(translations(message_language()).gettext(message), values)


def ngettext(singular: str, plural: str, n: int, **values: object) -> str:
    """A message whose wording depends on a number `n` (also available as `{n}`)."""
    return fill(translations(message_language()).ngettext(singular, plural, n), {"n": n, **values})


def N_(message: str) -> str:
    """Mark a text for the catalogue where it is defined, and translate it with `_()` where it is shown."""
    return message


@dataclass(frozen=True)
class UI:
    """The site's interface language (site_config.yaml `language:`): the labels of templates and views, and dates.

    Independent of the message language: a site with an English interface still tells a Danish editor
    about its errors in Danish, and the reverse.
    """

    language: str

    def gettext(self, message: str, **values: object) -> str:
        """A label in the site's language, with `{name}` placeholders filled from `values`."""
        return fill(translations(self.language).gettext(message), values)

    def ngettext(self, singular: str, plural: str, n: int, **values: object) -> str:
        return fill(translations(self.language).ngettext(singular, plural, n), {"n": n, **values})

    def markup(self, message: str, **values: object) -> Markup:
        """For templates (`_()` there): the label escaped as HTML; values are escaped unless they are Markup already
        (a link made in the template), so a sentence may hold a link without the catalogue holding HTML."""
        text = escape(translations(self.language).gettext(message))
        return Markup(fill(text, {key: escape(value) for key, value in values.items()}))

    def nmarkup(self, singular: str, plural: str, n: int, **values: object) -> Markup:
        text = escape(translations(self.language).ngettext(singular, plural, n))
        return Markup(fill(text, {key: escape(value) for key, value in {"n": n, **values}.items()}))

    @property
    def locale(self) -> Locale:
        """The Babel locale of dates and numbers: parsed once per language, not on every call."""
        return babel_locale(self.language)


@lru_cache(maxsize=None)
def babel_locale(language: str) -> Locale:
    return Locale.parse(language)
