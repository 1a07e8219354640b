"""What every explorer page shares: the reader, the prefix, the templates, the error page.

Each page module (search_page, claim_page, …) takes a Site and gives its routes; the
Site reads through GraphQL (reading.py) and renders Jinja2 templates with the helpers
of marks.py, so no page repeats how a failure becomes a page.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import Response
from starlette.templating import Jinja2Templates

from api.auth.roles import Caller
from api.web.explorer import marks
from api.web.explorer.cookies import CSRF_COOKIE, new_token, page_caller, plausible, set_cookie
from api.web.explorer.reading import Reader, ReadFailed

logger = logging.getLogger(__name__)

HERE = Path(__file__).parent
TITLES = {400: "Bad request", 401: "Sign-in needed", 403: "Not allowed", 404: "Not found"}


class PageFailed(Exception):
    """Ends a page handler with the error page of this status; `detail` says why, in
    words for the reader (the page has a default for each status)."""

    def __init__(self, status: int, detail: str | None = None) -> None:
        super().__init__(status)
        self.status = status
        self.detail = detail


def node_href(prefix: str, kind: str, global_id: str) -> str:
    """The page of one object: {prefix}/claims/{id}, /sources/{id}, /documents/{id}."""
    return f"{prefix}/{kind}/{quote(global_id, safe='')}"


Handler = Callable[[Request], Awaitable[Response]]


def caller(request: Request) -> Caller:
    """The page's caller, as Site.page found it (anonymous before that)."""
    found = getattr(request.state, "explorer_caller", None)
    return found if isinstance(found, Caller) else Caller()


class Site:
    def __init__(self, reader: Reader, prefix: str) -> None:
        self.reader = reader
        self.prefix = prefix
        self.templates = Jinja2Templates(directory=HERE / "templates")
        self.templates.env.globals.update(
            prefix=prefix,
            claim_href=lambda global_id: node_href(prefix, "claims", global_id),
            source_href=lambda global_id: node_href(prefix, "sources", global_id),
            document_href=lambda global_id: node_href(prefix, "documents", global_id),
            marked=marks.marked,
            day=marks.day,
            chain_text=marks.chain_text,
            number=marks.number,
            quote=lambda value: quote(value, safe=""),
        )

    async def read(
        self,
        request: Request,
        query: str,
        variables: dict[str, Any],
        *,
        malformed: int = 400,
    ) -> dict[str, Any]:
        """The query's data as the caller of `request`; PageFailed on any error. An
        argument the schema rejects (a malformed id) ends as `malformed` (404 on a page
        named by an id: a mangled id names nothing)."""
        try:
            return await self.reader.read(request, caller(request), query, variables)
        except ReadFailed as failed:
            raise PageFailed(malformed if failed.status == 400 else failed.status) from None

    def render(
        self,
        request: Request,
        template: str,
        context: Mapping[str, Any],
        status_code: int = 200,
    ) -> Response:
        """The template with what every page shows: who is signed in (`viewer`, a
        KeyIdentity or None) and the CSRF token its forms carry (`csrf_token`), set as a
        cookie when the browser has none yet."""
        token = request.cookies.get(CSRF_COOKIE)
        fresh = not plausible(token)
        if fresh:
            token = new_token()
        values = {**context, "viewer": caller(request).key, "csrf_token": token}
        response = self.templates.TemplateResponse(
            request, template, values, status_code=status_code
        )
        response.headers["cache-control"] = "no-store" if values["viewer"] else "private, no-cache"
        if fresh:
            assert token is not None
            set_cookie(response, request, CSRF_COOKIE, token, path=self.prefix or "/")
        return response

    def failure(self, request: Request, status: int, detail: str | None = None) -> Response:
        title = TITLES.get(status, "Something went wrong")
        context = {"status": status, "title": title, "detail": detail}
        return self.render(request, "problem.html", context, status_code=status)

    def page(self, handler: Handler) -> Handler:
        """The handler, with PageFailed shown as its error page and anything unexpected
        logged and shown as a 500 page: never a traceback."""

        async def answer(request: Request) -> Response:
            try:
                request.state.explorer_caller = await page_caller(request)
                return await handler(request)
            except PageFailed as failed:
                return self.failure(request, failed.status, failed.detail)
            except Exception:
                logger.exception("explorer page %s failed", request.url.path)
                return self.failure(request, 500)

        return answer
