"""Plans.compile: the statement and parameters for one request, or None (fall back).

Two bounded caches per app, both filled by `Plans.compile`, which only ever sees
operations that passed parsing, validation and every abuse limit of the app's schema:

- statements per (document text, operationName, variables): a repeated request
  costs a dictionary lookup, not a walk of its selections. Variables are part of the key
  because they decide the statement's shape (@skip/@include, the type a node id names,
  whether a page has a cursor); their values are still bound as parameters, never
  spliced into the SQL.
- documents per (document text, operationName): the parsed, validated document
  and the operation it runs. The same document with new variables (another claim's id)
  needs only the checks that depend on variables (their coercion, the cost limit) and a
  compile, not a second parse and validation (schema/compiled/fast.py).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from graphql import DocumentNode, GraphQLSchema

from schema.compiled.root import data_sql
from schema.compiled.walk import NotCompilable, Walk
from schema.limits import variables_key

CACHE_SIZE = 512


@dataclass(frozen=True)
class Compiled:
    sql: str
    params: tuple[Any, ...]


@dataclass(frozen=True)
class Prepared:
    """A document that passed parsing, validation and the limits on its text."""

    document: DocumentNode
    # The operation it runs (the request may have named none).
    operation_name: str | None


CacheKey = tuple[str, str | None, Hashable]
DocumentKey = tuple[str, str | None]
K = TypeVar("K")
V = TypeVar("V")


@dataclass
class Plans:
    """The caches of one app (api/app.py): one schema, one set of limits."""

    statements: OrderedDict[CacheKey, Compiled | None] = field(default_factory=OrderedDict)
    documents: OrderedDict[DocumentKey, Prepared] = field(default_factory=OrderedDict)

    def compile(
        self,
        schema: GraphQLSchema,
        query: str | None,
        document: DocumentNode,
        variables: dict[str, Any] | None,
        operation_name: str | None,
        requested_name: str | None = None,
    ) -> Compiled | None:
        """The operation as one statement, or None when it must run down the resolver path.

        `operation_name` is the operation to run; `requested_name` the operationName the
        request named (None when it named none), by which a later request finds the
        statement (`cached`) and the document (`prepared`)."""
        if query is not None:
            prepared = Prepared(document, operation_name)
            _remember(self.documents, (query, requested_name), prepared)
        key = _key(query, variables, requested_name)
        if key is not None and key in self.statements:
            self.statements.move_to_end(key)
            return self.statements[key]
        try:
            walk = Walk.start(schema, document, variables, operation_name)
            compiled: Compiled | None = Compiled(data_sql(walk), tuple(walk.params))
        except NotCompilable:
            compiled = None
        if key is not None:
            _remember(self.statements, key, compiled)
        return compiled

    def cached(
        self, query: str, variables: dict[str, Any] | None, requested_name: str | None
    ) -> Compiled | None:
        """The statement of a request compiled before, without compiling: None when it
        was never compiled (or did not compile). A hit has passed every check of the full
        path but the caller's access, the only one that depends on who asks."""
        key = _key(query, variables, requested_name)
        if key is None:
            return None
        compiled = self.statements.get(key)
        if compiled is not None:
            self.statements.move_to_end(key)
        return compiled

    def prepared(self, query: str, requested_name: str | None) -> Prepared | None:
        """The validated document of a request compiled before with other variables."""
        key = (query, requested_name)
        prepared = self.documents.get(key)
        if prepared is not None:
            self.documents.move_to_end(key)
        return prepared


def _remember(cache: OrderedDict[K, V], key: K, value: V) -> None:
    cache[key] = value
    cache.move_to_end(key)
    if len(cache) > CACHE_SIZE:
        cache.popitem(last=False)


def _key(query: str | None, variables: dict[str, Any] | None, name: str | None) -> CacheKey | None:
    if query is None:
        return None
    # Exact (NaN is not null, 1.0 is not 1); None for what is not plain JSON (a direct
    # schema.execute call) or too large to keep: compile without caching.
    frozen = variables_key(variables)
    return None if frozen is None else (query, name, frozen)
