"""An editor's verdict on a suggestion, from the claim page: POST {prefix}/review.

The claim page (review_form.html) offers Confirm and Reject for each SUGGESTED report to a
signed-in editor; this runs reviewAttribution as the caller, so the API's roles decide,
and goes back to the page the form was on.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from api.web.explorer.forms import posted_form, text
from api.web.explorer.signing_in import MAX_NEXT, local_next
from api.web.explorer.site import PageFailed, Site
from api.web.explorer.writing import write

REVIEW = """
mutation ExplorerReview($input: ReviewAttributionInput!) {
  reviewAttribution(input: $input) {
    attribution { id reviewStatus }
    errors { message field code }
  }
}
"""

VERDICTS = ("CONFIRMED", "REJECTED")
MAX_ID = 200
REFUSALS = {
    401: "Confirming or rejecting a suggestion needs an editor's API key: sign in with one.",
    403: "Confirming or rejecting a suggestion needs an editor's API key; yours may only read.",
}


def routes(site: Site) -> list[BaseRoute]:
    async def review(request: Request) -> Response:
        form = await posted_form(request)
        after = local_next(site, text(form, "next", MAX_NEXT))
        attribution_id = text(form, "attributionId", MAX_ID)
        status = text(form, "status", 20)
        if status not in VERDICTS:
            raise PageFailed(400, "A review either confirms or rejects a suggestion.")
        variables = {"input": {"attributionId": attribution_id, "status": status}}
        written = await write(site, request, REVIEW, variables, "reviewAttribution")
        if written.refused:
            raise PageFailed(written.refused, REFUSALS[written.refused])
        if written.errors:
            raise PageFailed(400, " ".join(str(e["message"]) for e in written.errors))
        return RedirectResponse(after, status_code=303)

    return [Route(f"{site.prefix}/review", site.page(review), methods=["POST"])]
