"""addAttribution: defaults, chains, quotes placed in the text, and refusals that write nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pytest

from tests import factories
from tests.support.app import GraphQLClient

# Before the quote: an emoji with a skin-tone modifier (2 code points, 4 UTF-16 units), an `e`
# with a combining acute accent (2 code points), and a flag (2 regional indicators).
TEXT = (
    "👍🏽 Cafe\u0301 🇰🇵 — Kim lächelt. Grüße aus Pjöngjang, meldet KCNA. KCNA zufolge reist Putin."
)
QUOTE = "Grüße aus Pjöngjang"
QUOTE_START = 27  # in code points; UTF-16 would say 31, UTF-8 bytes 43
QUOTE_END = 46
PUBLISHED = "2023-09-14T06:00:00+00:00"


@dataclass(frozen=True)
class World:
    claim: str
    document: str  # published by Yonhap at PUBLISHED, carrying TEXT
    bare: str  # no publisher, no time, no text
    yonhap: str
    kcna: str
    unnamed: str
    kim: str


@pytest.fixture
async def world(gql: GraphQLClient) -> World:
    yonhap = await factories.source(gql, "Yonhap", "NEWS_AGENCY")
    kcna = await factories.source(gql, "KCNA", "NEWS_AGENCY", stateAffiliated=True)
    unnamed = await factories.source(gql, "unnamed sources", "ANONYMOUS")
    kim = await factories.source(gql, "Kim Yo Jong", "PERSON")
    return World(
        claim=await factories.claim(gql),
        document=await factories.document(
            gql, publisherId=yonhap, publishedAt=PUBLISHED, text=TEXT
        ),
        bare=await factories.document(gql, "Ohne Text", text=None),
        yonhap=yonhap,
        kcna=kcna,
        unnamed=unnamed,
        kim=kim,
    )


async def add(gql: GraphQLClient, world: World, **values: Any) -> dict[str, Any]:
    base = {"claimId": world.claim, "documentId": world.document, "sourceId": world.kcna}
    return await factories.mutate(
        gql, factories.ADD_ATTRIBUTION, "addAttribution", **{**base, **values}
    )


def ids(sources: list[dict[str, str]]) -> list[str]:
    return [source["id"] for source in sources]


async def test_defaults(gql: GraphQLClient, world: World) -> None:
    # when
    payload = await add(gql, world)
    # then
    assert payload["errors"] == []
    attribution = payload["attribution"]
    assert attribution["confidence"] == 1.0
    assert attribution["stance"] == "AFFIRMS"
    assert attribution["reportedAt"] == PUBLISHED
    assert attribution["hedges"] == []
    assert [attribution[key] for key in ("quote", "quoteStart", "quoteEnd")] == [None] * 3
    assert attribution["quantity"] is None
    assert attribution["claim"]["id"] == world.claim
    assert attribution["document"]["id"] == world.document


async def test_stores_every_field(gql: GraphQLClient, world: World) -> None:
    # when
    payload = await add(
        gql,
        world,
        stance="DENIES",
        confidence=0.4,
        hedges=["voraussichtlich", "bis zu"],
        quantity={"value": 3, "unit": "Tage", "bound": "AT_MOST"},
        reportedAt="2023-09-13T18:30:00+09:00",
    )
    # then
    assert payload["errors"] == []
    attribution = payload["attribution"]
    assert (attribution["stance"], attribution["confidence"]) == ("DENIES", 0.4)
    assert attribution["hedges"] == ["voraussichtlich", "bis zu"]
    assert attribution["quantity"] == {"value": 3.0, "unit": "Tage", "bound": "AT_MOST"}
    assert datetime.fromisoformat(attribution["reportedAt"]) == datetime.fromisoformat(
        "2023-09-13T09:30:00+00:00"
    )


@pytest.mark.parametrize("confidence", [0.0, 1.0])
async def test_confidence_bounds_are_accepted(
    gql: GraphQLClient, world: World, confidence: float
) -> None:
    payload = await add(gql, world, confidence=confidence)
    assert payload["errors"] == []
    assert payload["attribution"]["confidence"] == confidence


async def test_chain_is_publisher_source_then_via_in_given_order(
    gql: GraphQLClient, world: World
) -> None:
    # when: via is given against the order of creation (and of ids)
    payload = await add(gql, world, via=[world.kim, world.unnamed])
    # then
    attribution = payload["attribution"]
    assert attribution["source"]["id"] == world.kcna
    assert ids(attribution["via"]) == [world.kim, world.unnamed]
    assert ids(attribution["chain"]) == [world.yonhap, world.kcna, world.kim, world.unnamed]
    assert attribution["origin"]["id"] == world.unnamed


async def test_origin_is_the_source_without_via(gql: GraphQLClient, world: World) -> None:
    attribution = (await add(gql, world))["attribution"]
    assert ids(attribution["chain"]) == [world.yonhap, world.kcna]
    assert attribution["origin"]["id"] == world.kcna


async def test_publisher_speaking_itself_stands_once(gql: GraphQLClient, world: World) -> None:
    attribution = (await add(gql, world, sourceId=world.yonhap, via=[world.unnamed]))["attribution"]
    assert ids(attribution["chain"]) == [world.yonhap, world.unnamed]
    assert attribution["origin"]["id"] == world.unnamed


async def test_document_without_publisher_or_time(gql: GraphQLClient, world: World) -> None:
    attribution = (await add(gql, world, documentId=world.bare))["attribution"]
    assert ids(attribution["chain"]) == [world.kcna]
    assert attribution["reportedAt"] is None


async def test_quote_is_located_in_code_points(gql: GraphQLClient, world: World) -> None:
    # when
    attribution = (await add(gql, world, quote=QUOTE))["attribution"]
    # then
    assert (attribution["quoteStart"], attribution["quoteEnd"]) == (QUOTE_START, QUOTE_END)
    assert TEXT[attribution["quoteStart"] : attribution["quoteEnd"]] == QUOTE


async def test_offsets_without_quote_fill_the_quote(gql: GraphQLClient, world: World) -> None:
    payload = await add(gql, world, quoteStart=QUOTE_START, quoteEnd=QUOTE_START + 5)
    assert payload["attribution"]["quote"] == "Grüße"


async def test_quote_with_matching_offsets_is_kept(gql: GraphQLClient, world: World) -> None:
    # given: "KCNA" occurs twice, the offsets say which one
    second = TEXT.rindex("KCNA")
    # when
    payload = await add(gql, world, quote="KCNA", quoteStart=second, quoteEnd=second + 4)
    # then
    assert payload["errors"] == []
    assert payload["attribution"]["quoteStart"] == second


UNKNOWN = {
    "claim": factories.global_id("Claim", 999),
    "document": factories.global_id("Document", 999),
    "source": factories.global_id("Source", 999),
}


def resolve(value: Any, world: World) -> Any:
    """Case values name the world's objects as "@name" (UNKNOWN ones as "?name")."""
    if isinstance(value, dict):
        return {key: resolve(item, world) for key, item in value.items()}
    if isinstance(value, list):
        return [resolve(item, world) for item in value]
    if isinstance(value, str) and value[:1] == "@":
        return getattr(world, value[1:])
    if isinstance(value, str) and value[:1] == "?":
        return UNKNOWN[value[1:]]
    return value


