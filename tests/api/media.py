"""Small media files made on the fly for upload tests."""

from __future__ import annotations

import io
import random
import wave
from pathlib import Path

import av
import numpy as np
from PIL import Image


def image_bytes(
    fmt: str = "PNG", size: tuple[int, int] = (64, 48), color: tuple[int, int, int] = (200, 30, 30)
) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format=fmt)
    return buffer.getvalue()


def wav_bytes(seconds: float = 0.5, rate: int = 16000) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        tone = (np.sin(np.arange(int(seconds * rate)) / 10) * 8000).astype("<i2")
        out.writeframes(tone.tobytes())
    return buffer.getvalue()


def mp4_bytes(tmp: Path, frames: int = 10) -> bytes:
    path = tmp / "clip.mp4"
    with av.open(str(path), "w") as container:
        stream = container.add_stream("mpeg4", rate=10)
        stream.width, stream.height, stream.pix_fmt = 64, 48, "yuv420p"
        for index in range(frames):
            pixels = np.full((48, 64, 3), index * 20, dtype=np.uint8)
            for packet in stream.encode(av.VideoFrame.from_ndarray(pixels, format="rgb24")):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return path.read_bytes()


def unique_image_bytes() -> bytes:
    """A PNG no other test uploads (its own bytes, so its own stored file)."""
    red, green, blue = (random.randrange(256) for _ in range(3))
    return image_bytes(size=(61, 47), color=(red, green, blue))
