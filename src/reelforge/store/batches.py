"""Batches in the database: a project's template rendered once per row, each row an ordinary
render job (its own outputs, share links, cancel), and the batch's status derived from them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from reelforge.batch.rows import Row
from reelforge.errors import IdempotencyConflict, NotFound, ReelforgeError
from reelforge.spec import parse_project
from reelforge.store import projects, render_jobs
from reelforge.store.db import write_transaction
from reelforge.store.models import Batch, RenderJob, utcnow
from reelforge.store.projects import RefCheck

FINAL = ("succeeded", "partial", "failed", "cancelled")


@dataclass(frozen=True)
class BatchRowView:
    """One row: its id, status (a render's status, or `failed` when it could not be filled in),
    its render's id and its error."""

    id: str
    status: str
    render_id: str | None
    error: str | None
    job: RenderJob | None


@dataclass(frozen=True)
class BatchView:
    batch: Batch
    status: str  # queued | running | succeeded | partial | failed | cancelled
    rows: list[BatchRowView]


def create_batch(
    *,
    session: Session,
    owner_id: str,
    project_id: str,
    rows: Sequence[Row],
    preview: bool,
    webhook: str | None,
    check_refs: RefCheck,
    idempotency_key: str | None = None,
    request_hash: str | None = None,
) -> tuple[BatchView, bool]:
    """Fill the project's template with each row and queue one render job per row; returns
    the batch and whether it was created now (False: an earlier request with the same
    `idempotency_key` and `request_hash` made it; another hash raises IdempotencyConflict).

    A row that cannot be filled in (a missing or wrong value, an unknown asset, a render past
    the server's limits, as `check_refs` decides) is recorded as failed with its one-line
    error; the others are queued. All in one transaction.
    """
    if idempotency_key is not None:
        earlier = find_by_idempotency_key(
            session=session, owner_id=owner_id, key=idempotency_key, request_hash=request_hash
        )
        if earlier is not None:
            return earlier, False
    try:
        view = _create(
            session=session, owner_id=owner_id, project_id=project_id, rows=rows,
            preview=preview, webhook=webhook, check_refs=check_refs,
            idempotency_key=idempotency_key, request_hash=request_hash,
        )  # fmt: skip
    except IntegrityError:  # a concurrent request with the same key won the race
        session.rollback()
        earlier = find_by_idempotency_key(
            session=session, owner_id=owner_id, key=idempotency_key or "", request_hash=request_hash
        )
        if earlier is None:
            raise
        return earlier, False
    return view, True


def find_by_idempotency_key(
    *, session: Session, owner_id: str, key: str, request_hash: str | None
) -> BatchView | None:
    """The owner's batch made by a request with this `Idempotency-Key`, if any; a different
    request under the same key raises IdempotencyConflict."""
    batch = session.scalar(
        select(Batch).where(Batch.owner_id == owner_id, Batch.idempotency_key == key)
    )
    if batch is None:
        return None
    if batch.request_hash != request_hash:
        raise IdempotencyConflict(
            "this Idempotency-Key was used for a different request", field="Idempotency-Key"
        )
    return _view(session, batch)


def _create(
    *,
    session: Session,
    owner_id: str,
    project_id: str,
    rows: Sequence[Row],
    preview: bool,
    webhook: str | None,
    check_refs: RefCheck,
    idempotency_key: str | None,
    request_hash: str | None,
) -> BatchView:
    with write_transaction(session):
        revision, document = projects.get_document(
            session=session, owner_id=owner_id, project_id=project_id, lock=True
        )
        entries: list[dict[str, Any]] = []
        for row in rows:
            try:
                project = parse_project(document, row.values)
                check_refs(project)
            except ReelforgeError as exc:
                entries.append({"id": row.id, "renderId": None, "error": f"{row.label}: {exc}"})
                continue
            concrete = project.to_document()
            concrete["variables"] = {}  # a filled-in row is not a template
            job = RenderJob(
                owner_id=owner_id,
                project_id=project_id,
                project_revision=revision,
                document=concrete,
                preview=preview,
            )
            session.add(job)
            session.flush()
            entries.append({"id": row.id, "renderId": job.id, "error": None})
        batch = Batch(
            owner_id=owner_id,
            project_id=project_id,
            project_revision=revision,
            preview=preview,
            webhook=webhook,
            rows=entries,
            idempotency_key=idempotency_key,
            request_hash=request_hash if idempotency_key is not None else None,
        )
        session.add(batch)
    return _view(session, batch)


def get_batch(*, session: Session, owner_id: str, batch_id: str) -> BatchView:
    batch = session.scalar(select(Batch).where(Batch.id == batch_id, Batch.owner_id == owner_id))
    if batch is None:
        raise NotFound("no such batch", field="batchId")
    return _view(session, batch)


def cancel_batch(*, session: Session, owner_id: str, batch_id: str) -> BatchView:
    """Cancel every row's render that has not finished (queued ones at once)."""
    view = get_batch(session=session, owner_id=owner_id, batch_id=batch_id)
    with write_transaction(session):
        session.execute(
            update(Batch).where(Batch.id == view.batch.id).values(cancel_requested=True)
        )
    for row in view.rows:
        if row.job is not None and row.job.status in render_jobs.UNFINISHED:
            render_jobs.request_cancel(session=session, owner_id=owner_id, job_id=row.job.id)
    session.expire_all()
    return get_batch(session=session, owner_id=owner_id, batch_id=batch_id)


def claim_finished(*, session: Session) -> list[BatchView]:
    """Batches whose rows have all finished and that no process has marked finished yet:
    marks them (a conditional UPDATE, so one process wins each) and returns them."""
    open_ids = session.scalars(select(Batch.id).where(Batch.finished_at.is_(None))).all()
    won: list[BatchView] = []
    for batch_id in open_ids:
        batch = session.get(Batch, batch_id)
        if batch is None:
            continue
        view = _view(session, batch)
        if view.status not in FINAL:
            continue
        with write_transaction(session):
            claimed = session.execute(
                update(Batch)
                .where(Batch.id == batch_id, Batch.finished_at.is_(None))
                .values(finished_at=_finished_at(view))
            )
        if claimed.rowcount == 1:  # type: ignore[attr-defined]
            session.refresh(batch)
            won.append(_view(session, batch))
    return won


def _finished_at(view: BatchView) -> dt.datetime:
    times = [r.job.finished_at for r in view.rows if r.job is not None and r.job.finished_at]
    return max(times) if times else utcnow()


def _view(session: Session, batch: Batch) -> BatchView:
    ids = [r["renderId"] for r in batch.rows if r.get("renderId")]
    jobs: Mapping[str, RenderJob] = (
        {j.id: j for j in session.scalars(select(RenderJob).where(RenderJob.id.in_(ids)))}
        if ids
        else {}
    )
    rows = []
    for entry in batch.rows:
        job = jobs.get(entry["renderId"]) if entry.get("renderId") else None
        if job is None:
            rows.append(BatchRowView(entry["id"], "failed", None, entry.get("error"), None))
            continue
        error = job.error_message if job.status in ("failed", "cancelled") else None
        rows.append(BatchRowView(entry["id"], job.status, job.id, error, job))
    return BatchView(batch=batch, status=batch_status(batch, rows), rows=rows)


def batch_status(batch: Batch, rows: Sequence[BatchRowView]) -> str:
    """`queued` until a row's render starts, `running` until every row has finished, then
    `cancelled` (if cancelled), `succeeded` (all rows), `failed` (none) or `partial`."""
    statuses = [r.status for r in rows]
    if any(s in render_jobs.UNFINISHED for s in statuses):
        started = any(r.job is not None and r.status != "queued" for r in rows)
        return "running" if started else "queued"
    if batch.cancel_requested and "cancelled" in statuses:
        return "cancelled"
    succeeded = statuses.count("succeeded")
    if rows and succeeded == len(rows):
        return "succeeded"
    return "partial" if succeeded else "failed"
