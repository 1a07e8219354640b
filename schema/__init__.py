"""The GraphQL schema: the public face of claimgraph."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import strawberry
from graphql import GraphQLError
from strawberry.types import ExecutionContext

from schema.access import ReadAccess
from schema.claims.types import Claim
from schema.compiled import CompiledReads
from schema.document_validation import OffLoopParse, OffLoopValidation
from schema.documents.types import Document
from schema.errors import log_errors, mask_errors
from schema.limits import Limits, limit_extensions
from schema.provenance.types import Attribution
from schema.root import Mutation, Query, Subscription
from schema.sources.types import Source

SDL_PATH = Path(__file__).with_name("schema.graphql")


def build_schema(limits: Limits | None = None) -> strawberry.Schema:
    """The schema with these abuse limits; one per distinct Limits, built once."""
    return _build_schema(limits or Limits())


class Schema(strawberry.Schema):
    """strawberry's Schema, logging errors as schema/errors.py says: strawberry logs each
    one at ERROR with a traceback, a client's typo as loudly as a fault of ours."""

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        log_errors(errors)


@lru_cache(maxsize=16)
def _build_schema(limits: Limits) -> strawberry.Schema:
    return Schema(
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        types=[Source, Document, Claim, Attribution],
        extensions=[
            # Clients repeat the same few documents: parse and validate each once.
            lambda: OffLoopParse(maxsize=256),
            lambda: OffLoopValidation(maxsize=256),
            *limit_extensions(limits),
            ReadAccess,
            # After the limits and ReadAccess: a read they let through may run as one
            # SQL statement (docs/compiled.md).
            CompiledReads,
            mask_errors,
        ],
    )


schema = build_schema()


def sdl() -> str:
    """The schema as committed in schema/schema.graphql."""
    return schema.as_str() + "\n"
