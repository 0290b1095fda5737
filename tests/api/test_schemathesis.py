"""Bounded schemathesis runs over the OpenAPI schema, in-process: no request gets a 5xx.

One run fills path parameters at random (so most requests meet a 404); the other fills them with
the ids of a real project, scene, asset and render, generates valid and invalid bodies, and adds
the odd inputs that once answered 500: deep JSON, huge numbers, odd `If-Match` values."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import Case, GenerationMode
from schemathesis.python.asgi import get_client

from reelforge.api.app import create_app
from reelforge.api.ratelimit import RateLimiter
from reelforge.store.users import add_user

from .media import image_bytes
from .support import sample_document

EXAMPLES_PER_OPERATION = 10
REAL_ID_EXAMPLES_PER_OPERATION = 6
ODD_IF_MATCH = ["9" * 5000, "\u00b2", "W/", '""', "1.5", "-0", "*", "0", "99999999999999999999"]
ODD_BODIES = [
    "[" * 50_000 + "]" * 50_000,
    '{"a":' * 5000 + "1" + "}" * 5000,
    '{"title": ' + "9" * 5000 + "}",
    '{"preview": 1e999, "seed": NaN}',
    '{"title": "' + "\\ud800" * 10 + '"}',
    "\xff\xfe{}",
    '{"document": {"version": 1, "scenes": [' + ",".join(['{"duration": 600}'] * 2000) + "]}}",
    "{" * 10,
]


def test_no_server_errors(tmp_path: Path) -> None:
    token = add_user(data_dir=tmp_path, name="fuzz")
    app = create_app(data_dir=tmp_path, max_upload_bytes=1_000_000)
    app.state.context.rate_limiter = RateLimiter(per_minute=0)  # every request reaches a route
    headers = {"Authorization": f"Bearer {token}"}
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    failures: list[str] = []
    operations = 0
    try:
        for result in schema.get_all_operations():
            operation = result.ok()
            operations += 1

            @given(case=operation.as_strategy())
            @settings(
                max_examples=EXAMPLES_PER_OPERATION,
                deadline=None,
                database=None,
                suppress_health_check=list(HealthCheck),
            )
            def run(case: Case) -> None:
                response = case.call(headers=headers)
                if response.status_code >= 500:
                    failures.append(f"{case.method} {case.formatted_path}: {response.text[:200]}")
                elif response.status_code >= 400 and response.headers.get("content-type", [""])[
                    0
                ].startswith("application/json"):
                    body = response.json()
                    assert set(body) == {"error"}, (case.method, case.path, body)

            run()
    finally:
        app.state.context.db.dispose()
    assert operations >= 30
    if failures:
        pytest.fail("server errors:\n" + "\n".join(failures[:20]))


def _check(failures: list[str], label: str, status: int, content: bytes, content_type: str) -> None:
    text = content.decode("utf-8", "replace")
    if status >= 500:
        failures.append(f"{label}: {status} {text[:200]}")
    elif status >= 400 and content_type.startswith("application/json"):
        assert set(json.loads(text)) == {"error"}, (label, text[:200])


def test_no_server_errors_with_real_ids_and_odd_inputs(tmp_path: Path) -> None:
    token = add_user(data_dir=tmp_path, name="fuzz")
    app = create_app(data_dir=tmp_path, max_upload_bytes=1_000_000, max_render_jobs=0)
    app.state.context.rate_limiter = RateLimiter(per_minute=0)
    headers = {"Authorization": f"Bearer {token}"}
    failures: list[str] = []
    operations = 0
    try:
        with get_client(app) as client:
            client.headers.update(headers)

            def real_ids() -> dict[str, Any]:
                """A fresh project, asset and (cancelled, so finished) render to aim at."""
                asset = client.post(
                    "/api/assets", files={"file": ("p.png", image_bytes(), "image/png")}
                ).json()
                project = client.post("/api/projects", json={"document": sample_document()}).json()
                render = client.post(f"/api/projects/{project['id']}/renders", json={}).json()
                client.delete(f"/api/renders/{render['id']}")
                return {
                    "project_id": project["id"],
                    "scene_id": "intro",
                    "asset_id": asset["id"],
                    "render_id": render["id"],
                    "voice_id": "piper:en_US-joe-medium",
                    "style": "lofi",
                }

            schema = schemathesis.openapi.from_asgi("/openapi.json", app)
            for result in schema.get_all_operations():
                operation = result.ok()
                operations += 1
                ids = real_ids()
                names = {p.name for p in operation.path_parameters}
                fixed = {name: value for name, value in ids.items() if name in names}
                strategy = st.one_of(
                    operation.as_strategy(GenerationMode.POSITIVE, path_parameters=fixed),
                    operation.as_strategy(GenerationMode.NEGATIVE, path_parameters=fixed),
                )

                @given(case=strategy, if_match=st.sampled_from([None, *ODD_IF_MATCH]))
                @settings(
                    max_examples=REAL_ID_EXAMPLES_PER_OPERATION,
                    deadline=None,
                    database=None,
                    suppress_health_check=list(HealthCheck),
                )
                def run(case: Case, if_match: str | None) -> None:
                    extra = {"If-Match": if_match} if if_match else {}
                    response = case.call(headers={**headers, **extra})
                    _check(
                        failures,
                        f"{case.method} {case.formatted_path} If-Match={str(if_match)[:12]}",
                        response.status_code,
                        response.content,
                        response.headers.get("content-type", [""])[0],
                    )

                run()
                if operation.body:  # every odd body to every operation that takes one
                    path = operation.path.format(**fixed)
                    for body in ODD_BODIES:
                        response = client.request(
                            operation.method.upper(),
                            path,
                            data=body.encode("utf-8", "surrogatepass"),
                            headers={"Content-Type": "application/json"},
                        )
                        _check(
                            failures,
                            f"{operation.method.upper()} {path} body={body[:16]!r}",
                            response.status_code,
                            response.content,
                            response.headers.get("content-type", ""),
                        )
    finally:
        app.state.context.db.dispose()
    assert operations >= 30
    if failures:
        pytest.fail("server errors:\n" + "\n".join(failures[:20]))
