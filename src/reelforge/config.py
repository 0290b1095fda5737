"""Settings, read from the environment (`REELFORGE_*`) only when asked for."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


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
