"""Resolve a project document into a Timeline: assets, narration, durations, frames, captions."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from reelforge.errors import MediaError, ProjectError, SpeechTooLongError
from reelforge.spec.models import (
    ColorVisual,
    GradientVisual,
    ImageVisual,
    Project,
    Scene,
    VideoVisual,
    Voice,
)
from reelforge.timeline.assets import AssetResolver, content_hash, probe_media
from reelforge.timeline.model import (
    Asset,
    CaptionCue,
    Look,
    MusicBed,
    Narration,
    OverlayLayer,
    SceneContent,
    StillVisual,
    Timeline,
    TimelineScene,
    TitleLayer,
    VideoClip,
)

NARRATION_PADDING = 0.6  # seconds of air after the narration of a scene with `duration: null`
MIN_AUTO_DURATION = 2.0
WORDS_PER_MINUTE = 150.0
MAX_FIT_SPEEDUP = 1.25  # --fit-speech speeds narration up at most this much


class Narrator(Protocol):
    """Speaks a scene's narration. The real one is Piper; `EstimateNarrator` only times it."""

    def speak(self, text: str, *, voice: Voice, pronunciations: dict[str, str]) -> Narration: ...


class EstimateNarrator:
    """No audio: a words-per-minute estimate of how long the narration will take."""

    def speak(self, text: str, *, voice: Voice, pronunciations: dict[str, str]) -> Narration:
        words = len(text.split())
        if not words:
            return Narration(path=None, duration=0.0)
        seconds = words / WORDS_PER_MINUTE * 60.0 / voice.speed
        return Narration(path=None, duration=seconds, cues=_estimate_cues(text, seconds))


def _estimate_cues(text: str, seconds: float) -> tuple[tuple[float, float, str], ...]:
    sentences = [s.strip() for s in re.split(r"(?<=[.!?])\s+", text.strip()) if s.strip()]
    total = sum(len(s) for s in sentences) or 1
    cues, t = [], 0.0
    for sentence in sentences:
        d = seconds * len(sentence) / total
        cues.append((t, t + d, sentence))
        t += d
    return tuple(cues)


def font_asset() -> Asset:
    """The bundled brand font (Inter, from the fontpkg-inter package)."""
    import fontpkg_inter

    folder = Path(fontpkg_inter.__file__).parent / "files"
    path = next(p for p in sorted(folder.glob("Inter*.ttf")) if "Italic" not in p.name)
    return Asset(hash=content_hash(path), path=str(path))


def caption_chars_per_line(width: int, height: int) -> int:
    """How many characters fit on one burned-in caption line."""
    font_px = caption_font_px(width, height)
    return max(12, int(0.84 * width / (0.52 * font_px)))


def caption_font_px(width: int, height: int) -> int:
    return max(12, round(min(width, height) * 0.045))


