"""Render jobs: when each started, and the `Idempotency-Key` that created it.

Revision ID: 0003_server
Revises: 0002
Create Date: 2026-12-08
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from reelforge.store.models import UTCDateTime

revision = "0003_server"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("render_jobs") as batch:
        batch.add_column(sa.Column("started_at", UTCDateTime(), nullable=True))
        batch.add_column(sa.Column("idempotency_key", sa.String(255), nullable=True))
        batch.add_column(sa.Column("request_hash", sa.String(64), nullable=True))
        batch.create_index(
            "ix_render_jobs_owner_idempotency", ["owner_id", "idempotency_key"], unique=True
        )
    # Jobs that ran before this revision keep `started_at` empty: when they started is unknown.


def downgrade() -> None:
    with op.batch_alter_table("render_jobs") as batch:
        batch.drop_index("ix_render_jobs_owner_idempotency")
        batch.drop_column("request_hash")
        batch.drop_column("idempotency_key")
        batch.drop_column("started_at")
