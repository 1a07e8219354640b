"""Sending deliveries: lease the due ones, POST each, record what the receiver said.

A delivery is due when it heads its webhook's queue (no older pending one: commit order
per webhook) and its time has come. It is locked with SKIP LOCKED and leased for
LEASE_SECONDS in one short transaction, then sent with no transaction open; so two
processes never send one at once, and one whose sender died (SIGKILL) is sent again
once its lease has passed. The outcome is recorded only under the lease it was sent
under: a sender that outlived its lease leaves the record to the one that took over.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime, timedelta

import httpx
from sqlalchemy import case, func, select, text, update
from sqlalchemy.ext.asyncio import AsyncEngine

from api.db import table_of
from api.live.webhooks.master_key import webhook_secret
from api.live.webhooks.models import Webhook, WebhookDelivery
from api.live.webhooks.network import NetworkGuard, Refused
from api.live.webhooks.signing import signature
from api.settings import Settings

delivery = table_of(WebhookDelivery)
webhook = table_of(Webhook)
TIMEOUT_SECONDS = 10.0
RESOLVE_SECONDS = 5.0
# Longer than a send can take (resolving, then the request's timeout), so a live
# sender's lease never lapses.
LEASE_SECONDS = RESOLVE_SECONDS + TIMEOUT_SECONDS + 5.0
MAX_ERROR_LENGTH = 500

LEASE_DUE = text("""
    WITH heads AS (
        SELECT DISTINCT ON (webhook_id) id FROM webhook_delivery
        WHERE state = 'pending' ORDER BY webhook_id, position
    ), due AS (
        SELECT d.id FROM webhook_delivery d
        JOIN webhook w ON w.id = d.webhook_id
        JOIN api_key k ON k.id = w.api_key_id
        WHERE d.id IN (SELECT id FROM heads)
          AND d.state = 'pending'
          AND d.next_attempt_at <= now()
          AND (d.lease_until IS NULL OR d.lease_until < now())
          AND w.active AND k.revoked_at IS NULL AND w.key_check = :key_check
        ORDER BY d.next_attempt_at
        LIMIT :limit
        FOR UPDATE OF d SKIP LOCKED
    )
    UPDATE webhook_delivery d
    SET lease_until = now() + make_interval(secs => :lease), attempts = d.attempts + 1
    FROM due, webhook w
    WHERE d.id = due.id AND w.id = d.webhook_id
    RETURNING d.id, d.position, d.body, d.attempts, d.created_at, d.lease_until,
              w.id AS webhook_id, w.url, w.secret_salt
