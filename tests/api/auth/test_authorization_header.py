"""A malformed Authorization header is refused with what is wrong with it.

Every refusal keeps the code UNAUTHENTICATED, and for reads asked as
graphql-response+json the 401 with `WWW-Authenticate: Bearer`; only the message
differs, and it never echoes the header (which may hold the secret).
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from api.auth.authenticator import presented_key
from api.auth.roles import KeyProblem, Role
from tests.support.app import new_key, serving

GRAPHQL_RESPONSE = "application/graphql-response+json"
SOURCES = "{ sources { totalCount } }"
CREATE_SOURCE = """mutation { createSource(input: {name: "KCNA", kind: NEWS_AGENCY}) {
  source { id } errors { message code } } }"""
NO_SCHEME = "the Authorization header must be 'Bearer <key>': the scheme is missing"
OTHER_SCHEME = (
    "the Authorization header must be 'Bearer <key>': only the Bearer scheme is supported"
)
NO_KEY = "the Authorization header must be 'Bearer <key>': the key is missing"
UNKNOWN = "the API key is unknown or revoked"


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("cg_abc", KeyProblem.NO_SCHEME),
        ("  cg_abc  ", KeyProblem.NO_SCHEME),
        ("Basic dXNlcjpwYXNz", KeyProblem.OTHER_SCHEME),
        ("Token cg_abc", KeyProblem.OTHER_SCHEME),
        ("Bearer", KeyProblem.NO_KEY),
        ("bearer   ", KeyProblem.NO_KEY),
        ("   ", KeyProblem.NO_KEY),
        ("Bearer cg_abc", "cg_abc"),
        ("bEARER \t cg_abc ", "cg_abc"),
    ],
)
def test_a_header_yields_its_key_or_what_is_wrong(header: str, expected: object) -> None:
    assert presented_key(header) == expected


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ("{key}", NO_SCHEME),
        ("Basic dXNlcjpwYXNz", OTHER_SCHEME),
        ("Bearer ", NO_KEY),
        ("Bearer cg_unknown", UNKNOWN),
    ],
)
async def test_a_refused_read_says_what_is_wrong_with_the_header(
    db: AsyncEngine, header: str, message: str
) -> None:
    # given: a valid editor key, sent the wrong way (or a wrong key sent the right way)
    key = await new_key(db, Role.EDITOR)
    headers = {"Authorization": header.format(key=key), "Accept": GRAPHQL_RESPONSE}
    async with serving(db) as client:
        # when
        response = await client.post("/graphql", json={"query": SOURCES}, headers=headers)
    # then: 401 with the challenge, the same code, the message that fits
    body: dict[str, Any] = response.json()
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert body["errors"][0]["message"] == message
    assert key not in response.text


async def test_a_refused_write_says_the_scheme_is_missing(db: AsyncEngine) -> None:
    # given
    key = await new_key(db, Role.EDITOR)
    async with serving(db) as client:
        # when: the key is sent without "Bearer "
        response = await client.post(
            "/graphql", json={"query": CREATE_SOURCE}, headers={"Authorization": key}
        )
    # then: errors as data, as for every refused write
    payload = response.json()["data"]["createSource"]
    assert payload == {
        "source": None,
        "errors": [{"message": NO_SCHEME, "code": "UNAUTHENTICATED"}],
    }


async def test_an_interchange_route_says_only_bearer_is_supported(db: AsyncEngine) -> None:
    # given
    async with serving(db) as client:
        # when
        response = await client.get(
            "/claims/Q2xhaW06MQ==/prov.json", headers={"Authorization": "Basic dXNlcjpwYXNz"}
        )
    # then
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert response.json()["errors"][0] == {
        "message": OTHER_SCHEME,
        "extensions": {"code": "UNAUTHENTICATED"},
    }
