"""Run the server: `reelforge serve` calls `serve()`; tests run `python -m reelforge.api.server`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from reelforge.api.app import create_app
from reelforge.store.db import Database, database_url_for
from reelforge.store.users import ensure_owner


def serve(
    *,
    host: str,
    port: int,
    data_dir: Path,
    database_url: str | None = None,
    max_upload_bytes: int | None = None,
    lease_seconds: float = 15.0,
    max_render_jobs: int | None = None,
) -> None:
    """Serve the API and the web editor until interrupted.

    On the first start with an empty database, creates the owner account and prints a one-time
    sign-in link.
    """
    import uvicorn

    from reelforge.api.http import header_timeout_protocol
    from reelforge.config import get_settings

    settings = get_settings()
    data_dir.mkdir(parents=True, exist_ok=True)
    app = create_app(
        data_dir=data_dir,
        database_url=database_url,
        max_upload_bytes=max_upload_bytes,
        lease_seconds=lease_seconds,
        max_render_jobs=max_render_jobs,
    )
    db = Database(database_url_for(data_dir, database_url))
    try:
        with db.session() as session:
            link_secret = ensure_owner(session=session)
    finally:
        db.dispose()
    if link_secret is not None:
        shown_host = "127.0.0.1" if host in ("0.0.0.0", "::") else host
        print(
            "Created the owner account. Sign in once with this link (valid 24 hours):\n"
            f"  http://{shown_host}:{port}/api/auth/signin/{link_secret}",
            flush=True,
        )
    uvicorn.run(
        app,
        host=host,
        port=port,
        log_level="warning",
        timeout_graceful_shutdown=5,
        # The app decides whom to believe about client addresses (REELFORGE_TRUSTED_PROXIES);
        # uvicorn's default would take X-Forwarded-For from any loopback peer.
        proxy_headers=False,
        timeout_keep_alive=max(1, round(settings.keep_alive_seconds)),
        http=header_timeout_protocol(settings.header_timeout_seconds),
    )


def main(argv: list[str] | None = None) -> None:
    """A launcher with the server's tuning knobs (used by the tests and the benchmark)."""
    parser = argparse.ArgumentParser(prog="python -m reelforge.api.server")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--database-url")
    parser.add_argument("--max-upload-bytes", type=int, default=None)
    parser.add_argument("--lease-seconds", type=float, default=15.0)
    parser.add_argument("--max-render-jobs", type=int, default=None)
    args = parser.parse_args(argv)
    serve(
        host=args.host,
        port=args.port,
        data_dir=args.data_dir,
        database_url=args.database_url,
        max_upload_bytes=args.max_upload_bytes,
        lease_seconds=args.lease_seconds,
        max_render_jobs=args.max_render_jobs,
    )


if __name__ == "__main__":
    main(sys.argv[1:])
