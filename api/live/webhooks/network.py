"""Which addresses a delivery may reach: no server-side request forgery through a webhook.

CLAIMGRAPH_WEBHOOK_NETWORKS lists the networks deliveries may reach; empty, any address
may be reached. In production, loopback, link-local, private, unspecified, multicast
and reserved addresses are refused unless a listed network that is itself such a
network holds them: listing 0.0.0.0/0 opens the internet, not the host's own ports.

The host is resolved when the delivery is sent, and the delivery then connects to the
address that was checked (the name still goes in Host and in TLS's SNI), so a name
that resolves to a public address when checked and to 127.0.0.1 a moment later
reaches nothing it should not.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from api.settings import Settings

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


class Refused(Exception):
    """The url may not be delivered to; the message says why (its owner reads it)."""


def parse_networks(setting: str) -> tuple[Network, ...]:
    """CLAIMGRAPH_WEBHOOK_NETWORKS; a typo raises ValueError at startup, not silently."""
    entries = [entry.strip() for entry in setting.split(",") if entry.strip()]
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)


def _special(address: Address | Network) -> bool:
    return bool(
        address.is_loopback
        or address.is_link_local
        or address.is_private
        or address.is_unspecified
        or address.is_multicast
        or address.is_reserved
    )


def _plain(address: Address) -> Address:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


@dataclass(frozen=True)
class NetworkGuard:
    networks: tuple[Network, ...]
    production: bool

    @classmethod
    def of(cls, settings: Settings) -> NetworkGuard:
        return cls(parse_networks(settings.webhook_networks), settings.production)

    def allows(self, address: Address) -> bool:
        address = _plain(address)
        holding = [n for n in self.networks if n.version == address.version and address in n]
        if self.production and _special(address):
            return any(_special(network) for network in holding)
        return not self.networks or bool(holding)

    def literal_refusal(self, url: str) -> str | None:
        """Why `url` can never be delivered to, when its host is a literal address that
        is refused; None for names (they are checked when resolved) and allowed ones."""
        host = urlsplit(url).hostname or ""
        try:
            address = ipaddress.ip_address(host)
        except ValueError:
            return None
        return None if self.allows(address) else f"{host} is not a network deliveries may reach"

    async def resolve(self, host: str, port: int) -> Address:
        """The first allowed address of `host` (the resolver runs in a thread, off the
        event loop); Refused when it has none."""
        try:
            found = await asyncio.get_running_loop().getaddrinfo(
                host, port, type=socket.SOCK_STREAM
            )
        except OSError as exc:
            raise Refused(f"{host} does not resolve ({exc})") from exc
        addresses = [ipaddress.ip_address(str(info[4][0]).split("%", 1)[0]) for info in found]
        for address in addresses:
            if self.allows(address):
                return address
        shown = ", ".join(sorted({str(a) for a in addresses}))
        raise Refused(f"{host} resolves only to addresses deliveries may not reach ({shown})")
