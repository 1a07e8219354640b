"""How failures reach clients.

Expected failures of a mutation are data: `errors { message field code }` in its
payload. Bad query arguments (a page size over the limit, a malformed id or cursor)
are GraphQL errors with a code in `extensions`. Anything else is unexpected: it is
logged with its traceback and masked, so no SQL or stack trace leaks.

The log tells the two apart the same way: what is masked is our fault, an ERROR with
its traceback; everything else is the caller's mistake, one INFO line per request.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence

import asyncpg
import strawberry
from graphql import GraphQLError, GraphQLSyntaxError
from strawberry.extensions import MaskErrors

from api.errors import DomainError, ErrorCode, Problem
from schema.context import Context


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


logger = logging.getLogger(__name__)
# graphql-core quotes a variable's value when it cannot coerce it; a variable may carry
# a secret, and a log line must not.
_VARIABLE_VALUE = re.compile(r"(Variable '\$\w+' (?:has|got) invalid value[^:;]*).*", re.DOTALL)
MISTAKES_SHOWN = 3


def log_errors(errors: Sequence[GraphQLError]) -> None:
    """Log a request's errors: each fault of ours (an error that is masked) at ERROR with
    its traceback, the caller's mistakes together on one INFO line without one."""
    mistakes: list[str] = []
    for error in errors:
        if _should_mask(error):
            original = error.original_error
            logger.error("internal error%s: %s", _at(error), error.message, exc_info=original)
        else:
            mistakes.append(_mistake(error))
    if mistakes:
        more = len(mistakes) - MISTAKES_SHOWN
        tail = f" (and {more} more)" if more > 0 else ""
        logger.info("refused: %s%s", "; ".join(mistakes[:MISTAKES_SHOWN]), tail)


def _mistake(error: GraphQLError) -> str:
    """`CODE at path: message`, on one line and short, without a variable's value."""
    code = (error.extensions or {}).get("code")
    if code is None:
        syntax = isinstance(error, GraphQLSyntaxError)
        code = "GRAPHQL_PARSE_FAILED" if syntax else "GRAPHQL_VALIDATION_FAILED"
    message = _VARIABLE_VALUE.sub(r"\1", " ".join(error.message.split()))
    return f"{code}{_at(error)}: {message[:200]}"


def _at(error: GraphQLError) -> str:
    return f" at {'.'.join(map(str, error.path))}" if error.path else ""


# Failures that say "the database cannot be reached or went away": a client may retry.
_UNAVAILABLE = (
    ConnectionError,
    asyncpg.PostgresConnectionError,
    asyncpg.CannotConnectNowError,
    asyncpg.AdminShutdownError,
    asyncpg.CrashShutdownError,
    asyncpg.InterfaceError,
)
# A statement that ran past its timeout (server- or client-side).
_TIMED_OUT = (TimeoutError, asyncpg.QueryCanceledError)


def failure_code(exc: BaseException | None) -> str | None:
    """UNAVAILABLE or TIMEOUT when an unexpected failure has a cause a client may retry."""
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, _TIMED_OUT):
            return "TIMEOUT"
        if isinstance(exc, _UNAVAILABLE) or getattr(exc, "connection_invalidated", False):
            return "UNAVAILABLE"
        exc = getattr(exc, "orig", None) or exc.__cause__ or exc.__context__
    return None


class CommitUnknown(Exception):
    """COMMIT failed with the connection: the database may have committed or not."""

    code = "COMMIT_UNKNOWN"
    message = (
        "The connection to the database was lost during COMMIT: the write may or may not"
        " have been stored. Read to find out before sending it again. A mutation sent with"
        " a clientMutationId (or a request with an Idempotency-Key) can be sent again as"
        " it was: it never writes twice."
    )


# A mutation's write committed; a later part of its answer failed (schema/context.py).
COMMITTED_READ_FAILED = "COMMITTED_READ_FAILED"
COMMITTED_MESSAGE = (
    "The write committed, but this part of its answer could not be read: do not send the"
    " mutation again; read what it wrote with a query (extensions.id, when given, names it)."
)


class Masking(MaskErrors):
    """Unexpected errors lose their message (no SQL, no internals) but keep a code when
    their cause is one a client can act on: retry later (UNAVAILABLE, TIMEOUT). Never
    "retry" for a write that may have happened: COMMIT_UNKNOWN when its COMMIT was cut
    off, COMMITTED_READ_FAILED for a failure under a mutation that committed."""

    def anonymise_error(self, error: GraphQLError) -> GraphQLError:
        message, extensions = self._shown(error)
        return GraphQLError(
            message=message,
            nodes=error.nodes,
            source=error.source,
            positions=error.positions,
            path=error.path,
            original_error=None,
            extensions=extensions,
        )

    def _shown(self, error: GraphQLError) -> tuple[str, dict[str, str] | None]:
        if isinstance(error.original_error, CommitUnknown):
            return CommitUnknown.message, {"code": CommitUnknown.code}
        context = getattr(getattr(self, "execution_context", None), "context", None)
        key = str(error.path[0]) if error.path else None
        if isinstance(context, Context) and key in context.committed:
            written_id = context.committed[key]
            extensions = {"code": COMMITTED_READ_FAILED}
            return COMMITTED_MESSAGE, extensions | ({"id": written_id} if written_id else {})
        code = failure_code(error.original_error)
        return self.error_message, {"code": code} if code else None

    def mask(self, result: object) -> None:
        """Mask a result outside the operation: strawberry answers an exception raised by
        an extension hook with str(exc), after the extensions' own hooks have run."""
        self._process_result(result)


def mask_errors() -> Masking:
    return Masking(
        should_mask_error=_should_mask,
        error_message="Internal server error: the failure was logged.",
    )
