"""The server's limits (api/limits.py), against a real server process with small limits: each
answers 413 or 400 naming the limit, stores nothing, and a 30 MB body never gets read in full."""

from __future__ import annotations

import contextlib
import io
import json
import os
import select
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import numpy as np
import pytest
from PIL import Image

from reelforge.store.users import add_user

from .conftest import ServerProcess
from .support import assert_error, create_project, sample_document

MAX_BODY_BYTES = 64 * 1024
MAX_UPLOAD_BYTES = 200_000
LIMITS = {
    "REELFORGE_MAX_BODY_BYTES": str(MAX_BODY_BYTES),
    "REELFORGE_MAX_JSON_DEPTH": "12",
    "REELFORGE_MAX_STRING_CHARS": "6000",
    "REELFORGE_MAX_SCENES": "5",
    "REELFORGE_MAX_RENDER_SECONDS": "60",
    "REELFORGE_MAX_RENDER_PIXEL_FRAMES": str(640 * 360 * 24 * 30),
    "REELFORGE_MAX_STORAGE_BYTES_PER_USER": "150000",
    "REELFORGE_HEADER_TIMEOUT_SECONDS": "1",
    "REELFORGE_KEEP_ALIVE_SECONDS": "1",
}


@pytest.fixture(scope="module")
def limited(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[ServerProcess, str]]:
    data_dir = tmp_path_factory.mktemp("limited")
    server = ServerProcess(
        data_dir, env=LIMITS, max_upload_bytes=MAX_UPLOAD_BYTES, max_render_jobs=0
    ).start()
    try:
        yield server, add_user(data_dir=data_dir, name="carol")
    finally:
        server.stop()


@pytest.fixture
def api(limited: tuple[ServerProcess, str]) -> Iterator[httpx.Client]:
    server, token = limited
    with server.client(token) as client:
        yield client


def _nested(depth: int) -> str:
    return '{"title": ' + "[" * depth + "]" * depth + "}"


