"""Own music tracks through the API: uploaded WAV, MP3 and M4A render with the music in them,
exactly as through the CLI (uploads are stored without a file extension)."""

from __future__ import annotations

import io
from pathlib import Path

import av
import httpx
import numpy as np
import pytest

import realworld_media as rw

from .support import create_project
from .test_renders import wait_for


@pytest.mark.parametrize("ext", ["wav", "mp3", "m4a"])
def test_an_uploaded_track_is_heard_in_the_render(
    api: httpx.Client, ext: str, tmp_path: Path
) -> None:
    track = rw.music_track(tmp_path / f"song.{ext}", seconds=1.5)
    uploaded = api.post("/api/assets", files={"file": (track.name, track.read_bytes())})
    assert uploaded.status_code == 201, uploaded.text
    assert uploaded.json()["kind"] == "audio"
    document = {
        "version": 1,
        "output": {"aspect": "16:9", "resolution": 360, "fps": 24},
        "music": {"enabled": True, "volume": 0.8, "src": uploaded.json()["ref"]},
        "captions": {"enabled": False},
        "scenes": [{"duration": 3, "visual": {"type": "color", "color": "#223344"}}],
    }
    project = create_project(api, document)
    started = api.post(f"/api/projects/{project['id']}/renders", json={"preview": True})
    final = wait_for(api, started.json()["id"])
    assert final["status"] == "succeeded", final
    video = api.get(final["outputs"]["video"]).content
    with av.open(io.BytesIO(video)) as container:
        rate = container.streams.audio[0].codec_context.sample_rate
        sound = np.concatenate(
            [f.to_ndarray().mean(axis=0) for f in container.decode(audio=0)]
        ).astype(np.float64)
    assert len(sound) == pytest.approx(3 * rate, abs=rate * 0.05)
    # the track (1.5 s) is looped to the whole video: music in the middle and in the last second
    for part in (sound[rate // 2 : rate + rate // 2], sound[-rate : -rate // 4]):
        assert rw.rms_db(part) > -35, ext
        assert rw.dominant_hz(part, rate) == pytest.approx(rw.MUSIC_HZ, abs=5)
