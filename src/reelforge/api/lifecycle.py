"""Storage lifecycle: render outputs go with their project, and after the retention time.

`REELFORGE_RENDER_RETENTION_DAYS` (unset: kept) makes the coordinator's sweep remove the output
files of renders finished longer ago; their rows stay (status, timings) without outputs, and
their share links stop working.
"""

from __future__ import annotations

import datetime as dt
import logging
import shutil
from collections.abc import Iterable
from pathlib import Path

from reelforge.store import render_jobs
from reelforge.store.db import Database
from reelforge.store.models import utcnow

logger = logging.getLogger("reelforge.api.lifecycle")


def remove_render_outputs(renders_dir: Path, job_ids: Iterable[str]) -> None:
    """Delete the output folders of these renders (a running one's folder, written later, is
    removed by the next sweep or stays empty)."""
    for job_id in job_ids:
        folder = renders_dir / job_id
        if folder.parent == renders_dir and job_id.isalnum():
            shutil.rmtree(folder, ignore_errors=True)


def sweep_expired(*, db: Database, renders_dir: Path, retention: dt.timedelta) -> list[str]:
    """Remove the outputs of renders finished more than `retention` ago; returns their ids."""
    with db.session() as session:
        expired = render_jobs.expire_outputs(session=session, finished_before=utcnow() - retention)
    remove_render_outputs(renders_dir, expired)
    if expired:
        logger.info("removed the outputs of %d renders past their retention", len(expired))
    return expired
