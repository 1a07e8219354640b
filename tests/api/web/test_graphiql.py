"""GraphiQL at /graphql loads every file from this server: no CDN, so it works offline."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from sqlalchemy.ext.asyncio import create_async_engine

from api.app import create_app
from api.settings import Settings

BROWSER = {"accept": "text/html"}
# src and href of the page's <script> and <link> tags.
ASSET = re.compile(r"<(?:script|link)\b[^>]*?\b(?:src|href)=\"([^\"]+)\"", re.S)
TYPES = {".js": "text/javascript", ".css": "text/css"}


@asynccontextmanager
async def serving(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """The app with a database nobody listens on: the page and its files need none."""
    engine = create_async_engine("postgresql+asyncpg://nobody@127.0.0.1:1/none")
    app = create_app(settings, engine=engine)
    try:
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
                yield client
    finally:
        await engine.dispose()


def settings(*, graphiql: bool) -> Settings:
    return Settings(database_url="postgresql://unused/unused", graphiql=graphiql)


async def test_the_page_loads_every_file_from_this_server() -> None:
    # given
    async with serving(settings(graphiql=True)) as http:
        # when
        page = await http.get("/graphql", headers=BROWSER)
        urls = ASSET.findall(page.text)
        assets = {url: await http.get(httpx.URL("/graphql").join(url)) for url in urls}
    # then: no address outside this server, not even a namespace URI
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "GraphiQL" in page.text
    assert not re.search(r"https?://|//[a-z]", page.text, re.I)
    # then: react, react-dom, js-cookie, graphiql and its explorer, and both stylesheets
    icons = [url for url in urls if url.startswith("data:")]
    files = {url: response for url, response in assets.items() if url not in icons}
    assert len(files) == 7
    for url, response in files.items():
        assert url.startswith("static/graphiql/"), url
        assert response.status_code == 200, url
        suffix = url[url.rindex(".") :]
        assert response.headers["content-type"].startswith(TYPES[suffix]), url
        assert "immutable" in response.headers["cache-control"]
        assert len(response.content) > 500, url


async def test_graphiql_off_serves_neither_the_page_nor_its_files() -> None:
    # given
    async with serving(settings(graphiql=False)) as http:
        # when
        page = await http.get("/graphql", headers=BROWSER)
        script = await http.get("/static/graphiql/graphiql-3.8.3.min.js")
    # then
    assert (page.status_code, script.status_code) == (404, 404)


async def test_a_missing_file_is_a_404() -> None:
    async with serving(settings(graphiql=True)) as http:
        missing = await http.get("/static/graphiql/nothing-here.js")
        outside = await http.get("/static/graphiql/../graphiql.py")
    assert (missing.status_code, outside.status_code) == (404, 404)
