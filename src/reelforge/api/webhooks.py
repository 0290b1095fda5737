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

import ipaddress
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


def address_kind(address: IPAddress) -> str | None:
    """Why an address is not public (`"loopback"`, `"private"`, ...), or None if it is."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
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
                    raise WebhookRefused(
                        f"the webhook host {shown} is {article} {kind} address, which the server "
                        f"does not call unless allowed by {HOW_TO_ALLOW}",
                        field=field,
                    )
        return WebhookTarget(
            url=parsed.copy_with(host=str(addresses[0])),
            host=host,
            host_header=parsed.netloc.decode("ascii"),
        )

    def post(self, url: str, payload: Any, *, timeout: float) -> httpx.Response:
        """Check the URL again and POST the JSON payload to the checked address."""
        target = self.check(url)
        extensions = {"sni_hostname": target.host} if target.url.scheme == "https" else {}
        with httpx.Client(timeout=timeout, follow_redirects=False, trust_env=False) as client:
            request = client.build_request(
                "POST",
                target.url,
                json=payload,
                headers={"Host": target.host_header},
                extensions=extensions,
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
