"""Projects and their undo history.

A project row holds the current document and a `revision` that every change bumps (edits, undo,
redo); clients send it back in `If-Match`. Its history is a list of states, each the whole
document after one edit and a label; `history_position` points at the state the document shows.
Undo and redo move the pointer; an edit after an undo drops the states after the pointer (the
redo branch) and appends. Writers lock the row (SQLite: `BEGIN IMMEDIATE`; PostgreSQL:
`FOR UPDATE`), so concurrent edits apply one after the other and none is lost.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from reelforge.errors import NotFound, NothingToUndo, RevisionConflict
from reelforge.spec import Project as ProjectDocument
from reelforge.spec import canonical_document, parse_project
from reelforge.store.db import write_transaction
from reelforge.store.edits import Document, Edit
from reelforge.store.models import Project, ProjectState, utcnow

HISTORY_LIMIT = 200
RefCheck = Callable[[ProjectDocument], None]
"""Raises ProjectError naming the field of a media reference the user may not use."""


@dataclass(frozen=True)
class ProjectView:
    """A project as the API shows it."""

    id: str
    title: str
    revision: int
    document: ProjectDocument
    created_at: dt.datetime
    updated_at: dt.datetime
    can_undo: bool
    can_redo: bool


@dataclass(frozen=True)
class HistoryEntry:
    position: int
    label: str
    created_at: dt.datetime


@dataclass(frozen=True)
class History:
    entries: list[HistoryEntry]
    position: int
    can_undo: bool
    can_redo: bool


def validate(document: Any, check_refs: RefCheck) -> tuple[ProjectDocument, Document]:
    """Parse a document and check its media references; ProjectError names the bad field.
    Returns the project and the document to store (a template keeps its placeholders)."""
    project, canonical = canonical_document(document)
    check_refs(project)
    return project, canonical


def create_project(
    *, session: Session, owner_id: str, document: Any, check_refs: RefCheck
) -> ProjectView:
    with write_transaction(session):  # references are checked where the row is written
        project, canonical = validate(document, check_refs)
        row = Project(owner_id=owner_id, title=project.title, document=canonical)
        session.add(row)
        session.flush()
        session.add(
            ProjectState(project_id=row.id, position=0, label="Create project", document=canonical)
        )
    return _view(row, project, can_undo=False, can_redo=False)


def list_projects(*, session: Session, owner_id: str) -> list[Project]:
    query = select(Project).where(Project.owner_id == owner_id).order_by(Project.updated_at.desc())
    return list(session.scalars(query))


def get_project(*, session: Session, owner_id: str, project_id: str) -> ProjectView:
    row = _load(session, owner_id, project_id, lock=False)
    can_undo, can_redo = _neighbours(session, row)
    return _view(row, parse_project(row.document), can_undo, can_redo)


def get_document(
    *, session: Session, owner_id: str, project_id: str, lock: bool = False
) -> tuple[int, Document]:
    """The current revision and document (as stored); `lock` (in a write transaction) keeps
    edits, undo and redo of the project waiting until the transaction ends."""
    row = _load(session, owner_id, project_id, lock=lock)
    return row.revision, row.document


def delete_project(
    *, session: Session, owner_id: str, project_id: str, if_match: int | None
) -> None:
    with write_transaction(session):
        row = _load(session, owner_id, project_id, lock=True)
        _check_revision(row, if_match)
        session.execute(delete(ProjectState).where(ProjectState.project_id == row.id))
        session.delete(row)


def apply_edit(
    *,
    session: Session,
    owner_id: str,
    project_id: str,
    if_match: int | None,
    edit: Callable[[Document], Edit],
    check_refs: RefCheck,
) -> ProjectView:
    """Apply one edit: validate the result, record it in the history, bump the revision.

    Nothing is stored unless the whole edit is valid. An edit that changes nothing is not
    recorded and leaves the revision as it was.
    """
    with write_transaction(session):
        row = _load(session, owner_id, project_id, lock=True)
        _check_revision(row, if_match)
        new_document, labeler = edit(row.document)
        project, canonical = validate(new_document, check_refs)
        if canonical == row.document:
            can_undo, can_redo = _neighbours(session, row)
            return _view(row, project, can_undo, can_redo)
        position = row.history_position + 1
        stale = (ProjectState.position >= position) | (
            ProjectState.position <= position - HISTORY_LIMIT
        )
        session.execute(delete(ProjectState).where(ProjectState.project_id == row.id, stale))
        label = labeler(row.document, canonical)[:300]
        session.add(
            ProjectState(project_id=row.id, position=position, label=label, document=canonical)
        )
        _show_state(row, canonical, position)
    return _view(row, project, can_undo=True, can_redo=False)


def undo(
    *, session: Session, owner_id: str, project_id: str, if_match: int | None, check_refs: RefCheck
) -> ProjectView:
    """Show the state before the current one. `check_refs` checks the state's media references
    (an asset may have been deleted since it was recorded); if it raises, nothing changes."""
    return _step(session, owner_id, project_id, if_match, -1, check_refs)


def redo(
    *, session: Session, owner_id: str, project_id: str, if_match: int | None, check_refs: RefCheck
) -> ProjectView:
    """Show the state after the current one; as `undo`."""
    return _step(session, owner_id, project_id, if_match, +1, check_refs)


def history(*, session: Session, owner_id: str, project_id: str) -> History:
    row = _load(session, owner_id, project_id, lock=False)
    states = session.execute(
        select(ProjectState.position, ProjectState.label, ProjectState.created_at)
        .where(ProjectState.project_id == row.id)
        .order_by(ProjectState.position)
    ).all()
    entries = [HistoryEntry(position=p, label=label, created_at=at) for p, label, at in states]
    positions = [entry.position for entry in entries]
    return History(
        entries=entries,
        position=row.history_position,
        can_undo=bool(positions) and positions[0] < row.history_position,
        can_redo=bool(positions) and positions[-1] > row.history_position,
    )


def _step(
    session: Session,
    owner_id: str,
    project_id: str,
    if_match: int | None,
    direction: int,
    check_refs: RefCheck,
) -> ProjectView:
    with write_transaction(session):
        row = _load(session, owner_id, project_id, lock=True)
        _check_revision(row, if_match)
        target = row.history_position + direction
        state = session.get(ProjectState, (row.id, target))
        if state is None:
            raise NothingToUndo("nothing to undo" if direction < 0 else "nothing to redo")
        project = parse_project(state.document)
        check_refs(project)
        _show_state(row, state.document, target)
        session.flush()
        can_undo, can_redo = _neighbours(session, row)
    return _view(row, project, can_undo, can_redo)


def _show_state(row: Project, document: Document, position: int) -> None:
    row.document = document
    row.title = str(document.get("title", ""))
    row.history_position = position
    row.revision += 1
    row.updated_at = utcnow()


def _load(session: Session, owner_id: str, project_id: str, *, lock: bool) -> Project:
    query = select(Project).where(Project.id == project_id, Project.owner_id == owner_id)
    if lock:
        query = query.with_for_update()
    row = session.scalar(query)
    if row is None:
        raise NotFound("no such project", field="projectId")
    return row


def _check_revision(row: Project, if_match: int | None) -> None:
    if if_match is not None and if_match != row.revision:
        raise RevisionConflict(
            f"the project changed: it is at revision {row.revision}, not {if_match}",
            field="If-Match",
        )


def _neighbours(session: Session, row: Project) -> tuple[bool, bool]:
    bounds = session.execute(
        select(func.min(ProjectState.position), func.max(ProjectState.position)).where(
            ProjectState.project_id == row.id
        )
    ).one()
    low, high = bounds
    if low is None:
        return False, False
    return low < row.history_position, high > row.history_position


def _view(row: Project, project: ProjectDocument, can_undo: bool, can_redo: bool) -> ProjectView:
    return ProjectView(
        id=row.id,
        title=row.title,
        revision=row.revision,
        document=project,
        created_at=row.created_at,
        updated_at=row.updated_at,
        can_undo=can_undo,
        can_redo=can_redo,
    )
