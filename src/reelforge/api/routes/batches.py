"""Batches: render a project's template once per row (JSON rows or a CSV upload), follow,
cancel, and download the results as CSV. Each row is an ordinary render job."""

from __future__ import annotations

import hashlib
from pathlib import Path

from anyio import to_thread
from fastapi import APIRouter, Request, Response

from reelforge.api.deps import ContextDep, CurrentUser, IdempotencyKey, SessionDep
from reelforge.api.schemas import BatchCreate, BatchPublic
from reelforge.batch.rows import Row, RowResult, make_rows, parse_rows, results_csv
from reelforge.errors import InvalidRequest
from reelforge.spec import Project, check_template
from reelforge.store import assets, batches, projects
from reelforge.store.batches import BatchView

router = APIRouter(tags=["batches"])
MAX_CSV_BYTES = 10 * 1024 * 1024


def batch_public(view: BatchView) -> BatchPublic:
    rows = [
        {"id": r.id, "status": r.status, "renderId": r.render_id, "error": r.error}
        for r in view.rows
    ]
    finished = ("succeeded", "failed", "cancelled")
    return BatchPublic.model_validate(
        {
            "id": view.batch.id,
            "projectId": view.batch.project_id,
            "projectRevision": view.batch.project_revision,
            "preview": view.batch.preview,
            "status": view.status,
            "rows": rows,
            "rowsDone": sum(1 for r in view.rows if r.status in finished),
            "rowsFailed": sum(1 for r in view.rows if r.status == "failed"),
            "cancelRequested": view.batch.cancel_requested,
            "createdAt": view.batch.created_at,
            "finishedAt": view.batch.finished_at,
        }
    )


def _start(
    *,
    project_id: str,
    rows: list[Row],
    preview: bool,
    webhook: str | None,
    session: SessionDep,
    context: ContextDep,
    user: CurrentUser,
    response: Response,
    idempotency_key: str | None,
    request: str,
) -> BatchPublic:
    """Queue the batch. Each row is checked like a render of its own (the assets it names, the
    server's render limits) and fails alone; rows are ordinary render jobs of their user, so
    the per-user running cap and the round-robin between users apply to them."""
    request_hash = hashlib.sha256(f"{project_id}\n{request}".encode()).hexdigest()
    if webhook is not None:
        context.webhooks.check(webhook)
    refs = assets.ref_check(session=session, owner_id=user.id, stored=True)

    def check_row(project: Project) -> None:
        refs(project)
        context.limits.check_render(project, preview=preview)

    view, created = batches.create_batch(
        session=session,
        owner_id=user.id,
        project_id=project_id,
        rows=rows,
        preview=preview,
        webhook=webhook,
        check_refs=check_row,
        idempotency_key=idempotency_key,
        request_hash=request_hash,
    )
    if created:
        context.coordinator.wake()
    else:
        response.headers["Idempotent-Replayed"] = "true"
    response.headers["Location"] = f"/api/batches/{view.batch.id}"
    return batch_public(view)


def _declared(session: SessionDep, user: CurrentUser, project_id: str) -> list[str]:
    """The project's variables (404 for an unknown project, 400 if it is no template)."""
    _, document = projects.get_document(session=session, owner_id=user.id, project_id=project_id)
    declared = check_template(document)
    if not declared:
        raise InvalidRequest("the project declares no variables", field="variables")
    return list(declared)


@router.post("/projects/{project_id}/batches", operation_id="startBatch", status_code=202)
def start_batch(
    project_id: str,
    body: BatchCreate,
    session: SessionDep,
    context: ContextDep,
    user: CurrentUser,
    response: Response,
    idempotency_key: IdempotencyKey = None,
) -> BatchPublic:
    """Render the project's template once per row; returns at once (202) with the batch.

    A row that cannot be filled in (missing or wrong value, unknown asset) fails alone; the
    others are queued as ordinary renders. The webhook gets the batch when every row finished.
    """
    declared = _declared(session, user, project_id)
    rows = make_rows(body.rows, variables=declared)
    return _start(project_id=project_id, rows=rows, preview=body.preview,
                  webhook=body.webhook, session=session, context=context, user=user,
                  response=response, idempotency_key=idempotency_key,
                  request=body.model_dump_json(by_alias=True))  # fmt: skip


@router.post(
    "/projects/{project_id}/batches/csv",
    operation_id="startBatchFromCsv",
    status_code=202,
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"text/csv": {"schema": {"type": "string"}}},
        }
    },
)
async def start_batch_from_csv(
    project_id: str,
    request: Request,
    session: SessionDep,
    context: ContextDep,
    user: CurrentUser,
    response: Response,
    preview: bool = False,
    webhook: str | None = None,
    idempotency_key: IdempotencyKey = None,
) -> BatchPublic:
    """As `startBatch`, with the rows as a CSV body (a header row naming the variables, and
    optionally `id`); `preview` and `webhook` are query parameters."""
    body = await request.body()
    if len(body) > MAX_CSV_BYTES:
        raise InvalidRequest(f"the CSV is over {MAX_CSV_BYTES} bytes", field="body")
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidRequest("the CSV must be UTF-8 text", field="body") from None

    def start() -> BatchPublic:
        declared = _declared(session, user, project_id)
        rows = parse_rows(text, kind="csv", name=Path("rows.csv"), variables=declared)
        if not rows:
            raise InvalidRequest("the CSV has no rows", field="body")
        return _start(project_id=project_id, rows=rows, preview=preview, webhook=webhook,
                      session=session, context=context, user=user, response=response,
                      idempotency_key=idempotency_key,
                      request=f"csv\n{preview}\n{webhook}\n{text}")  # fmt: skip

    return await to_thread.run_sync(start)


@router.get("/batches/{batch_id}", operation_id="getBatch")
def get_batch(batch_id: str, session: SessionDep, user: CurrentUser) -> BatchPublic:
    return batch_public(batches.get_batch(session=session, owner_id=user.id, batch_id=batch_id))


@router.delete("/batches/{batch_id}", operation_id="cancelBatch")
def cancel_batch(batch_id: str, session: SessionDep, user: CurrentUser) -> BatchPublic:
    """Cancel every row that has not finished: queued ones at once, running ones within
    moments. Rows that finished keep their outputs."""
    view = batches.cancel_batch(session=session, owner_id=user.id, batch_id=batch_id)
    return batch_public(view)


@router.get(
    "/batches/{batch_id}/results.csv",
    operation_id="getBatchResults",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}}}},
)
def get_batch_results(batch_id: str, session: SessionDep, user: CurrentUser) -> Response:
    """`id, status, output, error, seconds` per row; `output` is the video's URL."""
    view = batches.get_batch(session=session, owner_id=user.id, batch_id=batch_id)
    results = []
    for row in view.rows:
        job = row.job
        seconds = 0.0
        if job is not None and job.finished_at is not None:
            seconds = (job.finished_at - job.created_at).total_seconds()
        output = f"/api/renders/{row.render_id}/output" if row.status == "succeeded" else ""
        results.append(RowResult(id=row.id, status=row.status, output=output,
                                 error=row.error or "", seconds=seconds))  # fmt: skip
    return Response(
        results_csv(results).encode("utf-8"),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="batch-{batch_id}.csv"'},
    )
