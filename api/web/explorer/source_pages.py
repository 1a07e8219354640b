"""One source's page (what it reported, who cites it) and two sources compared."""

from __future__ import annotations

from itertools import pairwise
from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from api.ids import BadId, decode_id
from api.web.explorer.site import PageFailed, Site, node_href

PAGE_SIZE = 20
COMPARED = 50
# The "Compare with…" choice lists this many sources; past it, a search would serve better.
CHOICES = 100
NO_SOURCE = "No source has this id: it may have been deleted, or the link is mistyped."

SOURCE = """
query ExplorerSource($id: ID!, $first: Int!, $after: String, $choices: Int!) {
  node(id: $id) {
    __typename
    ... on Source {
      id
      name
      kind
      aliases
      reliability
      stateAffiliated
      affiliation { id name }
      attributions(first: $first, after: $after) {
        totalCount
        pageInfo { hasNextPage endCursor }
        edges {
          node {
            id
            stance
            confidence
            reportedAt
            claim { id statement language }
            document { id title language }
            chain { id name }
          }
        }
      }
    }
  }
  sources(first: $choices) { edges { node { id name } } }
}
"""

COMPARE = """
query ExplorerCompare($a: ID!, $b: ID!, $first: Int!) {
  compareSources(a: $a, b: $b) {
    a { id name }
    b { id name }
    agreementRate
    shared(first: $first) {
      totalCount
      edges {
        node {
          agrees
          claim { id statement language }
          a { stance }
          b { stance }
        }
      }
    }
    onlyA(first: $first) { totalCount edges { node { id statement language } } }
    onlyB(first: $first) { totalCount edges { node { id statement language } } }
  }
}
"""


def citing(source_id: str, attributions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The sources that name this one: in each chain, the link just before it; each once,
    in the order first met."""
    found: dict[str, dict[str, Any]] = {}
    for attribution in attributions:
        chain = attribution["chain"]
        for before, link in pairwise(chain):
            if link["id"] == source_id and before["id"] != source_id:
                found.setdefault(before["id"], before)
    return list(found.values())


def stances(attributions: list[dict[str, Any]]) -> str:
    """The stances a source took on a claim, each once: "affirms", "affirms, denies"."""
    return ", ".join(dict.fromkeys(a["stance"].lower() for a in attributions))


def routes(site: Site) -> list[BaseRoute]:
    async def source(request: Request) -> Response:
        variables = {
            "id": request.path_params["id"],
            "first": PAGE_SIZE,
            "after": request.query_params.get("after") or None,
            "choices": CHOICES,
        }
        data = await site.read(request, SOURCE, variables, malformed=404)
        found = data.get("node")
        if not found or found.get("__typename") != "Source":
            raise PageFailed(404, NO_SOURCE)
        connection = found["attributions"]
        attributions = [edge["node"] for edge in connection["edges"]]
        others = [e["node"] for e in data["sources"]["edges"] if e["node"]["id"] != found["id"]]
        context: dict[str, Any] = {
            "source": found,
            "attributions": attributions,
            "total": connection["totalCount"],
            "citing": citing(found["id"], attributions),
            "others": sorted(others, key=lambda other: other["name"].casefold()),
        }
        page = connection["pageInfo"]
        if page["hasNextPage"] and page["endCursor"]:
            query = urlencode({"after": page["endCursor"]})
            context["next_href"] = f"{node_href(site.prefix, 'sources', found['id'])}?{query}"
        return site.render(request, "source.html", context)

    async def compare(request: Request) -> Response:
        ids = {side: request.query_params.get(side, "").strip() for side in ("a", "b")}
        problem = _problem(ids)
        if problem:
            raise PageFailed(400, problem)
        variables = {**ids, "first": COMPARED}
        # Both ids are well formed, so what the schema rejects is an id naming no source.
        try:
            data = await site.read(request, COMPARE, variables, malformed=404)
        except PageFailed as failed:
            raise PageFailed(failed.status, NO_SOURCE if failed.status == 404 else None) from None
        comparison = data.get("compareSources")
        if not comparison:
            raise PageFailed(404, NO_SOURCE)
        shared = [edge["node"] for edge in comparison["shared"]["edges"]]
        context = {"comparison": comparison, "shared": shared, "stances": stances}
        return site.render(request, "compare.html", context)

    return [
        Route(f"{site.prefix}/sources/{{id}}", site.page(source), methods=["GET", "HEAD"]),
        Route(f"{site.prefix}/compare", site.page(compare), methods=["GET", "HEAD"]),
    ]


def _problem(ids: dict[str, str]) -> str | None:
    """Why the two ids cannot be compared, said to a person; None when they can be."""
    missing = [side for side, value in ids.items() if not value]
    if len(missing) == len(ids):
        return "Choose two sources to compare: the address names neither a nor b."
    if missing:
        return f"Choose two sources to compare: the address names no {missing[0]}."
    for side, value in ids.items():
        try:
            decode_id(value)
        except BadId:
            return f"The {side} of the comparison is not a source's id: the link is mangled."
    return None
