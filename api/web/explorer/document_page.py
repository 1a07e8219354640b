"""One document's page: its text with every quote marked and linked to its claim."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from api.pagination import MAX_PAGE_SIZE
from api.web.explorer.highlight import segments
from api.web.explorer.site import PageFailed, Site

# The most one page of a connection holds: far more attributions than an article carries.
ATTRIBUTIONS = MAX_PAGE_SIZE
NO_DOCUMENT = "No document has this id: it may have been deleted, or the link is mistyped."

DOCUMENT = """
query ExplorerDocument($id: ID!, $first: Int!) {
  node(id: $id) {
    __typename
    ... on Document {
      id
      title
      language
      publishedAt
      url
      text
      publisher { id name }
      attributions(first: $first) {
        totalCount
        edges {
          node {
            id
            stance
            confidence
            quoteStart
            quoteEnd
            claim { id statement language }
            source { id name }
          }
        }
      }
    }
  }
}
"""


def routes(site: Site) -> list[BaseRoute]:
    async def document(request: Request) -> Response:
        variables = {"id": request.path_params["id"], "first": ATTRIBUTIONS}
        data = await site.read(request, DOCUMENT, variables, malformed=404)
        found = data.get("node")
        if not found or found.get("__typename") != "Document":
            raise PageFailed(404, NO_DOCUMENT)
        connection = found["attributions"]
        attributions = [edge["node"] for edge in connection["edges"]]
        spans = [(a["quoteStart"], a["quoteEnd"]) for a in attributions]
        context = {
            "document": found,
            "attributions": attributions,
            "total": connection["totalCount"],
            "segments": segments(found["text"] or "", spans),
        }
        return site.render(request, "document.html", context)

    return [Route(f"{site.prefix}/documents/{{id}}", site.page(document), methods=["GET", "HEAD"])]
