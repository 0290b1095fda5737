"""A bounded schemathesis run over the OpenAPI schema, in-process: no request gets a 5xx."""

from __future__ import annotations

from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import Case

from reelforge.api.app import create_app
from reelforge.store.users import add_user

EXAMPLES_PER_OPERATION = 10


def test_no_server_errors(tmp_path: Path) -> None:
    token = add_user(data_dir=tmp_path, name="fuzz")
    app = create_app(data_dir=tmp_path, max_upload_bytes=1_000_000)
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
