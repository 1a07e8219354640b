"""Media types of GraphQL over HTTP, and which one a request gets.

GraphQL-over-HTTP defines two response media types. `application/json` is the legacy one:
every GraphQL response is a 200, errors in the body. `application/graphql-response+json`
lets the status code tell a request that never ran (unparsable, invalid, bad variables:
400, no `data` entry) from one that ran. Clients choose with `Accept`.
"""

from __future__ import annotations

from strawberry.types import ExecutionResult
from strawberry.types.execution import PreExecutionError

JSON = "application/json"
GRAPHQL_RESPONSE_JSON = "application/graphql-response+json"


def _accept_entries(accept: str) -> dict[str, float]:
    """Media range -> quality, from an Accept header; malformed q values count as 0."""
    entries: dict[str, float] = {}
    for part in accept.split(","):
        media, *params = (piece.strip() for piece in part.split(";"))
        quality = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if media:
            entries[media.lower()] = max(quality, entries.get(media.lower(), 0.0))
    return entries


def response_media_type(accept: str | None) -> str:
    """The media type to answer with: graphql-response+json only when the client asks
    for it by name at least as strongly as for application/json (or a wildcard that
    covers it); a missing Accept or `*/*` keeps application/json, as the spec advises."""
    if not accept:
        return JSON
    entries = _accept_entries(accept)
    wanted = entries.get(GRAPHQL_RESPONSE_JSON, 0.0)
    legacy = entries.get(JSON, entries.get("application/*", entries.get("*/*", 0.0)))
    return GRAPHQL_RESPONSE_JSON if wanted > 0 and wanted >= legacy else JSON


def is_request_error(result: ExecutionResult) -> bool:
    """True when execution never started: a parse or validation error, an abuse limit,
    or variables that could not be coerced. Field errors always carry a path."""
    if isinstance(result, PreExecutionError):
        return True
    errors = result.errors or []
    return result.data is None and bool(errors) and all(e.path is None for e in errors)
