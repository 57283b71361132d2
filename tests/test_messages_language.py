"""Messages are Danish by default and English on request (--lang en, or an English locale), with the
same places, formats and exit codes in both; the catalogues hold a translation of every message.

conftest.py makes English the default for the rest of the tests; these tests choose the language themselves.
"""

from __future__ import annotations

import ast
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from raadsarkiv.i18n import LOCALE_DIR, fill, language_from_environment, messages_in, translations
from raadsarkiv.pipeline import check
from raadsarkiv.serve import error_page
from test_bad_input import BAD, CASES, make_project

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "scripts"))
import update_catalogues  # noqa: E402

CASE = BAD / "frontmatter-error-and-body-errors"
PLACEHOLDER = re.compile(r"\{(\w+)\}")


def run(root: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """build.py with only the locale variables given in `env` (none: the default language)."""
    clean = {k: v for k, v in os.environ.items() if k not in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")}
    return subprocess.run([sys.executable, str(REPO / "build.py"), "--root", str(root), *args],
                          capture_output=True, text=True, timeout=120, env=clean | (env or {}), cwd=root)


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    return make_project(CASE, tmp_path / "project")


def test_check_speaks_danish_by_default(broken: Path) -> None:
    result = run(broken, "check")
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert "content/meetings/testudvalget/2024-03-05-referat.md:8: ukendt nøgle 'plase'; mente du 'place'? " \
           "Tilladte nøgler her: body, date, kind" in result.stderr
    assert "content/meetings/testudvalget/2024-03-05-referat.md:39: punktnummer 2 bruges to gange (også i linje 25)" in lines
    assert "content/pages/om.md:8: '##Indhold' ligner en overskrift, men er det ikke: sæt et mellemrum efter #, " \
           "fx '## 3. Godkendelse af referat'" in lines
    assert lines[-1] == "5 fejl, 0 advarsler."
    assert "unknown" not in result.stderr and "expected" not in result.stderr


def test_lang_en_and_an_english_locale_give_english(broken: Path) -> None:
    for args, env in ((("--lang", "en", "check"), None), (("check", "--lang", "en"), None),
                      (("check",), {"LANG": "en_GB.UTF-8"}), (("check",), {"LANGUAGE": "en:da", "LANG": "da_DK.UTF-8"})):
        result = run(broken, *args, env=env)
        assert "content/meetings/testudvalget/2024-03-05-referat.md:8: unknown key 'plase'; did you mean 'place'?" \
               in result.stderr, (args, env)
        assert result.stderr.splitlines()[-1] == "5 error(s), 0 warning(s).", (args, env)
    danish = run(broken, "check", env={"LANG": "da_DK.UTF-8", "LC_ALL": "C.UTF-8"})  # LC_ALL comes first: not English
    assert "ukendt nøgle 'plase'" in danish.stderr
    assert "ukendt nøgle 'plase'" in run(broken, "--lang", "da", "check", env={"LANG": "en_US.UTF-8"}).stderr


def test_language_from_environment_follows_gettexts_order() -> None:
    assert language_from_environment({}) == "da"
    assert language_from_environment({"LANG": "C.UTF-8"}) == "da"
    assert language_from_environment({"LANG": "en_US.UTF-8"}) == "en"
    assert language_from_environment({"LC_MESSAGES": "da_DK.UTF-8", "LANG": "en_US.UTF-8"}) == "da"
    assert language_from_environment({"LANGUAGE": "", "LC_ALL": "en_IE.UTF-8", "LANG": "da_DK"}) == "en"


@pytest.mark.parametrize("fmt", ["json", "github"])
def test_formats_keep_their_structure_in_danish(broken: Path, fmt: str) -> None:
    danish, english = run(broken, "check", "--format", fmt), run(broken, "--lang", "en", "check", "--format", fmt)
    assert danish.returncode == english.returncode == 1
    if fmt == "json":
        da, en = json.loads(danish.stdout), json.loads(english.stdout)
        strip = [{k: v for k, v in p.items() if k != "message"} for p in da["problems"]]
        assert strip == [{k: v for k, v in p.items() if k != "message"} for p in en["problems"]]
        assert {k: v for k, v in da.items() if k != "problems"} == {k: v for k, v in en.items() if k != "problems"}
        assert da["problems"][0]["message"].startswith("ukendt nøgle 'plase'")
    else:
        da_lines, en_lines = danish.stdout.splitlines(), english.stdout.splitlines()
        assert [line.split("::")[1] for line in da_lines] == [line.split("::")[1] for line in en_lines]
        assert da_lines[0].startswith("::error file=content/meetings/testudvalget/2024-03-05-referat.md,line=8,title=Rådsarkiv::ukendt nøgle")


def _problems(root: Path, language: str) -> list[tuple[str, int, str, str]]:
    shutil.rmtree(root / ".cache", ignore_errors=True)
    with messages_in(language):  # type: ignore[arg-type]
        return sorted((p.path, p.line, p.severity, p.message) for p in check(root).problems)


def test_every_message_of_the_bad_corpus_is_translated(tmp_path: Path) -> None:
    """Each case of tests/bad/ reports the same places in Danish as in English, and no message stays English."""
    untranslated = []
    for case in CASES:
        root = make_project(BAD / case, tmp_path / case)
        english, danish = _problems(root, "en"), _problems(root, "da")
        assert [p[:3] for p in danish] == [p[:3] for p in english], case
        untranslated += [f"{case}: {en[3]}" for en, da in zip(english, danish) if en[3] == da[3]]
    assert untranslated == []


def test_the_parse_cache_keeps_languages_apart(tmp_path: Path) -> None:
    """A file parsed (and cached in .cache/) in Danish is reported in English by the next English check."""
    root = make_project(CASE, tmp_path / "project")
    with messages_in("da"):
        assert any("ukendt nøgle" in p.message for p in check(root).problems)
    with messages_in("en"):
        assert any("unknown key 'plase'" in p.message for p in check(root).problems)


def test_the_preview_error_page_speaks_the_message_language(broken: Path) -> None:
    with messages_in("en"):
        problems = check(broken).problems
    with messages_in("da"):
        page = error_page(broken, problems, "1", has_good_build=True).decode()
    assert '<html lang="da">' in page and "<h1>Fejl i indholdet</h1>" in page
    assert "Arkivet kunne ikke bygges: 5 fejl." in page and "Vis den seneste gode version af siden" in page
    with messages_in("en"):
        page = error_page(broken, problems, "1", has_good_build=False).decode()
    assert '<html lang="en">' in page and "<h1>Errors in the content</h1>" in page
    assert "The archive could not be built: 5 error(s)." in page


# --- the catalogues -------------------------------------------------------------------------------------------


def test_messages_pot_is_up_to_date_with_the_sources() -> None:
    """Extracting again (babel.cfg) gives exactly the msgids of the committed messages.pot."""
    extracted = update_catalogues.ids(update_catalogues.extract())
    committed = update_catalogues.ids(update_catalogues.read(update_catalogues.POT))
    assert sorted(map(str, extracted - committed)) == [], "new strings: run python scripts/update_catalogues.py"
    assert sorted(map(str, committed - extracted)) == [], "strings gone from the sources: run python scripts/update_catalogues.py"


def _marked_strings() -> set[str]:
    """Every literal first argument of _(), N_(), ngettext() and .gettext() in the package, found with ast.

    Babel's extractor does not see a call inside an f-string; this finds them, so none is left untranslated."""
    found: set[str] = set()
    for path in (REPO / "raadsarkiv").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            first = node.args[0]
            if name in update_catalogues.KEYWORDS and isinstance(first, ast.Constant) and isinstance(first.value, str):
                found.add(first.value)
    return found


def test_every_marked_string_is_in_the_catalogue() -> None:
    ids = update_catalogues.ids(update_catalogues.read(update_catalogues.POT))
    flat = {part for msgid in ids for part in (msgid if isinstance(msgid, tuple) else (msgid,))}
    assert sorted(_marked_strings() - flat) == []


def test_the_danish_catalogue_translates_every_msgid_with_the_same_placeholders() -> None:
    catalogue = update_catalogues.read(LOCALE_DIR / "da" / "LC_MESSAGES" / "messages.po", "da")
    template = update_catalogues.ids(update_catalogues.read(update_catalogues.POT))
    assert update_catalogues.ids(catalogue) == template
    untranslated, wrong = [], []
    for message in catalogue:
        if not message.id:
            continue
        if not update_catalogues.translated(message) or message.fuzzy:
            untranslated.append(message.id)
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = set(PLACEHOLDER.findall(" ".join(ids)))
        for string in strings:
            got = set(PLACEHOLDER.findall(string))
            # A plural form may leave out the number ("nemlig" for one error) but nothing else.
            if not (got == wanted if len(ids) == 1 else wanted - {"n"} <= got <= wanted):
                wrong.append((message.id, string))
    assert untranslated == []
    assert wrong == []


def test_translations_fill_named_placeholders_and_leave_markers() -> None:
    danish = translations("da")
    text = danish.gettext("item number {number} is used twice (also on line {line})")
    assert fill(text, {"number": "3a", "line": 12}) == "punktnummer 3a bruges to gange (også i linje 12)"
    marker = "item is marked {lukket offentlig-beslutning} but has no decision section ({sections}); add one, or write {lukket}"
    assert fill(danish.gettext(marker), {"sections": "Beslutning"}).endswith("tilføj et, eller skriv {lukket}")
