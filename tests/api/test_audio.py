"""Voices, music styles, voiceover regeneration and the music settings."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from .support import assert_error


def test_voices(api: httpx.Client) -> None:
    voices = api.get("/api/voices").json()
    assert voices and {"id", "name", "language", "quality"} <= set(voices[0])
    assert "piper:en_US-joe-medium" in [voice["id"] for voice in voices]


def test_music_styles(api: httpx.Client) -> None:
    styles = api.get("/api/music-styles").json()
    ids = {style["id"] for style in styles}
    assert {"upbeat", "corporate", "cinematic", "lofi", "ambient", "acoustic"} <= ids
    assert len(styles[0]["tempoRange"]) == 2


def test_regenerate_voiceover(api: httpx.Client, project: dict[str, Any]) -> None:
    url = f"/api/projects/{project['id']}"
    voice = api.get("/api/voices").json()[0]["id"]
    response = api.post(f"{url}/voiceover", json={"sceneIds": ["cold"], "voiceId": voice})
    assert response.status_code == 200, response.text
    scenes = response.json()["document"]["scenes"]
    assert scenes[1]["voice"]["id"] == voice
    assert scenes[0].get("voice") is None
    before = api.get(url).content
    assert_error(api.post(f"{url}/voiceover", json={"sceneIds": ["nope"]}), 400)
    assert_error(api.post(f"{url}/voiceover", json={"voiceId": "piper:nobody"}), 400)
    assert_error(api.post(f"{url}/voiceover", json={"sceneIds": "cold"}), 422, "sceneIds")
    assert api.get(url).content == before


def test_music_patch_and_regenerate(api: httpx.Client, project: dict[str, Any]) -> None:
    url = f"/api/projects/{project['id']}"
    response = api.patch(f"{url}/music", json={"enabled": True, "style": "lofi", "volume": 0.3})
    assert response.status_code == 200, response.text
    music = response.json()["document"]["music"]
    assert (music["enabled"], music["style"], music["volume"]) == (True, "lofi", 0.3)
    regenerated = api.post(f"{url}/music/regenerate").json()["document"]["music"]
    assert regenerated["seed"] != music["seed"]
    assert {**regenerated, "seed": music["seed"]} == music
    labels = [e["label"] for e in api.get(f"{url}/history").json()["entries"]]
    assert labels[-1].startswith("Regenerate music (seed ")
    assert labels[-2] == "Music: enabled, style, volume"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"style": "polka"}, "music.style"),
        ({"volume": 2}, "music.volume"),
        ({"src": "song.mp3"}, "music.src"),
        ({"src": "asset:none"}, "music.src"),
        ({"tempo": 120}, "music.tempo"),
    ],
)
def test_bad_music_edits(
    api: httpx.Client, project: dict[str, Any], body: dict[str, Any], field: str
) -> None:
    url = f"/api/projects/{project['id']}"
    before = api.get(url).content
    assert_error(api.patch(f"{url}/music", json=body), 400, field)
    assert api.get(url).content == before