def resolve_timeline(
    project: Project,
    *,
    resolver: AssetResolver,
    narrator: Narrator,
    preview: bool = False,
    fit_speech: bool = False,
    max_pixels: int = 100_000_000,
    on_scene: Callable[[int, int], None] | None = None,
) -> Timeline:
    """Resolve every scene: probe and hash its media, speak its narration, place it in frames."""
    if not project.scenes:
        raise ProjectError("scenes: a project needs at least one scene", field="scenes")
    out = project.output
    fps = 15 if preview else out.fps
    width, height = out.size
    if preview:
        scale = 480 / min(width, height)
        width, height = _even(width * scale), _even(height * scale)

    def asset(ref: str, field: str, kinds: tuple[str, ...]) -> tuple[Asset, float, bool]:
        path = resolver.resolve(ref, field=field)
        info = probe_media(path, field=field, max_pixels=max_pixels)
        if info.kind not in kinds:
            raise MediaError(
                f"{field}: {path.name} is {info.kind}, expected {' or '.join(kinds)}", field=field
            )
        return Asset(hash=content_hash(path), path=str(path)), info.duration, info.has_audio

    brand = project.brand
    if brand.font != "Inter":
        raise ProjectError(
            f"brand.font: unknown font {brand.font!r} (available: Inter)", field="brand.font"
        )
    logo = asset(brand.logo, "brand.logo", ("image",))[0] if brand.logo else None
    look = Look(
        width=width,
        height=height,
        fps=fps,
        font=font_asset(),
        primary_color=brand.primary_color,
        text_color=brand.text_color,
        logo=logo,
    )
    product = (
        asset(project.product.image, "product.image", ("image",))[0]
        if project.product.image
        else None
    )

    starts: list[float] = []
    durations: list[float] = []
    narrations: list[Narration | None] = []
    t = 0.0
    for index, scene in enumerate(project.scenes):
        narration = _narrate(project, scene, index, narrator, fit_speech)
        durations.append(_scene_duration(scene, index, narration))
        narrations.append(narration)
        starts.append(t)
        t += durations[-1]
        if on_scene:
            on_scene(index + 1, len(project.scenes))
    boundaries = [round(s * fps) for s in starts] + [round(t * fps)]

    chars = caption_chars_per_line(width, height)
    scenes: list[TimelineScene] = []
    for index, scene in enumerate(project.scenes):
        prefix = f"scenes[{index}]"
        first, last = boundaries[index], boundaries[index + 1]
        frames = last - first
        visual, video_audio, video_start = _visual(scene, prefix, asset)
        overlay = None
        if scene.product_overlay.enabled:
            if product is None:
                raise ProjectError(
                    f"{prefix}.productOverlay.enabled: the project has no product.image",
                    field=f"{prefix}.productOverlay.enabled",
                )
            po = scene.product_overlay
            overlay = OverlayLayer(
                image=product,
                x=po.position.x,
                y=po.position.y,
                scale=po.scale,
                animation=po.animation,
            )
        title = (
            TitleLayer(text=scene.title.text.strip(), position=scene.title.position)
            if scene.title and scene.title.text.strip()
            else None
        )
        narration = narrations[index]
        captions = _captions(narration, fps, frames, chars) if project.captions.enabled else ()
        content = SceneContent(
            visual=visual, frames=frames, title=title, overlay=overlay, captions=captions
        )
        is_last = index == len(project.scenes) - 1
        trans = scene.transition
        tframes = 0 if is_last else round(trans.effective * fps)
        scenes.append(
            TimelineScene(
                id=scene.id,
                index=index,
                start_frame=first,
                end_frame=last,
                content=content,
                transition="cut" if tframes == 0 else trans.type,
                transition_frames=tframes,
                narration=narration,
                video_audio=video_audio,
                video_start=video_start,
            )
        )
    _check_transitions(scenes)

    music = project.music
    bed = None
    if music.enabled and music.volume > 0:
        track = asset(music.src, "music.src", ("audio", "video"))[0] if music.src else None
        bed = MusicBed(
            volume=music.volume,
            ducking=music.ducking,
            style=music.style,
            seed=music.seed,
            track=track,
        )
    return Timeline(
        look=look,
        scenes=tuple(scenes),
        total_frames=boundaries[-1],
        music=bed,
        captions_burned=project.captions.enabled,
        title=project.title,
    )


def _even(value: float) -> int:
    return max(2, int(round(value / 2.0)) * 2)


