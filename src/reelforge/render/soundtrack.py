"""The one audio track of a render: narration per scene, video sound, music, mixed once."""

from __future__ import annotations

import hashlib
import json
import threading
import wave
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reelforge.timeline.assets import content_hash
from reelforge.timeline.model import MusicBed, Timeline, TimelineScene, VideoClip

if TYPE_CHECKING:
    from reelforge.audio.mix import AudioClip

# 2: limited mixes are corrected to the target loudness; 3: a looped video's sound loops with
# it, fades with the scene's transitions, and the music ducks under it; 4: the music is louder,
# ducks less and per sentence (rising in the pauses), and plays with its fade to the very end
MIX_VERSION = 4
CLICK_FADE = 0.01  # seconds: the shortest fade of a video's sound at a cut

SAMPLE_RATE = 48000


def build_soundtrack(
    timeline: Timeline, *, out: Path, cache_dir: Path, cancel: threading.Event | None = None
) -> Path:
    """Mix the timeline's audio into a 48 kHz stereo WAV exactly as long as the video.

    Returns `out` for a silent track, else the mix's path in the cache (keyed by its inputs).
    """
    clips = soundtrack_clips(timeline)
    bed = timeline.music
    if not clips and bed is None:
        return write_silence(out, timeline.duration)

    from reelforge.audio.mix import mix_timeline
    from reelforge.audio.music import fit_track, generate_music

    music_path: Path | None = None
    if bed is not None:
        if bed.track is not None:
            music_path = fit_track(Path(bed.track.path), timeline.duration, cache_dir=cache_dir)
        else:
            music_path = generate_music(bed.style, bed.seed, timeline.duration, cache_dir=cache_dir)
    # The mix depends only on these inputs: reuse it when an edit left the sound alone.
    cached = cache_dir / "mixes" / f"{_mix_key(clips, music_path, timeline, bed)}.wav"
    if not cached.is_file():
        cached.parent.mkdir(parents=True, exist_ok=True)
        mix_timeline(
            clips,
            total=timeline.duration,
            out=cached,
            music=music_path,
            music_volume=bed.volume if bed else 0.0,
            ducking=bed.ducking if bed else False,
            cancel=cancel,
        )
    return cached


def soundtrack_clips(timeline: Timeline) -> list[AudioClip]:
    """The timeline's sounds: each scene's narration (with its spoken sentences, which the
    music ducks under) and each unmuted video's sound."""
    from reelforge.audio.mix import AudioClip

    fps = timeline.fps
    clips = [
        AudioClip(
            path=s.narration.path,
            start=s.start_frame / fps,
            kind="speech",
            voiced=tuple((a, b) for a, b, _ in s.narration.cues),
        )  # fmt: skip
        for s in timeline.scenes
        if s.narration is not None and s.narration.path is not None
    ]
    for scene in timeline.scenes:
        if scene.video_audio is None:
            continue
        before = timeline.scenes[scene.index - 1] if scene.index > 0 else None
        clips.append(
            AudioClip(
                path=Path(scene.video_audio.path),
                start=scene.start_frame / fps,
                kind="video",
                offset=scene.video_start,
                duration=scene.frames / fps,
                loop=_loop_period(scene),
                # a transition is centred on the cut: the sound fades over the scene's part of it
                fade_in=max(CLICK_FADE, _half_after(before) / fps),
                fade_out=max(CLICK_FADE, scene.transition_frames // 2 / fps),
            )
        )
    return clips


def _loop_period(scene: TimelineScene) -> float | None:
    """The period of a looping video's sound: the video's length, as the picture loops it."""
    visual = scene.content.visual
    if isinstance(visual, VideoClip) and visual.loop and visual.duration > 0:
        return visual.duration
    return None


def _half_after(scene: TimelineScene | None) -> int:
    """Frames of the transition out of `scene` that fall after its cut."""
    if scene is None:
        return 0
    return scene.transition_frames - scene.transition_frames // 2


def _mix_key(clips: list[Any], music: Path | None, timeline: Timeline, bed: MusicBed | None) -> str:
    parts: list[object] = [MIX_VERSION, timeline.total_frames, timeline.fps]
    for clip in clips:
        parts.append(
            (content_hash(clip.path), clip.start, clip.kind, clip.offset, clip.duration, clip.gain,
             clip.loop, clip.fade_in, clip.fade_out, clip.voiced)
        )  # fmt: skip
    parts.append(content_hash(music) if music else None)
    parts.append((bed.volume, bed.ducking) if bed else None)
    return hashlib.sha256(json.dumps(parts, default=str).encode()).hexdigest()


def write_silence(out: Path, seconds: float) -> Path:
    """A silent 48 kHz stereo WAV of exactly round(seconds × 48000) samples."""
    samples = round(seconds * SAMPLE_RATE)
    block = b"\x00" * 4 * SAMPLE_RATE
    with wave.open(str(out), "wb") as wav:
        wav.setnchannels(2)
        wav.setsampwidth(2)
        wav.setframerate(SAMPLE_RATE)
        left = samples
        while left > 0:
            n = min(left, SAMPLE_RATE)
            wav.writeframes(block[: n * 4])
            left -= n
    return out
