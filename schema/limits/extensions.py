"""The limits a schema is built with, and the extensions that enforce them."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from graphql import ASTValidationRule, GraphQLError, OperationDefinitionNode
from graphql import ExecutionResult as GraphQLExecutionResult
from strawberry.extensions import AddValidationRules, DisableIntrospection, SchemaExtension

from schema.limits.aliases import alias_rule
from schema.limits.cost_memo import operation_cost
from schema.limits.depth import depth_rule
from schema.limits.memo import operation_named
from schema.limits.tokens import TokenLimit


@dataclass(frozen=True)
class Limits:
    """What one document may ask for; see docs/security.md for the reasoning."""

    max_depth: int = 12
    max_aliases: int = 30
    max_tokens: int = 2_000
    max_cost: int = 200_000
    introspection: bool = True


def coded(rule: type[ASTValidationRule], code: str) -> type[ASTValidationRule]:
    """The same validation rule, its errors carrying `extensions.code` for clients."""

    class CodedRule(rule):  # type: ignore[valid-type, misc]
        def report_error(self, error: GraphQLError) -> None:
            error.extensions = {**(error.extensions or {}), "code": code}
            super().report_error(error)

    CodedRule.__name__ = f"{rule.__name__}[{code}]"
    return CodedRule


class CostLimit(SchemaExtension):
    """Rejects a document whose nested pages could return more objects than the budget.

    It runs after validation, just before execution, rather than as a validation rule:
    the cost depends on the variables (`first: $n`), and validation is cached per document.
    """

    def __init__(self, budget: int) -> None:
        self.budget = budget

    def on_execute(self) -> Iterator[None]:
        context = self.execution_context
        document = context.graphql_document
        operation = None if document is None else operation_named(document, context.operation_name)
        if document is not None and operation is not None:
            cost = operation_cost(
                context.schema._schema,
                context.query,
                document,
                operation,
                context.variables or {},
            )
            if cost > self.budget:
                # A result set before execution replaces it: no resolver runs.
                context.result = GraphQLExecutionResult(None, [self.error(cost, operation)])
        yield

    def error(self, cost: int, operation: OperationDefinitionNode) -> GraphQLError:
        return GraphQLError(
            f"The query could return about {cost} objects, over the budget of {self.budget}:"
            " ask for smaller pages (first) or fewer nested lists.",
            [operation],
            extensions={"code": "QUERY_TOO_COSTLY", "cost": cost, "budget": self.budget},
        )


def _validation_rules(limits: Limits) -> list[type[ASTValidationRule]]:
    """The rule classes, built once: the validation cache is keyed by them."""
    rules = [depth_rule(limits.max_depth), alias_rule(limits.max_aliases)]
    if not limits.introspection:
        rules.append(coded(DisableIntrospection().validation_rules[0], "INTROSPECTION_DISABLED"))
    return rules


def limit_extensions(limits: Limits) -> list[Callable[[], SchemaExtension]]:
    """Factories for the schema: a fresh extension per request, the same rule classes."""
    rules = _validation_rules(limits)
    return [
        lambda: TokenLimit(max_token_count=limits.max_tokens),
        lambda: AddValidationRules(rules),
        lambda: CostLimit(limits.max_cost),
    ]
