"""The committed JSON Schemas match the models, and the sample archive's front matter validates against them."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from conftest import REPO
from raadsarkiv.frontmatter import parse_yaml, split
from raadsarkiv.schema import PACKAGE_SCHEMAS, SCHEMAS, generate, write

KIND_SCHEMA = {"bodies": "body", "meetings": "meeting", "strategies": "strategy", "pages": "page"}


def _json(data: object) -> object:
    """Front matter as the YAML language server sees it: dates as text, mapping keys as strings."""
    return json.loads(json.dumps(data, default=str))


def _validator(name: str) -> jsonschema.Draft202012Validator:
    schema = json.loads((PACKAGE_SCHEMAS / f"{name}.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


def test_committed_schemas_are_up_to_date() -> None:
    generated = generate()
    committed = {path.name: path.read_text(encoding="utf-8") for path in PACKAGE_SCHEMAS.glob("*.json")}
    assert committed == generated, "raadsarkiv/schemas/ is out of date: run `python -m raadsarkiv.schema` and commit the result"


def test_schema_command_copies_the_schemas_into_a_site(tmp_path: Path) -> None:
    written = write(tmp_path)
    assert sorted(path.name for path in written) == sorted(SCHEMAS)
    assert all(path.read_bytes() == (PACKAGE_SCHEMAS / path.name).read_bytes() for path in written)
    assert write(tmp_path) == []  # nothing changed the second time


@pytest.mark.parametrize("path", sorted((REPO / "content").glob("*/**/*.md")), ids=lambda p: p.relative_to(REPO).as_posix())
def test_sample_front_matter_validates(path: Path) -> None:
    kind = path.relative_to(REPO / "content").parts[0]
    front = split(path.read_text(encoding="utf-8")).front.data
    errors = [e.message for e in _validator(KIND_SCHEMA[kind]).iter_errors(_json(front))]
    assert errors == []


def test_site_config_validates() -> None:
    config = parse_yaml((REPO / "site_config.yaml").read_text(encoding="utf-8")).data
    assert [e.message for e in _validator("site_config").iter_errors(_json(config))] == []


@pytest.mark.parametrize("front, wrong", [
    ({"body": "eksempeludvalget", "date": "2024-01-22", "kind": "referatt"}, "kind"),
    ({"body": "Eksempel Udvalget", "date": "2024-01-22", "kind": "referat"}, "body"),
    ({"body": "eksempeludvalget", "date": "2024-01-22", "kind": "referat", "start": "1020"}, "start"),
    ({"body": "eksempeludvalget", "date": "2024-01-22", "kind": "referat", "plcae": "Rådhuset"}, "plcae"),
    ({"body": "eksempeludvalget", "kind": "referat"}, "date"),
])
def test_schema_catches_what_the_build_catches(front: dict, wrong: str) -> None:
    errors = list(_validator("meeting").iter_errors(front))
    assert errors and any(wrong in e.message or wrong in list(e.path) for e in errors)
