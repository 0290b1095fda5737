"""Scenes of a project: add, edit, remove, reorder, and the product overlay of one scene."""

from __future__ import annotations

from fastapi import APIRouter, Response

from reelforge.api.deps import CurrentUser, IfMatch, JsonObject, SessionDep
from reelforge.api.routes.projects import edit_project, project_response
from reelforge.api.schemas import ProjectPublic, SceneOrderUpdate
from reelforge.errors import InvalidRequest
from reelforge.store import edits

router = APIRouter(prefix="/projects/{project_id}", tags=["scenes"])


@router.post("/scenes", operation_id="addScene", status_code=201)
def add_scene(
    project_id: str,
    body: JsonObject,
    session: SessionDep,
    user: CurrentUser,
    if_match: IfMatch,
    response: Response,
) -> ProjectPublic:
    """Add a scene; `index` says where (default: at the end)."""
    scene = dict(body)
    index = scene.pop("index", None)
    if index is not None and (not isinstance(index, int) or isinstance(index, bool)):
        raise InvalidRequest("must be an integer", field="index")
    view = edit_project(
        session=session,
        user_id=user.id,
        project_id=project_id,
        if_match=if_match,
        edit=lambda document: edits.add_scene(document, scene, index),
    )
    return project_response(view, response)


@router.patch("/scenes/{scene_id}", operation_id="patchScene")
def patch_scene(
    project_id: str,
    scene_id: str,
    body: JsonObject,
    session: SessionDep,
    user: CurrentUser,
    if_match: IfMatch,
    response: Response,
) -> ProjectPublic:
    """Edit a scene: the body is a JSON merge patch of the scene."""
    view = edit_project(
        session=session,
        user_id=user.id,
        project_id=project_id,
        if_match=if_match,
        edit=lambda document: edits.patch_scene(document, scene_id, body),
    )
    return project_response(view, response)


@router.delete("/scenes/{scene_id}", operation_id="deleteScene")
def delete_scene(
    project_id: str,
    scene_id: str,
    session: SessionDep,
    user: CurrentUser,
    if_match: IfMatch,
    response: Response,
) -> ProjectPublic:
    view = edit_project(
        session=session,
        user_id=user.id,
        project_id=project_id,
        if_match=if_match,
        edit=lambda document: edits.remove_scene(document, scene_id),
    )
    return project_response(view, response)


@router.put("/scene-order", operation_id="putSceneOrder")
def put_scene_order(
    project_id: str,
    body: SceneOrderUpdate,
    session: SessionDep,
    user: CurrentUser,
    if_match: IfMatch,
    response: Response,
) -> ProjectPublic:
    """Reorder the scenes; `sceneIds` must be a permutation of the current ids."""
    view = edit_project(
        session=session,
        user_id=user.id,
        project_id=project_id,
        if_match=if_match,
        edit=lambda document: edits.reorder_scenes(document, body.scene_ids),
    )
    return project_response(view, response)


@router.patch("/scenes/{scene_id}/product-overlay", operation_id="patchSceneProductOverlay")
def patch_product_overlay(
    project_id: str,
    scene_id: str,
    body: JsonObject,
    session: SessionDep,
    user: CurrentUser,
    if_match: IfMatch,
    response: Response,
) -> ProjectPublic:
    """Edit a scene's product overlay: `enabled`, `position`, `scale`, `animation`."""
    view = edit_project(
        session=session,
        user_id=user.id,
        project_id=project_id,
        if_match=if_match,
        edit=lambda document: edits.patch_product_overlay(document, scene_id, body),
    )
    return project_response(view, response)
