"""Scenes of a project: add, edit, remove, reorder, and the product overlay of one scene."""

from __future__ import annotations

from fastapi import APIRouter

from reelforge.api.deps import EditorDep, JsonObject
from reelforge.api.schemas import ProjectPublic, SceneOrderUpdate
from reelforge.errors import InvalidRequest
from reelforge.store import edits

router = APIRouter(prefix="/projects/{project_id}", tags=["scenes"])


@router.post("/scenes", operation_id="addScene", status_code=201)
def add_scene(project_id: str, body: JsonObject, editor: EditorDep) -> ProjectPublic:
    """Add a scene; `index` says where (default: at the end)."""
    scene = dict(body)
    index = scene.pop("index", None)
    if index is not None and (not isinstance(index, int) or isinstance(index, bool)):
        raise InvalidRequest("must be an integer", field="index")
    return editor.apply(project_id, lambda document: edits.add_scene(document, scene, index))


@router.patch("/scenes/{scene_id}", operation_id="patchScene")
def patch_scene(
    project_id: str, scene_id: str, body: JsonObject, editor: EditorDep
) -> ProjectPublic:
    """Edit a scene: the body is a JSON merge patch of the scene."""
    return editor.apply(project_id, lambda document: edits.patch_scene(document, scene_id, body))


@router.delete("/scenes/{scene_id}", operation_id="deleteScene")
def delete_scene(project_id: str, scene_id: str, editor: EditorDep) -> ProjectPublic:
    return editor.apply(project_id, lambda document: edits.remove_scene(document, scene_id))


@router.put("/scene-order", operation_id="putSceneOrder")
def put_scene_order(project_id: str, body: SceneOrderUpdate, editor: EditorDep) -> ProjectPublic:
    """Reorder the scenes; `sceneIds` must be a permutation of the current ids."""
    return editor.apply(project_id, lambda document: edits.reorder_scenes(document, body.scene_ids))


@router.patch("/scenes/{scene_id}/product-overlay", operation_id="patchSceneProductOverlay")
def patch_product_overlay(
    project_id: str, scene_id: str, body: JsonObject, editor: EditorDep
) -> ProjectPublic:
    """Edit a scene's product overlay: `enabled`, `position`, `scale`, `animation`."""
    return editor.apply(
        project_id, lambda document: edits.patch_product_overlay(document, scene_id, body)
    )
