"""What every request can reach: the database, the media store, folders and the job runner."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from reelforge.api.limits import Limits
from reelforge.api.preview import PreviewService
from reelforge.api.ratelimit import RateLimiter
from reelforge.api.webhooks import IPNetwork, WebhookPolicy
from reelforge.store.db import Database
from reelforge.store.media import MediaStore
from reelforge.store.throttle import ThrottlePolicy

if TYPE_CHECKING:
    from reelforge.api.coordinator import RenderCoordinator


@dataclass
class AppContext:
    data_dir: Path
    db: Database
    media: MediaStore
    share_key: bytes
    coordinator: RenderCoordinator
    webhooks: WebhookPolicy = field(default_factory=WebhookPolicy)
    login_throttle: ThrottlePolicy = field(default_factory=ThrottlePolicy)
    limits: Limits = field(default_factory=Limits)
    rate_limiter: RateLimiter = field(default_factory=RateLimiter)
    # The server key each user's webhook signing secret derives from.
    webhook_key: bytes = b""
    # Proxies whose X-Forwarded-For is believed.
    trusted_proxies: tuple[IPNetwork, ...] = ()
    # Still frames render in request threads; this bounds how many run at once.
    still_slots: threading.BoundedSemaphore = field(
        default_factory=lambda: threading.BoundedSemaphore(2)
    )
    # Live previews (HLS) built in background threads, one current build per project.
    previews: PreviewService = field(default_factory=PreviewService)

    @property
    def cache_dir(self) -> Path:
        return self.data_dir / "cache"

    @property
    def renders_dir(self) -> Path:
        return self.data_dir / "renders"

    @property
    def frames_dir(self) -> Path:
        return self.data_dir / "frames"
