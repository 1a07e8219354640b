"""ingestDocument: article text in, attributed claims out, as suggestions for review."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests import factories
from tests.support.app import GraphQLClient

SEED = (Path(__file__).parents[3] / "api/demo/kim-putin-vostochny.de.txt").read_text("utf-8")

INGEST = """
mutation($input: IngestDocumentInput!) {
  ingestDocument(input: $input) {
    document { id title language text publisher { name } }
    attributions {
      id quote quoteStart quoteEnd hedges confidence stance method reviewStatus
      extractorVersion
      source { name kind affiliation { name } } via { name kind } origin { name }
      claim { id statement }
      quantity { value unit bound }
    }
    claims { how similarity claim { id } }
    createdSources { name }
    repeated dryRun
    errors { message field code }
  }
}"""

ENGLISH = (
    "Port hit by cyberattack\n\n"
    "The port of Halden was shut down on Monday after a cyberattack, the harbour authority"
    " said. Reuters, citing officials familiar with the matter, reported that up to 300"
    " containers were stranded. The attack was probably carried out by a criminal group,"
    " police said."
)


async def ingest(gql: GraphQLClient, **values: Any) -> dict[str, Any]:
    return await factories.mutate(gql, INGEST, "ingestDocument", **values)


async def test_the_seed_article_becomes_attributed_suggestions(gql: GraphQLClient) -> None:
    # when
    payload = await ingest(gql, text=SEED, publishedAt="2023-09-14T10:00:00+02:00")
    # then
    assert payload["errors"] == []
    document = payload["document"]
    assert document["language"] == "de"  # detected
    assert document["title"].startswith("Einladung zum Gegenbesuch angenommen")
    found = payload["attributions"]
    assert len(found) >= 15
    for item in found:
        assert SEED[item["quoteStart"] : item["quoteEnd"]] == item["quote"]
        assert (item["method"], item["reviewStatus"]) == ("EXTRACTED", "SUGGESTED")
        assert item["extractorVersion"]
    kyodo = next(a for a in found if a["source"]["name"] == "Kyodo")
    assert [v["kind"] for v in kyodo["via"]] == ["ANONYMOUS"]
    assert kyodo["hedges"] == ["voraussichtlich"] and kyodo["confidence"] < 1
    shells = sorted(
        a["quantity"]["value"] for a in found if a["quantity"] and a["quantity"]["unit"] == "shells"
    )
    assert shells == [7_000_000, 11_000_000]
    assert {c["how"] for c in payload["claims"]} <= {"NEW", "SAME_STATEMENT", "SIMILAR_STATEMENT"}


async def test_ingesting_again_writes_nothing(gql: GraphQLClient) -> None:
    # given
    first = await ingest(gql, text=ENGLISH, url="https://example.org/halden")
    totals = await factories.totals(gql)
    # when
    again = await ingest(gql, text=ENGLISH, url="https://example.org/halden")
    # then
    assert again["errors"] == [] and again["repeated"] is True
    assert [a["id"] for a in again["attributions"]] == [a["id"] for a in first["attributions"]]
    assert await factories.totals(gql) == totals


async def test_a_dry_run_returns_everything_and_writes_nothing(gql: GraphQLClient) -> None:
    # given
    before = await factories.totals(gql)
    # when
    payload = await ingest(gql, text=ENGLISH, dryRun=True)
    # then
    assert payload["errors"] == [] and payload["dryRun"] is True
    assert payload["attributions"], payload
    reuters = next(a for a in payload["attributions"] if a["source"]["name"] == "Reuters")
    assert [v["kind"] for v in reuters["via"]] == ["ANONYMOUS"]
    assert reuters["quantity"] == {"value": 300.0, "unit": "containers", "bound": "AT_MOST"}
    assert await factories.totals(gql) == before
    gone = await gql("query($id: ID!) { node(id: $id) { id } }", {"id": reuters["id"]})
    assert gone["node"] is None


async def test_a_known_claim_is_attributed_not_duplicated(gql: GraphQLClient) -> None:
    # given: the same sentence in another outlet's article
    await ingest(gql, text=ENGLISH, url="https://example.org/a")
    other = ENGLISH.replace("Port hit by cyberattack", "Cyberattack on Halden")
    # when
    payload = await ingest(gql, text=other, url="https://example.net/b")
    # then
    assert payload["errors"] == []
    hows = {c["how"] for c in payload["claims"]}
    assert "SAME_STATEMENT" in hows
    assert payload["document"]["publisher"]["name"] == "example.net"


async def test_bad_input_is_refused_and_writes_nothing(gql: GraphQLClient) -> None:
    # given
    await ingest(gql, text=ENGLISH, url="https://example.org/taken")
    before = await factories.totals(gql)
    cases = [
        ({"text": "   "}, "INVALID"),
        ({"text": "x" * 2_000_001}, "INVALID"),
        (
            {"text": "Other text. The minister said it.", "url": "https://example.org/taken"},
            "DUPLICATE",
        ),
        ({"text": ENGLISH + " More.", "language": "english"}, "INVALID"),
        (
            {"text": ENGLISH + " More.", "publisherId": factories.global_id("Source", 999)},
            "NOT_FOUND",
        ),
    ]
    for values, code in cases:
        # when
        payload = await ingest(gql, **values)
        # then
        assert payload["document"] is None
        assert code in [e["code"] for e in payload["errors"]], (values.get("url"), payload)
    assert await factories.totals(gql) == before
