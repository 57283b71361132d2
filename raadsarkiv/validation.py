"""Turn pydantic validation errors into `path:line:` problems an editor understands."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from typing import Literal, TypeVar, get_args, get_origin

from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo

from .errors import Problems
from .frontmatter import FrontMatter

M = TypeVar("M", bound=BaseModel)

# Plain scalars that YAML 1.1 reads as something other than text.
_YAML_TRAP = re.compile(
    r"^(?:[-+]?\d[\d_]*(?::[0-5]?\d)+(?:\.\d*)?"  # 17:00 -> 1020 (base 60)
    r"|0[0-7_]+|0x[0-9a-fA-F_]+|0b[01_]+"  # 0123 -> 83, hex, binary
    r"|y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF|true|True|TRUE|false|False|FALSE"
    r"|[-+]?[\d_]+(?:\.[\d_]*)?(?:[eE][-+]?\d+)?|~|null|Null|NULL)$"
)


_KIND_NAMES = {"str": "text", "int": "a number", "float": "a number", "bool": "true/false", "list": "a list",
               "dict": "a mapping", "date": "a date", "datetime": "a date and time", "NoneType": "nothing"}


def _where(loc: tuple[str | int, ...]) -> str:
    """A key path as an editor would write it: absent[1].name, items.4.kle."""
    out = ""
    for part in loc:
        if isinstance(part, int) and out and not out.endswith("items"):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def _inner_model(annotation: object) -> type[BaseModel] | None:
    """The model inside an annotation such as Absence, list[Absence] or dict[int, ItemMeta]."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in get_args(annotation):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


def _fields(model: type[BaseModel]) -> dict[str, FieldInfo]:
    """A model's fields by the key an editor writes (its alias, e.g. `for`, where it has one)."""
    return {field.alias or name: field for name, field in model.model_fields.items()}


def _field_at(model: type[BaseModel], loc: tuple[str | int, ...]) -> FieldInfo | None:
    """The field a key path names (list indexes and item numbers are skipped), or None."""
    current: type[BaseModel] | None = model
    field: FieldInfo | None = None
    in_mapping = False  # the previous field is a dict: this part is one of its keys
    for part in loc:
        if not isinstance(part, str) or in_mapping:
            in_mapping = False
            continue
        if current is None or part not in _fields(current):
            return None
        field = _fields(current)[part]
        current = _inner_model(field.annotation)
        in_mapping = get_origin(field.annotation) is dict
    return field


def _model_at(model: type[BaseModel], loc: tuple[str | int, ...]) -> type[BaseModel] | None:
    """The model of the mapping expected at a key path (`present[0]` -> Attendee)."""
    if not any(isinstance(part, str) for part in loc):
        return model
    field = _field_at(model, loc)
    return _inner_model(field.annotation) if field is not None else None


def _expected(model: type[BaseModel], loc: tuple[str | int, ...]) -> str:
    """What a missing key should hold, from the model: its allowed values or its description."""
    field = _field_at(model, loc)
    if field is None:
        return ""
    if get_origin(field.annotation) is Literal:
        return " | ".join(str(value) for value in get_args(field.annotation))
    if field.annotation is dt.date:
        return "YYYY-MM-DD"
    return f"<{field.description}>" if field.description else "…"


def _allowed_keys(model: type[BaseModel], loc: tuple[str | int, ...]) -> list[str]:
    """The keys allowed where the (unknown) last key of `loc` was written."""
    parent = _model_at(model, loc[:-1]) if len(loc) > 1 else model
    return list(_fields(parent)) if parent is not None else []


def _explain(
    error: dict, raw: str | None, expected: str = "", allowed: list[str] | None = None, accepts_name: bool = False,
) -> str:
    """One readable sentence for one pydantic error."""
    kind = error["type"]
    key = _where(tuple(p for p in error["loc"] if not str(p).startswith("function-")))
    if kind == "extra_forbidden":
        name = str(error["loc"][-1])
        close = difflib.get_close_matches(name, allowed or [], n=1)
        hint = f"did you mean '{close[0]}'? " if close else ""
        return f"unknown key '{key}'; {hint}allowed keys here: {', '.join(allowed or [])}"
    if kind == "missing":
        return f"missing required key '{key}'; add `{key.split('.')[-1]}: {expected}`" if expected else f"missing required key '{key}'"
    message = error["msg"].removeprefix("Value error, ")
    trapped = raw is not None and not isinstance(error["input"], str) and _YAML_TRAP.match(raw)
    if trapped and kind in {"string_type", "literal_error", "date_type", "value_error"}:
        return (
            f"'{key}': YAML reads the unquoted value {raw} as {type(error['input']).__name__} "
            f"{error['input']!r}, not as text; put it in quotes: {key.split('.')[-1]}: \"{raw}\""
        )
    got = _KIND_NAMES.get(type(error["input"]).__name__, type(error["input"]).__name__)
    if kind == "string_type":
        return f"'{key}': expected text, got {got}; put text in quotes if YAML reads it as something else"
    if kind == "literal_error":
        return f"'{key}': {message.replace('Input should be', 'expected')}"
    if kind == "model_type" and allowed:
        mapping = f"a mapping with the keys {', '.join(allowed)} ('key: value' lines, indented under the '-' or the key)"
        return f"'{key}': expected {'a name (text), or ' if accepts_name else ''}{mapping}, got {got}"
    if kind in {"list_type", "dict_type", "model_type"}:
        wanted = {
            "list_type": "a list (one '- value' line per entry, indented under the key)",
            "dict_type": "a mapping ('key: value' lines, indented under the key)",
            "model_type": "a mapping ('key: value' lines, indented under the key)",
        }[kind]
        return f"'{key}': expected {wanted}, got {got}"
    return f"'{key}': {message}"


def validate(model: type[M], front: FrontMatter, path: str, problems: Problems) -> M | None:
    """Validate front matter against a model; record every error with its line."""
    try:
        return model.model_validate(front.data)
    except ValidationError as exc:
        for error in exc.errors():
            loc = tuple(error["loc"])
            clean = tuple(p for p in loc if not str(p).startswith("function-"))
            raw = front.raw.get(clean)
            if error["type"] == "missing":
                line = front.line_of(clean[:-1]) if len(clean) > 1 else front.start_line
            else:
                line = front.line_of(clean)
            expected = _expected(model, clean) if error["type"] == "missing" else ""
            allowed = _allowed_keys(model, clean) if error["type"] == "extra_forbidden" else None
            inner = _model_at(model, clean) if error["type"] == "model_type" else None
            if inner is not None:
                allowed = list(_fields(inner))
            accepts_name = bool(getattr(inner, "accepts_name", False))
            problems.error(path, line, _explain(error, raw, expected, allowed, accepts_name))
        return None
