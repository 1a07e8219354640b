"""The explorer's routes: each page module's, under the prefix, with the stylesheet, and
its 404 page for addresses no route knows."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
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


@dataclass(frozen=True)
class Explorer:
    """The explorer's routes, and the answer to an address no route knows."""

    routes: list[BaseRoute]
    not_found: Callable[[Request, Exception], Awaitable[Response]]


def explorer(schema: Schema, plans: Plans, prefix: str = "") -> Explorer:
    """The pages under `prefix` ("" → /), with their stylesheet."""
    prefix = prefix.rstrip("/")
    site = Site(Reader(schema, plans), prefix)
    found: list[BaseRoute] = [route for page in PAGES for route in page.routes(site)]
    static = StaticFiles(directory=HERE / "static")
    found.append(Mount(f"{prefix}/explorer/static", static, name="static"))
    if prefix:
        found.append(Route(prefix, lambda _: RedirectResponse(f"{prefix}/", 308)))

    async def not_found(request: Request, exc: Exception) -> Response:
        """A browser asking for a page that is not there gets the explorer's 404 page;
        a script, a stylesheet or an address outside the explorer, Starlette's own."""
        detail = getattr(exc, "detail", "Not Found")
        under = request.url.path == prefix or request.url.path.startswith(f"{prefix}/")
        if under and "text/html" in request.headers.get("accept", ""):
            return site.failure(request, 404)
        return PlainTextResponse(str(detail), status_code=404)

    return Explorer(found, not_found)
