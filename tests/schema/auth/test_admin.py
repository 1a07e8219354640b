"""What only admins may do: manage API keys over GraphQL, and retract an attribution hard."""

from __future__ import annotations

from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from api.auth.roles import Role
from api.settings import Settings
from tests import factories
from tests.support.app import GraphQLClient, new_key, serving

CREATE_KEY = """
mutation($name: String!, $role: KeyRole!) {
  createApiKey(input: {name: $name, role: $role}) {
    apiKey { name role prefix revokedAt }
    key
    errors { code field }
  }
}"""

REVOKE_KEY = """
mutation($name: String!) {
  revokeApiKey(input: {name: $name}) { apiKey { name revokedAt } errors { code field } }
}"""

KEYS = "{ apiKeys { name role } }"

RETRACT = """
mutation($id: ID!, $hard: Boolean!) {
  retractAttribution(input: {id: $id, version: 1, reason: "Quelle erfunden", hard: $hard}) {
    attribution { id reviewStatus }
    errors { code field }
  }
}"""

HISTORY = """
query($id: ID!) {
  history(id: $id) { totalCount edges { node { operation actor before after } } }
  node(id: $id) { id }
}"""

COMPARISON = """
query($id: ID!) {
  node(id: $id) { ... on Claim { comparison { reportCount leftOutCount } } }
}"""

SETTINGS = Settings(
    database_url="postgresql://unused/unused", rate_limit_per_minute=0, key_cache_seconds=0
)


async def _as(db: AsyncEngine, key: str | None, query: str, **variables: Any) -> dict[str, Any]:
    async with serving(db, SETTINGS, key=key) as http:
        response = await http.post("/graphql", json={"query": query, "variables": variables})
    body: dict[str, Any] = response.json()
    return body


async def test_an_admin_creates_lists_and_revokes_keys(db: AsyncEngine) -> None:
    # given
    admin = await new_key(db, Role.ADMIN, "chief")
    # when
    created = (await _as(db, admin, CREATE_KEY, name="desk", role="EDITOR"))["data"]
    # then: the new key works, once shown
    payload = created["createApiKey"]
    assert payload["errors"] == []
    assert payload["apiKey"]["name"] == "desk" and payload["apiKey"]["role"] == "EDITOR"
    assert payload["key"].startswith(payload["apiKey"]["prefix"])
    made = await _as(db, payload["key"], factories.CREATE_SOURCE,
                     input={"name": "KCNA", "kind": "NEWS_AGENCY"})
    assert made["data"]["createSource"]["errors"] == []
    listed = (await _as(db, admin, KEYS))["data"]["apiKeys"]
    assert listed == [{"name": "chief", "role": "ADMIN"}, {"name": "desk", "role": "EDITOR"}]
    # when: revoked
    revoked = (await _as(db, admin, REVOKE_KEY, name="desk"))["data"]["revokeApiKey"]
    # then
    assert revoked["errors"] == [] and revoked["apiKey"]["revokedAt"] is not None
    refused = await _as(db, payload["key"], factories.CREATE_SOURCE,
                        input={"name": "Kyodo", "kind": "NEWS_AGENCY"})
    assert refused["data"]["createSource"]["errors"][0]["code"] == "UNAUTHENTICATED"


async def test_key_management_is_for_admins_only(db: AsyncEngine) -> None:
    # given
    editor = await new_key(db, Role.EDITOR, "desk")
    # when
    created = (await _as(db, editor, CREATE_KEY, name="x", role="ADMIN"))["data"]
    listed = await _as(db, editor, KEYS)
    anonymous = await _as(db, None, KEYS)
    # then
    assert [e["code"] for e in created["createApiKey"]["errors"]] == ["FORBIDDEN"]
    assert created["createApiKey"]["key"] is None
    assert listed["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    async with db.connect() as connection:
        assert await connection.scalar(text("SELECT count(*) FROM api_key")) == 1


async def test_bad_key_requests_name_their_field(db: AsyncEngine) -> None:
    admin = await new_key(db, Role.ADMIN, "chief")
    duplicate = (await _as(db, admin, CREATE_KEY, name="chief", role="READER"))["data"]
    unknown = (await _as(db, admin, REVOKE_KEY, name="nobody"))["data"]
    assert factories.problems(duplicate["createApiKey"]) == [("DUPLICATE", ["input", "name"])]
    assert factories.problems(unknown["revokeApiKey"]) == [("NOT_FOUND", ["input", "name"])]


async def _reported_claim(gql: GraphQLClient) -> tuple[str, str]:
    claim = await factories.claim(gql)
    report = await factories.attribution(
        gql, claimId=claim, documentId=await factories.document(gql),
        sourceId=await factories.source(gql),
    )
    return claim, report["id"]


async def test_an_admin_hard_retraction_removes_the_attribution_but_not_its_history(
    gql: GraphQLClient, db: AsyncEngine
) -> None:
    # given
    claim, report = await _reported_claim(gql)
    admin = await new_key(db, Role.ADMIN, "chief")
    # when
    result = (await _as(db, admin, RETRACT, id=report, hard=True))["data"]
    # then: gone from current data
    assert result["retractAttribution"] == {"attribution": None, "errors": []}
    found = await gql(HISTORY, {"id": report})
    assert found["node"] is None
    compared = await gql(COMPARISON, {"id": claim})
    assert compared["node"]["comparison"] == {"reportCount": 0, "leftOutCount": 0}
    # and its whole history stays readable
    history = found["history"]
    operations = [e["node"]["operation"] for e in history["edges"]]
    assert operations == ["CREATE", "RETRACT", "HARD_RETRACT"]
    removal = history["edges"][-1]["node"]
    assert removal["actor"] == "chief" and removal["after"] is None
    assert removal["before"]["retractionReason"] == "Quelle erfunden"


async def test_editors_cannot_retract_hard(gql: GraphQLClient) -> None:
    # given
    _, report = await _reported_claim(gql)
    # when
    refused = (await gql(RETRACT, {"id": report, "hard": True}))["retractAttribution"]
    # then: refused, nothing written
    assert [e["code"] for e in refused["errors"]] == ["FORBIDDEN"]
    history = (await gql(HISTORY, {"id": report}))["history"]
    assert [e["node"]["operation"] for e in history["edges"]] == ["CREATE"]


async def test_history_of_unknown_and_malformed_ids(gql: GraphQLClient) -> None:
    unknown = await gql(HISTORY, {"id": factories.global_id("Claim", 999)})
    assert unknown["history"]["totalCount"] == 0 and unknown["node"] is None
    malformed = await gql.raw(HISTORY, {"id": "nonsense"})
    assert malformed["errors"][0]["extensions"]["code"] == "INVALID"
