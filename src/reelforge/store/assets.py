"""Assets: a user's uploaded media, and the `asset:<id>` references documents make to them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from reelforge.errors import MediaError, NotFound, ProjectError
from reelforge.spec import ImageVisual, Project, VideoVisual
from reelforge.store.db import Database, write_transaction
from reelforge.store.media import MediaInfo, MediaStore, StoredBlob
from reelforge.store.models import Asset
from reelforge.store.projects import RefCheck

PREFIX = "asset:"


def create_asset(
    *, session: Session, owner_id: str, blob: StoredBlob, info: MediaInfo, filename: str
) -> Asset:
    """Record an upload for its owner; the same bytes uploaded twice give the same asset."""
    with write_transaction(session):
        existing = session.scalar(
            select(Asset).where(Asset.owner_id == owner_id, Asset.sha256 == blob.sha256)
        )
        if existing is not None:
            return existing
        asset = Asset(
            owner_id=owner_id,
            sha256=blob.sha256,
            kind=info.kind,
            media_type=info.media_type,
            filename=filename[:255] or "upload",
            size=blob.size,
            width=info.width,
            height=info.height,
            duration=info.duration,
        )
        session.add(asset)
    return asset


def get_asset(*, session: Session, owner_id: str, asset_id: str) -> Asset:
    asset = session.scalar(select(Asset).where(Asset.id == asset_id, Asset.owner_id == owner_id))
    if asset is None:
        raise NotFound("no such asset", field="assetId")
    return asset


def list_assets(*, session: Session, owner_id: str) -> list[Asset]:
    query = select(Asset).where(Asset.owner_id == owner_id).order_by(Asset.created_at.desc())
    return list(session.scalars(query))


def media_refs(project: Project) -> Iterator[tuple[str, str, tuple[str, ...]]]:
    """Each media reference of a document: (field, reference, kinds of asset it may name)."""
    for index, scene in enumerate(project.scenes):
        visual = scene.visual
        if isinstance(visual, ImageVisual):
            yield f"scenes[{index}].visual.src", visual.src, ("image",)
        elif isinstance(visual, VideoVisual):
            yield f"scenes[{index}].visual.src", visual.src, ("video",)
    if project.music.src is not None:
        yield "music.src", project.music.src, ("audio", "video")
    if project.brand.logo is not None:
        yield "brand.logo", project.brand.logo, ("image",)
    if project.product.image is not None:
        yield "product.image", project.product.image, ("image",)


def ref_check(*, session: Session, owner_id: str) -> RefCheck:
    """A check that every media reference names an asset of this user, of a fitting kind."""

    def check(project: Project) -> None:
        for field, ref, kinds in media_refs(project):
            asset = _lookup(session, owner_id, ref, field)
            if asset.kind not in kinds:
                raise ProjectError(
                    f"asset {ref!r} is {asset.kind}; expected {' or '.join(kinds)}", field=field
                )

    return check


class OwnerAssetResolver:
    """Resolves `asset:<id>` to the stored file, for one user's assets only."""

    def __init__(self, *, db: Database, media: MediaStore, owner_id: str) -> None:
        self._db = db
        self._media = media
        self._owner_id = owner_id

    def resolve(self, ref: str, *, field: str) -> Path:
        with self._db.session() as session:
            try:
                asset = _lookup(session, self._owner_id, ref, field)
            except ProjectError as exc:
                raise MediaError(exc.message, field=field) from None
            path = self._media.path_for(asset.sha256)
        if not path.is_file():
            raise MediaError(f"the file of {ref!r} is missing from the media store", field=field)
        return path


def _lookup(session: Session, owner_id: str, ref: str, field: str) -> Asset:
    if not ref.startswith(PREFIX):
        raise ProjectError(
            f"media references are {PREFIX}<id> on the server, not {ref!r}", field=field
        )
    asset = session.scalar(
        select(Asset).where(Asset.id == ref[len(PREFIX) :], Asset.owner_id == owner_id)
    )
    if asset is None:
        raise ProjectError(f"unknown asset {ref!r}", field=field)
    return asset
