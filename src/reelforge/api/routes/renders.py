"""Render jobs: start, follow (JSON and server-sent events), cancel, fetch and share outputs."""

from __future__ import annotations

import asyncio
import base64
import datetime as dt
import hashlib
import hmac
import json
import mimetypes
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from anyio import to_thread
from fastapi import APIRouter, Response
from fastapi.responses import FileResponse, StreamingResponse

from reelforge.api.context import AppContext
from reelforge.api.deps import ContextDep, CurrentUser, IdempotencyKey, SessionDep
from reelforge.api.schemas import RenderCreate, RenderPublic, ShareCreate, SharePublic
from reelforge.errors import IdempotencyConflict, NotFound
from reelforge.spec import parse_project
from reelforge.store import assets, projects, render_jobs
from reelforge.store.models import RenderJob

router = APIRouter(tags=["renders"])

FILES = {  # name -> (URL suffix, media type)
    "video": ("output", "video/mp4"),
    "srt": ("captions.srt", "application/x-subrip"),
    "vtt": ("captions.vtt", "text/vtt"),
    "poster": ("poster", "image/jpeg"),
    "webm": ("output.webm", "video/webm"),
    "gif": ("output.gif", "image/gif"),
    "mp3": ("output.mp3", "audio/mpeg"),
    "hls": ("hls/master.m3u8", "application/vnd.apple.mpegurl"),
}
# What an HLS folder holds: playlists, the init and media segments, the thumbnails track.
HLS_TYPES = {
    ".m3u8": "application/vnd.apple.mpegurl",
    ".mp4": "video/mp4",
    ".m4s": "video/iso.segment",
    ".vtt": "text/vtt",
    ".jpg": "image/jpeg",
}
ALWAYS = frozenset({"video", "srt", "vtt", "poster"})
FILES_BY_FORMAT = {"mp4": "video", "hls": "hls", "webm": "webm", "gif": "gif", "mp3": "mp3"}
SSE_POLL_SECONDS = 0.3
SSE_KEEPALIVE_SECONDS = 15.0


def render_public(job: RenderJob) -> RenderPublic:
    result = job.result or {}
    error = None
    if job.error_code:
        error = {"code": job.error_code, "message": job.error_message or ""}
    outputs = None
    if job.status == "succeeded" and result.get("files"):  # none once past retention
        files = result["files"]
        outputs = {  # the MP4 and its companions always; other formats when they were made
            name: f"/api/renders/{job.id}/{suffix}"
            for name, (suffix, _) in FILES.items()
            if name in ALWAYS or name in files
        }
    return RenderPublic.model_validate(
        {
            "id": job.id,
            "projectId": job.project_id,
            "projectRevision": job.project_revision,
            "preview": job.preview,
            "status": job.status,
            "phase": job.phase,
            "chunksDone": job.chunks_done,
            "chunksTotal": job.chunks_total,
            "percent": job.percent,
            "etaSeconds": job.eta_seconds,
            "cancelRequested": job.cancel_requested,
            "error": error,
            "outputs": outputs,
            "formats": result.get("formats") or ["mp4"],
            "frames": result.get("frames"),
            "duration": result.get("duration"),
            "chunksRendered": result.get("chunksRendered"),
            "chunksCached": result.get("chunksCached"),
            "createdAt": job.created_at,
            "finishedAt": job.finished_at,
            "startedAt": job.started_at,
        }
    )


def render_json(job: RenderJob) -> dict[str, Any]:
    return render_public(job).model_dump(mode="json", by_alias=True)


@router.post("/projects/{project_id}/renders", operation_id="startRender", status_code=202)
def start_render(
    project_id: str,
    body: RenderCreate,
    session: SessionDep,
    context: ContextDep,
    user: CurrentUser,
    response: Response,
    idempotency_key: IdempotencyKey = None,
) -> RenderPublic:
    """Queue a render of the project as it is now; returns at once with the job.

    A `webhook` must be http(s) and resolve to public addresses (unless the server allows
    more); it is checked again when it is called; any other URL is 400 `webhook_refused`.
    409 `asset_deleted`, naming the field, if the document names an asset that was deleted.
    400 `limit_exceeded` past the server's render limits; 429 (with `Retry-After`) when the
    user's queue is full. A retry with the same `Idempotency-Key` and body gets the same job
    (with `Idempotent-Replayed: true`).
    """
    request_hash = hashlib.sha256(
        f"{project_id}\n{body.model_dump_json(by_alias=True)}".encode()
    ).hexdigest()
    if idempotency_key is not None:
        earlier = render_jobs.find_by_idempotency_key(
            session=session, owner_id=user.id, key=idempotency_key
        )
        if earlier is not None:
            if earlier.request_hash != request_hash:
                raise IdempotencyConflict(
                    "this Idempotency-Key was used for a different request",
                    field="Idempotency-Key",
                )
            response.headers["Location"] = f"/api/renders/{earlier.id}"
            response.headers["Idempotent-Replayed"] = "true"
            return render_public(earlier)
    # An unknown project is 404 before the webhook's (slower) check.
    _, document = projects.get_document(session=session, owner_id=user.id, project_id=project_id)
    context.limits.check_render(parse_project(document), preview=body.preview)
    if body.webhook is not None:
        context.webhooks.check(body.webhook)
    job, created = render_jobs.create_job_once(
        session=session,
        owner_id=user.id,
        project_id=project_id,
        preview=body.preview,
        webhook=body.webhook,
        formats=sorted(set(body.formats) | {"mp4"}, key=list(FILES_BY_FORMAT).index),
        check_refs=assets.ref_check(session=session, owner_id=user.id, stored=True),
        idempotency_key=idempotency_key,
        request_hash=request_hash,
        max_unfinished=context.limits.max_queued_renders_per_user,
    )
    if created:
        context.coordinator.wake()
    response.headers["Location"] = f"/api/renders/{job.id}"
    if not created:
        response.headers["Idempotent-Replayed"] = "true"
    return render_public(job)


