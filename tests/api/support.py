"""Helpers shared by the API tests."""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import select, update

from reelforge.api.app import create_app
from reelforge.api.context import AppContext
from reelforge.api.webhooks import WebhookPolicy
from reelforge.store import assets, projects, render_jobs
from reelforge.store.models import RenderJob, User, utcnow
from reelforge.store.users import add_user


def sample_document(**overrides: Any) -> dict[str, Any]:
    document: dict[str, Any] = {
        "version": 1,
        "title": "SmartBottle launch",
        "output": {"aspect": "16:9", "resolution": 360, "fps": 24},
        "music": {"enabled": False},
        "scenes": [
            {
                "id": "intro",
                "narration": "Meet SmartBottle.",
                "duration": 2,
                "visual": {"type": "color", "color": "#112233"},
                "productOverlay": {"enabled": True, "scale": 0.4},
            },
            {
                "id": "cold",
                "narration": "Cold for a day.",
                "duration": 2,
                "visual": {"type": "gradient", "colors": ["#000000", "#FFFFFF"]},
            },
            {"id": "outro", "narration": "Get yours.", "duration": 2},
        ],
    }
    document.update(overrides)
    return document


def create_project(api: httpx.Client, document: dict[str, Any] | None = None) -> dict[str, Any]:
    response = api.post("/api/projects", json={"document": document or sample_document()})
    assert response.status_code == 201, response.text
    project: dict[str, Any] = response.json()
    return project


def assert_error(response: httpx.Response, status: int, field: str | None = None) -> dict[str, Any]:
    """The response is an error of the documented shape, naming `field` if given."""
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"}, body
    error: dict[str, Any] = body["error"]
    assert isinstance(error["code"], str) and error["code"]
    assert isinstance(error["message"], str) and error["message"]
    assert set(error) <= {"code", "message", "field"}
    if field is not None:
        assert error.get("field") == field, error
    return error


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def finished_job_owing_a_webhook(
    data_dir: Path,
    *,
    user: str,
    policy: WebhookPolicy,
    document: dict[str, Any],
    webhook: str,
    status: str,
) -> tuple[AppContext, str]:
    """An app (its coordinator not started) whose database holds a job that finished five
    minutes ago, as a process that died before sending its webhook would leave it. Returns the
    app's context (the caller disposes of its database) and the job's id."""
    add_user(data_dir=data_dir, name=user)
    app = create_app(data_dir=data_dir, lease_seconds=0.2, webhook_policy=policy)
    context: AppContext = app.state.context
    with context.db.session() as session:
        owner = session.scalar(select(User.id).where(User.name == user))
        assert owner is not None
        view = projects.create_project(
            session=session,
            owner_id=owner,
            document=document,
            check_refs=assets.ref_check(session=session, owner_id=owner),
        )
        job_id = render_jobs.create_job(
            session=session,
            owner_id=owner,
            project_id=view.id,
            preview=True,
            check_refs=assets.ref_check(session=session, owner_id=owner, stored=True),
            webhook=webhook,
        ).id
        with session.begin():
            session.execute(
                update(RenderJob)
                .where(RenderJob.id == job_id)
                .values(status=status, finished_at=utcnow() - dt.timedelta(minutes=5))
            )
    return context, job_id
