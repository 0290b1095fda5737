"""Shared fixtures: generated media, project documents, rendering and decoding helpers."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from helpers import GREEN
from reelforge.config import ffmpeg_exe
from reelforge.render.pipeline import RenderOptions, RenderResult, render_project
from reelforge.spec import parse_project
from reelforge.timeline.assets import DirectoryResolver
from reelforge.timeline.resolve import EstimateNarrator


@pytest.fixture(scope="session")
def media_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Small generated media shared by the tests."""
    d = tmp_path_factory.mktemp("media")
    Image.new("RGBA", (200, 200), GREEN + (255,)).save(d / "product.png")
    tall = Image.new("RGBA", (100, 200), (0, 0, 0, 0))
    tall.paste(Image.new("RGBA", (100, 200), GREEN + (255,)))
    tall.save(d / "tall.png")
    stripes = Image.new("RGB", (640, 480), (200, 80, 40))
    for x in range(0, 640, 32):
        stripes.paste((255, 255, 255), (x, 0, x + 4, 480))
    stripes.save(d / "photo.jpg", quality=95)
    Image.new("RGBA", (120, 60), (255, 0, 255, 255)).save(d / "logo.png")
    (d / "notes.png").write_text("this is not an image\n")
    (d / "vector.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="9" height="9"/>')
    (d / "truncated.png").write_bytes((d / "photo.jpg").read_bytes()[:5000])
    subprocess.run(
        [
            ffmpeg_exe(),
            "-v",
            "error",
            "-y",
            "-f",
            "lavfi",
            "-i",
            "testsrc2=s=320x240:r=25:d=2",
            "-f",
            "lavfi",
            "-i",
            "sine=f=440:d=2:sample_rate=48000",
            "-c:v",
            "libx264",
            "-preset",
            "ultrafast",
            "-pix_fmt",
            "yuv420p",
            "-c:a",
            "aac",
            "-shortest",
            str(d / "clip.mp4"),
        ],
        check=True,
    )
    _huge_png_header(d / "huge.png", 30000, 30000)
    return d


def _huge_png_header(path: Path, width: int, height: int) -> None:
    """A PNG that claims 30000×30000 pixels (the header is all a prober should need to read)."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    body = zlib.compress(b"\x00" * 64)
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", body) + chunk(b"IEND", b"")
    )


@pytest.fixture
def cache_dir(tmp_path: Path) -> Path:
    d = tmp_path / "cache"
    d.mkdir()
    return d


Renderer = Callable[..., RenderResult]


@pytest.fixture
def render(media_dir: Path, cache_dir: Path, tmp_path: Path) -> Renderer:
    """Render a document dict; media paths are relative to the shared media folder."""
    counter = iter(range(1000))

    def _render(doc: dict[str, Any], *, name: str | None = None, **options: Any) -> RenderResult:
        project = parse_project(doc)
        out = tmp_path / f"{name or f'out{next(counter)}'}.mp4"
        options.setdefault("cache_dir", cache_dir)
        narrator = options.pop("narrator", EstimateNarrator())
        return render_project(
            project,
            resolver=DirectoryResolver(media_dir),
            out=out,
            options=RenderOptions(**options),
            narrator=narrator,
        )

    return _render
