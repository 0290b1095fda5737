"""Generate the example project's media (nothing is downloaded): photos, product, logo, a clip.

Usage: python scripts/make_example_assets.py OUT_DIR
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

ASSETS_VERSION = "2"  # bump to regenerate an existing assets folder


def _noise(rng: np.random.Generator, h: int, w: int, scale: int) -> np.ndarray:
    """Smooth value noise in [0, 1]: random values on a coarse grid, scaled up smoothly."""
    small = rng.random((max(2, h // scale), max(2, w // scale)))
    img = Image.fromarray((small * 255).astype(np.uint8)).resize((w, h), Image.Resampling.BICUBIC)
    return np.asarray(img, dtype=np.float32) / 255.0


def _finish(img: Image.Image, rng: np.random.Generator, *, grain: float = 5.0) -> Image.Image:
    """A photo's last touches: vignette and sensor grain."""
    x = np.asarray(img, dtype=np.float32)
    h, w = x.shape[:2]
    yy, xx = np.mgrid[0:h, 0:w]
    r = np.hypot((xx - w / 2) / (w / 2), (yy - h / 2) / (h / 2))
    x *= (1.0 - 0.28 * np.clip(r - 0.45, 0, None) ** 1.6)[..., None]
    x += rng.normal(0, grain, x.shape[:2])[..., None]
    return Image.fromarray(np.clip(x, 0, 255).astype(np.uint8))


