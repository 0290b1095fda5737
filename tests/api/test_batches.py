"""Batches through a real server: a template stored with its placeholders, rows as JSON or a
CSV upload, each row an ordinary render, a bad row failing alone, cancel, results as CSV, and
the webhook when every row finished."""

from __future__ import annotations

import csv
import io
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import httpx
import numpy as np
import pytest
from PIL import Image

from helpers import decode_frames

from .support import assert_error, create_project, sample_document


def template() -> dict[str, Any]:
    document = sample_document()
    for scene in document["scenes"]:
        scene.pop("productOverlay", None)
        scene["duration"] = 1
        scene["narration"] = ""
    document["scenes"][1]["visual"] = {"type": "color", "color": "{{accent}}"}
    document["scenes"][1]["title"] = {"text": "Hi {{name}}", "position": "top"}
    document["variables"] = {
        "name": {"type": "text", "default": "you"},
        "accent": {"type": "color", "default": "#FF0000"},
    }
    return document


def wait_batch(api: httpx.Client, batch_id: str, timeout: float = 180) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        batch: dict[str, Any] = api.get(f"/api/batches/{batch_id}").json()
        if batch["finishedAt"] is not None:
            return batch
        time.sleep(0.3)
    raise AssertionError(f"batch {batch_id} did not finish: {batch}")


class _Hooks(BaseHTTPRequestHandler):
    bodies: list[dict[str, Any]] = []

    def do_POST(self) -> None:  # noqa: N802 (the stdlib's name)
        _Hooks.bodies.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
        self.send_response(204)
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass


@pytest.fixture
def hooks() -> Iterator[str]:
    server = HTTPServer(("127.0.0.1", 0), _Hooks)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/batch"
    finally:
        server.shutdown()
        server.server_close()


def test_template_is_stored_with_its_placeholders(api: httpx.Client) -> None:
    project = create_project(api, template())
    stored = api.get(f"/api/projects/{project['id']}").json()["document"]
    # the view is the template rendered as is (its defaults); the still shows that too
    assert stored["scenes"][1]["visual"]["color"] == "#FF0000"
    assert stored["variables"]["accent"] == {"type": "color", "default": "#FF0000"}
    edited = api.patch(f"/api/projects/{project['id']}", json={"title": "Renamed"})
    assert edited.status_code == 200, edited.text
    started = api.post(f"/api/projects/{project['id']}/batches",
                       json={"rows": [{"accent": "#0000FF"}], "preview": True})  # fmt: skip
    assert started.status_code == 202, started.text
    batch = wait_batch(api, started.json()["id"])
    assert batch["status"] == "succeeded", batch
    render = api.get(f"/api/renders/{batch['rows'][0]['renderId']}").json()
    assert render["status"] == "succeeded"


def test_batch_of_rows_with_a_bad_one_and_a_webhook(
    api: httpx.Client, hooks: str, tmp_path: Any
) -> None:
    project = create_project(api, template())
    rows = [
        {"id": "ada", "name": "Ada", "accent": "#0000FF"},
        {"id": "bob", "name": 'Bøb, "B"'},
        {"id": "bad", "accent": "red"},
    ]
    started = api.post(f"/api/projects/{project['id']}/batches",
                       json={"rows": rows, "preview": True, "webhook": hooks})  # fmt: skip
    assert started.status_code == 202, started.text
    assert started.headers["location"] == f"/api/batches/{started.json()['id']}"
    assert started.json()["status"] in ("queued", "running")
    batch = wait_batch(api, started.json()["id"])
    assert batch["status"] == "partial"
    assert [(r["id"], r["status"]) for r in batch["rows"]] == [
        ("ada", "succeeded"), ("bob", "succeeded"), ("bad", "failed")]  # fmt: skip
    assert batch["rows"][2] == {
        "id": "bad",
        "status": "failed",
        "renderId": None,
        "error": "row 3 (bad): scenes[1].visual.color: variable 'accent' must be a colour like "
        "#RRGGBB, got 'red'",
    }
    videos = {}
    for row in batch["rows"][:2]:
        response = api.get(f"/api/renders/{row['renderId']}/output")
        assert response.status_code == 200
        (tmp_path / f"{row['id']}.mp4").write_bytes(response.content)
        videos[row["id"]] = decode_frames(tmp_path / f"{row['id']}.mp4")
    ada, bob = videos["ada"], videos["bob"]
    fps = 15
    assert len(ada) == len(bob) == 3 * fps
    for i in [*range(fps), *range(2 * fps, 3 * fps)]:
        assert np.array_equal(ada[i], bob[i]), i
    assert ada[fps + 5][-20, 20][2] > 200 and bob[fps + 5][-20, 20][0] > 200
    results = api.get(f"/api/batches/{batch['id']}/results.csv")
    assert results.status_code == 200 and results.headers["content-type"].startswith("text/csv")
    table = list(csv.DictReader(io.StringIO(results.text)))
    assert [(r["id"], r["status"]) for r in table] == [
        ("ada", "succeeded"), ("bob", "succeeded"), ("bad", "failed")]  # fmt: skip
    assert table[0]["output"] == f"/api/renders/{batch['rows'][0]['renderId']}/output"
    deadline = time.monotonic() + 30
    while not _Hooks.bodies and time.monotonic() < deadline:
        time.sleep(0.2)
    hook = next(b for b in _Hooks.bodies if b["batch"]["id"] == batch["id"])
    assert hook["event"] == "batch.finished" and hook["batch"]["status"] == "partial"


