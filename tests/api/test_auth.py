"""Accounts: open health, credentials required, first-run owner link, passwords, cookies, CSRF,
failed-login throttling."""

from __future__ import annotations

import random
import re
from pathlib import Path

import httpx
import pytest

from reelforge.store.users import add_user

from .conftest import Deployment, ServerProcess
from .support import assert_error, unique


def test_health_is_open(deployment: Deployment) -> None:
    with deployment.client() as client:
        response = client.get("/api/health")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/api/projects"),
        ("POST", "/api/projects"),
        ("GET", "/api/projects/x"),
        ("GET", "/api/voices"),
        ("GET", "/api/music-styles"),
        ("POST", "/api/assets"),
        ("GET", "/api/renders/x"),
        ("GET", "/api/auth/me"),
    ],
)
def test_credentials_are_required(deployment: Deployment, method: str, path: str) -> None:
    with deployment.client() as client:
        assert_error(client.request(method, path), 401)
    with deployment.client("not-a-token") as client:
        assert_error(client.request(method, path), 401)


def test_bearer_token_identifies_the_user(api: httpx.Client) -> None:
    response = api.get("/api/auth/me")
    assert response.status_code == 200
    assert response.json()["name"] == "alice"


def test_first_start_prints_a_one_time_sign_in_link(tmp_path: Path) -> None:
    server = ServerProcess(tmp_path).start()
    try:
        match = re.search(r"http://127\.0\.0\.1:\d+(/api/auth/signin/\S+)", server.output())
        assert match, server.output()
        with server.client(follow_redirects=False) as client:
            response = client.get(match.group(1))
            assert response.status_code == 303
            cookie = response.headers["set-cookie"].lower()
            assert "httponly" in cookie and "samesite=lax" in cookie
            me = client.get("/api/auth/me")
            assert me.status_code == 200 and me.json() == {**me.json(), "name": "owner"}
            assert me.json()["isOwner"] is True
        with server.client() as other:
            used = other.get(match.group(1))  # one time only: a plain page, not JSON
            assert used.status_code == 410 and used.headers["content-type"].startswith("text/html")
    finally:
        server.stop()
    restarted = ServerProcess(tmp_path).start()  # not empty any more: no new link
    try:
        assert "/api/auth/signin/" not in restarted.output()
    finally:
        restarted.stop()


def test_password_login_cookie_and_csrf(deployment: Deployment, api: httpx.Client) -> None:
    assert api.put("/api/auth/password", json={"password": "correct horse"}).status_code == 204
    with deployment.client() as browser:
        bad = browser.post("/api/auth/login", json={"username": "alice", "password": "wrong!!!"})
        assert_error(bad, 401)
        good = browser.post(
            "/api/auth/login", json={"username": "alice", "password": "correct horse"}
        )
        assert good.status_code == 200 and good.json()["name"] == "alice"
        assert browser.get("/api/projects").status_code == 200
        # A cookie alone does not allow an unsafe method (a cross-site form could send it) ...
        assert_error(browser.post("/api/projects", json={"script": "Hi."}), 403)
        foreign = {"Origin": "https://evil.example"}
        assert_error(browser.post("/api/projects", json={"script": "Hi."}, headers=foreign), 403)
        # ... our own pages send the custom header, or their own Origin.
        ok = browser.post(
            "/api/projects", json={"script": "Hi."}, headers={"X-Requested-With": "reelforge"}
        )
        assert ok.status_code == 201
        own = {"Origin": deployment.server.base_url}
        assert browser.post("/api/projects", json={"script": "Hi."}, headers=own).status_code == 201
        assert browser.post("/api/auth/logout", headers=own).status_code == 204
        assert_error(browser.get("/api/projects"), 401)


def test_api_tokens_can_be_created(deployment: Deployment, api: httpx.Client) -> None:
    token = api.post("/api/auth/tokens").json()["token"]
    with deployment.client(token) as client:
        assert client.get("/api/auth/me").json()["name"] == "alice"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"password": "short"}, "password"),
        ({}, "password"),
        ({"password": "long enough", "extra": 1}, "extra"),
    ],
)
def test_bad_password_bodies(api: httpx.Client, body: dict[str, object], field: str) -> None:
    assert_error(api.put("/api/auth/password", json=body), 422, field)


PASSWORD = "correct horse battery"


def new_user(deployment: Deployment) -> str:
    """A new user with PASSWORD; returns the name."""
    name = unique("login")
    add_user(
        data_dir=deployment.server.data_dir,
        name=name,
        password=PASSWORD,
        database_url=deployment.server.database_url,
    )
    return name


def log_in(client: httpx.Client, name: str, password: str, address: str) -> httpx.Response:
    # The shared servers trust X-Forwarded-For from 127.0.0.1 (REELFORGE_TRUSTED_PROXIES), which
    # lets each test sign in from addresses of its own.
    return client.post(
        "/api/auth/login",
        json={"username": name, "password": password},
        headers={"X-Forwarded-For": address},
    )


def an_address() -> str:
    return f"198.51.100.{random.randrange(1, 255)}"


def test_failed_logins_lock_the_user_name_in_every_server_process(
    deployment: Deployment, second_server: ServerProcess
) -> None:
    name, other = new_user(deployment), new_user(deployment)
    address = an_address()
    with deployment.client() as first, second_server.client() as second:
        for client in (first, second, first, second, first):  # counted in the database
            assert_error(log_in(client, name, "wrong password", address), 401)
        for client in (first, second):
            for password in ("wrong password", PASSWORD):  # the right one is refused too
                locked = log_in(client, name, password, address)
                error = assert_error(locked, 429)
                assert error["code"] == "too_many_attempts" and "\n" not in error["message"]
                assert 0 < int(locked.headers["retry-after"]) <= 900
                assert "set-cookie" not in locked.headers
        # Other users (from the same address) are not affected.
        assert log_in(second, other, PASSWORD, address).status_code == 200


def test_a_successful_login_resets_the_count(deployment: Deployment) -> None:
    name = new_user(deployment)
    address = an_address()
    with deployment.client() as client:
        for _ in range(4):
            assert_error(log_in(client, name, "wrong password", address), 401)
        assert log_in(client, name, PASSWORD, address).status_code == 200
        for _ in range(4):
            assert_error(log_in(client, name, "wrong password", address), 401)
        assert log_in(client, name, PASSWORD, address).status_code == 200


def test_failed_logins_lock_the_client_address(deployment: Deployment) -> None:
    name = new_user(deployment)
    address = f"203.0.113.{random.randrange(1, 255)}"
    with deployment.client() as client:
        for index in range(20):  # many user names, each under its own limit
            assert_error(log_in(client, f"{unique('nobody')}-{index}", "guess", address), 401)
        assert_error(log_in(client, name, PASSWORD, address), 429)
        assert log_in(client, name, PASSWORD, an_address()).status_code == 200
