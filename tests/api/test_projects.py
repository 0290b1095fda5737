"""Projects: create, list, read, edit, delete; If-Match; bad input leaves the project as it was."""

from __future__ import annotations

import io
from typing import Any

import httpx
import pytest
from PIL import Image

from .support import assert_error, create_project, sample_document


def test_create_from_a_document(api: httpx.Client) -> None:
    response = api.post("/api/projects", json={"document": sample_document()})
    assert response.status_code == 201
    project = response.json()
    assert response.headers["location"] == f"/api/projects/{project['id']}"
    assert project["revision"] == 1 and project["canUndo"] is False
    document = project["document"]
    assert [s["id"] for s in document["scenes"]] == ["intro", "cold", "outro"]
    assert document["scenes"][0]["productOverlay"]["scale"] == 0.4
    assert document["captions"] == {"enabled": True}  # defaults filled in
    assert response.headers["etag"] == '"1"'


def test_create_from_a_script(api: httpx.Client) -> None:
    script = "Meet SmartBottle.\nCold for a day.\n\n  Hot for twelve hours.  \n\n\nGet yours."
    response = api.post("/api/projects", json={"script": script, "title": "From script"})
    assert response.status_code == 201
    document = response.json()["document"]
    assert document["title"] == "From script"
    assert [s["narration"] for s in document["scenes"]] == [
        "Meet SmartBottle. Cold for a day.",
        "Hot for twelve hours.",
        "Get yours.",
    ]
    assert all(s["title"]["text"] and "…" not in s["title"]["text"] for s in document["scenes"])
    assert not any(s["productOverlay"]["enabled"] for s in document["scenes"])
    # the first product image switches the draft's product overlays on
    png = io.BytesIO()
    Image.new("RGBA", (40, 80), (20, 220, 60, 255)).save(png, format="PNG")
    asset = api.post("/api/assets", files={"file": ("bottle.png", png.getvalue(), "image/png")})
    assert asset.status_code == 201, asset.text
    project_id = response.json()["id"]
    patched = api.patch(
        f"/api/projects/{project_id}", json={"product": {"image": asset.json()["ref"]}}
    )
    assert patched.status_code == 200, patched.text
    shown = [s["productOverlay"]["enabled"] for s in patched.json()["document"]["scenes"]]
    assert shown == [True, False, True]


def test_list_read_and_delete(api: httpx.Client) -> None:
    project = create_project(api)
    listed = api.get("/api/projects").json()
    assert project["id"] in [p["id"] for p in listed]
    assert {"id", "title", "revision", "createdAt", "updatedAt"} <= set(listed[0])
    got = api.get(f"/api/projects/{project['id']}")
    assert got.status_code == 200 and got.json() == project
    assert api.delete(f"/api/projects/{project['id']}").status_code == 204
    assert_error(api.get(f"/api/projects/{project['id']}"), 404)
    assert_error(api.delete(f"/api/projects/{project['id']}"), 404)


def test_patch_merges_document_fields(api: httpx.Client, project: dict[str, Any]) -> None:
    response = api.patch(
        f"/api/projects/{project['id']}",
        json={"title": "New title", "output": {"fps": 30}, "brand": {"primaryColor": "#FF0000"}},
    )
    assert response.status_code == 200, response.text
    updated = response.json()
    assert updated["revision"] == project["revision"] + 1
    assert updated["title"] == "New title"
    assert updated["document"]["output"] == {
        "aspect": "16:9",
        "resolution": 360,
        "fps": 30,
        "quality": "standard",
    }
    assert updated["document"]["brand"]["primaryColor"] == "#FF0000"
    assert updated["document"]["scenes"] == project["document"]["scenes"]


def test_if_match(api: httpx.Client, project: dict[str, Any]) -> None:
    url = f"/api/projects/{project['id']}"
    stale = {"If-Match": str(project["revision"])}
    assert api.patch(url, json={"title": "A"}, headers=stale).status_code == 200
    before = api.get(url).content
    error = assert_error(api.patch(url, json={"title": "B"}, headers=stale), 409)
    assert error["code"] == "revision_conflict"
    assert api.get(url).content == before
    current = {"If-Match": f'"{project["revision"] + 1}"'}
    assert api.patch(url, json={"title": "C"}, headers=current).status_code == 200
    assert_error(api.patch(url, json={"title": "D"}, headers={"If-Match": "abc"}), 400, "If-Match")
    assert_error(api.delete(url, headers=stale), 409)


