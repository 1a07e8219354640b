"""A document's page: its text with every quote marked as a link to the claim it carries."""

from __future__ import annotations

import re
from html import unescape
from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncEngine

from api.interchange.ids import encode_id
from tests import factories
from tests.api.web.explorer.test_pages import demo, parsed
from tests.support.app import GraphQLClient, serving
from tests.support.sql import StatementCounter

DOCUMENTS = """{ documents(first: 5) { edges { node {
  id title text attributions(first: 100) { edges { node {
    quote quoteStart quoteEnd claim { id } source { name }
  } } }
} } } }"""

MARK = re.compile(r'<a href="([^"]+)" title="([^"]*)"><mark>(.*?)</mark></a>', re.DOTALL)


async def the_article(client: httpx.AsyncClient) -> dict[str, Any]:
    response = await client.post("/graphql", json={"query": DOCUMENTS})
    document: dict[str, Any] = response.json()["data"]["documents"]["edges"][0]["node"]
    return document


def href(kind: str, global_id: str) -> str:
    return f"/{kind}/{global_id.replace('=', '%3D')}"


def text_of(html: str) -> str:
    """The document's text as the page shows it, marks and links taken off."""
    shown = html.split('<div class="document-text" lang="de">')[1].split("</div>")[0]
    return unescape(re.sub(r"<[^>]+>", "", shown))


async def test_document_page_marks_each_quote_as_a_link_to_its_claim(db: AsyncEngine) -> None:
    # given
    await demo(db)
    async with serving(db) as client:
        article = await the_article(client)
        # when
        response = await client.get(href("documents", article["id"]))
    # then
    assert response.status_code == 200
    page = parsed(response.text)
    assert response.text.count("<h1") == 1 and "<title>Document: Einladung" in response.text
    assert 'class="document-text" lang="de"' in response.text
    assert text_of(response.text) == article["text"]
    marks = [(unescape(h), unescape(t), unescape(m)) for h, t, m in MARK.findall(response.text)]
    kyodo = [m for m in marks if m[1] == "Kyodo: affirms"]
    assert len(kyodo) == 1 and kyodo[0][2].startswith("Kim werde voraussichtlich")
    claims = {
        href("claims", edge["node"]["claim"]["id"]) for edge in article["attributions"]["edges"]
    }
    assert {link for link, _, _ in marks} == claims
    assert any(mark.startswith("Kim werde voraussichtlich") for mark in page.marks)
    assert "Reports in this document (29)" in response.text


async def test_overlapping_quotes_are_marked_without_nesting(db: AsyncEngine) -> None:
    # given: the demo article holds one quote inside another, both from the same start
    await demo(db)
    async with serving(db) as client:
        article = await the_article(client)
        spans = [
            (edge["node"]["quoteStart"], edge["node"]["quoteEnd"])
            for edge in article["attributions"]["edges"]
        ]
        assert len({start for start, _ in spans}) < len(spans)
        # when
        response = await client.get(href("documents", article["id"]))
    # then: the marks never nest and the text is whole
    parsed(response.text)
    assert "<mark><a" not in response.text and "</mark><mark>" not in response.text
    assert not re.search(r"<mark>[^<]*<mark>", response.text)
    assert text_of(response.text) == article["text"]


async def test_a_document_with_its_own_quotes_and_an_original_link(
    db: AsyncEngine, gql: GraphQLClient, http: httpx.AsyncClient
) -> None:
    # given: a document with a url, and quotes that touch its edges and each other
    text = "KCNA berichtet: Kim <reist> nach Moskau & bleibt dort."
    publisher = await factories.source(gql, name="KCNA")
    document = await factories.document(
        gql, title="Kim reist", text=text, url="https://example.org/kim", publisherId=publisher
    )
    claim = await factories.claim(gql, statement="Kim reist nach Moskau")
    for start, end in ((0, 14), (14, 38), (30, len(text))):
        await factories.attribution(
            gql, claimId=claim, documentId=document, sourceId=publisher,
            quote=text[start:end], quoteStart=start, quoteEnd=end,
        )  # fmt: skip
    # when
    response = await http.get(href("documents", document))
    # then
    assert response.status_code == 200
    page = parsed(response.text)
    assert text_of(response.text) == text
    assert "&lt;reist&gt;" in response.text and "&amp;" in response.text
    assert len(MARK.findall(response.text)) == 3
    assert '<a href="https://example.org/kim" rel="noopener noreferrer external">' in response.text
    assert href("sources", publisher) in page.links


async def test_unknown_or_other_ids_on_a_document_page_are_not_found(db: AsyncEngine) -> None:
    # given
    await demo(db)
    async with serving(db) as client:
        # when
        responses = [
            await client.get(href("documents", encode_id("Document", 999_999))),
            await client.get(href("documents", encode_id("Source", 1))),
            await client.get("/documents/not-an-id"),
        ]
    # then
    for response in responses:
        assert response.status_code == 404
        parsed(response.text)
        assert "<title>Not found" in response.text and "Traceback" not in response.text
    # and a well-formed id says what it does not name
    assert "No document has this id" in responses[0].text


async def test_the_document_page_is_one_statement(
    db: AsyncEngine, sql_counter: StatementCounter
) -> None:
    # given
    await demo(db)
    async with serving(db) as client:
        article = await the_article(client)
        sql_counter.statements.clear()
        # when
        response = await client.get(href("documents", article["id"]))
    # then: the page's one GraphQL document compiles to one SQL statement
    assert response.status_code == 200
    assert len(sql_counter.statements) <= 2, sql_counter.statements
