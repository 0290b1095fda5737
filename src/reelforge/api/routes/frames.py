"""`GET /projects/{id}/frame?t=`: a PNG still of one frame, rendered alone and cached."""

from __future__ import annotations

import hashlib
import json
import os
import uuid
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import FileResponse

from reelforge.api.deps import ContextDep, CurrentUser, SessionDep
from reelforge.errors import InvalidRequest
from reelforge.spec import parse_project
from reelforge.store import projects
from reelforge.store.assets import OwnerAssetResolver

router = APIRouter(tags=["frames"])


@router.get(
    "/projects/{project_id}/frame",
    operation_id="getProjectFrame",
    response_class=FileResponse,
    responses={200: {"content": {"image/png": {}}}},
)
def get_frame(
    project_id: str,
    t: Annotated[float, Query(ge=0, le=86_400, description="seconds from the start")],
    session: SessionDep,
    context: ContextDep,
    user: CurrentUser,
    values: Annotated[
        str | None,
        Query(max_length=100_000, description="a template's row: a JSON object of values"),
    ] = None,
) -> FileResponse:
    """The frame at `t` seconds (of a template, with a row's `values`). Cached by content: the
    same document and time give the same file, so undoing an edit shows the earlier frame at
    once."""
    _, document = projects.get_document(session=session, owner_id=user.id, project_id=project_id)
    session.close()  # rendering takes a while; hold no database transaction meanwhile
    row = _row_values(values)
    project = parse_project(document, row)  # a bad row is a 400 before any rendering
    keyed = document if row is None else [document, row]
    canonical = json.dumps(keyed, sort_keys=True, separators=(",", ":"))
    from reelforge.render.chunks import renderer_version

    key = hashlib.sha256(f"{renderer_version()}|{t:.6f}|{canonical}".encode()).hexdigest()
    path = context.frames_dir / key[:2] / f"{key}.png"
    if not path.is_file():
        from reelforge.render.pipeline import render_still

        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f"{key}.{uuid.uuid4().hex}.png")
        resolver = OwnerAssetResolver(db=context.db, media=context.media, owner_id=user.id)
        try:
            with context.still_slots:
                render_still(
                    project,
                    resolver=resolver,
                    at=t,
                    out=partial,
                    cache_dir=context.cache_dir,
                )
            os.replace(partial, path)
        finally:
            partial.unlink(missing_ok=True)
    return FileResponse(
        path, media_type="image/png", headers={"ETag": f'"{key[:32]}"', "Cache-Control": "private"}
    )


def _row_values(values: str | None) -> dict[str, object] | None:
    if values is None:
        return None
    try:
        row = json.loads(values)
    except json.JSONDecodeError:
        raise InvalidRequest("values: not valid JSON", field="values") from None
    if not isinstance(row, dict):
        raise InvalidRequest("values: expected a JSON object", field="values")
    return row
