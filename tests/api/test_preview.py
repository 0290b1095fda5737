"""`GET /projects/{id}/preview.m3u8`: the live preview as HLS, against a real server."""

from __future__ import annotations

import os
import time
import uuid
from pathlib import Path
from typing import Any

import av
import httpx
import pytest

from .conftest import Deployment
from .support import assert_error, create_project

PREVIEW_FPS = 15


def colour() -> str:
    """A colour no other test uses, so this test's chunks are not in the shared cache yet."""
    return "#" + uuid.uuid4().hex[:6]


def four_scenes(**first: Any) -> dict[str, Any]:
    """A -cut- B -crossfade- C -cut- D, fixed lengths, narration on A and C."""
    return {
        "output": {"aspect": "16:9", "resolution": 360, "fps": 24},
        "music": {"enabled": False},
        "scenes": [
            {"id": "a", "duration": 1, "narration": "Hello there.",
             "visual": {"type": "color", "color": colour()}, **first},
            {"id": "b", "duration": 1, "visual": {"type": "color", "color": colour()},
             "transition": {"type": "crossfade", "duration": 0.4}},
            {"id": "c", "duration": 1.2, "narration": "Cold for a day.",
             "visual": {"type": "gradient", "colors": [colour(), colour()]},
             "title": {"text": "Cold"}},
            {"id": "d", "duration": 1, "visual": {"type": "color", "color": colour()}},
        ],
    }  # fmt: skip


def playlist(api: httpx.Client, project_id: str, wait: str = "complete") -> str:
    response = api.get(f"/api/projects/{project_id}/preview.m3u8", params={"wait": wait})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/vnd.apple.mpegurl")
    assert response.headers["cache-control"] == "no-store"
    return response.text


def entries(text: str) -> list[tuple[float, str]]:
    """(seconds, uri) of each segment, checking the playlist's shape on the way."""
    lines = text.strip().splitlines()
    assert lines[0] == "#EXTM3U"
    target = next(int(x.split(":")[1]) for x in lines if x.startswith("#EXT-X-TARGETDURATION"))
    found = []
    for line, uri in zip(lines, lines[1:], strict=False):
        if line.startswith("#EXTINF:"):
            seconds = float(line[len("#EXTINF:") :].rstrip(","))
            assert seconds <= target
            assert uri.startswith("preview/") and uri.endswith(".ts")
            found.append((seconds, uri))
    return found


def segment_bytes(api: httpx.Client, project_id: str, uri: str) -> bytes:
    response = api.get(f"/api/projects/{project_id}/{uri}")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "video/mp2t"
    return response.content


