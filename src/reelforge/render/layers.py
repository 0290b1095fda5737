"""Pillow-drawn layers: prepared stills, the product image, the logo (text: text.py).

Every layer is a PNG in the layer cache, named by a hash of everything that decides its pixels,
so chunks share them and a repeated render draws nothing.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageFilter

from reelforge.files import atomic_write_bytes
from reelforge.pictures import canonical_picture, open_image, upright_size
from reelforge.render.chunks import renderer_version
from reelforge.timeline.model import Asset, Look, OverlayLayer, StillVisual

MOTION_SUPERSAMPLE = 2  # stills with camera motion are drawn at 2× for sub-pixel smooth motion


@dataclass(frozen=True)
class Placed:
    """A drawn layer and where its top-left corner goes on the frame."""

    path: Path
    x: int
    y: int
    width: int
    height: int


def _key(*parts: object) -> str:
    text = json.dumps([renderer_version(), *parts], sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def _cached(cache: Path, key: str, draw: Image.Image | Callable[[], Image.Image]) -> Path:
    path = cache / "layers" / f"{key}.png"
    if not path.exists():
        import io

        image = draw if isinstance(draw, Image.Image) else draw()
        buf = io.BytesIO()
        image.save(buf, format="PNG", compress_level=1)
        atomic_write_bytes(path, buf.getvalue())
    return path


def _picture(asset: Asset, cache: Path) -> Path:
    """A user's picture upright, in sRGB, 8-bit (reelforge.pictures), decoded once per file."""
    return canonical_picture(Path(asset.path), asset.hash, cache)


def _rgb(color: str) -> tuple[int, int, int, int]:
    c = color.lstrip("#")
    alpha = int(c[6:8], 16) if len(c) == 8 else 255
    return int(c[0:2], 16), int(c[2:4], 16), int(c[4:6], 16), alpha


def still_size(look: Look, visual: StillVisual) -> tuple[int, int]:
    factor = MOTION_SUPERSAMPLE if visual.motion != "none" else 1
    return look.width * factor, look.height * factor


def draw_still(look: Look, visual: StillVisual, cache: Path) -> Path:
    """The scene's picture at frame size (2× for motion), as an opaque PNG."""
    width, height = still_size(look, visual)
    key = _key(
        "still",
        width,
        height,
        visual.source,
        visual.image.hash if visual.image else None,
        visual.fit,
        visual.colors,
        visual.angle,
    )

    def draw() -> Image.Image:
        if visual.source == "color":
            return Image.new("RGB", (width, height), _rgb(visual.colors[0])[:3])
        if visual.source == "gradient":
            return _gradient(width, height, visual.colors, visual.angle)
        assert visual.image is not None
        with Image.open(_picture(visual.image, cache)) as src:
            img = src.convert("RGB")
        if visual.fit == "cover":
            return _cover(img, width, height)
        # contain: the whole picture over a blurred, darkened fill of itself
        back = _cover(img, width // 8 or 1, height // 8 or 1).filter(ImageFilter.GaussianBlur(3))
        back = back.resize((width, height), Image.Resampling.BILINEAR)
        back = Image.blend(back, Image.new("RGB", back.size, (0, 0, 0)), 0.45)
        scale = min(width / img.width, height / img.height)
        size = (max(1, round(img.width * scale)), max(1, round(img.height * scale)))
        fg = img.resize(size, Image.Resampling.LANCZOS)
        back.paste(fg, ((width - size[0]) // 2, (height - size[1]) // 2))
        return back

    return _cached(cache, key, draw)


def _cover(img: Image.Image, width: int, height: int) -> Image.Image:
    """Scale `img` to cover width × height and crop the middle.

    The crop box is computed in the source's own pixels and clamped to it, so floating-point
    rounding can never put an edge a hair outside the picture (Pillow refuses such a box).
    """
    scale = max(width / img.width, height / img.height)
    crop_w = min(float(img.width), width / scale)
    crop_h = min(float(img.height), height / scale)
    left = max(0.0, (img.width - crop_w) / 2)
    top = max(0.0, (img.height - crop_h) / 2)
    box = (left, top, min(float(img.width), left + crop_w), min(float(img.height), top + crop_h))
    return img.resize((width, height), Image.Resampling.LANCZOS, box=box)


def _gradient(width: int, height: int, colors: tuple[str, ...], angle: float) -> Image.Image:
    import numpy as np

    rad = math.radians(angle)
    # CSS convention: 0deg points up, 90deg to the right.
    dx, dy = math.sin(rad), -math.cos(rad)
    xs = np.linspace(-0.5, 0.5, width, dtype=np.float32)[None, :] * width
    ys = np.linspace(-0.5, 0.5, height, dtype=np.float32)[:, None] * height
    half = abs(width * dx) / 2 + abs(height * dy) / 2
    pos = np.clip((xs * dx + ys * dy) / (2 * half) + 0.5, 0.0, 1.0)
    stops = np.array([_rgb(c)[:3] for c in colors], dtype=np.float32)
    where = np.linspace(0.0, 1.0, len(colors), dtype=np.float32)
    out = np.stack([np.interp(pos, where, stops[:, ch]) for ch in range(3)], axis=-1)
    return Image.fromarray(np.round(out).astype(np.uint8), "RGB")


def image_size(asset: Asset) -> tuple[int, int]:
    """A picture's width and height as shown (EXIF orientation applied; read from its header)."""
    with open_image(Path(asset.path)) as src:
        return upright_size(src)


def draw_overlay(overlay: OverlayLayer, width: int, height: int, cache: Path) -> Path:
    """The product image scaled to `width` × `height` (its place comes from the layout)."""
    key = _key("product", overlay.image.hash, width, height)
    path = cache / "layers" / f"{key}.png"
    if not path.exists():
        with Image.open(_picture(overlay.image, cache)) as src:
            img = src.convert("RGBA").resize((width, height), Image.Resampling.LANCZOS)
        path = _cached(cache, key, img)
    return path


def draw_logo(look: Look, width: int, height: int, cache: Path) -> Path:
    """The brand logo scaled to `width` × `height` (its place comes from the layout)."""
    assert look.logo is not None
    key = _key("logo", look.logo.hash, width, height)
    path = cache / "layers" / f"{key}.png"
    if not path.exists():
        with Image.open(_picture(look.logo, cache)) as src:
            img = src.convert("RGBA").resize((width, height), Image.Resampling.LANCZOS)
        path = _cached(cache, key, img)
    return path
