"""Assets: upload (probed, validated, stored by content), fetch with Range, use in documents,
delete (refused while a project uses them; the file goes with the last asset of its bytes)."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any

import httpx
import pytest

from .conftest import MAX_UPLOAD_BYTES, Deployment
from .media import image_bytes, mp4_bytes, unique_image_bytes, wav_bytes
from .support import assert_error, create_project, sample_document


def upload(api: httpx.Client, content: bytes, name: str = "file.bin") -> httpx.Response:
    return api.post("/api/assets", files={"file": (name, content, "application/octet-stream")})


@pytest.mark.parametrize(
    ("name", "make", "kind", "media_type"),
    [
        ("product.png", lambda _: image_bytes("PNG"), "image", "image/png"),
        ("kitchen.jpg", lambda _: image_bytes("JPEG"), "image", "image/jpeg"),
        ("still.webp", lambda _: image_bytes("WEBP"), "image", "image/webp"),
        ("track.wav", lambda _: wav_bytes(), "audio", "audio/wav"),
        ("clip.mp4", mp4_bytes, "video", "video/mp4"),
    ],
)
def test_upload_and_fetch(
    api: httpx.Client, tmp_path: Path, name: str, make: Any, kind: str, media_type: str
) -> None:
    content = make(tmp_path)
    response = upload(api, content, name)
    assert response.status_code == 201, response.text
    asset = response.json()
    assert asset["kind"] == kind and asset["mediaType"] == media_type
    assert asset["sha256"] == hashlib.sha256(content).hexdigest()
    assert asset["size"] == len(content) and asset["filename"] == name
    assert asset["ref"] == f"asset:{asset['id']}"
    if kind != "audio":
        assert asset["width"] == 64 and asset["height"] == 48
    fetched = api.get(f"/api/assets/{asset['id']}")
    assert fetched.status_code == 200 and fetched.content == content
    ranged = api.get(f"/api/assets/{asset['id']}", headers={"Range": "bytes=2-9"})
    assert ranged.status_code == 206 and ranged.content == content[2:10]
    assert asset["id"] in [a["id"] for a in api.get("/api/assets").json()]
    # The same bytes again are the same asset.
    assert upload(api, content, name).json()["id"] == asset["id"]


@pytest.mark.parametrize(
    ("content", "status"),
    [
        (b"hello, this is plain text and not media at all\n" * 20, 400),
        (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n" * 30, 400),
        (b"<svg xmlns='http://www.w3.org/2000/svg' width='10' height='10'/>", 400),
        (image_bytes("PNG", size=(2100, 2000)), 400),  # over the server's pixel limit
        (image_bytes("PNG")[:60], 400),  # truncated
        (b"", 400),
        (os.urandom(MAX_UPLOAD_BYTES + 1024), 413),
    ],
    ids=["text", "pdf", "svg", "too-many-pixels", "truncated", "empty", "too-large"],
)
def test_upload_rejects(api: httpx.Client, content: bytes, status: int) -> None:
    before = api.get("/api/assets").json()
    assert_error(upload(api, content), status, "file")
    assert api.get("/api/assets").json() == before


def test_upload_needs_multipart_with_a_file(api: httpx.Client) -> None:
    assert_error(api.post("/api/assets", json={"file": "x"}), 400, "file")
    no_file = api.post("/api/assets", files={"other": ("a.png", image_bytes(), "image/png")})
    assert_error(no_file, 400, "file")


def test_documents_use_assets_of_the_right_kind(api: httpx.Client) -> None:
    image = upload(api, image_bytes(), "p.png").json()["ref"]
    audio = upload(api, wav_bytes(), "m.wav").json()["ref"]
    scenes = [{"id": "a", "visual": {"type": "image", "src": image}}]
    project = create_project(api, sample_document(scenes=scenes, product={"image": image}))
    url = f"/api/projects/{project['id']}"
    assert api.patch(f"{url}/music", json={"src": audio}).status_code == 200
    before = api.get(url).content
    wrong = api.patch(f"{url}/scenes/a", json={"visual": {"type": "video", "src": image}})
    assert_error(wrong, 400, "scenes[0].visual.src")
    assert_error(api.patch(url, json={"brand": {"logo": audio}}), 400, "brand.logo")
    assert api.get(url).content == before


def test_unknown_asset_is_404(api: httpx.Client) -> None:
    assert_error(api.get("/api/assets/nope"), 404)


def stored_file(deployment: Deployment, sha256: str) -> Path:
    return deployment.server.data_dir / "media" / "blobs" / sha256[:2] / sha256[2:4] / sha256


def test_delete_an_asset_in_use_and_then_not(deployment: Deployment, api: httpx.Client) -> None:
    asset = upload(api, unique_image_bytes(), "logo.png").json()
    content = api.get(f"/api/assets/{asset['id']}").content
    path = stored_file(deployment, asset["sha256"])
    assert path.read_bytes() == content
    document = sample_document(brand={"logo": asset["ref"]}, product={"image": asset["ref"]})
    first = create_project(api, {**document, "title": "Launch A"})
    second = create_project(api, {**document, "title": "Launch B"})
    url = f"/api/assets/{asset['id']}"
    listed = api.get("/api/assets").json()

    error = assert_error(api.delete(url), 409, "assetId")
    assert error["code"] == "asset_in_use"
    for project in (first, second):
        assert project["id"] in error["message"] and project["title"] in error["message"]
    # Nothing changed: the row, the file and the projects are as they were.
    assert api.get("/api/assets").json() == listed
    assert api.get(url).content == content and path.read_bytes() == content
    assert api.get(f"/api/projects/{first['id']}").json()["revision"] == first["revision"]

    assert api.delete(f"/api/projects/{first['id']}").status_code == 204
    patch = {"brand": {"logo": None}, "product": {"image": None}}
    assert api.patch(f"/api/projects/{second['id']}", json=patch).status_code == 200
    assert api.delete(url).status_code == 204
    assert_error(api.get(url), 404)
    assert asset["id"] not in [a["id"] for a in api.get("/api/assets").json()]
    assert not path.exists()
    assert_error(api.delete(url), 404)
    # A document cannot refer to it any more; the undo history still may (it is not current).
    assert_error(api.patch(f"/api/projects/{second['id']}", json=document), 400, "brand.logo")


def test_a_file_shared_by_assets_stays_until_the_last_goes(
    deployment: Deployment, api: httpx.Client, bob_api: httpx.Client
) -> None:
    content = unique_image_bytes()
    mine, theirs = upload(api, content).json(), upload(bob_api, content).json()
    assert mine["id"] != theirs["id"] and mine["sha256"] == theirs["sha256"]
    path = stored_file(deployment, mine["sha256"])
    assert api.delete(f"/api/assets/{mine['id']}").status_code == 204
    assert path.is_file() and bob_api.get(f"/api/assets/{theirs['id']}").content == content
    assert bob_api.delete(f"/api/assets/{theirs['id']}").status_code == 204
    assert not path.exists()
    again = upload(api, content).json()  # the same bytes can be uploaded again
    assert api.get(f"/api/assets/{again['id']}").content == content and path.is_file()


def test_delete_of_an_unknown_asset_is_404(api: httpx.Client) -> None:
    assert_error(api.delete("/api/assets/nope"), 404, "assetId")
