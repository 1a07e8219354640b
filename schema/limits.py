"""Abuse limits: every document is measured before a resolver runs.

A GraphQL endpoint lets one request ask for a great deal: deep nesting, hundreds of
aliases, megabytes of tokens, or nested pages whose sizes multiply (100 claims x 100
attributions x 100 ...). Each limit here rejects such a document during parsing or
validation, before any SQL, with a GraphQL error whose `extensions.code` says which limit
it hit. The limits are strawberry's own (`QueryDepthLimiter`, `MaxAliasesLimiter`,
`MaxTokensLimiter`, `DisableIntrospection`), given stable codes, plus a cost budget that
strawberry lacks.
"""

from __future__ import annotations

import json
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from graphql import (
    ASTValidationRule,
    DocumentNode,
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
    ValidationContext,
    ValueNode,
    VariableNode,
    Visitor,
    get_named_type,
    get_nullable_type,
    is_composite_type,
    value_from_ast_untyped,
    visit,
)
from graphql import (
    ExecutionResult as GraphQLExecutionResult,
)
from strawberry.extensions import (
    AddValidationRules,
    DisableIntrospection,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    QueryDepthLimiter,
    SchemaExtension,
)

from api.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE

# Lists without a `first` argument (a chain's `via`, `chain`, a comparison's `a`/`b`) are
# short by nature: a chain is the publisher, the source and the sources it cites.
UNPAGED_LIST_SIZE = 5


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

    def tag(error: GraphQLError) -> GraphQLError:
        error.extensions = {**(error.extensions or {}), "code": code}
        return error

    class CodedRule(rule):  # type: ignore[valid-type, misc]
        def __init__(self, context: ValidationContext) -> None:
            # strawberry's depth and alias limiters report from __init__, on the context
            # that every rule shares: tag only what this rule reports meanwhile.
            report = context.on_error
            context.on_error = lambda error: report(tag(error))  # type: ignore[method-assign]
            try:
                super().__init__(context)
            except KeyError:
                # The depth limiter looks spread fragments up unchecked: `{ ...Nope }`
                # raised KeyError, a 500. graphql-core's KnownFragmentNamesRule reports
                # the unknown fragment; this rule then has nothing to measure.
                if not _spreads_unknown_fragment(context.document):
                    raise
                ASTValidationRule.__init__(self, context)
            finally:
                context.on_error = report  # type: ignore[method-assign]

        def report_error(self, error: GraphQLError) -> None:
            super().report_error(tag(error))

    CodedRule.__name__ = f"{rule.__name__}[{code}]"
    return CodedRule


