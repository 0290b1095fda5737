"""Failed-login throttling, kept in the database so that every server process counts alike.

Each user name and each client address has a row counting its recent failures. Reaching the
limit within the window locks the key for the lockout time: every login for it, even with the
right password, is refused until then. A successful login clears its user name's count (not its
address's, or one known account would let an address guess others without limit).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from reelforge.errors import LoginThrottled
from reelforge.store.db import write_transaction
from reelforge.store.models import LoginThrottle, utcnow


@dataclass(frozen=True)
class ThrottlePolicy:
    """How many failures (per user name, per address) within `window` lock for `lockout`."""

    max_failures: int = 5
    max_failures_per_address: int = 20
    window: dt.timedelta = dt.timedelta(minutes=15)
    lockout: dt.timedelta = dt.timedelta(minutes=15)

    def limits(self, *, name: str, address: str | None) -> dict[str, int]:
        """The throttle keys of one login attempt, each with its limit."""
        limits = {user_key(name): self.max_failures}
        if address:
            limits[f"ip:{address}"] = self.max_failures_per_address
        return limits


def user_key(name: str) -> str:
    return f"user:{name}"


def check(*, session: Session, keys: Mapping[str, int]) -> None:
    """Raise LoginThrottled while any of the keys is locked."""
    now = utcnow()
    locked = session.scalars(
        select(LoginThrottle.locked_until).where(
            LoginThrottle.key.in_(list(keys)), LoginThrottle.locked_until > now
        )
    ).all()
    until = max((moment for moment in locked if moment is not None), default=None)
    if until is not None:
        seconds = max(1, math.ceil((until - now).total_seconds()))
        minutes = math.ceil(seconds / 60)
        raise LoginThrottled(
            f"too many failed sign-ins; try again in {minutes} minute{'s' if minutes > 1 else ''}",
            retry_after=seconds,
        )


def record_failure(*, session: Session, keys: Mapping[str, int], policy: ThrottlePolicy) -> None:
    """Count one failed login against each key; lock the keys that reach their limit."""
    now = utcnow()
    with write_transaction(session):
        # Forget keys whose failures are old and whose lock is over (guessed names pile up).
        session.execute(
            delete(LoginThrottle).where(
                LoginThrottle.window_start < now - policy.window,
                (LoginThrottle.locked_until.is_(None)) | (LoginThrottle.locked_until < now),
                LoginThrottle.key.not_in(list(keys)),
            )
        )
        dialect = session.get_bind().dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        session.execute(
            insert(LoginThrottle)
            .values([{"key": key, "failures": 0, "window_start": now} for key in sorted(keys)])
            .on_conflict_do_nothing(index_elements=["key"])
        )
        rows = session.scalars(
            select(LoginThrottle)
            .where(LoginThrottle.key.in_(list(keys)))
            .order_by(LoginThrottle.key)
            .with_for_update()
        ).all()
        for row in rows:
            lock_over = row.locked_until is not None and row.locked_until <= now
            if lock_over or row.window_start <= now - policy.window:
                row.failures, row.window_start, row.locked_until = 0, now, None
            row.failures += 1
            if row.failures >= keys[row.key]:
                row.locked_until = now + policy.lockout


def clear(*, session: Session, key: str) -> None:
    """Forget the failures of a key (a user name that just signed in)."""
    with write_transaction(session):
        session.execute(delete(LoginThrottle).where(LoginThrottle.key == key))
