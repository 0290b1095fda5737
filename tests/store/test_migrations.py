"""Migrations upgrade a database that holds data: rows made under 0001 survive 0002."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import select, text

from reelforge.store.db import Database
from reelforge.store.models import Batch, LoginThrottle, RenderJob

MIGRATIONS = Path(__file__).parents[2] / "src" / "reelforge" / "store" / "migrations"


def upgrade(db: Database, revision: str) -> None:
    with db.engine.begin() as connection:
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def test_render_jobs_of_0001_get_share_generation_0(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'old.db'}")
    try:
        upgrade(db, "0001")
        with db.engine.begin() as connection:
            connection.execute(
                text("INSERT INTO users (id, name, is_owner, created_at) VALUES ('u', 'u', 0, :t)"),
                {"t": "2025-01-01 00:00:00"},
            )
            connection.execute(
                text(
                    "INSERT INTO render_jobs (id, owner_id, project_id, project_revision, "
                    "document, preview, status, phase, chunks_done, chunks_total, percent, "
                    "cancel_requested, attempts, webhook_sent, created_at, updated_at) VALUES "
                    "('j', 'u', 'p', 1, '{}', 0, 'succeeded', 'done', 1, 1, 100, 0, 1, 0, :t, :t)"
                ),
                {"t": "2025-01-01 00:00:00"},
            )
        db.migrate(lock_dir=tmp_path)
        with db.session() as session:
            job = session.get(RenderJob, "j")
            assert job is not None and job.share_generation == 0 and job.status == "succeeded"
            assert session.scalars(select(LoginThrottle)).all() == []
    finally:
        db.dispose()


def test_render_jobs_of_0002_have_no_start_time_nor_idempotency_key(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'old.db'}")
    try:
        upgrade(db, "0002")
        with db.engine.begin() as connection:
            connection.execute(
                text("INSERT INTO users (id, name, is_owner, created_at) VALUES ('u', 'u', 0, :t)"),
                {"t": "2025-01-01 00:00:00"},
            )
            for job_id in ("j1", "j2"):
                connection.execute(
                    text(
                        "INSERT INTO render_jobs (id, owner_id, project_id, project_revision, "
                        "document, preview, status, phase, chunks_done, chunks_total, percent, "
                        "cancel_requested, attempts, webhook_sent, share_generation, "
                        "created_at, updated_at) VALUES (:id, 'u', 'p', 1, '{}', 0, "
                        "'succeeded', 'done', 1, 1, 100, 0, 1, 0, 0, :t, :t)"
                    ),
                    {"id": job_id, "t": "2025-01-01 00:00:00"},
                )
        db.migrate(lock_dir=tmp_path)
        with db.session() as session:
            jobs = session.scalars(select(RenderJob).order_by(RenderJob.id)).all()
            assert [(j.id, j.status, j.started_at, j.idempotency_key) for j in jobs] == [
                ("j1", "succeeded", None, None),
                ("j2", "succeeded", None, None),
            ]
    finally:
        db.dispose()


def test_0004_adds_batches_and_keeps_render_jobs(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'old.db'}")
    try:
        upgrade(db, "0002")
        with db.engine.begin() as connection:
            connection.execute(
                text("INSERT INTO users (id, name, is_owner, created_at) VALUES ('u', 'u', 0, :t)"),
                {"t": "2025-01-01 00:00:00"},
            )
            connection.execute(
                text(
                    "INSERT INTO render_jobs (id, owner_id, project_id, project_revision, "
                    "document, preview, status, phase, chunks_done, chunks_total, percent, "
                    "cancel_requested, attempts, webhook_sent, share_generation, created_at, "
                    "updated_at) VALUES ('j', 'u', 'p', 1, '{}', 0, 'succeeded', 'done', 1, 1, "
                    "100, 0, 1, 0, 2, :t, :t)"
                ),
                {"t": "2025-01-01 00:00:00"},
            )
        db.migrate(lock_dir=tmp_path)
        with db.session() as session, session.begin():
            job = session.get(RenderJob, "j")
            assert job is not None and job.share_generation == 2 and job.status == "succeeded"
            session.add(
                Batch(
                    id="b",
                    owner_id="u",
                    project_id="p",
                    project_revision=1,
                    rows=[{"id": "1", "renderId": "j", "error": None}],
                )  # fmt: skip
            )
        with db.session() as session:
            batch = session.get(Batch, "b")
            assert batch is not None and batch.rows[0]["renderId"] == "j"
            assert batch.finished_at is None and batch.cancel_requested is False
    finally:
        db.dispose()
