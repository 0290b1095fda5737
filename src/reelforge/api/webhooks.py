"""Where render webhooks may go, and sending them there.

A webhook URL comes from a user, and the server calls it: without a filter it would reach
whatever the server can reach (its own admin ports, the cloud metadata service at
169.254.169.254, the private network). So only http and https URLs whose host resolves to public
addresses are accepted, when the job is created and again when the webhook is sent (the name may
resolve elsewhere by then). The request goes to the address that was checked (the Host header and
TLS name stay the URL's), and redirects are not followed.

`REELFORGE_WEBHOOK_ALLOW_PRIVATE=true` lifts the address rule (a receiver on the same machine in
development); `REELFORGE_WEBHOOK_ALLOWED_HOSTS` lists host names or addresses/CIDRs allowed anyway.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import logging
import socket
import time
from dataclasses import dataclass
from typing import Any

import httpx

from reelforge.config import Settings
from reelforge.errors import WebhookRefused

logger = logging.getLogger("reelforge.api.webhooks")

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
SCHEMES = ("http", "https")
HOW_TO_ALLOW = "REELFORGE_WEBHOOK_ALLOW_PRIVATE or REELFORGE_WEBHOOK_ALLOWED_HOSTS"
SIGNATURE_HEADER = "Reelforge-Signature"
SIGNATURE_TOLERANCE_SECONDS = 300
SECRET_PREFIX = "whsec_"


def user_secret(server_key: bytes, user_id: str) -> str:
    """A user's webhook signing secret, derived from a server key (nothing to store)."""
    digest = hmac.new(server_key, f"webhook:{user_id}".encode(), hashlib.sha256).hexdigest()
    return SECRET_PREFIX + digest


def sign(secret: str, body: bytes, *, timestamp: int | None = None) -> str:
    """`t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>." + body, keyed by the secret>`."""
    t = int(time.time()) if timestamp is None else timestamp
    mac = hmac.new(secret.encode(), f"{t}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={t},v1={mac}"


def verify(
    secret: str,
    header: str,
    body: bytes,
    *,
    tolerance: int = SIGNATURE_TOLERANCE_SECONDS,
    now: float | None = None,
) -> bool:
    """What a receiver does (docs/webhooks.md): the signature matches the raw body, and the
    timestamp is recent (so a captured call cannot be replayed later)."""
    parts = dict(p.split("=", 1) for p in header.split(",") if "=" in p)
    t = parts.get("t", "")
    if not t.isdigit() or len(t) > 12:
        return False
    if abs((time.time() if now is None else now) - int(t)) > tolerance:
        return False
    expected = sign(secret, body, timestamp=int(t)).split("v1=", 1)[1]
    return hmac.compare_digest(expected, parts.get("v1", ""))


NAT64_PREFIX = ipaddress.IPv6Network("64:ff9b::/96")


def embedded_ipv4(address: ipaddress.IPv6Address) -> list[tuple[str, ipaddress.IPv4Address]]:
    """The IPv4 addresses an IPv6 address carries: IPv4-mapped, 6to4 (2002::/16), NAT64
    (64:ff9b::/96) and Teredo (2001::/32: its server and its client)."""
    found: list[tuple[str, ipaddress.IPv4Address]] = []
    if address.ipv4_mapped is not None:
        found.append(("IPv4-mapped", address.ipv4_mapped))
    if address.sixtofour is not None:
        found.append(("6to4", address.sixtofour))
    if address in NAT64_PREFIX:
        found.append(("NAT64", ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)))
    if address.teredo is not None:
        server, client = address.teredo
        found += [("Teredo", server), ("Teredo", client)]
    return found


def address_kind(address: IPAddress) -> str | None:
    """Why an address is not public (`"loopback"`, `"private"`, ...), or None if it is.

    An IPv6 address that carries an IPv4 address (6to4, NAT64, Teredo, IPv4-mapped) is as
    public as the address it carries: 2002:7f00:1:: reaches 127.0.0.1 through a 6to4 relay."""
    if isinstance(address, ipaddress.IPv6Address):
        for form, inner in embedded_ipv4(address):
            kind = address_kind(inner)
            if kind is not None:
                return f"{kind} address in {form} form: {inner}"
    for kind, flag in (
        ("unspecified", address.is_unspecified),
        ("loopback", address.is_loopback),
        ("link-local", address.is_link_local),
        ("multicast", address.is_multicast),
        ("reserved", address.is_reserved),
        ("private", address.is_private),
        ("non-public", not address.is_global),
    ):
        if flag:
            return kind
    return None


