"""CompiledReads: a read query whose fields all map to data runs as one SQL statement.

A SchemaExtension, after the abuse limits and ReadAccess: when one of them has
already set a result (an error), nothing is compiled. Otherwise the validated
operation is compiled (schema/compiled/root.py) and its `data` built in PostgreSQL;
an operation that does not compile, or variables that would make a resolver report
an error, run down the resolver path unchanged. CLAIMGRAPH_COMPILED_READS=false turns
the compiled path off. A request compiled before is answered in front of strawberry
(schema/compiled/fast.py) and reaches this extension only when that could not answer.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from typing import Any

import orjson
from graphql import ExecutionResult as GraphQLExecutionResult
from strawberry.extensions import SchemaExtension
from strawberry.types.graphql import OperationType

from schema.compiled.fast import HANDED_OVER
from schema.compiled.plans import Plans
from schema.context import Context
from schema.errors import failure_code

logger = logging.getLogger(__name__)


class CompiledReads(SchemaExtension):
    async def on_execute(self) -> AsyncIterator[None]:
        execution = self.execution_context
        context = execution.context
        if (
            execution.result is None
            and isinstance(context, Context)
            and context.settings.compiled_reads
            and execution.graphql_document is not None
            and execution.operation_type is OperationType.QUERY
        ):
            handed_over = _handed_over(context)
            if handed_over is not None:
                # The fast path ran this very statement and the database failed it
                # (schema/compiled/fast.py): the same failure, masked the same way.
                raise handed_over
            plans = context.plans if context.plans is not None else Plans()
            compiled = plans.compile(
                execution.schema._schema,
                execution.query,
                execution.graphql_document,
                execution.variables,
                execution.operation_name,
                # The name as the request gave it (None for none): the cache key, which
                # the fast path finds from the request body alone.
                getattr(execution, "_provided_operation_name", execution.operation_name),
            )
            if compiled is not None:
                try:
                    data = await _fetch(context, compiled.sql, compiled.params)
                except Exception as exc:
                    # The database is away or the statement ran out of time: the resolvers
                    # would only wait for the same failure again. Raised, it is masked
                    # with its code (UNAVAILABLE, TIMEOUT) like any other.
                    if failure_code(exc) is not None:
                        raise
                    # Anything else is a statement this compiler got wrong: the resolvers
                    # answer instead, and the warning says what to fix.
                    logger.warning("compiled read failed; running the resolvers", exc_info=True)
                else:
                    # None: the answer would be an error (a compared source is missing).
                    if data is not None:
                        execution.result = GraphQLExecutionResult(data, None)
        yield


def _handed_over(context: Context) -> BaseException | None:
    state = context.request.scope.get("state", {})
    failure: BaseException | None = state.pop(HANDED_OVER, None)
    return failure


async def _fetch(context: Context, sql: str, params: tuple[Any, ...]) -> dict[str, Any] | None:
    async with context.loaders.engine.connect() as connection:
        if context.shared is None:
            # One statement is its own snapshot: no BEGIN and ROLLBACK round trips.
            # (An Idempotency-Key request reads inside its shared transaction.)
            connection = await connection.execution_options(isolation_level="AUTOCOMMIT")
        row: tuple[Any, ...] = tuple((await connection.exec_driver_sql(sql, params)).one())
    text, complete = row
    if not complete:
        return None
    data: dict[str, Any] = orjson.loads(text)
    return data
