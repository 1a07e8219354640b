"""Abuse limits: every document is measured before a resolver runs.

A GraphQL endpoint lets one request ask for a great deal: deep nesting, hundreds of
aliases, megabytes of tokens, or nested pages whose sizes multiply (100 claims x 100
attributions x 100 ...). Each limit here rejects such a document during parsing or
validation, before any SQL, with a GraphQL error whose `extensions.code` says which limit
it hit. Tokens and introspection are strawberry's own limits (`MaxTokensLimiter`,
`DisableIntrospection`), given stable codes; depth, aliases and cost are ours.

Every walk here is linear in the document's size: a fragment is measured once per
parent type and page (`_Once`), however often it is spread. Expanding it at each spread
instead doubles the work per level of `fragment F{i} { ...F{i-1} ...F{i-1} }`: 24 levels
in 1.5 KB held the process for minutes (issue 12).
"""

from __future__ import annotations

import math
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

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
    SelectionNode,
    SelectionSetNode,
    get_named_type,
    get_nullable_type,
    is_composite_type,
)
from graphql import (
    ExecutionResult as GraphQLExecutionResult,
)
from graphql.execution.values import VariableValues, get_argument_values, get_variable_values
from strawberry.extensions import (
    AddValidationRules,
    DisableIntrospection,
    MaxTokensLimiter,
    SchemaExtension,
)

from api.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE

# Lists without a `first` argument (a chain's `via`, `chain`, a comparison's `a`/`b`) are
# short by nature: a chain is the publisher, the source and the sources it cites.
UNPAGED_LIST_SIZE = 5

T = TypeVar("T")


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


class _Once(Generic[T]):
    """The value of each fragment in one walk, computed once per key (the fragment with
    what it depends on: its parent type, the page around it).

    An unknown fragment, or one spread inside itself (a cycle), counts as `empty`:
    graphql-core's KnownFragmentNames and NoFragmentCycles rules report those.
    """

    def __init__(self, fragments: Mapping[str, FragmentDefinitionNode], empty: T) -> None:
        self.fragments = fragments
        self.empty = empty
        self.values: dict[Hashable, T] = {}
        self.open: set[str] = set()

    def spread(self, name: str, key: Hashable, value: Callable[[FragmentDefinitionNode], T]) -> T:
        if key in self.values:
            return self.values[key]
        fragment = self.fragments.get(name)
        if fragment is None or name in self.open:
            return self.empty
        self.open.add(name)
        try:
            self.values[key] = found = value(fragment)
        finally:
            self.open.discard(name)
        return found


def _fragments(document: DocumentNode) -> dict[str, FragmentDefinitionNode]:
    return {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}


def _operations(document: DocumentNode) -> list[OperationDefinitionNode]:
    return [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]


# Depth and aliases


class _Depths:
    """How far below a selection set its deepest selection lies, as strawberry's
    QueryDepthLimiter counts: a field's selections one level below it, a fragment's at
    the level of its spread, introspection fields not followed."""

    def __init__(self, document: DocumentNode) -> None:
        self.once = _Once(_fragments(document), 0)

    def height(self, selection_set: SelectionSetNode) -> int:
        return max((self._height(s) for s in selection_set.selections), default=0)

    def _height(self, selection: SelectionNode) -> int:
        if isinstance(selection, FragmentSpreadNode):
            name = selection.name.value
            return self.once.spread(name, name, lambda f: self.height(f.selection_set))
        inner = _under(selection)
        return 0 if inner is None else inner[1] + self.height(inner[0])

    def first_too_deep(
        self, selection_set: SelectionSetNode, level: int, limit: int, path: frozenset[str]
    ) -> SelectionNode | None:
        """The first selection, in document order, deeper than `limit` (as the error's
        location); None only in a fragment cycle, which validation reports."""
        for selection in selection_set.selections:
            if level > limit:
                return selection
            if level + self._height(selection) <= limit:
                continue
            if isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = self.once.fragments.get(name)
                if fragment is None or name in path:
                    continue
                return self.first_too_deep(fragment.selection_set, level, limit, path | {name})
            inner = _under(selection)
            assert inner is not None
            return self.first_too_deep(inner[0], level + inner[1], limit, path)
        return None


def _under(selection: SelectionNode) -> tuple[SelectionSetNode, int] | None:
    """The selection set that a field or inline fragment holds, and how much deeper."""
    if isinstance(selection, InlineFragmentNode):
        return selection.selection_set, 0
    if not isinstance(selection, FieldNode) or selection.selection_set is None:
        return None
    return None if selection.name.value.startswith("__") else (selection.selection_set, 1)


