"""Render jobs through the API: 202 at once, SSE progress, outputs with Range, cancel,
webhook, share links, still frames. These run the real renderer (preview quality)."""

from __future__ import annotations

import io
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any

import av
import httpx
import pytest
from PIL import Image

from .conftest import Deployment
from .support import assert_error, create_project, finished_job_owing_a_webhook, sample_document


def renderable(**overrides: Any) -> dict[str, Any]:
    document = sample_document(**overrides)
    for scene in document["scenes"]:
        scene.pop("productOverlay", None)
    return document


def wait_for(api: httpx.Client, render_id: str, timeout: float = 120) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        render: dict[str, Any] = api.get(f"/api/renders/{render_id}").json()
        if render["status"] in ("succeeded", "failed", "cancelled"):
            return render
        time.sleep(0.2)
    raise AssertionError(f"render {render_id} did not finish: {render}")


def sse_events(api: httpx.Client, url: str) -> Iterator[tuple[str, dict[str, Any]]]:
    with api.stream("GET", url, timeout=120) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        event = ""
        for line in response.iter_lines():
            if line.startswith("event: "):
                event = line[len("event: ") :]
            elif line.startswith("data: "):
                yield event, json.loads(line[len("data: ") :])


@pytest.fixture
def finished_render(api: httpx.Client) -> dict[str, Any]:
    project = create_project(api, renderable())
    started = api.post(f"/api/projects/{project['id']}/renders", json={"preview": True})
    return wait_for(api, started.json()["id"])


def test_render_returns_at_once_and_streams_progress(api: httpx.Client) -> None:
    project = create_project(api, renderable())
    began = time.monotonic()
    response = api.post(f"/api/projects/{project['id']}/renders", json={"preview": True})
    assert response.status_code == 202
    assert time.monotonic() - began < 2
    job = response.json()
    assert job["status"] in ("queued", "running") and job["projectRevision"] == 1
    assert response.headers["location"] == f"/api/renders/{job['id']}"
    events = list(sse_events(api, f"/api/renders/{job['id']}/events"))
    kinds = [kind for kind, _ in events]
    assert kinds[-1] == "done" and set(kinds[:-1]) == {"progress"}
    percents = [data["percent"] for _, data in events]
    assert percents == sorted(percents)
    final = events[-1][1]
    assert final["status"] == "succeeded", final
    assert final["percent"] == 100 and final["chunksTotal"] >= 1
    assert job["id"] in [r["id"] for r in api.get(f"/api/projects/{project['id']}/renders").json()]


def test_outputs(api: httpx.Client, finished_render: dict[str, Any]) -> None:
    assert finished_render["status"] == "succeeded", finished_render
    outputs = finished_render["outputs"]
    video = api.get(outputs["video"])
    assert video.status_code == 200 and video.headers["content-type"] == "video/mp4"
    with av.open(io.BytesIO(video.content)) as container:
        frames = sum(1 for _ in container.decode(video=0))
    assert frames == finished_render["frames"] == round(finished_render["duration"] * 15)
    ranged = api.get(outputs["video"], headers={"Range": "bytes=0-99"})
    assert ranged.status_code == 206 and ranged.content == video.content[:100]
    assert ranged.headers["content-range"] == f"bytes 0-99/{len(video.content)}"
    assert "Meet SmartBottle." in api.get(outputs["srt"]).text
    assert api.get(outputs["vtt"]).text.startswith("WEBVTT")
    poster = Image.open(io.BytesIO(api.get(outputs["poster"]).content))
    assert poster.size[1] == 480 or poster.size[1] <= 1080


