"""The default theme inside the package, and a site's overrides of it, file by file.

A site's own `templates/` and `static/` come first: a file there replaces the theme's file
of the same name (as MkDocs' `custom_dir`); every other file comes from the theme here.
What a site may rely on (templates, blocks, context variables) is in docs/theming.md.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from ..errors import Problems
from ..files import twin_key, walk

THEME = Path(__file__).resolve().parent
THEME_TEMPLATES = THEME / "templates"
THEME_STATIC = THEME / "static"


def template_folders(root: Path) -> list[Path]:
    """Where templates are looked up, first match wins: the site's templates/, then the theme's."""
    return [root / "templates", THEME_TEMPLATES]


def static_files(root: Path, problems: Problems) -> list[tuple[Path, str]]:
    """Every static file to publish under static/: (file, relative path), sorted; the site's file wins.

    The site's static/ is walked by files.walk, so a symbolic link or special file there is an
    error in `problems`, never copied. A site file named as a theme file but for upper/lower case
    (`Style.css`) is an error too: on a case-insensitive disk the two would be one file.
    """
    files = {rel: path for path, rel in walk(THEME_STATIC, "static", Problems(), include_hidden=True)}
    theme_names = {twin_key(rel): rel for rel in files}
    for path, rel in walk(root / "static", "static", problems, include_hidden=True):
        twin = theme_names.get(twin_key(rel), rel)
        if twin != rel:
            problems.error(f"static/{rel}", 1, f"name differs from the default theme's static/{twin} only in upper/lower case "
                           f"or accents; name it static/{twin} to replace the theme's file, or choose another name")
        files[rel] = path
    return [(files[rel], rel) for rel in sorted(files)]


def folder_digest(folder: Path) -> bytes:
    """A digest of every file's name and bytes in a folder (a templates/ folder)."""
    digest = hashlib.blake2b(digest_size=16)
    for path in sorted(folder.rglob("*")) if folder.is_dir() else []:
        if path.is_file():
            digest.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.digest()


def templates_digest(root: Path) -> bytes:
    """A digest of every template a page may be rendered with: the site's overrides and the theme's own."""
    digest = hashlib.blake2b(digest_size=16)
    for folder in template_folders(root):
        digest.update(folder_digest(folder))
    return digest.digest()