def _spreads_unknown_fragment(document: DocumentNode) -> bool:
    known = {d.name.value for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
    spread: set[str] = set()

    class Spreads(Visitor):
        def enter_fragment_spread(self, node: FragmentSpreadNode, *_: Any) -> None:
            spread.add(node.name.value)

    visit(document, Spreads())
    return not spread <= known


class TokenLimit(MaxTokensLimiter):
    """`MaxTokensLimiter`, whose parse errors carry codes: TOO_MANY_TOKENS, and
    QUERY_TOO_DEEP when the parser itself gives up on a document nested too deeply
    (before the depth rule could run, and before the token limit is reached)."""

    def on_operation(self) -> Iterator[None]:
        self.execution_context.parse_options["max_tokens"] = self.max_token_count
        try:
            yield
        except GraphQLError as error:
            # ParserCache parses in its hook, so its syntax errors pass through here.
            self._tag(error)
            raise
        for found in self.execution_context.pre_execution_errors or []:
            self._tag(found)

    def _tag(self, error: GraphQLError) -> None:
        codes = {
            f"Document contains more than {self.max_token_count} tokens.": "TOO_MANY_TOKENS",
            "Document is nested too deeply.": "QUERY_TOO_DEEP",
        }
        code = next((c for text, c in codes.items() if text in error.message), None)
        if code is not None:
            error.extensions = {**(error.extensions or {}), "code": code}


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
        operation = None if document is None else _operation(document, context.operation_name)
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


# The cost of the same document with the same variables, as clients repeat both: the walk
# costs about 0.2 ms a request (docs/performance.md). Bounded like the parser cache.
_COSTS: OrderedDict[tuple[str, str | None, str], int] = OrderedDict()
_COSTS_SIZE = 512
# Variables longer than this (an ingested article's text) are not worth keeping as a key.
_MAX_KEY_VARIABLES = 2_000


def operation_cost(
    schema: GraphQLSchema,
    query: str | None,
    document: DocumentNode,
    operation: OperationDefinitionNode,
    variables: Mapping[str, Any],
) -> int:
    """`document_cost` of the operation, remembered per document text and variables."""
    name = operation.name.value if operation.name else None
    key = _cost_key(query, name, variables)
    cost = _COSTS.get(key) if key is not None else None
    if cost is None:
        cost = document_cost(schema, operation, _fragments(document), variables)
        _remember_cost(key, cost)
    return cost


def _cost_key(
    query: str | None, operation_name: str | None, variables: Mapping[str, Any]
) -> tuple[str, str | None, str] | None:
    if query is None:
        return None
    try:
        frozen = json.dumps(variables, sort_keys=True, default=str)
    except (TypeError, ValueError, RecursionError):
        return None
    return (query, operation_name, frozen) if len(frozen) <= _MAX_KEY_VARIABLES else None


def _remember_cost(key: tuple[str, str | None, str] | None, cost: int) -> None:
    if key is None:
        return
    _COSTS[key] = cost
    _COSTS.move_to_end(key)
    while len(_COSTS) > _COSTS_SIZE:
        _COSTS.popitem(last=False)


def _fragments(document: DocumentNode) -> dict[str, FragmentDefinitionNode]:
    return {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}


def _operation(document: DocumentNode, name: str | None) -> OperationDefinitionNode | None:
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if name is None:
        return operations[0] if len(operations) == 1 else None
    return next((o for o in operations if o.name and o.name.value == name), None)


@dataclass(frozen=True)
class _Walk:
    """What the cost walk needs at every step: the schema, fragments and variables."""

    schema: GraphQLSchema
    fragments: Mapping[str, FragmentDefinitionNode]
    variables: Mapping[str, Any]
    defaults: Mapping[str, ValueNode | None]


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
    its own query. Single objects and scalars come with their parent and count nothing.
    Introspection (`__schema`, `__type`) is bounded by the schema and not counted.
    """
    root = schema.get_root_type(operation.operation)
    if root is None:
        return 0
    defaults = {
        v.variable.name.value: v.default_value for v in operation.variable_definitions or ()
    }
    walk = _Walk(schema, fragments, variables, defaults)
    return _selection_cost(walk, root, operation.selection_set, page=None, seen=frozenset())


def _selection_cost(
    walk: _Walk,
    parent: GraphQLNamedType,
    selection_set: SelectionSetNode | None,
    page: int | None,
    seen: frozenset[str],
) -> int:
    if selection_set is None:
        return 0
    total = 0
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            total += _field_cost(walk, parent, selection, page, seen)
        elif isinstance(selection, InlineFragmentNode):
            condition = selection.type_condition
            inner = walk.schema.get_type(condition.name.value) if condition else parent
            total += _selection_cost(walk, inner or parent, selection.selection_set, page, seen)
        elif isinstance(selection, FragmentSpreadNode) and selection.name.value not in seen:
            fragment = walk.fragments.get(selection.name.value)
            if fragment is not None:
                inner = walk.schema.get_type(fragment.type_condition.name.value) or parent
                names = seen | {selection.name.value}
                total += _selection_cost(walk, inner, fragment.selection_set, page, names)
    return total


def _field_cost(
    walk: _Walk, parent: GraphQLNamedType, node: FieldNode, page: int | None, seen: frozenset[str]
) -> int:
    definition = _field_definition(parent, node.name.value)
    if definition is None or not is_composite_type(get_named_type(definition.type)):
        return 0
    child = get_named_type(definition.type)
    if "first" in definition.args:
        size = _page_size(walk, node)
        return 1 + _selection_cost(walk, child, node.selection_set, page=size, seen=seen)
    inner = _selection_cost(walk, child, node.selection_set, page=None, seen=seen)
    if not isinstance(get_nullable_type(definition.type), GraphQLList):
        return inner
    return _list_size(walk, node, page) * (1 + inner)


def _field_definition(parent: GraphQLNamedType, name: str) -> GraphQLField | None:
    # Interfaces and unions without a type condition: their fields are looked up on the
    # interface; a union has none but __typename, which costs nothing.
    fields = getattr(parent, "fields", None)
    if name.startswith("__") or not fields:
        return None
    field: GraphQLField | None = fields.get(name)
    return field


def _list_size(walk: _Walk, node: FieldNode, page: int | None) -> int:
    if page is not None:
        return page
    ids = _argument(walk, node, "ids")
    if ids is not None:
        return len(ids) if isinstance(ids, list) else 1
    return UNPAGED_LIST_SIZE


def _page_size(walk: _Walk, node: FieldNode) -> int:
    first = _argument(walk, node, "first")
    if not isinstance(first, int) or isinstance(first, bool):
        return DEFAULT_PAGE_SIZE
    return max(0, min(first, MAX_PAGE_SIZE))


def _argument(walk: _Walk, node: FieldNode, name: str) -> Any:
    """The argument's raw value, from the document or the variables (uncoerced)."""
    argument = next((a for a in node.arguments or () if a.name.value == name), None)
    if argument is None:
        return None
    if isinstance(argument.value, VariableNode):
        variable = argument.value.name.value
        if variable in walk.variables:
            return walk.variables[variable]
        default = walk.defaults.get(variable)
        return None if default is None else value_from_ast_untyped(default)
    return value_from_ast_untyped(argument.value, dict(walk.variables))


def _validation_rules(limits: Limits) -> list[type[ASTValidationRule]]:
    """The rule classes, built once: the validation cache is keyed by them."""
    rules = [
        coded(QueryDepthLimiter(max_depth=limits.max_depth).validation_rules[0], "QUERY_TOO_DEEP"),
        coded(
            MaxAliasesLimiter(max_alias_count=limits.max_aliases).validation_rules[0],
            "TOO_MANY_ALIASES",
        ),
    ]
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


__all__ = ["Limits", "document_cost", "limit_extensions", "operation_cost"]