def refusal(name: str, values: dict[str, Any], code: str, *field: str) -> Any:
    return pytest.param(values, code, ["input", *field], id=name)


@pytest.mark.parametrize(
    ("values", "code", "field"),
    [
        refusal("confidence-above-1", {"confidence": 1.5}, "INVALID", "confidence"),
        refusal("confidence-below-0", {"confidence": -0.1}, "INVALID", "confidence"),
        refusal("unknown-claim", {"claimId": "?claim"}, "NOT_FOUND", "claimId"),
        refusal("claim-id-of-a-source", {"claimId": "@kcna"}, "NOT_FOUND", "claimId"),
        refusal("unknown-document", {"documentId": "?document"}, "NOT_FOUND", "documentId"),
        refusal("document-id-of-a-claim", {"documentId": "@claim"}, "NOT_FOUND", "documentId"),
        refusal("unknown-source", {"sourceId": "?source"}, "NOT_FOUND", "sourceId"),
        refusal("source-id-of-a-document", {"sourceId": "@document"}, "NOT_FOUND", "sourceId"),
        refusal("malformed-source-id", {"sourceId": "bm9wZQ"}, "NOT_FOUND", "sourceId"),
        refusal("unknown-via", {"via": ["@kim", "?source"]}, "NOT_FOUND", "via", "1"),
        refusal("via-of-wrong-type", {"via": ["@claim"]}, "NOT_FOUND", "via", "0"),
        refusal("via-repeats", {"via": ["@kim", "@unnamed", "@kim"]}, "INVALID", "via"),
        refusal("via-has-the-source", {"via": ["@unnamed", "@kcna"]}, "INVALID", "via"),
        refusal("naive-reportedAt", {"reportedAt": "2023-09-14T06:00:00"}, "INVALID", "reportedAt"),
        refusal("quote-not-found", {"quote": "Seoul"}, "INVALID", "quote"),
        refusal("quote-ambiguous", {"quote": "KCNA"}, "AMBIGUOUS", "quote"),
        refusal(
            "quote-not-the-slice",
            {"quote": "Grüße", "quoteStart": 28, "quoteEnd": 33},
            "INVALID",
            "quote",
        ),
        refusal("quote-empty", {"quote": ""}, "INVALID", "quote"),
        refusal("only-quoteStart", {"quoteStart": 0}, "INVALID", "quoteEnd"),
        refusal("offsets-reversed", {"quoteStart": 5, "quoteEnd": 2}, "INVALID", "quoteStart"),
        refusal("offsets-beyond-text", {"quoteStart": 80, "quoteEnd": 87}, "INVALID", "quoteStart"),
        refusal("quote-without-text", {"documentId": "@bare", "quote": "Kim"}, "INVALID", "quote"),
        refusal("blank-hedge", {"hedges": [" "]}, "INVALID", "hedges", "0"),
    ],
)
async def test_refuses_bad_input_and_writes_nothing(
    gql: GraphQLClient, world: World, values: dict[str, Any], code: str, field: list[str]
) -> None:
    # when: each case breaks one rule of an otherwise good input
    payload = await add(gql, world, **{"via": [world.unnamed], **resolve(values, world)})
    # then
    assert payload["attribution"] is None
    assert factories.problems(payload) == [(code, field)]
    assert set(await factories.attribution_totals(gql)) == {0}
    for source in (world.yonhap, world.kcna, world.unnamed, world.kim):
        assert await factories.claims_citing(gql, source) == 0  # no chain rows either
    lookup = "query($id: ID!) { node(id: $id) { id } }"
    assert (await gql(lookup, {"id": factories.global_id("Attribution", 1)}))["node"] is None


