"""compile_operation: the statement and parameters for one request, or None (fall back).

Compiled statements are cached per (schema, document text, operationName, variables):
a repeated request costs a dictionary lookup, not a walk of its selections. Variables
are part of the key because they decide the statement's shape (@skip/@include, the
type a node id names, whether a page has a cursor); their values are still bound as
parameters, never spliced into the SQL.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

import orjson
from graphql import DocumentNode, GraphQLSchema

from schema.compiled.root import data_sql
from schema.compiled.walk import NotCompilable, Walk

CACHE_SIZE = 512


@dataclass(frozen=True)
class Compiled:
    sql: str
    params: tuple[Any, ...]


CacheKey = tuple[int, str, str | None, bytes]
_cache: OrderedDict[CacheKey, Compiled | None] = OrderedDict()


def compile_operation(
    schema: GraphQLSchema,
    query: str | None,
    document: DocumentNode,
    variables: dict[str, Any] | None,
    operation_name: str | None,
) -> Compiled | None:
    """The operation as one statement, or None when it must run down the resolver path."""
    key = _key(schema, query, variables, operation_name)
    if key is not None and key in _cache:
        _cache.move_to_end(key)
        return _cache[key]
    try:
        walk = Walk.start(schema, document, variables, operation_name)
        compiled: Compiled | None = Compiled(data_sql(walk), tuple(walk.params))
    except NotCompilable:
        compiled = None
    if key is not None:
        _cache[key] = compiled
        if len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return compiled


def _key(
    schema: GraphQLSchema, query: str | None, variables: dict[str, Any] | None, name: str | None
) -> CacheKey | None:
    if query is None:
        return None
    try:
        frozen = orjson.dumps(variables or {}, option=orjson.OPT_SORT_KEYS)
    except TypeError:  # not JSON (a direct schema.execute call): compile without caching
        return None
    return (id(schema), query, name, frozen)
