"""Assets: upload media (probed and validated), list it, fetch it, delete it."""

from __future__ import annotations

from anyio import to_thread
from fastapi import APIRouter, Request, Response
from fastapi.responses import FileResponse

from reelforge.api.deps import ContextDep, CurrentUser, SessionDep
from reelforge.api.schemas import AssetPublic, ErrorPublic
from reelforge.api.uploads import FILE_FIELD, receive_file
from reelforge.errors import BodyTooLarge, InvalidRequest
from reelforge.pictures import canonical_picture
from reelforge.store import assets
from reelforge.store.models import Asset

router = APIRouter(prefix="/assets", tags=["assets"])

_UPLOAD_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": [FILE_FIELD],
                    "properties": {FILE_FIELD: {"type": "string", "format": "binary"}},
                }
            }
        },
    }
}


def asset_public(asset: Asset) -> AssetPublic:
    return AssetPublic(
        id=asset.id,
        ref=assets.PREFIX + asset.id,
        kind=asset.kind,
        media_type=asset.media_type,
        filename=asset.filename,
        size=asset.size,
        sha256=asset.sha256,
        width=asset.width,
        height=asset.height,
        duration=asset.duration,
        created_at=asset.created_at,
    )


@router.post("", operation_id="uploadAsset", status_code=201, openapi_extra=_UPLOAD_BODY)
async def upload_asset(request: Request, context: ContextDep, user: CurrentUser) -> AssetPublic:
    """Upload an image (PNG, JPEG, WebP), a video (MP4, MOV, WebM) or audio (MP3, WAV, ...).

    Documents refer to it as `asset:<id>`.
    """
    media = context.media
    limit = context.limits.max_storage_bytes_per_user

    def used() -> int:
        with context.db.session() as session:
            return assets.storage_used(session=session, owner_id=user.id)

    if await to_thread.run_sync(used) >= limit:  # full: say so before the body is read
        raise BodyTooLarge(
            f"your storage is full ({limit} bytes, REELFORGE_MAX_STORAGE_BYTES_PER_USER)",
            field="file",
        )
    with media.upload() as upload:
        filename = await receive_file(request, upload, limit=media.max_upload_bytes)
        info = await to_thread.run_sync(media.probe, upload.path)

        def record() -> AssetPublic:
            with context.db.session() as session:
                asset = assets.create_asset(
                    session=session,
                    owner_id=user.id,
                    media=media,
                    upload=upload,
                    info=info,
                    filename=filename,
                    storage_limit=limit,
                )
                return asset_public(asset)

        return await to_thread.run_sync(record)


@router.get("", operation_id="listAssets")
def list_assets(session: SessionDep, user: CurrentUser) -> list[AssetPublic]:
    return [asset_public(a) for a in assets.list_assets(session=session, owner_id=user.id)]


@router.get(
    "/{asset_id}",
    operation_id="getAsset",
    response_class=FileResponse,
    responses={200: {"content": {"application/octet-stream": {}}}},
)
def get_asset(
    asset_id: str, session: SessionDep, context: ContextDep, user: CurrentUser
) -> FileResponse:
    """The media file itself (HTTP Range supported)."""
    asset = assets.get_asset(session=session, owner_id=user.id, asset_id=asset_id)
    return FileResponse(
        context.media.path_for(asset.sha256),
        media_type=asset.media_type,
        filename=asset.filename,
        content_disposition_type="inline",
    )


@router.get(
    "/{asset_id}/picture",
    operation_id="getAssetPicture",
    response_class=FileResponse,
    responses={
        200: {"content": {"image/png": {}}},
        400: {"model": ErrorPublic, "description": "the asset is not a picture"},
    },
)
def get_asset_picture(
    asset_id: str, session: SessionDep, context: ContextDep, user: CurrentUser
) -> FileResponse:
    """A picture as the renderer uses it (upright, sRGB, PNG): for showing HEIC, AVIF, TIFF or
    CMYK uploads, and photos with EXIF orientation, in a browser."""
    asset = assets.get_asset(session=session, owner_id=user.id, asset_id=asset_id)
    if asset.kind != "image":
        raise InvalidRequest(f"asset {asset_id} is {asset.kind}, not a picture", field="assetId")
    session.close()
    path = canonical_picture(context.media.path_for(asset.sha256), asset.sha256, context.cache_dir)
    return FileResponse(path, media_type="image/png", headers={"Cache-Control": "private"})


@router.delete(
    "/{asset_id}",
    operation_id="deleteAsset",
    status_code=204,
    responses={
        409: {"model": ErrorPublic, "description": "a project (or unfinished render) uses it"}
    },
)
def delete_asset(
    asset_id: str, session: SessionDep, context: ContextDep, user: CurrentUser
) -> Response:
    """Delete an asset (and its file, unless another asset has the same bytes).

    409, naming the projects, while a project's current document (or a render that has not
    finished) uses it. Undo history does not keep an asset: undo or redo to a state that names
    a deleted asset is refused with 409 `asset_deleted`.
    """
    assets.delete_asset(session=session, owner_id=user.id, asset_id=asset_id, media=context.media)
    return Response(status_code=204)
