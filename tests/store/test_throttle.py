"""Failed-login throttling in the database: limits, lockout, window, reset."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from reelforge.errors import LoginThrottled
from reelforge.store import throttle
from reelforge.store.db import Database
from reelforge.store.throttle import ThrottlePolicy

POLICY = ThrottlePolicy(
    max_failures=3,
    max_failures_per_address=5,
    window=dt.timedelta(seconds=60),
    lockout=dt.timedelta(seconds=0.5),
)


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = Database(f"sqlite:///{tmp_path / 'throttle.db'}")
    database.migrate(lock_dir=tmp_path)
    try:
        yield database
    finally:
        database.dispose()


def fail(db: Database, name: str, address: str, policy: ThrottlePolicy = POLICY) -> None:
    with db.session() as session:
        keys = policy.limits(name=name, address=address)
        throttle.check(session=session, keys=keys)
        throttle.record_failure(session=session, keys=keys, policy=policy)


def locked(db: Database, name: str, address: str) -> bool:
    with db.session() as session:
        try:
            throttle.check(session=session, keys=POLICY.limits(name=name, address=address))
        except LoginThrottled as exc:
            assert 0 < exc.retry_after <= 1
            return True
    return False


def test_a_user_name_locks_and_unlocks(db: Database) -> None:
    for _ in range(3):
        assert not locked(db, "ann", "10.0.0.1")
        fail(db, "ann", "10.0.0.1")
    assert locked(db, "ann", "10.0.0.2") and not locked(db, "bea", "10.0.0.1")
    time.sleep(0.6)
    assert not locked(db, "ann", "10.0.0.1")
    fail(db, "ann", "10.0.0.1")  # the count starts again after a lockout
    assert not locked(db, "ann", "10.0.0.1")


def test_an_address_locks_every_user_name(db: Database) -> None:
    for index in range(5):
        fail(db, f"guess{index}", "10.0.0.9")
    assert locked(db, "carl", "10.0.0.9") and not locked(db, "carl", "10.0.0.8")


def test_clear_and_the_window(db: Database) -> None:
    fail(db, "dan", "10.0.0.3")
    fail(db, "dan", "10.0.0.3")
    with db.session() as session:
        throttle.clear(session=session, key=throttle.user_key("dan"))
    fail(db, "dan", "10.0.0.3")
    fail(db, "dan", "10.0.0.3")
    assert not locked(db, "dan", "10.0.0.4")
    short = ThrottlePolicy(max_failures=2, window=dt.timedelta(seconds=0.3))
    fail(db, "eve", "10.0.0.5", short)
    time.sleep(0.4)
    fail(db, "eve", "10.0.0.5", short)  # the first failure is out of the window
    assert not locked(db, "eve", "10.0.0.6")
