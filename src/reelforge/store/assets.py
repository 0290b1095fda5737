"""Assets: a user's uploaded media, and the `asset:<id>` references documents make to them.

Keeping a file and deleting it are serialised per content hash (PostgreSQL: an advisory lock;
SQLite: writers run one at a time), so an upload of the same bytes racing a delete never ends
with a row whose file is gone. Reference checks take a shared lock on the asset row and a
delete takes an exclusive one, so nothing that writes a reference (an edit, an undo or redo, a
new render job) can race a delete: the delete either sees the reference and refuses, or
happens first and the writer sees the asset gone.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from reelforge.errors import (
    AssetDeleted,
    AssetInUse,
    BodyTooLarge,
    MediaError,
    NotFound,
    ProjectError,
)
from reelforge.spec import ImageVisual, Project, VideoVisual, parse_project
from reelforge.store.db import Database, write_transaction
from reelforge.store.media import MediaInfo, MediaStore, Upload
from reelforge.store.models import Asset, RenderJob
from reelforge.store.models import Project as ProjectRow
from reelforge.store.projects import RefCheck
from reelforge.store.render_jobs import UNFINISHED

PREFIX = "asset:"
logger = logging.getLogger("reelforge.store.assets")


def create_asset(
    *,
    session: Session,
    owner_id: str,
    media: MediaStore,
    upload: Upload,
    info: MediaInfo,
    filename: str,
    storage_limit: int | None = None,
) -> Asset:
    """Keep an upload's bytes and record them for their owner; the same bytes uploaded twice
    give the same asset. With `storage_limit`, a new asset that would take the owner's assets
    past that many bytes raises BodyTooLarge and nothing is kept."""
    with write_transaction(session):
        _lock_content(session, upload.sha256)
        existing = session.scalar(
            select(Asset).where(Asset.owner_id == owner_id, Asset.sha256 == upload.sha256)
        )
        if existing is not None:
            return existing
        if storage_limit is not None:
            used = storage_used(session=session, owner_id=owner_id)
            if used + upload.size > storage_limit:
                raise BodyTooLarge(
                    f"this upload would take your storage past {storage_limit} bytes "
                    f"(REELFORGE_MAX_STORAGE_BYTES_PER_USER; {used} used)",
                    field="file",
                )
        blob = media.keep(upload)
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


def delete_asset(*, session: Session, owner_id: str, asset_id: str, media: MediaStore) -> None:
    """Delete an asset, and its file when no other asset has the same bytes.

    AssetInUse (and nothing changes) while a project's current document or an unfinished
    render refers to it. Documents in undo histories do not hold an asset: undo and redo to
    one that names a deleted asset are refused instead (`ref_check(stored=True)`).
    """
    with write_transaction(session):
        asset = session.scalar(
            select(Asset).where(Asset.id == asset_id, Asset.owner_id == owner_id).with_for_update()
        )
        if asset is None:
            raise NotFound("no such asset", field="assetId")
        ref = PREFIX + asset.id
        users = _projects_using(session, owner_id, ref)
        if users:
            names = ", ".join(f"{title!r} ({project_id})" for project_id, title in users[:5])
            more = f" and {len(users) - 5} more" if len(users) > 5 else ""
            projects = "project" if len(users) == 1 else "projects"
            raise AssetInUse(
                f"asset {ref} is used by {projects} {names}{more}; remove it from them first",
                field="assetId",
            )
        if _renders_using(session, owner_id, ref):
            raise AssetInUse(
                f"asset {ref} is used by a render that has not finished; wait or cancel it",
                field="assetId",
            )
        sha256 = asset.sha256
        session.delete(asset)
    with write_transaction(session):
        _lock_content(session, sha256)
        shared = session.scalar(select(func.count()).where(Asset.sha256 == sha256))
        if not shared:
            try:
                media.path_for(sha256).unlink(missing_ok=True)
            except OSError as exc:  # the row is gone; an orphan file is only wasted space
                logger.warning("cannot remove the file of a deleted asset: %s", exc)


def _projects_using(session: Session, owner_id: str, ref: str) -> list[tuple[str, str]]:
    rows = session.execute(
        select(ProjectRow.id, ProjectRow.title, ProjectRow.document)
        .where(ProjectRow.owner_id == owner_id)
        .order_by(ProjectRow.title, ProjectRow.id)
    ).all()
    return [
        (project_id, title)
        for project_id, title, document in rows
        if _refers_to(parse_project(document), ref)
    ]


def _renders_using(session: Session, owner_id: str, ref: str) -> bool:
    documents = session.scalars(
        select(RenderJob.document).where(
            RenderJob.owner_id == owner_id, RenderJob.status.in_(UNFINISHED)
        )
    ).all()
    return any(_refers_to(parse_project(document), ref) for document in documents)


def _refers_to(project: Project, ref: str) -> bool:
    return any(used == ref for _, used, _ in media_refs(project))


def _lock_content(session: Session, sha256: str) -> None:
    """Serialise keeping and removing the file of `sha256` (until the transaction ends)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:key))"), {"key": sha256})


def storage_used(*, session: Session, owner_id: str) -> int:
    """Bytes of the owner's assets (each counted once per owner)."""
    used = session.scalar(select(func.sum(Asset.size)).where(Asset.owner_id == owner_id))
    return int(used or 0)


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


def ref_check(*, session: Session, owner_id: str, stored: bool = False) -> RefCheck:
    """A check that every media reference names an asset of this user, of a fitting kind.

    It holds each asset (a shared lock) until the transaction ends. `stored` is for documents
    that were checked when they were stored (undo history states, the project a render
    starts from): an asset deleted since is then AssetDeleted, a conflict with what the
    server holds, rather than a bad document.
    """

    def check(project: Project) -> None:
        for field, ref, kinds in media_refs(project):
            asset = _lookup(session, owner_id, ref, field, lock=True, stored=stored)
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
            try:  # a job's document was checked when queued: a missing asset was deleted
                asset = _lookup(session, self._owner_id, ref, field, stored=True)
            except (ProjectError, AssetDeleted) as exc:
                raise MediaError(exc.message, field=field) from None
            path = self._media.path_for(asset.sha256)
        if not path.is_file():
            raise MediaError(f"the file of {ref!r} is missing from the media store", field=field)
        return path


def _lookup(
    session: Session,
    owner_id: str,
    ref: str,
    field: str,
    *,
    lock: bool = False,
    stored: bool = False,
) -> Asset:
    """The asset a reference names; `lock` holds it (shared) until the transaction ends, so
    that a concurrent delete waits for the writer that refers to it, or the writer sees it
    gone (AssetDeleted if `stored`, see `ref_check`)."""
    if not ref.startswith(PREFIX):
        raise ProjectError(
            f"media references are {PREFIX}<id> on the server, not {ref!r}", field=field
        )
    query = select(Asset).where(Asset.id == ref[len(PREFIX) :], Asset.owner_id == owner_id)
    if lock:
        query = query.with_for_update(read=True)
    asset = session.scalar(query)
    if asset is None:
        if stored:
            raise AssetDeleted(f"{field} names {ref}, which was deleted", field=field)
        raise ProjectError(f"unknown asset {ref!r}", field=field)
    return asset
