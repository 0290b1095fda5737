"""The one exception tree of reelforge.

ReelforgeError                 every error we raise on purpose; `str(e)` is one line for users
├── ProjectError               the project document is invalid (carries the field path)
├── MediaError                 a referenced file is missing, unreadable, unsupported or too big
├── VoiceError                 unknown voice id, broken voice model, empty voices folder
├── SpeechTooLongError         narration does not fit a scene's fixed duration
├── MusicError                 music generation or an own track failed
├── RenderError                rendering failed
│   ├── FFmpegError            FFmpeg exited non-zero (argv, exit code, stderr tail)
│   ├── ChunkError             a chunk failed after all retries (names the chunk)
│   └── RenderCancelled        the render was cancelled
├── ConfigError                bad settings or a missing binary
├── OutputError                an output whose format (extension) is unknown, or named twice
└── (server) UploadTooLarge, NotFound, RevisionConflict, NothingToUndo, NotAuthenticated,
    CsrfRejected, InvalidRequest (→ WebhookRefused, LimitExceeded), LoginThrottled, AssetInUse,
    AssetDeleted, ShareRevoked, UploadTooLarge (→ BodyTooLarge), TooManyRequests,
    IdempotencyConflict: api/errors.py
    maps each to its HTTP status
"""

from __future__ import annotations

from collections.abc import Sequence


class ReelforgeError(Exception):
    """Base class. The message is a single line fit to show a user."""

    code: str = "error"

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self) -> str:
        if self.field and not self.message.startswith(self.field):
            return f"{self.field}: {self.message}"
        return self.message


class ProjectError(ReelforgeError):
    """The project document is invalid. `field` is the path, e.g. `scenes[3].title.text`."""

    code = "invalid_project"

    def __init__(
        self, message: str, *, field: str | None = None, problems: Sequence[tuple[str, str]] = ()
    ) -> None:
        super().__init__(message, field=field)
        self.problems = list(problems) or ([(field, message)] if field else [])


class MediaError(ReelforgeError):
    """A media file is missing, unreadable, of an unsupported kind, or too large."""

    code = "invalid_media"


class VoiceError(ReelforgeError):
    """A voice cannot be used: unknown id, broken model, no voices."""

    code = "invalid_voice"


class SpeechTooLongError(ReelforgeError):
    """A scene's narration is longer than its fixed duration."""

    code = "speech_too_long"


class MusicError(ReelforgeError):
    """Music could not be generated or an own track could not be used."""

    code = "invalid_music"


class RenderError(ReelforgeError):
    """Rendering failed."""

    code = "render_failed"


class FFmpegError(RenderError):
    """FFmpeg exited with an error. Keeps the argv, exit code and the tail of stderr."""

    code = "ffmpeg_failed"

    def __init__(self, argv: Sequence[str], returncode: int, stderr_tail: str) -> None:
        super().__init__(f"ffmpeg exited with code {returncode}: {last_line(stderr_tail)}")
        self.argv = list(argv)
        self.returncode = returncode
        self.stderr_tail = stderr_tail


def last_line(stderr_tail: str) -> str:
    """The last non-blank line of a tool's stderr, cut to fit a one-line message."""
    last = next((ln for ln in reversed(stderr_tail.splitlines()) if ln.strip()), "")
    return last.strip()[:300]


class ChunkError(RenderError):
    """A chunk failed after every retry."""

    code = "chunk_failed"

    def __init__(self, chunk_id: str, reason: str) -> None:
        super().__init__(f"chunk {chunk_id} failed after retries: {reason}")
        self.chunk_id = chunk_id
        self.reason = reason


class RenderCancelled(RenderError):
    """The render was cancelled by the user."""

    code = "cancelled"


class ConfigError(ReelforgeError):
    """A setting is wrong or a required binary is missing."""

    code = "config"


class OutputError(ReelforgeError):
    """An output path whose format is unknown, or two outputs of one render that clash."""

    code = "invalid_output"


class UploadTooLarge(MediaError):
    """An upload over the server's size limit."""

    code = "too_large"


class NotFound(ReelforgeError):
    """No such project, scene, asset or render for this user (others' ids look absent too)."""

    code = "not_found"


class RevisionConflict(ReelforgeError):
    """`If-Match` names a revision that is no longer current."""

    code = "revision_conflict"


class NothingToUndo(ReelforgeError):
    """Undo at the start of the history, or redo at its end."""

    code = "nothing_to_undo"


class NotAuthenticated(ReelforgeError):
    """No credential, or a bad one."""

    code = "not_authenticated"


class CsrfRejected(ReelforgeError):
    """A cookie-authenticated unsafe request without proof that it came from our origin."""

    code = "csrf_rejected"


class InvalidRequest(ReelforgeError):
    """A request that is well-formed JSON but makes no sense."""

    code = "invalid_request"


class LoginThrottled(ReelforgeError):
    """Too many failed logins for a user name or from an address; `retry_after` in seconds."""

    code = "too_many_attempts"

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class AssetInUse(ReelforgeError):
    """An asset that a project's current document (or an unfinished render) refers to."""

    code = "asset_in_use"


class AssetDeleted(ReelforgeError):
    """A stored document (an undo history state, the project a render starts from) names an
    asset deleted since it was stored. `field` is the path of the reference."""

    code = "asset_deleted"


class ShareRevoked(ReelforgeError):
    """A share link whose render's links were revoked after it was issued."""

    code = "share_revoked"


class WebhookRefused(InvalidRequest):
    """A webhook URL the server will not call (scheme, or where its host resolves)."""

    code = "webhook_refused"


def new_error_id() -> str:
    """A short id for an unexpected error: shown to the user and written to the log with the
    traceback, so a report can be matched to its cause."""
    import uuid

    return uuid.uuid4().hex[:12]


class LimitExceeded(InvalidRequest):
    """A request past one of the server's limits (`config.Settings.max_*`); the message names
    the limit and its setting."""

    code = "limit_exceeded"


class BodyTooLarge(UploadTooLarge):
    """A request body (or an upload) larger than the server accepts, or a user's storage full."""

    code = "body_too_large"


class TooManyRequests(ReelforgeError):
    """Too many requests or render jobs for now; `retry_after` in seconds."""

    code = "too_many_requests"

    def __init__(self, message: str, *, retry_after: int, field: str | None = None) -> None:
        super().__init__(message, field=field)
        self.retry_after = retry_after


class IdempotencyConflict(ReelforgeError):
    """An `Idempotency-Key` sent again with a different request."""

    code = "idempotency_key_reused"
