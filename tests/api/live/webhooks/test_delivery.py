"""Deliveries in one process: signed bodies, filters, retries, order, the failing state."""

from __future__ import annotations

import asyncio
import json

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from api.auth.roles import Role
from tests import factories
from tests.api.live.webhooks.conftest import QUICK
from tests.api.live.webhooks.support import WEBHOOKS, create_webhook, eventually, pk_of, report
from tests.support.app import GraphQLClient, new_key, serving
from tests.support.webhook_receiver import receiving


async def _scalar(db: AsyncEngine, sql: str) -> object:
    async with db.connect() as connection:
        return await connection.scalar(text(sql))


async def test_a_change_reaches_its_webhook_signed_and_nothing_reaches_another_source(
    editor: GraphQLClient, hooked: AsyncEngine
) -> None:
    with receiving() as receiver:
        # given: a webhook for KCNA's reports, and one for another source
        kcna_source = await _source_id(editor, "KCNA")
        tass_source = await _source_id(editor, "TASS")
        _, secret = await create_webhook(editor, receiver.url, sourceId=kcna_source)
        other, _ = await create_webhook(editor, receiver.url + "/other", sourceId=tass_source)
        # when
        attribution = await report(editor, "KCNA2", source=kcna_source)
        # then
        [got] = await asyncio.to_thread(receiver.wait_for, 1)
        body = json.loads(got.body)
        assert got.headers["Content-Type"] == "application/json"
        assert got.signed_with(secret)
        assert not got.signed_with(secret + "x")
        assert got.headers["Claimgraph-Delivery"] == body["id"]
        assert body["kind"] == "ATTRIBUTION_ADDED"
        assert body["attributionId"] == attribution["id"]
        assert body["claimId"] == attribution["claim"]["id"]
        assert body["sourceId"] == kcna_source
        assert got.body == json.dumps(body, separators=(",", ":")).encode()
        # and the other webhook got no delivery, though the change was matched
        await eventually(lambda: _cursor_at(hooked, int(body["id"])))
        count = await _scalar(
            hooked, f"SELECT count(*) FROM webhook_delivery WHERE webhook_id = {pk_of(other)}"
        )
        assert count == 0


async def test_only_changes_committed_after_creation_are_delivered(
    editor: GraphQLClient, hooked: AsyncEngine
) -> None:
    with receiving() as receiver:
        # given: a change before the webhook
        await report(editor, "Before")
        await create_webhook(editor, receiver.url)
        # when
        after = await report(editor, "After")
        # then
        [got] = await asyncio.to_thread(receiver.wait_for, 1)
        assert json.loads(got.body)["attributionId"] == after["id"]


async def test_a_receiver_down_for_a_while_gets_every_change_in_order_once_back(
    editor: GraphQLClient, hooked: AsyncEngine
) -> None:
    with receiving() as receiver:
        # given: a receiver that is down, and three changes for it
        await create_webhook(editor, receiver.url, kinds=["ATTRIBUTION_ADDED"])
        receiver.down()
        written = [(await report(editor, f"Source {i}"))["id"] for i in range(3)]

        async def failed_once() -> bool:
            sql = "SELECT count(*) FROM webhook_delivery WHERE last_error IS NOT NULL"
            return bool(await _scalar(hooked, sql))

        await eventually(failed_once)
        data = await editor(WEBHOOKS)
        assert data["webhooks"][0]["lastError"]
        assert data["webhooks"][0]["failing"] is False  # retrying, not given up
        # when
        receiver.up()
        # then: each once, in commit order
        got = await asyncio.to_thread(receiver.wait_for, 3)
        assert [json.loads(r.body)["attributionId"] for r in got] == written
        ids = [int(json.loads(r.body)["id"]) for r in got]
        assert ids == sorted(ids)

        async def settled() -> bool:
            data = await editor(WEBHOOKS)
            states = [d["state"] for d in data["webhooks"][0]["deliveries"]]
            return states == ["DELIVERED"] * 3 and data["webhooks"][0]["lastError"] is None

        await eventually(settled)


async def test_a_webhook_whose_receiver_keeps_failing_is_marked_failing_with_the_reason(
    hooked: AsyncEngine,
) -> None:
    settings = QUICK.model_copy(update={"webhook_retry_for_seconds": 1.0})
    key = await new_key(hooked, Role.EDITOR, "failing")
    with receiving() as receiver:
        receiver.status = 500
        async with serving(hooked, settings, key=key) as http:
            gql = GraphQLClient(http)
            await create_webhook(gql, receiver.url)
            # when
            await report(gql, "KCNA")

            # then
            async def failing() -> bool:
                return bool((await gql(WEBHOOKS))["webhooks"][0]["failing"])

            await eventually(failing)
            [hook] = (await gql(WEBHOOKS))["webhooks"]
            assert "500" in hook["lastError"] and "given up" in hook["lastError"]
            assert hook["failingSince"] is not None
            [delivery] = hook["deliveries"]
            assert delivery["state"] == "FAILED" and delivery["lastStatus"] == 500
            assert delivery["attempts"] >= 2


async def _source_id(gql: GraphQLClient, name: str) -> str:
    return await factories.source(gql, name)


async def _cursor_at(db: AsyncEngine, position: int) -> bool:
    found = await _scalar(db, "SELECT position FROM webhook_cursor")
    return isinstance(found, int) and found >= position


async def test_a_slow_receiver_holds_up_no_other_webhook(
    editor: GraphQLClient, hooked: AsyncEngine
) -> None:
    with receiving() as slow, receiving() as quick:
        # given: one receiver that holds every request, created first
        await create_webhook(editor, slow.url)
        await create_webhook(editor, quick.url)
        slow.released.clear()
        # when
        await report(editor, "KCNA")
        # then: the other gets the change while the slow one still holds it
        await asyncio.to_thread(slow.wait_for, 1)
        await asyncio.to_thread(quick.wait_for, 1, 5)
        assert not slow.released.is_set()
