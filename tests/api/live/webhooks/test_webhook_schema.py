"""createWebhook, deleteWebhook and webhooks: validation, ownership, and a secret shown once
and kept nowhere."""

from __future__ import annotations

import base64
import logging
import subprocess
from typing import Any

import pytest
from pydantic import SecretStr
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine

from api.auth.roles import Role
from tests import factories
from tests.api.live.webhooks.conftest import QUICK
from tests.api.live.webhooks.support import (
    CREATE_WEBHOOK,
    DELETE_WEBHOOK,
    WEBHOOKS,
    create_webhook,
)
from tests.support.app import GraphQLClient, new_key, serving

URL = "https://hooks.example.org/claimgraph"


async def _create(gql: GraphQLClient, **values: Any) -> dict[str, Any]:
    return await factories.mutate(gql, CREATE_WEBHOOK, "createWebhook", **values)


async def test_a_webhook_is_created_with_its_filters_and_listed_for_its_owner(
    editor: GraphQLClient,
) -> None:
    # given
    claim = await factories.claim(editor)
    source = await factories.source(editor)
    # when
    payload = await _create(
        editor, url=URL, kinds=["CLAIM_CONTESTED"], claimId=claim, sourceId=source, search=" x "
    )
    # then
    assert payload["errors"] == []
    hook = payload["webhook"]
    assert hook["kinds"] == ["CLAIM_CONTESTED"] and hook["search"] == "x"
    assert hook["claimId"] == claim and hook["sourceId"] == source
    assert hook["active"] is True and hook["failing"] is False
    assert len(payload["secret"]) == 43
    assert [h["id"] for h in (await editor(WEBHOOKS))["webhooks"]] == [hook["id"]]


@pytest.mark.parametrize(
    ("values", "code", "field"),
    [
        ({"url": "ftp://example.org/x"}, "INVALID", ["input", "url"]),
        ({"url": "not a url"}, "INVALID", ["input", "url"]),
        ({"url": "http://user:pw@example.org/"}, "INVALID", ["input", "url"]),
        ({"url": "http://example.org:99999/"}, "INVALID", ["input", "url"]),
        (
            {"url": URL, "claimId": factories.global_id("Claim", 999)},
            "NOT_FOUND",
            ["input", "claimId"],
        ),
        ({"url": URL, "sourceId": "nonsense"}, "NOT_FOUND", ["input", "sourceId"]),
        ({"url": URL, "search": "x" * 501}, "INVALID", ["input", "search"]),
    ],
)
async def test_a_wrong_input_is_refused_with_its_field(
    editor: GraphQLClient, hooked: AsyncEngine, values: dict[str, Any], code: str, field: list[str]
) -> None:
    payload = await _create(editor, **values)
    assert factories.problems(payload) == [(code, field)]
    assert payload["webhook"] is None and payload["secret"] is None
    async with hooked.connect() as connection:
        assert await connection.scalar(text("SELECT count(*) FROM webhook")) == 0


async def test_in_production_a_literal_private_address_is_refused_unless_listed(
    hooked: AsyncEngine,
) -> None:
    key = await new_key(hooked, Role.READER, "reader")
    production = QUICK.model_copy(update={"production": True})
    listed = production.model_copy(update={"webhook_networks": "10.0.0.0/8"})
    async with serving(hooked, production, key=key) as http:
        refused = await _create(GraphQLClient(http), url="http://10.1.2.3/hook")
        loopback = await _create(GraphQLClient(http), url="http://[::ffff:127.0.0.1]/hook")
    async with serving(hooked, listed, key=key) as http:
        allowed = await _create(GraphQLClient(http), url="http://10.1.2.3/hook")
    assert factories.problems(refused) == [("INVALID", ["input", "url"])]
    assert factories.problems(loopback) == [("INVALID", ["input", "url"])]
    assert allowed["errors"] == [] and allowed["secret"]


