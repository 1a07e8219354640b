"""The cost of a document: the most objects its nested lists could return."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLField,
    GraphQLList,
    GraphQLNamedType,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    get_named_type,
    get_nullable_type,
    is_composite_type,
)
from graphql.execution.values import VariableValues, get_argument_values, get_variable_values

from api.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE
from schema.limits.memo import Once

# Lists without a `first` argument (a chain's `via`, `chain`, a comparison's `a`/`b`) are
# short by nature: a chain is the publisher, the source and the sources it cites.
UNPAGED_LIST_SIZE = 5


@dataclass(frozen=True)
class _Walk:
    """What the cost walk needs at every step: the schema, the fragments (each costed
    once per parent type and page) and the coerced variables."""

    schema: GraphQLSchema
    once: Once[int]
    variables: VariableValues


def document_cost(
    schema: GraphQLSchema,
    operation: OperationDefinitionNode,
    fragments: Mapping[str, FragmentDefinitionNode],
    variables: Mapping[str, Any],
) -> int:
    """The most objects the operation's lists could return.

    Each item of a list of objects counts 1 plus its own subtree; a connection's edges
    number its `first` (default 20, capped at 100, as the resolvers enforce), `nodes(ids)`
    as many as the ids, other lists `UNPAGED_LIST_SIZE`. Each connection also counts 1 for
    its own query. Single objects and scalars come with their parent and count nothing;
    a fragment counts as often as it is spread. Introspection (`__schema`, `__type`) is
    bounded by the schema and not counted.

    Arguments are read as the resolvers will see them: variables coerced to their types
    (`first: $n` with n = 100.0 is 100), defaults applied. Variables that cannot be
    coerced cost nothing: execution refuses them before any resolver runs.
    """
    root = schema.get_root_type(operation.operation)
    if root is None:
        return 0
    coerced = get_variable_values(schema, operation.variable_definitions or (), dict(variables))
    if isinstance(coerced, list):
        return 0
    walk = _Walk(schema, Once(fragments, 0), coerced)
    return _selection_cost(walk, root, operation.selection_set, page=None)


def _selection_cost(
    walk: _Walk, parent: GraphQLNamedType, selection_set: SelectionSetNode | None, page: int | None
) -> int:
    if selection_set is None:
        return 0
    total = 0
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            total += _field_cost(walk, parent, selection, page)
        elif isinstance(selection, InlineFragmentNode):
            condition = selection.type_condition
            inner = walk.schema.get_type(condition.name.value) if condition else parent
            total += _selection_cost(walk, inner or parent, selection.selection_set, page)
        elif isinstance(selection, FragmentSpreadNode):
            total += _spread_cost(walk, parent, selection.name.value, page)
    return total


def _spread_cost(walk: _Walk, parent: GraphQLNamedType, name: str, page: int | None) -> int:
    def cost(fragment: FragmentDefinitionNode) -> int:
        inner = walk.schema.get_type(fragment.type_condition.name.value) or parent
        return _selection_cost(walk, inner, fragment.selection_set, page)

    return walk.once.spread(name, (name, parent.name, page), cost)


def _field_cost(walk: _Walk, parent: GraphQLNamedType, node: FieldNode, page: int | None) -> int:
    definition = _field_definition(parent, node.name.value)
    if definition is None or not is_composite_type(get_named_type(definition.type)):
        return 0
    child = get_named_type(definition.type)
    arguments = _arguments(walk, definition, node)
    if "first" in definition.args:
        size = _page_size(arguments.get("first"))
        return 1 + _selection_cost(walk, child, node.selection_set, page=size)
    inner = _selection_cost(walk, child, node.selection_set, page=None)
    if not isinstance(get_nullable_type(definition.type), GraphQLList):
        return inner
    return _list_size(arguments.get("ids"), page) * (1 + inner)


def _field_definition(parent: GraphQLNamedType, name: str) -> GraphQLField | None:
    # Interfaces and unions without a type condition: their fields are looked up on the
    # interface; a union has none but __typename, which costs nothing.
    fields = getattr(parent, "fields", None)
    if name.startswith("__") or not fields:
        return None
    field: GraphQLField | None = fields.get(name)
    return field


def _arguments(walk: _Walk, definition: GraphQLField, node: FieldNode) -> dict[str, Any]:
    """The field's arguments as its resolver receives them; none when they cannot be
    coerced (execution reports that)."""
    if not definition.args:
        return {}
    try:
        return get_argument_values(definition, node, walk.variables)
    except GraphQLError:
        return {}


def _list_size(ids: Any, page: int | None) -> int:
    if page is not None:
        return page
    if ids is not None:
        return len(ids) if isinstance(ids, list) else 1
    return UNPAGED_LIST_SIZE


def _page_size(first: Any) -> int:
    if not isinstance(first, int) or isinstance(first, bool):
        return DEFAULT_PAGE_SIZE
    return max(0, min(first, MAX_PAGE_SIZE))
