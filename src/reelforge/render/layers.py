"""Pillow-drawn layers: prepared stills, the title, captions, the product image, the logo.

Every layer is a PNG in the layer cache, named by a hash of everything that decides its pixels,
so chunks share them and a repeated render draws nothing.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont

from reelforge.files import atomic_write_bytes
from reelforge.pictures import canonical_picture
from reelforge.render.chunks import renderer_version
from reelforge.timeline.model import Asset, Look, OverlayLayer, StillVisual, TitleLayer

MOTION_SUPERSAMPLE = 2  # stills with camera motion are drawn at 2× for sub-pixel smooth motion
LOGO_MAX_WIDTH = 0.3  # of the frame's width


@dataclass(frozen=True)
class Placed:
    """A drawn layer and where its top-left corner goes on the frame."""

    path: Path
    x: int
    y: int
    width: int
    height: int


def margin(look: Look) -> int:
    """The safe-area margin: 5% of the short side."""
    return round(min(look.width, look.height) * 0.05)


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


@lru_cache(maxsize=64)
def _font(path: str, size: int, weight: int) -> ImageFont.FreeTypeFont:
    font = ImageFont.truetype(path, size)
    try:
        axes = font.get_variation_axes()
        values: list[float] = []
        for axis in axes:
            name = str(axis.get("name", b""))
            if "eight" in name or "wght" in name:
                values.append(weight)
            elif "ptical" in name or "opsz" in name:
                values.append(
                    min(float(axis["maximum"] or 0), max(float(axis["minimum"] or 0), size // 2))
                )
            else:
                values.append(float(axis.get("default", axis["minimum"]) or 0))
        font.set_variation_by_axes(values)
    except OSError:
        pass  # not a variable font
    return font


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


def _text_box(
    look: Look,
    lines: list[str],
    font: ImageFont.FreeTypeFont,
    *,
    fill: str,
    background: tuple[int, int, int, int],
    pad: int,
) -> Image.Image:
    ascent, descent = font.getmetrics()
    line_h = round((ascent + descent) * 1.12)
    widths = [math.ceil(font.getlength(line)) for line in lines]
    w = max(widths) + 2 * pad
    h = line_h * len(lines) + 2 * pad
    img = Image.new("RGBA", (w, h), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    draw.rounded_rectangle((0, 0, w - 1, h - 1), radius=pad // 2, fill=background)
    for i, line in enumerate(lines):
        x = (w - widths[i]) // 2
        draw.text((x, pad + i * line_h), line, font=font, fill=_rgb(fill))
    return img


def _wrap(text: str, font: ImageFont.FreeTypeFont, max_width: float) -> list[str]:
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}".strip()
        if font.getlength(candidate) > max_width and current:
            lines.append(current)
            current = word
        else:
            current = candidate
    if current:
        lines.append(current)
    return lines


def title_px(look: Look) -> int:
    short = min(look.width, look.height)
    return max(12, round(short * (0.075 if look.width >= look.height else 0.085)))


def draw_title(look: Look, title: TitleLayer, cache: Path) -> Placed:
    """The scene title: bold brand font on a brand-coloured panel, wrapped inside the safe area."""
    m = margin(look)
    size = title_px(look)
    max_w = look.width - 2 * m - size
    key = _key(
        "title",
        look.width,
        look.height,
        look.font.hash,
        look.primary_color,
        look.text_color,
        title.text,
        size,
    )
    font = _font(look.font.path, size, 700)
    lines = _wrap(title.text, font, max_w)[:3]
    bg = _rgb(look.primary_color)[:3] + (224,)
    image = _text_box(look, lines, font, fill=look.text_color, background=bg, pad=size // 3)
    path = _cached(cache, key, image)
    x = (look.width - image.width) // 2
    y = {
        "top": m,
        "center": (look.height - image.height) // 2,
        "bottom": look.height - m - image.height,
    }[title.position]
    return Placed(path, x, y, image.width, image.height)


def draw_caption(
    look: Look,
    text: str,
    cache: Path,
    *,
    avoid: list[tuple[int, int, int, int]],
    chars_per_line: int,
    font_px: int,
) -> Placed:
    """A caption of at most two lines, placed in the safe area clear of `avoid` boxes."""
    from reelforge.audio.captions import wrap_caption

    m = margin(look)
    key = _key("caption", look.width, look.height, look.font.hash, text, font_px, chars_per_line)
    font = _font(look.font.path, font_px, 600)
    lines = wrap_caption(text, chars_per_line)[:2]
    image = _text_box(
        look, lines, font, fill="#FFFFFF", background=(0, 0, 0, 170), pad=font_px // 3
    )
    path = _cached(cache, key, image)
    x = (look.width - image.width) // 2
    candidates = [look.height - m - image.height]
    for box in sorted(avoid, key=lambda b: -b[1]):
        candidates.append(box[1] - m // 2 - image.height)  # just above something in the way
    candidates += [m, (look.height - image.height) // 2]
    for y in candidates:
        rect = (x, y, x + image.width, y + image.height)
        if y >= m // 2 and not any(_overlaps(rect, b) for b in avoid):
            return Placed(path, x, y, image.width, image.height)
    return Placed(path, x, candidates[0], image.width, image.height)


def _overlaps(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def overlay_box(look: Look, overlay: OverlayLayer, image_size: tuple[int, int]) -> Placed:
    """Where the product image sits once its animation is over (no file yet)."""
    side = round(overlay.scale * min(look.width, look.height))
    w0, h0 = image_size
    scale = side / max(w0, h0)
    w, h = max(2, round(w0 * scale)), max(2, round(h0 * scale))
    m = margin(look)
    x = {"left": m, "center": (look.width - w) // 2, "right": look.width - m - w}[overlay.x]
    y = {"top": m, "center": (look.height - h) // 2, "bottom": look.height - m - h}[overlay.y]
    return Placed(Path(), x, y, w, h)


def draw_overlay(look: Look, overlay: OverlayLayer, cache: Path) -> Placed:
    """The product image scaled to fit a square of `scale` × the short side, on its grid cell."""
    with Image.open(_picture(overlay.image, cache)) as src:
        size = src.size
        box = overlay_box(look, overlay, size)
        key = _key("product", overlay.image.hash, box.width, box.height)
        path = cache / "layers" / f"{key}.png"
        if not path.exists():
            img = src.convert("RGBA").resize((box.width, box.height), Image.Resampling.LANCZOS)
            path = _cached(cache, key, img)
    return Placed(path, box.x, box.y, box.width, box.height)


def draw_logo(look: Look, cache: Path) -> Placed:
    """The brand logo, top-left inside the safe area, 8% of the short side high."""
    assert look.logo is not None
    m = margin(look)
    h = max(2, round(min(look.width, look.height) * 0.08))
    with Image.open(_picture(look.logo, cache)) as src:
        w = max(2, round(src.width * h / src.height))
        if w > look.width * LOGO_MAX_WIDTH:  # a very wide logo: fit the width instead
            w = max(2, round(look.width * LOGO_MAX_WIDTH))
            h = max(2, round(src.height * w / src.width))
        key = _key("logo", look.logo.hash, w, h)
        path = cache / "layers" / f"{key}.png"
        if not path.exists():
            path = _cached(cache, key, src.convert("RGBA").resize((w, h), Image.Resampling.LANCZOS))
    return Placed(path, m, m, w, h)
