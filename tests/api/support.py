"""Helpers shared by the API tests."""

from __future__ import annotations

import uuid
from typing import Any

import httpx


def sample_document(**overrides: Any) -> dict[str, Any]:
    document: dict[str, Any] = {
        "version": 1,
        "title": "SmartBottle launch",
        "output": {"aspect": "16:9", "resolution": 360, "fps": 24},
        "music": {"enabled": False},
        "scenes": [
            {
                "id": "intro",
                "narration": "Meet SmartBottle.",
                "duration": 2,
                "visual": {"type": "color", "color": "#112233"},
                "productOverlay": {"enabled": True, "scale": 0.4},
            },
            {
                "id": "cold",
                "narration": "Cold for a day.",
                "duration": 2,
                "visual": {"type": "gradient", "colors": ["#000000", "#FFFFFF"]},
            },
            {"id": "outro", "narration": "Get yours.", "duration": 2},
        ],
    }
    document.update(overrides)
    return document


def create_project(api: httpx.Client, document: dict[str, Any] | None = None) -> dict[str, Any]:
    response = api.post("/api/projects", json={"document": document or sample_document()})
    assert response.status_code == 201, response.text
    project: dict[str, Any] = response.json()
    return project


def assert_error(response: httpx.Response, status: int, field: str | None = None) -> dict[str, Any]:
    """The response is an error of the documented shape, naming `field` if given."""
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"}, body
    error: dict[str, Any] = body["error"]
    assert isinstance(error["code"], str) and error["code"]
    assert isinstance(error["message"], str) and error["message"]
    assert set(error) <= {"code", "message", "field"}
    if field is not None:
        assert error.get("field") == field, error
    return error


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"
