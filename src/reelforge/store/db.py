"""The database: engine, sessions, migrations on start.

SQLite (the default, a file in the data folder) runs in WAL mode, and transactions that write
start with `BEGIN IMMEDIATE`, so a read-modify-write never fails half-way on a stale snapshot.
PostgreSQL writers lock the rows they change (`SELECT ... FOR UPDATE`).
"""

from __future__ import annotations

import contextlib
import fcntl
import threading
import weakref
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.orm import Session, sessionmaker

_IMMEDIATE = "reelforge_immediate"
_write_locks: weakref.WeakKeyDictionary[Any, threading.Lock] = weakref.WeakKeyDictionary()
_MIGRATION_LOCK_ID = 7_345_001


def database_url_for(data_dir: Path, database_url: str | None = None) -> str:
    """The URL to use: the one given, else `REELFORGE_DATABASE_URL`, else SQLite in data_dir."""
    if database_url:
        return database_url
    from reelforge.config import get_settings

    configured = get_settings().database_url
    if configured:
        return configured
    return f"sqlite:///{(data_dir / 'reelforge.db').resolve()}"


class Database:
    """An engine and its session factory."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = _make_engine(url)
        if self.is_sqlite:
            _write_locks[self.engine] = threading.Lock()
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @contextlib.contextmanager
    def session(self) -> Iterator[Session]:
        """A session that is closed (and rolled back if still open) on exit."""
        with self.sessions() as session:
            yield session

    def migrate(self, *, lock_dir: Path | None = None) -> None:
        """Apply every Alembic migration not applied yet; safe with several processes."""
        with contextlib.ExitStack() as stack:
            if self.is_sqlite and lock_dir is not None:
                lock_dir.mkdir(parents=True, exist_ok=True)
                handle = stack.enter_context((lock_dir / ".migrate.lock").open("w"))
                fcntl.flock(handle, fcntl.LOCK_EX)
            with self.engine.begin() as connection:
                if connection.dialect.name == "postgresql":
                    connection.execute(
                        text("SELECT pg_advisory_xact_lock(:id)"), {"id": _MIGRATION_LOCK_ID}
                    )
                config = Config()
                config.set_main_option(
                    "script_location", str(Path(__file__).with_name("migrations"))
                )
                config.attributes["connection"] = connection
                command.upgrade(config, "head")

    def dispose(self) -> None:
        self.engine.dispose()


@contextlib.contextmanager
def write_transaction(session: Session) -> Iterator[None]:
    """A writing transaction: committed on success, rolled back on any error.

    Ends a read transaction left open first, so the write never upgrades a stale snapshot.
    SQLite writers of this process also queue on a lock: SQLite's own busy wait polls with
    growing sleeps, which under many concurrent writers starves some of them for seconds.
    """
    if session.in_transaction():
        session.commit()
    lock = _write_locks.get(session.get_bind())
    with lock if lock is not None else contextlib.nullcontext():
        session.connection(execution_options={_IMMEDIATE: True})
        try:
            yield
        except BaseException:
            session.rollback()
            raise
        session.commit()


def _make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(
            url, connect_args={"check_same_thread": False, "timeout": 30}, pool_size=20
        )
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return create_engine(url, pool_size=10, max_overflow=20, pool_pre_ping=True)


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy's "begin" event issue BEGIN itself (pysqlite's own handling is off).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def _sqlite_begin(connection: Any) -> None:
    immediate = connection.get_execution_options().get(_IMMEDIATE, False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")
