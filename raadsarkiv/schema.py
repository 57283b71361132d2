"""JSON Schemas for editors' tools, generated from the pydantic models (`python build.py schema`)."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel

from .config import SiteConfig
from .model import BodyMeta, MeetingMeta, PageMeta, StrategyMeta

SCHEMA_DIR = "schema"
# file name -> (model, which files it describes)
SCHEMAS: dict[str, tuple[type[BaseModel], str]] = {
    "body.schema.json": (BodyMeta, "content/bodies/*.md (front matter)"),
    "meeting.schema.json": (MeetingMeta, "content/meetings/*/*.md (front matter)"),
    "strategy.schema.json": (StrategyMeta, "content/strategies/*.md (front matter)"),
    "page.schema.json": (PageMeta, "content/pages/*.md (front matter)"),
    "site_config.schema.json": (SiteConfig, "site_config.yaml"),
}


def generate() -> dict[str, str]:
    """Every schema file's text, by file name."""
    out = {}
    for name, (model, describes) in SCHEMAS.items():
        schema = {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$comment": f"Generated from raadsarkiv ({model.__name__}) by `python build.py schema`; do not edit. Describes {describes}.",
            **model.model_json_schema(mode="validation"),
        }
        out[name] = json.dumps(schema, ensure_ascii=False, indent=2) + "\n"
    return out


def write(root: Path) -> list[Path]:
    """Write the schemas to root/schema/; returns the files that changed."""
    folder = root / SCHEMA_DIR
    folder.mkdir(exist_ok=True)
    changed = []
    for name, text in generate().items():
        path = folder / name
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            changed.append(path)
    return changed
