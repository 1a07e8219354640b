"""Who may write and read: keys, roles, anonymous access, and the per-caller rate limit."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from api.auth.roles import Role
from api.auth.service import revoke_key
from api.db import create_session_factory
from api.settings import Settings
from tests import factories
from tests.support.app import TEST_SETTINGS, new_key, serving

GRAPHQL_RESPONSE = "application/graphql-response+json"
SOURCES = "{ sources { totalCount } }"
CREATE_SOURCE = """mutation { createSource(input: {name: "KCNA", kind: NEWS_AGENCY}) {
  source { id } errors { message field code } } }"""
CREATE_DOCUMENT = """mutation { createDocument(input: {title: "T", text: "Kim kommt.",
  language: "de"}) { document { id } errors { code } } }"""
CREATE_CLAIM = """mutation { createClaim(input: {statement: "Kim kommt.", language: "de"}) {
  claim { id } errors { code } } }"""
ADD_ATTRIBUTION = """mutation { addAttribution(input: {claimId: "Q2xhaW06MQ==",
  documentId: "RG9jdW1lbnQ6MQ==", sourceId: "U291cmNlOjE="}) { attribution { id }
  errors { code } } }"""
INGEST = """mutation { ingestDocument(input: {text: "Kim kommt, berichtete KCNA.",
  language: "de"}) { document { id } errors { code } } }"""
REVIEW = """mutation { reviewAttribution(input: {attributionId: "QXR0cmlidXRpb246MQ==",
  status: CONFIRMED}) { attribution { id } errors { code } } }"""
MUTATIONS = {
    "createSource": CREATE_SOURCE,
    "createDocument": CREATE_DOCUMENT,
    "createClaim": CREATE_CLAIM,
    "addAttribution": ADD_ATTRIBUTION,
    "ingestDocument": INGEST,
    "reviewAttribution": REVIEW,
}


async def _rows(db: AsyncEngine) -> int:
    """Rows in every written table, api_key's last_used_at aside."""
    async with db.connect() as connection:
        counts = [
            await connection.scalar(text(f"SELECT count(*) FROM {table}"))
            for table in ("source", "document", "claim", "attribution", "attribution_chain")
        ]
    return sum(int(c or 0) for c in counts)


async def _post(client: httpx.AsyncClient, query: str, **headers: str) -> httpx.Response:
    return await client.post("/graphql", json={"query": query}, headers=headers)


def _codes(body: dict[str, Any], mutation: str) -> list[str]:
    return [e["code"] for e in body["data"][mutation]["errors"]]


@pytest.mark.parametrize("mutation", list(MUTATIONS))
@pytest.mark.parametrize(
    ("header", "code"),
    [
        (None, "UNAUTHENTICATED"),
        ("Bearer cg_wrong", "UNAUTHENTICATED"),
        ("Basic dXNlcjpwdw==", "UNAUTHENTICATED"),
        ("reader", "FORBIDDEN"),
        ("revoked", "UNAUTHENTICATED"),
    ],
    ids=["missing", "wrong", "not-bearer", "reader", "revoked"],
)
async def test_every_mutation_refuses_a_caller_who_may_not_write(
    db: AsyncEngine, mutation: str, header: str | None, code: str
) -> None:
    # given
    if header == "reader":
        header = f"Bearer {await new_key(db, Role.READER)}"
    elif header == "revoked":
        header = f"Bearer {await new_key(db, Role.EDITOR, 'gone')}"
        async with create_session_factory(db).begin() as session:
            await revoke_key(session, name_or_prefix="gone")
    headers = {"Authorization": header} if header else {}
    async with serving(db) as client:
        # when
        response = await _post(client, MUTATIONS[mutation], **headers)
    # then: a clear error as data, and nothing written
    body = response.json()
    assert response.status_code == 200
    assert _codes(body, mutation) == [code]
    assert await _rows(db) == 0


async def test_an_editor_key_writes_and_an_admin_key_too(db: AsyncEngine) -> None:
    # given
    editor = await new_key(db, Role.EDITOR)
    admin = await new_key(db, Role.ADMIN)
    async with serving(db) as client:
        # when
        by_editor = (await _post(client, CREATE_SOURCE, Authorization=f"Bearer {editor}")).json()
        by_admin = (await _post(client, CREATE_DOCUMENT, Authorization=f"Bearer {admin}")).json()
    # then
    assert by_editor["data"]["createSource"]["errors"] == []
    assert by_admin["data"]["createDocument"]["errors"] == []
    assert await _rows(db) == 2


async def test_anonymous_writes_only_when_allowed(db: AsyncEngine) -> None:
    # given
    settings = TEST_SETTINGS.model_copy(update={"anonymous_write": True})
    async with serving(db, settings) as client:
        # when
        body = (await _post(client, CREATE_SOURCE)).json()
    # then
    assert body["data"]["createSource"]["errors"] == []


