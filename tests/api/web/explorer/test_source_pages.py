"""A source's page and two sources compared, over the demo data, driven as a browser."""

from __future__ import annotations

import re
from html import unescape

import httpx
from sqlalchemy.ext.asyncio import AsyncEngine

from api.interchange.ids import encode_id
from tests import factories
from tests.api.web.explorer.test_pages import demo, parsed
from tests.support.app import TEST_SETTINGS, GraphQLClient, serving
from tests.support.sql import StatementCounter

SOURCES = "{ sources(first: 100) { edges { node { id name } } } }"

CLAIMS_OF = """
query($id: ID!) {
  node(id: $id) { ... on Source { attributions(first: 5) { edges { node {
    claim { id } document { id }
  } } } } }
}"""


async def source_ids(client: httpx.AsyncClient) -> dict[str, str]:
    response = await client.post("/graphql", json={"query": SOURCES})
    edges = response.json()["data"]["sources"]["edges"]
    return {edge["node"]["name"]: edge["node"]["id"] for edge in edges}


def href(kind: str, global_id: str) -> str:
    return f"/{kind}/{global_id.replace('=', '%3D')}"


async def test_source_page_lists_its_reports_and_offers_a_comparison(db: AsyncEngine) -> None:
    # given
    await demo(db)
    async with serving(db) as client:
        ids = await source_ids(client)
        # when
        response = await client.get(href("sources", ids["Kyodo"]))
    # then
    assert response.status_code == 200
    page = parsed(response.text)
    assert "<h1>Kyodo</h1>" in response.text and "<title>Source: Kyodo" in response.text
    assert response.text.count("<h1") == 1
    assert "news agency" in response.text and "Kyodo Tsushin" in response.text
    assert "Kim Jong Un wird eine Fabrik besuchen" in response.text
    assert any(link.startswith("/claims/") for link in page.links)
    assert any(link.startswith("/documents/") for link in page.links)
    # and the publisher that names Kyodo cites it
    assert href("sources", ids["Seed article publisher (unidentified outlet)"]) in page.links
    # and the comparison form sends this source as a, another as b
    assert '<form method="get" action="/compare"' in response.text
    assert f'<input type="hidden" name="a" value="{ids["Kyodo"]}">' in response.text
    assert '<label for="b">' in response.text and '<select id="b" name="b">' in response.text
    options = re.findall(r'<option value="([^"]+)">([^<]+)</option>', response.text)
    assert ids["Kyodo"] not in {value for value, _ in options}
    names = [unescape(name) for _, name in options]
    assert names == sorted(names, key=str.casefold) and "KCNA" in names


async def test_who_cites_an_unnamed_source(db: AsyncEngine) -> None:
    # given: Kyodo cites unnamed sources
    await demo(db)
    async with serving(db) as client:
        ids = await source_ids(client)
        # when
        response = await client.get(href("sources", ids["Ungenannte Quellen (Kyodo)"]))
    # then
    assert response.status_code == 200
    cited = response.text.split('id="citing"')[1].split("</section>")[0]
    assert href("sources", ids["Kyodo"]) in cited


async def test_a_long_source_page_goes_on_with_a_next_link(db: AsyncEngine) -> None:
    # given: the demo article's publisher, in every one of its 29 chains
    await demo(db)
    async with serving(db) as client:
        ids = await source_ids(client)
        first = await client.get(
            href("sources", ids["Seed article publisher (unidentified outlet)"])
        )
        # when
        following = re.search(r'<a href="([^"]+)" rel="next">Next page</a>', first.text)
        assert following, first.text
        second = await client.get(unescape(following.group(1)))
    # then
    assert second.status_code == 200
    parsed(second.text)
    assert first.text.count('<li>\n      <a href="/claims/') == 20
    assert second.text.count('<li>\n      <a href="/claims/') == 9
    assert 'rel="next"' not in second.text


async def test_compare_shows_shared_claims_and_how_often_they_agree(
    db: AsyncEngine, gql: GraphQLClient, http: httpx.AsyncClient
) -> None:
    # given: the Kremlin denies the claim KCNA reported
    await demo(db)
    ids = await source_ids(http)
    reported = await gql(CLAIMS_OF, {"id": ids["KCNA"]})
    report = reported["node"]["attributions"]["edges"][0]["node"]
    await factories.attribution(
        gql,
        claimId=report["claim"]["id"],
        documentId=report["document"]["id"],
        sourceId=ids["Kremlin"],
        stance="DENIES",
        confidence=0.9,
    )
    # when
    response = await http.get("/compare", params={"a": ids["KCNA"], "b": ids["Kremlin"]})
    # then
    assert response.status_code == 200
    page = parsed(response.text)
    assert {href("sources", ids["KCNA"]), href("sources", ids["Kremlin"])} <= set(page.links)
    assert "<strong>0%</strong>" in response.text
    assert "Reported by both (1)" in response.text
    assert href("claims", report["claim"]["id"]) in page.links
    assert "KCNA: affirms" in response.text and "Kremlin: denies" in response.text
    assert "they disagree" in response.text
    assert "Only KCNA (0)" in response.text and "Only Kremlin (2)" in response.text