""")


@dataclass(frozen=True)
class Due:
    id: int
    position: int
    body: str
    attempts: int
    created_at: datetime
    lease_until: datetime
    webhook_id: int
    url: str
    secret_salt: str


@dataclass(frozen=True)
class Outcome:
    delivered: bool
    status: int | None = None
    error: str | None = None


async def any_due(engine: AsyncEngine) -> bool:
    """Whether any delivery may be due: one index probe, most of the time the answer."""
    async with engine.connect() as connection:
        found = await connection.scalar(
            select(delivery.c.id)
            .where(delivery.c.state == "pending", delivery.c.next_attempt_at <= func.now())
            .limit(1)
        )
    return found is not None


async def lease_due(engine: AsyncEngine, *, key_check: bytes, limit: int) -> list[Due]:
    async with engine.begin() as connection:
        rows = await connection.execute(
            LEASE_DUE, {"key_check": key_check, "limit": limit, "lease": LEASE_SECONDS}
        )
        return [Due(**row) for row in rows.mappings()]


async def send(
    client: httpx.AsyncClient, due: Due, *, master: bytes, guard: NetworkGuard
) -> Outcome:
    """POST one delivery to the address its host resolves to now, if that is allowed."""
    url = httpx.URL(due.url)
    try:
        address = await guard.resolve(url.host, url.port or (443 if url.scheme == "https" else 80))
    except Refused as refused:
        return Outcome(False, error=str(refused))
    payload = due.body.encode()
    secret = webhook_secret(master, due.webhook_id, due.secret_salt)
    headers = {
        "Content-Type": "application/json",
        "Claimgraph-Delivery": str(due.position),
        "Claimgraph-Signature": signature(secret, int(time.time()), payload),
        "Host": url.netloc.decode("ascii"),
        "User-Agent": "claimgraph-webhooks",
    }
    # Connect to the address that was checked; TLS still verifies the url's host name.
    extensions = {"sni_hostname": url.host} if url.scheme == "https" else {}
    target = url.copy_with(host=str(address))
    try:
        response = await client.post(
            target, content=payload, headers=headers, extensions=extensions
        )
    except httpx.HTTPError as exc:
        return Outcome(False, error=f"{type(exc).__name__}: {exc}"[:MAX_ERROR_LENGTH] or "failed")
    if 200 <= response.status_code < 300:
        return Outcome(True, response.status_code)
    return Outcome(False, response.status_code, f"the receiver answered {response.status_code}")


def new_client() -> httpx.AsyncClient:
    """No redirects (a 3xx is a failure: it could point anywhere), no proxies from the
    environment (they would connect to the host themselves, past the network guard)."""
    return httpx.AsyncClient(timeout=TIMEOUT_SECONDS, follow_redirects=False, trust_env=False)


async def release(engine: AsyncEngine, due: Due) -> None:
    """Give a delivery back at once (its send was cut short by a shutdown), so another
    process need not wait for the lease; the receiver may have seen it: at least once."""
    async with engine.begin() as connection:
        await connection.execute(
            update(delivery)
            .where(delivery.c.id == due.id, delivery.c.lease_until == due.lease_until)
            .values(lease_until=None)
        )


def retry_delay(attempts: int, settings: Settings) -> float:
    """After the n-th failed attempt: the first retry delay, doubling, at most the max."""
    first, most = settings.webhook_first_retry_seconds, settings.webhook_max_retry_seconds
    return float(min(first * 2 ** min(attempts - 1, 40), most))


async def record(engine: AsyncEngine, due: Due, outcome: Outcome, settings: Settings) -> None:
    """The outcome, under the lease it was sent with; a failing webhook is marked so."""
    mine = (delivery.c.id == due.id) & (delivery.c.lease_until == due.lease_until)
    async with engine.begin() as connection:
        if outcome.delivered:
            done = await connection.execute(
                update(delivery)
                .where(mine)
                .values(
                    state="delivered",
                    delivered_at=func.now(),
                    lease_until=None,
                    last_status=outcome.status,
                    last_error=None,
                )
            )
            if done.rowcount:
                await connection.execute(
                    update(webhook)
                    .where(
                        webhook.c.id == due.webhook_id,
                        webhook.c.failing_since.is_not(None) | webhook.c.last_error.is_not(None),
                    )
                    .values(failing_since=None, last_error=None)
                )
            return
        retry_for = timedelta(seconds=settings.webhook_retry_for_seconds)
        expired = func.now() >= delivery.c.created_at + retry_for
        delay = timedelta(seconds=retry_delay(due.attempts, settings))
        failed = await connection.execute(
            update(delivery)
            .where(mine)
            .values(
                state=case((expired, "failed"), else_="pending"),
                next_attempt_at=func.now() + delay,
                lease_until=None,
                last_status=outcome.status,
                last_error=outcome.error,
            )
            .returning(delivery.c.state)
        )
        state = failed.scalar()
        if state is None:
            return  # the lease had passed: another sender took over
        given_up = state == "failed"
        prefix = f"delivery {due.position} given up" if given_up else f"delivery {due.position}"
        values: dict[str, object] = {"last_error": f"{prefix}: {outcome.error}"[:MAX_ERROR_LENGTH]}
        if given_up:
            values["failing_since"] = func.coalesce(webhook.c.failing_since, func.now())
        await connection.execute(
            update(webhook).where(webhook.c.id == due.webhook_id).values(**values)
        )
