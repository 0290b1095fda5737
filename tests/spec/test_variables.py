"""Merge fields: placeholders parsed and substituted on the raw JSON, typed, and named in errors."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reelforge.errors import ProjectError
from reelforge.spec import check_template, parse_project
from reelforge.spec.variables import find_placeholders, substitute


def template() -> dict[str, Any]:
    return {
        "variables": {
            "name": {"type": "text", "default": "World"},
            "accent": {"type": "color"},
            "seconds": {"type": "number", "default": 3},
            "photo": {"type": "image", "default": "kitchen.jpg"},
            "style": {"type": "text", "default": "lofi"},
        },
        "music": {"style": "{{style}}"},
        "scenes": [
            {
                "narration": "Hello {{name}}.",
                "duration": "{{seconds}}",
                "visual": {"type": "color", "color": "{{accent}}"},
                "title": {"text": "Hi {{ name }}!"},
            },
            {"visual": {"type": "image", "src": "{{photo}}"}},
        ],
    }


def test_placeholders_found_with_their_field_paths() -> None:
    found = [(p.path, p.name) for p in find_placeholders(template())]
    assert found == [
        ("music.style", "style"),
        ("scenes[0].narration", "name"),
        ("scenes[0].duration", "seconds"),
        ("scenes[0].visual.color", "accent"),
        ("scenes[0].title.text", "name"),
        ("scenes[1].visual.src", "photo"),
    ]


def test_row_values_fill_the_document_and_keep_types() -> None:
    project = parse_project(template(), {"accent": "#FF0000", "seconds": "2.5", "name": "Ada"})
    scene = project.scenes[0]
    assert scene.narration == "Hello Ada." and scene.title is not None
    assert scene.title.text == "Hi Ada!"
    assert scene.duration == 2.5, "a whole-string placeholder takes the number itself"
    assert scene.visual.type == "color" and scene.visual.color == "#FF0000"
    assert project.music.style == "lofi", "the default applies where the row gives nothing"
    assert project.variables["accent"].type == "color", "declarations are kept"


def test_template_checks_with_a_placeholder_in_a_colour_field() -> None:
    declared = check_template(template())
    assert set(declared) == {"name", "accent", "seconds", "photo", "style"}


def test_template_rendered_as_is_uses_defaults_and_needs_them() -> None:
    with pytest.raises(ProjectError) as info:
        parse_project(template())
    assert str(info.value) == "scenes[0].visual.color: variable 'accent' has no value"
    doc = template()
    doc["variables"]["accent"]["default"] = "#00FF00"
    project = parse_project(doc)
    assert project.scenes[0].visual.type == "color"
    assert project.scenes[0].visual.color == "#00FF00"
    assert project.scenes[0].duration == 3


BAD: list[tuple[dict[str, Any], str]] = [
    (
        {"accent": "red"},
        "scenes[0].visual.color: variable 'accent' must be a colour like #RRGGBB, got 'red'",
    ),
    (
        {"accent": "#000000", "seconds": "soon"},
        "scenes[0].duration: variable 'seconds' must be a number, got 'soon'",
    ),
    (
        {"accent": "#000000", "seconds": True},
        "scenes[0].duration: variable 'seconds' must be a number, got True",
    ),
    (
        {"accent": "#000000", "photo": "clip.mp4"},
        "scenes[1].visual.src: variable 'photo' must be an image, got 'clip.mp4'",
    ),
    ({"accent": "#000000", "price": "9"}, "variable 'price' is not declared by the template"),
    (
        {"accent": "#000000", "seconds": 0.1},
        "scenes[0].duration: must be between 0.5 and 600 (from variable 'seconds')",
    ),
    (
        {"accent": "#000000", "style": "polka"},
        "music.style: must be one of 'upbeat', 'corporate', 'cinematic', 'lofi', 'ambient' or "
        "'acoustic' (from variable 'style')",
    ),
]


@pytest.mark.parametrize(("values", "message"), BAD)
def test_bad_values_name_the_field_and_the_variable(values: dict[str, Any], message: str) -> None:
    with pytest.raises(ProjectError) as info:
        parse_project(template(), values)
    assert str(info.value) == message


def test_undeclared_placeholder_and_bad_declarations() -> None:
    doc = template()
    doc["scenes"][1]["narration"] = "Only {{price}}"
    with pytest.raises(ProjectError, match=r"^scenes\[1\]\.narration: variable 'price' is not "):
        check_template(doc)
    doc = template()
    doc["variables"]["accent"] = {"type": "colour"}
    with pytest.raises(ProjectError, match=r"^variables\.accent\.type: "):
        check_template(doc)
    doc = template()
    doc["variables"]["accent"] = {"type": "color", "default": "blue"}
    with pytest.raises(ProjectError, match=r"^variables\.accent\.default: variable 'accent' must"):
        check_template(doc)
    doc = template()
    doc["variables"]["9lives"] = {"type": "text"}
    with pytest.raises(ProjectError, match=r"variable name '9lives'"):
        parse_project(doc, {"accent": "#000000"})


def test_template_check_still_finds_other_errors() -> None:
    doc = template()
    doc["music"]["volume"] = 4
    with pytest.raises(ProjectError, match=r"^music\.volume: must be between 0 and 1$"):
        check_template(doc)


def test_documents_without_variables_keep_braces_as_text() -> None:
    project = parse_project({"scenes": [{"narration": "Use {{handlebars}} freely"}]})
    assert project.scenes[0].narration == "Use {{handlebars}} freely"
    assert parse_project(project.to_document()).to_document() == project.to_document()


def test_substitution_leaves_the_template_unchanged() -> None:
    doc = template()
    before = copy.deepcopy(doc)
    substitute(doc, {"accent": "#123456"})
    assert doc == before


TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=120)


@given(prefix=TEXT, value=TEXT, suffix=TEXT)
def test_text_values_land_verbatim_in_one_pass(prefix: str, value: str, suffix: str) -> None:
    doc = {
        "variables": {"v": {"type": "text"}},
        "scenes": [{"narration": prefix.replace("{", "(") + "{{v}}" + suffix.replace("{", "(")}],
    }
    project = parse_project(doc, {"v": value})
    # a value holding "{{v}}" or braces is kept as written: substitution is one pass
    expected = prefix.replace("{", "(") + value + suffix.replace("{", "(")
    assert project.scenes[0].narration == expected


@given(
    seconds=st.floats(min_value=0.5, max_value=600, allow_nan=False),
    as_text=st.booleans(),
    color=st.from_regex(r"#[0-9A-Fa-f]{6}", fullmatch=True),
)
def test_numbers_and_colours_from_json_or_csv(seconds: float, as_text: bool, color: str) -> None:
    doc = {
        "variables": {"s": {"type": "number"}, "c": {"type": "color"}},
        "scenes": [{"duration": "{{s}}", "visual": {"type": "color", "color": "{{c}}"}}],
    }
    value: object = repr(seconds) if as_text else seconds
    project = parse_project(doc, {"s": value, "c": color})
    assert project.scenes[0].duration == seconds
    assert project.scenes[0].visual.type == "color" and project.scenes[0].visual.color == color


@given(value=st.one_of(st.floats(allow_nan=True), st.text(max_size=8)))
def test_wrong_number_values_are_rejected_or_in_range(value: object) -> None:
    doc = {"variables": {"s": {"type": "number"}}, "scenes": [{"duration": "{{s}}"}]}
    try:
        project = parse_project(doc, {"s": value})
    except ProjectError as exc:
        assert exc.field == "scenes[0].duration" and "'s'" in str(exc)
    else:
        assert project.scenes[0].duration is not None
        assert 0.5 <= project.scenes[0].duration <= 600
