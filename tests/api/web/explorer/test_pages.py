"""The explorer's pages over the demo data, driven through the app as a browser would."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import unquote

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from api.db import create_session_factory
from api.demo.loader import load_demo
from api.interchange.ids import encode_id
from tests.support.app import TEST_SETTINGS, serving

VOID = {"meta", "link", "input", "br", "img", "hr", "source", "wbr"}


class Balance(HTMLParser):
    """Checks that every opened element is closed, in order; collects links."""

    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []
        self.links: list[str] = []
        self.marks: list[str] = []
        self._in_mark = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self.links.append(dict(attrs).get("href") or "")
        self._in_mark = tag == "mark"
        if tag not in VOID:
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.open and self.open[-1] == tag, f"</{tag}> closes {self.open[-1:]}"
        self.open.pop()
        self._in_mark = False

    def handle_data(self, data: str) -> None:
        if self._in_mark:
            self.marks.append(data)


def parsed(html: str) -> Balance:
    page = Balance()
    page.feed(html)
    page.close()
    assert page.open == [], f"unclosed: {page.open}"
    return page


async def demo(db: AsyncEngine) -> None:
    async with create_session_factory(db).begin() as session:
        await load_demo(session)


async def sukhoi_page(client: httpx.AsyncClient) -> tuple[str, httpx.Response]:
    found = await client.get("/", params={"q": "Sukhoi"})
    links = [h for h in parsed(found.text).links if h.startswith("/claims/")]
    assert links, found.text
    return links[0], await client.get(links[0])


async def test_search_lists_the_claim_with_a_link(db: AsyncEngine) -> None:
    # given
    await demo(db)
    async with serving(db) as client:
        # when
        response = await client.get("/", params={"q": "Sukhoi"})
    # then
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    page = parsed(response.text)
    claim_links = [h for h in page.links if h.startswith("/claims/")]
    assert claim_links
    assert unquote(claim_links[0].removeprefix("/claims/")).startswith("Q2xhaW06")  # Claim:
    assert "Sukhoi" in response.text and "independent origin" in response.text
    assert '<html lang="en">' in response.text and "<title>" in response.text


async def test_claim_page_shows_source_chain_hedge_and_confidence(db: AsyncEngine) -> None:
    # given
    await demo(db)
    async with serving(db) as client:
        # when
        href, response = await sukhoi_page(client)
        exports = [await client.get(f"{href}/{name}") for name in ("prov.json", "comparison.csv")]
    # then
    assert response.status_code == 200
    page = parsed(response.text)
    assert "Kyodo" in response.text
    assert "Ungenannte Quellen (Kyodo)" in response.text
    assert "<mark>voraussichtlich</mark>" in response.text
    assert "0.75" in response.text
    assert "voraussichtlich" in page.marks
    assert {f"{href}/prov.json", f"{href}/claimreview.jsonld"} <= set(page.links)
    assert [e.status_code for e in exports] == [200, 200]
    assert 'lang="de"' in response.text


async def test_unknown_and_malformed_ids_are_a_404_page(db: AsyncEngine) -> None:
    # given
    await demo(db)
    unknown = encode_id("Claim", 999_999)
    async with serving(db) as client:
        # when
        responses = [
            await client.get(f"/claims/{unknown}"),
            await client.get("/claims/not-an-id"),
            await client.get(f"/claims/{encode_id('Source', 1)}"),
        ]
    # then
    for response in responses:
        assert response.status_code == 404
        assert response.headers["content-type"].startswith("text/html")
        parsed(response.text)
        assert "<title>Not found" in response.text
        assert "Traceback" not in response.text


async def test_empty_search_shows_the_form_only(db: AsyncEngine) -> None:
    # given
    await demo(db)
    async with serving(db) as client:
        # when
        responses = [await client.get("/"), await client.get("/", params={"q": "  "})]
    # then
    for response in responses:
        assert response.status_code == 200
        parsed(response.text)
        assert '<input type="search" id="q" name="q"' in response.text
        assert '<label for="q">' in response.text
        assert "found</h2>" not in response.text


async def test_pages_load_nothing_from_another_host(db: AsyncEngine) -> None:
    # given
    await demo(db)
    async with serving(db) as client:
        # when
        search = await client.get("/", params={"q": "Sukhoi"})
        _, claim = await sukhoi_page(client)
        css = await client.get("/explorer/static/explorer.css")
    # then
    assert css.status_code == 200 and "text/css" in css.headers["content-type"]
    documents = set(
        re.findall(r'href="(https?://[^"]+)" rel="noopener noreferrer external"', claim.text)
    )
    for text in (search.text, claim.text, css.text):
        for url in re.findall(r"https?://[^\s\"'<>)]+", text):
            assert url in documents, f"external URL {url}"


async def test_a_read_error_is_an_error_page_not_a_traceback(db: AsyncEngine) -> None:
    # given: reads need a key, and none is sent
    await demo(db)
    private = TEST_SETTINGS.model_copy(update={"anonymous_read": False})
    async with serving(db, private) as client:
        # when
        response = await client.get("/", params={"q": "Sukhoi"})
    # then
    assert response.status_code == 401
    assert "Sign-in needed" in response.text and "Traceback" not in response.text


@pytest.mark.parametrize("prefix", ["/explore"])
async def test_settings_mount_the_explorer_under_a_prefix_or_not_at_all(
    db: AsyncEngine, prefix: str
) -> None:
    # given
    await demo(db)
    mounted = TEST_SETTINGS.model_copy(update={"explorer_prefix": prefix})
    off = TEST_SETTINGS.model_copy(update={"explorer": False})
    # when
    async with serving(db, mounted) as client:
        under = await client.get(f"{prefix}/", params={"q": "Sukhoi"})
        root = await client.get("/")
    async with serving(db, off) as client:
        disabled = await client.get("/")
    # then
    assert under.status_code == 200 and f'href="{prefix}/claims/' in under.text
    assert f'href="{prefix}/explorer/static/explorer.css"' in under.text
    assert root.status_code == 404
    assert disabled.status_code == 404


async def test_search_also_lists_the_sources_named_like_it(db: AsyncEngine) -> None:
    # given
    await demo(db)
    async with serving(db) as client:
        # when
        response = await client.get("/", params={"q": "KCNA"})
    # then
    page = parsed(response.text)
    assert response.status_code == 200
    assert any(link.startswith("/sources/") for link in page.links)
    assert "Sources named “KCNA”" in response.text


async def test_an_unknown_address_is_the_404_page_for_browsers_and_plain_for_scripts(
    db: AsyncEngine,
) -> None:
    # given
    async with serving(db) as client:
        # when
        browser = await client.get("/no/such/page", headers={"Accept": "text/html"})
        script = await client.get("/no/such/page", headers={"Accept": "application/json"})
    # then
    assert browser.status_code == 404
    assert browser.headers["content-type"].startswith("text/html")
    assert "<h1>Not found</h1>" in browser.text
    parsed(browser.text)
    assert script.status_code == 404
    assert script.text == "Not Found"
