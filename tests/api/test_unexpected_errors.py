"""No traceback ever reaches a user: an unforeseen exception answers JSON with an error id, and
the traceback is in the server log under the same id. (The fault is injected: a bug we know
of would be fixed, not kept for a test.)"""

from __future__ import annotations

import logging
from pathlib import Path

import anyio
import httpx
import pytest

from reelforge.api.app import create_app


def test_an_unexpected_error_is_json_with_an_id_that_is_in_the_log(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reelforge.api.routes import health

    def bug(**_: object) -> None:
        raise ZeroDivisionError("a bug deep inside")

    monkeypatch.setattr(health, "HealthPublic", bug)
    app = create_app(data_dir=tmp_path, max_render_jobs=0)

    caplog.set_level(logging.ERROR, logger="reelforge.api")

    async def get() -> httpx.Response:
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            return await client.get("/api/health")

    response = anyio.run(get)
    assert response.status_code == 500
    error = response.json()["error"]
    assert error["code"] == "internal" and len(error["errorId"]) == 12
    assert error["errorId"] in error["message"] and "Traceback" not in response.text
    assert "a bug deep inside" not in response.text
    logged = [r for r in caplog.records if error["errorId"] in r.getMessage()]
    assert logged and logged[0].exc_info and logged[0].exc_info[0] is ZeroDivisionError