CREATE_ERRORS: list[tuple[Any, int, str | None]] = [
    ({}, 400, "document"),
    ({"document": sample_document(), "script": "x"}, 400, "document"),
    ({"script": "   \n\n  "}, 400, "script"),
    ({"script": 5}, 400, "script"),
    ({"document": sample_document(), "colour": 1}, 400, "colour"),
    ({"document": {"version": 2}}, 400, "version"),
    ({"document": sample_document(output={"fps": 31})}, 400, "output.fps"),
    ({"document": sample_document(scenes=[{"id": "a b"}])}, 400, "scenes[0].id"),
    ({"document": sample_document(scenes=[{"id": "a"}, {"id": "a"}])}, 400, "scenes[1].id"),
    (
        {"document": sample_document(scenes=[{"visual": {"type": "image", "src": "a.png"}}])},
        400,
        "scenes[0].visual.src",
    ),
    (
        {"document": sample_document(scenes=[{"visual": {"type": "image", "src": "asset:nope"}}])},
        400,
        "scenes[0].visual.src",
    ),
    ({"document": sample_document(brand={"logo": "asset:nope"})}, 400, "brand.logo"),
    ([], 400, "body"),
    ("text", 400, "body"),
]


@pytest.mark.parametrize(("body", "status", "field"), CREATE_ERRORS)
def test_create_rejects_bad_input(
    api: httpx.Client, body: Any, status: int, field: str | None
) -> None:
    before = api.get("/api/projects").json()
    assert_error(api.post("/api/projects", json=body), status, field)
    assert api.get("/api/projects").json() == before


def test_create_rejects_invalid_json(api: httpx.Client) -> None:
    response = api.post(
        "/api/projects", content=b"{nope", headers={"Content-Type": "application/json"}
    )
    assert_error(response, 400, "body")


PATCH_ERRORS: list[tuple[Any, int, str | None]] = [
    ({"title": "x" * 201}, 400, "title"),
    ({"output": {"aspect": "2:1"}}, 400, "output.aspect"),
    ({"voice": {"speed": 3}}, 400, "voice.speed"),
    ({"music": {"volume": -0.1}}, 400, "music.volume"),
    ({"scenes": [{"duration": 0.1}]}, 400, "scenes[0].duration"),
    ({"scenes": [{"transition": {"duration": 5}}]}, 400, "scenes[0].transition.duration"),
    ({"nonsense": True}, 400, "nonsense"),
    ({"version": 7}, 400, "version"),
    ({"product": {"image": "/etc/passwd"}}, 400, "product.image"),
    ([1, 2], 400, "body"),
]


@pytest.mark.parametrize(("body", "status", "field"), PATCH_ERRORS)
def test_patch_rejects_bad_input_without_change(
    api: httpx.Client, project: dict[str, Any], body: Any, status: int, field: str | None
) -> None:
    url = f"/api/projects/{project['id']}"
    before = api.get(url).content
    assert_error(api.patch(url, json=body), status, field)
    assert api.get(url).content == before


@pytest.mark.parametrize(
    ("method", "suffix"),
    [("GET", ""), ("PATCH", ""), ("DELETE", ""), ("GET", "/history"), ("POST", "/undo")],
)
def test_unknown_project_is_404(api: httpx.Client, method: str, suffix: str) -> None:
    response = api.request(method, f"/api/projects/does-not-exist{suffix}", json={})
    assert_error(response, 404)


def test_a_no_op_edit_keeps_the_revision(api: httpx.Client, project: dict[str, Any]) -> None:
    response = api.patch(f"/api/projects/{project['id']}", json={"title": project["title"]})
    assert response.status_code == 200
    assert response.json()["revision"] == project["revision"]