def _narrate(
    project: Project, scene: Scene, index: int, narrator: Narrator, fit_speech: bool
) -> Narration | None:
    text = scene.narration.strip()
    if not text:
        return None
    voice = scene.voice or project.voice
    narration = narrator.speak(text, voice=voice, pronunciations=project.pronunciations)
    if scene.duration is not None and narration.duration > scene.duration:
        speed, cap = voice.speed, min(2.0, voice.speed * MAX_FIT_SPEEDUP)
        # Piper's speech shortens less than in proportion to speed: converge in a few steps.
        for _ in range(5):
            if not fit_speech or narration.duration <= scene.duration or speed >= cap:
                break
            speed = min(cap, speed * (narration.duration / scene.duration) ** 1.5 * 1.01)
            fitted = voice.model_copy(update={"speed": speed})
            narration = narrator.speak(text, voice=fitted, pronunciations=project.pronunciations)
        if narration.duration > scene.duration:
            hint = "" if fit_speech else " (or render with --fit-speech)"
            raise SpeechTooLongError(
                f"scenes[{index}].duration: the narration of scene {scene.id!r} takes "
                f"{narration.duration:.2f} s but the scene lasts {scene.duration:g} s; lengthen "
                f"it or set duration to null{hint}",
                field=f"scenes[{index}].duration",
            )
    return narration


def _scene_duration(scene: Scene, index: int, narration: Narration | None) -> float:
    if scene.duration is not None:
        return scene.duration
    spoken = narration.duration if narration else 0.0
    return max(MIN_AUTO_DURATION, spoken + NARRATION_PADDING if spoken else MIN_AUTO_DURATION)


AssetFn = Callable[[str, str, tuple[str, ...]], tuple[Asset, float, bool]]


def _visual(
    scene: Scene, prefix: str, asset: AssetFn
) -> tuple[StillVisual | VideoClip, Asset | None, float]:
    v = scene.visual
    field = f"{prefix}.visual"
    if isinstance(v, ImageVisual):
        image = asset(v.src, f"{field}.src", ("image",))[0]
        return StillVisual(source="image", image=image, fit=v.fit, motion=v.motion), None, 0.0
    if isinstance(v, ColorVisual):
        return StillVisual(source="color", colors=(v.color.upper(),)), None, 0.0
    if isinstance(v, GradientVisual):
        return (
            StillVisual(
                source="gradient",
                colors=tuple(c.upper() for c in v.colors),
                angle=v.angle,
                motion=v.motion,
            ),
            None,
            0.0,
        )
    assert isinstance(v, VideoVisual)
    video, duration, has_audio = asset(v.src, f"{field}.src", ("video",))
    if duration > 0 and v.start >= duration:
        raise ProjectError(
            f"{field}.start: {v.start:g} s is past the end of the video ({duration:.2f} s)",
            field=f"{field}.start",
        )
    hdr = probe_media(Path(video.path), field=f"{field}.src").hdr  # memoised: probed above
    clip = VideoClip(video=video, start=v.start, loop=v.loop, duration=duration, fit=v.fit, hdr=hdr)
    return clip, (video if has_audio and not v.muted else None), v.start


def _captions(
    narration: Narration | None, fps: int, frames: int, chars: int
) -> tuple[CaptionCue, ...]:
    if narration is None:
        return ()
    from reelforge.audio.captions import Cue, screen_cues

    cues = []
    spoken = [Cue(start=a, end=b, text=t) for a, b, t in narration.cues]
    for cue in screen_cues(spoken, chars):
        start, end, text = cue.start, cue.end, cue.text
        a = min(frames - 1, round(start * fps))
        b = min(frames, max(a + 1, round(end * fps)))
        cues.append(CaptionCue(start=a, end=b, text=text))
    return tuple(cues)


def _check_transitions(scenes: list[TimelineScene]) -> None:
    incoming = 0
    for k, scene in enumerate(scenes):
        head = scene.transition_frames // 2
        tail_in = incoming - incoming // 2
        if scene.transition_frames and k + 1 < len(scenes):
            nxt = scenes[k + 1]
            if nxt.frames < scene.transition_frames - head:
                raise ProjectError(
                    f"scenes[{k}].transition.duration: too long for the next scene ({nxt.id})",
                    field=f"scenes[{k}].transition.duration",
                )
        if tail_in + head > scene.frames:
            raise ProjectError(
                f"scenes[{k}].transition.duration: the transitions into and out "
                f"of scene {scene.id} overlap; shorten them or lengthen the scene",
                field=f"scenes[{k}].transition.duration",
            )
        incoming = scene.transition_frames
