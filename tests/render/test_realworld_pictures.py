"""Pictures as users have them: every EXIF orientation, every common format, Display P3, and
any picture size at any output geometry. Checked on rendered stills, pixel by pixel."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from PIL import Image

import realworld_media as rw
from helpers import document
from reelforge.errors import MediaError
from reelforge.render.pipeline import render_still
from reelforge.spec import parse_project
from reelforge.timeline.assets import DirectoryResolver, probe_media
from reelforge.timeline.resolve import EstimateNarrator


def still(folder: Path, doc: dict[str, Any], at: float = 0.5, preview: bool = False) -> np.ndarray:
    out = folder / "still.png"
    render_still(
        parse_project(doc),
        resolver=DirectoryResolver(folder),
        at=at,
        out=out,
        cache_dir=folder / "cache",
        preview=preview,
        narrator=EstimateNarrator(),
    )
    with Image.open(out) as image:
        return np.asarray(image.convert("RGB")).astype(int)


def picture_scene(src: str, **visual: Any) -> dict[str, Any]:
    return {"duration": 1, "visual": {"type": "image", "src": src, **visual}}


def lab(rgb: np.ndarray) -> np.ndarray:
    """CIE L*a*b* (D65) of sRGB 0-255 values."""
    linear = rw.srgb_decode(np.asarray(rgb, dtype=np.float64) / 255.0)
    xyz = rw.rgb_to_xyz(rw.SRGB_PRIMARIES, rw.D65) @ linear
    white = rw.rgb_to_xyz(rw.SRGB_PRIMARIES, rw.D65) @ np.ones(3)
    t = xyz / white
    f = np.where(t > (6 / 29) ** 3, np.cbrt(t), t / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def delta_e(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.linalg.norm(lab(a) - lab(b)))


@pytest.mark.parametrize("orientation", range(1, 9))
def test_every_exif_orientation_shows_the_picture_upright(orientation: int, tmp_path: Path) -> None:
    """A portrait picture (64×96 as shown) stored under each orientation: the probe reports
    the shown size, and each quadrant's colour is in its corner of the render."""
    rw.oriented_jpeg(tmp_path / "photo.jpg", orientation, width=64, height=96)
    assert probe_media(tmp_path / "photo.jpg", field="src").width == 64
    assert probe_media(tmp_path / "photo.jpg", field="src").height == 96
    frame = still(tmp_path, document(picture_scene("photo.jpg", fit="contain")))
    # contain in 640×360: 240×360 at x = 200
    corners = {
        (260, 90): rw.TOP_LEFT,
        (380, 90): rw.TOP_RIGHT,
        (260, 270): rw.BOTTOM_LEFT,
        (380, 270): rw.BOTTOM_RIGHT,
    }
    for (x, y), colour in corners.items():
        assert np.abs(frame[y, x] - colour).max() <= 24, (orientation, (x, y), frame[y, x])


GRAY = round(0.299 * rw.ORANGE[0] + 0.587 * rw.ORANGE[1] + 0.114 * rw.ORANGE[2])


@pytest.mark.parametrize("fmt", rw.PICTURE_FORMATS)
def test_every_picture_format_renders_its_colour(fmt: str, tmp_path: Path) -> None:
    path = rw.picture(fmt, tmp_path / "picture")
    info = probe_media(path, field="src")
    assert (info.kind, info.width, info.height) == ("image", 64, 48)
    if fmt == "png-palette-transparent":
        # as the product overlay over blue: its transparent half shows the background
        doc = document(
            {
                "duration": 1,
                "visual": {"type": "color", "color": "#2040C0"},
                "productOverlay": {"enabled": True, "scale": 0.8, "animation": "none"},
            },
            product={"image": path.name},
        )
        frame = still(tmp_path, doc)
        # the overlay is 288×216 in the middle of 640×360: left half orange, right half blue
        assert np.abs(frame[180, 250] - rw.ORANGE).max() <= 8, frame[180, 250]
        assert np.abs(frame[180, 390] - (0x20, 0x40, 0xC0)).max() <= 8, frame[180, 390]
        return
    frame = still(tmp_path, document(picture_scene(path.name)))
    expected = (GRAY,) * 3 if "gray" in fmt else rw.ORANGE
    assert np.abs(frame[180, 320] - expected).max() <= 8, (fmt, frame[180, 320])


def test_a_display_p3_photo_keeps_its_colours(tmp_path: Path) -> None:
    """The P3 colour is converted to the sRGB colour that looks the same; shown as its raw
    numbers, it would be far off (so the test can fail)."""
    p3 = (204, 77, 51)
    Image.new("RGB", (64, 48), p3).save(
        tmp_path / "p3.jpg", quality=97, icc_profile=rw.display_p3_icc()
    )
    expected = rw.p3_to_srgb(p3)
    assert delta_e(np.array(p3), expected) > 8
    frame = still(tmp_path, document(picture_scene("p3.jpg")))
    assert delta_e(frame[180, 320], expected) < 3, (frame[180, 320], expected)


def test_an_unreadable_picture_is_one_clear_error(tmp_path: Path) -> None:
    (tmp_path / "photo.heic").write_bytes(b"\0\0\0\x18ftypheic" + b"\0" * 100)
    with pytest.raises(MediaError, match=r"scenes\[0\]\.visual\.src: photo\.heic"):
        still(tmp_path, document(picture_scene("photo.heic")))


