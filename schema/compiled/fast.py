"""The fast path's GraphQL half: a read the compiled path answered before is answered
again without strawberry, straight from its cached statement.

A request whose (document, operationName, variables) is in the compiled statement cache
(schema/compiled/plans.py) has already been parsed, validated, held to the abuse limits
and compiled: the cache only holds operations that passed all of those, and each of
them gives the same outcome for the same request text. What can differ from one
request to the next is who asks and what the data says, so the fast path still does,
per request:

- the access check of schema/access.py (`AccessPolicy.refusal` for a reader);
- for a document compiled before with other variables (another claim's id): the checks
  that depend on variables, the cost limit (schema/limits/ `operation_cost`) and
  their coercion (in `Plans.compile`), then the compile itself, cached from then on;
- the statement, on a bare asyncpg pool (api/db.py `create_statement_pool`), with the
  cached parameters bound;
- the answer: PostgreSQL's JSON text of `data`, spliced into `{"data": …}` as it is
  (the text parses to exactly what the resolvers would answer: the differential test in
  tests/compiled holds both paths to it; tests/compiled/test_fast.py holds this one).

With a read replica (DATABASE_READ_URL) the statement goes where the request's
`RequestReads` (api/replicas) would send the full path's reads: to the replica unless
its caller could miss its own write; a replica that cannot be reached is marked down
and the request runs the full path, which reads from the primary.

Anything else runs the full path unchanged, by returning None: a document seen for the
first time, a caller the policy refuses (the full path words the refusal), and a
statement whose answer is incomplete (a compared source is missing: the resolvers word
the error). A statement that fails because the database is away or too slow raises
`HandOver`: the transport (api/web/fast_path.py) leaves the failure in the request's
state (`HANDED_OVER`) for the full path, which raises it where the compiled extension
would have: the client gets the same masked UNAVAILABLE or TIMEOUT error, without a
second wait for the same failure. What reaches this module is already a plain GraphQL
request; the HTTP half (which requests, their body, the response) is the transport's.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import asyncpg
from graphql import GraphQLSchema, get_operation_ast

from api.auth.roles import AccessPolicy, Caller, Role
from api.replicas.router import RequestReads
from schema.compiled.plans import Compiled, Plans
from schema.errors import failure_code
from schema.limits import operation_cost

logger = logging.getLogger(__name__)

# Request state key: a retryable failure of the fast path's statement, for the full path
# (schema/compiled/extension.py raises it there).
HANDED_OVER = "compiled_failure"
# A pooled connection that died with its server fails its first statement: one retry,
# on a fresh connection. Not a refused or timed-out connect: that would only wait again.
RETRYABLE = (
    asyncpg.ConnectionDoesNotExistError,
    asyncpg.AdminShutdownError,
    asyncpg.InterfaceError,
    ConnectionResetError,
    ConnectionAbortedError,
    BrokenPipeError,
)


class HandOver(Exception):
    """The database failed the statement (away, too slow): the full path raises `failure`."""

    def __init__(self, failure: Exception) -> None:
        super().__init__(str(failure))
        self.failure = failure


class FastReads:
    def __init__(
        self, schema: GraphQLSchema, plans: Plans, policy: AccessPolicy, budget: int
    ) -> None:
        self.schema = schema
        self.plans = plans
        self.policy = policy
        self.budget = budget  # the cost limit (schema/limits/)

    async def answer(
        self,
        query: str,
        variables: dict[str, Any] | None,
        operation_name: str | None,
        *,
        caller: Caller,
        reads: RequestReads | None,
        pools: Pools,
    ) -> bytes | None:
        """The response body for this request, or None: run the full path.

        Raises HandOver when the database failed the statement."""
        compiled = self._cached(query, variables, operation_name, caller)
        if compiled is None:
            return None
        replica = await _replica(reads, pools)
        try:
            row = await _fetch(replica or pools.primary, compiled)
        except Exception as exc:
            code = failure_code(exc)
            if replica is not None and reads is not None and code == "UNAVAILABLE":
                reads.router.mark_down(exc)  # the full path reads from the primary
            elif code is not None:
                raise HandOver(exc) from exc
            else:  # a statement the compiler got wrong: the full path says what
                logger.warning("fast compiled read failed", exc_info=True)
            return None
        text, complete = row
        if not complete:
            return None
        return b'{"data":' + text.encode() + b"}"

    def _cached(
        self,
        query: str,
        variables: dict[str, Any] | None,
        name: str | None,
        caller: Caller,
    ) -> Compiled | None:
        if self.policy.refusal(caller, Role.READER) is not None:
            return None
        compiled = self.plans.cached(query, variables, name)
        if compiled is not None:
            return compiled
        # The same document with other variables: their coercion (in the compile) and
        # the cost limit are all that can change.
        prepared = self.plans.prepared(query, name)
        if prepared is None:
            return None
        operation = get_operation_ast(prepared.document, prepared.operation_name)
        if operation is None:
            return None
        cost = operation_cost(self.schema, query, prepared.document, operation, variables or {})
        if cost > self.budget:
            return None
        return self.plans.compile(
            self.schema, query, prepared.document, variables, prepared.operation_name, name
        )


@dataclass(frozen=True)
class Pools:
    """The statement pools (api/db.py `create_statement_pool`): the primary's, and the
    replica's when DATABASE_READ_URL is set."""

    primary: asyncpg.Pool
    replica: asyncpg.Pool | None = None

    async def close(self) -> None:
        for pool in (self.primary, self.replica):
            if pool is not None:
                await pool.close()


async def _replica(reads: RequestReads | None, pools: Pools) -> asyncpg.Pool | None:
    """The replica's pool when the request's reads go there, else None (the primary)."""
    if reads is None or pools.replica is None:
        return None
    engine = await reads.router.engine_for(reads.caller, reads.min_lsn)
    return pools.replica if engine is reads.router.replica else None


async def _fetch(pool: asyncpg.Pool, compiled: Compiled) -> tuple[str, bool]:
    try:
        row = await pool.fetchrow(compiled.sql, *compiled.params)
    except RETRYABLE:
        row = await pool.fetchrow(compiled.sql, *compiled.params)
    return row[0], row[1]
