"""Settings, read from the environment (`REELFORGE_*`) only when asked for."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Annotated

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


def _default_cache_dir() -> Path:
    return Path.home() / ".cache" / "reelforge"


class Settings(BaseSettings):
    """Process-wide settings. Every field can be set as `REELFORGE_<NAME>`."""

    model_config = SettingsConfigDict(env_prefix="REELFORGE_", extra="ignore")

    ffmpeg: str | None = Field(default=None, description="FFmpeg binary; default: imageio-ffmpeg's")
    cache_dir: Path = Field(default_factory=_default_cache_dir)
    voices_dir: Path | None = None
    ray_address: str | None = None
    chunk_seconds: float = 10.0
    workers: int | None = None
    max_image_pixels: int = 100_000_000
    database_url: str | None = None
    webhook_allow_private: bool = Field(
        default=False,
        description="let render webhooks reach loopback, private, link-local and other "
        "non-public addresses (a local receiver in development)",
    )
    webhook_allowed_hosts: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="webhook hosts (exact names) or addresses/CIDRs allowed even when not "
        "public; comma-separated in the environment",
    )
    login_max_failures: int = Field(
        default=5, ge=1, description="failed logins per user name before it is locked"
    )
    login_max_failures_per_ip: int = Field(
        default=20, ge=1, description="failed logins from one client address before it is locked"
    )
    login_window_seconds: int = Field(
        default=900, ge=1, description="failures older than this are forgotten"
    )
    login_lockout_seconds: int = Field(
        default=900, ge=1, description="how long a user name or an address stays locked"
    )

    # Limits of a shared server (issue 15): past one, a request gets 413 or 400 naming it.
    max_body_bytes: int = Field(
        default=2 * 1024 * 1024,
        ge=1024,
        description="largest request body other than an upload (413 `body_too_large`, "
        "answered before the body has arrived in full)",
    )
    max_json_depth: int = Field(
        default=32, ge=4, description="deepest nesting of arrays and objects in a JSON body"
    )
    max_string_chars: int = Field(
        default=100_000,
        ge=100,
        description="longest string anywhere in a JSON body (free text; the document's own "
        "fields have tighter limits, e.g. 5000 characters of narration)",
    )
    max_json_integer: int = Field(
        default=2**53,
        ge=2**31,
        description="largest magnitude of an integer in a JSON body (larger ones are refused "
        "before they are converted, so a 5000-digit number costs nothing)",
    )
    max_scenes: int = Field(default=300, ge=1, description="scenes per project")
    max_render_seconds: float = Field(
        default=3600.0, gt=0, description="total video length of one render, in seconds"
    )
    max_render_pixel_frames: int = Field(
        default=1920 * 1080 * 30 * 1800,
        ge=1,
        description="width × height × frames of one render (default: 30 minutes of 1080p30)",
    )
    max_upload_bytes: int = Field(
        default=1024 * 1024 * 1024, ge=1, description="largest uploaded file, in bytes"
    )
    max_storage_bytes_per_user: int = Field(
        default=20 * 1024 * 1024 * 1024,
        ge=1,
        description="total size of one user's uploaded assets, in bytes",
    )

    # Fair scheduling of renders (issue 15).
    max_render_jobs: int | None = Field(
        default=None,
        ge=0,
        description="renders running at once in one server process; default: a quarter of "
        "the CPU cores, at least 1 (each render runs its own pool of FFmpeg workers)",
    )
    max_running_renders_per_user: int = Field(
        default=2, ge=1, description="renders of one user running at once"
    )
    max_queued_renders_per_user: int = Field(
        default=20,
        ge=1,
        description="unfinished renders one user may have; past it 429 with Retry-After",
    )

    api_requests_per_minute: int = Field(
        default=1200,
        ge=0,
        description="API requests per user and minute in one server process (0: no limit); "
        "past it 429 with Retry-After",
    )
    api_burst: int = Field(default=200, ge=1, description="requests a user may make at once")

    trusted_proxies: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="addresses/CIDRs of reverse proxies whose X-Forwarded-For names the client "
        "(for the per-address login limit); none by default, so the header is ignored",
    )

    render_retention_days: float | None = Field(
        default=None,
        gt=0,
        description="remove render outputs this many days after the render finished "
        "(unset: keep them); share links of removed outputs stop working",
    )

    header_timeout_seconds: float = Field(
        default=10.0, gt=0, description="a request's headers must arrive within this time"
    )
    keep_alive_seconds: float = Field(
        default=5.0, gt=0, description="an idle kept-alive connection is closed after this"
    )

    chunk_cache_max_bytes: int | None = Field(
        default=50 * 1024**3,
        ge=0,
        description="size budget of the server's chunk cache (least recently used chunks are "
        "removed first, never one a running render uses); unset: unbounded",
    )

    @field_validator("webhook_allowed_hosts", "trusted_proxies", mode="before")
    @classmethod
    def _split_hosts(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value


def default_render_jobs() -> int:
    """Renders at once when `max_render_jobs` is not set: a quarter of the cores, at least 1."""
    import os

    return max(1, (os.cpu_count() or 1) // 4)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The settings of this process (read once)."""
    return Settings()


def ffmpeg_exe() -> str:
    """Path of the FFmpeg binary: `REELFORGE_FFMPEG` or the one in the imageio-ffmpeg wheel."""
    configured = get_settings().ffmpeg
    if configured:
        return configured
    import imageio_ffmpeg

    return str(imageio_ffmpeg.get_ffmpeg_exe())
