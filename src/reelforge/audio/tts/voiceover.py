"""A project's voiceover: which voice speaks each scene, and regenerating it."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from reelforge.audio.tts.catalog import get_voice
from reelforge.audio.tts.speech import Speech, synthesize
from reelforge.errors import ProjectError
from reelforge.spec.models import Project, Scene, Voice


def effective_voice(project: Project, scene: Scene) -> Voice:
    """The voice that speaks a scene: its own override, else the project's voice."""
    return scene.voice or project.voice


def regenerate_voiceover(
    project: Project,
    *,
    scene_ids: Sequence[str] | None = None,
    voice_id: str | None = None,
    voices_dir: Path | None = None,
) -> Project:
    """A new project whose chosen scenes (all when `scene_ids` is None) speak with `voice_id`.

    Each chosen scene gets `voice = Voice(id=voice_id, speed=<its current speed>)`. Without
    `voice_id` nothing changes: synthesis is deterministic and cached by content, so speaking
    the scenes again gives the same audio, and a caller only needs to re-render. Unknown scene
    ids (ProjectError) and unknown voices (VoiceError) are rejected before anything changes;
    `project` itself is never modified.
    """
    known = {scene.id for scene in project.scenes}
    chosen = set(known if scene_ids is None else scene_ids)
    unknown = sorted(chosen - known)
    if unknown:
        raise ProjectError(f"unknown scene id {unknown[0]!r}", field="sceneIds")
    if voice_id is not None:
        get_voice(voice_id, voices_dir)
    updated = project.model_copy(deep=True)
    if voice_id is None:
        return updated
    for scene in updated.scenes:
        if scene.id in chosen:
            speed = effective_voice(updated, scene).speed
            scene.voice = Voice(id=voice_id, speed=speed)
    return updated


def scene_speech(
    project: Project, scene: Scene, *, cache_dir: Path, voices_dir: Path | None = None
) -> Speech:
    """The speech of a scene's narration, in its effective voice, with the project's words."""
    voice = effective_voice(project, scene)
    return synthesize(
        scene.narration,
        voice_id=voice.id,
        speed=voice.speed,
        cache_dir=cache_dir,
        pronunciations=project.pronunciations,
        voices_dir=voices_dir,
    )
