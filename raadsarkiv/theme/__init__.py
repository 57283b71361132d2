"""The default theme inside the package, and a site's overrides of it, file by file.

A site's own `templates/` and `static/` come first: a file there replaces the theme's file
of the same name (as MkDocs' `custom_dir`); every other file comes from the theme here.
What a site may rely on (templates, blocks, context variables) is in docs/theming.md.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from ..config import CONFIG_FILE, Colours, SiteConfig
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


# Theme colours a site may set (config.Colours) -> the CSS custom property of style.css, and its light-scheme
# value there (tests/test_theme.py holds these to the stylesheet). Used for the contrast warnings.
COLOUR_PROPERTIES = {
    "text": ("--fg", "#1b1b1b"), "background": ("--bg", "#ffffff"), "muted": ("--muted", "#555555"),
    "link": ("--link", "#0b4f9c"), "link_visited": ("--link-visited", "#5b2a86"), "accent": ("--accent", "#0b4f9c"),
    "panel": ("--panel", "#f3f5f7"), "focus": ("--focus", "#c24e00"),
}
# (foreground, background, least contrast ratio): WCAG 2.2 AA, 4.5:1 for text, 3:1 for the focus outline.
CONTRAST_PAIRS = [
    ("text", "background", 4.5), ("text", "panel", 4.5), ("muted", "background", 4.5), ("muted", "panel", 4.5),
    ("link", "background", 4.5), ("link", "panel", 4.5), ("link_visited", "background", 4.5),
    ("background", "accent", 4.5), ("focus", "background", 3.0),
]


def colour_css(colours: Colours) -> str | None:
    """The site's colours as CSS after the stylesheet, for screens in the light scheme (the dark scheme and
    print keep the theme's), or None when the site sets none."""
    chosen = [f"{COLOUR_PROPERTIES[name][0]}: {value};" for name, value in colours.model_dump().items() if value]
    if not chosen:
        return None
    return "@media screen and (prefers-color-scheme: light) { :root { " + " ".join(chosen) + " } }"


def _luminance(colour: str) -> float:
    """WCAG 2 relative luminance of '#rrggbb'."""
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(first: str, second: str) -> float:
    """WCAG 2 contrast ratio of two '#rrggbb' colours, from 1 to 21."""
    lighter, darker = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _line_of(root: Path, key: str) -> int:
    """The line of `key:` in site_config.yaml (1 if not found), for messages."""
    try:
        lines = (root / CONFIG_FILE).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return 1
    return next((number for number, line in enumerate(lines, 1) if line.strip().startswith(f"{key}:")), 1)


def check(root: Path, config: SiteConfig, static: list[tuple[Path, str]], problems: Problems) -> None:
    """The theme settings of site_config.yaml: the logo is a static file; configured colours keep WCAG AA contrast."""
    logo = config.theme.logo
    if logo is not None and logo not in {rel for _, rel in static}:
        problems.error(CONFIG_FILE, _line_of(root, "logo"),
                       f"theme.logo: there is no file static/{logo}; put the logo in the site's static/ folder "
                       f"and give its name there, e.g. logo: logo.svg")
    chosen = config.theme.colours.model_dump()
    colours = {name: chosen[name] or default for name, (_, default) in COLOUR_PROPERTIES.items()}
    for fore, back, least in CONTRAST_PAIRS:
        if not (chosen[fore] or chosen[back]):
            continue  # the theme's own pair
        ratio = contrast(colours[fore], colours[back])
        if ratio < least:
            key = fore if chosen[fore] else back
            problems.warning(CONFIG_FILE, _line_of(root, key),
                             f"theme.colours: {fore} {colours[fore]} on {back} {colours[back]} has a contrast of "
                             f"{ratio:.1f}:1, less than the {least:g}:1 WCAG AA asks; choose a darker or lighter colour")
