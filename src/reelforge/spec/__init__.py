"""The project document: models, defaults and validation (no I/O)."""

from reelforge.spec.load import load_project, parse_project, project_schema
from reelforge.spec.models import (
    DEFAULT_VOICE_ID,
    MUSIC_STYLES,
    ColorVisual,
    GradientVisual,
    ImageVisual,
    Project,
    Scene,
    VideoVisual,
)

__all__ = [
    "DEFAULT_VOICE_ID",
    "MUSIC_STYLES",
    "ColorVisual",
    "GradientVisual",
    "ImageVisual",
    "Project",
    "Scene",
    "VideoVisual",
    "load_project",
    "parse_project",
    "project_schema",
]