@router.get("/projects/{project_id}/renders", operation_id="listRenders")
def list_renders(project_id: str, session: SessionDep, user: CurrentUser) -> list[RenderPublic]:
    projects.get_document(session=session, owner_id=user.id, project_id=project_id)
    jobs = render_jobs.list_jobs(session=session, owner_id=user.id, project_id=project_id)
    return [render_public(job) for job in jobs]


@router.get("/renders/{render_id}", operation_id="getRender")
def get_render(render_id: str, session: SessionDep, user: CurrentUser) -> RenderPublic:
    return render_public(render_jobs.get_job(session=session, owner_id=user.id, job_id=render_id))


@router.delete("/renders/{render_id}", operation_id="cancelRender")
def cancel_render(
    render_id: str, session: SessionDep, context: ContextDep, user: CurrentUser
) -> RenderPublic:
    """Cancel: a queued job stops at once, a running one within 2 seconds, in every phase."""
    job = render_jobs.request_cancel(session=session, owner_id=user.id, job_id=render_id)
    context.coordinator.cancel(job.id)
    return render_public(job)


@router.get(
    "/renders/{render_id}/events",
    operation_id="streamRenderEvents",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/event-stream": {}}}},
)
def stream_render_events(
    render_id: str, session: SessionDep, context: ContextDep, user: CurrentUser
) -> StreamingResponse:
    """Server-sent events: `progress` on every change, then one `done` with the final state."""
    render_jobs.get_job(session=session, owner_id=user.id, job_id=render_id)
    return StreamingResponse(
        _events(context, user.id, render_id),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )


async def _events(context: AppContext, owner_id: str, render_id: str) -> AsyncIterator[str]:
    def load() -> dict[str, Any]:
        with context.db.session() as session:
            return render_json(
                render_jobs.get_job(session=session, owner_id=owner_id, job_id=render_id)
            )

    last, last_sent = "", time.monotonic()
    while True:
        view = await to_thread.run_sync(load)
        data = json.dumps(view, separators=(",", ":"))
        if data != last:
            yield f"event: progress\ndata: {data}\n\n"
            last, last_sent = data, time.monotonic()
        if view["status"] in render_jobs.FINISHED:
            yield f"event: done\ndata: {data}\n\n"
            return
        if time.monotonic() - last_sent > SSE_KEEPALIVE_SECONDS:
            yield ": keep-alive\n\n"
            last_sent = time.monotonic()
        await asyncio.sleep(SSE_POLL_SECONDS)


def _output(context: AppContext, job: RenderJob, name: str) -> FileResponse:
    files = (job.result or {}).get("files", {})
    if job.status != "succeeded" or name not in files:
        raise NotFound(f"the render has no {name} output (status: {job.status})", field="renderId")
    path: Path = context.data_dir / files[name]
    if not path.is_file():
        raise NotFound(f"the {name} output is gone from the server", field="renderId")
    media_type = FILES[name][1]
    if name == "poster":  # the renderer picks the poster's format; its suffix says which
        media_type = mimetypes.guess_type(path.name)[0] or media_type
    return FileResponse(path, media_type=media_type, content_disposition_type="inline")


def _output_route(name: str, operation_id: str, doc: str) -> None:
    suffix, media_type = FILES[name]

    def get_output(
        render_id: str, session: SessionDep, context: ContextDep, user: CurrentUser
    ) -> FileResponse:
        job = render_jobs.get_job(session=session, owner_id=user.id, job_id=render_id)
        return _output(context, job, name)

    get_output.__doc__ = doc
    router.add_api_route(
        f"/renders/{{render_id}}/{suffix}",
        get_output,
        methods=["GET"],
        operation_id=operation_id,
        response_class=FileResponse,
        responses={200: {"content": {media_type: {}}}},
    )


_output_route("video", "getRenderOutput", "The MP4 (HTTP Range supported).")
_output_route("srt", "getRenderSrt", "The captions as SRT.")
_output_route("vtt", "getRenderVtt", "The captions as WebVTT.")
_output_route("poster", "getRenderPoster", "The poster frame (an image).")
_output_route("webm", "getRenderWebm", "The WebM (VP9 + Opus), when asked for.")
_output_route("gif", "getRenderGif", "The GIF (≤ 640 px wide), when asked for.")
_output_route("mp3", "getRenderMp3", "The mix as MP3, when asked for.")


