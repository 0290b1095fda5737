"""Real-world uploads through the API: own music tracks (WAV, MP3, M4A) are heard in renders,
exactly as through the CLI (uploads are stored without a file extension); phone and print
pictures upload with their shown size and render upright."""

from __future__ import annotations

import io
from pathlib import Path

import av
import httpx
import numpy as np
import pytest

import realworld_media as rw

from .support import assert_error, create_project
from .test_renders import wait_for


@pytest.mark.parametrize("ext", ["wav", "mp3", "m4a", "ogg", "flac"])
def test_an_uploaded_track_is_heard_in_the_render(
    api: httpx.Client, ext: str, tmp_path: Path
) -> None:
    track = rw.music_track(tmp_path / f"song.{ext}", seconds=1.5)
    uploaded = api.post("/api/assets", files={"file": (track.name, track.read_bytes())})
    assert uploaded.status_code == 201, uploaded.text
    assert uploaded.json()["kind"] == "audio"
    document = {
        "version": 1,
        "output": {"aspect": "16:9", "resolution": 360, "fps": 24},
        "music": {"enabled": True, "volume": 0.8, "src": uploaded.json()["ref"]},
        "captions": {"enabled": False},
        "scenes": [{"duration": 3, "visual": {"type": "color", "color": "#223344"}}],
    }
    project = create_project(api, document)
    started = api.post(f"/api/projects/{project['id']}/renders", json={"preview": True})
    final = wait_for(api, started.json()["id"])
    assert final["status"] == "succeeded", final
    video = api.get(final["outputs"]["video"]).content
    with av.open(io.BytesIO(video)) as container:
        rate = container.streams.audio[0].codec_context.sample_rate
        sound = np.concatenate(
            [f.to_ndarray().mean(axis=0) for f in container.decode(audio=0)]
        ).astype(np.float64)
    assert len(sound) == pytest.approx(3 * rate, abs=rate * 0.05)
    # the track (1.5 s) is looped to the whole video: music in the middle and in the last second
    for part in (sound[rate // 2 : rate + rate // 2], sound[-rate : -rate // 4]):
        assert rw.rms_db(part) > -35, ext
        assert rw.dominant_hz(part, rate) == pytest.approx(rw.MUSIC_HZ, abs=5)


@pytest.mark.parametrize(
    ("fmt", "media_type"),
    [("heic", "image/heic"), ("avif", "image/avif"), ("jpeg-cmyk", "image/jpeg")],
)
def test_phone_and_print_pictures_upload(
    api: httpx.Client, fmt: str, media_type: str, tmp_path: Path
) -> None:
    path = rw.picture(fmt, tmp_path / "photo")
    uploaded = api.post("/api/assets", files={"file": (path.name, path.read_bytes())})
    assert uploaded.status_code == 201, uploaded.text
    asset = uploaded.json()
    assert (asset["kind"], asset["mediaType"], asset["width"], asset["height"]) == (
        "image",
        media_type,
        64,
        48,
    )


def test_an_upright_phone_photo_uploads_with_its_shown_size_and_renders_upright(
    api: httpx.Client, tmp_path: Path
) -> None:
    path = rw.oriented_jpeg(tmp_path / "IMG_0002.jpg", 6, width=64, height=96)
    asset = api.post("/api/assets", files={"file": (path.name, path.read_bytes())}).json()
    assert (asset["width"], asset["height"]) == (64, 96)
    document = {
        "version": 1,
        "output": {"aspect": "9:16", "resolution": 360, "fps": 24},
        "music": {"enabled": False},
        "scenes": [{"duration": 1, "visual": {"type": "image", "src": asset["ref"]}}],
    }
    project = create_project(api, document)
    frame = api.get(f"/api/projects/{project['id']}/frame", params={"t": 0.5})
    assert frame.status_code == 200
    from PIL import Image

    pixels = np.asarray(Image.open(io.BytesIO(frame.content)).convert("RGB")).astype(int)
    assert pixels.shape == (640, 360, 3)
    # cover: 64×96 → 427×640 cropped to the middle 360 columns
    for (x, y), colour in {(90, 160): rw.TOP_LEFT, (270, 480): rw.BOTTOM_RIGHT}.items():
        assert np.abs(pixels[y, x] - colour).max() <= 24, ((x, y), pixels[y, x])


def test_a_picture_asset_is_served_upright_as_png_for_the_browser(
    api: httpx.Client, tmp_path: Path
) -> None:
    """HEIC does not show in most browsers and EXIF orientation is easy to lose: the editor
    shows a picture as the renderer uses it."""
    path = rw.oriented_jpeg(tmp_path / "IMG_0003.jpg", 8, width=64, height=96)
    asset = api.post("/api/assets", files={"file": (path.name, path.read_bytes())}).json()
    shown = api.get(f"/api/assets/{asset['id']}/picture")
    assert shown.status_code == 200 and shown.headers["content-type"] == "image/png"
    from PIL import Image

    with Image.open(io.BytesIO(shown.content)) as image:
        assert image.format == "PNG" and image.size == (64, 96)
        pixels = np.asarray(image.convert("RGB")).astype(int)
    assert np.abs(pixels[10, 10] - rw.TOP_LEFT).max() <= 24
    assert np.abs(pixels[85, 53] - rw.BOTTOM_RIGHT).max() <= 24
    heic = rw.picture("heic", tmp_path / "photo")
    asset = api.post("/api/assets", files={"file": (heic.name, heic.read_bytes())}).json()
    assert api.get(f"/api/assets/{asset['id']}/picture").headers["content-type"] == "image/png"
    song = rw.music_track(tmp_path / "song.mp3", seconds=0.5)
    audio = api.post("/api/assets", files={"file": (song.name, song.read_bytes())}).json()
    assert_error(api.get(f"/api/assets/{audio['id']}/picture"), 400, "assetId")
