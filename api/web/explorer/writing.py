"""How a page writes: one mutation, run as the page's caller like any API client.

The mutation decides who may write (the same keys and roles as /graphql); a refusal
comes back as a payload error (UNAUTHENTICATED, FORBIDDEN), which a page must show as
its 401 or 403 page rather than as a problem with the form.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from starlette.requests import Request

from api.web.explorer.reading import REFUSED
from api.web.explorer.site import Site


@dataclass(frozen=True)
class Written:
    """A mutation's payload; `refused` is 401 or 403 when the caller may not write."""

    payload: dict[str, Any]
    refused: int | None

    @property
    def errors(self) -> list[dict[str, Any]]:
        errors: list[dict[str, Any]] = self.payload.get("errors") or []
        return errors


async def write(
    site: Site, request: Request, mutation: str, variables: dict[str, Any], name: str
) -> Written:
    """The payload of the mutation answering under `name`; errors of the document itself
    (not of the payload) end as the error page, as a read's do."""
    payload: dict[str, Any] = (await site.read(request, mutation, variables))[name]
    codes = {error.get("code") for error in payload.get("errors") or []}
    refused = next((status for code, status in REFUSED.items() if code in codes), None)
    return Written(payload, refused)
