"""Idempotency: a write sent again with its key answers as the first time and writes nothing."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from api.auth.roles import Role
from api.settings import Settings
from tests import factories
from tests.support.app import GraphQLClient, new_key, serving

CREATE_SOURCE = """
mutation($name: String!, $cmid: String) {
  createSource(input: {name: $name, kind: NEWS_AGENCY, clientMutationId: $cmid}) {
    source { id name }
    clientMutationId
    errors { code field }
  }
}"""

TWO_WRITES = """
mutation {
  good: createSource(input: {name: "KCNA", kind: NEWS_AGENCY}) { source { id } errors { code } }
  bad: createSource(input: {name: " ", kind: NEWS_AGENCY}) { source { id } errors { code } }
}"""

UPDATE_CLAIM = """
mutation($id: ID!, $cmid: String) {
  updateClaim(input: {id: $id, version: 1, statement: "Neu", clientMutationId: $cmid}) {
    claim { id version statement }
    clientMutationId
    errors { code field }
  }
}"""


def _body(name: str = "KCNA") -> dict[str, Any]:
    return {"query": CREATE_SOURCE, "variables": {"name": name}}


async def _post(http: httpx.AsyncClient, body: dict[str, Any], key: str | None) -> httpx.Response:
    headers = {"Idempotency-Key": key} if key is not None else {}
    return await http.post("/graphql", json=body, headers=headers)


async def _stored(db: AsyncEngine, table: str) -> int:
    async with db.connect() as connection:
        return int(await connection.scalar(text(f"SELECT count(*) FROM {table}")))


async def test_a_request_sent_again_with_its_key_gets_the_first_answer_and_writes_nothing(
    http: httpx.AsyncClient, db: AsyncEngine
) -> None:
    # given
    first = await _post(http, _body(), "order-1")
    # when: the client, unsure it arrived, sends it again
    again = await _post(http, _body(), "order-1")
    # then
    assert first.status_code == again.status_code == 200
    assert first.json()["data"]["createSource"]["source"]["name"] == "KCNA"
    assert again.json() == first.json()
    assert again.headers["idempotent-replayed"] == "true"
    assert "idempotent-replayed" not in first.headers
    assert await _stored(db, "source") == 1


async def test_the_same_request_in_another_key_order_is_the_same_request(
    http: httpx.AsyncClient, db: AsyncEngine
) -> None:
    # given
    body = _body()
    await http.post("/graphql", json=body, headers={"Idempotency-Key": "k"})
    # when: the same JSON, keys in another order
    reordered = {"variables": body["variables"], "query": body["query"]}
    again = await http.post("/graphql", json=reordered, headers={"Idempotency-Key": "k"})
    # then
    assert again.headers["idempotent-replayed"] == "true"
    assert await _stored(db, "source") == 1


async def test_a_key_reused_for_another_request_is_refused_and_writes_nothing(
    http: httpx.AsyncClient, db: AsyncEngine
) -> None:
    # given
    await _post(http, _body("KCNA"), "k-1")
    # when
    other = await _post(http, _body("Kyodo"), "k-1")
    # then
    assert other.status_code == 422
    assert other.json()["errors"][0]["extensions"]["code"] == "IDEMPOTENCY_KEY_REUSED"
    assert await _stored(db, "source") == 1


async def test_keys_belong_to_their_api_key(http: httpx.AsyncClient, db: AsyncEngine) -> None:
    # given: one editor used key "k"
    await _post(http, _body("KCNA"), "k")
    # when: another editor uses "k" for its own request
    other_key = await new_key(db, Role.EDITOR, "other-editor")
    async with serving(db, key=other_key) as other:
        response = await _post(other, _body("Kyodo"), "k")
    # then: it ran, as the other editor's own first use of "k"
    assert response.json()["data"]["createSource"]["source"]["name"] == "Kyodo"
    assert "idempotent-replayed" not in response.headers
    assert await _stored(db, "source") == 2


async def test_a_partly_failed_request_replays_its_errors_too(
    http: httpx.AsyncClient, db: AsyncEngine
) -> None:
    # given: one mutation of two succeeded
    first = await _post(http, {"query": TWO_WRITES}, "batch-1")
    assert first.json()["data"]["bad"]["errors"][0]["code"] == "INVALID"
    # when
    again = await _post(http, {"query": TWO_WRITES}, "batch-1")
    # then
    assert again.json() == first.json()
    assert await _stored(db, "source") == 1


async def test_concurrent_retries_write_once(http: httpx.AsyncClient, db: AsyncEngine) -> None:
    # when: five copies race
    responses = await asyncio.gather(*(_post(http, _body(), "race") for _ in range(5)))
    # then: one ran; the others got its answer, or were told to retry while it ran
    assert await _stored(db, "source") == 1
    statuses = sorted(r.status_code for r in responses)
    assert set(statuses) <= {200, 409} and statuses.count(200) >= 1
    answers = {r.text for r in responses if r.status_code == 200}
    assert len(answers) == 1
    busy = [r.json() for r in responses if r.status_code == 409]
    assert all(b["errors"][0]["extensions"]["code"] == "IDEMPOTENCY_KEY_IN_USE" for b in busy)


async def test_an_expired_key_may_be_used_again(http: httpx.AsyncClient, db: AsyncEngine) -> None:
    # given: a key used two days ago (the default time to live is a day)
    await _post(http, _body(), "old")
    async with db.begin() as connection:
        await connection.execute(
            text("UPDATE idempotency_key SET created_at = now() - interval '2 days'")
        )
    # when
    again = await _post(http, _body(), "old")
    # then: it ran again
    assert "idempotent-replayed" not in again.headers
    assert await _stored(db, "source") == 2


async def test_malformed_keys_are_refused(http: httpx.AsyncClient, db: AsyncEngine) -> None:
    for key in ("", "x" * 301, "schlüssel"):
        headers = [(b"idempotency-key", key.encode()), (b"content-type", b"application/json")]
        body = httpx.Request("POST", "/", json=_body()).content
        response = await http.post("/graphql", content=body, headers=headers)
        assert response.status_code == 400, key
        assert response.json()["errors"][0]["extensions"]["code"] == "INVALID"
    assert await _stored(db, "source") == 0


async def test_queries_with_a_key_run_as_usual(http: httpx.AsyncClient) -> None:
    response = await _post(http, {"query": "{ claims { totalCount } }"}, "read")
    assert response.json() == {"data": {"claims": {"totalCount": 0}}}


async def test_a_client_mutation_id_sent_again_answers_with_the_first_write(
    gql: GraphQLClient, db: AsyncEngine
) -> None:
    # given
    first = (await gql(CREATE_SOURCE, {"name": "KCNA", "cmid": "c-1"}))["createSource"]
    # when
    again = (await gql(CREATE_SOURCE, {"name": "KCNA", "cmid": "c-1"}))["createSource"]
    # then
    assert again == first
    assert first["clientMutationId"] == "c-1"
    assert await _stored(db, "source") == 1


async def test_a_client_mutation_id_reused_with_other_input_is_refused(
    gql: GraphQLClient, db: AsyncEngine
) -> None:
    # given
    await gql(CREATE_SOURCE, {"name": "KCNA", "cmid": "c-1"})
    # when
    other = (await gql(CREATE_SOURCE, {"name": "Kyodo", "cmid": "c-1"}))["createSource"]
    # then
    assert factories.problems(other) == [
        ("IDEMPOTENCY_KEY_REUSED", ["input", "clientMutationId"])
    ]
    assert other["source"] is None
    assert await _stored(db, "source") == 1


async def test_a_failed_mutation_leaves_its_client_mutation_id_unused(
    gql: GraphQLClient, db: AsyncEngine
) -> None:
    # given: the first attempt was refused
    failed = (await gql(CREATE_SOURCE, {"name": " ", "cmid": "c-2"}))["createSource"]
    assert factories.problems(failed) == [("INVALID", ["input", "name"])]
    # when: the corrected input is sent with the same id
    fixed = (await gql(CREATE_SOURCE, {"name": "KCNA", "cmid": "c-2"}))["createSource"]
    # then
    assert fixed["errors"] == [] and fixed["source"]["name"] == "KCNA"
    assert await _stored(db, "idempotency_key") == 1


async def test_a_replayed_edit_does_not_conflict_with_itself(gql: GraphQLClient) -> None:
    # given: an edit of version 1 went through
    claim = await factories.claim(gql)
    first = (await gql(UPDATE_CLAIM, {"id": claim, "cmid": "edit-1"}))["updateClaim"]
    assert first["errors"] == [] and first["claim"]["version"] == 2
    # when: it is retried; without the id it would now be a CONFLICT
    again = (await gql(UPDATE_CLAIM, {"id": claim, "cmid": "edit-1"}))["updateClaim"]
    plain = (await gql(UPDATE_CLAIM, {"id": claim}))["updateClaim"]
    # then
    assert again == first
    assert factories.problems(plain) == [("CONFLICT", ["input", "version"])]


async def test_a_key_in_use_is_answered_409_with_retry_after(
    http: httpx.AsyncClient, db: AsyncEngine
) -> None:
    # given: the first request with key "busy" still holds it (its lock, held here)
    async with db.connect() as connection:
        editor = await connection.scalar(text("SELECT id FROM api_key WHERE name = 'test-editor'"))
    async with db.connect() as holder, holder.begin():
        await holder.execute(
            text("SELECT pg_advisory_xact_lock(hashtextextended(:owner || chr(31) || 'busy', 0))"),
            {"owner": f"key:{editor}"},
        )
        # when
        busy = await _post(http, _body(), "busy")
    # then
    assert busy.status_code == 409
    assert busy.json()["errors"][0]["extensions"]["code"] == "IDEMPOTENCY_KEY_IN_USE"
    assert int(busy.headers["retry-after"]) >= 1
    assert await _stored(db, "source") == 0


async def test_a_replay_varies_on_accept_like_a_fresh_answer(http: httpx.AsyncClient) -> None:
    # given
    first = await _post(http, _body(), "vary-1")
    # when
    again = await _post(http, _body(), "vary-1")
    # then
    assert again.headers["idempotent-replayed"] == "true"
    assert "Accept" in first.headers["vary"] and "Accept" in again.headers["vary"]
    assert again.headers["content-type"] == first.headers["content-type"] == "application/json"


async def test_a_replay_keeps_the_media_type_the_client_asked_for(
    http: httpx.AsyncClient, db: AsyncEngine
) -> None:
    # given: a write whose answer was asked for as graphql-response+json
    wanted = {"Accept": "application/graphql-response+json", "Idempotency-Key": "media-1"}
    first = await http.post("/graphql", json=_body(), headers=wanted)
    # when: retried as asked first, then asking for the other media type only
    again = await http.post("/graphql", json=_body(), headers=wanted)
    legacy = {"Accept": "application/json", "Idempotency-Key": "media-1"}
    other = await http.post("/graphql", json=_body(), headers=legacy)
    # then
    assert first.headers["content-type"].startswith("application/graphql-response+json")
    assert again.headers["content-type"] == first.headers["content-type"]
    assert again.json() == first.json() and again.headers["idempotent-replayed"] == "true"
    assert other.status_code == 406 and "Accept" in other.headers["vary"]
    assert other.json()["errors"][0]["extensions"]["code"] == "NOT_ACCEPTABLE"
    assert await _stored(db, "source") == 1


async def test_a_replayed_refusal_keeps_its_www_authenticate(db: AsyncEngine) -> None:
    # given: reads need a key, and a request without one was refused under an Idempotency-Key
    settings = Settings(
        database_url="postgresql://unused/unused",
        anonymous_read=False,
        rate_limit_per_minute=1_000_000,
    )
    headers = {"Accept": "application/graphql-response+json", "Idempotency-Key": "anon-1"}
    body = {"query": "{ claims { totalCount } }"}
    async with serving(db, settings) as anonymous:
        first = await anonymous.post("/graphql", json=body, headers=headers)
        # when
        again = await anonymous.post("/graphql", json=body, headers=headers)
    # then
    assert first.status_code == again.status_code == 401
    assert again.headers["idempotent-replayed"] == "true"
    assert again.headers["www-authenticate"] == first.headers["www-authenticate"]


async def test_expired_answers_are_dropped_though_their_keys_never_come_back(
    http: httpx.AsyncClient, db: AsyncEngine
) -> None:
    # given: another caller's answer, two days old, whose key is never sent again
    async with db.begin() as connection:
        await connection.execute(
            text(
                "INSERT INTO idempotency_key (owner, key, request_hash, response, created_at)"
                " VALUES ('key:999', 'gone', sha256('x'), '{}', now() - interval '2 days')"
            )
        )
    # when: any request with an Idempotency-Key
    await _post(http, _body(), "fresh")
    # then: only the fresh answer is kept
    async with db.connect() as connection:
        keys = (await connection.scalars(text("SELECT key FROM idempotency_key"))).all()
    assert keys == ["fresh"]
