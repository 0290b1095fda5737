"""Assets: upload (probed, validated, stored by content), fetch with Range, use in documents,
delete (refused while a project or an unfinished render uses them; the file goes with the last
asset of its bytes); undo, redo and renders of documents that name a deleted asset."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import delete, update

from reelforge.spec import Project as ProjectDocument
from reelforge.store import assets, render_jobs
from reelforge.store.models import Asset, Project, RenderJob, utcnow

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
    # A document cannot refer to it any more; the undo history still does (see below).
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


def image_scene_project(api: httpx.Client, ref: str, duration: float = 2) -> dict[str, Any]:
    """A (renderable) project whose second scene, `scenes[1]`, shows the image `ref`."""
    document = sample_document()
    del document["scenes"][0]["productOverlay"]  # it would need a product image
    document["scenes"][1] |= {"visual": {"type": "image", "src": ref}, "duration": duration}
    return create_project(api, document)


@pytest.mark.parametrize("step", ["undo", "redo"])
def test_undo_and_redo_refuse_a_state_naming_a_deleted_asset(api: httpx.Client, step: str) -> None:
    asset = upload(api, unique_image_bytes(), "photo.png").json()
    project = create_project(api)
    url = f"/api/projects/{project['id']}"
    show = {"visual": {"type": "image", "src": asset["ref"]}}
    assert api.patch(f"{url}/scenes/cold", json=show).status_code == 200
    if step == "undo":  # the state before the current one names the asset
        hide = {"visual": {"type": "color", "color": "#000000"}}
        assert api.patch(f"{url}/scenes/cold", json=hide).status_code == 200
    else:  # the state after the current one names it
        assert api.post(f"{url}/undo").status_code == 200
    assert api.delete(f"/api/assets/{asset['id']}").status_code == 204
    before, history = api.get(url), api.get(f"{url}/history").json()

    error = assert_error(api.post(f"{url}/{step}"), 409, "scenes[1].visual.src")
    assert error["code"] == "asset_deleted"
    assert error["message"] == f"scenes[1].visual.src names {asset['ref']}, which was deleted"
    # Nothing changed: revision, document, history position (and so canUndo/canRedo).
    after = api.get(url)
    assert after.content == before.content and after.headers["ETag"] == before.headers["ETag"]
    assert api.get(f"{url}/history").json() == history
    # The project can still be edited.
    edited = api.patch(url, json={"title": "Onwards"})
    assert edited.status_code == 200 and edited.json()["revision"] == before.json()["revision"] + 1


def add_job_row(deployment: Deployment, api: httpx.Client, project_id: str, **values: Any) -> str:
    """A render job written straight into the database, with the project's current document."""
    owner_id = api.get("/api/auth/me").json()["id"]
    document = api.get(f"/api/projects/{project_id}").json()["document"]
    with deployment.database() as db, db.session() as session, session.begin():
        job = RenderJob(
            owner_id=owner_id,
            project_id=project_id,
            project_revision=1,
            document=document,
            preview=True,
            **values,
        )
        session.add(job)
        session.flush()
        return job.id


@pytest.mark.parametrize("status", ["queued", "running"])
def test_delete_is_refused_while_an_unfinished_render_uses_the_asset(
    deployment: Deployment, api: httpx.Client, status: str
) -> None:
    asset = upload(api, unique_image_bytes(), "photo.png").json()
    project = image_scene_project(api, asset["ref"])
    # Held by another (live) server process, so this one's coordinator leaves it alone.
    lease = {"lease_owner": "elsewhere", "lease_expires_at": utcnow() + dt.timedelta(hours=1)}
    job_id = add_job_row(deployment, api, project["id"], status=status, **lease)
    url = f"/api/projects/{project['id']}/scenes/cold"
    assert api.patch(url, json={"visual": {"type": "color"}}).status_code == 200
    listed = api.get("/api/assets").json()

    error = assert_error(api.delete(f"/api/assets/{asset['id']}"), 409, "assetId")
    assert error["code"] == "asset_in_use" and "render" in error["message"]
    assert api.get("/api/assets").json() == listed
    assert api.get(f"/api/assets/{asset['id']}").status_code == 200

    with deployment.database() as db, db.session() as session, session.begin():
        finished = {"status": "cancelled", "lease_owner": None, "finished_at": utcnow()}
        session.execute(update(RenderJob).where(RenderJob.id == job_id).values(**finished))
    assert api.delete(f"/api/assets/{asset['id']}").status_code == 204


