"""`GET /projects/{id}/timeline`: real scene lengths, narration synthesised by Piper."""

from __future__ import annotations

from typing import Any

import httpx

from .support import assert_error, create_project


def test_timeline_follows_the_narration(api: httpx.Client) -> None:
    document: dict[str, Any] = {
        "output": {"resolution": 360, "fps": 30},
        "scenes": [
            {"id": "talk", "narration": "Meet SmartBottle. Cold for twenty-four hours."},
            {"id": "quiet", "duration": 1.5},
            {"id": "short", "narration": "Hi."},
        ],
    }
    project = create_project(api, document)
    response = api.get(f"/api/projects/{project['id']}/timeline")
    assert response.status_code == 200, response.text
    timeline = response.json()
    talk, quiet, short = timeline["scenes"]
    assert talk["auto"] and talk["narrationSeconds"] > 1.5
    assert talk["duration"] > talk["narrationSeconds"]
    assert (quiet["auto"], quiet["duration"], quiet["start"]) == (False, 1.5, talk["duration"])
    assert short["duration"] == 2.0, "an automatic scene lasts at least 2 s"
    assert timeline["duration"] == talk["duration"] + 1.5 + 2.0
    assert timeline["frames"] == round(timeline["duration"] * 30)
    other = api.get("/api/projects/does-not-exist/timeline")
    assert_error(other, 404)
