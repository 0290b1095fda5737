"""CRASH TEST: kill -9 the server in the middle of a multi-chunk render, start it again: the job
resumes by itself, completes, and the chunks finished before the crash are not rendered again.
On SQLite and on PostgreSQL (a database of its own, so no other test's server takes the job)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import httpx

from reelforge.store.users import add_user

from .conftest import ServerProcess
from .support import create_project

SCENES = 24


def status(client: httpx.Client, render_id: str) -> dict[str, Any]:
    render: dict[str, Any] = client.get(f"/api/renders/{render_id}").json()
    return render


def test_render_job_survives_kill_9(tmp_path: Path, own_database: str | None) -> None:
    env = {"REELFORGE_CHUNK_SECONDS": "1"}
    server = ServerProcess(tmp_path, own_database, env=env, lease_seconds=2).start()
    token = add_user(data_dir=tmp_path, name="crash", database_url=own_database)
    scenes = [
        {"id": f"s{i}", "duration": 1, "visual": {"type": "gradient", "angle": i * 10}}
        for i in range(SCENES)
    ]
    document = {"version": 1, "output": {"resolution": 360, "fps": 24}, "scenes": scenes}
    document["music"] = {"enabled": False}
    try:
        with server.client(token) as client:
            project = create_project(client, document)
            job = client.post(f"/api/projects/{project['id']}/renders", json={}).json()
            deadline = time.monotonic() + 120
            done_before_kill = 0
            while time.monotonic() < deadline:
                render = status(client, job["id"])
                assert render["status"] in ("queued", "running"), render
                done_before_kill = render["chunksDone"]
                if render["phase"] == "render" and done_before_kill >= 3:
                    break
                time.sleep(0.05)
            server.kill()
        assert 3 <= done_before_kill < SCENES, "the render was not caught mid-way"

        restarted = ServerProcess(tmp_path, own_database, env=env, lease_seconds=2).start()
        try:
            with restarted.client(token) as client:
                deadline = time.monotonic() + 180
                while (render := status(client, job["id"]))["status"] in ("queued", "running"):
                    assert time.monotonic() < deadline, render
                    time.sleep(0.2)
                assert render["status"] == "succeeded", render
                assert render["chunksTotal"] == SCENES
                assert render["chunksCached"] >= done_before_kill
                assert render["chunksRendered"] + render["chunksCached"] == SCENES
                assert render["frames"] == SCENES * 24
                assert client.get(render["outputs"]["video"]).status_code == 200
        finally:
            restarted.stop()
    finally:
        server.stop()
