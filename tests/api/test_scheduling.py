"""Fair scheduling of renders on a real server: users take turns, queues are bounded, cancel
takes effect within 2 s in every phase, and a retried request (same Idempotency-Key) gets the
same job."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from reelforge.store.users import add_user

from .conftest import ServerProcess
from .support import assert_error, create_project, sample_document

QUEUE_LIMIT = 4


@dataclass
class Shared:
    server: ServerProcess
    alice: httpx.Client
    bob: httpx.Client


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Shared]:
    data_dir = tmp_path_factory.mktemp("scheduling")
    env = {"REELFORGE_MAX_QUEUED_RENDERS_PER_USER": str(QUEUE_LIMIT)}
    server = ServerProcess(data_dir, env=env, max_render_jobs=1).start()
    tokens = [add_user(data_dir=data_dir, name=name) for name in ("alice", "bob")]
    try:
        with server.client(tokens[0]) as alice, server.client(tokens[1]) as bob:
            yield Shared(server, alice, bob)
    finally:
        server.stop()


def _render(api: httpx.Client, project_id: str, **headers: str) -> dict[str, Any]:
    response = api.post(
        f"/api/projects/{project_id}/renders", json={"preview": True}, headers=headers
    )
    assert response.status_code == 202, response.text
    job: dict[str, Any] = response.json()
    return job


def _wait(api: httpx.Client, render_id: str, until: Any, timeout: float = 120) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job: dict[str, Any] = api.get(f"/api/renders/{render_id}").json()
        if until(job):
            return job
        time.sleep(0.05)
    raise AssertionError(f"render {render_id} never got there: {job}")


def _finished(job: dict[str, Any]) -> bool:
    return job["status"] in ("succeeded", "failed", "cancelled")


def _short() -> dict[str, Any]:
    return sample_document(scenes=[{"id": "a", "duration": 1.5, "narration": ""}])


def test_another_users_render_starts_within_one_job_slot(shared: Shared) -> None:
    alice_project = create_project(shared.alice, _short())
    bob_project = create_project(shared.bob, _short())
    deep = [_render(shared.alice, alice_project["id"]) for _ in range(QUEUE_LIMIT)]
    # The queue is full: the next one is refused, with a time to come back.
    refused = shared.alice.post(
        f"/api/projects/{alice_project['id']}/renders", json={"preview": True}
    )
    assert_error(refused, 429)
    assert int(refused.headers["Retry-After"]) > 0
    assert "REELFORGE_MAX_QUEUED_RENDERS_PER_USER" in refused.json()["error"]["message"]

    bob_job = _render(shared.bob, bob_project["id"])
    assert bob_job["startedAt"] is None
    bob_done = _wait(shared.bob, bob_job["id"], _finished)
    assert bob_done["status"] == "succeeded", bob_done
    alice_jobs = [shared.alice.get(f"/api/renders/{job['id']}").json() for job in deep]
    started_before_bob = [
        job for job in alice_jobs if job["startedAt"] and job["startedAt"] < bob_done["startedAt"]
    ]
    # Alice's first render held the one slot when Bob asked; his went next, not after her 4.
    assert len(started_before_bob) <= 1, (alice_jobs, bob_done)
    assert bob_done["createdAt"] <= bob_done["startedAt"] <= bob_done["finishedAt"]
    for job in deep:
        shared.alice.delete(f"/api/renders/{job['id']}")
    for job in deep:
        _wait(shared.alice, job["id"], _finished)


@pytest.mark.parametrize("phase", ["plan", "audio", "render"])
def test_cancel_takes_effect_within_2_s(shared: Shared, phase: str) -> None:
    """Planning (speech for many narrated scenes), the soundtrack (two minutes of generated
    music) and chunk rendering all stop in time."""
    if phase == "audio":
        document = sample_document(
            music={"enabled": True, "style": "cinematic", "seed": 11},
            scenes=[{"id": f"s{i}", "duration": 15} for i in range(8)],
        )
    elif phase == "plan":
        scenes = [
            {"id": f"s{i}", "narration": f"Scene number {i} of a long story, told slowly."}
            for i in range(60)
        ]
        document = sample_document(scenes=scenes)
    else:
        document = sample_document(
            output={"resolution": 720, "fps": 30},
            scenes=[{"id": f"s{i}", "duration": 8} for i in range(6)],
        )
    project = create_project(shared.alice, document)
    job = shared.alice.post(
        f"/api/projects/{project['id']}/renders", json={"preview": phase != "render"}
    ).json()
    at = _wait(shared.alice, job["id"], lambda j: j["phase"] == phase or _finished(j))
    assert at["phase"] == phase, at  # cancelled in the phase under test
    asked = time.monotonic()
    response = shared.alice.delete(f"/api/renders/{job['id']}")
    assert response.status_code == 200
    done = _wait(shared.alice, job["id"], _finished, timeout=10)
    took = time.monotonic() - asked
    assert done["status"] == "cancelled", done
    assert took < 2.0, took
    assert done["outputs"] is None


def test_idempotent_retries(shared: Shared) -> None:
    project = create_project(shared.bob, _short())
    url = f"/api/projects/{project['id']}/renders"
    key = {"Idempotency-Key": "order-42"}
    first = shared.bob.post(url, json={"preview": True}, headers=key)
    again = shared.bob.post(url, json={"preview": True}, headers=key)
    assert first.status_code == again.status_code == 202
    assert again.json()["id"] == first.json()["id"]
    assert again.headers["Idempotent-Replayed"] == "true"
    other = shared.bob.post(url, json={"preview": False}, headers=key)
    assert assert_error(other, 422, "Idempotency-Key")["code"] == "idempotency_key_reused"
    # Keys belong to their user: Alice's same key is a new job of hers.
    alice_project = create_project(shared.alice, _short())
    alice = shared.alice.post(
        f"/api/projects/{alice_project['id']}/renders", json={"preview": True}, headers=key
    )
    assert alice.status_code == 202 and alice.json()["id"] != first.json()["id"]
    assert [job["id"] for job in shared.bob.get(url).json()] == [first.json()["id"]]
    for api, job in ((shared.bob, first.json()), (shared.alice, alice.json())):
        _wait(api, job["id"], _finished)