@pytest.mark.parametrize(
    ("body", "status", "code", "names"),
    [
        (_nested(100_000 // 2), 413, "body_too_large", "REELFORGE_MAX_BODY_BYTES"),
        (_nested(20), 400, "limit_exceeded", "REELFORGE_MAX_JSON_DEPTH"),
        ('{"music": {"seed": ' + "9" * 5000 + "}}", 400, "limit_exceeded", "MAX_JSON_INTEGER"),
        ('{"music": {"seed": -' + "9" * 17 + "}}", 400, "limit_exceeded", "MAX_JSON_INTEGER"),
        ('{"voice": {"speed": 1e400}}', 400, "limit_exceeded", "out of range"),
        ('{"voice": {"speed": NaN}}', 400, "limit_exceeded", "NaN"),
        (json.dumps({"brand": {"font": "x" * 6001}}), 400, "limit_exceeded", "MAX_STRING_CHARS"),
        (json.dumps({"x" * 6001: 1}), 400, "limit_exceeded", "MAX_STRING_CHARS"),
        (
            json.dumps({"scenes": [{"duration": 1} for _ in range(6)]}),
            400,
            "limit_exceeded",
            "REELFORGE_MAX_SCENES",
        ),
    ],
    ids=["body", "depth", "integer", "negative", "float", "nan", "string", "key", "scenes"],
)
def test_document_edit_past_a_limit(
    api: httpx.Client, body: str, status: int, code: str, names: str
) -> None:
    project = create_project(api)
    url = f"/api/projects/{project['id']}"
    before = api.get(url).json()
    response = api.patch(url, content=body, headers={"Content-Type": "application/json"})
    error = assert_error(response, status)
    assert error["code"] == code and names in error["message"], error
    assert api.get(url).json() == before


def test_limits_apply_to_every_json_route(api: httpx.Client) -> None:
    """Bodies that FastAPI parses itself (here a render's) get the same answers."""
    project = create_project(api)
    url = f"/api/projects/{project['id']}/renders"
    body = '{"preview": ' + "1" * 5000 + "}"
    response = api.post(url, content=body, headers={"Content-Type": "application/json"})
    assert assert_error(response, 400)["code"] == "limit_exceeded"
    assert api.get(url).json() == []


def test_create_past_the_scene_limit_stores_nothing(api: httpx.Client) -> None:
    before = api.get("/api/projects").json()
    scenes = [{"duration": 1} for _ in range(6)]
    response = api.post("/api/projects", json={"document": sample_document(scenes=scenes)})
    error = assert_error(response, 400, "scenes")
    assert "at most 5 scenes" in error["message"]
    assert api.get("/api/projects").json() == before


@pytest.mark.parametrize(
    ("output", "scenes", "preview", "names"),
    [
        ({"resolution": 360, "fps": 24}, [{"duration": 30}, {"duration": 31}], True, "SECONDS"),
        ({"resolution": 360, "fps": 24}, [{"narration": "word " * 1000}] * 2, True, "SECONDS"),
        ({"resolution": 720, "fps": 30}, [{"duration": 20}], False, "PIXEL_FRAMES"),
    ],
    ids=["length", "narration-length", "pixels-frames"],
)
def test_render_past_a_limit(
    api: httpx.Client, output: dict[str, Any], scenes: list[Any], preview: bool, names: str
) -> None:
    project = create_project(api, sample_document(output=output, scenes=scenes))
    url = f"/api/projects/{project['id']}/renders"
    error = assert_error(api.post(url, json={"preview": preview}), 400)
    assert error["code"] == "limit_exceeded" and names in error["message"], error
    assert api.get(url).json() == []


def test_render_within_the_limits_is_accepted(api: httpx.Client) -> None:
    # 720p30 for 20 s is too much as a final render, but a preview is 480p15.
    document = sample_document(output={"resolution": 720, "fps": 30}, scenes=[{"duration": 20}])
    project = create_project(api, document)
    response = api.post(f"/api/projects/{project['id']}/renders", json={"preview": True})
    assert response.status_code == 202, response.text


@pytest.mark.parametrize("if_match", ["9" * 5000, "²", "1e3", "-1", '"', "W/", "0x10", "1, 2"])
def test_odd_if_match_is_400(api: httpx.Client, if_match: str) -> None:
    project = create_project(api)
    url = f"/api/projects/{project['id']}"
    response = api.patch(url, json={"title": "x"}, headers={"If-Match": if_match.encode()})
    assert_error(response, 400, "If-Match")
    assert api.get(url).json()["title"] == project["title"]


def test_upload_past_the_storage_limit(api: httpx.Client) -> None:
    """150 000 bytes per user: a 100 kB upload fits, a second (different) one does not, and
    the bytes of the refused one are not kept."""

    def upload(content: bytes) -> httpx.Response:
        return api.post("/api/assets", files={"file": ("a.png", content, "image/png")})

    first, second = _noise_png(1), _noise_png(2)
    assert 80_000 < len(first) < 150_000 and 80_000 < len(second) < 150_000
    assert upload(first).status_code == 201
    before = api.get("/api/assets").json()
    error = assert_error(upload(second), 413, "file")
    assert "REELFORGE_MAX_STORAGE_BYTES_PER_USER" in error["message"]
    assert api.get("/api/assets").json() == before
    assert upload(first).status_code == 201  # the same bytes again take no more room


def _noise_png(seed: int) -> bytes:
    pixels = np.random.default_rng(seed).integers(0, 256, (180, 170, 3), dtype=np.uint8)
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, format="PNG")
    return buffer.getvalue()


def _rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError("no VmRSS")


def _raw_request(server: ServerProcess, token: str, headers: str) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", server.port), timeout=10)
    sock.sendall(
        (
            f"PATCH /api/projects/x HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            f"Authorization: Bearer {token}\r\nContent-Type: application/json\r\n{headers}\r\n"
        ).encode()
    )
    return sock


def _read_response(sock: socket.socket) -> bytes:
    data = b""
    while b"\r\n\r\n" not in data or not data.rstrip().endswith(b"}"):
        chunk = sock.recv(65536)
        if not chunk:
            break
        data += chunk
    return data


def test_declared_large_body_is_answered_before_it_is_sent(
    limited: tuple[ServerProcess, str],
) -> None:
    server, token = limited
    with _raw_request(server, token, f"Content-Length: {30 * 1024 * 1024}\r\n") as sock:
        response = _read_response(sock)  # not one byte of the body was sent
    assert response.startswith(b"HTTP/1.1 413"), response[:200]
    assert b"REELFORGE_MAX_BODY_BYTES" in response


def test_30_mb_streamed_body_keeps_memory_bounded(limited: tuple[ServerProcess, str]) -> None:
    """A chunked 30 MB body (no Content-Length) is answered 413 once it passes the limit; the
    server's memory stays where it was while the client keeps sending."""
    server, token = limited
    assert server.process is not None
    pid = server.process.pid
    before = _rss_kib(pid)
    peak = before
    sent = 0
    response = b""
    block = os.urandom(64 * 1024).hex()[: 64 * 1024].encode()
    with _raw_request(server, token, "Transfer-Encoding: chunked\r\n") as sock:
        deadline = time.monotonic() + 60
        try:
            while sent < 30 * 1024 * 1024 and time.monotonic() < deadline:
                sock.sendall(b"%x\r\n%s\r\n" % (len(block), block))
                sent += len(block)
                peak = max(peak, _rss_kib(pid))
                if select.select([sock], [], [], 0)[0]:
                    response = _read_response(sock)
                    break
        except OSError:  # the server closed the connection after answering
            pass
        if not response:
            with contextlib.suppress(OSError):
                response = _read_response(sock)
    assert response.startswith(b"HTTP/1.1 413"), response[:200]
    assert sent < 30 * 1024 * 1024  # it did not wait for the whole body
    assert peak - before < 20 * 1024, (before, peak)  # KiB


@pytest.mark.parametrize("sent", [b"", b"GET /api/health HTTP/1.1\r\nHost: x\r\nX-Slow: "])
def test_slow_headers_and_idle_connections_are_closed(
    limited: tuple[ServerProcess, str], sent: bytes
) -> None:
    """Nothing, or headers that never end: the server hangs up after the header timeout
    (1 s here) instead of holding the connection."""
    server, _ = limited
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        sock.sendall(sent)
        began = time.monotonic()
        assert sock.recv(1024) == b""  # closed by the server, without an answer
        assert time.monotonic() - began < 8


def test_a_kept_alive_connection_is_closed_when_idle(limited: tuple[ServerProcess, str]) -> None:
    server, _ = limited
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        sock.sendall(b"GET /api/health HTTP/1.1\r\nHost: x\r\n\r\n")
        began = time.monotonic()
        received = b""
        while chunk := sock.recv(65536):  # the answer, then the server hangs up
            received += chunk
        assert received.startswith(b"HTTP/1.1 200") and received.endswith(b"}")
        assert time.monotonic() - began < 8


def test_a_batch_row_past_a_render_limit_fails_alone(api: httpx.Client) -> None:
    document = sample_document(output={"resolution": 360, "fps": 24}, scenes=[{"duration": 1}])
    document["scenes"][0]["duration"] = "{{seconds}}"
    document["variables"] = {"seconds": {"type": "number", "default": 1}}
    project = create_project(api, document)
    url = f"/api/projects/{project['id']}/batches"
    rows = [{"id": "short", "seconds": 2}, {"id": "long", "seconds": 90}]
    started = api.post(url, json={"rows": rows, "preview": True})
    assert started.status_code == 202, started.text
    by_id = {row["id"]: row for row in started.json()["rows"]}
    assert by_id["short"]["renderId"] is not None and by_id["short"]["error"] is None
    assert by_id["long"]["renderId"] is None and by_id["long"]["status"] == "failed"
    assert "REELFORGE_MAX_RENDER_SECONDS" in by_id["long"]["error"], by_id["long"]
    renders = api.get(f"/api/projects/{project['id']}/renders").json()
    assert [job["id"] for job in renders] == [by_id["short"]["renderId"]]