async def test_compare_without_shared_claims_says_so(db: AsyncEngine) -> None:
    # given
    await demo(db)
    async with serving(db) as client:
        ids = await source_ids(client)
        # when
        response = await client.get("/compare", params={"a": ids["KCNA"], "b": ids["Kremlin"]})
    # then
    assert response.status_code == 200
    parsed(response.text)
    assert "No shared claims." in response.text
    assert "Only KCNA (1)" in response.text and "Only Kremlin (2)" in response.text


async def test_compare_with_a_missing_or_mangled_source_is_a_bad_request(db: AsyncEngine) -> None:
    # given
    await demo(db)
    async with serving(db) as client:
        ids = await source_ids(client)
        # when
        missing = await client.get("/compare", params={"a": ids["KCNA"]})
        mangled = await client.get("/compare", params={"a": ids["KCNA"], "b": "not-an-id"})
        neither = await client.get("/compare")
    # then
    for response in (missing, mangled, neither):
        assert response.status_code == 400
        parsed(response.text)
        assert "<title>Bad request" in response.text and "Traceback" not in response.text
    assert "the address names no b" in missing.text
    assert "The b of the comparison is not a source" in mangled.text


async def test_compare_with_an_unknown_source_is_not_found(db: AsyncEngine) -> None:
    # given
    await demo(db)
    async with serving(db) as client:
        ids = await source_ids(client)
        # when
        unknown = await client.get(
            "/compare", params={"a": ids["KCNA"], "b": encode_id("Source", 999_999)}
        )
        claim = await client.get("/compare", params={"a": encode_id("Claim", 1), "b": ids["KCNA"]})
    # then
    for response in (unknown, claim):
        assert response.status_code == 404
        assert "<title>Not found" in response.text and "No source has this id" in response.text


async def test_unknown_or_other_ids_on_a_source_page_are_not_found(db: AsyncEngine) -> None:
    # given
    await demo(db)
    async with serving(db) as client:
        # when
        responses = [
            await client.get(href("sources", encode_id("Source", 999_999))),
            await client.get(href("sources", encode_id("Claim", 1))),
            await client.get("/sources/not-an-id"),
        ]
    # then
    for response in responses:
        assert response.status_code == 404
        parsed(response.text)
        assert "<title>Not found" in response.text and "Traceback" not in response.text


async def test_each_page_reads_in_a_few_statements(
    db: AsyncEngine, sql_counter: StatementCounter
) -> None:
    # given
    await demo(db)
    async with serving(db) as client:
        ids = await source_ids(client)
        # when
        sql_counter.statements.clear()
        source = await client.get(href("sources", ids["Kyodo"]))
        on_source = sql_counter.count
        sql_counter.statements.clear()
        compared = await client.get("/compare", params={"a": ids["KCNA"], "b": ids["Kremlin"]})
        on_compare = sql_counter.count
    assert source.status_code == compared.status_code == 200
    # and each page's one GraphQL document compiles to one SQL statement
    assert on_source <= 2, sql_counter.statements
    assert on_compare <= 2, sql_counter.statements


async def test_under_a_prefix_every_link_and_form_keeps_it(db: AsyncEngine) -> None:
    # given the explorer mounted under /explore
    await demo(db)
    mounted = TEST_SETTINGS.model_copy(update={"explorer_prefix": "/explore"})
    async with serving(db, mounted) as client:
        ids = await source_ids(client)
        # when
        source = await client.get("/explore" + href("sources", ids["Kyodo"]))
        compared = await client.get(
            "/explore/compare", params={"a": ids["KCNA"], "b": ids["Kyodo"]}
        )
    # then
    assert source.status_code == compared.status_code == 200
    assert '<form method="get" action="/explore/compare"' in source.text
    for response in (source, compared):
        internal = [link for link in parsed(response.text).links if link.startswith("/")]
        assert internal and all(link.startswith("/explore/") for link in internal)
