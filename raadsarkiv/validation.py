"""Turn pydantic validation errors into `path:line:` problems an editor understands."""

from __future__ import annotations

import datetime as dt
import re
from typing import Literal, TypeVar, get_args, get_origin

from pydantic import BaseModel, ValidationError

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


def _where(loc: tuple[str | int, ...]) -> str:
    """A key path as an editor would write it: absent[1].name, items.4.kle."""
    out = ""
    for part in loc:
        if isinstance(part, int) and out and not out.endswith("items"):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def _expected(model: type[BaseModel], loc: tuple[str | int, ...]) -> str:
    """What a missing key should hold, from the model: its allowed values or its description."""
    field = None
    for part in loc:
        if not isinstance(part, str) or model is None or part not in model.model_fields:
            return ""
        field = model.model_fields[part]
        annotation = field.annotation
        model = annotation if isinstance(annotation, type) and issubclass(annotation, BaseModel) else None
    if field is None:
        return ""
    if get_origin(field.annotation) is Literal:
        return " | ".join(str(value) for value in get_args(field.annotation))
    if field.annotation is dt.date:
        return "YYYY-MM-DD"
    return f"<{field.description}>" if field.description else "…"


def _explain(error: dict, raw: str | None, expected: str = "") -> str:
    """One readable sentence for one pydantic error."""
    kind = error["type"]
    key = _where(tuple(p for p in error["loc"] if not str(p).startswith("function-")))
    if kind == "extra_forbidden":
        return f"unknown key '{key}'; check the spelling (see docs/content-format.md for the allowed keys)"
    if kind == "missing":
        return f"missing required key '{key}'; add `{key.split('.')[-1]}: {expected}`" if expected else f"missing required key '{key}'"
    message = error["msg"].removeprefix("Value error, ")
    trapped = raw is not None and not isinstance(error["input"], str) and _YAML_TRAP.match(raw)
    if trapped and kind in {"string_type", "literal_error", "date_type", "value_error"}:
        return (
            f"'{key}': YAML reads the unquoted value {raw} as {type(error['input']).__name__} "
            f"{error['input']!r}, not as text; put it in quotes: {key.split('.')[-1]}: \"{raw}\""
        )
    if kind == "string_type":
        return f"'{key}': expected text, got {type(error['input']).__name__}"
    if kind == "literal_error":
        return f"'{key}': {message.replace('Input should be', 'expected')}"
    if kind in {"list_type", "dict_type", "model_type"}:
        expected = {"list_type": "a list", "dict_type": "a mapping", "model_type": "a mapping of keys"}[kind]
        return f"'{key}': expected {expected}"
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
            problems.error(path, line, _explain(error, raw, expected))
        return None
