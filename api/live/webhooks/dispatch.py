"""Committed changes become deliveries: each change matched once, by one process.

The cursor row (webhook_cursor) holds the last position matched. A process locks it
with SKIP LOCKED: when another process holds it, that one is matching and this one has
nothing to do. Changes after the cursor are read in commit order (positions are given
at commit, so none can appear behind it), matched against every active webhook, and
written as pending deliveries in the same transaction that moves the cursor: a crash
leaves either both or neither.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from api.auth.models import ApiKey
from api.db import table_of
from api.live.changes import Change, changes_after
from api.live.kinds import ChangeKind
from api.live.matching import ChangeFilter, Search, searched
from api.live.webhooks.models import Webhook, WebhookCursor, WebhookDelivery
from api.live.webhooks.signing import body
from api.search import SearchSupport, near_words

cursor = table_of(WebhookCursor)
webhook = table_of(Webhook)
delivery = table_of(WebhookDelivery)
api_key = table_of(ApiKey)
BATCH = 500


async def dispatch(engine: AsyncEngine, support: SearchSupport, batch: int = BATCH) -> int | None:
    """Match the next changes; how many were matched, or None when another process is
    matching (then it will match these too)."""
    async with engine.begin() as connection:
        position = await connection.scalar(
            select(cursor.c.position).where(cursor.c.id == 1).with_for_update(skip_locked=True)
        )
        if position is None:
            return None
        changes = await changes_after(connection, position, limit=batch)
        if not changes:
            return 0
        rows = await _deliveries(connection, changes, support)
        if rows:
            await connection.execute(
                insert(delivery)
                .values(rows)
                .on_conflict_do_nothing(index_elements=["webhook_id", "position"])
            )
        await connection.execute(
            update(cursor).where(cursor.c.id == 1).values(position=changes[-1].position)
        )
        return len(changes)


async def _deliveries(
    connection: AsyncConnection, changes: list[Change], support: SearchSupport
) -> list[dict[str, Any]]:
    hooks = (
        await connection.execute(
            select(
                webhook.c.id,
                webhook.c.kinds,
                webhook.c.claim_id,
                webhook.c.source_id,
                webhook.c.search,
                webhook.c.created_after_position,
            )
            .join(api_key, api_key.c.id == webhook.c.api_key_id)
            .where(
                webhook.c.active,
                api_key.c.revoked_at.is_(None),
                webhook.c.created_after_position < changes[-1].position,
            )
        )
    ).all()
    if not hooks:
        return []
    # The rule subscriptions follow (api/live/matching.py), misspellings included.
    terms = {hook.search for hook in hooks if hook.search is not None}
    searches = {t: Search(t, await near_words(connection, t, support)) for t in terms}
    found = await searched(connection, searches.values(), changes)
    rows = []
    for hook in hooks:
        wanted = ChangeFilter(
            claim_id=hook.claim_id,
            source_id=hook.source_id,
            kinds=frozenset(ChangeKind(kind) for kind in hook.kinds),
            search=None if hook.search is None else searches[hook.search],
        )
        rows += [
            {"webhook_id": hook.id, "position": change.position, "body": body(change)}
            for change in changes
            if change.position > hook.created_after_position and wanted.matches(change, found)
        ]
    return rows
