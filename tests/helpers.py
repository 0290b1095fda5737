"""Plain helpers for tests: documents, decoding, measuring."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import av
import numpy as np

GREEN = (20, 220, 60)


def document(*scenes: dict[str, Any], **top: Any) -> dict[str, Any]:
    """A small test project: 360p, 30 fps, no music, unless told otherwise."""
    doc: dict[str, Any] = {
        "output": {"aspect": "16:9", "resolution": 360, "fps": 30},
        "music": {"enabled": False},
        "captions": {"enabled": False},
        "scenes": list(scenes),
    }
    for key, value in top.items():
        doc[key] = value
    return doc


def color_scene(color: str, duration: float = 1.0, **extra: Any) -> dict[str, Any]:
    return {"duration": duration, "visual": {"type": "color", "color": color}, **extra}


def decode_frames(path: Path, fmt: str = "rgb24") -> list[np.ndarray]:
    with av.open(str(path)) as container:
        return [f.to_ndarray(format=fmt) for f in container.decode(video=0)]


def video_info(path: Path) -> dict[str, Any]:
    with av.open(str(path)) as container:
        v = container.streams.video[0]
        a = container.streams.audio[0] if container.streams.audio else None
        return {
            "width": v.codec_context.width,
            "height": v.codec_context.height,
            "fps": float(v.average_rate) if v.average_rate else 0.0,
            "frames": sum(1 for p in container.demux(v) if p.size),
            "audio_rate": a.codec_context.sample_rate if a else 0,
        }


def psnr(a: np.ndarray, b: np.ndarray) -> float:
    mse = float(np.mean((a.astype(np.float64) - b.astype(np.float64)) ** 2))
    return 99.0 if mse == 0 else 10 * np.log10(255.0**2 / mse)


def write_doc(path: Path, doc: dict[str, Any]) -> Path:
    path.write_text(json.dumps(doc))
    return path
