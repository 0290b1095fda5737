"""Scenes: add, edit, remove, reorder, product overlay; bad input changes nothing."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from .support import assert_error


def scene_ids(project: dict[str, Any]) -> list[str]:
    return [scene["id"] for scene in project["document"]["scenes"]]


def test_add_scene_at_the_end_and_at_an_index(api: httpx.Client, project: dict[str, Any]) -> None:
    url = f"/api/projects/{project['id']}/scenes"
    response = api.post(url, json={"narration": "A new scene."})
    assert response.status_code == 201, response.text
    added = response.json()
    assert scene_ids(added) == ["intro", "cold", "outro", "scene-4"]
    assert added["revision"] == project["revision"] + 1
    second = api.post(url, json={"id": "early", "index": 1, "duration": 3}).json()
    assert scene_ids(second) == ["intro", "early", "cold", "outro", "scene-4"]


def test_patch_scene(api: httpx.Client, project: dict[str, Any]) -> None:
    url = f"/api/projects/{project['id']}/scenes/cold"
    response = api.patch(url, json={"narration": "Icy.", "title": {"text": "Cold"}})
    assert response.status_code == 200, response.text
    scene = response.json()["document"]["scenes"][1]
    assert scene["narration"] == "Icy."
    assert scene["title"] == {"text": "Cold", "position": "bottom"}
    assert scene["visual"]["type"] == "gradient"
    # A visual of another type replaces the old one instead of merging into it.
    response = api.patch(url, json={"visual": {"type": "color", "color": "#000000"}})
    assert response.json()["document"]["scenes"][1]["visual"] == {
        "type": "color",
        "color": "#000000",
    }


def test_delete_scene(api: httpx.Client, project: dict[str, Any]) -> None:
    response = api.delete(f"/api/projects/{project['id']}/scenes/cold")
    assert response.status_code == 200
    assert scene_ids(response.json()) == ["intro", "outro"]


def test_reorder(api: httpx.Client, project: dict[str, Any]) -> None:
    url = f"/api/projects/{project['id']}/scene-order"
    response = api.put(url, json={"sceneIds": ["cold", "outro", "intro"]})
    assert response.status_code == 200, response.text
    assert scene_ids(response.json()) == ["cold", "outro", "intro"]
    history = api.get(f"/api/projects/{project['id']}/history").json()
    assert history["entries"][-1]["label"] == "Move scene 'intro' to position 3"


@pytest.mark.parametrize(
    ("order", "status", "field"),
    [
        (["intro", "cold"], 400, "sceneIds"),
        (["intro", "cold", "cold"], 400, "sceneIds"),
        (["intro", "cold", "outro", "x"], 400, "sceneIds"),
        (["intro", "cold", "nope"], 400, "sceneIds"),
        ([], 400, "sceneIds"),
        ("intro", 422, "sceneIds"),
        ([1, 2, 3], 422, "sceneIds[0]"),
    ],
)
def test_reorder_needs_a_permutation(
    api: httpx.Client, project: dict[str, Any], order: Any, status: int, field: str
) -> None:
    url = f"/api/projects/{project['id']}"
    before = api.get(url).content
    assert_error(api.put(f"{url}/scene-order", json={"sceneIds": order}), status, field)
    assert api.get(url).content == before


def test_product_overlay(api: httpx.Client, project: dict[str, Any]) -> None:
    url = f"/api/projects/{project['id']}/scenes/intro/product-overlay"
    response = api.patch(url, json={"scale": 0.5, "position": {"x": "right"}})
    assert response.status_code == 200, response.text
    overlay = response.json()["document"]["scenes"][0]["productOverlay"]
    assert overlay == {
        "enabled": True,
        "position": {"x": "right", "y": "center"},
        "scale": 0.5,
        "animation": "fade",
    }
    api.patch(url, json={"scale": 0.6})
    history = api.get(f"/api/projects/{project['id']}/history").json()
    assert history["entries"][-1]["label"] == "Overlay: scale 0.5 → 0.6"


SCENE_ERRORS: list[tuple[str, str, Any, int, str | None]] = [
    (
        "PATCH",
        "/scenes/intro/product-overlay",
        {"scale": 0.9},
        400,
        "scenes[0].productOverlay.scale",
    ),
    (
        "PATCH",
        "/scenes/cold/product-overlay",
        {"scale": "big"},
        400,
        "scenes[1].productOverlay.scale",
    ),
    (
        "PATCH",
        "/scenes/intro/product-overlay",
        {"animation": "spin"},
        400,
        "scenes[0].productOverlay.animation",
    ),
    (
        "PATCH",
        "/scenes/intro/product-overlay",
        {"position": {"x": "up"}},
        400,
        "scenes[0].productOverlay.position.x",
    ),
    (
        "PATCH",
        "/scenes/intro/product-overlay",
        {"glow": True},
        400,
        "scenes[0].productOverlay.glow",
    ),
    ("PATCH", "/scenes/nope/product-overlay", {"scale": 0.5}, 404, "sceneId"),
    ("PATCH", "/scenes/outro", {"narration": "x" * 5001}, 400, "scenes[2].narration"),
    ("PATCH", "/scenes/outro", {"duration": 601}, 400, "scenes[2].duration"),
    ("PATCH", "/scenes/outro", {"id": "intro"}, 400, "scenes[2].id"),
    ("PATCH", "/scenes/outro", {"visual": {"type": "hologram"}}, 400, "scenes[2].visual"),
    (
        "PATCH",
        "/scenes/outro",
        {"visual": {"type": "video", "src": "asset:x"}},
        400,
        "scenes[2].visual.src",
    ),
    ("PATCH", "/scenes/nope", {"narration": "x"}, 404, "sceneId"),
    ("DELETE", "/scenes/nope", None, 404, "sceneId"),
    ("POST", "/scenes", {"id": "intro"}, 400, "scenes[3].id"),
    ("POST", "/scenes", {"index": 9}, 400, "index"),
    ("POST", "/scenes", {"index": "first"}, 400, "index"),
    ("POST", "/scenes", {"transition": {"type": "spin"}}, 400, "scenes[3].transition.type"),
    ("POST", "/scenes", "scene", 400, "body"),
]


@pytest.mark.parametrize(("method", "suffix", "body", "status", "field"), SCENE_ERRORS)
def test_bad_scene_edits_change_nothing(
    api: httpx.Client,
    project: dict[str, Any],
    method: str,
    suffix: str,
    body: Any,
    status: int,
    field: str | None,
) -> None:
    url = f"/api/projects/{project['id']}"
    before = api.get(url).content
    history = api.get(f"{url}/history").content
    assert_error(api.request(method, url + suffix, json=body), status, field)
    assert api.get(url).content == before
    assert api.get(f"{url}/history").content == history
