"""The cost of a document remembered per text and variables, and the variables' key."""

from __future__ import annotations

import math
from collections import OrderedDict
from collections.abc import Hashable, Mapping
from typing import Any

from graphql import DocumentNode, GraphQLSchema, OperationDefinitionNode

from schema.limits.cost import document_cost
from schema.limits.memo import fragments_of

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
        cost = document_cost(schema, operation, fragments_of(document), variables)
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
