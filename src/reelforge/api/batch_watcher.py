"""The batch watcher: one thread per server process that finishes batches and sends their
webhooks."""

from __future__ import annotations

import logging
import threading

from reelforge.api.routes.batches import batch_public
from reelforge.api.webhooks import WebhookPolicy
from reelforge.store import batches
from reelforge.store.db import Database

logger = logging.getLogger("reelforge.api.batches")


class BatchWatcher:
    """Marks batches finished when their last row finishes and sends their webhooks.

    Polls (one query a second); the conditional UPDATE in `claim_finished` makes one server
    process send each batch's webhook (at most once: a process that dies while sending it
    does not send it again).
    """

    def __init__(self, *, db: Database, webhooks: WebhookPolicy, poll_seconds: float = 1.0) -> None:
        self.db = db
        self.webhooks = webhooks
        self.poll_seconds = poll_seconds
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, name="batch-watcher", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(5.0)

    def _loop(self) -> None:
        while not self._stop.wait(self.poll_seconds):
            try:
                with self.db.session() as session:
                    finished = batches.claim_finished(session=session)
                    payloads = [
                        (view.batch.webhook, view.batch.id, batch_public(view))
                        for view in finished
                        if view.batch.webhook
                    ]
                for url, batch_id, public in payloads:
                    assert url is not None
                    payload = {
                        "event": "batch.finished",
                        "batch": public.model_dump(mode="json", by_alias=True),
                    }
                    self.webhooks.deliver(url, payload, what=f"batch {batch_id}")
            except Exception:
                logger.exception("batch watcher")