def test_share_links(
    deployment: Deployment, api: httpx.Client, finished_render: dict[str, Any]
) -> None:
    share = api.post(f"/api/renders/{finished_render['id']}/share", json={"expiresIn": 600})
    assert share.status_code == 201
    url = share.json()["url"]
    with deployment.client() as anonymous:
        shared = anonymous.get(url)
        assert shared.status_code == 200
        assert shared.content == api.get(finished_render["outputs"]["video"]).content
        job, kind, expires, generation, signature = url.rsplit("/", 1)[1].split(".")
        longer = f"/api/shared/{job}.{kind}.{int(expires) + 999}.{generation}.{signature}"
        assert_error(anonymous.get(longer), 404)
        assert_error(
            anonymous.get(f"/api/shared/{job}.srt.{expires}.{generation}.{signature}"), 404
        )
        assert_error(anonymous.get(f"/api/shared/{job}.{kind}.{expires}.7.{signature}"), 404)
        assert_error(anonymous.get(f"/api/shared/{job}.{kind}.{expires}.{signature}"), 404)
        assert_error(anonymous.get("/api/shared/garbage"), 404)
        assert_error(anonymous.get(f"/api/shared/{job}.{kind}.{expires}.{generation}.ü"), 404)
        assert_error(anonymous.get(f"/api/shared/{job}.{kind}.{expires}.²"), 404)
    poster = api.post(f"/api/renders/{finished_render['id']}/share", json={"file": "poster"})
    assert poster.status_code == 201


def legacy_share_link(deployment: Deployment, render_id: str, expires: int) -> str:
    """A link in the format issued before links could be revoked (no generation in it)."""
    from reelforge.api.routes.renders import _sign
    from reelforge.store.users import server_key

    with deployment.database() as db, db.session() as session:
        key = server_key(session=session, name="share-links")
    payload = f"{render_id}.video.{expires}"
    return f"/api/shared/{payload}.{_sign(key, payload)}"


def test_revoked_share_links_stop_working(
    deployment: Deployment,
    api: httpx.Client,
    bob_api: httpx.Client,
    finished_render: dict[str, Any],
) -> None:
    render_id = finished_render["id"]
    share = f"/api/renders/{render_id}/share"
    video = api.get(finished_render["outputs"]["video"]).content
    old = [api.post(share, json={}).json()["url"], api.post(share, json={"file": "poster"}).json()]
    old = [old[0], old[1]["url"], legacy_share_link(deployment, render_id, int(time.time()) + 600)]
    with deployment.client() as anonymous:
        for url in old:
            assert anonymous.get(url, headers={"Range": "bytes=0-9"}).status_code == 206
        assert_error(bob_api.delete(share), 404)  # not bob's render
        assert_error(api.delete("/api/renders/nope/share"), 404)
        assert anonymous.get(old[0]).status_code == 200
        assert api.delete(share).status_code == 204
        for url in old:
            error = assert_error(anonymous.get(url), 410, "token")
            assert error["code"] == "share_revoked"
            assert_error(anonymous.get(url, headers={"Range": "bytes=0-99"}), 410)
        fresh = api.post(share, json={}).json()["url"]
        ranged = anonymous.get(fresh, headers={"Range": "bytes=0-99"})
        assert ranged.status_code == 206 and ranged.content == video[:100]
        assert anonymous.get(fresh).content == video
        assert api.delete(share).status_code == 204  # again: the fresh link goes too
        assert_error(anonymous.get(fresh), 410)
        assert_error(anonymous.get(old[0]), 410)
    assert api.get(finished_render["outputs"]["video"]).content == video  # the owner still can


def test_a_failing_render_reports_why(api: httpx.Client) -> None:
    project = create_project(api, sample_document())  # overlay on, but no product image
    job = api.post(f"/api/projects/{project['id']}/renders", json={}).json()
    final = wait_for(api, job["id"])
    assert final["status"] == "failed"
    assert final["error"]["code"] == "invalid_project"
    assert "product" in final["error"]["message"]
    assert_error(api.get(f"/api/renders/{job['id']}/output"), 404)


def test_cancel(api: httpx.Client) -> None:
    scenes = [{"id": f"s{i}", "duration": 4, "narration": ""} for i in range(15)]
    project = create_project(api, renderable(scenes=scenes))
    url = f"/api/projects/{project['id']}/renders"
    first = api.post(url, json={}).json()
    second = api.post(url, json={}).json()  # waits: one job at a time
    cancelled = api.delete(f"/api/renders/{second['id']}").json()
    assert cancelled["status"] == "cancelled"
    api.delete(f"/api/renders/{first['id']}")
    final = wait_for(api, first["id"])
    assert final["status"] == "cancelled", final
    assert final["error"]["code"] == "cancelled"


class _Hook(BaseHTTPRequestHandler):
    received: list[dict[str, Any]] = []

    def do_POST(self) -> None:  # noqa: N802 (the stdlib's name)
        body = self.rfile.read(int(self.headers["Content-Length"]))
        _Hook.received.append(json.loads(body))
        self.send_response(204)
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass


