"""The one place where errors become HTTP responses: `{"error": {"code", "message", "field"?}}`.

Services raise the exceptions of `reelforge.errors`; this module
picks the status. Request validation failures name the path of the bad field the way the spec
does (`sceneIds[2]`, `webhook`).
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from reelforge.errors import (
    AssetDeleted,
    AssetInUse,
    CsrfRejected,
    IdempotencyConflict,
    InvalidRequest,
    LoginThrottled,
    MediaError,
    MusicError,
    NotAuthenticated,
    NotFound,
    NothingToUndo,
    ProjectError,
    ReelforgeError,
    RenderError,
    RevisionConflict,
    ShareRevoked,
    SpeechTooLongError,
    TooManyRequests,
    UploadTooLarge,
    VoiceError,
    new_error_id,
)
from reelforge.spec.load import field_path

logger = logging.getLogger("reelforge.api")

# The most specific class wins (checked in this order).
STATUS: tuple[tuple[type[ReelforgeError], int], ...] = (
    (NotFound, 404),
    (ShareRevoked, 410),
    (LoginThrottled, 429),
    (TooManyRequests, 429),
    (IdempotencyConflict, 422),
    (RevisionConflict, 409),
    (AssetInUse, 409),
    (AssetDeleted, 409),
    (NothingToUndo, 409),
    (NotAuthenticated, 401),
    (CsrfRejected, 403),
    (UploadTooLarge, 413),
    (InvalidRequest, 400),
    (ProjectError, 400),
    (MediaError, 400),
    (VoiceError, 400),
    (MusicError, 400),
    (SpeechTooLongError, 400),
    (RenderError, 500),
    (ReelforgeError, 400),
)

HTTP_CODES = {
    400: "bad_request",
    401: "not_authenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    410: "gone",
    413: "too_large",
    415: "unsupported_media_type",
    416: "range_not_satisfiable",
    422: "unprocessable",
    429: "too_many_requests",
}


def error_response(
    status: int, code: str, message: str, field: str | None = None, **headers: str
) -> JSONResponse:
    detail: dict[str, Any] = {"code": code, "message": message}
    if field:
        detail["field"] = field
    return JSONResponse({"error": detail}, status_code=status, headers=headers or None)


def status_of(exc: ReelforgeError) -> int:
    return next(status for cls, status in STATUS if isinstance(exc, cls))


async def _reelforge_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ReelforgeError)
    status = status_of(exc)
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else {}
    if isinstance(exc, LoginThrottled | TooManyRequests):
        headers["Retry-After"] = str(exc.retry_after)
    return error_response(status, exc.code, exc.message, exc.field, **headers)


async def _validation_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = list(exc.errors())
    first = errors[0] if errors else {"loc": (), "msg": "invalid request"}
    loc = tuple(first.get("loc", ()))
    where = loc[0] if loc else "body"
    path = field_path(loc[1:]) if len(loc) > 1 else str(where)
    message = str(first.get("msg", "invalid"))
    if first.get("type") == "json_invalid":
        return error_response(400, "invalid_json", "the request body is not valid JSON", "body")
    if first.get("type") == "missing" and path == "body":
        return error_response(422, "invalid_request", "a JSON body is required", "body")
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    return error_response(422, "invalid_request", f"{path}: {message}{more}", path)


async def _http_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    code = HTTP_CODES.get(exc.status_code, "error")
    headers = dict(exc.headers or {})
    return error_response(exc.status_code, code, str(exc.detail), **headers)


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    """Anything unforeseen: a JSON 500 with an error id; the traceback goes to the log under
    the same id, never to the client."""
    error_id = new_error_id()
    logger.error(
        "unexpected error %s on %s %s", error_id, request.method, request.url.path, exc_info=exc
    )
    message = f"internal server error (error id {error_id}, in the server log)"
    body = {"error": {"code": "internal", "message": message, "errorId": error_id}}
    return JSONResponse(body, status_code=500)


def install(app: FastAPI) -> None:
    """Register the handlers on an app."""
    app.add_exception_handler(ReelforgeError, _reelforge_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected)