async def test_reports_every_problem_at_once(gql: GraphQLClient, world: World) -> None:
    # when
    payload = await add(
        gql,
        world,
        claimId=factories.global_id("Claim", 999),
        confidence=1.5,
        reportedAt="2023-09-14T06:00:00",
        quote="Seoul",
        via=[world.kcna],
    )
    # then
    assert payload["attribution"] is None
    assert sorted(factories.problems(payload)) == sorted(
        [
            ("NOT_FOUND", ["input", "claimId"]),
            ("INVALID", ["input", "confidence"]),
            ("INVALID", ["input", "reportedAt"]),
            ("INVALID", ["input", "quote"]),
            ("INVALID", ["input", "via"]),
        ]
    )
    assert set(await factories.attribution_totals(gql)) == {0}


async def test_undecodable_ids_are_only_not_found(gql: GraphQLClient, world: World) -> None:
    # when: neither id names a source; the client repeated nothing
    payload = await add(gql, world, sourceId="garbage", via=[world.claim, world.document])
    # then
    assert factories.problems(payload) == [
        ("NOT_FOUND", ["input", "sourceId"]),
        ("NOT_FOUND", ["input", "via", "0"]),
        ("NOT_FOUND", ["input", "via", "1"]),
    ]


TWICE = """
mutation($input: AddAttributionInput!) {
  first: addAttribution(input: $input) { attribution { id claim { attributions { totalCount } } } }
  second: addAttribution(input: $input) { attribution { id claim { attributions { totalCount } } } }
}"""


async def test_serial_mutations_see_each_others_writes(gql: GraphQLClient, world: World) -> None:
    # when: two mutations in one request run one after the other
    data = await gql(
        TWICE,
        {"input": {"claimId": world.claim, "documentId": world.document, "sourceId": world.kcna}},
    )
    # then
    assert data["first"]["attribution"]["claim"]["attributions"]["totalCount"] == 1
    assert data["second"]["attribution"]["claim"]["attributions"]["totalCount"] == 2
