"""Render jobs in the database: create, read, cancel, and the lease that runs each job once.

A server process takes a job with a conditional UPDATE (only if nobody holds an unexpired lease)
and renews the lease while it renders. If the process dies, the lease runs out and the job is
taken again, by another process or by this one after a restart; the renderer's chunk cache makes
the second run reuse every chunk the first one finished.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from reelforge.errors import NotFound, ShareRevoked
from reelforge.spec import parse_project
from reelforge.store import projects
from reelforge.store.db import write_transaction
from reelforge.store.models import RenderJob, utcnow
from reelforge.store.projects import RefCheck

UNFINISHED = ("queued", "running")
FINISHED = ("succeeded", "failed", "cancelled")


def create_job(
    *,
    session: Session,
    owner_id: str,
    project_id: str,
    preview: bool,
    webhook: str | None,
    check_refs: RefCheck,
) -> RenderJob:
    """Queue a render of the project's current document.

    The document is read (the project locked, so no edit removes a reference meanwhile), and
    `check_refs` holds the assets it names, in the transaction that records the job: an asset
    delete racing this either sees the project or the job use the asset, and refuses, or
    comes first, and `check_refs` raises (and no job is recorded).
    """
    with write_transaction(session):
        revision, document = projects.get_document(
            session=session, owner_id=owner_id, project_id=project_id, lock=True
        )
        check_refs(parse_project(document))
        job = RenderJob(
            owner_id=owner_id,
            project_id=project_id,
            project_revision=revision,
            document=document,
            preview=preview,
            webhook=webhook,
        )
        session.add(job)
    return job


def get_job(*, session: Session, owner_id: str, job_id: str) -> RenderJob:
    job = session.scalar(
        select(RenderJob).where(RenderJob.id == job_id, RenderJob.owner_id == owner_id)
    )
    if job is None:
        raise NotFound("no such render", field="renderId")
    return job


def list_jobs(*, session: Session, owner_id: str, project_id: str) -> list[RenderJob]:
    query = (
        select(RenderJob)
        .where(RenderJob.owner_id == owner_id, RenderJob.project_id == project_id)
        .order_by(RenderJob.created_at.desc())
    )
    return list(session.scalars(query))


def _locked_job(session: Session, *, owner_id: str, job_id: str) -> RenderJob:
    """The owner's job, locked for update (inside a write transaction)."""
    job = session.scalar(
        select(RenderJob)
        .where(RenderJob.id == job_id, RenderJob.owner_id == owner_id)
        .with_for_update()
    )
    if job is None:
        raise NotFound("no such render", field="renderId")
    return job


def request_cancel(*, session: Session, owner_id: str, job_id: str) -> RenderJob:
    """Cancel a job: a queued one at once, a running one when its renderer next checks."""
    with write_transaction(session):
        job = _locked_job(session, owner_id=owner_id, job_id=job_id)
        if job.status == "queued":
            _finish(job, "cancelled", error=("cancelled", "the render was cancelled"))
        elif job.status == "running":
            job.cancel_requested = True
            job.updated_at = utcnow()
    return job


def revoke_shares(*, session: Session, owner_id: str, job_id: str) -> int:
    """Make every share link issued so far for a render stop working; returns the generation
    that links issued from now on carry."""
    with write_transaction(session):
        job = _locked_job(session, owner_id=owner_id, job_id=job_id)
        job.share_generation += 1
        job.updated_at = utcnow()
        return job.share_generation


def get_shared_job(*, session: Session, job_id: str, generation: int) -> RenderJob:
    """The render a (correctly signed) share link of `generation` names."""
    job = session.get(RenderJob, job_id)
    if job is None:
        raise NotFound("this share link is invalid or has expired", field="token")
    if job.share_generation != generation:
        raise ShareRevoked("this share link was revoked", field="token")
    return job


def cancel_unfinished_of_project(*, session: Session, owner_id: str, project_id: str) -> None:
    with write_transaction(session):
        session.execute(
            update(RenderJob)
            .where(
                RenderJob.owner_id == owner_id,
                RenderJob.project_id == project_id,
                RenderJob.status.in_(UNFINISHED),
            )
            .values(cancel_requested=True)
        )


