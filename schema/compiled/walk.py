"""The walk over a validated operation: field collection, arguments and SQL parameters.

Field collection is graphql-core's own (`collect_fields`/`collect_subfields`), so
@skip/@include, fragments, inline fragments and response-key merging behave exactly
as in execution. Anything the compiler does not know raises `NotCompilable`, and the
request runs down the resolver path instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from graphql import (
    DocumentNode,
    GraphQLField,
    GraphQLObjectType,
    GraphQLSchema,
    OperationDefinitionNode,
)
from graphql.execution import Executor
from graphql.execution.collect_fields import (
    FieldDetailsList,
    FragmentDetails,
    collect_fields,
    collect_subfields,
)
from graphql.execution.values import VariableValues, get_argument_values

# json_build_object takes at most 100 arguments: 50 keys.
MAX_KEYS = 50
# Response keys one statement may render, in all its objects: as many as `nodes` with
# 100 ids of 50 keys each. The statement grows with them (about 10 us and 100 bytes of
# SQL each), and fragments that fan out ask for more with every level the depth limit
# allows: beyond this the resolver path answers, not a compile of megabytes of SQL.
MAX_SELECTIONS = 5_000


class NotCompilable(Exception):
    """This operation (or these variables) must run down the resolver path."""


@dataclass
class Walk:
    """One operation with its coerced variables, and the SQL parameters bound so far."""

    schema: GraphQLSchema
    fragments: dict[str, FragmentDetails]
    variables: VariableValues
    operation: OperationDefinitionNode
    params: list[Any] = field(default_factory=list)
    # Conditions the answer holds only if true (both compared sources exist); when one
    # is false the request runs down the resolver path, which reports the error.
    checks: list[str] = field(default_factory=list)
    aliases: int = 0
    selections: int = 0

    @classmethod
    def start(
        cls,
        schema: GraphQLSchema,
        document: DocumentNode,
        variables: dict[str, Any] | None,
        operation_name: str | None,
    ) -> Walk:
        built = Executor.build(
            schema, document, raw_variable_values=variables, operation_name=operation_name
        )
        if isinstance(built, list):
            raise NotCompilable("the operation or its variables are invalid")
        if any(f.variable_signatures for f in built.fragments.values()):
            raise NotCompilable("fragment variables")
        return cls(schema, built.fragments, built.variable_values, built.operation)

    def root_fields(self, root: GraphQLObjectType) -> dict[str, FieldDetailsList]:
        collected = collect_fields(
            self.schema, self.fragments, self.variables, root, self.operation
        )
        return self._grouped(collected.grouped_field_set, collected.new_defer_usages)

    def subfields(
        self, type_: GraphQLObjectType, details: FieldDetailsList
    ) -> dict[str, FieldDetailsList]:
        collected = collect_subfields(
            self.schema, self.fragments, self.variables, self.operation, type_, details
        )
        return self._grouped(collected.grouped_field_set, collected.new_defer_usages)

    def _grouped(
        self, grouped: dict[str, FieldDetailsList], defers: list[Any]
    ) -> dict[str, FieldDetailsList]:
        if defers or any(d.defer_usage is not None for ds in grouped.values() for d in ds):
            raise NotCompilable("@defer")
        if len(grouped) > MAX_KEYS:
            raise NotCompilable("too many keys for one json_build_object")
        self.selections += len(grouped)
        if self.selections > MAX_SELECTIONS:
            raise NotCompilable("too many selections for one statement")
        return grouped

    def arguments(self, definition: GraphQLField, details: FieldDetailsList) -> dict[str, Any]:
        first = details[0]
        return get_argument_values(
            definition, first.node, self.variables, first.fragment_variable_values
        )

    def param(self, value: Any, sql_type: str) -> str:
        """A bound parameter, cast so asyncpg need not guess its type."""
        self.params.append(value)
        return f"${len(self.params)}::{sql_type}"

    def alias(self, stem: str) -> str:
        self.aliases += 1
        return f"{stem}{self.aliases}"
