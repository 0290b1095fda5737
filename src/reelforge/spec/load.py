"""Parse a project document and turn pydantic's errors into one-line, field-named messages."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from reelforge.errors import ProjectError
from reelforge.spec.models import Project, Variable
from reelforge.spec.variables import (
    PLACEHOLDER,
    declarations,
    is_template,
    placeholders_by_field,
    substitute,
)


def field_path(loc: tuple[int | str, ...]) -> str:
    """`("scenes", 3, "productOverlay", "scale")` → `scenes[3].productOverlay.scale`."""
    out = ""
    for i, part in enumerate(loc):
        if isinstance(part, int):
            out += f"[{part}]"
        elif i > 0 and loc[i - 1] == "visual" and part in _VISUAL_TAGS:
            continue  # the discriminated union's tag is not part of the user's path
        else:
            out += ("." if out else "") + str(part)
    return out


_VISUAL_TAGS = ("image", "video", "color", "gradient")


def _message(error: Any) -> str:
    kind = error["type"]
    ctx = error.get("ctx") or {}
    if kind == "extra_forbidden":
        return "unknown field"
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        return _range_message(error["loc"], kind, ctx)
    if kind == "literal_error":
        return f"must be one of {ctx.get('expected', '')}"
    if kind == "union_tag_invalid":
        return f"unknown type {ctx.get('tag')!r}; expected one of {ctx.get('expected_tags')}"
    if kind == "string_pattern_mismatch":
        return f"has an invalid format (expected {ctx.get('pattern')})"
    msg = str(error["msg"])
    return msg[len("Value error, ") :] if msg.startswith("Value error, ") else msg


_RANGES = {
    ("productOverlay", "scale"): (0.1, 0.8),
    ("transition", "duration"): (0, 2),
    ("voice", "speed"): (0.5, 2.0),
    ("music", "volume"): (0, 1),
    ("duration",): (0.5, 600),
}


def _range_message(loc: tuple[Any, ...], kind: str, ctx: dict[str, Any]) -> str:
    names = tuple(p for p in loc if isinstance(p, str))
    for suffix, (lo, hi) in _RANGES.items():
        if names[-len(suffix) :] == suffix:
            return f"must be between {lo} and {hi}"
    bound = next(iter(ctx.values()), "")
    words = {
        "greater_than_equal": "at least",
        "less_than_equal": "at most",
        "greater_than": "more than",
        "less_than": "less than",
    }
    return f"must be {words[kind]} {bound}"


def parse_project(document: Any, values: Mapping[str, object] | None = None) -> Project:
    """Validate a document (a dict). Raises ProjectError naming the first bad field.

    A template (a document with `variables`) is validated after its placeholders are replaced
    by `values`, else by the variables' defaults; an error in a substituted field names the
    variable too.
    """
    if not isinstance(document, dict):
        raise ProjectError("the project document must be a JSON object")
    if values is None and not is_template(document):
        return _validate(document)
    by_field = placeholders_by_field(document)
    concrete = substitute(document, values or {})
    try:
        return _validate(concrete)
    except ProjectError as exc:
        raise _naming_variables(exc.problems, by_field) from None


def _naming_variables(problems: list[tuple[str, str]], by_field: dict[str, list[str]]) -> Exception:
    """The first problem as a ProjectError, naming the variables substituted into its field."""
    path, msg = problems[0]
    more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
    named = _variables_at(path, by_field)
    which = f" (from variable {', '.join(repr(n) for n in named)})" if named else ""
    text = f"{path}: {msg}{which}{more}" if path else f"{msg}{more}"
    return ProjectError(text, field=path or None, problems=problems)


def check_template(document: Any) -> dict[str, Variable]:
    """Check a template as written, before any row: its declarations, every placeholder
    declared, and the document valid with defaults substituted. A field that holds a
    placeholder without a default is checked only when a row gives its value."""
    if not isinstance(document, dict):
        raise ProjectError("the project document must be a JSON object")
    declared = declarations(document)
    by_field = placeholders_by_field(document)
    pending = {
        path for path, names in by_field.items() if any(declared[n].default is None for n in names)
    }
    try:
        _validate(substitute(document, {}, keep_missing=True))
    except ProjectError as exc:
        left = [(p, m) for p, m in exc.problems if not any(_overlaps(p, q) for q in pending)]
        if left:
            raise _naming_variables(left, by_field) from None
    return declared


def _overlaps(a: str, b: str) -> bool:
    """Whether one field path is the other or lies inside it."""
    inside = (".", "[")
    return a == b or any(b.startswith(a + c) or a.startswith(b + c) for c in inside)


def _variables_at(path: str, by_field: Mapping[str, list[str]]) -> list[str]:
    names: list[str] = []
    for field, used in by_field.items():
        if path and _overlaps(path, field):
            names.extend(n for n in used if n not in names)
    return names


def _validate(document: dict[str, Any]) -> Project:
    try:
        return Project.model_validate(document)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            msg = _message(err)
            path = field_path(tuple(err["loc"]))
            if ":" in msg and msg.startswith("scenes["):  # model-level check names its own field
                path, msg = msg.split(": ", 1)
            problems.append((path, msg))
        path, msg = problems[0]
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise ProjectError(
            f"{path}: {msg}{more}" if path else msg + more, field=path or None, problems=problems
        ) from None


def load_project(path: Path) -> Project:
    """Read and validate a project file (a template renders with its defaults)."""
    return parse_project(read_document(path))


def read_document(path: Path) -> Any:
    """A project file's JSON, not yet validated."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ProjectError(f"project file not found: {path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ProjectError(f"cannot read project file {path}: {exc}") from None
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ProjectError(f"{path}: not valid JSON (line {exc.lineno}: {exc.msg})") from None
    return document


def project_schema() -> dict[str, Any]:
    """JSON Schema of the document (exported to docs/project.schema.json)."""
    return Project.model_json_schema(by_alias=True)


def canonical_document(document: Any) -> tuple[Project, dict[str, Any]]:
    """The project (a template with its defaults substituted) and the document to store: every
    default filled in, and a template's placeholders kept where they were written."""
    project = parse_project(document)
    canonical = project.to_document()
    if is_template(document):
        _restore_placeholders(document, canonical)
    return project, canonical


def _restore_placeholders(raw: Any, canonical: Any) -> None:
    """Put back each string of `raw` that holds a placeholder at the same place in `canonical`
    (same keys and list positions: validation only adds defaults)."""
    items: list[tuple[Any, Any]] = []
    if isinstance(raw, dict) and isinstance(canonical, dict):
        items = [(k, v) for k, v in raw.items() if k != "variables" and k in canonical]
    elif isinstance(raw, list) and isinstance(canonical, list) and len(raw) == len(canonical):
        items = list(enumerate(raw))
    for key, value in items:
        if isinstance(value, str):
            if PLACEHOLDER.search(value):
                canonical[key] = value
        else:
            _restore_placeholders(value, canonical[key])