ASPECTS = ("16:9", "9:16", "1:1", "4:5")
RESOLUTIONS = (360, 480, 720, 1080)
MOTIONS = ("none", "zoom-in", "zoom-out", "pan-left", "pan-right")
MAX_TEST_PIXELS = 4_000_000  # keeps each example fast; the pixel limit is tested on its own


@st.composite
def picture_sizes(draw: st.DrawFn) -> tuple[int, int]:
    side = st.one_of(st.integers(16, 12000), st.sampled_from([16, 17, 3024, 4032, 11999, 12000]))
    width = draw(side)
    height = draw(side.filter(lambda h: h * width <= MAX_TEST_PIXELS))
    return width, height


@settings(
    max_examples=int(os.environ.get("GEOMETRY_EXAMPLES", "25")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(
    size=picture_sizes(),
    aspect=st.sampled_from(ASPECTS),
    resolution=st.sampled_from(RESOLUTIONS),
    fps=st.sampled_from((24, 25, 30, 50, 60)),
    fit=st.sampled_from(("cover", "contain")),
    motion=st.sampled_from(MOTIONS),
    at=st.floats(0.0, 1.999),
    overlay=st.none()
    | st.tuples(
        st.sampled_from(("fade", "zoom", "slide", "none")),
        st.floats(0.1, 0.8),
        st.sampled_from(("left", "center", "right")),
        st.sampled_from(("top", "center", "bottom")),
    ),
)
@example(size=(4032, 3024), aspect="9:16", resolution=480, fps=25, fit="cover", motion="none",
         at=1.0, overlay=None)  # fmt: skip
@example(size=(3024, 4032), aspect="16:9", resolution=360, fps=30, fit="contain",
         motion="zoom-in", at=0.3, overlay=("zoom", 0.1, "left", "top"))  # fmt: skip
@example(size=(12000, 16), aspect="9:16", resolution=360, fps=30, fit="cover",
         motion="pan-left", at=1.9, overlay=("slide", 0.8, "right", "bottom"))  # fmt: skip
@example(size=(16, 12000), aspect="16:9", resolution=720, fps=60, fit="contain",
         motion="zoom-out", at=0.5, overlay=("fade", 0.1, "center", "top"))  # fmt: skip
def test_any_picture_at_any_geometry_renders_a_frame_of_the_right_size(
    size: tuple[int, int],
    aspect: str,
    resolution: int,
    fps: int,
    fit: str,
    motion: str,
    at: float,
    overlay: tuple[str, float, str, str] | None,
) -> None:
    """No failure for any picture size × output geometry × fit × motion × product overlay (and
    the same picture as the logo), the frame has the output's size, and the picture's colour is
    at its centre."""
    with tempfile.TemporaryDirectory(prefix="geometry-") as tmp:
        folder = Path(tmp)
        Image.new("RGB", size, rw.ORANGE).save(folder / "p.png", compress_level=1)
        scene = picture_scene("p.png", fit=fit, motion=motion)
        scene["duration"] = 2
        if overlay:  # the same picture as the product image
            animation, scale, x, y = overlay
            scene["productOverlay"] = {
                "enabled": True,
                "scale": round(scale, 3),
                "animation": animation,
                "position": {"x": x, "y": y},
            }
        doc = document(scene, product={"image": "p.png"}, brand={"logo": "p.png"})
        doc["output"] = {"aspect": aspect, "resolution": resolution, "fps": fps}
        frame = still(folder, doc, at=at)
        width, height = parse_project(doc).output.size
        assert frame.shape == (height, width, 3)
        scale = min(width / size[0], height / size[1])
        # A contained sliver may be thinner than a pixel, and near its edges resampling and
        # 4:2:0 chroma blend it with the background; a pan moves the view's centre up to 6% of
        # the width sideways. So the centre is measured only where it must be the picture.
        wide_enough = size[0] * scale >= 32 + (0.12 * width if motion.startswith("pan") else 0)
        if fit == "cover" or (wide_enough and size[1] * scale >= 32):
            centre = frame[height // 2, width // 2]
            assert np.abs(centre - rw.ORANGE).max() <= 8, (size, fit, motion, at, overlay, centre)


def test_an_iphone_heic_taken_upright_shows_upright(tmp_path: Path) -> None:
    """An HEIC with EXIF orientation 6 (pillow-heif stores it as a HEIF rotation and resets the
    EXIF tag, as iPhones' files read): upright, never turned twice."""
    import pillow_heif

    pillow_heif.register_heif_opener()
    exif = Image.Exif()
    exif[0x0112] = 6
    stored = rw.stored_for_orientation(rw.quadrants(64, 96), 6)
    Image.fromarray(stored).save(tmp_path / "IMG_0004.heic", exif=exif.tobytes(), quality=95)
    info = probe_media(tmp_path / "IMG_0004.heic", field="src")
    assert (info.width, info.height) == (64, 96)
    frame = still(tmp_path, document(picture_scene("IMG_0004.heic", fit="contain")))
    assert np.abs(frame[90, 260] - rw.TOP_LEFT).max() <= 24, frame[90, 260]
    assert np.abs(frame[270, 380] - rw.BOTTOM_RIGHT).max() <= 24, frame[270, 380]
