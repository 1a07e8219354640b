"""One claim's page: consensus, where the reports come from (a graph of their chains), when
they came (a timeline), and every attribution, a hundred at a time."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import quote, urlencode

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from api.web.explorer import chain_graph
from api.web.explorer.site import PageFailed, Site, node_href

PAGE_SIZE = 100

CLAIM = """
query ExplorerClaim($id: ID!, $first: Int!, $after: String) {
  node(id: $id) {
    __typename
    ... on Claim {
      id
      statement
      language
      comparison {
        reportCount
        sourceCount
        independentOriginCount
        affirmCount
        denyCount
        contested
        consensusConfidence
        explanation
        quantityMin
        quantityMax
        firstReport { reportedAt source { name } document { title } }
      }
      attributions(first: $first, after: $after) {
        totalCount
        pageInfo { hasNextPage endCursor }
        edges {
          node {
            id
            stance
            confidence
            hedges
            quote
            reportedAt
            reviewStatus
            version
            method
            quantity { value unit bound }
            source { id name kind }
            via { id name }
            chain { id name }
            document { id title url language publishedAt }
          }
        }
      }
    }
  }
}
"""


@dataclass(frozen=True)
class Window:
    """Which reports this page shows: `first`..`last` of `total` (1-based; `first` is None
    when a hand-made link names a cursor without its position)."""

    first: int | None
    last: int | None
    total: int
    count: int
    next_href: str | None
    first_href: str | None  # back to the first page, from a later one

    @property
    def paginated(self) -> bool:
        return self.next_href is not None or self.first_href is not None


def routes(site: Site) -> list[BaseRoute]:
    async def claim(request: Request) -> Response:
        after = request.query_params.get("after") or None
        variables = {"id": request.path_params["id"], "first": PAGE_SIZE, "after": after}
        # A mangled id or cursor names nothing: 404.
        data = await site.read(request, CLAIM, variables, malformed=404)
        claim = data.get("node")
        if not claim or claim.get("__typename") != "Claim":
            raise PageFailed(404)
        connection = claim["attributions"]
        attributions = [edge["node"] for edge in connection["edges"]]
        href = node_href(site.prefix, "claims", claim["id"])
        # The JSON exports stay at /claims/{id}/… whatever the explorer's prefix.
        exports = f"/claims/{quote(claim['id'], safe='')}"
        context = {
            "claim": claim,
            "attributions": attributions,
            "exports": exports,
            "graph": chain_graph.layout([links(a["chain"]) for a in attributions]),
            "timeline": timeline(attributions),
            "window": window(request, href, connection, len(attributions), after),
        }
        return site.render(request, "claim.html", context)

    return [Route(f"{site.prefix}/claims/{{id}}", site.page(claim), methods=["GET", "HEAD"])]


def links(chain: Sequence[dict[str, Any]]) -> list[chain_graph.Link]:
    return [(str(link["id"]), str(link["name"])) for link in chain]


def timeline(attributions: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The reports oldest first, undated ones last; ties keep the page's order. Sorted by
    instant, not by text: offsets in the ISO strings may differ."""

    def when(attribution: dict[str, Any]) -> tuple[bool, float]:
        reported = attribution.get("reportedAt")
        if not reported:
            return (True, 0.0)
        return (False, datetime.fromisoformat(reported).timestamp())

    return sorted(attributions, key=when)


def window(
    request: Request, href: str, connection: dict[str, Any], count: int, after: str | None
) -> Window:
    """The range shown and the links onwards. A cursor says nothing of its position, so
    the "next" link carries it (`start`); a wrong one only mislabels the range."""
    total = int(connection["totalCount"])
    first: int | None = 1
    if after:
        first = _position(request.query_params.get("start"), total)
    last = first + count - 1 if first is not None and count else None
    page = connection["pageInfo"]
    next_href = None
    if page["hasNextPage"] and page["endCursor"]:
        onwards = {"after": page["endCursor"]}
        if last is not None:
            onwards["start"] = str(last + 1)
        next_href = f"{href}?{urlencode(onwards)}"
    return Window(first, last, total, count, next_href, href if after else None)


def _position(text: str | None, total: int) -> int | None:
    if not text or len(text) > 9 or not (text.isascii() and text.isdigit()):
        return None
    position = int(text)
    return position if 1 <= position <= max(total, 1) else None