def test_playlist_grows_to_the_whole_project(api: httpx.Client, tmp_path: Path) -> None:
    project = create_project(api, four_scenes())
    pid = project["id"]
    early = playlist(api, pid, wait="none")
    assert early.startswith("#EXTM3U\n") and "#EXT-X-ENDLIST" not in early
    first = playlist(api, pid, wait="segment")
    assert len(entries(first)) >= 1
    text = playlist(api, pid)
    assert text.rstrip().endswith("#EXT-X-ENDLIST")
    assert "#EXT-X-PLAYLIST-TYPE:EVENT" in text
    listed = entries(text)
    assert [uri for _, uri in entries(first)] == [uri for _, uri in listed][: len(entries(first))]
    timeline = api.get(f"/api/projects/{pid}/timeline").json()
    frames = round(timeline["duration"] * PREVIEW_FPS)
    assert abs(sum(s for s, _ in listed) - timeline["duration"]) < 1 / PREVIEW_FPS
    assert len(listed) == 5, "one segment per chunk: each scene, and the crossfade on its own"

    # Played back to back (a byte-wise join of MPEG-TS is a valid stream), the segments decode
    # to the exact frame count, and the audio runs without a gap for the whole length.
    joined = tmp_path / "joined.ts"
    joined.write_bytes(b"".join(segment_bytes(api, pid, uri) for _, uri in listed))
    with av.open(str(joined)) as container:
        video = container.streams.video[0]
        assert (video.codec_context.width, video.codec_context.height) == (854, 480)
        pts = [f.pts for f in container.decode(video)]
    step = 90_000 // PREVIEW_FPS
    assert len(pts) == frames
    assert all(b - a == step for a, b in zip(pts, pts[1:], strict=False)), "frames evenly spaced"
    with av.open(str(joined)) as container:
        audio = container.streams.audio[0]
        audio_frames = list(container.decode(audio))
    assert audio_frames[0].sample_rate == 48000
    ends = [(f.pts * 48000 // 90000, f.samples) for f in audio_frames]
    for (start, count), (nxt, _) in zip(ends, ends[1:], strict=False):
        assert abs(start + count - nxt) <= 1, "audio continues across every seam"
    total = sum(count for _, count in ends)
    assert total >= round(timeline["duration"] * 48000)
    assert total - round(timeline["duration"] * 48000) < 2048
    loud = [f for f in audio_frames if abs(f.to_ndarray()).max() > 0.01]
    assert loud, "the narration is in the segments"


def test_an_edit_keeps_the_uris_of_untouched_scenes(api: httpx.Client) -> None:
    project = create_project(api, four_scenes())
    pid = project["id"]
    before = [uri for _, uri in entries(playlist(api, pid))]
    edited = api.patch(f"/api/projects/{pid}/scenes/c", json={"title": {"text": "Colder"}})
    assert edited.status_code == 200, edited.text
    after = [uri for _, uri in entries(playlist(api, pid))]
    assert len(after) == len(before) == 5
    same = [b == a for b, a in zip(before, after, strict=True)]
    # a, b, the crossfade b→c (a chunk of its own), c, d: c changed, and the crossfade that
    # shows c; a, b and d are untouched
    assert same == [True, True, False, False, True]
    undone = api.post(f"/api/projects/{pid}/undo")
    assert undone.status_code == 200, undone.text
    assert [uri for _, uri in entries(playlist(api, pid))] == before


def ffmpeg_children(pid: int) -> dict[int, str]:
    """FFmpeg processes whose parent is `pid`, with their command lines."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        if ppid == pid and "ffmpeg" in cmdline.split(" ", 1)[0]:
            found[int(entry.name)] = cmdline
    return found


def test_a_newer_revision_stops_the_older_preview(
    api: httpx.Client, deployment: Deployment, tmp_path: Path
) -> None:
    assert deployment.server.process is not None
    server = deployment.server.process.pid
    long_scenes = [
        {"id": f"s{i}", "duration": 8,
         "visual": {"type": "gradient", "colors": [colour(), colour()]},
         "title": {"text": f"Scene {i}"}, "transition": {"type": "crossfade", "duration": 1}}
        for i in range(6)
    ]  # fmt: skip
    document = {"output": {"resolution": 360, "fps": 24}, "music": {"enabled": False},
                "scenes": long_scenes}  # fmt: skip
    pid = create_project(api, document)["id"]
    assert "#EXT-X-ENDLIST" not in playlist(api, pid, wait="none")
    deadline = time.monotonic() + 60
    old: set[str] = set()
    while not old and time.monotonic() < deadline:
        old = {k for k in map(_chunk_key, ffmpeg_children(server).values()) if k}
        time.sleep(0.02)
    assert old, "the preview encodes chunks with FFmpeg"
    small = [{"id": "only", "duration": 1, "visual": {"type": "color", "color": colour()}}]
    edited = api.patch(f"/api/projects/{pid}", json={"scenes": small})
    assert edited.status_code == 200, edited.text
    text = playlist(api, pid)
    assert len(entries(text)) == 1 and text.rstrip().endswith("#EXT-X-ENDLIST")
    left = ffmpeg_children(server)
    assert not left, f"FFmpeg still running after the newer preview finished: {left}"
    # the older build was stopped, not finished: most of its chunks never reached the cache
    chunks = deployment.server.data_dir / "cache" / "chunks"
    landed = {p.stem for p in chunks.glob("*/*.mp4")}
    planned = preview_chunk_keys(document, tmp_path)
    assert old <= planned
    assert len(planned & landed) < len(planned) - 2, "the older preview went on rendering"


def preview_chunk_keys(document: dict[str, Any], cache: Path) -> set[str]:
    """The chunk keys of a preview of `document` (which has no narration or media)."""
    from reelforge.config import get_settings
    from reelforge.render.chunks import Encoder, plan_chunks
    from reelforge.render.pipeline import RenderOptions, resolve_project
    from reelforge.spec import parse_project
    from reelforge.timeline.assets import DirectoryResolver

    options = RenderOptions(preview=True, cache_dir=cache)
    timeline = resolve_project(
        parse_project(document), resolver=DirectoryResolver(cache), options=options
    )
    encoder = Encoder.for_render(preview=True)
    chunks = plan_chunks(timeline, chunk_seconds=get_settings().chunk_seconds, encoder=encoder)
    return {c.key for c in chunks}


def _chunk_key(cmdline: str) -> str | None:
    """The chunk key from an encoder's output name (`.<key>.<pid>.<thread>.part.mp4`)."""
    for word in cmdline.split():
        name = os.path.basename(word)
        if name.endswith(".part.mp4") and name.startswith("."):
            return name[1:].split(".")[0]
    return None


def test_only_the_owner_sees_the_preview(api: httpx.Client, bob_api: httpx.Client) -> None:
    project = create_project(api, four_scenes())
    pid = project["id"]
    uri = entries(playlist(api, pid, wait="segment"))[0][1]
    assert_error(bob_api.get(f"/api/projects/{pid}/preview.m3u8"), 404)
    assert_error(bob_api.get(f"/api/projects/{pid}/{uri}"), 404)
    assert_error(api.get(f"/api/projects/{pid}/preview/{'0' * 64}.ts"), 404)
    assert_error(api.get("/api/projects/nope/preview.m3u8"), 404)
    assert api.get(f"/api/projects/{pid}/{uri}").status_code == 200
    anonymous = httpx.get(f"{api.base_url}/api/projects/{pid}/preview.m3u8")
    assert anonymous.status_code == 401


@pytest.mark.parametrize("wait", ["forever", ""])
def test_a_bad_wait_names_the_field(api: httpx.Client, wait: str) -> None:
    pid = create_project(api, four_scenes())["id"]
    assert_error(api.get(f"/api/projects/{pid}/preview.m3u8", params={"wait": wait}), 422, "wait")
