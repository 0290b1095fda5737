"""Through the server: a video whose narration ends early still carries its music to the end."""

from __future__ import annotations

import io

import av
import httpx
import numpy as np

from .support import create_project
from .test_renders import wait_for


def _rms_db(samples: np.ndarray) -> float:
    return float(20 * np.log10(np.sqrt(np.mean(samples**2)) + 1e-12))


def test_last_seconds_after_the_narration_carry_music(api: httpx.Client) -> None:
    document = {
        "output": {"aspect": "16:9", "resolution": 360, "fps": 24},
        "music": {"enabled": True, "style": "corporate", "seed": 3},
        "captions": {"enabled": False},
        "scenes": [
            {
                "narration": "Order today.",
                "duration": 4.0,
                "visual": {"type": "color", "color": "#102030"},
            },
        ],  # fmt: skip
    }
    project = create_project(api, document)
    started = api.post(f"/api/projects/{project['id']}/renders", json={"preview": True})
    render = wait_for(api, started.json()["id"], timeout=240)
    assert render["status"] == "succeeded", render
    video = api.get(render["outputs"]["video"]).content
    with av.open(io.BytesIO(video)) as container:
        rate = container.streams.audio[0].codec_context.sample_rate
        samples = np.concatenate(
            [f.to_ndarray().astype(np.float64).mean(axis=0) for f in container.decode(audio=0)]
        )
    assert len(samples) / rate > 3.9
    # "Order today." is spoken in its first second; the rest is music, up to the very end
    assert _rms_db(samples[-2 * rate : -rate]) > -36
    assert _rms_db(samples[-rate:]) > -40
    assert _rms_db(samples[-rate // 4 : -rate // 40]) > -60
