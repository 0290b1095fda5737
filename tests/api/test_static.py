"""The web editor's built files are served at `/` when `web/dist` exists; the API stays put."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx

from reelforge.api.app import create_app


def get(app: object, *paths: str) -> list[httpx.Response]:
    async def fetch() -> list[httpx.Response]:
        transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            return [await client.get(path) for path in paths]

    return asyncio.run(fetch())


def test_serves_the_web_editor(tmp_path: Path) -> None:
    web = tmp_path / "dist"
    web.mkdir()
    (web / "index.html").write_text("<!doctype html><title>reelforge</title>")
    app = create_app(data_dir=tmp_path / "data", web_dir=web)
    page, health, projects = get(app, "/", "/api/health", "/api/projects")
    assert page.status_code == 200 and "<title>reelforge</title>" in page.text
    assert health.json()["status"] == "ok"
    assert projects.status_code == 401
    app.state.context.db.dispose()


def test_no_web_folder_no_editor(tmp_path: Path) -> None:
    app = create_app(data_dir=tmp_path / "data", web_dir=tmp_path / "missing")
    (response,) = get(app, "/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    app.state.context.db.dispose()
