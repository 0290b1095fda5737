"""Edits as pure functions: merge patches and the labels the history shows."""

from __future__ import annotations

from typing import Any

import pytest

from reelforge.errors import InvalidRequest, NotFound
from reelforge.store import edits

DOCUMENT: dict[str, Any] = {
    "title": "T",
    "music": {"style": "corporate", "volume": 0.15, "seed": 1},
    "scenes": [
        {"id": "intro", "productOverlay": {"scale": 0.4, "animation": "fade"}},
        {"id": "middle", "productOverlay": {"scale": 0.4}},
        {"id": "end", "productOverlay": {"scale": 0.4}},
    ],
}


@pytest.mark.parametrize(
    ("target", "patch", "expected"),
    [
        ({"a": 1}, {"b": 2}, {"a": 1, "b": 2}),
        ({"a": {"x": 1, "y": 2}}, {"a": {"y": None}}, {"a": {"x": 1}}),
        ({"a": [1, 2]}, {"a": [3]}, {"a": [3]}),
        ({"a": 1}, {"a": {"b": 1}}, {"a": {"b": 1}}),
    ],
)
def test_merge_patch(target: Any, patch: Any, expected: Any) -> None:
    assert edits.merge_patch(target, patch) == expected


@pytest.mark.parametrize(
    ("order", "label"),
    [
        (["middle", "end", "intro"], "Move scene 'intro' to position 3"),
        (["end", "intro", "middle"], "Move scene 'end' to position 1"),
        (["intro", "end", "middle"], "Move scene 'middle' to position 3"),
        (["intro", "middle", "end"], "Reorder scenes"),
    ],
)
def test_move_labels(order: list[str], label: str) -> None:
    new, labeler = edits.reorder_scenes(DOCUMENT, order)
    assert [s["id"] for s in new["scenes"]] == order
    assert labeler(DOCUMENT, new) == label


def test_reorder_needs_a_permutation() -> None:
    with pytest.raises(InvalidRequest):
        edits.reorder_scenes(DOCUMENT, ["intro", "intro", "end"])


@pytest.mark.parametrize(
    ("patch", "label"),
    [
        ({"scale": 0.5}, "Overlay: scale 0.4 → 0.5"),
        ({"animation": "zoom"}, "Overlay: animation fade → zoom"),
        ({"scale": 0.5, "animation": "zoom"}, "Overlay: animation, scale"),
        ({"scale": 0.4}, "Overlay: no change"),
    ],
)
def test_overlay_labels(patch: dict[str, Any], label: str) -> None:
    new, labeler = edits.patch_product_overlay(DOCUMENT, "intro", patch)
    assert labeler(DOCUMENT, new) == label


def test_other_labels() -> None:
    new, labeler = edits.patch_project(DOCUMENT, {"title": "New"})
    assert labeler(DOCUMENT, new) == "Title: T → New"
    new, labeler = edits.patch_music(DOCUMENT, {"volume": 0.3})
    assert labeler(DOCUMENT, new) == "Music: volume 0.15 → 0.3"
    new, labeler = edits.add_scene(DOCUMENT, {}, None)
    assert labeler(DOCUMENT, new) == "Add scene 'scene-4'"
    new, labeler = edits.remove_scene(DOCUMENT, "middle")
    assert labeler(DOCUMENT, new) == "Remove scene 'middle'"
    with pytest.raises(NotFound):
        edits.remove_scene(DOCUMENT, "nope")
