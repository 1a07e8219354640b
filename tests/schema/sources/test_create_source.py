"""createSource: stores what it is given, refuses what it must, writes nothing then."""

from __future__ import annotations

import pytest

from tests import factories
from tests.support.app import GraphQLClient

COUNT = "{ sources { totalCount } }"


async def test_creates_a_source_with_every_field(gql: GraphQLClient) -> None:
    # given
    rusi = await factories.source(gql, "RUSI", "THINK_TANK")
    # when
    payload = await factories.mutate(
        gql, factories.CREATE_SOURCE, "createSource",
        name="Jack Watling", kind="PERSON", aliases=["J. Watling", "Watling"],
        affiliationId=rusi, reliability="B", stateAffiliated=False,
    )
    # then
    assert payload["errors"] == []
    source = payload["source"]
    assert source["name"] == "Jack Watling"
    assert source["kind"] == "PERSON"
    assert source["aliases"] == ["J. Watling", "Watling"]
    assert source["reliability"] == "B"
    assert source["affiliation"] == {"id": rusi, "name": "RUSI"}


@pytest.mark.parametrize(
    ("values", "code", "field"),
    [
        ({"name": "  "}, "INVALID", ["input", "name"]),
        ({"name": ""}, "INVALID", ["input", "name"]),
        ({"name": "x" * 501}, "INVALID", ["input", "name"]),
        ({"name": "nul\x00byte"}, "INVALID", ["input", "name"]),
        ({"aliases": [" "]}, "INVALID", ["input", "aliases", "0"]),
        ({"affiliationId": "U291cmNlOjk5OTk="}, "NOT_FOUND", ["input", "affiliationId"]),
        ({"affiliationId": "Q2xhaW06MQ=="}, "NOT_FOUND", ["input", "affiliationId"]),
        ({"affiliationId": "not an id"}, "NOT_FOUND", ["input", "affiliationId"]),
    ],
)
async def test_refuses_bad_input_and_writes_nothing(
    gql: GraphQLClient, values: dict[str, object], code: str, field: list[str]
) -> None:
    # given
    values = {"name": "KCNA", "kind": "NEWS_AGENCY", **values}
    # when
    payload = await factories.mutate(gql, factories.CREATE_SOURCE, "createSource", **values)
    # then
    assert payload["source"] is None
    assert [(e["code"], e["field"]) for e in payload["errors"]] == [(code, field)]
    assert (await gql(COUNT))["sources"]["totalCount"] == 0


async def test_unknown_enum_is_a_graphql_error(gql: GraphQLClient) -> None:
    body = await gql.raw(factories.CREATE_SOURCE, {"input": {"name": "X", "kind": "BLOG"}})
    assert body["errors"] and "BLOG" in body["errors"][0]["message"]
    assert (await gql(COUNT))["sources"]["totalCount"] == 0
