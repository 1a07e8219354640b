"""Webhooks' rules: create (the secret derived, returned once), delete, list, the log."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import SplitResult, urlsplit

from sqlalchemy import ColumnElement, RowMapping, Select, delete, insert, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from api.auth.models import ApiKey
from api.claims.models import Claim
from api.db import table_of
from api.errors import DomainError, ErrorCode, Problems
from api.live.changes import last_position
from api.live.kinds import ChangeKind
from api.live.webhooks.master_key import key_check, new_salt, webhook_secret
from api.live.webhooks.models import Webhook, WebhookCursor, WebhookDelivery
from api.live.webhooks.network import NetworkGuard
from api.repository import Executor, existing_ids
from api.search import normalised
from api.sources.models import Source
from api.validation import MAX_URL_LENGTH, storable

webhook = table_of(Webhook)
delivery = table_of(WebhookDelivery)
cursor = table_of(WebhookCursor)
api_key = table_of(ApiKey)
claim = table_of(Claim)
source = table_of(Source)
MAX_SEARCH_LENGTH = 500
MAX_WEBHOOKS_PER_KEY = 100
MAX_LOG_PAGE = 100


@dataclass(frozen=True)
class NewWebhook:
    url: str
    kinds: Sequence[ChangeKind] = ()
    claim_id: int | None = None
    source_id: int | None = None
    search: str | None = None


@dataclass(frozen=True)
class Created:
    id: int
    secret: str


def _url(url: str) -> SplitResult | None:
    try:
        parts = urlsplit(url) if storable(url) and url.isascii() else None
        _ = parts and parts.port  # a port that is no number raises here
    except ValueError:
        return None
    return parts


async def _check(session: AsyncSession, new: NewWebhook, guard: NetworkGuard) -> None:
    problems = Problems()
    parts = _url(new.url)
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
        problems.invalid(
            "url must be an http or https url with a host (ASCII: punycode for IDNs)",
            "input",
            "url",
        )
    elif len(new.url) > MAX_URL_LENGTH or parts.username or parts.password:
        problems.invalid(
            f"url must be at most {MAX_URL_LENGTH} characters, without user or password",
            "input",
            "url",
        )
    elif refusal := guard.literal_refusal(new.url):
        problems.invalid(refusal, "input", "url")
    search = normalised(new.search)
    if search is not None and not (storable(search) and len(search) <= MAX_SEARCH_LENGTH):
        problems.invalid(f"search must be 1 to {MAX_SEARCH_LENGTH} characters", "input", "search")
    for pk, table, name in ((new.claim_id, claim, "claimId"), (new.source_id, source, "sourceId")):
        if pk is not None and not await existing_ids(session, table, [pk]):
            problems.not_found(f"{name} names nothing", "input", name)
    problems.raise_if_any()


async def create(
    session: AsyncSession, *, owner: int, new: NewWebhook, master: bytes, guard: NetworkGuard
) -> Created:
    """Register a webhook for key `owner`; the secret is returned here and kept nowhere.

    Changes committed from now on are delivered. The dispatch cursor's row is locked
    first, so no change is matched between the position read here and this commit (a
    dispatcher skips its turn meanwhile): a change that commits later has a greater
    position and is matched once this webhook is visible.
    """
    await _check(session, new, guard)
    count = await session.scalar(
        select(webhook.c.id).where(webhook.c.api_key_id == owner).offset(MAX_WEBHOOKS_PER_KEY - 1)
    )
    if count is not None:
        raise DomainError.one(
            ErrorCode.INVALID, f"a key may own at most {MAX_WEBHOOKS_PER_KEY} webhooks"
        )
    salt = new_salt()
    await session.execute(select(cursor.c.id).where(cursor.c.id == 1).with_for_update())
    position = await last_position(session)
    pk = await session.scalar(
        insert(webhook)
        .values(
            api_key_id=owner,
            url=new.url,
            kinds=sorted({str(kind) for kind in new.kinds}),
            claim_id=new.claim_id,
            source_id=new.source_id,
            search=normalised(new.search),
            secret_salt=salt,
            key_check=key_check(master),
            created_after_position=position,
        )
        .returning(webhook.c.id)
    )
    assert pk is not None
    return Created(pk, webhook_secret(master, pk, salt))


def _visible(caller: int, admin: bool) -> ColumnElement[bool]:
    return true() if admin else webhook.c.api_key_id == caller


async def delete_webhook(session: AsyncSession, *, pk: int, caller: int, admin: bool) -> RowMapping:
    """Delete a webhook its caller owns (an admin: any); its deliveries go with it."""
    row = (await session.execute(_listing().where(webhook.c.id == pk))).mappings().first()
    if row is None or not (admin or row["api_key_id"] == caller):
        # Another key's webhook is as unknown as a missing one: ids reveal nothing.
        raise DomainError.one(ErrorCode.NOT_FOUND, "no webhook of yours has this id", "input", "id")
    await session.execute(delete(webhook).where(webhook.c.id == pk))
    found: RowMapping = row
    return found


def _listing() -> Select[Any]:
    """Every column but the salt and key check, with `active` false once the key is revoked."""
    columns = [c for c in webhook.c if c.name not in ("secret_salt", "key_check", "active")]
    active = (webhook.c.active & api_key.c.revoked_at.is_(None)).label("active")
    return select(*columns, active).join(api_key, api_key.c.id == webhook.c.api_key_id)


async def listed(db: Executor, *, caller: int, admin: bool) -> list[RowMapping]:
    """The caller's webhooks (an admin's: everyone's), oldest first."""
    query = _listing().where(_visible(caller, admin)).order_by(webhook.c.id)
    return list((await db.execute(query)).mappings())


async def visible(db: Executor, pk: int, *, caller: int, admin: bool) -> RowMapping | None:
    """The webhook with this id when the caller owns it (an admin: any); else None, as if
    there were none: ids reveal nothing."""
    query = _listing().where(webhook.c.id == pk, _visible(caller, admin))
    found: RowMapping | None = (await db.execute(query)).mappings().first()
    return found


async def by_ids(db: Executor, ids: Sequence[int]) -> dict[int, RowMapping]:
    rows = await db.execute(_listing().where(webhook.c.id.in_(ids)))
    return {row["id"]: row for row in rows.mappings()}


async def deliveries(
    db: Executor, *, webhook_id: int, first: int, before_position: int | None
) -> list[RowMapping]:
    """A webhook's delivery log, newest change first."""
    query = select(
        delivery.c.position,
        delivery.c.state,
        delivery.c.attempts,
        delivery.c.next_attempt_at,
        delivery.c.last_status,
        delivery.c.last_error,
        delivery.c.created_at,
        delivery.c.delivered_at,
    ).where(delivery.c.webhook_id == webhook_id)
    if before_position is not None:
        query = query.where(delivery.c.position < before_position)
    query = query.order_by(delivery.c.position.desc()).limit(min(first, MAX_LOG_PAGE))
    return list((await db.execute(query)).mappings())
