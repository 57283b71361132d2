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
from .i18n import N_, _

M = TypeVar("M", bound=BaseModel)

# Plain scalars that YAML 1.1 reads as something other than text.
_YAML_TRAP = re.compile(
    r"^(?:[-+]?\d[\d_]*(?::[0-5]?\d)+(?:\.\d*)?"  # 17:00 -> 1020 (base 60)
    r"|0[0-7_]+|0x[0-9a-fA-F_]+|0b[01_]+"  # 0123 -> 83, hex, binary
    r"|y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF|true|True|TRUE|false|False|FALSE"
    r"|[-+]?[\d_]+(?:\.[\d_]*)?(?:[eE][-+]?\d+)?|~|null|Null|NULL)$"
)


_KIND_NAMES = {"str": N_("text"), "int": N_("a number"), "float": N_("a number"), "bool": N_("true/false"), "list": N_("a list"),
               "dict": N_("a mapping"), "date": N_("a date"), "datetime": N_("a date and time"), "NoneType": N_("nothing")}


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
    return f"<{_(field.description)}>" if field.description else "…"


def _allowed_keys(model: type[BaseModel], loc: tuple[str | int, ...]) -> list[str]:
    """The keys allowed where the (unknown) last key of `loc` was written."""
    parent = _model_at(model, loc[:-1]) if len(loc) > 1 else model
    return list(_fields(parent)) if parent is not None else []


def _explain(
    error: dict, raw: str | None, expected: str = "", allowed: list[str] | None = None, accepts_name: bool = False,
) -> str:
    """One readable sentence for one pydantic error."""
    kind = error["type"]
    key = _where(tuple(p for p in error["loc"] if not str(p).startswith("function-") and p != "[key]"))
    if kind == "extra_forbidden":
        name = str(error["loc"][-1])
        close = difflib.get_close_matches(name, allowed or [], n=1)
        if close:
            return _("unknown key '{key}'; did you mean '{close}'? allowed keys here: {allowed}",
                     key=key, close=close[0], allowed=", ".join(allowed or []))
        return _("unknown key '{key}'; allowed keys here: {allowed}", key=key, allowed=", ".join(allowed or []))
    if kind == "missing":
        if expected:
            return _("missing required key '{key}'; add `{line}`", key=key, line=f"{key.split('.')[-1]}: {expected}")
        return _("missing required key '{key}'", key=key)
    message = _pydantic_message(error)
    trapped = raw is not None and not isinstance(error["input"], str) and _YAML_TRAP.match(raw)
    if trapped and kind in {"string_type", "literal_error", "date_type", "value_error"}:
        return _("'{key}': YAML reads the unquoted value {raw} as {value}, not as text; put it in quotes: {line}",
                 key=key, raw=raw, value=f"{type(error['input']).__name__} {error['input']!r}",
                 line=f"{key.split('.')[-1]}: \"{raw}\"")
    name = type(error["input"]).__name__
    got = _(_KIND_NAMES[name]) if name in _KIND_NAMES else name
    if kind == "string_type":
        return _("'{key}': expected text, got {got}; put text in quotes if YAML reads it as something else", key=key, got=got)
    if kind == "model_type" and allowed:
        if accepts_name:
            return _("'{key}': expected a name (text), or a mapping with the keys {keys} ('key: value' lines, indented under "
                     "the '-' or the key), got {got}", key=key, keys=", ".join(allowed), got=got)
        return _("'{key}': expected a mapping with the keys {keys} ('key: value' lines, indented under the '-' or the key), "
                 "got {got}", key=key, keys=", ".join(allowed), got=got)
    if kind == "list_type":
        return _("'{key}': expected a list (one '- value' line per entry, indented under the key), got {got}", key=key, got=got)
    if kind in {"dict_type", "model_type"}:
        return _("'{key}': expected a mapping ('key: value' lines, indented under the key), got {got}", key=key, got=got)
    return _("'{key}': {problem}", key=key, problem=message)


def _pydantic_message(error: dict) -> str:
    """Pydantic's own sentence for an error, in the message language where it is one editors can meet.

    Our validators (model.py) raise messages that are translated already; pydantic's built-in
    checks speak English, so the kinds front matter and site_config.yaml can produce are said here.
    """
    kind, context = error["type"], error.get("ctx") or {}
    if kind == "literal_error":
        alternatives = str(context.get("expected", "")).replace(" or ", _(" or "))  # pydantic: "'referat' or 'dagsorden'"
        return _("expected {values}", values=alternatives)
    if kind in {"int_type", "int_parsing", "int_from_float"}:
        return _("expected a whole number")
    if kind in {"bool_type", "bool_parsing"}:
        return _("expected true or false")
    if kind == "too_short":
        return _("expected at least {count} entries", count=context.get("min_length", 1))
    if kind == "too_long":
        return _("expected at most {count} entries", count=context.get("max_length", ""))
    if kind in {"url_parsing", "url_scheme", "url_type", "url_syntax_violation", "url_too_long"}:
        return _("expected a web address starting with https:// or http://, e.g. https://www.aalborg.dk/")
    if kind in {"greater_than_equal", "greater_than"}:
        return _("expected a number of at least {limit}", limit=context.get("ge", context.get("gt", "")))
    if kind == "string_pattern_mismatch":
        return _("does not have the expected form ({pattern})", pattern=context.get("pattern", ""))
    return str(error["msg"]).removeprefix("Value error, ")


def validate(model: type[M], front: FrontMatter, path: str, problems: Problems) -> M | None:
    """Validate front matter against a model; record every error with its line."""
    try:
        return model.model_validate(front.data)
    except ValidationError as exc:
        for error in exc.errors():
            loc = tuple(error["loc"])
            clean = tuple(p for p in loc if not str(p).startswith("function-") and p != "[key]")  # [key]: a mapping's key was wrong
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
