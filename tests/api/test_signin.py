"""Sign-in hardening: X-Forwarded-For ignored unless from a configured proxy, the same work for
unknown users as for real ones, new one-time links from the CLI, plain pages for spent links."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import update

from reelforge.store import users
from reelforge.store.db import Database, database_url_for
from reelforge.store.models import Credential

from .conftest import ServerProcess
from .support import assert_error, unique

PASSWORD = "correct horse battery staple"


@pytest.fixture(scope="module")
def plain_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    """A server with the default settings (no trusted proxies)."""
    server = ServerProcess(tmp_path_factory.mktemp("signin"), max_render_jobs=0).start()
    try:
        yield server
    finally:
        server.stop()


def test_x_forwarded_for_is_ignored_by_default(plain_server: ServerProcess) -> None:
    """Failures claiming 20 different addresses all count against the one real peer."""
    users.add_user(data_dir=plain_server.data_dir, name="dora", password=PASSWORD)
    with plain_server.client() as client:
        for index in range(20):
            response = client.post(
                "/api/auth/login",
                json={"username": unique("nobody"), "password": "guess"},
                headers={"X-Forwarded-For": f"198.51.100.{index + 1}"},
            )
            assert_error(response, 401)
        locked = client.post(
            "/api/auth/login",
            json={"username": "dora", "password": PASSWORD},
            headers={"X-Forwarded-For": "203.0.113.77"},
        )
        assert_error(locked, 429)


def test_unknown_users_cost_one_password_check_like_real_ones(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The time a login takes is the time of one argon2 verification, whether the user
    exists, has no password, or has one (measured: see the report in docs/benchmarks.md)."""
    db = Database(database_url_for(tmp_path, None))
    db.migrate(lock_dir=tmp_path)
    calls: list[str] = []
    real = users._hasher

    class Counting:
        def hash(self, password: str) -> str:
            return real.hash(password)

        def verify(self, hash_: str, password: str) -> bool:
            calls.append(hash_)
            return real.verify(hash_, password)

    monkeypatch.setattr(users, "_hasher", Counting())
    try:
        with db.session() as session:
            users.create_user(session=session, name="has-password", password=PASSWORD)
            users.create_user(session=session, name="no-password")
            for name in ("has-password", "no-password", "does-not-exist"):
                calls.clear()
                with pytest.raises(users.NotAuthenticated):
                    users.log_in(session=session, name=name, password="wrong")
                assert len(calls) == 1 and calls[0].startswith("$argon2"), name
                # the dummy hash costs what a real one costs
                assert calls[0].split("$")[3] == real.hash("x").split("$")[3]
    finally:
        db.dispose()


def _cli(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "reelforge.cli", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_user_link_issues_a_new_one_time_link(plain_server: ServerProcess) -> None:
    """The owner made on first start never set a password: `reelforge user link owner` is the
    way back in, once; a used or expired link shows a plain page."""
    data_dir = plain_server.data_dir
    done = _cli("user", "link", "owner", "--data-dir", data_dir, "--url", plain_server.base_url)
    assert done.returncode == 0, done.stderr
    match = re.search(r"(/api/auth/signin/\S+)", done.stdout)
    assert match and done.stdout.startswith(plain_server.base_url)
    with plain_server.client(follow_redirects=False) as client:
        redeemed = client.get(match.group(1))
        assert redeemed.status_code == 303
        me = client.get("/api/auth/me").json()
        assert me["name"] == "owner" and me["isOwner"] is True
    with plain_server.client() as other:
        used = other.get(match.group(1))
        assert used.status_code == 410
        assert used.headers["content-type"].startswith("text/html")
        assert "reelforge user link" in used.text and not used.text.lstrip().startswith("{")

    expiring = _cli("user", "link", "owner", "--data-dir", data_dir)
    secret = expiring.stdout.split("/api/auth/signin/")[1].split()[0]
    db = Database(database_url_for(data_dir, None))
    try:
        with db.session() as session, session.begin():
            session.execute(
                update(Credential)
                .where(Credential.secret_hash == users.secret_hash(secret))
                .values(expires_at=users.utcnow() - users.LINK_LIFETIME)
            )
    finally:
        db.dispose()
    with plain_server.client() as client:
        expired = client.get(f"/api/auth/signin/{secret}")
        assert expired.status_code == 410 and "expired" in expired.text

    unknown = _cli("user", "link", "nobody-here", "--data-dir", data_dir)
    assert unknown.returncode != 0
    assert "no user named 'nobody-here'" in unknown.stderr and "Traceback" not in unknown.stderr