@dataclass(frozen=True)
class WebhookTarget:
    """A checked webhook: the URL to call with its host replaced by a checked address."""

    url: httpx.URL
    host: str
    host_header: str


@dataclass(frozen=True)
class WebhookPolicy:
    """Which webhook URLs the server calls (see the module docstring)."""

    allow_private: bool = False
    allowed_names: frozenset[str] = frozenset()
    allowed_networks: tuple[IPNetwork, ...] = ()

    @classmethod
    def from_settings(cls, settings: Settings) -> WebhookPolicy:
        names: set[str] = set()
        networks: list[IPNetwork] = []
        for entry in settings.webhook_allowed_hosts:
            try:
                networks.append(ipaddress.ip_network(entry.strip("[]"), strict=False))
            except ValueError:
                names.add(entry.lower().rstrip("."))
        return cls(
            allow_private=settings.webhook_allow_private,
            allowed_names=frozenset(names),
            allowed_networks=tuple(networks),
        )

    def check(self, url: str, *, field: str = "webhook") -> WebhookTarget:
        """Resolve the URL's host and check every address; WebhookRefused names `field`."""
        try:
            parsed = httpx.URL(url)
        except httpx.InvalidURL:
            raise WebhookRefused("the webhook is not a valid URL", field=field) from None
        if parsed.scheme not in SCHEMES:
            raise WebhookRefused("a webhook must be an http or https URL", field=field)
        host = parsed.host
        if not host:
            raise WebhookRefused("the webhook URL has no host", field=field)
        port = parsed.port or (443 if parsed.scheme == "https" else 80)
        addresses = self._resolve(host, port, field)
        if not (self.allow_private or host.lower().rstrip(".") in self.allowed_names):
            for address in addresses:
                kind = address_kind(address)
                if kind is not None and not any(address in net for net in self.allowed_networks):
                    shown = host if host == str(address) else f"{host} ({address})"
                    article = "an" if kind[0] in "aeiou" else "a"
                    what = kind if " address" in kind else f"{kind} address"
                    raise WebhookRefused(
                        f"the webhook host {shown} is {article} {what}, which the server "
                        f"does not call unless allowed by {HOW_TO_ALLOW}",
                        field=field,
                    )
        return WebhookTarget(
            url=parsed.copy_with(host=str(addresses[0])),
            host=host,
            host_header=parsed.netloc.decode("ascii"),
        )

    def post(
        self, url: str, payload: Any, *, timeout: float, secret: str | None = None
    ) -> httpx.Response:
        """Check the URL again and POST the JSON payload to the checked address, signed with
        `secret` (the `Reelforge-Signature` header, see `sign`) when given."""
        target = self.check(url)
        extensions = {"sni_hostname": target.host} if target.url.scheme == "https" else {}
        body = json.dumps(payload, separators=(",", ":")).encode()
        headers = {"Host": target.host_header, "Content-Type": "application/json"}
        if secret is not None:
            headers[SIGNATURE_HEADER] = sign(secret, body)
        with httpx.Client(timeout=timeout, follow_redirects=False, trust_env=False) as client:
            request = client.build_request(
                "POST", target.url, content=body, headers=headers, extensions=extensions
            )
            return client.send(request)

    def deliver(self, url: str, payload: Any, *, what: str, attempts: int = 3) -> None:
        """POST the payload, retrying a 5xx or a network error with backoff; a refused
        address or a 4xx ends it. Failures are logged, never raised (at most `attempts`)."""
        for attempt in range(attempts):
            try:  # checked again at each try: the host may resolve elsewhere by now
                response = self.post(url, payload, timeout=10.0)
                if response.status_code < 500:
                    return
            except WebhookRefused as exc:
                logger.warning("webhook of %s not sent: %s", what, exc)
                return
            except httpx.HTTPError as exc:
                logger.warning("webhook of %s: %s", what, exc)
            if attempt + 1 < attempts:
                time.sleep(0.5 * 2**attempt)

    @staticmethod
    def _resolve(host: str, port: int, field: str) -> list[IPAddress]:
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (OSError, UnicodeError):
            raise WebhookRefused(
                f"the webhook host {host} cannot be resolved", field=field
            ) from None
        addresses: list[IPAddress] = []
        for info in infos:
            address = ipaddress.ip_address(str(info[4][0]).split("%", 1)[0])
            if address not in addresses:
                addresses.append(address)
        if not addresses:
            raise WebhookRefused(f"the webhook host {host} cannot be resolved", field=field)
        return addresses
