"""The network guard: which addresses a delivery may reach (no SSRF through a webhook)."""

from __future__ import annotations

import ipaddress

import pytest

from api.live.webhooks.network import NetworkGuard, Refused, parse_networks

DEVELOPMENT = NetworkGuard((), production=False)
PRODUCTION = NetworkGuard((), production=True)
SPECIAL = [
    "127.0.0.1",
    "::1",
    "10.0.0.5",
    "172.16.3.4",
    "192.168.1.1",
    "169.254.169.254",
    "fe80::1",
    "fd00::1",
    "0.0.0.0",
    "::",
    "224.0.0.1",
    "::ffff:127.0.0.1",
    "::ffff:10.0.0.1",
]
PUBLIC = ["93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946", "8.8.8.8"]


@pytest.mark.parametrize("address", SPECIAL)
def test_production_refuses_loopback_private_link_local_and_the_like(address: str) -> None:
    assert not PRODUCTION.allows(ipaddress.ip_address(address))
    assert DEVELOPMENT.allows(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", PUBLIC)
def test_public_addresses_are_allowed_when_nothing_is_listed(address: str) -> None:
    assert PRODUCTION.allows(ipaddress.ip_address(address))


def test_a_listed_private_network_is_allowed_in_production_and_nothing_else_of_its_kind() -> None:
    guard = NetworkGuard(parse_networks("10.20.0.0/16"), production=True)
    assert guard.allows(ipaddress.ip_address("10.20.1.2"))
    assert not guard.allows(ipaddress.ip_address("10.21.1.2"))
    assert not guard.allows(ipaddress.ip_address("8.8.8.8"))  # a list is an allow-list


def test_listing_everything_opens_the_internet_not_the_host_s_own_ports() -> None:
    guard = NetworkGuard(parse_networks("0.0.0.0/0, ::/0"), production=True)
    assert guard.allows(ipaddress.ip_address("8.8.8.8"))
    assert not guard.allows(ipaddress.ip_address("127.0.0.1"))
    assert not guard.allows(ipaddress.ip_address("169.254.169.254"))


def test_a_typo_in_the_setting_is_an_error() -> None:
    with pytest.raises(ValueError):
        parse_networks("10.0.0.0/33")


def test_only_literal_addresses_are_refused_at_creation() -> None:
    assert PRODUCTION.literal_refusal("http://127.0.0.1:8080/x")
    assert PRODUCTION.literal_refusal("http://[::1]/x")
    assert PRODUCTION.literal_refusal("http://hooks.example.org/x") is None
    assert DEVELOPMENT.literal_refusal("http://127.0.0.1/x") is None


async def test_a_name_is_resolved_and_refused_by_its_addresses() -> None:
    with pytest.raises(Refused, match="resolves only to addresses"):
        await PRODUCTION.resolve("localhost", 80)
    assert str(await DEVELOPMENT.resolve("localhost", 80)) in ("127.0.0.1", "::1")


async def test_a_name_that_does_not_resolve_is_refused() -> None:
    with pytest.raises(Refused, match="does not resolve"):
        await DEVELOPMENT.resolve("no-such-host.invalid", 80)
