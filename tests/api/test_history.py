"""Undo, redo and the history of edits, with their labels."""

from __future__ import annotations

from typing import Any

import httpx

from .support import assert_error


def test_undo_redo_and_labels(api: httpx.Client, project: dict[str, Any]) -> None:
    url = f"/api/projects/{project['id']}"
    original = project["document"]
    api.patch(f"{url}/scenes/intro/product-overlay", json={"scale": 0.5})
    moved = api.put(f"{url}/scene-order", json={"sceneIds": ["cold", "outro", "intro"]}).json()
    history = api.get(f"{url}/history").json()
    assert [e["label"] for e in history["entries"]] == [
        "Create project",
        "Overlay: scale 0.4 → 0.5",
        "Move scene 'intro' to position 3",
    ]
    assert history["canUndo"] and not history["canRedo"]

    undone = api.post(f"{url}/undo")
    assert undone.status_code == 200
    assert undone.json()["revision"] == moved["revision"] + 1  # undo is a change too
    assert [s["id"] for s in undone.json()["document"]["scenes"]] == ["intro", "cold", "outro"]
    back = api.post(f"{url}/undo").json()
    assert back["document"] == original and back["canUndo"] is False and back["canRedo"]
    assert_error(api.post(f"{url}/undo"), 409)

    again = api.post(f"{url}/redo").json()
    assert again["document"]["scenes"][0]["productOverlay"]["scale"] == 0.5
    redone = api.post(f"{url}/redo").json()
    assert redone["document"] == moved["document"]
    assert_error(api.post(f"{url}/redo"), 409)


def test_an_edit_after_undo_drops_the_redo_branch(
    api: httpx.Client, project: dict[str, Any]
) -> None:
    url = f"/api/projects/{project['id']}"
    api.patch(url, json={"title": "First"})
    api.post(f"{url}/undo")
    edited = api.patch(url, json={"title": "Second"}).json()
    assert edited["canRedo"] is False
    assert_error(api.post(f"{url}/redo"), 409)
    labels = [e["label"] for e in api.get(f"{url}/history").json()["entries"]]
    assert labels == ["Create project", "Title: SmartBottle launch → Second"]


def test_undo_honours_if_match(api: httpx.Client, project: dict[str, Any]) -> None:
    url = f"/api/projects/{project['id']}"
    api.patch(url, json={"title": "First"})
    before = api.get(url).content
    assert_error(api.post(f"{url}/undo", headers={"If-Match": "1"}), 409)
    assert api.get(url).content == before
    assert api.post(f"{url}/undo", headers={"If-Match": "2"}).status_code == 200