def depth_rule(max_depth: int) -> type[ASTValidationRule]:
    """strawberry's QueryDepthLimiter rule (its message), linear in the document."""

    class DepthLimit(ASTValidationRule):
        def enter_document(self, node: DocumentNode, *_: Any) -> None:
            depths = _Depths(node)
            for operation in _operations(node):
                if depths.height(operation.selection_set) <= max_depth:
                    continue
                name = operation.name.value if operation.name else "anonymous"
                where = depths.first_too_deep(operation.selection_set, 0, max_depth, frozenset())
                self.report_error(
                    GraphQLError(
                        f"'{name}' exceeds maximum operation depth of {max_depth}",
                        where or operation,
                        extensions={"code": "QUERY_TOO_DEEP"},
                    )
                )

    return DepthLimit


class _Aliases:
    """Aliased fields, counted with each fragment's fields as often as it is spread."""

    def __init__(self, document: DocumentNode) -> None:
        self.once = _Once(_fragments(document), 0)

    def count(self, selection_set: SelectionSetNode | None) -> int:
        total = 0
        for selection in selection_set.selections if selection_set else ():
            if isinstance(selection, FieldNode):
                total += (selection.alias is not None) + self.count(selection.selection_set)
            elif isinstance(selection, InlineFragmentNode):
                total += self.count(selection.selection_set)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                total += self.once.spread(name, name, lambda f: self.count(f.selection_set))
        return total


def alias_rule(max_aliases: int) -> type[ASTValidationRule]:
    """strawberry's MaxAliasesLimiter rule (its message), linear in the document."""

    class AliasLimit(ASTValidationRule):
        def enter_document(self, node: DocumentNode, *_: Any) -> None:
            aliases = _Aliases(node)
            total = sum(aliases.count(o.selection_set) for o in _operations(node))
            if total > max_aliases:
                message = f"{total} aliases found. Allowed: {max_aliases}"
                self.report_error(GraphQLError(message, extensions={"code": "TOO_MANY_ALIASES"}))

    return AliasLimit


# Tokens


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


# Cost


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
_COSTS: OrderedDict[tuple[str, str | None, Hashable], int] = OrderedDict()
_COSTS_SIZE = 512
# Variables larger than this (an ingested article's text) are not worth keeping as a key:
# each string counts its length, each other value 1.
_MAX_KEY_SIZE = 8_000


def operation_cost(
    schema: GraphQLSchema,
    query: str | None,
    document: DocumentNode,
    operation: OperationDefinitionNode,
    variables: Mapping[str, Any],
) -> int:
    """`document_cost` of the operation, remembered per document text and variables."""
    name = operation.name.value if operation.name else None
    frozen = variables_key(variables)
    key = None if query is None or frozen is None else (query, name, frozen)
    cost = _COSTS.get(key) if key is not None else None
    if cost is None:
        cost = document_cost(schema, operation, _fragments(document), variables)
        if key is not None:
            _COSTS[key] = cost
            _COSTS.move_to_end(key)
            while len(_COSTS) > _COSTS_SIZE:
                _COSTS.popitem(last=False)
    return cost


def variables_key(variables: Mapping[str, Any] | None) -> Hashable | None:
    """The variables as a cache key: equal keys for equal JSON values only, or None when
    they are not plain JSON or too large to keep.

    Exact: 1, 1.0 and true differ, and so do -0.0 and 0.0; NaN and Infinity, which are
    not JSON (orjson would write them as null, a key shared with null), give None, as do
    non-string keys, values of any other type (a subclass too) and variables over
    `_MAX_KEY_SIZE`. Caches keyed by it (costs, compiled statements) then compute afresh.
    """
    budget = [_MAX_KEY_SIZE]

    def frozen(value: Any) -> Hashable:
        budget[0] -= len(value) if type(value) is str else 1
        if budget[0] < 0:
            raise ValueError
        kind = type(value)
        if kind is dict:
            if any(type(k) is not str for k in value):
                raise ValueError
            budget[0] -= sum(len(k) for k in value)
            return (dict, tuple(sorted((k, frozen(v)) for k, v in value.items())))
        if kind is list:
            return (list, tuple(frozen(v) for v in value))
        if kind is float:
            if not math.isfinite(value):
                raise ValueError
            return (float, repr(value))
        if kind in (str, int, bool) or value is None:
            return (kind, value)
        raise ValueError

    try:
        return frozen(dict(variables or {}))
    except (ValueError, RecursionError):
        return None


def _operation(document: DocumentNode, name: str | None) -> OperationDefinitionNode | None:
    operations = _operations(document)
    if name is None:
        return operations[0] if len(operations) == 1 else None
    return next((o for o in operations if o.name and o.name.value == name), None)


@dataclass(frozen=True)
class _Walk:
    """What the cost walk needs at every step: the schema, the fragments (each costed
    once per parent type and page) and the coerced variables."""

    schema: GraphQLSchema
    once: _Once[int]
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
    walk = _Walk(schema, _Once(fragments, 0), coerced)
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


__all__ = ["Limits", "document_cost", "limit_extensions", "operation_cost", "variables_key"]
