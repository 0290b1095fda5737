"""The limits of a shared server: request bodies, JSON shape, documents and renders.

Every limit is a setting (`REELFORGE_MAX_*`, see `config.Settings`). Past one a request gets
413 (`body_too_large`) or 400 (`limit_exceeded`) with a message that names the limit, before
anything is stored.

`BodyLimitMiddleware` is pure ASGI and sits in front of every route:
- a body whose `Content-Length` is over the limit is answered at once, before it is read;
- a body without one (chunked) is counted as it arrives and answered once it passes the limit,
  so the server holds at most `max_body_bytes` of it;
- a body that parses as JSON is checked for depth, string lengths and integer sizes before any
  route sees it: Python's own parser would answer a 100 000-deep array with a RecursionError and
  a 5000-digit integer with a ValueError.
Uploads (multipart) are streamed to disk by `api.uploads`, which enforces the per-file and
per-user limits; the middleware only bounds them by the per-file limit plus framing.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from reelforge.errors import BodyTooLarge, LimitExceeded

if TYPE_CHECKING:
    from reelforge.config import Settings
    from reelforge.spec.models import Project

# Room for the multipart framing around an uploaded file (as `api.uploads` allows).
UPLOAD_FRAMING_BYTES = 64 * 1024
# A lower bound of narration-timed scenes' length at submission: faster than anyone speaks.
FASTEST_SPEECH_CHARS_PER_SECOND = 25.0
MIN_NARRATED_SCENE_SECONDS = 2.0


@dataclass(frozen=True)
class Limits:
    """The limits in force (from the settings, or given by a test)."""

    max_body_bytes: int = 2 * 1024 * 1024
    max_upload_bytes: int = 1024 * 1024 * 1024
    max_json_depth: int = 32
    max_string_chars: int = 100_000
    max_json_integer: int = 2**53
    max_scenes: int = 300
    max_render_seconds: float = 3600.0
    max_render_pixel_frames: int = 1920 * 1080 * 30 * 1800
    max_storage_bytes_per_user: int = 20 * 1024 * 1024 * 1024
    max_queued_renders_per_user: int = 20
    max_running_renders_per_user: int = 2

    @classmethod
    def from_settings(cls, settings: Settings, *, max_upload_bytes: int | None = None) -> Limits:
        return cls(
            max_body_bytes=settings.max_body_bytes,
            max_upload_bytes=max_upload_bytes or settings.max_upload_bytes,
            max_json_depth=settings.max_json_depth,
            max_string_chars=settings.max_string_chars,
            max_json_integer=settings.max_json_integer,
            max_scenes=settings.max_scenes,
            max_render_seconds=settings.max_render_seconds,
            max_render_pixel_frames=settings.max_render_pixel_frames,
            max_storage_bytes_per_user=settings.max_storage_bytes_per_user,
            max_queued_renders_per_user=settings.max_queued_renders_per_user,
            max_running_renders_per_user=settings.max_running_renders_per_user,
        )

    # --- JSON bodies -------------------------------------------------------------------------

    def check_json(self, body: bytes) -> None:
        """Raise LimitExceeded if a JSON body is too deep, has too long a string or too large a
        number. A body that is not JSON passes (the route says what it expected)."""
        digits = len(str(self.max_json_integer))

        def parse_int(text: str) -> int:
            if len(text.lstrip("-")) > digits or abs(int(text)) > self.max_json_integer:
                raise LimitExceeded(
                    f"a number in the body is larger than {self.max_json_integer} "
                    "(REELFORGE_MAX_JSON_INTEGER)",
                    field="body",
                )
            return int(text)

        def parse_float(text: str) -> float:
            value = float(text)
            if not math.isfinite(value):
                raise LimitExceeded(f"the number {text[:20]} is out of range", field="body")
            return value

        def parse_constant(text: str) -> float:
            raise LimitExceeded(f"{text} is not a number JSON allows", field="body")

        try:
            value = json.loads(
                body,
                parse_int=parse_int,
                parse_float=parse_float,
                parse_constant=parse_constant,
            )
        except RecursionError:
            raise self._too_deep() from None
        except (ValueError, UnicodeDecodeError):
            return  # not JSON: the route answers that
        self._check_value(value)

    def _check_value(self, value: Any) -> None:
        stack: list[tuple[Any, int]] = [(value, 0)]
        while stack:
            item, depth = stack.pop()
            if isinstance(item, dict | list):
                if depth + 1 > self.max_json_depth:
                    raise self._too_deep()
                children = list(item.items()) if isinstance(item, dict) else item
                for child in children:
                    if isinstance(child, tuple):  # a key and its value
                        self._check_string(child[0])
                        stack.append((child[1], depth + 1))
                    else:
                        stack.append((child, depth + 1))
            elif isinstance(item, str):
                self._check_string(item)

    def _check_string(self, text: str) -> None:
        if len(text) > self.max_string_chars:
            raise LimitExceeded(
                f"a string in the body is longer than {self.max_string_chars} characters "
                "(REELFORGE_MAX_STRING_CHARS)",
                field="body",
            )

    def _too_deep(self) -> LimitExceeded:
        return LimitExceeded(
            f"the JSON body is nested deeper than {self.max_json_depth} levels "
            "(REELFORGE_MAX_JSON_DEPTH)",
            field="body",
        )

    # --- documents and renders ---------------------------------------------------------------

    def check_project(self, project: Project) -> None:
        """A document a user stores: at most `max_scenes` scenes."""
        if len(project.scenes) > self.max_scenes:
            raise LimitExceeded(
                f"a project has at most {self.max_scenes} scenes (REELFORGE_MAX_SCENES), "
                f"this one {len(project.scenes)}",
                field="scenes",
            )

    def check_render(self, project: Project, *, preview: bool) -> None:
        """A render to start: its length and its pixels × frames within the limits.

        Scenes timed by their narration count as the least time the narration could take (at a
        faster rate than anyone speaks), so a render refused here is surely too long."""
        seconds = sum(
            scene.duration
            if scene.duration is not None
            else max(
                MIN_NARRATED_SCENE_SECONDS,
                len(scene.narration)
                / FASTEST_SPEECH_CHARS_PER_SECOND
                / (scene.voice or project.voice).speed,
            )
            for scene in project.scenes
        )
        if seconds > self.max_render_seconds:
            raise LimitExceeded(
                f"the video would be at least {seconds:.0f} s long; a render is at most "
                f"{self.max_render_seconds:.0f} s (REELFORGE_MAX_RENDER_SECONDS)",
                field="scenes",
            )
        width, height = project.output.size
        fps: int = project.output.fps
        if preview:
            scale = 480 / min(width, height)
            width, height, fps = round(width * scale), round(height * scale), 15
        pixel_frames = width * height * math.ceil(seconds * fps)
        if pixel_frames > self.max_render_pixel_frames:
            raise LimitExceeded(
                f"the render would be {width}×{height} × {math.ceil(seconds * fps)} frames; "
                f"a render is at most {self.max_render_pixel_frames} pixels × frames "
                "(REELFORGE_MAX_RENDER_PIXEL_FRAMES)",
                field="output",
            )

    def storage_left(self, used: int) -> int:
        return max(0, self.max_storage_bytes_per_user - used)


class BodyLimitMiddleware:
    """Bounds every request body and checks JSON bodies (see the module docstring)."""

    def __init__(self, app: ASGIApp, *, limits: Callable[[], Limits]) -> None:
        self.app = app
        self.limits = limits

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        from reelforge.api.errors import error_response

        limits = self.limits()
        headers = dict(scope.get("headers") or ())
        content_type = headers.get(b"content-type", b"").split(b";")[0].strip().lower()
        multipart = content_type == b"multipart/form-data"
        limit = limits.max_body_bytes
        if multipart:
            limit = limits.max_upload_bytes + UPLOAD_FRAMING_BYTES
        too_large = BodyTooLarge(
            f"the upload is larger than {limits.max_upload_bytes} bytes "
            "(REELFORGE_MAX_UPLOAD_BYTES)"
            if multipart
            else f"the request body is larger than {limit} bytes (REELFORGE_MAX_BODY_BYTES)",
            field="file" if multipart else "body",
        )
        declared = headers.get(b"content-length", b"")
        if declared.isdigit() and int(declared) > limit:
            response = error_response(413, too_large.code, too_large.message, too_large.field)
            await _answer(response, scope, receive, send)
            return
        if multipart:
            await self.app(scope, _counting(receive, limit, too_large), send)
            return
        body = bytearray()
        while True:  # buffer the (bounded) body to check it as JSON
            message = await receive()
            if message["type"] != "http.request":
                await self.app(scope, _replay([message], receive), send)
                return
            body += message.get("body", b"")
            if len(body) > limit:
                response = error_response(413, too_large.code, too_large.message, too_large.field)
                await _answer(response, scope, receive, send)
                return
            if not message.get("more_body", False):
                break
        if bytes(body.strip()[:1]) in (b"{", b"["):
            try:
                limits.check_json(bytes(body))
            except LimitExceeded as exc:
                response = error_response(400, exc.code, exc.message, exc.field)
                await _answer(response, scope, receive, send)
                return
        replay: list[Message] = [{"type": "http.request", "body": bytes(body), "more_body": False}]
        await self.app(scope, _replay(replay, receive), send)


async def _answer(response: Any, scope: Scope, receive: Receive, send: Send) -> None:
    """Answer without reading the rest of the body; the server then closes the connection."""
    response.headers["Connection"] = "close"
    await response(scope, receive, send)


def _counting(receive: Receive, limit: int, too_large: BodyTooLarge) -> Receive:
    seen = 0

    async def counted() -> Message:
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > limit:
                raise too_large
        return message

    return counted


def _replay(messages: list[Message], receive: Receive) -> Receive:
    async def replayed() -> Message:
        if messages:
            return messages.pop(0)
        return await receive()

    return replayed
