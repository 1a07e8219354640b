"""The explorer's routes and page handlers: read through GraphQL, render a template."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates
from strawberry import Schema

from api.web.explorer import marks, queries
from api.web.explorer.reading import Reader, ReadFailed
from schema.compiled.plans import Plans

logger = logging.getLogger(__name__)

HERE = Path(__file__).parent
PAGE_SIZE = 20
MAX_SEARCH = 500
TITLES = {400: "Bad request", 401: "Sign-in needed", 403: "Not allowed", 404: "Not found"}


def routes(schema: Schema, plans: Plans, prefix: str = "") -> list[BaseRoute]:
    """The pages under `prefix` ("" → /), with their stylesheet."""
    prefix = prefix.rstrip("/")
    pages = Pages(Reader(schema, plans), prefix)
    found: list[BaseRoute] = [
        Route(f"{prefix}/", pages.home, methods=["GET", "HEAD"], name="explorer:home"),
        Route(f"{prefix}/claims/{{id}}", pages.claim, methods=["GET", "HEAD"]),
        Mount(f"{prefix}/explorer/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]
    if prefix:
        found.append(Route(prefix, lambda _: RedirectResponse(f"{prefix}/", 308)))
    return found


def claim_href(prefix: str, global_id: str) -> str:
    return f"{prefix}/claims/{quote(global_id, safe='')}"


class Pages:
    def __init__(self, reader: Reader, prefix: str) -> None:
        self.reader = reader
        self.prefix = prefix
        self.templates = Jinja2Templates(directory=HERE / "templates")
        self.templates.env.globals.update(
            prefix=prefix,
            claim_href=lambda global_id: claim_href(prefix, global_id),
            marked=marks.marked,
            day=marks.day,
            chain_text=marks.chain_text,
            number=marks.number,
            quote=lambda value: quote(value, safe=""),
        )

    async def home(self, request: Request) -> Response:
        search = request.query_params.get("q", "").strip()[:MAX_SEARCH]
        after = request.query_params.get("after") or None
        context: dict[str, Any] = {"q": search, "claims": None}
        if search:
            variables = {"search": search, "first": PAGE_SIZE, "after": after}
            try:
                data = await self.reader.read(request, queries.SEARCH, variables)
            except ReadFailed as failed:
                return self._failure(request, failed.status)
            except Exception:
                logger.exception("explorer search failed")
                return self._failure(request, 500)
            connection = data["claims"]
            context["claims"] = [edge["node"] for edge in connection["edges"]]
            context["total"] = connection["totalCount"]
            page = connection["pageInfo"]
            if page["hasNextPage"] and page["endCursor"]:
                query = urlencode({"q": search, "after": page["endCursor"]})
                context["next_href"] = f"{self.prefix}/?{query}"
        return self.templates.TemplateResponse(request, "home.html", context)

    async def claim(self, request: Request) -> Response:
        global_id = request.path_params["id"]
        try:
            data = await self.reader.read(request, queries.CLAIM, {"id": global_id})
        except ReadFailed as failed:  # a malformed id is no claim: 404, like an unknown one
            return self._failure(request, 404 if failed.status == 400 else failed.status)
        except Exception:
            logger.exception("explorer claim page failed")
            return self._failure(request, 500)
        claim = data.get("node")
        if not claim or claim.get("__typename") != "Claim":
            return self._failure(request, 404)
        attributions = [edge["node"] for edge in claim["attributions"]["edges"]]
        # The JSON exports stay at /claims/{id}/… whatever the explorer's prefix.
        exports = f"/claims/{quote(claim['id'], safe='')}"
        context = {"claim": claim, "attributions": attributions, "exports": exports}
        return self.templates.TemplateResponse(request, "claim.html", context)

    def _failure(self, request: Request, status: int) -> Response:
        title = TITLES.get(status, "Something went wrong")
        return self.templates.TemplateResponse(
            request, "problem.html", {"status": status, "title": title}, status_code=status
        )
