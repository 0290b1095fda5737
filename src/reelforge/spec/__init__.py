"""The project document: models, defaults and validation (no I/O)."""

from reelforge.spec.load import (
    canonical_document,
    check_template,
    load_project,
    parse_project,
    project_schema,
    read_document,
)
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
    "canonical_document",
    "check_template",
    "load_project",
    "parse_project",
    "project_schema",
    "read_document",
]
