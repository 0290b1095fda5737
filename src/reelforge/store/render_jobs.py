"""Render jobs in the database: create, read, cancel, and the lease that runs each job once.

A server process takes a job with a conditional UPDATE (only if nobody holds an unexpired lease)
and renews the lease while it renders. If the process dies, the lease runs out and the job is
taken again, by another process or by this one after a restart; the renderer's chunk cache makes
the second run reuse every chunk the first one finished.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from reelforge.errors import IdempotencyConflict, NotFound, ShareRevoked, TooManyRequests
from reelforge.spec import parse_project
from reelforge.store import projects
from reelforge.store.db import write_transaction
from reelforge.store.models import RenderJob, utcnow
from reelforge.store.projects import RefCheck

UNFINISHED = ("queued", "running")
FINISHED = ("succeeded", "failed", "cancelled")
QUEUE_FULL_RETRY_AFTER = 30  # seconds a client with a full queue is asked to wait


def create_job(
    *,
    session: Session,
    owner_id: str,
    project_id: str,
    preview: bool,
    webhook: str | None,
    check_refs: RefCheck,
    formats: Sequence[str] = ("mp4",),
    max_unfinished: int | None = None,
) -> RenderJob:
    """Queue a render of the project's current document (see `create_job_once`)."""
    job, _ = create_job_once(
        session=session,
        owner_id=owner_id,
        project_id=project_id,
        preview=preview,
        webhook=webhook,
        check_refs=check_refs,
        formats=formats,
        max_unfinished=max_unfinished,
    )
    return job


def create_job_once(
    *,
    session: Session,
    owner_id: str,
    project_id: str,
    preview: bool,
    webhook: str | None,
    check_refs: RefCheck,
    formats: Sequence[str] = ("mp4",),
    idempotency_key: str | None = None,
    request_hash: str | None = None,
    max_unfinished: int | None = None,
) -> tuple[RenderJob, bool]:
    """Queue a render of the project's current document; returns the job and whether it was
    created now (False: an earlier request with the same `idempotency_key` made it).

    The document is read (the project locked, so no edit removes a reference meanwhile), and
    `check_refs` holds the assets it names, in the transaction that records the job: an asset
    delete racing this either sees the project or the job use the asset, and refuses, or
    comes first, and `check_refs` raises (and no job is recorded).

    The same `idempotency_key` with another `request_hash` raises IdempotencyConflict; an owner
    with `max_unfinished` queued or running jobs gets TooManyRequests.
    """
    try:
        with write_transaction(session):
            if idempotency_key is not None:
                earlier = _by_idempotency_key(session, owner_id, idempotency_key)
                if earlier is not None:
                    if earlier.request_hash != request_hash:
                        raise IdempotencyConflict(
                            "this Idempotency-Key was used for a different request",
                            field="Idempotency-Key",
                        )
                    return earlier, False
            if (
                max_unfinished is not None
                and count_unfinished(session=session, owner_id=owner_id) >= max_unfinished
            ):
                raise TooManyRequests(
                    f"you have {max_unfinished} renders queued or running "
                    "(REELFORGE_MAX_QUEUED_RENDERS_PER_USER); wait for one to finish",
                    retry_after=QUEUE_FULL_RETRY_AFTER,
                )
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
                idempotency_key=idempotency_key,
                request_hash=request_hash if idempotency_key is not None else None,
                # the outputs asked for wait in `result` until the render replaces it
                result={"formats": list(formats)},
            )
            session.add(job)
    except IntegrityError:  # a concurrent request with the same key won the race
        session.rollback()
        earlier = _by_idempotency_key(session, owner_id, idempotency_key or "")
        if earlier is None:
            raise
        if earlier.request_hash != request_hash:
            raise IdempotencyConflict(
                "this Idempotency-Key was used for a different request", field="Idempotency-Key"
            ) from None
        return earlier, False
    return job, True


def find_by_idempotency_key(*, session: Session, owner_id: str, key: str) -> RenderJob | None:
    """The owner's job created by a request with this `Idempotency-Key`, if any."""
    return _by_idempotency_key(session, owner_id, key)


def _by_idempotency_key(session: Session, owner_id: str, key: str) -> RenderJob | None:
    return session.scalar(
        select(RenderJob).where(RenderJob.owner_id == owner_id, RenderJob.idempotency_key == key)
    )


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


