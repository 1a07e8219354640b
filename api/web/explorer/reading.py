"""How a page reads or writes: one GraphQL document, executed in-process as the caller."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from graphql import GraphQLError
from starlette.requests import Request
from strawberry import Schema

from api.auth.roles import Caller
from api.web.request_context import graphql_context
from schema.compiled.plans import Plans
from schema.errors import ClientError

logger = logging.getLogger(__name__)

# Codes of GraphQL errors that a page shows as "not allowed".
REFUSED = {"UNAUTHENTICATED": 401, "FORBIDDEN": 403}


class ReadFailed(Exception):
    """The query answered with errors; `status` is the page's HTTP status."""

    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


@dataclass(frozen=True)
class Reader:
    """Runs the explorer's documents against the app's schema, as /graphql would."""

    schema: Schema
    plans: Plans

    async def read(
        self, request: Request, caller: Caller, query: str, variables: dict[str, Any]
    ) -> dict[str, Any]:
        context = graphql_context(request, caller=caller, plans=self.plans)
        result = await self.schema.execute(query, variable_values=variables, context_value=context)
        if result.errors:
            raise ReadFailed(_status(result.errors))
        return result.data or {}


def _status(errors: list[GraphQLError]) -> int:
    """401 or 403 for a refusal, 400 for an argument the schema rejected (a malformed id
    or cursor), else 500 (logged: the page shows no detail)."""
    codes = {_code(error) for error in errors}
    for code, status in REFUSED.items():
        if code in codes:
            return status
    if all(isinstance(error.original_error, ClientError) for error in errors):
        return 400
    for error in errors:
        logger.error("explorer query failed: %s", error, exc_info=error.original_error)
    return 500


def _code(error: GraphQLError) -> object:
    extensions = error.extensions or getattr(error.original_error, "extensions", None) or {}
    return extensions.get("code")
