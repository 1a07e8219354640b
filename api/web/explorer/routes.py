"""The explorer's routes: each page module's, under the prefix, with the stylesheet."""

from __future__ import annotations

from starlette.responses import RedirectResponse
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles
from strawberry import Schema

from api.web.explorer import (
    claim_page,
    document_page,
    ingest_page,
    review_page,
    search_page,
    signing_in,
    source_pages,
)
from api.web.explorer.reading import Reader
from api.web.explorer.site import HERE, Site
from schema.compiled.plans import Plans

PAGES = (
    search_page,
    claim_page,
    signing_in,
    source_pages,
    document_page,
    ingest_page,
    review_page,
)


def routes(schema: Schema, plans: Plans, prefix: str = "") -> list[BaseRoute]:
    """The pages under `prefix` ("" → /), with their stylesheet."""
    prefix = prefix.rstrip("/")
    site = Site(Reader(schema, plans), prefix)
    found: list[BaseRoute] = [route for page in PAGES for route in page.routes(site)]
    static = StaticFiles(directory=HERE / "static")
    found.append(Mount(f"{prefix}/explorer/static", static, name="static"))
    if prefix:
        found.append(Route(prefix, lambda _: RedirectResponse(f"{prefix}/", 308)))
    return found
