"""Request and response models of the REST API (camelCase on the wire).

Families follow one pattern: `XCreate` (a POST body), `XUpdate` (a PATCH body: every field
optional, a JSON merge patch), `XPublic` (what a response shows). The Update models of document
parts are derived from the spec's models, so they never drift from it; they describe the bodies
in OpenAPI while the routes read the raw JSON, merge it, and let the spec validate the result
(that is what makes an error name its path in the document, e.g.
`scenes[0].productOverlay.scale`).
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, create_model
from pydantic.alias_generators import to_camel

from reelforge.spec import Project, Scene
from reelforge.spec.models import Music, ProductOverlay


class ApiModel(BaseModel):
    model_config = ConfigDict(
        alias_generator=to_camel, populate_by_name=True, extra="forbid", from_attributes=True
    )


class ErrorDetail(ApiModel):
    code: str
    message: str
    field: str | None = None
    error_id: str | None = None  # an unexpected error's id, also in the server log


class ErrorPublic(ApiModel):
    error: ErrorDetail


class HealthPublic(ApiModel):
    status: Literal["ok"] = "ok"
    version: str


# -- accounts -----------------------------------------------------------------------------------


class LoginCreate(ApiModel):
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=1024)


class PasswordUpdate(ApiModel):
    password: str = Field(min_length=8, max_length=1024)


class UserPublic(ApiModel):
    id: str
    name: str
    is_owner: bool


class TokenPublic(ApiModel):
    token: str


# -- projects -----------------------------------------------------------------------------------


class TimelineScenePublic(ApiModel):
    id: str
    start: float = Field(description="seconds from the start of the video")
    duration: float = Field(description="seconds on screen")
    auto: bool = Field(description="the duration follows the narration")
    narration_seconds: float = Field(description="length of the synthesised narration")


class TimelinePublic(ApiModel):
    """The project as it will render: real scene lengths from the synthesised narration."""

    duration: float
    frames: int
    fps: int
    scenes: list[TimelineScenePublic]


class ProjectPublic(ApiModel):
    id: str
    title: str
    revision: int
    created_at: dt.datetime
    updated_at: dt.datetime
    can_undo: bool
    can_redo: bool
    document: Project


class ProjectSummary(ApiModel):
    id: str
    title: str
    revision: int
    created_at: dt.datetime
    updated_at: dt.datetime


class ProjectCreate(ApiModel):
    """Either `document` (a whole project) or `script` (one scene per paragraph)."""

    document: Project | None = None
    script: str | None = Field(default=None, max_length=500_000)
    title: str | None = Field(default=None, max_length=200)


class SceneOrderUpdate(ApiModel):
    scene_ids: list[str] = Field(max_length=2000)


class VoiceoverCreate(ApiModel):
    voice_id: str | None = None
    scene_ids: list[str] | None = Field(default=None, max_length=2000)


class HistoryEntryPublic(ApiModel):
    position: int
    label: str
    created_at: dt.datetime


class HistoryPublic(ApiModel):
    entries: list[HistoryEntryPublic]
    position: int
    can_undo: bool
    can_redo: bool


# -- catalogs -----------------------------------------------------------------------------------


class VoicePublic(ApiModel):
    id: str
    name: str
    language: str
    quality: str


class MusicStylePublic(ApiModel):
    id: str
    name: str
    description: str
    tempo_range: tuple[int, int]


# -- assets -------------------------------------------------------------------------------------


class AssetPublic(ApiModel):
    id: str
    ref: str
    kind: str
    media_type: str
    filename: str
    size: int
    sha256: str
    width: int | None
    height: int | None
    duration: float | None
    created_at: dt.datetime


# -- renders ------------------------------------------------------------------------------------


OutputFormat = Literal["mp4", "hls", "webm", "gif", "mp3"]


def _mp4_only() -> list[OutputFormat]:
    return ["mp4"]


class RenderCreate(ApiModel):
    preview: bool = False
    webhook: str | None = Field(
        default=None,
        max_length=2048,
        description="an http(s) URL that gets the final status, signed (see docs/webhooks.md); "
        "a URL the server will not call is 400 `webhook_refused`",
    )
    formats: list[OutputFormat] = Field(
        default_factory=_mp4_only,
        max_length=5,
        description="Outputs besides the MP4 (always made): hls (ladder + master playlist), "
        "webm (VP9 + Opus), gif (≤ 640 px wide), mp3 (the mix).",
    )


class RenderOutputs(ApiModel):
    video: str
    srt: str
    vtt: str
    poster: str
    hls: str | None = Field(default=None, description="The HLS master playlist.")
    webm: str | None = None
    gif: str | None = None
    mp3: str | None = None


class RenderPublic(ApiModel):
    id: str
    project_id: str
    project_revision: int
    preview: bool
    status: Literal["queued", "running", "succeeded", "failed", "cancelled"]
    phase: str
    chunks_done: int
    chunks_total: int
    percent: float
    eta_seconds: float | None
    cancel_requested: bool
    error: ErrorDetail | None = None
    outputs: RenderOutputs | None = None
    formats: list[OutputFormat] = Field(default_factory=_mp4_only)
    frames: int | None = None
    duration: float | None = None
    chunks_rendered: int | None = None
    chunks_cached: int | None = None
    created_at: dt.datetime
    finished_at: dt.datetime | None
    started_at: dt.datetime | None = Field(
        default=None, description="when the render first started running (null while queued)"
    )


class ShareCreate(ApiModel):
    expires_in: int = Field(default=7 * 86400, ge=60, le=90 * 86400, description="seconds")
    file: Literal["video", "srt", "vtt", "poster", "hls", "webm", "gif", "mp3"] = "video"


class SharePublic(ApiModel):
    url: str
    expires_at: dt.datetime


# -- document patches (OpenAPI only; see the module docstring) ---------------------------------


@cache
def partial(model: type[BaseModel], name: str) -> type[BaseModel]:
    """`model` with every field optional and defaulting to None, nested models made partial."""
    fields: dict[str, Any] = {}
    for field_name, info in model.model_fields.items():
        annotation: Any = info.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            annotation = partial(annotation, annotation.__name__ + "Update")
        fields[field_name] = (
            annotation | None,
            Field(default=None, alias=info.alias, description=info.description),
        )
    return create_model(
        name, __config__=ConfigDict(extra="forbid", populate_by_name=True), **fields
    )


def document_bodies() -> dict[str, type[BaseModel]]:
    """Request bodies read as raw JSON, by operation id, with the model that documents them."""
    scene_create = create_model(
        "SceneCreate",
        __base__=Scene,
        index=(int | None, Field(default=None, ge=0, description="where to insert (0 = first)")),
    )
    return {
        "createProject": ProjectCreate,
        "patchProject": partial(Project, "ProjectUpdate"),
        "addScene": scene_create,
        "patchScene": partial(Scene, "SceneUpdate"),
        "patchSceneProductOverlay": partial(ProductOverlay, "ProductOverlayUpdate"),
        "patchMusic": partial(Music, "MusicUpdate"),
    }


class WebhookSecretPublic(ApiModel):
    """A user's webhook signing secret and the header its signatures come in."""

    secret: str
    header: str


# -- batches ------------------------------------------------------------------------------------


class BatchCreate(ApiModel):
    rows: list[dict[str, str | float | int | None]] = Field(
        min_length=1,
        max_length=10000,
        description="One object per row: variable name → value; `id` names the row's files.",
    )
    preview: bool = False
    webhook: str | None = Field(
        default=None,
        max_length=2048,
        description="an http(s) URL that gets the batch's final status, signed like a render's",
    )


class BatchRowPublic(ApiModel):
    id: str
    status: Literal["queued", "running", "succeeded", "failed", "cancelled"]
    render_id: str | None = None
    error: str | None = None


class BatchPublic(ApiModel):
    id: str
    project_id: str
    project_revision: int
    preview: bool
    status: Literal["queued", "running", "succeeded", "partial", "failed", "cancelled"]
    rows: list[BatchRowPublic]
    rows_done: int
    rows_failed: int
    cancel_requested: bool
    created_at: dt.datetime
    finished_at: dt.datetime | None = None
