"""Every generated HTML page passes the Nu Html Checker (vnu.jar, on Java) with no errors."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from conftest import REPO, themed_archive
from raadsarkiv.pipeline import build

VNU_JAR = REPO / ".cache/node/node_modules/vnu-jar/build/dist/vnu.jar"
INSTALL_HINT = "run `bash scripts/install-system-deps.sh` (installs Java and vnu-jar into .cache/node)"
# A page the checker must reject: proves it really read the folder.
BROKEN = "<!doctype html><html lang=da><title>x</title><p><div></span>"


def run_vnu(folder: Path) -> list[dict]:
    """Error messages from vnu.jar for every HTML file under folder (CSS too)."""
    java = shutil.which("java")
    assert java, f"java is missing: {INSTALL_HINT}"
    assert VNU_JAR.is_file(), f"{VNU_JAR} is missing: {INSTALL_HINT}"
    result = subprocess.run(
        [java, "-jar", str(VNU_JAR), "--errors-only", "--skip-non-html", "--also-check-css", "--format", "json", str(folder)],
        capture_output=True, text=True, timeout=300,
    )
    return json.loads(result.stderr or result.stdout)["messages"]


def test_every_generated_page_is_valid_html(sample_site: Path, tmp_path: Path) -> None:
    site = shutil.copytree(sample_site, tmp_path / "site")
    (site / "zz-known-broken.html").write_text(BROKEN, encoding="utf-8")
    messages = run_vnu(site)
    by_file: dict[str, list[str]] = {}
    for m in messages:
        name = m.get("url", "").split("/site/", 1)[-1]
        by_file.setdefault(name, []).append(f"line {m.get('lastLine', '?')}: {m['message']}")
    assert "zz-known-broken.html" in by_file, f"vnu did not report the known-broken page: {messages}"
    del by_file["zz-known-broken.html"]
    assert not by_file, "\n".join(f"{name}: {msg}" for name, msgs in sorted(by_file.items()) for msg in msgs)


def test_a_themed_new_archive_is_valid_html(tmp_path: Path) -> None:
    """`raadsarkiv init` plus a logo, colours and the organisation's footer: the theme's additions are valid too."""
    site = themed_archive(tmp_path / "arkiv")
    build(site, site / "output")
    assert '<img class="site-logo"' in (site / "output/index.html").read_text(encoding="utf-8")
    messages = run_vnu(site / "output")
    assert not messages, "\n".join(f"{m.get('url', '?')}: {m['message']}" for m in messages)
