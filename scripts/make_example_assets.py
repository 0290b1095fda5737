"""Generate the example project's media (nothing is downloaded): photos, product, logo, a clip.

Usage: python scripts/make_example_assets.py OUT_DIR
"""

from __future__ import annotations

import math
import subprocess
import sys
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter


def kitchen(path: Path) -> None:
    """A soft 'kitchen counter' scene: warm wall, window light, a counter edge."""
    w, h = 2400, 1600
    img = Image.new("RGB", (w, h), (214, 196, 170))
    d = ImageDraw.Draw(img)
    for y in range(h):
        t = y / h
        d.line([(0, y), (w, y)], fill=(int(226 - 40 * t), int(206 - 50 * t), int(176 - 60 * t)))
    d.rectangle((1500, 150, 2200, 800), fill=(236, 244, 250))
    d.rectangle((1840, 150, 1860, 800), fill=(180, 170, 150))
    d.rectangle((1500, 465, 2200, 485), fill=(180, 170, 150))
    d.rectangle((0, 1100, w, h), fill=(92, 72, 58))
    d.rectangle((0, 1080, w, 1110), fill=(140, 116, 96))
    for i in range(14):
        x = 120 + i * 160
        d.ellipse((x, 980, x + 90, 1090), fill=(60 + 12 * i % 120, 130, 90 + 9 * i % 100))
    img.filter(ImageFilter.GaussianBlur(2)).save(path, quality=90)


def mountains(path: Path) -> None:
    w, h = 2400, 1600
    img = Image.new("RGB", (w, h))
    d = ImageDraw.Draw(img)
    for y in range(h):
        t = y / h
        d.line([(0, y), (w, y)], fill=(int(70 + 120 * t), int(130 + 80 * t), int(200 + 40 * t)))
    for layer, (color, base) in enumerate(
        [((90, 110, 140), 900), ((60, 80, 100), 1100), ((40, 56, 70), 1300)]
    ):
        pts = [(0, h)]
        for x in range(0, w + 100, 100):
            pts.append((x, base - 220 * abs(math.sin(x / (300 + 90 * layer) + layer))))
        pts.append((w, h))
        d.polygon(pts, fill=color)
    img.save(path, quality=90)


def product(path: Path) -> None:
    """A bottle with transparency around it."""
    w, h = 600, 1200
    img = Image.new("RGBA", (w, h), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    d.rounded_rectangle((210, 40, 390, 170), radius=30, fill=(30, 41, 59, 255))
    d.rounded_rectangle((150, 150, 450, 1160), radius=120, fill=(14, 165, 233, 255))
    d.rounded_rectangle((190, 420, 410, 760), radius=30, fill=(255, 255, 255, 235))
    d.text((225, 560), "SMART", fill=(14, 165, 233, 255))
    img.save(path)


def logo(path: Path) -> None:
    img = Image.new("RGBA", (400, 120), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    d.ellipse((0, 0, 120, 120), fill=(255, 255, 255, 255))
    d.ellipse((30, 30, 90, 90), fill=(14, 165, 233, 255))
    d.rectangle((150, 40, 390, 80), fill=(255, 255, 255, 230))
    img.save(path)


def clip(path: Path) -> None:
    """A 4-second moving test clip with a tone, made by FFmpeg's own sources."""
    from reelforge.config import ffmpeg_exe

    subprocess.run(
        [
            ffmpeg_exe(),
            "-v",
            "error",
            "-y",
            "-f",
            "lavfi",
            "-i",
            "testsrc2=s=960x540:r=30:d=4",
            "-f",
            "lavfi",
            "-i",
            "sine=f=440:d=4:sample_rate=48000",
            "-c:v",
            "libx264",
            "-preset",
            "veryfast",
            "-pix_fmt",
            "yuv420p",
            "-c:a",
            "aac",
            "-shortest",
            str(path),
        ],
        check=True,
    )


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    makers = {
        "kitchen.jpg": kitchen,
        "mountains.jpg": mountains,
        "product.png": product,
        "logo.png": logo,
        "clip.mp4": clip,
    }
    for name, make in makers.items():
        if not (out / name).exists():
            make(out / name)
    print(f"example assets in {out}")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "examples/smartbottle/assets"))
