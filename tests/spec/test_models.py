"""The project document: defaults in one pass, field-named errors, the exported schema."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from reelforge.errors import ProjectError
from reelforge.spec import parse_project, project_schema
from reelforge.spec.script import project_from_script

ROOT = Path(__file__).resolve().parents[2]


def test_defaults_apply_in_one_pass() -> None:
    project = parse_project({"scenes": [{}, {"id": "scene-1"}]})
    doc = project.to_document()
    assert doc["output"] == {"aspect": "16:9", "resolution": 1080, "fps": 30, "quality": "standard"}
    assert doc["music"]["style"] == "corporate" and doc["music"]["volume"] == 0.15
    assert doc["voice"] == {"id": "piper:en_US-joe-medium", "speed": 1.0}
    scene = doc["scenes"][0]
    assert scene["visual"]["type"] == "color" and scene["transition"]["type"] == "cut"
    assert scene["productOverlay"]["scale"] == 0.4
    assert scene["productOverlay"]["position"] == {"x": "center", "y": "center"}
    # Generated ids never collide with given ones.
    assert [s["id"] for s in doc["scenes"]] == ["scene-2", "scene-1"]
    assert parse_project(doc).to_document() == doc, "a saved document reads back unchanged"


@pytest.mark.parametrize(
    ("aspect", "resolution", "size"),
    [
        ("16:9", 1080, (1920, 1080)),
        ("9:16", 1080, (1080, 1920)),
        ("1:1", 720, (720, 720)),
        ("4:5", 1080, (1080, 1350)),
        ("16:9", 360, (640, 360)),
        ("9:16", 2160, (2160, 3840)),
        ("16:9", 480, (854, 480)),
    ],
)
def test_output_size(aspect: str, resolution: int, size: tuple[int, int]) -> None:
    project = parse_project({"output": {"aspect": aspect, "resolution": resolution}})
    assert project.output.size == size


ERRORS: list[tuple[dict[str, Any], str]] = [
    (
        {"scenes": [{}, {}, {}, {"productOverlay": {"scale": 0.9}}]},
        "scenes[3].productOverlay.scale: must be between 0.1 and 0.8",
    ),
    (
        {"scenes": [{"transition": {"duration": 3}}]},
        "scenes[0].transition.duration: must be between 0 and 2",
    ),
    ({"voice": {"speed": 2.5}}, "voice.speed: must be between 0.5 and 2.0"),
    ({"music": {"volume": -0.1}}, "music.volume: must be between 0 and 1"),
    ({"music": {"style": "polka"}}, "music.style: must be one of"),
    ({"scenes": [{"duration": 0.1}]}, "scenes[0].duration: must be between 0.5 and 600"),
    ({"scenes": [{"id": "bad id!"}]}, "scenes[0].id: has an invalid format"),
    ({"scenes": [{"narration": "x" * 5001}]}, "scenes[0].narration: String should have at most"),
    ({"scenes": [{"visual": {"type": "image"}}]}, "scenes[0].visual.src: Field required"),
    (
        {"scenes": [{"visual": {"type": "color", "color": "red"}}]},
        "scenes[0].visual.color: has an invalid format",
    ),
    ({"scenes": [{"visual": {"type": "hologram"}}]}, "scenes[0].visual: unknown type 'hologram'"),
    ({"scenes": [{"title": {"text": "a", "size": 3}}]}, "scenes[0].title.size: unknown field"),
    ({"brand": {"primaryColor": "#12345"}}, "brand.primaryColor: has an invalid format"),
    ({"version": 2}, "version: must be one of 1"),
    ({"output": {"aspect": "21:9"}}, "output.aspect: must be one of"),
]


@pytest.mark.parametrize(("doc", "message"), ERRORS, ids=[m.split(":")[0] for _, m in ERRORS])
def test_errors_name_the_field(doc: dict[str, Any], message: str) -> None:
    with pytest.raises(ProjectError) as info:
        parse_project(doc)
    assert str(info.value).startswith(message)
    assert "\n" not in str(info.value)
    assert info.value.field == message.split(":")[0]


def test_exported_schema_is_current() -> None:
    saved = json.loads((ROOT / "docs" / "project.schema.json").read_text())
    assert saved == project_schema(), "run `make schema` and commit docs/project.schema.json"
    assert "discriminator" in json.dumps(saved), "visuals are a discriminated union"


def test_script_to_scenes() -> None:
    project = project_from_script("One. Two.\n\n\nThree\nfour.\n")
    assert [s.narration for s in project.scenes] == ["One. Two.", "Three four."]
    assert all(s.duration is None for s in project.scenes)
