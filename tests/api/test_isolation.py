"""A user sees only their own projects, assets and renders: another user's ids answer 404."""

from __future__ import annotations

import time

import httpx

from .media import image_bytes
from .support import assert_error, create_project, sample_document


def test_another_user_gets_404_on_every_id(api: httpx.Client, bob_api: httpx.Client) -> None:
    asset = api.post("/api/assets", files={"file": ("p.png", image_bytes(), "image/png")}).json()
    project = create_project(api, sample_document(scenes=[{"id": "intro"}]))
    pid = project["id"]
    render = api.post(f"/api/projects/{pid}/renders", json={"preview": True}).json()
    before = api.get(f"/api/projects/{pid}").content

    requests: list[tuple[str, str, object]] = [
        ("GET", f"/api/projects/{pid}", None),
        ("PATCH", f"/api/projects/{pid}", {"title": "Mine now"}),
        ("DELETE", f"/api/projects/{pid}", None),
        ("POST", f"/api/projects/{pid}/scenes", {"narration": "x"}),
        ("PATCH", f"/api/projects/{pid}/scenes/intro", {"narration": "x"}),
        ("DELETE", f"/api/projects/{pid}/scenes/intro", None),
        ("PUT", f"/api/projects/{pid}/scene-order", {"sceneIds": ["intro"]}),
        ("PATCH", f"/api/projects/{pid}/scenes/intro/product-overlay", {"scale": 0.5}),
        ("POST", f"/api/projects/{pid}/voiceover", {}),
        ("PATCH", f"/api/projects/{pid}/music", {"volume": 0.5}),
        ("POST", f"/api/projects/{pid}/music/regenerate", None),
        ("POST", f"/api/projects/{pid}/undo", None),
        ("POST", f"/api/projects/{pid}/redo", None),
        ("GET", f"/api/projects/{pid}/history", None),
        ("GET", f"/api/projects/{pid}/frame?t=0", None),
        ("POST", f"/api/projects/{pid}/renders", {}),
        ("GET", f"/api/projects/{pid}/renders", None),
        ("GET", f"/api/assets/{asset['id']}", None),
        ("GET", f"/api/renders/{render['id']}", None),
        ("GET", f"/api/renders/{render['id']}/events", None),
        ("GET", f"/api/renders/{render['id']}/output", None),
        ("GET", f"/api/renders/{render['id']}/captions.srt", None),
        ("GET", f"/api/renders/{render['id']}/captions.vtt", None),
        ("GET", f"/api/renders/{render['id']}/poster", None),
        ("POST", f"/api/renders/{render['id']}/share", {}),
        ("DELETE", f"/api/renders/{render['id']}/share", None),
        ("DELETE", f"/api/assets/{asset['id']}", None),
        ("DELETE", f"/api/renders/{render['id']}", None),
    ]
    for method, url, body in requests:
        response = bob_api.request(method, url, json=body)
        assert response.status_code == 404, (method, url, response.text)
        assert_error(response, 404)

    # A document of bob's cannot point at alice's asset either.
    bob_scenes = [{"visual": {"type": "image", "src": asset["ref"]}}]
    taken = bob_api.post("/api/projects", json={"document": sample_document(scenes=bob_scenes)})
    assert_error(taken, 400, "scenes[0].visual.src")

    assert pid not in [p["id"] for p in bob_api.get("/api/projects").json()]
    assert asset["id"] not in [a["id"] for a in bob_api.get("/api/assets").json()]
    assert api.get(f"/api/projects/{pid}").content == before
    assert api.get(f"/api/assets/{asset['id']}").status_code == 200
    deadline = time.monotonic() + 60
    while api.get(f"/api/renders/{render['id']}").json()["status"] in ("queued", "running"):
        assert time.monotonic() < deadline
        time.sleep(0.2)
    assert api.get(f"/api/renders/{render['id']}").json()["cancelRequested"] is False
