"""createDocument: stores what it is given, refuses what it must, writes nothing then."""

from __future__ import annotations

from typing import Any

import pytest

from tests import factories
from tests.support.app import GraphQLClient

MAX_TEXT = 2_000_000

DOCUMENT_COUNT = "{ documents { totalCount } }"


async def create(gql: GraphQLClient, **values: Any) -> dict[str, Any]:
    values = {"title": "Kim trifft Putin", "language": "de", **values}
    return await factories.mutate(gql, factories.CREATE_DOCUMENT, "createDocument", **values)


async def document_count(gql: GraphQLClient) -> int:
    return int((await gql(DOCUMENT_COUNT))["documents"]["totalCount"])


async def test_creates_a_document_with_every_field(gql: GraphQLClient) -> None:
    # given
    yonhap = await factories.source(gql, "Yonhap", "NEWS_AGENCY")
    # when
    payload = await create(
        gql,
        title="Kim Jong Un in Wladiwostok",
        language="de",
        url="https://example.org/kim-putin",
        publishedAt="2023-09-14T06:00:00+00:00",
        publisherId=yonhap,
        text="Putin hat die Einladung angenommen.",
    )
    # then
    assert payload["errors"] == []
    document = payload["document"]
    assert document["title"] == "Kim Jong Un in Wladiwostok"
    assert document["language"] == "de"
    assert document["url"] == "https://example.org/kim-putin"
    assert document["publishedAt"] == "2023-09-14T06:00:00+00:00"
    assert document["publisher"] == {"id": yonhap, "name": "Yonhap"}
    assert document["text"] == "Putin hat die Einladung angenommen."
    assert await document_count(gql) == 1


async def test_optional_fields_may_be_left_out(gql: GraphQLClient) -> None:
    # when
    payload = await create(gql, title="Ohne alles", language="en-GB")
    # then
    assert payload["errors"] == []
    document = payload["document"]
    assert document["language"] == "en-GB"
    assert (document["url"], document["publishedAt"], document["publisher"], document["text"]) == (
        None,
        None,
        None,
        None,
    )


@pytest.mark.parametrize("language", ["de", "en-GB"])
async def test_accepts_well_formed_language_tags(gql: GraphQLClient, language: str) -> None:
    # when
    payload = await create(gql, language=language)
    # then
    assert payload["errors"] == []
    assert payload["document"]["language"] == language


@pytest.mark.parametrize(
    ("values", "code", "field"),
    [
        ({"title": ""}, "INVALID", ["input", "title"]),
        ({"title": " \n\t "}, "INVALID", ["input", "title"]),
        ({"language": "english"}, "INVALID", ["input", "language"]),
        ({"language": "de_DE"}, "INVALID", ["input", "language"]),
        ({"language": ""}, "INVALID", ["input", "language"]),
        ({"language": "zz"}, "INVALID", ["input", "language"]),
        ({"url": "not a url"}, "INVALID", ["input", "url"]),
        ({"publishedAt": "2023-09-14T06:00:00"}, "INVALID", ["input", "publishedAt"]),
        ({"text": "   "}, "INVALID", ["input", "text"]),
        ({"text": "x" * (MAX_TEXT + 1)}, "INVALID", ["input", "text"]),
        (
            {"publisherId": factories.global_id("Source", 999)},
            "NOT_FOUND",
            ["input", "publisherId"],
        ),
        ({"publisherId": factories.global_id("Claim", 1)}, "NOT_FOUND", ["input", "publisherId"]),
        ({"publisherId": "not an id"}, "NOT_FOUND", ["input", "publisherId"]),
    ],
    ids=[
        "empty-title",
        "blank-title",
        "language-english",
        "language-underscore",
        "language-empty",
        "language-zz",
        "bad-url",
        "naive-publishedAt",
        "blank-text",
        "oversized-text",
        "unknown-publisher",
        "publisher-of-wrong-type",
        "malformed-publisher",
    ],
)
async def test_refuses_bad_input_and_writes_nothing(
    gql: GraphQLClient, values: dict[str, Any], code: str, field: list[str]
) -> None:
    # given
    await factories.claim(gql)  # a Claim:1 exists, so only its type makes that id wrong
    # when
    payload = await create(gql, **values)
    # then
    assert payload["document"] is None
    assert factories.problems(payload) == [(code, field)]
    assert await document_count(gql) == 0


async def test_text_of_exactly_the_limit_is_stored(gql: GraphQLClient) -> None:
    # given: the limit counts code points, so a non-BMP character counts once
    text = "ä" * (MAX_TEXT - 1) + "🙂"
    # when
    payload = await create(gql, text=text)
    # then
    assert payload["errors"] == []
    assert payload["document"]["text"] == text
    assert await document_count(gql) == 1


async def test_duplicate_url_is_refused(gql: GraphQLClient) -> None:
    # given
    first = await create(gql, url="https://example.org/a")
    assert first["errors"] == []
    # when
    payload = await create(gql, title="Noch einmal", url="https://example.org/a")
    # then
    assert payload["document"] is None
    assert factories.problems(payload) == [("DUPLICATE", ["input", "url"])]
    assert await document_count(gql) == 1


async def test_documents_without_url_are_not_duplicates(gql: GraphQLClient) -> None:
    # when
    first = await create(gql)
    second = await create(gql)
    # then
    assert first["errors"] == second["errors"] == []
    assert await document_count(gql) == 2


async def test_reports_every_problem_at_once(gql: GraphQLClient) -> None:
    # given
    await create(gql, url="https://example.org/taken")
    # when
    payload = await create(
        gql,
        title="  ",
        language="english",
        url="https://example.org/taken",
        publishedAt="2023-09-14T06:00:00",
        publisherId=factories.global_id("Source", 42),
    )
    # then
    assert payload["document"] is None
    assert sorted(factories.problems(payload)) == sorted(
        [
            ("INVALID", ["input", "title"]),
            ("INVALID", ["input", "language"]),
            ("DUPLICATE", ["input", "url"]),
            ("INVALID", ["input", "publishedAt"]),
            ("NOT_FOUND", ["input", "publisherId"]),
        ]
    )
    assert await document_count(gql) == 1


async def test_created_document_can_be_refetched(gql: GraphQLClient) -> None:
    # given
    payload = await create(gql, url="https://example.org/b", text="Grüße aus Pjöngjang")
    created = payload["document"]
    # when
    data = await gql(
        "query($id: ID!) { node(id: $id) { ... on Document {"
        " id url title language publishedAt text publisher { id name } } } }",
        {"id": created["id"]},
    )
    # then
    assert data["node"] == created