def kitchen(path: Path) -> None:
    """A kitchen counter by a window, shot with a shallow depth of field."""
    rng = np.random.default_rng(11)
    w, h = 2400, 1600
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    # warm wall, lit from the window on the right
    light = np.exp(-(((xx - 1850) / 900) ** 2 + ((yy - 420) / 700) ** 2))
    wall = np.stack([200 + 45 * light, 184 + 48 * light, 160 + 50 * light], axis=-1)
    wall *= (0.92 + 0.08 * _noise(rng, h, w, 300))[..., None]
    img = Image.fromarray(np.clip(wall, 0, 255).astype(np.uint8))
    d = ImageDraw.Draw(img)
    d.rectangle((1480, 120, 2260, 860), fill=(250, 252, 255))  # window, overexposed
    for x0 in (1480, 1860, 2240):
        d.rectangle((x0, 120, x0 + 22, 860), fill=(222, 214, 200))
    d.rectangle((1480, 470, 2260, 490), fill=(222, 214, 200))
    # shelf with jars and a plant, far behind the focus plane
    d.rectangle((150, 560, 1150, 585), fill=(150, 118, 88))
    for i, (x0, color) in enumerate([(220, (196, 170, 120)), (380, (120, 150, 130)),
                                     (520, (210, 205, 195)), (900, (170, 110, 80))]):  # fmt: skip
        top = 360 + 40 * (i % 2)
        d.rounded_rectangle((x0, top, x0 + 120, 560), radius=26, fill=color)
        d.rectangle((x0 + 10, top - 30, x0 + 110, top), fill=(90, 80, 70))
    for k in range(40):  # leaves
        cx, cy = 700 + rng.normal(0, 70), 420 + rng.normal(0, 60)
        d.ellipse((cx - 40, cy - 22, cx + 40, cy + 22), fill=(52, 110 + k % 40, 60))
    d.rounded_rectangle((640, 470, 780, 560), radius=20, fill=(230, 226, 220))
    img = img.filter(ImageFilter.GaussianBlur(14))
    # the counter: oak, sharp (in focus), darker towards the front
    counter = np.zeros((h - 1080, w, 3), np.float32)
    grain = _noise(rng, h - 1080, w, 6)
    streaks = _noise(rng, h - 1080, w // 40, 3)
    streaks = np.asarray(Image.fromarray((streaks * 255).astype(np.uint8)).resize(
        (w, h - 1080), Image.Resampling.BICUBIC), np.float32) / 255  # fmt: skip
    tone = 0.75 + 0.18 * streaks + 0.07 * grain
    fade = np.linspace(1.05, 0.7, h - 1080, dtype=np.float32)[:, None]
    for c, base in enumerate((168, 124, 86)):
        counter[..., c] = base * tone * fade
    x = np.asarray(img, np.float32).copy()
    x[1080:] = counter
    x[1068:1086] = x[1068:1086] * 0.55 + np.array([230, 214, 190]) * 0.45  # the lit front edge
    img = Image.fromarray(np.clip(x, 0, 255).astype(np.uint8))
    _finish(img, rng).save(path, quality=90)


def _ridge(
    rng: np.random.Generator, w: int, base: float, height: float, rough: float
) -> np.ndarray:
    """A mountain ridge line by midpoint displacement."""
    n = 1025
    line = np.zeros(n)
    line[0], line[-1] = rng.normal(0, height / 3), rng.normal(0, height / 3)
    step, amp = n - 1, height
    while step > 1:
        half = step // 2
        for i in range(half, n - 1, step):
            line[i] = (line[i - half] + line[i + half]) / 2 + rng.normal(0, amp)
        step, amp = half, amp * rough
    xs = np.linspace(0, n - 1, w)
    return base - np.interp(xs, np.arange(n), line)


def mountains(path: Path) -> None:
    """Layered mountain ridges in morning haze, a low sun behind them."""
    rng = np.random.default_rng(5)
    w, h = 2400, 1600
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    t = yy / h
    sky = np.stack([120 + 110 * t, 160 + 70 * t, 215 + 25 * t], axis=-1)
    sun = np.exp(-(((xx - 1600) / 420) ** 2 + ((yy - 640) / 300) ** 2))
    sky += sun[..., None] * np.array([120, 90, 40])
    x = sky
    layers = [(700, 260, 0.55, (150, 165, 190)), (860, 240, 0.52, (98, 116, 140)),
              (1040, 220, 0.5, (62, 80, 96)), (1240, 180, 0.48, (34, 48, 52))]  # fmt: skip
    for base, height, rough, color in layers:
        top = _ridge(rng, w, base, height, rough)
        mask = yy >= top[None, :]
        depth = np.clip((yy - top[None, :]) / 500, 0, 1)[..., None]
        shade = np.array(color, np.float32) * (1 - 0.25 * depth)
        x = np.where(mask[..., None], shade, x)
    img = Image.fromarray(np.clip(x, 0, 255).astype(np.uint8)).filter(ImageFilter.GaussianBlur(1.2))
    _finish(img, rng, grain=4.0).save(path, quality=90)


def product(path: Path) -> None:
    """A bottle with transparency around it: body, cap and a label, lit from the left."""
    w, h = 600, 1200
    body = np.zeros((h, w, 4), np.float32)
    xs = np.linspace(-1, 1, 300)
    shade = 0.62 + 0.38 * np.cos(np.clip(xs + 0.35, -1.5, 1.5))  # round, lit from the left
    img = Image.new("RGBA", (w, h), (0, 0, 0, 0))
    mask = Image.new("L", (w, h), 0)
    ImageDraw.Draw(mask).rounded_rectangle((150, 150, 450, 1160), radius=120, fill=255)
    body[..., 0] = 14
    body[..., 1] = 165
    body[..., 2] = 233
    body[:, 150:450, :3] *= shade[None, :, None]
    body[:, 150:450, :3] += (np.clip(1 - np.abs(xs + 0.55) * 8, 0, 1) * 90)[None, :, None]
    body[..., 3] = np.asarray(mask, np.float32)
    img = Image.fromarray(np.clip(body, 0, 255).astype(np.uint8), "RGBA")
    d = ImageDraw.Draw(img)
    d.rounded_rectangle((210, 40, 390, 170), radius=30, fill=(30, 41, 59, 255))
    d.rounded_rectangle((225, 60, 250, 150), radius=10, fill=(71, 85, 105, 255))
    d.rounded_rectangle((190, 430, 410, 760), radius=30, fill=(248, 250, 252, 245))
    font = _font(56, 700)
    d.text((300, 560), "SMART", font=font, fill=(14, 116, 144, 255), anchor="mm")
    d.text((300, 625), "BOTTLE", font=_font(34, 500), fill=(71, 85, 105, 255), anchor="mm")
    img.save(path)


def _font(size: int, weight: int) -> ImageFont.FreeTypeFont:
    """The bundled brand font, as the renderer loads it."""
    from reelforge.render.text import font
    from reelforge.timeline.resolve import font_asset

    return font(font_asset().path, size, weight)


def logo(path: Path) -> None:
    """A wordmark: a drop in a ring and the name."""
    img = Image.new("RGBA", (560, 140), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    d.ellipse((6, 6, 134, 134), fill=(255, 255, 255, 255))
    d.ellipse((30, 30, 110, 110), fill=(14, 165, 233, 255))
    d.polygon([(70, 44), (92, 80), (48, 80)], fill=(255, 255, 255, 255))
    d.ellipse((48, 62, 92, 100), fill=(255, 255, 255, 255))
    d.text((156, 70), "SmartBottle", font=_font(64, 700), fill=(255, 255, 255, 255), anchor="lm")
    img.save(path)


def clip(path: Path) -> None:
    """A 4-second clip: soft lights drifting over a deep teal background (no test pattern)."""
    from reelforge.config import ffmpeg_exe

    rng = np.random.default_rng(3)
    w, h, fps, seconds = 960, 540, 30, 4
    lights = [(rng.uniform(0, w), rng.uniform(0, h), rng.uniform(30, 110), rng.uniform(-40, 40),
               rng.uniform(-15, 15), rng.uniform(0.25, 0.8)) for _ in range(26)]  # fmt: skip
    q = 4  # the soft lights are drawn at a quarter of the size, then scaled up
    yy, xx = np.mgrid[0 : h // q, 0 : w // q].astype(np.float32) * q
    base = np.stack([8 + 20 * yy / h, 50 + 40 * xx / w, 70 + 30 * yy / h], axis=-1)
    argv = [ffmpeg_exe(), "-v", "error", "-y", "-f", "rawvideo", "-pix_fmt", "rgb24",
            "-s", f"{w}x{h}", "-r", str(fps), "-i", "-",
            "-f", "lavfi", "-i", f"sine=f=220:d={seconds}:sample_rate=48000",
            "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p",
            "-c:a", "aac", "-shortest", str(path)]  # fmt: skip
    with subprocess.Popen(argv, stdin=subprocess.PIPE) as proc:
        assert proc.stdin is not None
        for i in range(fps * seconds):
            t = i / fps
            frame = base.copy()
            for x0, y0, r, vx, vy, a in lights:
                cx, cy = (x0 + vx * t) % w, (y0 + vy * t) % h
                glow = np.exp(-(((xx - cx) ** 2 + (yy - cy) ** 2) / (r * r)))
                frame += glow[..., None] * np.array([200, 235, 255]) * a * 0.5
            small = Image.fromarray(np.clip(frame, 0, 255).astype(np.uint8))
            proc.stdin.write(small.resize((w, h), Image.Resampling.BICUBIC).tobytes())
        proc.stdin.close()
        if proc.wait() != 0:
            raise SystemExit("ffmpeg failed to write the example clip")


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    makers = {
        "kitchen.jpg": kitchen,
        "mountains.jpg": mountains,
        "product.png": product,
        "logo.png": logo,
        "clip.mp4": clip,
    }
    version = out / ".assets-version"
    stale = not version.is_file() or version.read_text().strip() != ASSETS_VERSION
    for name, make in makers.items():
        if stale or not (out / name).exists():
            make(out / name)
    version.write_text(ASSETS_VERSION + "\n")
    print(f"example assets in {out}")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "examples/smartbottle/assets"))