def test_csv_upload_cancel_and_errors(api: httpx.Client, bob_api: httpx.Client) -> None:
    project = create_project(api, template())
    url = f"/api/projects/{project['id']}/batches/csv"
    body = 'id,name,accent\r\nx1,"Smith, J",#00FF00\r\nx2,Zoë 日本,\r\n'.encode()
    started = api.post(url, params={"preview": "true"}, content=body,
                       headers={"Content-Type": "text/csv"})  # fmt: skip
    assert started.status_code == 202, started.text
    batch_id = started.json()["id"]
    assert [r["id"] for r in started.json()["rows"]] == ["x1", "x2"]
    assert_error(bob_api.get(f"/api/batches/{batch_id}"), 404)
    cancelled = api.delete(f"/api/batches/{batch_id}")
    assert cancelled.status_code == 200 and cancelled.json()["cancelRequested"] is True
    final = wait_batch(api, batch_id)
    assert final["status"] in ("cancelled", "succeeded", "partial"), final
    if final["status"] == "cancelled":
        assert any(r["status"] == "cancelled" for r in final["rows"])
    bad = api.post(url, content=b"id,colour\r\n1,#000000\r\n", headers={"Content-Type": "text/csv"})
    assert bad.status_code == 202
    assert bad.json()["rows"][0]["error"] == (
        "row 1: variable 'colour' is not declared by the template"
    )
    plain = create_project(api, sample_document())
    assert_error(api.post(f"/api/projects/{plain['id']}/batches", json={"rows": [{}]}), 400,
                 "variables")  # fmt: skip
    ragged = api.post(url, content=b"id,name\r\n1,a,b\r\n", headers={"Content-Type": "text/csv"})
    assert "row 1 has 3 cells, the header 2" in assert_error(ragged, 400)["message"]


def test_idempotent_batch_retries(api: httpx.Client, bob_api: httpx.Client) -> None:
    project = create_project(api, template())
    url = f"/api/projects/{project['id']}/batches"
    key = {"Idempotency-Key": "batch-7"}
    body = {"rows": [{"id": "r1", "name": "Ann"}], "preview": True}
    first = api.post(url, json=body, headers=key)
    again = api.post(url, json=body, headers=key)
    assert first.status_code == again.status_code == 202, again.text
    assert again.json()["id"] == first.json()["id"]
    assert again.json()["rows"][0]["renderId"] == first.json()["rows"][0]["renderId"]
    assert again.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers
    other = api.post(url, json={**body, "preview": False}, headers=key)
    assert assert_error(other, 422, "Idempotency-Key")["code"] == "idempotency_key_reused"
    csv_url = f"{url}/csv"
    csv_key = {"Idempotency-Key": "batch-csv", "Content-Type": "text/csv"}
    csv_first = api.post(csv_url, content=b"id,name\r\nc1,Bo\r\n", headers=csv_key)
    csv_again = api.post(csv_url, content=b"id,name\r\nc1,Bo\r\n", headers=csv_key)
    assert csv_again.json()["id"] == csv_first.json()["id"] != first.json()["id"]
    changed = api.post(csv_url, content=b"id,name\r\nc1,Cy\r\n", headers=csv_key)
    assert assert_error(changed, 422, "Idempotency-Key")["code"] == "idempotency_key_reused"
    # A key belongs to its user: Bob's same key is a batch of his own.
    bob_project = create_project(bob_api, template())
    bob = bob_api.post(f"/api/projects/{bob_project['id']}/batches", json=body, headers=key)
    assert bob.status_code == 202 and bob.json()["id"] != first.json()["id"]
    for batch_id in (first.json()["id"], csv_first.json()["id"]):
        assert api.delete(f"/api/batches/{batch_id}").status_code == 200
    bob_api.delete(f"/api/batches/{bob.json()['id']}")


def test_a_row_previews_as_a_still(api: httpx.Client) -> None:
    project = create_project(api, template())
    url = f"/api/projects/{project['id']}/frame"
    colours = {}
    for values in (None, {"accent": "#0000FF"}, {"accent": "#00FF00", "name": "Zoë"}):
        params = {"t": 1.5} | ({"values": json.dumps(values)} if values else {})
        response = api.get(url, params=params)
        assert response.status_code == 200 and response.headers["content-type"] == "image/png"
        with Image.open(io.BytesIO(response.content)) as image:
            colours[json.dumps(values)] = image.convert("RGB").getpixel((10, 300))
    red, blue, green = colours.values()
    assert red[0] > 200 and red[2] < 40, red  # the default
    assert blue[2] > 200 and blue[0] < 40, blue
    assert green[1] > 200 and green[0] < 40, green
    bad = api.get(url, params={"t": 1.5, "values": json.dumps({"accent": "blue"})})
    assert (
        "variable 'accent' must be a colour"
        in assert_error(bad, 400, "scenes[1].visual.color")["message"]
    )
    assert_error(api.get(url, params={"t": 1, "values": "[1]"}), 400, "values")
