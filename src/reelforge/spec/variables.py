"""Merge fields: `{{name}}` placeholders in a document's strings, and their substitution.

A document whose top-level `variables` declares merge fields is a *template*. Substitution works
on the raw JSON, before the document meets the models: a string that is exactly one placeholder
takes the value itself (so `"duration": "{{seconds}}"` becomes a number), and a placeholder inside
longer text is replaced by the value's text. Substitution is one pass: a value that itself holds
`{{…}}` is kept as written. The substituted document is then validated by the normal models,
so a `{{accent}}` in a colour field is valid in the template and the value must be a valid
colour. Pure functions: no I/O.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import TypeAdapter, ValidationError

from reelforge.errors import ProjectError
from reelforge.spec.models import HEX_COLOR, Variable

PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]{0,63})\s*\}\}")
MEDIA_EXTENSIONS: dict[str, frozenset[str]] = {
    "image": frozenset({"png", "jpg", "jpeg", "webp", "gif", "bmp", "tif", "tiff"}),
    "video": frozenset({"mp4", "mov", "m4v", "webm", "mkv", "avi"}),
    "audio": frozenset({"wav", "mp3", "ogg", "oga", "flac", "m4a", "aac", "opus"}),
}
_TYPE_WORDS = {
    "text": "text",
    "number": "a number",
    "color": "a colour like #RRGGBB",
    "image": "an image",
    "video": "a video",
    "audio": "an audio file",
}
_DECLARATIONS: TypeAdapter[dict[str, Variable]] = TypeAdapter(dict[str, Variable])

Value = str | int | float


@dataclass(frozen=True)
class Placeholder:
    """One use of a variable: the field path (`scenes[0].title.text`) and the variable's name."""

    path: str
    name: str


def is_template(document: Any) -> bool:
    """Whether the document declares variables. Only then are `{{…}}` placeholders: in a
    document without variables (every document before this extension) they are plain text."""
    return isinstance(document, dict) and bool(document.get("variables"))


def find_placeholders(document: Any) -> Iterator[Placeholder]:
    """Every placeholder in the document's strings, in document order (`variables` excluded)."""
    for path, text in _strings(document, ""):
        for match in PLACEHOLDER.finditer(text):
            yield Placeholder(path=path, name=match.group(1))


def _strings(node: Any, path: str) -> Iterator[tuple[str, str]]:
    if isinstance(node, str):
        yield path, node
    elif isinstance(node, dict):
        for key, child in node.items():
            if path == "" and key == "variables":
                continue
            yield from _strings(child, f"{path}.{key}" if path else str(key))
    elif isinstance(node, list):
        for i, child in enumerate(node):
            yield from _strings(child, f"{path}[{i}]")


def declarations(document: Mapping[str, Any]) -> dict[str, Variable]:
    """The document's `variables`, checked: names, types, defaults of the declared type, and
    every placeholder declared. ProjectError names the field and the variable."""
    try:
        declared = _DECLARATIONS.validate_python(document.get("variables") or {})
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = ".".join(str(p) for p in err["loc"] if p != "[key]")
        path = f"variables.{loc}" if loc else "variables"
        raise ProjectError(f"{path}: {err['msg']}", field=path) from None
    for name, variable in declared.items():
        if variable.default is not None:
            coerce_value(name, variable, variable.default, path=f"variables.{name}.default")
    for use in find_placeholders(document):
        if use.name not in declared:
            raise ProjectError(
                f"{use.path}: variable {use.name!r} is not declared in variables", field=use.path
            )
    return declared


def coerce_value(name: str, variable: Variable, value: object, *, path: str | None = None) -> Value:
    """A row's value checked against the variable's type: numbers from text become numbers."""
    kind = variable.type

    def wrong(got: object) -> ProjectError:
        where = f"{path}: " if path else ""
        return ProjectError(
            f"{where}variable {name!r} must be {_TYPE_WORDS[kind]}, got {got!r}", field=path
        )

    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise wrong(value)
    if kind == "text":
        return value if isinstance(value, str) else _number_text(value)
    if kind == "number":
        number = _number(value)
        if number is None:
            raise wrong(value)
        return number
    if not isinstance(value, str):
        raise wrong(value)
    if kind == "color":
        if re.fullmatch(HEX_COLOR, value.strip()) is None:
            raise wrong(value)
        return value.strip()
    src = value.strip()
    if not src:
        raise wrong(value)
    extension = src.rsplit(".", 1)[-1].lower() if "." in src.rsplit("/", 1)[-1] else ""
    for other, extensions in MEDIA_EXTENSIONS.items():
        if other != kind and extension in extensions:
            raise wrong(value)
    return src


def _number(value: str | int | float) -> int | float | None:
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    text = value.strip()
    try:
        return int(text)
    except ValueError:
        pass
    try:
        number = float(text)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def _number_text(value: int | float) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def substitute(
    document: Mapping[str, Any], values: Mapping[str, object], *, keep_missing: bool = False
) -> dict[str, Any]:
    """The document with every placeholder replaced by its row value, else its default.

    ProjectError names the field path and the variable for an undeclared placeholder, a missing
    value or a value of the wrong type, and names the variable for a value no variable declares.
    A value of `None` counts as missing (the default applies). `keep_missing` leaves a
    placeholder without a value as written (to check a template whose variables lack defaults).
    """
    declared = declarations(document)
    for name in values:
        if name not in declared:
            raise ProjectError(f"variable {name!r} is not declared by the template")
    resolved: dict[str, Value | None] = {}
    first_use = {use.name: use.path for use in reversed(list(find_placeholders(document)))}
    for name, variable in declared.items():
        given = values.get(name)
        raw = given if given is not None else variable.default
        resolved[name] = (
            None if raw is None else coerce_value(name, variable, raw, path=first_use.get(name))
        )
    out = {
        key: (child if key == "variables" else _substitute(child, key, resolved, keep_missing))
        for key, child in document.items()
    }
    return out


def _substitute(node: Any, path: str, values: Mapping[str, Value | None], keep: bool) -> Any:
    if isinstance(node, str):
        return _substitute_text(node, path, values, keep)
    if isinstance(node, dict):
        return {k: _substitute(v, f"{path}.{k}", values, keep) for k, v in node.items()}
    if isinstance(node, list):
        return [_substitute(v, f"{path}[{i}]", values, keep) for i, v in enumerate(node)]
    return node


def _substitute_text(text: str, path: str, values: Mapping[str, Value | None], keep: bool) -> Any:
    def value_of(match: re.Match[str]) -> Value:
        value = values.get(match.group(1))
        if value is None:
            if keep:
                return match.group(0)
            raise ProjectError(f"{path}: variable {match.group(1)!r} has no value", field=path)
        return value

    whole = PLACEHOLDER.fullmatch(text)
    if whole is not None:
        return value_of(whole)

    def replace(match: re.Match[str]) -> str:
        value = value_of(match)
        return value if isinstance(value, str) else _number_text(value)

    return PLACEHOLDER.sub(replace, text)


def placeholders_by_field(document: Any) -> dict[str, list[str]]:
    """Variable names per field path, for naming the variable behind an invalid field."""
    out: dict[str, list[str]] = {}
    for use in find_placeholders(document):
        out.setdefault(use.path, []).append(use.name)
    return out
