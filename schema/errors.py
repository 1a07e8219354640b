"""How failures reach clients.

Expected failures of a mutation are data: `errors { message field code }` in its
payload. Bad query arguments (a page size over the limit, a malformed id or cursor)
are GraphQL errors with a code in `extensions`. Anything else is unexpected: it is
logged with its traceback and masked, so no SQL or stack trace leaks.
"""

from __future__ import annotations

import strawberry
from graphql import GraphQLError
from strawberry.extensions import MaskErrors

from api.errors import DomainError, ErrorCode, Problem


@strawberry.type(description="A problem with a mutation's input: nothing was written.")
class UserError:
    message: str
    field: list[str] | None = strawberry.field(
        description="The path of the input field at fault, e.g. [input, confidence]."
    )
    code: str = strawberry.field(
        description="A stable machine-readable code, e.g. NOT_FOUND, INVALID, DUPLICATE."
    )

    @classmethod
    def from_problem(cls, problem: Problem) -> UserError:
        field = list(problem.field) if problem.field else None
        return cls(message=problem.message, field=field, code=problem.code.value)


def user_errors(error: DomainError) -> list[UserError]:
    return [UserError.from_problem(p) for p in error.problems]


class ClientError(Exception):
    """A query argument the client got wrong; shown to the client as it is."""

    def __init__(self, message: str, code: ErrorCode = ErrorCode.INVALID) -> None:
        super().__init__(message)
        self.extensions = {"code": code.value}


def _should_mask(error: GraphQLError) -> bool:
    original = error.original_error
    return original is not None and not isinstance(original, (ClientError, GraphQLError))


def mask_errors() -> MaskErrors:
    return MaskErrors(
        should_mask_error=_should_mask,
        error_message="Internal server error: the failure was logged.",
    )
