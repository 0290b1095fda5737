"""Edits of a project document, as pure functions: old document in, new document and label out.

The repository (`store.projects.apply_edit`) validates the result with `parse_project`, so an edit
only rearranges data; every range and type check, and every field-named error, comes from the
spec. Labels are what the history shows: "Move scene 'intro' to position 3",
"Overlay: scale 0.4 → 0.5".
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Sequence
from typing import Any

from reelforge.errors import InvalidRequest, NotFound
from reelforge.spec.script import with_product_overlays

Document = dict[str, Any]
Labeler = Callable[[Document, Document], str]
"""Names an edit, given the validated documents before and after it."""
Edit = tuple[Document, Labeler]


def fixed(label: str) -> Labeler:
    return lambda _old, _new: label


def merge_patch(target: Any, patch: Any) -> Any:
    """RFC 7386 JSON merge patch: objects merge, `null` removes (back to the default)."""
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    result = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result


def patch_project(document: Document, patch: Document) -> Edit:
    """Merge a partial document into the project. A project's first product image switches
    the product on where a draft shows it (`spec.script.with_product_overlays`): until then
    no scene could show it."""
    new = merge_patch(document, patch)
    if _image(new) and not _image(document) and not _any_overlay(new):
        new = with_product_overlays(new)
    return new, lambda old, new: _describe("", old, new, top_level=True)


def _image(document: Document) -> bool:
    product = document.get("product")
    return isinstance(product, dict) and bool(product.get("image"))


def _any_overlay(document: Document) -> bool:
    scenes = document.get("scenes")
    return isinstance(scenes, list) and any(
        isinstance(s, dict) and (s.get("productOverlay") or {}).get("enabled") for s in scenes
    )


def add_scene(document: Document, scene: Document, index: int | None) -> Edit:
    """Insert a scene at `index` (default: at the end); a missing id gets a free `scene-N`."""
    new = copy.deepcopy(document)
    scenes: list[Document] = new.setdefault("scenes", [])
    scene = dict(scene)
    if not scene.get("id"):
        scene["id"] = _free_scene_id(scenes)
    if index is None:
        index = len(scenes)
    if not 0 <= index <= len(scenes):
        raise InvalidRequest(f"must be between 0 and {len(scenes)}", field="index")
    scenes.insert(index, scene)
    return new, fixed(f"Add scene {scene['id']!r}")


def patch_scene(document: Document, scene_id: str, patch: Document) -> Edit:
    """Merge a partial scene into scene `scene_id`. A new visual `type` replaces the visual."""
    new = copy.deepcopy(document)
    index = scene_index(new, scene_id)
    old_scene = new["scenes"][index]
    visual = patch.get("visual")
    if isinstance(visual, dict) and visual.get("type") not in (None, old_scene["visual"]["type"]):
        old_scene = {k: v for k, v in old_scene.items() if k != "visual"}
    new["scenes"][index] = merge_patch(old_scene, patch)
    return new, lambda old, new: _describe(
        f"Scene {scene_id!r}", old["scenes"][index], new["scenes"][index]
    )


def remove_scene(document: Document, scene_id: str) -> Edit:
    new = copy.deepcopy(document)
    del new["scenes"][scene_index(new, scene_id)]
    return new, fixed(f"Remove scene {scene_id!r}")


def reorder_scenes(document: Document, scene_ids: Sequence[str]) -> Edit:
    """Put the scenes in the order given, which must be a permutation of the current ids."""
    current = [scene["id"] for scene in document["scenes"]]
    if len(scene_ids) != len(current) or set(scene_ids) != set(current):
        raise InvalidRequest(
            f"must list each of the {len(current)} scene ids exactly once", field="sceneIds"
        )
    by_id = {scene["id"]: scene for scene in document["scenes"]}
    new = copy.deepcopy(document)
    new["scenes"] = [copy.deepcopy(by_id[scene_id]) for scene_id in scene_ids]
    return new, fixed(_describe_move(current, list(scene_ids)))


def patch_product_overlay(document: Document, scene_id: str, patch: Document) -> Edit:
    new = copy.deepcopy(document)
    index = scene_index(new, scene_id)
    scene = new["scenes"][index]
    scene["productOverlay"] = merge_patch(scene.get("productOverlay", {}), patch)
    return new, lambda old, new: _describe(
        "Overlay", old["scenes"][index]["productOverlay"], new["scenes"][index]["productOverlay"]
    )


def patch_music(document: Document, patch: Document) -> Edit:
    new = copy.deepcopy(document)
    new["music"] = merge_patch(document.get("music", {}), patch)
    return new, lambda old, new: _describe("Music", old["music"], new["music"])


def set_music_seed(document: Document, seed: int) -> Edit:
    new = copy.deepcopy(document)
    old = new.setdefault("music", {}).get("seed")
    new["music"]["seed"] = seed
    return new, fixed(f"Regenerate music (seed {old} → {seed})")


def scene_index(document: Document, scene_id: str) -> int:
    for index, scene in enumerate(document.get("scenes", [])):
        if scene.get("id") == scene_id:
            return index
    raise NotFound(f"no scene {scene_id!r} in this project", field="sceneId")


def _free_scene_id(scenes: list[Document]) -> str:
    taken = {scene.get("id") for scene in scenes}
    n = len(scenes) + 1
    while f"scene-{n}" in taken:
        n += 1
    return f"scene-{n}"


def _describe_move(old: list[str], new: list[str]) -> str:
    if old == new:
        return "Reorder scenes"
    for moved in old:
        if [s for s in old if s != moved] == [s for s in new if s != moved]:
            return f"Move scene {moved!r} to position {new.index(moved) + 1}"
    return "Reorder scenes"


def _describe(subject: str, old: Any, new: Any, *, top_level: bool = False) -> str:
    """`Overlay: scale 0.4 → 0.5`; several changes are listed by name, many are counted."""
    changes = list(_changes(old, new, ""))
    if not changes:
        return f"{subject or 'Project'}: no change"
    if len(changes) == 1 and len(changes[0][3]) <= 60:
        path, before, after, _ = changes[0]
        if top_level:
            return f"{_sentence(path)}: {before} → {after}"
        return f"{subject}: {path} {before} → {after}"
    names = sorted({path for path, *_ in changes})
    shown = ", ".join(names[:4]) + (f" and {len(names) - 4} more" if len(names) > 4 else "")
    return f"{subject}: {shown}" if not top_level else f"Edit {shown}"


def _changes(old: Any, new: Any, path: str) -> list[tuple[str, str, str, str]]:
    if isinstance(old, dict) and isinstance(new, dict):
        out: list[tuple[str, str, str, str]] = []
        for key in sorted(set(old) | set(new), key=str):
            child = f"{path}.{key}" if path else str(key)
            out.extend(_changes(old.get(key), new.get(key), child))
        return out
    if old == new:
        return []
    before, after = _show(old), _show(new)
    return [(path or "value", before, after, before + after)]


def _show(value: Any) -> str:
    if isinstance(value, (dict, list)):
        return "…"
    if value is None:
        return "none"
    text = str(value)
    return text if len(text) <= 40 else text[:39] + "…"


def _sentence(path: str) -> str:
    words = re.sub(r"([A-Z])", r" \1", path.replace(".", " ")).strip()
    return words[:1].upper() + words[1:].lower()
