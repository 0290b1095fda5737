"""Render webhooks go to public addresses only (unless allowed), checked when the job is created
and again when the webhook is sent; redirects are not followed."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from reelforge.api.webhooks import WebhookPolicy, sign, verify
from reelforge.errors import WebhookRefused
from reelforge.store.models import RenderJob

from .conftest import Deployment, ServerProcess
from .support import assert_error, create_project, finished_job_owing_a_webhook, sample_document

REFUSED = [
    ("http://127.0.0.1:8080/hook", "loopback"),
    ("http://localhost/hook", "loopback"),
    ("http://[::1]/hook", "loopback"),
    ("http://[::ffff:127.0.0.1]/hook", "loopback"),
    ("http://10.0.0.5/hook", "private"),
    ("http://192.168.1.20/hook", "private"),
    ("http://172.16.0.1/hook", "private"),
    ("http://169.254.169.254/latest/meta-data/", "link-local"),
    ("http://0.0.0.0/hook", "unspecified"),
    ("http://224.0.0.1/hook", "multicast"),
    ("https://240.0.0.1/hook", "reserved"),
    ("http://100.64.0.1/hook", "non-public"),
    # IPv6 forms that carry an IPv4 address reach that address: 6to4, NAT64, Teredo.
    ("http://[2002:7f00:1::]/hook", "loopback address in 6to4"),
    ("http://[2002:a9fe:a9fe::1]/", "link-local address in 6to4"),
    ("http://[64:ff9b::127.0.0.1]/hook", "loopback address in NAT64"),
    ("http://[64:ff9b::a00:5]/hook", "private address in NAT64"),
    ("http://[2001:0:4136:e378:8000:63bf:80ff:fffe]/", "loopback address in Teredo"),
    ("http://[2001:0:4136:e378:8000:63bf:f5ff:fffa]/", "private address in Teredo"),
]


@pytest.mark.parametrize(("url", "kind"), REFUSED)
def test_the_default_policy_refuses_non_public_addresses(url: str, kind: str) -> None:
    with pytest.raises(WebhookRefused) as refused:
        WebhookPolicy().check(url)
    assert refused.value.field == "webhook"
    expected = kind if " address" in kind else f"{kind} address"
    assert f" {expected}" in refused.value.message


@pytest.mark.parametrize(
    ("policy", "url", "allowed"),
    [
        (WebhookPolicy(), "http://93.184.215.14/hook", True),
        (WebhookPolicy(), "https://[2606:4700::1111]:8443/hook", True),
        (WebhookPolicy(), "ftp://93.184.215.14/hook", False),
        (WebhookPolicy(), "http://[2002:5db8:d70e::1]/hook", True),  # 6to4 of a public one
        (WebhookPolicy(allow_private=True), "http://127.0.0.1:9/hook", True),
        (WebhookPolicy(allow_private=True), "http://169.254.169.254/", True),
        (WebhookPolicy(allowed_names=frozenset({"localhost"})), "http://localhost:9/", True),
        (WebhookPolicy(allowed_names=frozenset({"localhost"})), "http://127.0.0.1:9/", False),
    ],
)
def test_what_policies_allow(policy: WebhookPolicy, url: str, allowed: bool) -> None:
    if allowed:
        policy.check(url)
    else:
        with pytest.raises(WebhookRefused):
            policy.check(url)


def test_the_allowlist_from_the_settings() -> None:
    from reelforge.config import Settings

    settings = Settings(webhook_allowed_hosts="10.1.0.0/16, hooks.local")  # type: ignore[arg-type]
    policy = WebhookPolicy.from_settings(settings)
    assert policy.allowed_names == {"hooks.local"} and not policy.allow_private
    policy.check("http://10.1.2.3/hook")
    with pytest.raises(WebhookRefused):
        policy.check("http://10.2.0.1/hook")


def test_the_request_goes_to_the_checked_address() -> None:
    target = WebhookPolicy(allow_private=True).check("http://localhost:8123/a?b=1")
    assert str(target.url) == "http://127.0.0.1:8123/a?b=1"
    assert target.host_header == "localhost:8123"


@pytest.mark.parametrize(("url", "kind"), REFUSED)
def test_a_server_with_default_settings_refuses_them(
    deployment: Deployment, second_server: ServerProcess, url: str, kind: str
) -> None:
    with deployment.client(deployment.alice) as api:
        project = create_project(api, sample_document())
    with second_server.client(deployment.alice) as strict:
        renders = f"/api/projects/{project['id']}/renders"
        error = assert_error(strict.post(renders, json={"webhook": url}), 400, "webhook")
        assert error["code"] == "webhook_refused" and kind in error["message"]
        assert "\n" not in error["message"]
        assert strict.get(renders).json() == []


def test_an_allowlisted_address_is_accepted(
    deployment: Deployment, second_server: ServerProcess
) -> None:
    with deployment.client(deployment.alice) as api:
        project = create_project(api, sample_document())
    with second_server.client(deployment.alice) as strict:
        renders = f"/api/projects/{project['id']}/renders"
        started = strict.post(renders, json={"webhook": "http://127.0.0.2:9/hook"})
        assert started.status_code == 202, started.text
        assert strict.delete(f"/api/renders/{started.json()['id']}").status_code == 200


class _Receiver(BaseHTTPRequestHandler):
    """Records the paths it is called on; `/redirect` answers with a redirect to `/landed`."""

    paths: list[str] = []

    def do_POST(self) -> None:  # noqa: N802 (the stdlib's name)
        self.rfile.read(int(self.headers["Content-Length"]))
        _Receiver.paths.append(self.path)
        if self.path.startswith("/redirect"):
            self.send_response(307)
            self.send_header("Location", "/landed")
        else:
            self.send_response(204)
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass


@pytest.fixture
def receiver() -> Iterator[str]:
    server = HTTPServer(("127.0.0.1", 0), _Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def deliver_owed_webhook(tmp_path: Path, policy: WebhookPolicy, webhook: str) -> None:
    """A finished job whose webhook is owed, handed to a real coordinator with `policy`; returns
    once the coordinator has dealt with it."""
    # accepted when created; the host may resolve elsewhere by the time it is sent
    context, job_id = finished_job_owing_a_webhook(
        tmp_path,
        user="hooked",
        policy=policy,
        document=sample_document(),
        webhook=webhook,
        status="failed",
    )
    try:
        context.coordinator.start()
        try:
            deadline = time.monotonic() + 20
            while True:
                with context.db.session() as session:
                    query = select(RenderJob.webhook_sent).where(RenderJob.id == job_id)
                    if session.scalar(query):
                        break
                assert time.monotonic() < deadline, "the coordinator did not handle the webhook"
                time.sleep(0.1)
        finally:
            context.coordinator.stop()
    finally:
        context.db.dispose()


def test_the_address_is_checked_again_when_sending(tmp_path: Path, receiver: str) -> None:
    deliver_owed_webhook(tmp_path, WebhookPolicy(), f"{receiver}/checked-late")
    assert "/checked-late" not in _Receiver.paths


def test_redirects_are_not_followed(tmp_path: Path, receiver: str) -> None:
    deliver_owed_webhook(tmp_path, WebhookPolicy(allow_private=True), f"{receiver}/redirect-1")
    assert _Receiver.paths.count("/redirect-1") == 1
    assert "/landed" not in _Receiver.paths


def test_post_reaches_an_allowed_receiver(receiver: str) -> None:
    response = WebhookPolicy(allow_private=True).post(
        f"{receiver}/plain", {"event": "x"}, timeout=5
    )
    assert response.status_code == 204 and "/plain" in _Receiver.paths
    with pytest.raises(httpx.HTTPError):
        WebhookPolicy(allow_private=True).post("http://127.0.0.1:9/closed", {}, timeout=5)


class _SignedReceiver(BaseHTTPRequestHandler):
    """Records each call's headers and raw body, as a user's receiver would see them."""

    calls: list[tuple[dict[str, str], bytes]] = []

    def do_POST(self) -> None:  # noqa: N802 (the stdlib's name)
        body = self.rfile.read(int(self.headers["Content-Length"]))
        _SignedReceiver.calls.append((dict(self.headers.items()), body))
        self.send_response(204)
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass


def _verify_like_a_receiver(secret: str, header: str, body: bytes) -> bool:
    """The recipe of docs/webhooks.md, written out here (not the server's own helper)."""
    fields = dict(part.split("=", 1) for part in header.split(","))
    signed = fields["t"].encode() + b"." + body
    expected = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    fresh = abs(time.time() - int(fields["t"])) < 300
    return fresh and hmac.compare_digest(expected, fields["v1"])


def test_a_receiver_on_loopback_verifies_the_signed_webhook(
    api: httpx.Client, bob_api: httpx.Client
) -> None:
    server = HTTPServer(("127.0.0.1", 0), _SignedReceiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        secret = api.get("/api/webhooks/secret").json()
        assert secret["header"] == "Reelforge-Signature" and secret["secret"].startswith("whsec_")
        bobs = bob_api.get("/api/webhooks/secret").json()["secret"]
        assert bobs != secret["secret"]  # one secret per user
        assert api.get("/api/webhooks/secret").json() == secret  # and it stays the same
        project = create_project(api, sample_document(scenes=[{"id": "a", "duration": 1}]))
        hook = f"http://127.0.0.1:{server.server_address[1]}/signed"
        job = api.post(
            f"/api/projects/{project['id']}/renders", json={"preview": True, "webhook": hook}
        ).json()
        deadline = time.monotonic() + 120
        while not any(json.loads(b)["render"]["id"] == job["id"] for _, b in _SignedReceiver.calls):
            assert time.monotonic() < deadline, "no webhook call"
            time.sleep(0.1)
        headers, body = next(
            (h, b) for h, b in _SignedReceiver.calls if json.loads(b)["render"]["id"] == job["id"]
        )
        signature = headers["Reelforge-Signature"]
        assert _verify_like_a_receiver(secret["secret"], signature, body)
        assert verify(secret["secret"], signature, body)
        assert not _verify_like_a_receiver(bobs, signature, body)  # another user's secret
        assert not verify(secret["secret"], signature, body.replace(b"succeeded", b"failed__"))
        stale = sign(secret["secret"], body, timestamp=int(time.time()) - 3600)
        assert not verify(secret["secret"], stale, body)  # a replay an hour later
    finally:
        server.shutdown()
        server.server_close()
