"""Media references: resolving them to files, hashing their content, probing what they are."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, Protocol

from reelforge.errors import MediaError
from reelforge.files import file_sha256

MediaKind = Literal["image", "video", "audio"]

IMAGE_SUFFIXES = {
    ".png", ".jpg", ".jpeg", ".webp", ".gif", ".bmp", ".tif", ".tiff", ".heic", ".heif", ".avif",
}  # fmt: skip


class AssetResolver(Protocol):
    """Turns a media reference from a document into a readable file."""

    def resolve(self, ref: str, *, field: str) -> Path:
        """Return the file for `ref`; raise MediaError naming `field` when there is none."""
        ...


class DirectoryResolver:
    """The CLI's resolver: references are paths relative to the project file's folder."""

    def __init__(self, base_dir: Path) -> None:
        self.base_dir = base_dir

    def resolve(self, ref: str, *, field: str) -> Path:
        if ref.startswith("asset:"):
            raise MediaError(
                f"{field}: asset references ({ref}) work only in the server", field=field
            )
        path = Path(ref) if Path(ref).is_absolute() else self.base_dir / ref
        if not path.is_file():
            raise MediaError(f"{field}: file not found: {ref}", field=field)
        return path


@dataclass(frozen=True)
class MediaInfo:
    """What a media file holds, as far as rendering cares."""

    kind: MediaKind
    width: int = 0
    height: int = 0
    duration: float = 0.0
    has_audio: bool = False
    hdr: str = ""  # a video's HDR transfer: "pq", "hlg" or "" (SDR)


# FFmpeg's transfer characteristics (AVColorTransferCharacteristic) of HDR video.
HDR_TRANSFERS = {16: "pq", 18: "hlg"}


_hash_cache: dict[tuple[str, int, int], str] = {}
_probe_cache: dict[tuple[str, int, int], MediaInfo] = {}
_lock = threading.Lock()


def _stat_key(path: Path) -> tuple[str, int, int]:
    st = path.stat()
    return (str(path.resolve()), st.st_mtime_ns, st.st_size)


def content_hash(path: Path) -> str:
    """SHA-256 of a file's bytes (memoised by path, mtime and size)."""
    key = _stat_key(path)
    with _lock:
        cached = _hash_cache.get(key)
    if cached:
        return cached
    value = file_sha256(path)
    with _lock:
        _hash_cache[key] = value
    return value


def probe_media(path: Path, *, field: str, max_pixels: int = 100_000_000) -> MediaInfo:
    """Probe a media file: an image by its header (Pillow), anything else with PyAV.

    Raises MediaError naming `field` for unreadable, undecodable or oversized media.
    """
    key = _stat_key(path)
    with _lock:
        cached = _probe_cache.get(key)
    if cached:
        return cached
    info = _probe_image(path, field=field, max_pixels=max_pixels)
    if info is None:
        info = _probe_av(path, field=field, max_pixels=max_pixels)
    with _lock:
        _probe_cache[key] = info
    return info


def _probe_image(path: Path, *, field: str, max_pixels: int) -> MediaInfo | None:
    from PIL import Image, UnidentifiedImageError

    from reelforge.pictures import open_image, upright_size

    try:
        with open_image(path) as img:
            width, height = upright_size(img)  # as shown: EXIF orientation applied
            is_animated = bool(getattr(img, "is_animated", False))
            if width * height <= max_pixels and not is_animated:
                img.load()  # decode it all: a truncated or corrupt file fails here, not mid-render
    except UnidentifiedImageError:
        if path.suffix.lower() in IMAGE_SUFFIXES:
            raise MediaError(f"{field}: {path.name} is not a readable image", field=field) from None
        return None
    except MediaError as exc:
        raise MediaError(f"{field}: {exc.message}", field=field) from None
    except Image.DecompressionBombError:
        raise MediaError(
            f"{field}: {path.name} is too large (over {max_pixels} pixels)", field=field
        ) from None
    except (OSError, SyntaxError, ValueError) as exc:
        raise MediaError(
            f"{field}: {path.name} is not a readable image ({exc})", field=field
        ) from None
    if is_animated:
        return None
    if width * height > max_pixels:
        raise MediaError(
            f"{field}: {path.name} is {width}x{height}, over the limit of {max_pixels} pixels",
            field=field,
        )
    if width < 2 or height < 2:
        raise MediaError(f"{field}: {path.name} is too small ({width}x{height})", field=field)
    return MediaInfo(kind="image", width=width, height=height)


def _probe_av(path: Path, *, field: str, max_pixels: int) -> MediaInfo:
    import av

    try:
        with av.open(str(path)) as container:
            video = next(iter(container.streams.video), None)
            audio = next(iter(container.streams.audio), None)
            duration = float(container.duration) / 1_000_000 if container.duration else 0.0
            if video is not None and video.codec_context is None:
                video = None  # a stream PyAV has no decoder for (e.g. an SVG image)
            if video is not None:
                width, height = video.codec_context.width, video.codec_context.height
                if video.duration and video.time_base:
                    duration = max(duration, float(video.duration * video.time_base))
                if width * height > max_pixels:
                    raise MediaError(
                        f"{field}: {path.name} is {width}x{height}, over the limit "
                        f"of {max_pixels} pixels",
                        field=field,
                    )
                # Decode one frame: a header alone does not prove the file is playable.
                frame = next(container.decode(video=0))
                if round(getattr(frame, "rotation", 0) or 0) % 180 == 90:
                    width, height = height, width  # a phone's display matrix: as shown
                return MediaInfo(
                    kind="video",
                    width=width,
                    height=height,
                    duration=duration,
                    has_audio=audio is not None,
                    hdr=HDR_TRANSFERS.get(int(getattr(frame, "color_trc", 0) or 0), ""),
                )
            if audio is not None:
                next(container.decode(audio=0))
                return MediaInfo(kind="audio", duration=duration, has_audio=True)
    except MediaError:
        raise
    except (av.FFmpegError, StopIteration, OSError, ValueError, AttributeError):
        pass
    raise MediaError(
        f"{field}: {path.name} is not a supported image, video or audio file", field=field
    )
