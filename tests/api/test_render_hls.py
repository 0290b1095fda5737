"""Render outputs besides the MP4 through the API: `formats`, HLS for the owner and through
share links (every playlist and segment URL authorised by the link, Range, MIME types, revoke)."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import av
import httpx
import m3u8
import pytest

from .conftest import Deployment
from .support import assert_error, create_project
from .test_renders import renderable, wait_for

HLS_TYPES = {
    ".m3u8": "application/vnd.apple.mpegurl",
    ".mp4": "video/mp4",
    ".m4s": "video/iso.segment",
}


@pytest.fixture(scope="module")
def hls_render(deployment: Deployment) -> dict[str, Any]:
    with deployment.client(deployment.alice) as api:
        project = create_project(api, renderable())
        body = {"preview": True, "formats": ["hls", "webm", "gif", "mp3"]}
        started = api.post(f"/api/projects/{project['id']}/renders", json=body)
        assert started.status_code == 202, started.text
        render = wait_for(api, started.json()["id"], timeout=240)
    assert render["status"] == "succeeded", render
    return render


def fetch_hls(client: httpx.Client, master_url: str, into: Path) -> list[str]:
    """Fetch the master, every rendition playlist and every segment by following the relative
    URIs as a player does; save them under `into`; returns every URL fetched."""
    urls = [master_url]
    master = client.get(master_url)
    assert master.status_code == 200, master.text
    (into / "master.m3u8").write_bytes(master.content)
    for variant in m3u8.loads(master.text).playlists:
        url = urljoin(master_url, variant.uri)
        playlist = client.get(url)
        assert playlist.status_code == 200
        assert playlist.headers["content-type"].startswith(HLS_TYPES[".m3u8"])
        folder = into / Path(variant.uri).parent
        folder.mkdir(parents=True, exist_ok=True)
        (into / variant.uri).write_bytes(playlist.content)
        parsed = m3u8.loads(playlist.text)
        for uri in [parsed.segment_map[0].uri, *(s.uri for s in parsed.segments)]:
            part = urljoin(url, uri)
            response = client.get(part)
            assert response.status_code == 200
            assert response.headers["content-type"] == HLS_TYPES[Path(uri).suffix]
            (folder / uri).write_bytes(response.content)
            urls.append(part)
        urls.append(url)
    return urls


def test_owner_gets_every_format_and_the_hls_ladder(
    api: httpx.Client, hls_render: dict[str, Any], tmp_path: Path
) -> None:
    outputs = hls_render["outputs"]
    assert hls_render["formats"] == ["mp4", "hls", "webm", "gif", "mp3"]
    assert outputs["hls"].endswith("/hls/master.m3u8")
    fetch_hls(api, outputs["hls"], tmp_path)
    master = m3u8.load(str(tmp_path / "master.m3u8"))
    assert [p.stream_info.resolution for p in master.playlists] == [(854, 480), (640, 360)]
    for variant in master.playlists:
        with av.open(str(tmp_path / variant.uri)) as container:
            assert sum(1 for _ in container.decode(video=0)) == hls_render["frames"]
    segment = urljoin(outputs["hls"], "360p/seg_00000.m4s")
    ranged = api.get(segment, headers={"Range": "bytes=0-99"})
    assert ranged.status_code == 206 and len(ranged.content) == 100
    vtt = api.get(urljoin(outputs["hls"], "thumbnails.vtt"))
    assert vtt.headers["content-type"].startswith("text/vtt") and "#xywh=" in vtt.text
    for name, media_type in (("webm", "video/webm"), ("gif", "image/gif"), ("mp3", "audio/mpeg")):
        response = api.get(outputs[name])
        assert response.status_code == 200 and response.headers["content-type"] == media_type
    assert_error(api.get(urljoin(outputs["hls"], "../../../../../../etc/passwd")), 404)
    assert_error(api.get(urljoin(outputs["hls"], "360p/%2e%2e/%2e%2e/video.mp4")), 404)


def test_someone_else_gets_no_hls(bob_api: httpx.Client, hls_render: dict[str, Any]) -> None:
    assert_error(bob_api.get(hls_render["outputs"]["hls"]), 404)


def test_hls_through_a_share_link_until_revoked(
    deployment: Deployment, api: httpx.Client, hls_render: dict[str, Any], tmp_path: Path
) -> None:
    share = f"/api/renders/{hls_render['id']}/share"
    link = api.post(share, json={"file": "hls"}).json()["url"]
    assert link.endswith("/hls/master.m3u8")
    video_link = api.post(share, json={"file": "video"}).json()["url"]
    with deployment.client() as anonymous:
        urls = fetch_hls(anonymous, link, tmp_path)
        assert all(url.startswith(link.removesuffix("master.m3u8")) for url in urls)
        ranged = anonymous.get(urls[1], headers={"Range": "bytes=0-9"})
        assert ranged.status_code == 206 and len(ranged.content) == 10
        # a link to another output does not open the HLS folder
        assert_error(anonymous.get(video_link + "/hls/master.m3u8"), 404)
        assert api.delete(share).status_code == 204
        for url in urls:
            assert assert_error(anonymous.get(url), 410, "token")["code"] == "share_revoked"
    assert api.get(hls_render["outputs"]["hls"]).status_code == 200  # the owner still can


@pytest.mark.parametrize("formats", [["mov"], "hls", ["hls"] * 6])
def test_bad_formats_are_refused(api: httpx.Client, formats: Any) -> None:
    project = create_project(api, renderable())
    response = api.post(f"/api/projects/{project['id']}/renders", json={"formats": formats})
    error = assert_error(response, 422)
    assert error["field"].startswith("formats")
