"""The FastAPI application: `create_app(data_dir=...)`."""

from __future__ import annotations

import contextlib
import datetime as dt
import ipaddress
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi.staticfiles import StaticFiles
from pydantic.json_schema import models_json_schema

from reelforge import __version__
from reelforge.api import errors
from reelforge.api.batch_watcher import BatchWatcher
from reelforge.api.context import AppContext
from reelforge.api.coordinator import RenderCoordinator
from reelforge.api.http import SecurityHeadersMiddleware
from reelforge.api.limits import BodyLimitMiddleware, Limits
from reelforge.api.ratelimit import RateLimiter
from reelforge.api.routes import (
    assets,
    audio,
    auth,
    batches,
    frames,
    health,
    preview,
    projects,
    renders,
    scenes,
    timeline,
    webhook_secret,
)
from reelforge.api.schemas import ErrorPublic, document_bodies
from reelforge.api.webhooks import WebhookPolicy
from reelforge.store.db import Database, database_url_for
from reelforge.store.media import MediaStore
from reelforge.store.throttle import ThrottlePolicy
from reelforge.store.users import server_key

DEFAULT_MAX_UPLOAD_BYTES = 1024 * 1024 * 1024


def default_web_dir() -> Path:
    """The editor inside the installed package (a wheel carries it, see setup.py), else
    `web/dist` of the source checkout (built by the web editor's toolchain)."""
    packaged = Path(__file__).resolve().parents[1] / "web_editor"
    if (packaged / "index.html").is_file():
        return packaged
    return Path(__file__).resolve().parents[3] / "web" / "dist"


def create_app(
    *,
    data_dir: Path,
    database_url: str | None = None,
    max_upload_bytes: int | None = None,
    max_render_jobs: int | None = None,
    lease_seconds: float = 15.0,
    web_dir: Path | None = None,
    webhook_policy: WebhookPolicy | None = None,
) -> FastAPI:
    """The API (under `/api`) and, if built, the web editor (at `/`).

    Migrates the database on the way; render jobs start running when the app starts serving.
    The webhook policy and the login throttle come from the settings unless given, and so
    do the limits (`max_upload_bytes` overrides the setting of that name).
    """
    from reelforge.config import default_render_jobs, get_settings

    settings = get_settings()
    webhooks = webhook_policy or WebhookPolicy.from_settings(settings)
    login_throttle = ThrottlePolicy(
        max_failures=settings.login_max_failures,
        max_failures_per_address=settings.login_max_failures_per_ip,
        window=dt.timedelta(seconds=settings.login_window_seconds),
        lockout=dt.timedelta(seconds=settings.login_lockout_seconds),
    )
    limits = Limits.from_settings(settings, max_upload_bytes=max_upload_bytes)
    data_dir.mkdir(parents=True, exist_ok=True)
    db = Database(database_url_for(data_dir, database_url))
    db.migrate(lock_dir=data_dir)
    with db.session() as session:
        share_key = server_key(session=session, name="share-links")
        webhook_key = server_key(session=session, name="webhook-signing")
    media = MediaStore(
        data_dir / "media",
        max_upload_bytes=limits.max_upload_bytes,
        max_image_pixels=settings.max_image_pixels,
    )
    coordinator = RenderCoordinator(
        db=db,
        media=media,
        data_dir=data_dir,
        max_jobs=max_render_jobs
        if max_render_jobs is not None
        else settings.max_render_jobs
        if settings.max_render_jobs is not None
        else default_render_jobs(),
        max_running_per_user=limits.max_running_renders_per_user,
        webhook_key=webhook_key,
        lease_seconds=lease_seconds,
        job_view=renders.render_json,
        webhooks=webhooks,
    )
    context = AppContext(
        data_dir=data_dir,
        db=db,
        media=media,
        share_key=share_key,
        coordinator=coordinator,
        webhooks=webhooks,
        login_throttle=login_throttle,
        limits=limits,
        webhook_key=webhook_key,
        trusted_proxies=tuple(
            ipaddress.ip_network(entry.strip("[]"), strict=False)
            for entry in settings.trusted_proxies
        ),
        rate_limiter=RateLimiter(
            per_minute=settings.api_requests_per_minute, burst=settings.api_burst
        ),
    )

    batch_watcher = BatchWatcher(db=db, webhooks=webhooks)

    @contextlib.asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        coordinator.start()
        batch_watcher.start()
        try:
            yield
        finally:
            batch_watcher.stop()
            context.previews.stop()
            coordinator.stop()
            db.dispose()

    app = FastAPI(
        title="reelforge",
        version=__version__,
        lifespan=lifespan,
        responses={"4XX": {"model": ErrorPublic, "description": "an error"}},
    )
    app.state.context = context
    for module in (health, auth, projects, scenes, audio, assets, renders, frames, timeline,
                   preview):  # fmt: skip
        app.include_router(module.router, prefix="/api")
    app.include_router(batches.router, prefix="/api")
    app.include_router(renders.shared_router, prefix="/api")
    app.include_router(webhook_secret.router, prefix="/api")
    errors.install(app)
    app.add_middleware(BodyLimitMiddleware, limits=lambda: context.limits)
    app.add_middleware(SecurityHeadersMiddleware)
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    web = web_dir if web_dir is not None else default_web_dir()
    if web.is_dir():
        app.mount("/", StaticFiles(directory=web, html=True), name="web")
    return app


def _openapi(app: FastAPI) -> dict[str, Any]:
    """FastAPI's schema, with the typed bodies of the routes that read raw JSON."""
    if app.openapi_schema:
        return app.openapi_schema
    schema = get_openapi(title=app.title, version=app.version, routes=app.routes)
    bodies = document_bodies()
    _, definitions = models_json_schema(
        [(model, "validation") for model in bodies.values()],
        ref_template="#/components/schemas/{model}",
        by_alias=True,
    )
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    for name, definition in definitions.get("$defs", {}).items():
        components.setdefault(name, definition)
    for path_item in schema["paths"].values():
        for operation in path_item.values():
            model = bodies.get(operation.get("operationId", ""))
            if model is not None:
                operation["requestBody"] = {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {"$ref": f"#/components/schemas/{model.__name__}"}
                        }
                    },
                }
    app.openapi_schema = schema
    return schema