async def test_anonymous_callers_have_no_webhooks(hooked: AsyncEngine) -> None:
    async with serving(hooked, QUICK) as http:
        listed = await GraphQLClient(http).raw(WEBHOOKS)
        created = await _create(GraphQLClient(http), url=URL)
    assert listed["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert factories.problems(created)[0][0] == "UNAUTHENTICATED"


async def test_another_key_neither_sees_nor_deletes_a_webhook_and_an_admin_does(
    hooked: AsyncEngine,
) -> None:
    # given: a reader's webhook
    keys = {role: await new_key(hooked, role, f"k-{role}") for role in Role}
    async with serving(hooked, QUICK, key=keys[Role.READER]) as http:
        hook, _ = await create_webhook(GraphQLClient(http), URL)
    # when: an editor (another key) lists and tries to delete it
    async with serving(hooked, QUICK, key=keys[Role.EDITOR]) as http:
        other = GraphQLClient(http)
        seen = (await other(WEBHOOKS))["webhooks"]
        refused = (await other(DELETE_WEBHOOK, {"id": hook}))["deleteWebhook"]
    # then
    assert seen == []
    assert factories.problems(refused) == [("NOT_FOUND", ["input", "id"])]
    # when: an admin lists and deletes it
    async with serving(hooked, QUICK, key=keys[Role.ADMIN]) as http:
        admin = GraphQLClient(http)
        listed = [h["id"] for h in (await admin(WEBHOOKS))["webhooks"]]
        deleted = (await admin(DELETE_WEBHOOK, {"id": hook}))["deleteWebhook"]
        after = (await admin(WEBHOOKS))["webhooks"]
    # then
    assert listed == [hook]
    assert deleted["errors"] == [] and deleted["webhook"] == {"id": hook, "url": URL}
    assert after == []


NODE = """query($id: ID!) { node(id: $id) { __typename id ... on Webhook { url } } }"""


async def test_node_resolves_a_webhook_for_its_owner_and_an_admin_only(
    hooked: AsyncEngine,
) -> None:
    # given: a reader's webhook
    keys = {role: await new_key(hooked, role, f"n-{role}") for role in Role}
    async with serving(hooked, QUICK, key=keys[Role.READER]) as http:
        hook, _ = await create_webhook(GraphQLClient(http), URL)
    # when: each key, and an anonymous caller, asks node(id:) for it
    found = {}
    for who, key in [*((role.value, k) for role, k in keys.items()), ("anonymous", None)]:
        async with serving(hooked, QUICK, key=key) as http:
            found[who] = (await GraphQLClient(http)(NODE, {"id": hook}))["node"]
    # then: its owner and an admin see it; to anyone else the id names nothing
    mine = {"__typename": "Webhook", "id": hook, "url": URL}
    assert found == {"reader": mine, "admin": mine, "editor": None, "anonymous": None}


async def test_the_owner_deletes_its_webhook_and_a_revoked_key_s_webhook_is_inactive(
    hooked: AsyncEngine,
) -> None:
    key = await new_key(hooked, Role.READER, "owner")
    async with serving(hooked, QUICK, key=key) as http:
        gql = GraphQLClient(http)
        first, _ = await create_webhook(gql, URL)
        second, _ = await create_webhook(gql, URL + "/2")
        deleted = (await gql(DELETE_WEBHOOK, {"id": first}))["deleteWebhook"]
        assert deleted["errors"] == []
        assert [h["id"] for h in (await gql(WEBHOOKS))["webhooks"]] == [second]
    async with hooked.begin() as connection:
        await connection.execute(text("UPDATE api_key SET revoked_at = now()"))
        active = await connection.scalar(
            text(
                "SELECT w.active AND k.revoked_at IS NULL FROM webhook w JOIN api_key k"
                " ON k.id = w.api_key_id"
            )
        )
    assert active is False


async def test_create_webhook_under_an_idempotency_key_is_refused_before_it_runs(
    hooked: AsyncEngine,
) -> None:
    key = await new_key(hooked, Role.READER, "reader")
    body = {"query": CREATE_WEBHOOK, "variables": {"input": {"url": URL}}}
    async with serving(hooked, QUICK, key=key) as http:
        response = await http.post("/graphql", json=body, headers={"Idempotency-Key": "w-1"})
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == "IDEMPOTENCY_KEY_NOT_ALLOWED"
    assert "createWebhook" in error["message"]
    async with hooked.connect() as connection:
        assert await connection.scalar(text("SELECT count(*) FROM webhook")) == 0
        assert await connection.scalar(text("SELECT count(*) FROM idempotency_key")) == 0


def _dump(database_url: str) -> str:
    url = make_url(database_url).set(drivername="postgresql")
    return subprocess.run(
        ["pg_dump", "--data-only", "--dbname", url.render_as_string(hide_password=False)],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout


def _forms(secret: str) -> list[str]:
    raw = base64.urlsafe_b64decode(secret + "=" * (-len(secret) % 4))
    return [secret, raw.hex(), base64.b64encode(raw).decode().rstrip("="), secret.encode().hex()]


async def test_no_secret_is_in_the_database_and_a_replay_shows_none(
    hooked: AsyncEngine, database_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    # given
    caplog.set_level(logging.DEBUG)
    key = await new_key(hooked, Role.READER, "reader")
    async with serving(hooked, QUICK, key=key) as http:
        gql = GraphQLClient(http)
        # when: a plain create, and one with a clientMutationId sent twice
        plain = await _create(gql, url=URL)
        first = await _create(gql, url=URL + "/m", clientMutationId="hook-1")
        replay = await _create(gql, url=URL + "/m", clientMutationId="hook-1")
    # then: the replay answers with the same webhook, without the secret
    assert replay["errors"] == [] and replay["webhook"]["id"] == first["webhook"]["id"]
    assert replay["secret"] is None and replay["clientMutationId"] == "hook-1"
    # and no form of either secret is stored or logged
    dump = _dump(database_url)
    secrets = [plain["secret"], first["secret"]]
    assert all(secrets) and secrets[0] != secrets[1]
    for secret in secrets:
        for form in _forms(secret):
            assert form not in dump, f"a secret is stored: {form[:8]}…"
            assert form not in caplog.text


async def test_another_master_key_derives_other_secrets(hooked: AsyncEngine) -> None:
    key = await new_key(hooked, Role.READER, "reader")
    other = QUICK.model_copy(update={"webhook_key": SecretStr("another-master-key-xyz")})
    async with serving(hooked, QUICK, key=key) as http:
        one = await _create(GraphQLClient(http), url=URL)
    async with serving(hooked, other, key=key) as http:
        two = await _create(GraphQLClient(http), url=URL)
    assert one["secret"] != two["secret"]
