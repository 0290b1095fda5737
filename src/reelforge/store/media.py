"""The content-addressed media store: uploaded bytes, kept once under their SHA-256.

Uploads are written to a temporary file while they arrive (hashing and counting as they go, so
an upload over the limit stops at once), probed with Pillow or PyAV, then moved into place.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from reelforge.errors import MediaError, UploadTooLarge

logger = logging.getLogger("reelforge.store.media")

CONTAINER_TYPES: tuple[tuple[set[str], str], ...] = (
    ({"mp4", "mov"}, "video/mp4"),
    ({"webm", "matroska"}, "video/webm"),
    ({"avi"}, "video/x-msvideo"),
    ({"mp3"}, "audio/mpeg"),
    ({"wav"}, "audio/wav"),
    ({"ogg"}, "audio/ogg"),
    ({"flac"}, "audio/flac"),
    ({"aac"}, "audio/aac"),
)


@dataclass(frozen=True)
class MediaInfo:
    """What probing found: the kind (`image`, `video`, `audio`) and its measurements."""

    kind: str
    media_type: str
    width: int | None = None
    height: int | None = None
    duration: float | None = None


@dataclass(frozen=True)
class StoredBlob:
    sha256: str
    size: int
    path: Path


class Upload:
    """Bytes arriving for the store; `write` raises UploadTooLarge past the limit."""

    def __init__(self, handle: IO[bytes], path: Path, limit: int) -> None:
        self._handle = handle
        self.path = path
        self._limit = limit
        self._hash = hashlib.sha256()
        self.size = 0

    def write(self, data: bytes) -> None:
        self.size += len(data)
        if self.size > self._limit:
            raise UploadTooLarge(f"the upload is larger than {self._limit} bytes", field="file")
        self._hash.update(data)
        self._handle.write(data)

    def close(self) -> None:
        """All bytes have arrived: flush them to the file (before probing or keeping it)."""
        self._handle.close()

    @property
    def sha256(self) -> str:
        return self._hash.hexdigest()


class MediaStore:
    """Files under `root/blobs/ab/cd/<sha256>`; temporary uploads under `root/tmp`."""

    def __init__(self, root: Path, *, max_upload_bytes: int, max_image_pixels: int) -> None:
        self.root = root
        self.max_upload_bytes = max_upload_bytes
        self.max_image_pixels = max_image_pixels

    def path_for(self, sha256: str) -> Path:
        return self.root / "blobs" / sha256[:2] / sha256[2:4] / sha256

    @contextlib.contextmanager
    def upload(self) -> Iterator[Upload]:
        """A temporary file to write an upload into; removed on exit unless stored."""
        tmp = self.root / "tmp"
        tmp.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(dir=tmp, prefix="upload-")
        path = Path(name)
        try:
            with os.fdopen(fd, "wb") as handle:
                yield Upload(handle, path, self.max_upload_bytes)
        finally:
            path.unlink(missing_ok=True)

    def keep(self, upload: Upload) -> StoredBlob:
        """Move a finished upload to its content address (a no-op if the bytes are known)."""
        target = self.path_for(upload.sha256)
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(upload.path, target)
        return StoredBlob(sha256=upload.sha256, size=upload.size, path=target)

    def probe(self, path: Path) -> MediaInfo:
        """Identify an image, a video or an audio file; MediaError for anything else.

        The renderer's own probe decides, so the server accepts exactly what renders.
        """
        from reelforge.timeline.assets import probe_media

        try:
            info = probe_media(path, field="file", max_pixels=self.max_image_pixels)
            media_type = _media_type(path, info.kind)
        except MediaError:
            raise
        except Exception as exc:  # untrusted bytes can trip a decoder in unforeseen ways
            logger.warning("probing an upload failed: %r", exc)
            raise MediaError("not a supported image, video or audio file", field="file") from None
        return MediaInfo(
            kind=info.kind,
            media_type=media_type,
            width=info.width or None,
            height=info.height or None,
            duration=info.duration or None,
        )


def _media_type(path: Path, kind: str) -> str:
    if kind == "image":
        from reelforge.pictures import open_image

        with open_image(path) as image:
            try:
                image.load()  # the probe read the header; a truncated file fails only here
            except (OSError, SyntaxError, ValueError):
                raise MediaError("the image cannot be decoded", field="file") from None
            return image.get_format_mimetype() or "application/octet-stream"
    import av

    with av.open(str(path)) as container:
        names = set(container.format.name.split(","))
    for names_of, media_type in CONTAINER_TYPES:
        if names & names_of:
            return media_type.replace("video/", "audio/") if kind == "audio" else media_type
    return f"{kind}/octet-stream" if kind != "image" else "application/octet-stream"