def test_a_delete_racing_a_new_render_waits_for_it_and_is_refused(
    deployment: Deployment, api: httpx.Client
) -> None:
    """The render's transaction is held open right after it checked the asset: the delete
    waits for it, then sees the job and refuses. The job never meets a missing asset."""
    asset = upload(api, unique_image_bytes(), "photo.png").json()
    project = image_scene_project(api, asset["ref"], duration=600)  # unfinished until cancelled
    owner_id = api.get("/api/auth/me").json()["id"]
    checked, proceed = threading.Event(), threading.Event()

    def queue_render() -> str:
        with deployment.database() as db, db.session() as session:
            real_check = assets.ref_check(session=session, owner_id=owner_id, stored=True)

            def check_then_pause(document: ProjectDocument) -> None:
                real_check(document)
                checked.set()
                assert proceed.wait(30)

            job = render_jobs.create_job(
                session=session,
                owner_id=owner_id,
                project_id=project["id"],
                preview=True,
                webhook=None,
                check_refs=check_then_pause,
            )
            return job.id

    def delete_asset() -> httpx.Response:
        with deployment.client(deployment.alice) as client:
            return client.delete(f"/api/assets/{asset['id']}")

    with ThreadPoolExecutor(2) as pool:
        render = pool.submit(queue_render)
        try:
            assert checked.wait(30)
            delete = pool.submit(delete_asset)
            with pytest.raises(TimeoutError):
                delete.result(timeout=0.5)  # waits on the render's transaction
        finally:
            proceed.set()
        job_id = render.result(timeout=30)
        error = assert_error(delete.result(timeout=30), 409, "assetId")
    assert error["code"] == "asset_in_use"
    assert api.get(f"/api/assets/{asset['id']}").status_code == 200
    # Once the project stops using it, the unfinished render still holds it.
    url = f"/api/projects/{project['id']}/scenes/cold"
    assert api.patch(url, json={"visual": {"type": "color"}}).status_code == 200
    error = assert_error(api.delete(f"/api/assets/{asset['id']}"), 409, "assetId")
    assert "render" in error["message"]
    assert api.get(f"/api/renders/{job_id}").json()["error"] is None
    assert api.delete(f"/api/renders/{job_id}").status_code == 200  # cancel it


def test_a_render_of_a_document_naming_a_deleted_asset_is_refused_at_once(
    deployment: Deployment, api: httpx.Client
) -> None:
    """If the delete wins (here: a document stored before deletes were checked), the render
    is refused when it is queued, naming the field and the asset; no job is recorded."""
    asset = upload(api, unique_image_bytes(), "photo.png").json()
    project = image_scene_project(api, asset["ref"])
    document = project["document"]
    url = f"/api/projects/{project['id']}"
    assert api.patch(f"{url}/scenes/cold", json={"visual": {"type": "color"}}).status_code == 200
    assert api.delete(f"/api/assets/{asset['id']}").status_code == 204
    with deployment.database() as db, db.session() as session, session.begin():
        session.execute(
            update(Project).where(Project.id == project["id"]).values(document=document)
        )

    error = assert_error(api.post(f"{url}/renders", json={"preview": True}), 409)
    assert error == {
        "code": "asset_deleted",
        "message": f"scenes[1].visual.src names {asset['ref']}, which was deleted",
        "field": "scenes[1].visual.src",
    }
    assert api.get(f"{url}/renders").json() == []


def test_a_queued_job_naming_a_deleted_asset_fails_naming_it(
    deployment: Deployment, api: httpx.Client
) -> None:
    """A job queued before deletes were checked fails when it runs, with a one-line reason
    that names the field and the asset."""
    asset = upload(api, unique_image_bytes(), "photo.png").json()
    project = image_scene_project(api, asset["ref"])
    with deployment.database() as db, db.session() as session, session.begin():
        session.execute(delete(Asset).where(Asset.id == asset["id"]))
    job_id = add_job_row(deployment, api, project["id"])
    deadline = time.monotonic() + 30
    while (job := api.get(f"/api/renders/{job_id}").json())["status"] in ("queued", "running"):
        assert time.monotonic() < deadline, job
        time.sleep(0.1)
    assert job["status"] == "failed"
    assert job["error"]["code"] == "invalid_media"
    assert (
        job["error"]["message"] == f"scenes[1].visual.src names {asset['ref']}, which was deleted"
    )
