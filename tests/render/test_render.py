"""The renderer, checked by decoding its output: sizes, frame counts, layers, transitions."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from conftest import Renderer
from helpers import color_scene, decode_frames, document, psnr, video_info
from reelforge.render.layout import safe_area
from reelforge.render.pipeline import render_still
from reelforge.spec import parse_project
from reelforge.timeline.assets import DirectoryResolver
from reelforge.timeline.resolve import EstimateNarrator


@pytest.mark.parametrize(
    ("aspect", "resolution", "fps", "size"),
    [
        ("16:9", 360, 30, (640, 360)),
        ("9:16", 360, 25, (360, 640)),
        ("1:1", 480, 24, (480, 480)),
        ("4:5", 360, 30, (360, 450)),
    ],
)
def test_size_fps_and_exact_frame_count(
    render: Renderer, aspect: str, resolution: int, fps: int, size: tuple[int, int]
) -> None:
    doc = document(color_scene("#112233", 0.7), color_scene("#445566", 0.55))
    doc["output"] = {"aspect": aspect, "resolution": resolution, "fps": fps}
    result = render(doc)
    info = video_info(result.video)
    assert (info["width"], info["height"]) == size
    assert info["frames"] == round(1.25 * fps)
    assert info["fps"] == pytest.approx(fps)
    assert info["audio_rate"] == 48000


def _green_box(frame: np.ndarray) -> tuple[int, int, int, int] | None:
    r, g, b = (frame[..., i].astype(int) for i in range(3))
    mask = (g > 170) & (r < 90) & (b < 120)
    if mask.sum() < 20:
        return None
    ys, xs = np.nonzero(mask)
    return int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1


CELLS = [(x, y) for y in ("top", "center", "bottom") for x in ("left", "center", "right")]


def _expected_box(x: str, y: str, w: int, h: int, side: int) -> tuple[int, int, int, int]:
    safe = safe_area(w, h)  # 5 % margins; on 9:16 also clear of the platforms' interface
    centre = (safe.x + safe.right - side) // 2
    left = {"left": safe.x, "center": centre, "right": safe.right - side}[x]
    top = {"top": safe.y, "center": (h - side) // 2, "bottom": safe.bottom - side}[y]
    return left, top, left + side, top + side


@pytest.mark.parametrize("aspect", ["16:9", "9:16"])
def test_product_overlay_cell_scale_and_fade(render: Renderer, aspect: str) -> None:
    scenes = [
        color_scene(
            "#000000",
            1.2,
            productOverlay={
                "enabled": True,
                "position": {"x": x, "y": y},
                "scale": 0.3,
                "animation": "fade",
            },
        )
        for x, y in CELLS
    ]
    doc = document(*scenes, product={"image": "product.png"})
    doc["output"]["aspect"] = aspect
    result = render(doc, chunk_seconds=2)
    frames = decode_frames(result.video)
    h, w = frames[0].shape[:2]
    side = round(0.3 * min(w, h))
    for i, (x, y) in enumerate(CELLS):
        start = round(i * 1.2 * 30)
        assert _green_box(frames[start + 3]) is None, f"{x}/{y}: visible before the fade starts"
        box = _green_box(frames[start + 33])  # 1.1 s in: the fade (0.3 s + 0.6 s) is over
        assert box is not None, f"{x}/{y}: overlay missing"
        expected = _expected_box(x, y, w, h, side)
        assert max(abs(a - b) for a, b in zip(box, expected, strict=True)) <= 2, (x, y, box)


@pytest.mark.parametrize("animation", ["zoom", "slide", "none"])
def test_overlay_animations_end_in_place(render: Renderer, animation: str) -> None:
    doc = document(
        color_scene(
            "#000000",
            1.2,
            productOverlay={
                "enabled": True,
                "position": {"x": "right", "y": "bottom"},
                "scale": 0.4,
                "animation": animation,
            },
        ),
        product={"image": "product.png"},
    )
    frames = decode_frames(render(doc).video)
    h, w = frames[0].shape[:2]
    expected = _expected_box("right", "bottom", w, h, round(0.4 * h))
    box = _green_box(frames[33])
    assert box is not None
    assert max(abs(a - b) for a, b in zip(box, expected, strict=True)) <= 2
    early = _green_box(frames[12])  # mid-animation
    if animation == "none":
        assert early == box
    else:
        assert early != box


def test_tall_product_fits_in_its_square(render: Renderer) -> None:
    doc = document(
        color_scene(
            "#000000",
            1.2,
            productOverlay={
                "enabled": True,
                "position": {"x": "center", "y": "center"},
                "scale": 0.5,
                "animation": "none",
            },
        ),
        product={"image": "tall.png"},
    )
    box = _green_box(decode_frames(render(doc).video)[10])
    assert box is not None
    assert box[3] - box[1] == pytest.approx(180, abs=2)  # 0.5 × 360
    assert box[2] - box[0] == pytest.approx(90, abs=2)


@pytest.mark.parametrize(
    ("position", "band"), [("top", (0, 0.3)), ("bottom", (0.7, 1.0)), ("center", (0.35, 0.65))]
)
def test_title_pixels_in_their_region(
    render: Renderer, position: str, band: tuple[float, float]
) -> None:
    doc = document(
        color_scene("#000000", 1.0, title={"text": "Hello title", "position": position}),
        brand={"primaryColor": "#FF0000"},
    )
    frame = decode_frames(render(doc).video)[10].astype(int)
    red = (frame[..., 0] > 180) & (frame[..., 1] < 90) & (frame[..., 2] < 90)
    ys = np.nonzero(red)[0]
    h = frame.shape[0]
    assert red.sum() > 500
    assert band[0] * h <= ys.min() and ys.max() <= band[1] * h
    white = (frame.min(axis=2) > 200).sum()
    assert white > 100, "title text should be drawn in the text colour"


def test_logo_drawn_top_left(render: Renderer) -> None:
    doc = document(color_scene("#000000", 0.5), brand={"logo": "logo.png"})
    frame = decode_frames(render(doc).video)[5].astype(int)
    magenta = (frame[..., 0] > 200) & (frame[..., 1] < 80) & (frame[..., 2] > 200)
    ys, xs = np.nonzero(magenta)
    assert magenta.sum() > 300 and xs.max() < 160 and ys.max() < 80


@pytest.mark.parametrize("kind", ["crossfade", "fade-black", "slide-left", "wipe"])
def test_transitions_centred_on_the_cut(render: Renderer, kind: str) -> None:
    doc = document(
        color_scene("#FF0000", 1.0, transition={"type": kind, "duration": 0.4}),
        color_scene("#0000FF", 1.0),
    )
    frames = decode_frames(render(doc).video)
    assert len(frames) == 60
    mean = [f.reshape(-1, 3).mean(axis=0) for f in frames]
    assert mean[20][0] > 200 and mean[20][2] < 50  # before the transition: red
    assert mean[40][2] > 200 and mean[40][0] < 50  # after: blue
    mid = mean[30]  # the cut, the transition's midpoint
    if kind == "crossfade":
        assert 100 < mid[0] < 155 and 100 < mid[2] < 155, mid
    elif kind == "fade-black":
        darkest = min(float(mean[i].max()) for i in range(26, 35))
        assert darkest < 60, darkest
    else:  # slide / wipe: half of each picture
        assert 90 < mid[0] < 165 and 90 < mid[2] < 165, mid


def test_cut_has_no_blend(render: Renderer) -> None:
    doc = document(color_scene("#FF0000", 0.5), color_scene("#0000FF", 0.5))
    frames = decode_frames(render(doc).video)
    assert frames[14].reshape(-1, 3).mean(axis=0)[0] > 200
    assert frames[15].reshape(-1, 3).mean(axis=0)[2] > 200


@pytest.mark.parametrize("motion", ["zoom-in", "zoom-out", "pan-left", "pan-right"])
def test_motion_is_smooth(render: Renderer, motion: str) -> None:
    doc = document(
        {"duration": 1.0, "visual": {"type": "image", "src": "photo.jpg", "motion": motion}}
    )
    frames = [f.astype(float) for f in decode_frames(render(doc).video)]
    steps = [float(np.abs(a - b).mean()) for a, b in zip(frames, frames[1:], strict=False)]
    assert min(steps) > 0.05, "the picture should move on every frame"
    # No jitter: consecutive frame differences stay even (no stalls followed by jumps).
    assert max(steps) < 3.5 * float(np.median(steps)), steps


def test_image_fit_contain_keeps_whole_picture(render: Renderer) -> None:
    doc = document(
        {"duration": 0.5, "visual": {"type": "image", "src": "photo.jpg", "fit": "contain"}}
    )
    frame = decode_frames(render(doc).video)[3].astype(int)
    # 4:3 picture in a 16:9 frame: darker side bars, picture in the middle third.
    assert frame[:, :60].mean() < frame[:, 200:440].mean() - 30


def test_video_visual_plays_and_loops(render: Renderer) -> None:
    doc = document(
        {
            "duration": 3.0,
            "visual": {"type": "video", "src": "clip.mp4", "start": 0.5, "loop": True},
        }
    )
    result = render(doc)
    frames = decode_frames(result.video)
    assert len(frames) == 90
    diffs = [float(np.abs(frames[i].astype(int) - frames[i + 1]).mean()) for i in range(89)]
    # 25 fps source in 30 fps output: one frame in six repeats; otherwise it keeps moving,
    # after the loop point too (the clip's 1.5 s from `start` run out at frame 45).
    for window in (range(5, 11), range(60, 66), range(80, 86)):
        assert max(diffs[i] for i in window) > 1.0, window
    assert np.mean(frames[3].astype(float)) != pytest.approx(np.mean(frames[48]), abs=0.01)


def test_gradient_runs_between_its_colours(render: Renderer) -> None:
    doc = document(
        {
            "duration": 0.5,
            "visual": {"type": "gradient", "colors": ["#000000", "#FFFFFF"], "angle": 90},
        }
    )
    frame = decode_frames(render(doc).video)[2].astype(int)
    assert frame[180, 5].mean() < 30 and frame[180, 635].mean() > 225
    row = frame[180, :, 0]
    assert np.all(np.diff(row[10:-10]) >= -2), "left to right it only gets lighter"


def test_still_matches_the_rendered_frame(
    render: Renderer, media_dir: Path, cache_dir: Path, tmp_path: Path
) -> None:
    doc = document(
        {
            "duration": 1.5,
            "visual": {"type": "image", "src": "photo.jpg", "motion": "zoom-in"},
            "title": {"text": "Still"},
            "transition": {"type": "crossfade", "duration": 0.5},
            "productOverlay": {"enabled": True, "animation": "slide"},
        },
        color_scene("#2244AA", 1.0),
        product={"image": "product.png"},
    )
    frames = decode_frames(render(doc, chunk_seconds=0.5).video)
    project = parse_project(doc)
    for t in (0.5, 1.0, 1.4, 2.2):
        out = render_still(
            project,
            resolver=DirectoryResolver(media_dir),
            at=t,
            out=tmp_path / f"still-{t}.png",
            cache_dir=cache_dir,
            narrator=EstimateNarrator(),
        )
        from PIL import Image

        still = np.asarray(Image.open(out).convert("RGB"))
        assert psnr(still, frames[round(t * 30)]) >= 35, t


def _box(mask: np.ndarray) -> tuple[int, int, int, int] | None:
    """Bounding box of a region, ignoring rows and columns with only a stray pixel or two
    (where two colours meet, 4:2:0 chroma can make an edge pixel match any colour test)."""
    if mask.sum() < 30:
        return None
    ys = np.nonzero(mask.sum(axis=1) >= 3)[0]
    xs = np.nonzero(mask.sum(axis=0) >= 3)[0]
    return int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1


def _apart(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> bool:
    return a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1]


@pytest.mark.parametrize("aspect", ["16:9", "9:16"])
def test_burned_captions_stay_clear_of_title_and_overlay(render: Renderer, aspect: str) -> None:
    narration = "Meet SmartBottle, the bottle that keeps your water cold all day and all night."
    doc = document(
        {
            "narration": narration,
            "visual": {"type": "color", "color": "#FFFFFF"},
            "title": {"text": "Title here", "position": "bottom"},
            "productOverlay": {
                "enabled": True,
                "animation": "none",
                "scale": 0.25,
                "position": {"x": "center", "y": "bottom"},
            },
        },
        product={"image": "product.png"},
        brand={"primaryColor": "#FF0000"},
    )
    doc["captions"] = {"enabled": True}
    doc["output"]["aspect"] = aspect
    frame = decode_frames(render(doc).video)[20].astype(int)
    h, w = frame.shape[:2]
    r, g, b = frame[..., 0], frame[..., 1], frame[..., 2]
    neutral = (abs(r - g) < 14) & (abs(g - b) < 14)
    caption = _box(neutral & (r < 120))  # the dark grey caption panel
    title = _box((r > 180) & (g < 90) & (b < 90))
    product = _box((g > 170) & (r < 90) & (b < 120))
    assert caption and title and product
    assert _apart(caption, title) and _apart(caption, product), (caption, title, product)
    margin = round(min(w, h) * 0.05)
    assert caption[0] >= margin and caption[2] <= w - margin
    assert caption[1] >= margin // 2 and caption[3] <= h - margin // 2
