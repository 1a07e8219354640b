"""uvicorn serving the app: one process, or N workers that build it from the environment."""

from __future__ import annotations

import ipaddress
import os

import uvicorn
from starlette.types import ASGIApp

from api.settings import Settings

# What worker processes import to build their app from the environment.
APP_FACTORY = "api.app:create_app"


def serve(settings: Settings, app: ASGIApp | None, *, host: str, port: int, workers: int) -> None:
    """Serve `app` until SIGTERM or SIGINT, then drain (the settings' grace period).

    With workers (`app` None) each process builds its app from the environment
    (APP_FACTORY reads Settings()): the database `settings` names (perhaps an embedded
    one the caller started) reaches them through DATABASE_URL.
    """
    proxies = trusted_proxies(settings.trusted_proxies)
    served: ASGIApp | str = APP_FACTORY
    if app is not None and workers == 1:
        served = app
    else:
        assert settings.database_url is not None
        os.environ["DATABASE_URL"] = settings.database_url
    uvicorn.run(
        served,
        factory=isinstance(served, str),
        workers=workers,
        host=host,
        port=port,
        log_level=settings.log_level.lower(),
        # uvicorn believes X-Forwarded-For from 127.0.0.1 unless told otherwise, and the
        # rate limit's bucket is the client's address: any local caller could name a new
        # one per request. Only the proxies configured are believed.
        proxy_headers=bool(proxies),
        forwarded_allow_ips=proxies or None,
        # On SIGTERM: stop accepting, let requests in flight finish (this long at most),
        # then the app's lifespan disposes of the engine. With workers, the parent passes
        # SIGTERM on to each and waits for them.
        timeout_graceful_shutdown=settings.shutdown_grace_seconds,
    )


def trusted_proxies(setting: str) -> list[str]:
    """CLAIMGRAPH_TRUSTED_PROXIES as uvicorn takes it. uvicorn compares an entry that is
    not an address or network as plain text, so a typo would trust nobody, silently."""
    entries = [entry.strip() for entry in setting.split(",") if entry.strip()]
    if "*" in entries:
        return ["*"]
    for entry in entries:
        try:
            ipaddress.ip_network(entry)
        except ValueError:
            raise RuntimeError(
                f"CLAIMGRAPH_TRUSTED_PROXIES: {entry!r} is not an IP address or network"
            ) from None
    return entries
