"""Storage lifecycle: a deleted project takes its renders' outputs and share links with it; the
retention sweep removes old outputs; served media is not sniffed; the editor has a CSP."""

from __future__ import annotations

import datetime as dt
from typing import Any

import httpx
from sqlalchemy import update

from reelforge.api.lifecycle import sweep_expired
from reelforge.store.models import RenderJob, utcnow

from .conftest import Deployment
from .support import assert_error, create_project, sample_document
from .test_renders import wait_for


def _finished(api: httpx.Client) -> tuple[dict[str, Any], dict[str, Any]]:
    document = sample_document(scenes=[{"id": "a", "duration": 1, "narration": "Hi."}])
    project = create_project(api, document)
    started = api.post(f"/api/projects/{project['id']}/renders", json={"preview": True})
    render = wait_for(api, started.json()["id"])
    assert render["status"] == "succeeded", render
    return project, render


def _share(api: httpx.Client, render_id: str) -> str:
    response = api.post(f"/api/renders/{render_id}/share", json={"expiresIn": 600})
    assert response.status_code == 201, response.text
    url: str = response.json()["url"]
    return url


def test_deleting_a_project_removes_its_render_outputs(
    deployment: Deployment, api: httpx.Client
) -> None:
    project, render = _finished(api)
    share = _share(api, render["id"])
    folder = deployment.server.data_dir / "renders" / render["id"]
    video = api.get(render["outputs"]["video"])
    assert video.status_code == 200 and folder.is_dir()
    assert video.headers["x-content-type-options"] == "nosniff"
    with deployment.client() as anonymous:
        assert anonymous.get(share).status_code == 200
        assert api.delete(f"/api/projects/{project['id']}").status_code == 204
        assert_error(anonymous.get(share), 404)
    assert not folder.exists()
    assert_error(api.get(f"/api/renders/{render['id']}"), 404)
    assert_error(api.get(render["outputs"]["video"]), 404)


def test_retention_removes_old_outputs(deployment: Deployment, api: httpx.Client) -> None:
    _, old = _finished(api)
    _, recent = _finished(api)
    share = _share(api, old["id"])
    renders = deployment.server.data_dir / "renders"
    with deployment.database() as db:
        with db.session() as session, session.begin():
            session.execute(
                update(RenderJob)
                .where(RenderJob.id == old["id"])
                .values(finished_at=utcnow() - dt.timedelta(days=8))
            )
        expired = sweep_expired(db=db, renders_dir=renders, retention=dt.timedelta(days=7))
    assert old["id"] in expired and recent["id"] not in expired
    assert not (renders / old["id"]).exists() and (renders / recent["id"]).is_dir()
    kept = api.get(f"/api/renders/{old['id']}").json()
    assert kept["status"] == "succeeded" and kept["outputs"] is None
    assert_error(api.get(f"/api/renders/{old['id']}/output"), 404)
    with deployment.client() as anonymous:
        assert anonymous.get(share).status_code in (404, 410)
    assert api.get(recent["outputs"]["video"]).status_code == 200


def test_the_editor_page_has_a_content_security_policy(deployment: Deployment) -> None:
    with deployment.client() as client:
        page = client.get("/")
        if page.status_code == 404:  # no web/dist built
            return
        policy = page.headers["content-security-policy"]
        assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
        assert page.headers["x-content-type-options"] == "nosniff"
