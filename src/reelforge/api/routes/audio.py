"""Voices, music styles, and the audio edits of a project: voiceover and music."""

from __future__ import annotations

import secrets

from fastapi import APIRouter
from fastapi.responses import FileResponse

from reelforge.api.deps import ContextDep, CurrentUser, EditorDep, JsonObject
from reelforge.api.schemas import MusicStylePublic, ProjectPublic, VoiceoverCreate, VoicePublic
from reelforge.spec import parse_project
from reelforge.store import edits
from reelforge.store.edits import Document, Edit, fixed

router = APIRouter(tags=["audio"])


@router.get("/voices", operation_id="listVoices")
def list_voices(_user: CurrentUser) -> list[VoicePublic]:
    from reelforge.audio.tts import list_voices

    return [VoicePublic.model_validate(voice) for voice in list_voices()]


@router.get(
    "/voices/{voice_id}/sample",
    operation_id="getVoiceSample",
    response_class=FileResponse,
    responses={200: {"content": {"audio/wav": {}}}},
)
def get_voice_sample(voice_id: str, context: ContextDep, _user: CurrentUser) -> FileResponse:
    from reelforge.audio.tts import voice_sample

    path = voice_sample(voice_id, cache_dir=context.cache_dir)
    return FileResponse(path, media_type="audio/wav")


@router.get("/music-styles", operation_id="listMusicStyles")
def list_music_styles(_user: CurrentUser) -> list[MusicStylePublic]:
    """The music styles (an extension of SPEC §4, for the editor's picker)."""
    from reelforge.audio.music import list_styles

    return [MusicStylePublic.model_validate(style) for style in list_styles()]


@router.get(
    "/music-styles/{style}/sample",
    operation_id="getMusicStyleSample",
    response_class=FileResponse,
    responses={200: {"content": {"audio/wav": {}}}},
)
def get_music_style_sample(style: str, context: ContextDep, _user: CurrentUser) -> FileResponse:
    from reelforge.audio.music import style_sample

    path = style_sample(style, cache_dir=context.cache_dir)
    return FileResponse(path, media_type="audio/wav")


@router.post("/projects/{project_id}/voiceover", operation_id="regenerateVoiceover")
def regenerate_voiceover(
    project_id: str, body: VoiceoverCreate, editor: EditorDep
) -> ProjectPublic:
    """Regenerate the voiceover of all scenes or of `sceneIds`, optionally with `voiceId`."""

    def edit(document: Document) -> Edit:
        from reelforge.audio.tts import regenerate_voiceover

        project = regenerate_voiceover(
            parse_project(document), scene_ids=body.scene_ids, voice_id=body.voice_id
        )
        which = "all scenes" if body.scene_ids is None else ", ".join(map(repr, body.scene_ids))
        voice = f" with {body.voice_id}" if body.voice_id else ""
        return project.to_document(), fixed(f"Regenerate voiceover of {which}{voice}")

    return editor.apply(project_id, edit)


@router.patch("/projects/{project_id}/music", operation_id="patchMusic")
def patch_music(project_id: str, body: JsonObject, editor: EditorDep) -> ProjectPublic:
    """Edit the music: `style`, `volume`, `enabled`, `ducking`, `src` (an own track)."""
    return editor.apply(project_id, lambda document: edits.patch_music(document, body))


@router.post("/projects/{project_id}/music/regenerate", operation_id="regenerateMusic")
def regenerate_music(project_id: str, editor: EditorDep) -> ProjectPublic:
    """A new variation of the generated music (a new `music.seed`)."""

    def edit(document: Document) -> Edit:
        old = document.get("music", {}).get("seed")
        seed = old
        while seed == old:
            seed = secrets.randbelow(2**31 - 1)
        return edits.set_music_seed(document, seed)

    return editor.apply(project_id, edit)
