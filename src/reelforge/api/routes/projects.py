"""Projects: list, create (from a document or a script), read, edit, delete; undo and redo."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import APIRouter, Response
from sqlalchemy.orm import Session

from reelforge.api.deps import CurrentUser, IfMatch, JsonObject, SessionDep
from reelforge.api.schemas import HistoryPublic, ProjectPublic, ProjectSummary
from reelforge.errors import InvalidRequest
from reelforge.spec.script import project_from_script
from reelforge.store import assets, edits, projects, render_jobs
from reelforge.store.edits import Document, Edit
from reelforge.store.projects import ProjectView

router = APIRouter(prefix="/projects", tags=["projects"])


def project_response(view: ProjectView, response: Response) -> ProjectPublic:
    """The project, with its revision also as the ETag (so `If-Match` can echo it)."""
    response.headers["ETag"] = f'"{view.revision}"'
    return ProjectPublic.model_validate(view)


def edit_project(
    *,
    session: Session,
    user_id: str,
    project_id: str,
    if_match: int | None,
    edit: Callable[[Document], Edit],
) -> ProjectView:
    """Apply one edit to a user's project (the helper every editing route goes through)."""
    return projects.apply_edit(
        session=session,
        owner_id=user_id,
        project_id=project_id,
        if_match=if_match,
        edit=edit,
        check_refs=assets.ref_check(session=session, owner_id=user_id),
    )


@router.get("", operation_id="listProjects")
def list_projects(session: SessionDep, user: CurrentUser) -> list[ProjectSummary]:
    rows = projects.list_projects(session=session, owner_id=user.id)
    return [ProjectSummary.model_validate(row) for row in rows]


@router.post("", operation_id="createProject", status_code=201)
def create_project(
    body: JsonObject, session: SessionDep, user: CurrentUser, response: Response
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
        check_refs=assets.ref_check(session=session, owner_id=user.id),
    )
    response.headers["Location"] = f"/api/projects/{view.id}"
    return project_response(view, response)


@router.get("/{project_id}", operation_id="getProject")
def get_project(
    project_id: str, session: SessionDep, user: CurrentUser, response: Response
) -> ProjectPublic:
    view = projects.get_project(session=session, owner_id=user.id, project_id=project_id)
    return project_response(view, response)


@router.patch("/{project_id}", operation_id="patchProject")
def patch_project(
    project_id: str,
    body: JsonObject,
    session: SessionDep,
    user: CurrentUser,
    if_match: IfMatch,
    response: Response,
) -> ProjectPublic:
    """Edit document fields: the body is a JSON merge patch of the document."""
    view = edit_project(
        session=session,
        user_id=user.id,
        project_id=project_id,
        if_match=if_match,
        edit=lambda document: edits.patch_project(document, body),
    )
    return project_response(view, response)


@router.delete("/{project_id}", operation_id="deleteProject", status_code=204)
def delete_project(
    project_id: str, session: SessionDep, user: CurrentUser, if_match: IfMatch
) -> Response:
    projects.delete_project(
        session=session, owner_id=user.id, project_id=project_id, if_match=if_match
    )
    render_jobs.cancel_unfinished_of_project(
        session=session, owner_id=user.id, project_id=project_id
    )
    return Response(status_code=204)


@router.post("/{project_id}/undo", operation_id="undoProject")
def undo(
    project_id: str, session: SessionDep, user: CurrentUser, if_match: IfMatch, response: Response
) -> ProjectPublic:
    view = projects.undo(
        session=session, owner_id=user.id, project_id=project_id, if_match=if_match
    )
    return project_response(view, response)


@router.post("/{project_id}/redo", operation_id="redoProject")
def redo(
    project_id: str, session: SessionDep, user: CurrentUser, if_match: IfMatch, response: Response
) -> ProjectPublic:
    view = projects.redo(
        session=session, owner_id=user.id, project_id=project_id, if_match=if_match
    )
    return project_response(view, response)


@router.get("/{project_id}/history", operation_id="getProjectHistory")
def get_history(project_id: str, session: SessionDep, user: CurrentUser) -> HistoryPublic:
    return HistoryPublic.model_validate(
        projects.history(session=session, owner_id=user.id, project_id=project_id)
    )
