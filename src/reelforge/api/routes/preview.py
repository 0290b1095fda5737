"""`GET /projects/{id}/preview.m3u8` and its segments: the live preview as HLS."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response
from fastapi.responses import FileResponse

from reelforge.api.deps import ContextDep, CurrentUser, SessionDep
from reelforge.spec import parse_project
from reelforge.store import projects
from reelforge.store.assets import OwnerAssetResolver

router = APIRouter(prefix="/projects/{project_id}", tags=["preview"])

PLAYLIST_TYPE = "application/vnd.apple.mpegurl"
MAX_WAIT_SECONDS = 30.0


@router.get(
    "/preview.m3u8",
    operation_id="getProjectPreview",
    response_class=Response,
    responses={200: {"content": {PLAYLIST_TYPE: {"schema": {"type": "string"}}}}},
)
def get_preview(
    project_id: str,
    session: SessionDep,
    context: ContextDep,
    user: CurrentUser,
    wait: Annotated[
        Literal["none", "segment", "complete"],
        Query(description="answer at once, once a segment is listed (default), or once all are"),
    ] = "segment",
    hls_msn: Annotated[
        int | None,
        Query(
            alias="_HLS_msn",
            ge=0,
            le=1_000_000,
            description="HLS blocking reload: answer once segment N is listed",
        ),
    ] = None,  # fmt: skip
) -> Response:
    """An HLS media playlist of the current revision at preview settings (480p short side,
    15 fps): its segments in timeline order as they land, `#EXT-X-ENDLIST` once all are
    there. Segment URIs are content-addressed, so an untouched chunk keeps its URI. Asking
    for a newer revision stops the unfinished work of an older one."""
    revision, document = projects.get_document(
        session=session, owner_id=user.id, project_id=project_id
    )
    session.close()  # the build runs for a while; hold no database transaction meanwhile
    resolver = OwnerAssetResolver(db=context.db, media=context.media, owner_id=user.id)
    build = context.previews.build(
        project_id=project_id,
        revision=revision,
        project=parse_project(document),
        resolver=resolver,
        cache_dir=context.cache_dir,
    )
    if hls_msn is not None:
        build.wait(hls_msn + 1, MAX_WAIT_SECONDS)
    elif wait != "none":
        build.wait(1 if wait == "segment" else None, MAX_WAIT_SECONDS)
    return Response(
        build.playlist(),
        media_type=PLAYLIST_TYPE,
        headers={"Cache-Control": "no-store", "X-Reelforge-Revision": str(build.revision)},
    )


@router.get(
    "/preview/{segment_key}.ts",
    operation_id="getProjectPreviewSegment",
    response_class=FileResponse,
    responses={200: {"content": {"video/mp2t": {}}}},
)
def get_preview_segment(
    project_id: str,
    segment_key: Annotated[str, "content hash"],
    session: SessionDep,
    context: ContextDep,
    user: CurrentUser,
) -> FileResponse:
    """One MPEG-TS segment of a preview (a chunk's video with its slice of the mix). Its URI
    names its content, so it may be cached for good."""
    projects.get_document(session=session, owner_id=user.id, project_id=project_id)
    session.close()
    path = context.previews.segment(
        project_id=project_id, key=segment_key, cache_dir=context.cache_dir
    )
    return FileResponse(
        path,
        media_type="video/mp2t",
        headers={"Cache-Control": "private, max-age=31536000, immutable"},
    )
