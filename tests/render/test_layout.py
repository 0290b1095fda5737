"""The layout step: no element covers another's text, 9:16 keeps clear of the platforms'
interface, and text keeps its contrast whatever the brand colours and the picture behind it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from conftest import Renderer
from helpers import decode_frames, document
from reelforge.render.layout import Box, layout_scene, scene_layout
from reelforge.render.pipeline import RenderOptions, render_still, resolve_project
from reelforge.render.text import (
    CAPTION_MIN_CONTRAST,
    TITLE_MIN_CONTRAST,
    TITLE_PANEL_ALPHA,
    contrast_ratio,
    legible_panel,
    relative_luminance,
    worst_contrast,
)
from reelforge.spec import parse_project
from reelforge.timeline.assets import DirectoryResolver
from reelforge.timeline.model import Look, OverlayLayer, SceneContent, StillVisual, TitleLayer
from reelforge.timeline.resolve import EstimateNarrator, font_asset

ASPECTS = ["16:9", "9:16", "1:1", "4:5"]
CELLS = [(x, y) for y in ("top", "center", "bottom") for x in ("left", "center", "right")]
POSITIONS = ["top", "center", "bottom"]
SCENE_SECONDS = 0.5
FPS = 24


def _matrix(aspect: str, *, overlay: bool) -> dict[str, Any]:
    """One short scene per overlay cell × title position, on a striped photo, with a logo."""
    scenes = []
    for x, y in CELLS:
        for position in POSITIONS:
            scenes.append(
                {
                    "duration": SCENE_SECONDS,
                    "visual": {"type": "image", "src": "photo.jpg"},
                    "title": {"text": "A headline that wraps", "position": position},
                    "productOverlay": {
                        "enabled": overlay,
                        "position": {"x": x, "y": y},
                        "scale": 0.45,
                        "animation": "none",
                    },
                }
            )
    doc = document(*scenes, product={"image": "product.png"}, brand={"logo": "logo.png"})
    doc["output"] = {"aspect": aspect, "resolution": 360, "fps": FPS}
    return doc


def _layouts(doc: dict[str, Any], media_dir: Path, cache_dir: Path) -> list[Any]:
    timeline = resolve_project(
        parse_project(doc),
        resolver=DirectoryResolver(media_dir),
        options=RenderOptions(cache_dir=cache_dir),
        narrator=EstimateNarrator(),
    )
    return [scene_layout(timeline.look, scene.content) for scene in timeline.scenes]


def _region(frame: np.ndarray, box: Box, grow: int = 1) -> np.ndarray:
    h, w = frame.shape[:2]
    return frame[max(0, box.y - grow) : min(h, box.bottom + grow),
                 max(0, box.x - grow) : min(w, box.right + grow)]  # fmt: skip


@pytest.mark.parametrize("aspect", ASPECTS)
def test_overlay_never_covers_a_title_pixel(
    aspect: str, render: Renderer, media_dir: Path, cache_dir: Path
) -> None:
    """Every overlay cell × title position: the title's pixels are the same with and without
    the overlay (lossless renders), and the overlay is really there."""
    with_overlay = _matrix(aspect, overlay=True)
    without = _matrix(aspect, overlay=False)
    frames_with = decode_frames(render(with_overlay, lossless=True, chunk_seconds=0).video)
    frames_without = decode_frames(render(without, lossless=True, chunk_seconds=0).video)
    layouts = _layouts(with_overlay, media_dir, cache_dir)
    per_scene = round(SCENE_SECONDS * FPS)
    index = 0
    for x, y in CELLS:
        for position in POSITIONS:
            layout = layouts[index]
            frame = per_scene * index + per_scene // 2
            a, b = frames_with[frame], frames_without[frame]
            where = f"{aspect} overlay {x}/{y}, title {position}"
            assert layout.title is not None and layout.overlay is not None
            assert not layout.title.overlaps(layout.overlay), where
            assert np.array_equal(_region(a, layout.title), _region(b, layout.title)), where
            changed = np.abs(
                _region(a, layout.overlay, 0).astype(int) - _region(b, layout.overlay, 0)
            )
            assert changed.max(axis=2).mean() > 20, f"{where}: the overlay is missing"
            assert layout.title.inside(layout.safe) and layout.overlay.inside(layout.safe), where
            assert layout.logo is not None and not layout.logo.overlaps(layout.title), where
            index += 1


def _look(width: int, height: int) -> Look:
    return Look(width=width, height=height, fps=30, font=font_asset(),
                primary_color="#0EA5E9", text_color="#FFFFFF")  # fmt: skip


SIZES = {"16:9": (16, 9), "9:16": (9, 16), "1:1": (1, 1), "4:5": (4, 5)}


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    aspect=st.sampled_from(ASPECTS),
    short=st.sampled_from([360, 480, 720, 1080, 2160]),
    cell=st.sampled_from(CELLS),
    position=st.sampled_from(POSITIONS),
    words=st.integers(min_value=1, max_value=30),
    scale=st.floats(min_value=0.1, max_value=0.8),
    product=st.tuples(st.integers(1, 12000), st.integers(1, 12000)),
    logo=st.booleans(),
    captions=st.integers(min_value=0, max_value=2),
)
def test_layout_boxes_never_overlap(
    aspect: str,
    short: int,
    cell: tuple[str, str],
    position: str,
    words: int,
    scale: float,
    product: tuple[int, int],
    logo: bool,
    captions: int,
) -> None:
    """Pure geometry over sizes, cells, positions, title lengths, scales and product shapes."""
    aw, ah = SIZES[aspect]
    width, height = (short * aw // ah, short) if aw >= ah else (short, short * ah // aw)
    width, height = width // 2 * 2, height // 2 * 2
    content = SceneContent(
        visual=StillVisual(source="color", colors=("#000000",)),
        frames=30,
        title=TitleLayer(" ".join(["Headline"] * words), position),
        overlay=OverlayLayer(image=font_asset(), x=cell[0], y=cell[1], scale=scale),
    )
    lines = [["A caption line", "and its second"]][:captions] + [["One line"]] * (captions > 1)
    layout = layout_scene(_look(width, height), content, caption_lines=lines,
                          product_size=product, logo_size=(400, 120) if logo else None)  # fmt: skip
    boxes = [b for b in (layout.title, layout.overlay, layout.captions, layout.logo) if b]
    for i, first in enumerate(boxes):
        assert first.inside(layout.safe), (first, layout.safe)
        assert first.w > 0 and first.h > 0
        for second in boxes[i + 1 :]:
            assert not first.overlaps(second), (first, second)
    frame = Box(0, 0, width, height)
    assert layout.safe.inside(frame)
    if aspect == "9:16":  # the platforms' interface: top 10 %, bottom 20 %, right 12 %
        assert layout.safe.y >= 0.10 * height and layout.safe.bottom <= 0.80 * height
        assert layout.safe.right <= 0.88 * width


def test_portrait_keeps_clear_of_the_platform_interface(media_dir: Path, cache_dir: Path) -> None:
    """A 9:16 frame with a top title, a bottom overlay, a caption and a logo: the top 10 %,
    the bottom 20 % and the right 12 % show only the picture."""
    doc = document(
        {
            "narration": "Cold for a whole day, and hot all morning.",
            "visual": {"type": "color", "color": "#204060"},
            "title": {"text": "Tracks every sip", "position": "top"},
            "productOverlay": {
                "enabled": True,
                "animation": "none",
                "scale": 0.5,
                "position": {"x": "right", "y": "bottom"},
            },
        },  # fmt: skip
        product={"image": "product.png"},
        brand={"logo": "logo.png"},
    )
    doc["output"]["aspect"] = "9:16"
    doc["captions"] = {"enabled": True}
    out = cache_dir / "portrait.png"
    render_still(parse_project(doc), resolver=DirectoryResolver(media_dir), at=1.0, out=out,
                 cache_dir=cache_dir, narrator=EstimateNarrator())  # fmt: skip
    frame = np.asarray(_png(out)).astype(int)
    h, w = frame.shape[:2]
    background = np.array([0x20, 0x40, 0x60])
    for name, zone in {
        "top": frame[: int(0.10 * h)],
        "bottom": frame[int(np.ceil(0.80 * h)) :],
        "right": frame[:, int(np.ceil(0.88 * w)) :],
    }.items():
        assert np.abs(zone - background).max() <= 3, f"something drawn in the {name} zone"
    middle = frame[int(0.10 * h) : int(0.80 * h)]
    assert (np.abs(middle - background).max(axis=2) > 40).sum() > 2000  # the elements are there


def _png(path: Path) -> Any:
    from PIL import Image

    with Image.open(path) as img:
        return img.convert("RGB")


# -- contrast, measured from pixels --------------------------------------------------------


def _measured_contrast(frame: np.ndarray, box: Box, pad: int) -> float:
    """The text's contrast with its panel, from the pixels: the panel's colour is read in the
    padding above the text, the text's in its glyph cores (the pixels furthest from it)."""
    region = frame[box.y : box.bottom, box.x : box.right].astype(float)
    panel = np.median(region[2 : max(3, pad - 1), pad : box.w - pad].reshape(-1, 3), axis=0)
    inner = region[pad : box.h - pad, pad : box.w - pad].reshape(-1, 3)
    lum = np.array([relative_luminance(tuple(p)) for p in inner[:: max(1, len(inner) // 4000)]])
    panel_lum = relative_luminance(tuple(panel))
    far = np.abs(lum - panel_lum)
    core = lum[far >= np.percentile(far, 99)]  # the glyphs' solid cores
    text_lum = float(np.median(core))
    return (max(text_lum, panel_lum) + 0.05) / (min(text_lum, panel_lum) + 0.05)


ADVERSARIAL = [
    ("#FFFFFF", "#FFFFFF", "#FFFFFF"),  # white on white, over white
    ("#0EA5E9", "#0EA5E9", "#0EA5E9"),  # brand blue text on the same blue, over blue
    ("#0EA5E9", "#FFFFFF", "#0EA5E9"),  # white on the brand blue (2.8:1 as given)
    ("#000000", "#0A0A0A", "#111111"),  # near-black on black
    ("#777777", "#767676", "#787878"),  # mid grey everywhere
]
COLOR = st.integers(0, 0xFFFFFF).map(lambda v: f"#{v:06X}")


@settings(
    max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(colors=st.tuples(COLOR, COLOR, COLOR), aspect=st.sampled_from(["16:9", "9:16"]))
@example(colors=ADVERSARIAL[0], aspect="16:9")
@example(colors=ADVERSARIAL[1], aspect="9:16")
@example(colors=ADVERSARIAL[2], aspect="16:9")
@example(colors=ADVERSARIAL[3], aspect="16:9")
@example(colors=ADVERSARIAL[4], aspect="9:16")
def test_text_contrast_holds_for_any_brand_and_background(
    colors: tuple[str, str, str], aspect: str, media_dir: Path, tmp_path: Path
) -> None:
    """Titles keep ≥ 3:1 and captions ≥ 4.5:1 against the pixels right behind them."""
    background, primary, text = colors
    doc = document(
        {
            "narration": "Cold all day long.",
            "visual": {"type": "color", "color": background},
            "title": {"text": "Meet SmartBottle", "position": "center"},
        },
        brand={"primaryColor": primary, "textColor": text},
    )
    doc["output"]["aspect"] = aspect
    doc["captions"] = {"enabled": True}
    cache = tmp_path / "cache"
    out = tmp_path / f"{aspect.replace(':', 'x')}-{background[1:]}{primary[1:]}{text[1:]}.png"
    project = parse_project(doc)
    render_still(project, resolver=DirectoryResolver(media_dir), at=0.5, out=out, cache_dir=cache,
                 narrator=EstimateNarrator())  # fmt: skip
    frame = np.asarray(_png(out))
    layout = _layouts(doc, media_dir, cache)[0]
    assert layout.title is not None and layout.title_block is not None
    title = _measured_contrast(frame, layout.title, layout.title_block.pad)
    caption = _measured_contrast(frame, layout.caption_box(0), layout.caption_blocks[0].pad)
    assert title >= TITLE_MIN_CONTRAST, (colors, title)
    assert caption >= CAPTION_MIN_CONTRAST, (colors, caption)


@pytest.mark.parametrize("primary", ["#1E3A8A", "#B91C1C", "#000000"])
def test_a_brand_colour_that_passes_is_kept(primary: str) -> None:
    rgb = tuple(int(primary[i : i + 2], 16) for i in (1, 3, 5))
    alpha = TITLE_PANEL_ALPHA / 255
    assert legible_panel((255, 255, 255), rgb, alpha, TITLE_MIN_CONTRAST) == rgb  # type: ignore[arg-type]


@given(text=st.tuples(*[st.integers(0, 255)] * 3), panel=st.tuples(*[st.integers(0, 255)] * 3))
def test_shaded_panel_passes_over_black_and_white(
    text: tuple[int, int, int], panel: tuple[int, int, int]
) -> None:
    alpha = TITLE_PANEL_ALPHA / 255
    shaded = legible_panel(text, panel, alpha, TITLE_MIN_CONTRAST)
    assert worst_contrast(text, shaded, alpha) >= TITLE_MIN_CONTRAST
    for behind in ((0, 0, 0), (255, 255, 255), (128, 128, 128)):
        seen = tuple(alpha * p + (1 - alpha) * q for p, q in zip(shaded, behind, strict=True))
        assert contrast_ratio(text, seen) >= TITLE_MIN_CONTRAST
