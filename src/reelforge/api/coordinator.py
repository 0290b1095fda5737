"""The render coordinator: runs queued render jobs in background threads.

At most `max_jobs` jobs render at once in this process. A job is taken with a lease in the
database (see `store.render_jobs`), so with several server processes each job runs in one of
them; on start, jobs left unfinished by a crash are taken again once their lease runs out and
resume with every finished chunk reused from the chunk cache, and webhooks a crash kept from
being sent are sent.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx

from reelforge.api.lifecycle import sweep_expired
from reelforge.api.webhooks import WebhookPolicy, user_secret
from reelforge.errors import ReelforgeError, RenderCancelled, WebhookRefused, new_error_id
from reelforge.spec import parse_project
from reelforge.store import render_jobs
from reelforge.store.assets import OwnerAssetResolver
from reelforge.store.chunk_cache import Pruned, enforce_budget
from reelforge.store.db import Database
from reelforge.store.media import MediaStore
from reelforge.store.models import RenderJob, utcnow

if TYPE_CHECKING:
    from reelforge.render.pipeline import Progress

logger = logging.getLogger("reelforge.api.renders")

PROGRESS_INTERVAL = 0.25  # seconds between progress writes while a phase runs
SWEEP_SECONDS = 60.0  # how often expired render outputs are looked for
CANCEL_POLL_SECONDS = 0.5  # how often a running job reads its cancel flag
# A cancelled job whose renderer has not stopped after this long (one long step of speech
# synthesis, say) is recorded as cancelled anyway; the step's result is thrown away.
CANCEL_GRACE_SECONDS = 1.0
WEBHOOK_ATTEMPTS = 3


class RenderCoordinator:
    """Takes render jobs from the database and runs them, `max_jobs` at a time."""

    def __init__(
        self,
        *,
        db: Database,
        media: MediaStore,
        data_dir: Path,
        max_jobs: int = 1,
        lease_seconds: float = 15.0,
        poll_seconds: float = 1.0,
        job_view: Callable[[RenderJob], dict[str, Any]],
        webhooks: WebhookPolicy | None = None,
        max_running_per_user: int | None = None,
        webhook_key: bytes | None = None,
        retention: dt.timedelta | None = None,
        chunk_cache_bytes: int | None = None,
    ) -> None:
        self.db = db
        self.media = media
        self.data_dir = data_dir
        self.max_jobs = max_jobs
        self.max_running_per_user = max_running_per_user
        self.webhook_key = webhook_key
        self.retention = retention
        self.chunk_cache_bytes = chunk_cache_bytes
        self._next_sweep = 0.0
        self.lease = dt.timedelta(seconds=lease_seconds)
        self.poll_seconds = poll_seconds
        self.worker = f"{uuid.uuid4().hex[:12]}"
        self._job_view = job_view
        self.webhooks = webhooks or WebhookPolicy()
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._running: dict[str, threading.Event] = {}
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._resender: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, name="render-coordinator", daemon=True)
        self._thread.start()

    def wake(self) -> None:
        """Look for work now (a job was just queued)."""
        self._wake.set()

    def stop(self, timeout: float = 10.0) -> None:
        """Stop taking jobs; running jobs are cancelled and handed back unfinished."""
        self._stopping.set()
        self._wake.set()
        with self._lock:
            for cancel in self._running.values():
                cancel.set()
        if self._thread is not None:
            self._thread.join(timeout)
        deadline = time.monotonic() + timeout
        while self._running and time.monotonic() < deadline:
            time.sleep(0.05)
        from reelforge.ffmpeg import kill_all

        kill_all()  # a job that did not stop in time leaves no FFmpeg behind

    def cancel(self, job_id: str) -> None:
        """A cancel was just recorded: stop the job now if this process runs it (other
        processes notice within `CANCEL_POLL_SECONDS`)."""
        with self._lock:
            event = self._running.get(job_id)
        if event is not None:
            event.set()

    def _loop(self) -> None:
        while not self._stopping.is_set():
            try:
                self._take_jobs()
                self._resend_webhooks()
                self._sweep()
            except Exception:
                logger.exception("render coordinator: cannot take jobs")
            self._wake.wait(self.poll_seconds)
            self._wake.clear()

    def _sweep(self) -> None:
        """Remove expired render outputs and keep the chunk cache in its budget (at most once
        a minute)."""
        if time.monotonic() < self._next_sweep:
            return
        self._next_sweep = time.monotonic() + SWEEP_SECONDS
        if self.retention is not None:
            sweep_expired(
                db=self.db, renders_dir=self.data_dir / "renders", retention=self.retention
            )
        if self.chunk_cache_bytes is not None:
            self.prune_chunk_cache()

    def prune_chunk_cache(self) -> Pruned:
        """Bring the chunk cache within its budget, keeping every chunk a running render uses."""
        assert self.chunk_cache_bytes is not None
        with self.db.session() as session:
            oldest = render_jobs.oldest_running_start(session=session)
        protect_since = oldest.timestamp() if oldest is not None else time.time()
        return enforce_budget(
            self.data_dir / "cache",
            budget_bytes=self.chunk_cache_bytes,
            protect_since=protect_since,
        )

    def _take_jobs(self) -> None:
        while len(self._running) < self.max_jobs and not self._stopping.is_set():
            with self.db.session() as session:
                job = render_jobs.claim_next(
                    session=session,
                    worker=self.worker,
                    lease=self.lease,
                    max_running_per_user=self.max_running_per_user,
                )
            if job is None:
                return
            cancel = threading.Event()
            with self._lock:
                self._running[job.id] = cancel
            threading.Thread(
                target=self._run, args=(job, cancel), name=f"render-{job.id[:8]}", daemon=True
            ).start()

    def _run(self, job: RenderJob, cancel: threading.Event) -> None:
        heartbeat = _Heartbeat(self, job.id, cancel)
        heartbeat.start()
        outcome: tuple[str, dict[str, Any] | None, tuple[str, str] | None] | None = None
        try:
            outcome = ("succeeded", self._render(job, heartbeat, cancel), None)
        except RenderCancelled:
            if not (self._stopping.is_set() or heartbeat.lost):
                outcome = ("cancelled", None, ("cancelled", "the render was cancelled"))
        except ReelforgeError as exc:
            outcome = ("failed", None, (exc.code, str(exc)))
        except Exception as exc:
            error_id = new_error_id()
            logger.exception("render %s failed: unexpected error %s", job.id, error_id)
            reason = f"internal error {error_id} ({type(exc).__name__}), in the server log"
            outcome = ("failed", None, ("internal", reason))
        finally:
            heartbeat.stop()
            with self._lock:
                self._running.pop(job.id, None)
        with self.db.session() as session:
            if outcome is None:  # stopping or lease lost: leave the job for another run
                render_jobs.release(session=session, job_id=job.id, worker=self.worker)
                return
            status, result, error = outcome
            finished = render_jobs.finish(
                session=session,
                job_id=job.id,
                worker=self.worker,
                status=status,
                result=result,
                error=error,
            )
        if finished is not None and finished.webhook:
            self._send_webhook(finished)
        self._wake.set()

    def _render(
        self, job: RenderJob, heartbeat: _Heartbeat, cancel: threading.Event
    ) -> dict[str, Any]:
        from reelforge.delivery.outputs import DEFAULT_NAMES
        from reelforge.render.pipeline import RenderOptions, render_project

        formats = list((job.result or {}).get("formats") or ["mp4"])
        project = parse_project(job.document)
        out_dir = self.data_dir / "renders" / job.id
        out_dir.mkdir(parents=True, exist_ok=True)
        resolver = OwnerAssetResolver(db=self.db, media=self.media, owner_id=job.owner_id)
        result = render_project(
            project,
            resolver=resolver,
            out=out_dir / "video.mp4",
            options=RenderOptions(preview=job.preview, cache_dir=self.data_dir / "cache"),
            on_progress=heartbeat.progress,
            cancel=cancel,
            outputs=[out_dir / DEFAULT_NAMES[f] for f in formats if f != "mp4"],
        )
        extra = [(f, out_dir / DEFAULT_NAMES[f]) for f in formats if f != "mp4"]
        relative = {
            name: str(path.resolve().relative_to(self.data_dir.resolve()))
            for name, path in (
                ("video", result.video),
                ("srt", result.srt),
                ("vtt", result.vtt),
                ("poster", result.poster),
                *extra,
            )
        }
        return {
            "files": relative,
            "formats": formats,
            "frames": result.frames,
            "duration": result.duration,
            "chunksRendered": result.chunks_rendered,
            "chunksCached": result.chunks_cached,
        }

    def _resend_webhooks(self) -> None:
        """Send the webhooks that a stopped process owed (at least once: a process that is
        still sending its own gets a lease's time before anyone else tries)."""
        if self._resender is not None and self._resender.is_alive():
            return
        with self.db.session() as session:
            owed = render_jobs.unsent_webhooks(
                session=session, finished_before=utcnow() - 2 * self.lease
            )
        if owed:

            def send_all() -> None:
                for job in owed:
                    self._send_webhook(job)

            self._resender = threading.Thread(target=send_all, name="render-webhooks", daemon=True)
            self._resender.start()

    def _send_webhook(self, job: RenderJob) -> None:
        assert job.webhook is not None
        payload = {"event": "render.finished", "render": self._job_view(job)}
        secret = user_secret(self.webhook_key, job.owner_id) if self.webhook_key else None
        for attempt in range(WEBHOOK_ATTEMPTS):
            try:  # checked again at each try: the host may resolve elsewhere by now
                response = self.webhooks.post(job.webhook, payload, timeout=10.0, secret=secret)
                if response.status_code < 500:
                    break
            except WebhookRefused as exc:
                logger.warning("webhook of render %s not sent: %s", job.id, exc)
                break
            except httpx.HTTPError as exc:
                logger.warning("webhook of render %s: %s", job.id, exc)
            time.sleep(0.5 * 2**attempt)
        with self.db.session() as session:
            render_jobs.mark_webhook_sent(session=session, job_id=job.id)


class _Heartbeat:
    """Renews a job's lease, saves its progress, and notices a cancel request."""

    def __init__(self, owner: RenderCoordinator, job_id: str, cancel: threading.Event) -> None:
        self._owner = owner
        self._job_id = job_id
        self._cancel = cancel
        self._done = threading.Event()
        self._latest: dict[str, Any] | None = None
        self._saved_phase: str | None = None
        self._last_save = 0.0
        self._lock = threading.Lock()
        self.lost = False
        self._thread = threading.Thread(target=self._loop, daemon=True, name="render-heartbeat")

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._done.set()
        self._thread.join(5.0)

    def progress(self, progress: Progress) -> None:
        """`on_progress` of the renderer: saved at once on a new phase, else every 0.25 s."""
        values = {
            "phase": progress.phase,
            "chunks_done": progress.chunks_done,
            "chunks_total": progress.chunks_total,
            "percent": round(float(progress.percent), 2),
            "eta_seconds": progress.eta_seconds,
        }
        with self._lock:
            self._latest = values
            due = time.monotonic() - self._last_save >= PROGRESS_INTERVAL
            urgent = progress.phase != self._saved_phase
        if due or urgent:
            self._save()

    def _loop(self) -> None:
        interval = self._owner.lease.total_seconds() / 3
        next_save = time.monotonic() + interval
        cancelled_at: float | None = None
        while not self._done.wait(CANCEL_POLL_SECONDS):
            if time.monotonic() >= next_save:
                self._save()
                next_save = time.monotonic() + interval
            elif not self._cancel.is_set() and self._cancel_requested():
                self._cancel.set()
            if self._cancel.is_set() and not self.lost:
                cancelled_at = cancelled_at or time.monotonic()
                if time.monotonic() - cancelled_at >= CANCEL_GRACE_SECONDS:
                    self._finish_cancelled()

    def _cancel_requested(self) -> bool:
        try:
            with self._owner.db.session() as session:
                return render_jobs.is_cancel_requested(session=session, job_id=self._job_id)
        except Exception:
            logger.exception("render %s: cannot read its cancel flag", self._job_id)
            return False

    def _finish_cancelled(self) -> None:
        """Record the cancel without waiting for the renderer (it stops at its next check and
        its outcome is dropped: the job is no longer ours to finish)."""
        if self._owner._stopping.is_set():
            return
        with self._owner.db.session() as session:
            finished = render_jobs.finish(
                session=session,
                job_id=self._job_id,
                worker=self._owner.worker,
                status="cancelled",
                error=("cancelled", "the render was cancelled"),
            )
        self.lost = True
        if finished is not None and finished.webhook:
            threading.Thread(
                target=self._owner._send_webhook, args=(finished,), daemon=True
            ).start()

    def _save(self) -> None:
        with self._lock:
            values, self._latest = self._latest, None
            self._last_save = time.monotonic()
            if values is not None:
                self._saved_phase = values["phase"]
        try:
            with self._owner.db.session() as session:
                ours, cancel = render_jobs.renew(
                    session=session,
                    job_id=self._job_id,
                    worker=self._owner.worker,
                    lease=self._owner.lease,
                    progress=values,
                )
        except Exception:
            logger.exception("render %s: cannot save progress", self._job_id)
            return
        if not ours:
            self.lost = True
        if cancel or not ours:
            self._cancel.set()