def claim_next(
    *,
    session: Session,
    worker: str,
    lease: dt.timedelta,
    max_running_per_user: int | None = None,
) -> RenderJob | None:
    """Take a job nobody is running (or whose runner's lease ran out), fairly across users.

    Users take turns: the next job is the oldest one of the user with the fewest running jobs,
    and among those the user served least recently (whose latest job started earliest, or
    never). So a user's deep queue cannot keep another user's render waiting for more than one
    job slot. Users already running `max_running_per_user` jobs wait.
    """
    now = utcnow()
    claimable = (RenderJob.status.in_(UNFINISHED)) & or_(
        RenderJob.lease_owner.is_(None), RenderJob.lease_expires_at < now
    )
    waiting = session.execute(
        select(RenderJob.owner_id, func.min(RenderJob.created_at))
        .where(claimable)
        .group_by(RenderJob.owner_id)
    ).all()
    if not waiting:
        session.rollback()
        return None
    owners = [owner for owner, _ in waiting]
    running = dict(
        session.execute(
            select(RenderJob.owner_id, func.count())
            .where(
                RenderJob.owner_id.in_(owners),
                RenderJob.status == "running",
                RenderJob.lease_owner.is_not(None),
                RenderJob.lease_expires_at >= now,
            )
            .group_by(RenderJob.owner_id)
        ).all()
    )
    last_start = dict(
        session.execute(
            select(RenderJob.owner_id, func.max(RenderJob.started_at))
            .where(RenderJob.owner_id.in_(owners))
            .group_by(RenderJob.owner_id)
        ).all()
    )
    never = dt.datetime.min.replace(tzinfo=dt.UTC)
    turns = sorted(
        (
            (int(running.get(owner, 0)), _aware(last_start.get(owner)) or never, oldest, owner)
            for owner, oldest in waiting
            if max_running_per_user is None or running.get(owner, 0) < max_running_per_user
        ),
    )
    candidates: list[str] = []
    for *_, owner in turns:
        candidates += session.scalars(
            select(RenderJob.id)
            .where(claimable, RenderJob.owner_id == owner)
            .order_by(RenderJob.created_at)
            .limit(2)
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
                    started_at=func.coalesce(RenderJob.started_at, now),
                    updated_at=now,
                )
            )
        if taken.rowcount == 1:  # type: ignore[attr-defined]
            job = session.get(RenderJob, job_id, populate_existing=True)
            session.commit()  # ends the read; attributes stay loaded (expire_on_commit=False)
            return job
    return None


def _aware(value: dt.datetime | None) -> dt.datetime | None:
    """Aggregates come back without the column type's time zone on some databases."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=dt.UTC)


def is_cancel_requested(*, session: Session, job_id: str) -> bool:
    """A cheap read for a running job's renderer to notice a cancel quickly."""
    requested = session.scalar(select(RenderJob.cancel_requested).where(RenderJob.id == job_id))
    session.rollback()
    return bool(requested)


def count_unfinished(*, session: Session, owner_id: str) -> int:
    """The owner's queued and running jobs."""
    return int(
        session.scalar(
            select(func.count())
            .select_from(RenderJob)
            .where(RenderJob.owner_id == owner_id, RenderJob.status.in_(UNFINISHED))
        )
        or 0
    )


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
    asked = (job.result or {}).get("formats")  # a failed or cancelled job still says what it was
    job.result = result if result is not None else ({"formats": asked} if asked else None)
    if status == "succeeded":
        job.percent = 100.0
        job.eta_seconds = 0.0
    if error is not None:
        job.error_code, job.error_message = error
    job.lease_owner = None
    job.lease_expires_at = None
    job.finished_at = now
    job.updated_at = now


def remove_project_renders(*, session: Session, owner_id: str, project_id: str) -> list[str]:
    """The project is gone: its finished renders are deleted (so their share links answer 404)
    and its unfinished ones cancelled. Returns the ids whose output folders to remove."""
    with write_transaction(session):
        jobs = session.scalars(
            select(RenderJob)
            .where(RenderJob.owner_id == owner_id, RenderJob.project_id == project_id)
            .with_for_update()
        ).all()
        for job in jobs:
            if job.status in FINISHED:
                session.delete(job)
            else:
                job.cancel_requested = True
                job.share_generation += 1
                job.updated_at = utcnow()
    return [job.id for job in jobs]


def expire_outputs(*, session: Session, finished_before: dt.datetime) -> list[str]:
    """Renders finished before the cut-off lose their outputs (the retention setting): their
    rows stay, without files, and their share links stop working. Returns their ids."""
    with write_transaction(session):
        jobs = session.scalars(
            select(RenderJob)
            .where(
                RenderJob.status.in_(FINISHED),
                RenderJob.finished_at < finished_before,
                RenderJob.result.is_not(None),
            )
            .with_for_update()
        ).all()
        expired = []
        for job in jobs:
            if (job.result or {}).get("files"):
                job.result = {**(job.result or {}), "files": {}, "expired": True}
                job.share_generation += 1
                job.updated_at = utcnow()
                expired.append(job.id)
    return expired


def oldest_running_start(*, session: Session) -> dt.datetime | None:
    """When the longest-running of the running renders (in any process) started."""
    started = session.scalar(
        select(func.min(RenderJob.started_at)).where(RenderJob.status == "running")
    )
    session.rollback()
    return _aware(started)
