"""Reads need the reader role when anonymous reads are off (CLAIMGRAPH_ANONYMOUS_READ).

A SchemaExtension, like the abuse limits: it runs after validation and before
execution, so a refused query runs no resolver. Mutations are let through here and
authorised where their transaction begins (`Context.writer`), so that their refusals
are data in the payload like every other reason a write did not happen.
"""

from __future__ import annotations

from collections.abc import Iterator

from graphql import ExecutionResult as GraphQLExecutionResult
from graphql import GraphQLError
from strawberry.extensions import SchemaExtension
from strawberry.types.graphql import OperationType

from api.auth.roles import Role
from schema.context import Context


class ReadAccess(SchemaExtension):
    def on_execute(self) -> Iterator[None]:
        execution = self.execution_context
        context = execution.context
        is_query = execution.operation_type is not OperationType.MUTATION
        if is_query and isinstance(context, Context):
            refusal = context.policy.refusal(context.caller, Role.READER)
            if refusal is not None:
                problem = refusal.problems[0]
                error = GraphQLError(problem.message, extensions={"code": problem.code.value})
                # A result set before execution replaces it: no resolver runs.
                execution.result = GraphQLExecutionResult(None, [error])
        yield
