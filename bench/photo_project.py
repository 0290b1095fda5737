"""The delivery benchmark project: every scene a photo with camera motion, a product overlay and a
crossfade (by default 12 scenes, 60 s, 1080p30). The photos are drawn here, never downloaded:
sky gradients, hills, buildings and film grain, so x264 has photo-like detail to encode.

    .venv/bin/python bench/photo_project.py OUT_DIR [--scenes 12] [--seconds 5] [--resolution 1080]
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

MOTIONS = ("zoom-in", "pan-right", "zoom-out", "pan-left")
CORNERS = (("right", "bottom"), ("left", "center"), ("center", "bottom"), ("right", "top"))


def photo(path: Path, seed: int, size: tuple[int, int] = (2400, 1600)) -> None:
    """A deterministic landscape-like photo with fine grain."""
    rng = random.Random(seed)
    w, h = size
    img = Image.new("RGB", size)
    d = ImageDraw.Draw(img)
    top = [rng.randint(40, 140), rng.randint(90, 170), rng.randint(160, 240)]
    bottom = [rng.randint(180, 250), rng.randint(150, 220), rng.randint(120, 200)]
    for y in range(h):
        t = y / h
        row = tuple(int(a + (b - a) * t) for a, b in zip(top, bottom, strict=True))
        d.line([(0, y), (w, y)], fill=row)
    for layer in range(4):
        base = int(h * (0.45 + 0.12 * layer))
        shade = [rng.randint(20, 120) for _ in range(3)]
        points = [(0, h)]
        for x in range(0, w + 80, 80):
            points.append((x, base - rng.randint(0, 160 - 25 * layer)))
        points.append((w, h))
        d.polygon(points, fill=tuple(shade))
    for _ in range(40):  # houses and trees
        x, y = rng.randint(0, w), rng.randint(h // 2, h)
        s = rng.randint(20, 90)
        colour = tuple(rng.randint(30, 230) for _ in range(3))
        if rng.random() < 0.5:
            d.rectangle((x, y - s, x + s, y), fill=colour)
        else:
            d.ellipse((x, y - 2 * s, x + s, y), fill=colour)
    img = img.filter(ImageFilter.GaussianBlur(1.2))
    pixels = np.asarray(img).astype(np.int16)
    grain = np.random.default_rng(seed).normal(0, 6, pixels.shape).astype(np.int16)
    Image.fromarray(np.clip(pixels + grain, 0, 255).astype(np.uint8)).save(path, quality=90)


def product(path: Path) -> None:
    """A bottle with transparency around it."""
    img = Image.new("RGBA", (600, 1200), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    d.rounded_rectangle((210, 40, 390, 170), radius=30, fill=(30, 41, 59, 255))
    d.rounded_rectangle((150, 150, 450, 1160), radius=120, fill=(14, 165, 233, 255))
    d.rounded_rectangle((190, 420, 410, 760), radius=30, fill=(255, 255, 255, 235))
    img.save(path)


def make_project(
    out: Path, *, scenes: int = 12, seconds: float = 5.0, resolution: int = 1080, fps: int = 30
) -> Path:
    """Write the photos, the product and `project.json` into `out`; returns the project path."""
    assets = out / "assets"
    assets.mkdir(parents=True, exist_ok=True)
    if not (assets / "product.png").is_file():
        product(assets / "product.png")
    scene_docs = []
    for i in range(scenes):
        name = assets / f"photo{i:02d}.jpg"
        if not name.is_file():
            photo(name, seed=i)
        x, y = CORNERS[i % len(CORNERS)]
        scene_docs.append(
            {
                "id": f"s{i:02d}",
                "duration": seconds,
                "visual": {"type": "image", "src": f"assets/{name.name}", "motion": MOTIONS[i % 4]},
                "productOverlay": {
                    "enabled": True,
                    "position": {"x": x, "y": y},
                    "scale": 0.35,
                    "animation": "fade",
                },
                "transition": {"type": "crossfade", "duration": 0.5},
            }
        )
    document = {
        "version": 1,
        "title": "Delivery benchmark",
        "output": {"aspect": "16:9", "resolution": resolution, "fps": fps},
        "music": {"enabled": True, "style": "ambient", "seed": 3, "volume": 0.2},
        "product": {"image": "assets/product.png"},
        "captions": {"enabled": False},
        "scenes": scene_docs,
    }
    path = out / "project.json"
    path.write_text(json.dumps(document, indent=2) + "\n")
    return path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", type=Path)
    parser.add_argument("--scenes", type=int, default=12)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--resolution", type=int, default=1080)
    args = parser.parse_args()
    print(
        make_project(args.out, scenes=args.scenes, seconds=args.seconds, resolution=args.resolution)
    )


if __name__ == "__main__":
    main()