async def test_anonymous_reads_by_default_and_a_reader_reads(db: AsyncEngine) -> None:
    # given
    reader = await new_key(db, Role.READER)
    async with serving(db) as client:
        # when
        anonymous = await _post(client, SOURCES)
        with_key = await _post(client, SOURCES, Authorization=f"Bearer {reader}")
    # then
    assert anonymous.json() == {"data": {"sources": {"totalCount": 0}}}
    assert with_key.json() == {"data": {"sources": {"totalCount": 0}}}


async def test_with_anonymous_reads_off_a_read_needs_a_key(db: AsyncEngine) -> None:
    # given
    reader = await new_key(db, Role.READER)
    settings = TEST_SETTINGS.model_copy(update={"anonymous_read": False})
    async with serving(db, settings) as client:
        # when
        legacy = await _post(client, SOURCES)
        modern = await _post(client, SOURCES, Accept=GRAPHQL_RESPONSE)
        with_key = await _post(client, SOURCES, Authorization=f"Bearer {reader}")
    # then: legacy JSON keeps 200; graphql-response+json says 401
    assert legacy.status_code == 200
    assert legacy.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert modern.status_code == 401
    assert modern.headers["www-authenticate"].startswith("Bearer")
    assert "data" not in modern.json()
    assert modern.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert with_key.json() == {"data": {"sources": {"totalCount": 0}}}


async def test_a_wrong_key_is_refused_even_for_reads(db: AsyncEngine) -> None:
    # given: anonymous reads are on, but a key that is sent must be valid
    async with serving(db) as client:
        # when
        response = await _post(client, SOURCES, Authorization="Bearer cg_nope")
    # then
    assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_last_used_is_noted_at_most_once_a_minute(db: AsyncEngine) -> None:
    # given
    key = await new_key(db, Role.READER)
    settings = TEST_SETTINGS.model_copy(update={"key_cache_seconds": 0})
    async with serving(db, settings, key=key) as client:
        # when
        await _post(client, SOURCES)
        async with db.connect() as connection:
            first = await connection.scalar(text("SELECT last_used_at FROM api_key"))
        await _post(client, SOURCES)
        async with db.connect() as connection:
            second = await connection.scalar(text("SELECT last_used_at FROM api_key"))
    # then
    assert first is not None and second == first


async def test_rate_limit_answers_429_after_the_burst_and_recovers(db: AsyncEngine) -> None:
    # given: 60 a minute, so a burst of 5 and one more each second
    key = await new_key(db, Role.READER)
    settings = Settings(database_url="postgresql://unused/unused", rate_limit_per_minute=60)
    async with serving(db, settings, key=key) as client:
        # when
        statuses = [(await _post(client, SOURCES)).status_code for _ in range(5)]
        limited = await _post(client, SOURCES)
        await asyncio.sleep(1.1)
        recovered = await _post(client, SOURCES)
    # then
    assert statuses == [200] * 5
    assert limited.status_code == 429
    assert limited.headers["retry-after"] == "1"
    assert limited.json()["errors"][0]["extensions"]["code"] == "RATE_LIMITED"
    assert recovered.status_code == 200


async def test_the_export_routes_share_the_rate_limit(db: AsyncEngine) -> None:
    # given: a burst of 5, spent on GraphQL
    key = await new_key(db, Role.READER)
    settings = Settings(database_url="postgresql://unused/unused", rate_limit_per_minute=60)
    async with serving(db, settings, key=key) as client:
        for _ in range(5):
            await _post(client, SOURCES)
        # when
        limited = await client.get("/claims/" + factories.global_id("Claim", 1) + "/prov.json")
    # then
    assert limited.status_code == 429
    assert limited.json()["errors"][0]["extensions"]["code"] == "RATE_LIMITED"


async def test_the_explorer_pages_share_the_rate_limit_but_not_their_stylesheet(
    db: AsyncEngine,
) -> None:
    # given: a burst of 5, with the explorer under a prefix
    settings = Settings(
        database_url="postgresql://unused/unused",
        rate_limit_per_minute=60,
        explorer_prefix="/explore",
    )
    async with serving(db, settings) as client:
        pages = [(await client.get("/explore/", params={"q": "x"})).status_code for _ in range(5)]
        # when
        limited = await client.get("/explore/login")
        stylesheet = await client.get("/explore/explorer/static/explorer.css")
        health = await client.get("/healthz")
    # then
    assert pages == [200] * 5
    assert limited.status_code == 429
    assert stylesheet.status_code == 200
    assert health.status_code == 200
