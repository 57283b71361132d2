"""Extract every translatable text into raadsarkiv/locale/messages.pot and merge it into each language's .po.

    python scripts/update_catalogues.py          # after adding or changing a message or a template string
    python scripts/update_catalogues.py --check  # exit 1 if the .pot is not up to date with the sources (the tests run this)

What is extracted is set in babel.cfg; how to write and translate strings: docs/translating.md.
New msgids arrive in the .po files with an empty msgstr (shown in English until translated); changed
ones are not fuzzy-matched, so nothing half-translated is ever shown.
"""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po, write_po

REPO = Path(__file__).resolve().parent.parent
LOCALE_DIR = REPO / "raadsarkiv" / "locale"
POT = LOCALE_DIR / "messages.pot"
# `_` and `ngettext` for messages, `N_` marks a text translated where it is shown, `gettext` the UI labels of views.py.
KEYWORDS = {"_": None, "N_": None, "gettext": None, "ngettext": (1, 2)}


def extract() -> Catalog:
    """Every msgid in the sources babel.cfg names, sorted, without locations (fewer merge conflicts)."""
    with (REPO / "babel.cfg").open(encoding="utf-8") as config:
        method_map, options_map = parse_mapping_cfg(config)
    catalog = Catalog(project="Rådsarkiv", charset="utf-8", fuzzy=False)
    for _filename, _lineno, message, comments, context in extract_from_dir(
        REPO, method_map, options_map, keywords=KEYWORDS, comment_tags=("Translators:",), strip_comment_tags=True,
    ):
        catalog.add(message, None, auto_comments=comments, context=context)
    return catalog


def render(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_po(out, catalog, omit_header=False, no_location=True, sort_output=True, width=120)
    return out.getvalue()


def ids(catalog: Catalog) -> set[object]:
    return {message.id for message in catalog if message.id}


def read(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as po:
        return read_po(po, locale=locale)


def translated(message: object) -> bool:
    """Whether a catalogue entry has its translation (every plural form, for a plural message)."""
    string = getattr(message, "string", None)
    return all(string) if isinstance(string, (list, tuple)) else bool(string)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="only compare: exit 1 if messages.pot is out of date")
    args = parser.parse_args(argv)
    template = extract()
    if args.check:
        stale = not POT.is_file() or ids(read(POT)) != ids(template)
        if stale:
            print(f"{POT.relative_to(REPO)} is out of date: run python scripts/update_catalogues.py", file=sys.stderr)
        return 1 if stale else 0
    template.creation_date = read(POT).creation_date if POT.is_file() and ids(read(POT)) == ids(template) else template.creation_date
    POT.write_bytes(render(template))
    for po in sorted(LOCALE_DIR.glob("*/LC_MESSAGES/messages.po")):
        language = po.parent.parent.name
        catalog = read(po, language)
        catalog.update(template, no_fuzzy_matching=True)
        catalog.obsolete.clear()  # a msgid gone from the sources is gone from the catalogue
        po.write_bytes(render(catalog))
        untranslated = sorted(str(m.id) for m in catalog if m.id and not translated(m))
        print(f"{po.relative_to(REPO)}: {len(untranslated)} untranslated")
        for msgid in untranslated:
            print(f"  {msgid[:100]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