def _hls_file(context: AppContext, job: RenderJob, path: str) -> FileResponse:
    """A file of the render's HLS folder: playlists, segments, thumbnails (Range supported)."""
    master = _output(context, job, "hls").path
    folder = Path(master).parent.resolve()
    target = (folder / path).resolve()
    media_type = HLS_TYPES.get(target.suffix)
    if media_type is None or not target.is_relative_to(folder) or not target.is_file():
        raise NotFound(f"the HLS output has no {path}", field="path")
    return FileResponse(target, media_type=media_type, content_disposition_type="inline")


HLS_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"content": {t: {} for t in sorted(set(HLS_TYPES.values()))}}
}


@router.get(
    "/renders/{render_id}/hls/{path:path}",
    operation_id="getRenderHls",
    response_class=FileResponse,
    responses=HLS_RESPONSES,
)
def get_render_hls(
    render_id: str, path: str, session: SessionDep, context: ContextDep, user: CurrentUser
) -> FileResponse:
    """The HLS output: `master.m3u8`, each rendition's playlist and segments, and
    `thumbnails.vtt` + `thumbnails.jpg`; URIs inside are relative, so they stay under here."""
    job = render_jobs.get_job(session=session, owner_id=user.id, job_id=render_id)
    return _hls_file(context, job, path)


@router.post("/renders/{render_id}/share", operation_id="shareRender", status_code=201)
def share_render(
    render_id: str, body: ShareCreate, session: SessionDep, context: ContextDep, user: CurrentUser
) -> SharePublic:
    """A signed link to one output that works without signing in, until it expires or the
    render's links are revoked."""
    job = render_jobs.get_job(session=session, owner_id=user.id, job_id=render_id)
    if job.status != "succeeded":
        raise NotFound(f"the render has no outputs (status: {job.status})", field="renderId")
    expires = int(time.time()) + body.expires_in
    payload = f"{job.id}.{body.file}.{expires}.{job.share_generation}"
    token = f"{payload}.{_sign(context.share_key, payload)}"
    # an HLS link ends in the master's own path, so its relative URIs keep the token
    url = f"/api/shared/{token}" + ("/hls/master.m3u8" if body.file == "hls" else "")
    return SharePublic(url=url, expires_at=dt.datetime.fromtimestamp(expires, dt.UTC))


@router.delete("/renders/{render_id}/share", operation_id="revokeRenderShares", status_code=204)
def revoke_render_shares(render_id: str, session: SessionDep, user: CurrentUser) -> Response:
    """Revoke every share link issued so far for this render (links issued later work)."""
    render_jobs.revoke_shares(session=session, owner_id=user.id, job_id=render_id)
    return Response(status_code=204)


shared_router = APIRouter(tags=["renders"])


@shared_router.get(
    "/shared/{token}",
    operation_id="getSharedOutput",
    response_class=FileResponse,
    responses={200: {"content": {"video/mp4": {}}}},
)
def get_shared_output(token: str, session: SessionDep, context: ContextDep) -> FileResponse:
    """An output through a signed share link (no sign-in); 410 once the link is revoked."""
    job, name = _shared(token, session, context)
    return _output(context, job, name)


@shared_router.get(
    "/shared/{token}/hls/{path:path}",
    operation_id="getSharedHls",
    response_class=FileResponse,
    responses=HLS_RESPONSES,
)
def get_shared_hls(token: str, path: str, session: SessionDep, context: ContextDep) -> FileResponse:
    """A file of an HLS output through a share link of that output: every playlist and
    segment is authorised by the link, and stops (410) when the link is revoked."""
    job, name = _shared(token, session, context)
    if name != "hls":
        raise NotFound("this share link is not for an HLS output", field="token")
    return _hls_file(context, job, path)


def _shared(token: str, session: SessionDep, context: ContextDep) -> tuple[RenderJob, str]:
    """The render and output a share token names, if its signature, expiry and generation
    hold."""
    invalid = NotFound("this share link is invalid or has expired", field="token")
    parts = token.split(".") if token.isascii() else []
    legacy = len(parts) == 4  # issued before links could be revoked: generation 0, unsigned
    if legacy:
        parts.insert(3, "0")
    if len(parts) != 5 or not (parts[2].isdigit() and parts[3].isdigit()):
        raise invalid
    job_id, name, expires, generation, signature = parts
    payload = f"{job_id}.{name}.{expires}" + ("" if legacy else f".{generation}")
    if not hmac.compare_digest(signature, _sign(context.share_key, payload)):
        raise invalid
    if int(expires) < time.time() or name not in FILES:
        raise invalid
    job = render_jobs.get_shared_job(session=session, job_id=job_id, generation=int(generation))
    return job, name


def _sign(key: bytes, payload: str) -> str:
    digest = hmac.new(key, payload.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:24]).decode().rstrip("=")
