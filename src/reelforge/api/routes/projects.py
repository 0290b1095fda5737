"""Projects: list, create (from a document or a script), read, edit, delete; undo and redo."""

from __future__ import annotations

from fastapi import APIRouter, Response

from reelforge.api.deps import (
    ContextDep,
    CurrentUser,
    EditorDep,
    IfMatch,
    JsonObject,
    SessionDep,
    document_check,
    project_public,
)
from reelforge.api.lifecycle import remove_render_outputs
from reelforge.api.schemas import HistoryPublic, ProjectPublic, ProjectSummary
from reelforge.errors import InvalidRequest
from reelforge.spec.script import project_from_script
from reelforge.store import edits, projects, render_jobs

router = APIRouter(prefix="/projects", tags=["projects"])


@router.get("", operation_id="listProjects")
def list_projects(session: SessionDep, user: CurrentUser) -> list[ProjectSummary]:
    rows = projects.list_projects(session=session, owner_id=user.id)
    return [ProjectSummary.model_validate(row) for row in rows]


@router.post("", operation_id="createProject", status_code=201)
def create_project(
    body: JsonObject,
    session: SessionDep,
    user: CurrentUser,
    response: Response,
    context: ContextDep,
) -> ProjectPublic:
    unknown = set(body) - {"document", "script", "title"}
    if unknown:
        raise InvalidRequest("unknown field", field=sorted(unknown)[0])
    document, script, title = body.get("document"), body.get("script"), body.get("title")
    if (document is None) == (script is None):
        raise InvalidRequest("send either a document or a script", field="document")
    if title is not None and not isinstance(title, str):
        raise InvalidRequest("must be a string", field="title")
    if script is not None:
        if not isinstance(script, str):
            raise InvalidRequest("must be a string", field="script")
        document = project_from_script(script, title=title or "Untitled").to_document()
    elif title is not None and isinstance(document, dict):
        document = {**document, "title": title}
    view = projects.create_project(
        session=session,
        owner_id=user.id,
        document=document,
        check_refs=document_check(session, user, context.limits),
    )
    response.headers["Location"] = f"/api/projects/{view.id}"
    return project_public(view, response)


@router.get("/{project_id}", operation_id="getProject")
def get_project(
    project_id: str, session: SessionDep, user: CurrentUser, response: Response
) -> ProjectPublic:
    view = projects.get_project(session=session, owner_id=user.id, project_id=project_id)
    return project_public(view, response)


@router.patch("/{project_id}", operation_id="patchProject")
def patch_project(project_id: str, body: JsonObject, editor: EditorDep) -> ProjectPublic:
    """Edit document fields: the body is a JSON merge patch of the document."""
    return editor.apply(project_id, lambda document: edits.patch_project(document, body))


@router.delete("/{project_id}", operation_id="deleteProject", status_code=204)
def delete_project(
    project_id: str, session: SessionDep, user: CurrentUser, if_match: IfMatch, context: ContextDep
) -> Response:
    """Delete the project, its renders and their outputs (share links stop working)."""
    projects.delete_project(
        session=session, owner_id=user.id, project_id=project_id, if_match=if_match
    )
    removed = render_jobs.remove_project_renders(
        session=session, owner_id=user.id, project_id=project_id
    )
    remove_render_outputs(context.renders_dir, removed)
    return Response(status_code=204)


@router.post("/{project_id}/undo", operation_id="undoProject")
def undo(project_id: str, editor: EditorDep) -> ProjectPublic:
    """Show the previous state. 409 `nothing_to_undo` at the start of the history; 409
    `asset_deleted`, naming the field, if that state names an asset deleted since (nothing
    changes)."""
    return editor.undo(project_id)


@router.post("/{project_id}/redo", operation_id="redoProject")
def redo(project_id: str, editor: EditorDep) -> ProjectPublic:
    """Show the next state. 409 `nothing_to_undo` at the end of the history; 409
    `asset_deleted` as for undo."""
    return editor.redo(project_id)


@router.get("/{project_id}/history", operation_id="getProjectHistory")
def get_history(project_id: str, session: SessionDep, user: CurrentUser) -> HistoryPublic:
    return HistoryPublic.model_validate(
        projects.history(session=session, owner_id=user.id, project_id=project_id)
    )