def claim_next(*, session: Session, worker: str, lease: dt.timedelta) -> RenderJob | None:
    """Take the oldest job nobody is running (or whose runner's lease ran out)."""
    now = utcnow()
    claimable = (RenderJob.status.in_(UNFINISHED)) & or_(
        RenderJob.lease_owner.is_(None), RenderJob.lease_expires_at < now
    )
    candidates = session.scalars(
        select(RenderJob.id).where(claimable).order_by(RenderJob.created_at).limit(5)
    ).all()
    session.rollback()
    for job_id in candidates:
        with write_transaction(session):
            taken = session.execute(
                update(RenderJob)
                .where(RenderJob.id == job_id, claimable)
                .values(
                    lease_owner=worker,
                    lease_expires_at=now + lease,
                    status="running",
                    attempts=RenderJob.attempts + 1,
                    updated_at=now,
                )
            )
        if taken.rowcount == 1:  # type: ignore[attr-defined]
            job = session.get(RenderJob, job_id, populate_existing=True)
            session.commit()  # ends the read; attributes stay loaded (expire_on_commit=False)
            return job
    return None


def renew(
    *,
    session: Session,
    job_id: str,
    worker: str,
    lease: dt.timedelta,
    progress: dict[str, Any] | None = None,
) -> tuple[bool, bool]:
    """Extend the lease (and save progress). Returns (still ours, cancel requested)."""
    now = utcnow()
    values: dict[str, Any] = {"lease_expires_at": now + lease, "updated_at": now}
    if progress:
        values.update(progress)
    with write_transaction(session):
        result = session.execute(
            update(RenderJob)
            .where(
                RenderJob.id == job_id,
                RenderJob.lease_owner == worker,
                RenderJob.status == "running",
            )
            .values(**values)
        )
        cancel = session.scalar(select(RenderJob.cancel_requested).where(RenderJob.id == job_id))
    return result.rowcount == 1, bool(cancel)  # type: ignore[attr-defined]


def release(*, session: Session, job_id: str, worker: str) -> None:
    """Give a job back unfinished (this process is stopping); another run resumes it."""
    with write_transaction(session):
        session.execute(
            update(RenderJob)
            .where(RenderJob.id == job_id, RenderJob.lease_owner == worker)
            .values(lease_owner=None, lease_expires_at=None)
        )


def finish(
    *,
    session: Session,
    job_id: str,
    worker: str,
    status: str,
    result: dict[str, Any] | None = None,
    error: tuple[str, str] | None = None,
) -> RenderJob | None:
    """Record the end of a job we hold; None if the lease was lost meanwhile."""
    with write_transaction(session):
        job = session.scalar(select(RenderJob).where(RenderJob.id == job_id).with_for_update())
        if job is None or job.lease_owner != worker or job.status != "running":
            return None
        _finish(job, status, result=result, error=error)
    return job


def unsent_webhooks(*, session: Session, finished_before: dt.datetime) -> list[RenderJob]:
    """Finished jobs whose webhook was never sent: the process that finished them stopped
    before it could (a crash between `finish` and `mark_webhook_sent`)."""
    query = select(RenderJob).where(
        RenderJob.status.in_(FINISHED),
        RenderJob.webhook.is_not(None),
        RenderJob.webhook_sent.is_(False),
        RenderJob.finished_at < finished_before,
    )
    return list(session.scalars(query))


def mark_webhook_sent(*, session: Session, job_id: str) -> None:
    with write_transaction(session):
        session.execute(update(RenderJob).where(RenderJob.id == job_id).values(webhook_sent=True))


def _finish(
    job: RenderJob,
    status: str,
    *,
    result: dict[str, Any] | None = None,
    error: tuple[str, str] | None = None,
) -> None:
    now = utcnow()
    job.status = status
    job.phase = "done" if status == "succeeded" else status
    job.result = result
    if status == "succeeded":
        job.percent = 100.0
        job.eta_seconds = 0.0
    if error is not None:
        job.error_code, job.error_message = error
    job.lease_owner = None
    job.lease_expires_at = None
    job.finished_at = now
    job.updated_at = now