def test_webhook_gets_the_final_status(api: httpx.Client) -> None:
    server = HTTPServer(("127.0.0.1", 0), _Hook)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        hook = f"http://127.0.0.1:{server.server_address[1]}/done"
        project = create_project(api, renderable())
        job = api.post(
            f"/api/projects/{project['id']}/renders", json={"preview": True, "webhook": hook}
        ).json()
        wait_for(api, job["id"])
        deadline = time.monotonic() + 20
        while not any(r["render"]["id"] == job["id"] for r in _Hook.received):
            assert time.monotonic() < deadline, "no webhook call"
            time.sleep(0.1)
        call = next(r for r in _Hook.received if r["render"]["id"] == job["id"])
        assert call["event"] == "render.finished"
        assert call["render"]["status"] == "succeeded"
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"preview": "maybe"}, 422, "preview"),
        ({"webhook": "ftp://x"}, 400, "webhook"),  # every refused URL: 400 webhook_refused
        ({"x": 1}, 422, "x"),
    ],
)
def test_bad_render_requests(
    api: httpx.Client, body: dict[str, Any], status: int, field: str
) -> None:
    project = create_project(api, renderable())
    url = f"/api/projects/{project['id']}/renders"
    assert_error(api.post(url, json=body), status, field)
    assert api.get(url).json() == []
    assert_error(api.post("/api/projects/nope/renders", json={}), 404)
    assert_error(api.get("/api/renders/nope"), 404)
    assert_error(api.delete("/api/renders/nope"), 404)
    assert_error(api.get("/api/renders/nope/events"), 404)


def test_frame(api: httpx.Client) -> None:
    project = create_project(api, renderable())
    url = f"/api/projects/{project['id']}/frame"
    first = api.get(url, params={"t": 1.0})
    assert first.status_code == 200 and first.headers["content-type"] == "image/png"
    image = Image.open(io.BytesIO(first.content))
    assert image.size == (640, 360)
    pixel = image.convert("RGB").getpixel((5, 5))
    assert isinstance(pixel, tuple)
    assert all(abs(a - b) <= 3 for a, b in zip(pixel, (0x11, 0x22, 0x33), strict=True))
    began = time.monotonic()
    again = api.get(url, params={"t": 1.0})
    assert again.content == first.content and again.headers["etag"] == first.headers["etag"]
    assert time.monotonic() - began < 1.0
    later = api.get(url, params={"t": 3.0})
    assert later.status_code == 200 and later.content != first.content
    assert_error(api.get(url, params={"t": -1}), 422, "t")
    assert_error(api.get(url, params={"t": "soon"}), 422, "t")
    assert_error(api.get(url), 422, "t")
    assert_error(api.get("/api/projects/nope/frame", params={"t": 1}), 404)


def test_a_webhook_a_crash_left_unsent_is_sent_on_restart(tmp_path: Path) -> None:
    """A process finished a job, then died before its webhook went out: the next one sends it."""
    from sqlalchemy import select

    from reelforge.api.webhooks import WebhookPolicy
    from reelforge.store import render_jobs
    from reelforge.store.models import RenderJob, utcnow

    server = HTTPServer(("127.0.0.1", 0), _Hook)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        context, job_id = finished_job_owing_a_webhook(
            tmp_path,
            user="crashed",
            policy=WebhookPolicy(allow_private=True),  # the receiver is on this machine
            document=renderable(),
            webhook=f"http://127.0.0.1:{server.server_address[1]}/owed",
            status="succeeded",
        )
        context.coordinator.start()
        try:
            deadline = time.monotonic() + 20
            while not any(r["render"]["id"] == job_id for r in _Hook.received):
                assert time.monotonic() < deadline, "the owed webhook was not sent"
                time.sleep(0.1)
        finally:
            context.coordinator.stop()
        with context.db.session() as session:
            assert session.scalar(select(RenderJob.webhook_sent).where(RenderJob.id == job_id))
            assert render_jobs.unsent_webhooks(session=session, finished_before=utcnow()) == []
        context.db.dispose()
    finally:
        server.shutdown()
        server.server_close()
