"""One claim's page: consensus, contest, first report, every attribution."""

from __future__ import annotations

from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from api.web.explorer import queries
from api.web.explorer.site import PageFailed, Site


def routes(site: Site) -> list[BaseRoute]:
    async def claim(request: Request) -> Response:
        variables = {"id": request.path_params["id"]}
        data = await site.read(request, queries.CLAIM, variables, malformed=404)
        claim = data.get("node")
        if not claim or claim.get("__typename") != "Claim":
            raise PageFailed(404)
        attributions = [edge["node"] for edge in claim["attributions"]["edges"]]
        # The JSON exports stay at /claims/{id}/… whatever the explorer's prefix.
        exports = f"/claims/{quote(claim['id'], safe='')}"
        context = {"claim": claim, "attributions": attributions, "exports": exports}
        return site.render(request, "claim.html", context)

    return [Route(f"{site.prefix}/claims/{{id}}", site.page(claim), methods=["GET", "HEAD"])]
