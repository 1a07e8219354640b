"""The home page: a search form; ?q=TEXT lists the claims found, a page at a time."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from api.web.explorer.site import Site

PAGE_SIZE = 20
SOURCES_SHOWN = 8
MAX_SEARCH = 500

SEARCH = """
query ExplorerSearch($search: String!, $first: Int!, $after: String, $withSources: Boolean!,
                     $sourcesFirst: Int!) {
  claims(search: $search, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges {
      node {
        id
        statement
        language
        comparison {
          sourceCount
          independentOriginCount
          contested
          consensusConfidence
          firstReport { reportedAt source { name } }
        }
      }
    }
  }
  sources(search: $search, first: $sourcesFirst) @include(if: $withSources) {
    totalCount
    edges { node { id name kind } }
  }
}
"""


def routes(site: Site) -> list[BaseRoute]:
    async def home(request: Request) -> Response:
        search = request.query_params.get("q", "").strip()[:MAX_SEARCH]
        after = request.query_params.get("after") or None
        context: dict[str, Any] = {"q": search, "claims": None}
        if search:
            # The sources named like the search come with the first page only.
            variables = {
                "search": search,
                "first": PAGE_SIZE,
                "after": after,
                "withSources": after is None,
                "sourcesFirst": SOURCES_SHOWN,
            }
            data = await site.read(request, SEARCH, variables)
            if sources := data.get("sources"):
                context["sources"] = [edge["node"] for edge in sources["edges"]]
                context["sources_total"] = sources["totalCount"]
            connection = data["claims"]
            context["claims"] = [edge["node"] for edge in connection["edges"]]
            context["total"] = connection["totalCount"]
            page = connection["pageInfo"]
            if page["hasNextPage"] and page["endCursor"]:
                query = urlencode({"q": search, "after": page["endCursor"]})
                context["next_href"] = f"{site.prefix}/?{query}"
        return site.render(request, "home.html", context)

    return [
        Route(f"{site.prefix}/", site.page(home), methods=["GET", "HEAD"], name="explorer:home")
    ]
